/**
 * Expressions to closures. Each closure returns a new reference, as each CPython expression
 * leaves one on the value stack; operands are released as soon as the operation that consumed
 * them is done, so counts seen during a call are CPython's.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import * as ast from '../../ast.ts';
import type { Frame } from '../frame.ts';
import { attributeLoadSite } from '../attribute-sites.ts';
import { newSlice } from '../core-types.ts';
import { compareBool, compareOp, getItem, truthy, unaryOp } from '../operators.ts';
import { formatValue, conversion } from '../formatting.ts';
import type { CompileContext } from './context.ts';
import { loadName, loadNameBorrowed, storeName } from './names.ts';
import { compileCall } from './calls.ts';
import { compileBinOp, compileConstantBinOp, hasInlinePath, withoutIntermediates } from './arithmetic.ts';
import { compileComprehension, compileLambda } from './functions.ts';

export type Ev = (frame: Frame) => Ref;

export function compileExpr(c: CompileContext, node: ast.Expression): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  switch (node._type) {
    case 'Constant': {
      const value = constant(c, node.value, node);
      return () => {
        heap.incref(value);
        return value;
      };
    }
    case 'Name':
      return loadName(vm, c.scope, node.id);
    case 'Attribute': {
      const obj = compileExpr(c, node.value);
      const load = attributeLoadSite(vm, node.attr);
      return (f) => {
        const target = obj(f);
        try {
          return load(target);
        } finally {
          heap.decref(target);
        }
      };
    }
    case 'Subscript': {
      const obj = compileExpr(c, node.value);
      const key = compileExpr(c, node.slice);
      return (f) => {
        const target = obj(f);
        let k: Ref;
        try {
          k = key(f);
        } catch (error) {
          heap.decref(target);
          throw error;
        }
        try {
          return getItem(vm, target, k);
        } finally {
          heap.decref(target);
          heap.decref(k);
        }
      };
    }
    case 'Slice': {
      const parts = [node.lower, node.upper, node.step].map((part) => (part ? compileExpr(c, part) : null));
      return (f) => {
        const values = [NULL, NULL, NULL];
        try {
          for (let i = 0; i < 3; i++) values[i] = parts[i] ? parts[i]!(f) : NULL;
          return newSlice(vm, values[0]!, values[1]!, values[2]!);
        } finally {
          for (const value of values) if (value !== NULL) heap.decref(value);
        }
      };
    }
    case 'BinOp': {
      const right = node.right;
      if (right._type === 'Constant' && typeof right.value === 'bigint' && hasInlinePath(c, node.op, constant(c, right.value, right))) {
        const b = constant(c, right.value, right);
        if (node.left._type === 'Name') return compileConstantBinOp(c, node.op, loadNameBorrowed(vm, c.scope, node.left.id), b, true);
        const ordinary = compileConstantBinOp(c, node.op, compileExpr(c, node.left), b, false);
        return withoutIntermediates(c, node, ordinary);
      }
      const ordinary = compileBinOp(c, node.op, compileExpr(c, node.left), compileExpr(c, right));
      // A binop of names and constants makes no intermediate anyway; one with a binop inside does.
      return node.left._type === 'BinOp' || right._type === 'BinOp' ? withoutIntermediates(c, node, ordinary) : ordinary;
    }
    case 'UnaryOp': {
      const operand = compileExpr(c, node.operand);
      const op = node.op;
      if (op === 'Not') {
        return (f) => {
          const a = operand(f);
          try {
            return heap.newBool(!truthy(vm, a));
          } finally {
            heap.decref(a);
          }
        };
      }
      return (f) => {
        const a = operand(f);
        try {
          return unaryOp(vm, op, a);
        } finally {
          heap.decref(a);
        }
      };
    }
    case 'BoolOp': {
      const values = node.values.map((value) => compileExpr(c, value));
      const isAnd = node.op === 'And';
      return (f) => {
        let result = values[0]!(f);
        for (let i = 1; i < values.length; i++) {
          let t: boolean;
          try {
            t = truthy(vm, result);
          } catch (error) {
            heap.decref(result);
            throw error;
          }
          if (t !== isAnd) return result;
          heap.decref(result);
          result = values[i]!(f);
        }
        return result;
      };
    }
    case 'Compare':
      return compileCompare(c, node);
    case 'IfExp': {
      const test = compileTest(c, node.test);
      const body = compileExpr(c, node.body);
      const orelse = compileExpr(c, node.orelse);
      return (f) => (test(f) ? body(f) : orelse(f));
    }
    case 'Call':
      return compileCall(c, node);
    case 'List':
    case 'Tuple':
    case 'Set':
      return compileDisplay(c, node);
    case 'Dict':
      return compileDict(c, node);
    case 'ListComp':
    case 'SetComp':
    case 'DictComp':
    case 'GeneratorExp':
      return compileComprehension(c, node);
    case 'Lambda':
      return compileLambda(c, node);
    case 'JoinedStr':
      return compileJoinedStr(c, node);
    case 'FormattedValue': {
      const joined = compileJoinedStr(c, { ...node, _type: 'JoinedStr', values: [node] });
      return joined;
    }
    case 'NamedExpr': {
      const value = compileExpr(c, node.value);
      // The target binds in the nearest scope that is not a comprehension: the symtable has
      // marked it free in the comprehension, so the comprehension's own resolution reaches it.
      const store = storeName(vm, c.scope, node.target.id);
      return (f) => {
        const v = value(f);
        heap.incref(v);
        store(f, v);
        return v;
      };
    }
    case 'Starred':
      throw c.syntaxError(node.ctx === 'Store' ? 'starred assignment target must be in a list or tuple' : "can't use starred expression here", node);
    case 'Yield':
    case 'YieldFrom':
      if (c.scope.kind !== 'function') throw c.syntaxError(`'${node._type === 'Yield' ? 'yield' : 'yield from'}' outside function`, node);
      throw c.unsupported('yield inside a larger expression (assign it to a name first)', node);
  }
}

/** An expression evaluated for its truth only: comparisons of ints and strs make no bool object. */
export function compileTest(c: CompileContext, node: ast.Expression): (frame: Frame) => boolean {
  const vm = c.vm;
  const heap = vm.heap;
  if (node._type === 'UnaryOp' && node.op === 'Not') {
    const inner = compileTest(c, node.operand);
    return (f) => !inner(f);
  }
  if (node._type === 'Compare' && node.ops.length === 1 && !['Is', 'IsNot', 'In', 'NotIn'].includes(node.ops[0]!)) {
    // A loop condition like `i < n`: compared as JS values, no bool object in between.
    const op = node.ops[0] as 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE';
    const left = compileExpr(c, node.left);
    const right = compileExpr(c, node.comparators[0]!);
    return (f) => {
      const a = left(f);
      let b: Ref;
      try {
        b = right(f);
      } catch (error) {
        heap.decref(a);
        throw error;
      }
      try {
        return compareBool(vm, a, b, op);
      } finally {
        heap.decref(a);
        heap.decref(b);
      }
    };
  }
  const ev = compileExpr(c, node);
  return (f) => {
    const value = ev(f);
    if (value === heap.True) {
      heap.decref(value);
      return true;
    }
    if (value === heap.False) {
      heap.decref(value);
      return false;
    }
    try {
      return truthy(vm, value);
    } finally {
      heap.decref(value);
    }
  };
}

