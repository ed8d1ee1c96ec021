/**
 * Assignment and deletion targets: names, attributes, subscripts, and unpacking into a tuple or
 * list of targets with at most one starred (UNPACK_SEQUENCE / UNPACK_EX and their messages).
 * A store takes over the value's reference.
 */
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import type { Frame } from '../frame.ts';
import { deleteAttribute } from '../attributes.ts';
import { attributeStoreSite } from '../attribute-sites.ts';
import { delItem, setItem } from '../operators.ts';
import type { CompileContext } from './context.ts';
import { compileExpr } from './expressions.ts';
import { deleteName, storeName, type Store } from './names.ts';

export function compileStore(c: CompileContext, target: ast.Expression): Store {
  const vm = c.vm;
  const heap = vm.heap;
  switch (target._type) {
    case 'Name':
      return storeName(vm, c.scope, target.id);
    case 'Attribute': {
      const obj = compileExpr(c, target.value);
      const store = attributeStoreSite(vm, target.attr);
      return (f, value) => {
        let o: Ref;
        try {
          o = obj(f);
        } catch (error) {
          heap.decref(value);
          throw error;
        }
        try {
          store(o, value);
        } finally {
          heap.decref(o);
          heap.decref(value);
        }
      };
    }
    case 'Subscript': {
      const obj = compileExpr(c, target.value);
      const key = compileExpr(c, target.slice);
      return (f, value) => {
        let o = 0;
        let k = 0;
        try {
          o = obj(f);
          k = key(f);
          setItem(vm, o, k, value);
        } finally {
          if (o) heap.decref(o);
          if (k) heap.decref(k);
          heap.decref(value);
        }
      };
    }
    case 'Tuple':
    case 'List':
      return compileUnpack(c, target.elts);
    case 'Starred':
      throw c.syntaxError('starred assignment target must be in a list or tuple', target);
    default:
      throw c.syntaxError(`cannot assign to ${describe(target)}`, target);
  }
}

function describe(target: ast.Expression): string {
  switch (target._type) {
    case 'Call':
      return 'function call';
    case 'Constant':
      return 'literal';
    default:
      return 'expression';
  }
}

function compileUnpack(c: CompileContext, elts: readonly ast.Expression[]): Store {
  const vm = c.vm;
  const heap = vm.heap;
  const star = elts.findIndex((elt) => elt._type === 'Starred');
  if (elts.filter((elt) => elt._type === 'Starred').length > 1) throw c.syntaxError('multiple starred expressions in assignment', elts[1]!);
  const stores = elts.map((elt) => compileStore(c, elt._type === 'Starred' ? elt.value : elt));
  const n = elts.length;
  return (f: Frame, value: Ref) => {
    let items: Ref[];
    try {
      items = vm.listOf(value);
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.TypeError) && /is not iterable/.test(vm.strOf(thrown.exc))) {
        heap.decref(thrown.exc);
        throw vm.typeError(`cannot unpack non-iterable ${vm.typeName(value)} object`);
      }
      throw thrown;
    } finally {
      heap.decref(value);
    }
    let values: Ref[];
    if (star < 0) {
      if (items.length !== n) {
        for (const item of items) heap.decref(item);
        if (items.length < n) throw vm.error('ValueError', `not enough values to unpack (expected ${n}, got ${items.length})`);
        throw vm.error('ValueError', `too many values to unpack (expected ${n})`);
      }
      values = items;
    } else {
      if (items.length < n - 1) {
        for (const item of items) heap.decref(item);
        throw vm.error('ValueError', `not enough values to unpack (expected at least ${n - 1}, got ${items.length})`);
      }
      const after = n - 1 - star;
      const middle = items.slice(star, items.length - after);
      const list = heap.newList(middle);
      for (const item of middle) heap.decref(item);
      values = [...items.slice(0, star), list, ...items.slice(items.length - after)];
    }
    let i = 0;
    try {
      for (; i < n; i++) stores[i]!(f, values[i]!);
    } catch (error) {
      for (let j = i + 1; j < n; j++) heap.decref(values[j]!);
      throw error;
    }
  };
}

export function compileDelete(c: CompileContext, target: ast.Expression): (f: Frame) => void {
  const vm = c.vm;
  const heap = vm.heap;
  switch (target._type) {
    case 'Name':
      return deleteName(vm, c.scope, target.id);
    case 'Attribute': {
      const obj = compileExpr(c, target.value);
      const name = target.attr;
      return (f) => {
        const o = obj(f);
        try {
          deleteAttribute(vm, o, name);
        } finally {
          heap.decref(o);
        }
      };
    }
    case 'Subscript': {
      const obj = compileExpr(c, target.value);
      const key = compileExpr(c, target.slice);
      return (f) => {
        const o = obj(f);
        let k = 0;
        try {
          k = key(f);
          delItem(vm, o, k);
        } finally {
          heap.decref(o);
          if (k) heap.decref(k);
        }
      };
    }
    case 'Tuple':
    case 'List': {
      const parts = target.elts.map((elt) => compileDelete(c, elt));
      return (f) => {
        for (const part of parts) part(f);
      };
    }
    default:
      throw c.syntaxError(`cannot delete ${describe(target)}`, target);
  }
}
