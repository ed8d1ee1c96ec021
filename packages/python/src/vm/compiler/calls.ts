/**
 * Calls. `obj.name(args)` loads the method without making a bound method (LOAD_METHOD), so the
 * callee's `self` is the reference the caller's stack held, moved in — CPython 3.11's counts.
 * Arguments are evaluated into an array the callee takes over.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import type { Kwargs } from '../classes.ts';
import type { Frame } from '../frame.ts';
import { getAttribute, loadMethod } from '../attributes.ts';
import { callPythonWithSelf } from '../function.ts';
import type { CompileContext } from './context.ts';
import { compileExpr, compileItems, type Ev } from './expressions.ts';

type Args = (frame: Frame) => Ref[];
type Kw = ((frame: Frame) => Kwargs | null) | null;

export function compileCall(c: CompileContext, node: ast.Call): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const args: Args = compileItems(c, node.args);
  const kw = compileKeywords(c, node.keywords);
  if (node.func._type === 'Attribute') {
    const obj = compileExpr(c, node.func.value);
    const name = node.func.attr;
    return (f) => {
      const target = obj(f);
      let callable: Ref;
      let self = NULL;
      try {
        const method = loadMethod(vm, target, name);
        if (method !== NULL) {
          callable = method;
          heap.incref(callable);
          self = target;
        } else {
          callable = getAttribute(vm, target, name);
          heap.decref(target);
        }
      } catch (error) {
        heap.decref(target);
        throw error;
      }
      let list: Ref[];
      let kwargs: Kwargs | null;
      try {
        list = args(f);
        try {
          kwargs = kw ? kw(f) : null;
        } catch (error) {
          for (const ref of list) heap.decref(ref);
          throw error;
        }
      } catch (error) {
        if (self !== NULL) heap.decref(self);
        heap.decref(callable);
        throw error;
      }
      try {
        if (self === NULL) return vm.callOwned(callable, list, kwargs);
        if (kwargs === null && heap.typeOf(callable) === vm.fn.functionType) return callPythonWithSelf(vm, callable, self, list);
        list.unshift(self);
        return vm.callOwned(callable, list, kwargs);
      } finally {
        heap.decref(callable);
      }
    };
  }
  const func = compileExpr(c, node.func);
  return (f) => {
    const callable = func(f);
    let list: Ref[];
    let kwargs: Kwargs | null;
    try {
      list = args(f);
      try {
        kwargs = kw ? kw(f) : null;
      } catch (error) {
        for (const ref of list) heap.decref(ref);
        throw error;
      }
    } catch (error) {
      heap.decref(callable);
      throw error;
    }
    try {
      return vm.callOwned(callable, list, kwargs);
    } finally {
      heap.decref(callable);
    }
  };
}

function compileKeywords(c: CompileContext, keywords: readonly ast.Keyword[]): Kw {
  if (keywords.length === 0) return null;
  const vm = c.vm;
  const heap = vm.heap;
  const parts = keywords.map((keyword) => ({ name: keyword.arg, ev: compileExpr(c, keyword.value) }));
  const seen = new Set<string>();
  for (const keyword of keywords) {
    if (keyword.arg === null) continue;
    if (seen.has(keyword.arg)) throw c.syntaxError(`keyword argument repeated: ${keyword.arg}`, keyword);
    seen.add(keyword.arg);
  }
  return (f) => {
    const names: string[] = [];
    const values: Ref[] = [];
    try {
      for (const part of parts) {
        const value = part.ev(f);
        if (part.name !== null) {
          names.push(part.name);
          values.push(value);
          continue;
        }
        try {
          vm.forEachMapping(value, (key, item) => {
            const name = vm.strOf(key);
            if (names.includes(name)) throw vm.typeError(`got multiple values for keyword argument '${name}'`);
            heap.incref(item);
            names.push(name);
            values.push(item);
          });
        } finally {
          heap.decref(value);
        }
      }
    } catch (error) {
      for (const value of values) heap.decref(value);
      throw error;
    }
    return { names, values };
  };
}