function compileCompare(c: CompileContext, node: ast.Compare): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const left = compileExpr(c, node.left);
  const rights = node.comparators.map((right) => compileExpr(c, right));
  const ops = node.ops;
  if (ops.length === 1) {
    const op = ops[0]!;
    const right = rights[0]!;
    return (f) => {
      const a = left(f);
      let b: Ref;
      try {
        b = right(f);
      } catch (error) {
        heap.decref(a);
        throw error;
      }
      try {
        return compareOp(vm, op, a, b);
      } finally {
        heap.decref(a);
        heap.decref(b);
      }
    };
  }
  // a < b < c: b is evaluated once, and the chain stops at the first false link.
  return (f) => {
    let a = left(f);
    try {
      for (let i = 0; i < ops.length; i++) {
        const b = rights[i]!(f);
        let result: Ref;
        try {
          result = compareOp(vm, ops[i]!, a, b);
        } catch (error) {
          heap.decref(b);
          throw error;
        }
        heap.decref(a);
        a = b;
        if (i === ops.length - 1) return result;
        let t: boolean;
        try {
          t = truthy(vm, result);
        } catch (error) {
          heap.decref(result);
          throw error;
        }
        if (!t) return result;
        heap.decref(result);
      }
      return heap.newNone();
    } finally {
      heap.decref(a);
    }
  };
}

/** Items of a list, tuple or set display, `*iterable` unpacked in place; new references. */
export function compileItems(c: CompileContext, elts: readonly ast.Expression[]): (frame: Frame) => Ref[] {
  const vm = c.vm;
  const heap = vm.heap;
  const parts = elts.map((elt) => (elt._type === 'Starred' ? { star: true, ev: compileExpr(c, elt.value) } : { star: false, ev: compileExpr(c, elt) }));
  const starred = parts.some((part) => part.star);
  if (!starred) {
    const evs = parts.map((part) => part.ev);
    return (f) => {
      const items = new Array<Ref>(evs.length);
      let i = 0;
      try {
        for (; i < evs.length; i++) items[i] = evs[i]!(f);
      } catch (error) {
        for (let j = 0; j < i; j++) heap.decref(items[j]!);
        throw error;
      }
      return items;
    };
  }
  return (f) => {
    const items: Ref[] = [];
    try {
      for (const part of parts) {
        const value = part.ev(f);
        if (!part.star) {
          items.push(value);
          continue;
        }
        try {
          for (const item of vm.listOf(value)) items.push(item);
        } catch (error) {
          const thrown = vm.toThrow(error);
          if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.TypeError) && /is not iterable/.test(vm.strOf(thrown.exc))) {
            heap.decref(thrown.exc);
            throw vm.typeError(`Value after * must be an iterable, not ${vm.typeName(value)}`);
          }
          throw thrown;
        } finally {
          heap.decref(value);
        }
      }
    } catch (error) {
      for (const item of items) heap.decref(item);
      throw error;
    }
    return items;
  };
}

function compileDisplay(c: CompileContext, node: ast.List | ast.Tuple | ast.Set): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  if (node._type === 'Tuple' && node.elts.every((elt) => elt._type === 'Constant')) {
    // A tuple of constants is itself a constant, as CPython's compiler folds it.
    const tuple = constantTuple(c, node.elts);
    return () => {
      heap.incref(tuple);
      return tuple;
    };
  }
  if (node._type !== 'Set' && node.elts.length > 0 && node.elts.length <= 4 && !node.elts.some((elt) => elt._type === 'Starred')) {
    if (node.elts.every((elt) => elt._type === 'Name' || elt._type === 'Constant')) return compileBorrowedDisplay(c, node._type === 'Tuple', node.elts);
    return compileShortDisplay(c, node._type === 'Tuple', node.elts);
  }
  const items = compileItems(c, node.elts);
  const make = node._type === 'List' ? (refs: Ref[]) => heap.newList(refs) : node._type === 'Tuple' ? (refs: Ref[]) => heap.newTuple(refs) : (refs: Ref[]) => heap.newSet(refs);
  return (f) => {
    const refs = items(f);
    try {
      return make(refs);
    } finally {
      for (const ref of refs) heap.decref(ref);
    }
  };
}

/**
 * `(a, b)` or `[a, b]`: as compileDisplay's general form, the items held in an array the
 * closure keeps for its next run rather than a new one each time. The array is taken while in
 * use, so a run that starts inside another (an item's call, a finalizer) makes its own.
 */
function compileShortDisplay(c: CompileContext, tuple: boolean, elts: readonly ast.Expression[]): Ev {
  const heap = c.vm.heap;
  const evs = elts.map((elt) => compileExpr(c, elt));
  const n = evs.length;
  const fresh = (): Ref[] => {
    const refs: Ref[] = [];
    for (let i = 0; i < n; i++) refs.push(0);
    return refs;
  };
  let spare: Ref[] | null = fresh();
  return (f) => {
    const refs = spare ?? fresh();
    spare = null;
    let i = 0;
    try {
      for (; i < n; i++) refs[i] = evs[i]!(f);
    } catch (error) {
      for (let j = 0; j < i; j++) heap.decref(refs[j]!);
      spare = refs;
      throw error;
    }
    try {
      return tuple ? heap.newTuple(refs) : heap.newList(refs);
    } finally {
      for (let j = 0; j < n; j++) heap.decref(refs[j]!);
      spare = refs;
    }
  };
}

/**
 * `(i, i)` or `[a, 1]`: items that are all names or constants are loaded borrowed and the
 * container takes its own references, the pairs of counts that CPython's LOAD_NAME and
 * BUILD_TUPLE make and unmake left out. Safe because nothing between the loads and the
 * container's increfs can run Python code: a load is a dict or frame read, and the new
 * container is tracked (so a collection and its finalizers can start) only once it holds its
 * items. Hence, too, one array for every run, re-entered or not: it is read before anything
 * else can run.
 */
function compileBorrowedDisplay(c: CompileContext, tuple: boolean, elts: readonly (ast.Name | ast.Constant)[]): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const loads = elts.map((elt): Ev => {
    if (elt._type === 'Name') return loadNameBorrowed(vm, c.scope, elt.id);
    const value = constant(c, elt.value, elt);
    return () => value;
  });
  const n = loads.length;
  const refs: Ref[] = loads.map(() => NULL);
  if (n === 2) {
    // A pair, the commonest display, unrolled: a call site per item that V8 can inline, where
    // the loop's one site sees every load of every display and stays a full call.
    const [first, second] = loads as [Ev, Ev];
    return (f) => {
      refs[0] = first(f);
      refs[1] = second(f);
      return tuple ? heap.newTuple(refs) : heap.newList(refs);
    };
  }
  return (f) => {
    for (let i = 0; i < n; i++) refs[i] = loads[i]!(f);
    return tuple ? heap.newTuple(refs) : heap.newList(refs);
  };
}

function compileDict(c: CompileContext, node: ast.Dict): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const entries = node.keys.map((key, i) => ({ key: key ? compileExpr(c, key) : null, value: compileExpr(c, node.values[i]!) }));
  return (f) => {
    const dict = heap.newDict();
    try {
      for (const entry of entries) {
        if (entry.key === null) {
          const mapping = entry.value(f);
          try {
            vm.mergeMapping(dict, mapping, false);
          } finally {
            heap.decref(mapping);
          }
          continue;
        }
        const key = entry.key(f);
        let value: Ref;
        try {
          value = entry.value(f);
        } catch (error) {
          heap.decref(key);
          throw error;
        }
        try {
          heap.dictSet(dict, key, value);
        } finally {
          heap.decref(key);
          heap.decref(value);
        }
      }
    } catch (error) {
      heap.decref(dict);
      throw error;
    }
    return dict;
  };
}

function compileJoinedStr(c: CompileContext, node: ast.JoinedStr): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const parts = node.values.map((part) => {
    if (part._type === 'Constant') {
      const text = part.value as string;
      return () => text;
    }
    const value = compileExpr(c, part.value);
    const spec = part.format_spec ? compileJoinedStr(c, part.format_spec) : null;
    const convert = part.conversion;
    return (f: Frame): string => {
      let v = value(f);
      try {
        if (convert !== -1) {
          const converted = conversion(vm, v, convert);
          heap.decref(v);
          v = converted;
        }
        let specText = '';
        if (spec) {
          const s = spec(f);
          specText = heap.valueOf(s) as string;
          heap.decref(s);
        }
        return formatValue(vm, v, specText);
      } finally {
        heap.decref(v);
      }
    };
  });
  return (f) => {
    let text = '';
    for (const part of parts) text += part(f);
    return heap.newStr(text, { intern: false });
  };
}

/**
 * A constant's object, made once per code object (equal constants of one code are one object,
 * as co_consts deduplicates them) and held twice by the code: `python3 file.py` shows
 * `x = 12345; sys.getrefcount(x)` as 4 — the name, the argument and two held by the code.
 */
export function constant(c: CompileContext, value: ast.ConstantValue, node: ast.Position): Ref {
  const heap = c.vm.heap;
  if (value === null) return heap.None;
  if (value === true) return heap.True;
  if (value === false) return heap.False;
  if (value === ast.Ellipsis) return c.vm.core.Ellipsis;
  return cached(c, constantKey(value), () => rawConstant(c, value, node), typeof value === 'string' && interns(value));
}

function cached(c: CompileContext, key: string, make: () => Ref, interned = false): Ref {
  const constants = c.constantsOf(c.scope);
  const known = constants.get(key);
  if (known !== undefined) return known;
  const ref = make();
  // An interned str is also held by the heap's intern table, which CPython's does not count:
  // that reference stands in for the code's second one.
  if (!interned) c.vm.heap.incref(ref);
  constants.set(key, ref);
  return ref;
}

/** Whether the heap interns this text when it makes a str of it (core's rule in newStr). */
function interns(value: string): boolean {
  return value.length <= 1 || /^[A-Za-z0-9_]+$/.test(value);
}

function constantTuple(c: CompileContext, elts: readonly ast.Constant[]): Ref {
  const heap = c.vm.heap;
  const key = `t(${elts.map((elt) => constantKey(elt.value)).join(',')})`;
  return cached(c, key, () => {
    const items = elts.map((elt) => rawConstant(c, elt.value, elt));
    try {
      return heap.newTuple(items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  });
}

function constantKey(value: ast.ConstantValue): string {
  if (typeof value === 'bigint') return `i${value}`;
  if (typeof value === 'number') return Object.is(value, -0) ? 'f-0' : `f${value}`;
  if (typeof value === 'string') return `s${value}`;
  if (value instanceof Uint8Array) return `b${[...value].join(',')}`;
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === ast.Ellipsis) return 'Ellipsis';
  return `c${value.real},${value.imag}`;
}

/** A new reference to a constant's object. */
function rawConstant(c: CompileContext, value: ast.ConstantValue, node: ast.Position): Ref {
  const heap = c.vm.heap;
  if (value === null) return heap.newNone();
  if (typeof value === 'boolean') return heap.newBool(value);
  if (value === ast.Ellipsis) {
    heap.incref(c.vm.core.Ellipsis);
    return c.vm.core.Ellipsis;
  }
  if (typeof value === 'bigint') return heap.newInt(value);
  if (typeof value === 'number') return heap.newFloat(value);
  if (typeof value === 'string') return heap.newStr(value);
  if (value instanceof Uint8Array) return heap.newBytes(value);
  throw c.unsupported('complex numbers', node);
}
