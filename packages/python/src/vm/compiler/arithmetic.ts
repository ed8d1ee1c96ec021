/**
 * Binary operators compiled per operator: `+`, `-` and `*` of two ints whose result fits a JS
 * number are done inline (CPython's BINARY_OP on two compact ints); anything else goes to
 * operators.ts's binaryOp / inplaceOp, which handle every type. A constant operand is used
 * without taking a reference of its own on the inline path, where no Python code can look
 * at its count; the general path takes one, as CPython's LOAD_CONST does.
 */
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import type { Frame } from '../frame.ts';
import { binaryOp, inplaceOp } from '../operators.ts';
import type { CompileContext } from './context.ts';
import { loadNameBorrowed } from './names.ts';

/** An expression's closure (expressions.ts's Ev): a new reference. */
type Ev = (frame: Frame) => Ref;

const SAFE = Number.MAX_SAFE_INTEGER;

/** The inline result of `x op y` for two safe-integer operands, or undefined when it needs the general path. */
type IntFast = (x: number, y: number) => number | undefined;

export const INT_FAST: Partial<Record<ast.Operator, IntFast>> = {
  Add: (x, y) => {
    const r = x + y;
    return r <= SAFE && r >= -SAFE ? r : undefined;
  },
  Sub: (x, y) => {
    const r = x - y;
    return r <= SAFE && r >= -SAFE ? r : undefined;
  },
  Mult: (x, y) => {
    const r = x * y;
    return r <= SAFE && r >= -SAFE ? (r === 0 ? 0 : r) : undefined;
  },
};

/** `a op b` (inplace for `a op= b`) of two owned operands; releases both, returns a new reference. */
export function applyOwned(c: CompileContext, op: ast.Operator, inplace: boolean): (a: Ref, b: Ref) => Ref {
  const vm = c.vm;
  const heap = vm.heap;
  const fast = INT_FAST[op];
  const general = inplace ? inplaceOp : binaryOp;
  return (a, b) => {
    if (fast !== undefined) {
      const x = heap.safeIntValue(a);
      if (x !== undefined) {
        const y = heap.safeIntValue(b);
        if (y !== undefined) {
          const r = fast(x, y);
          if (r !== undefined) {
            const result = heap.newInt(r);
            heap.decref(a);
            heap.decref(b);
            return result;
          }
        }
      }
    }
    try {
      return general(vm, op, a, b);
    } finally {
      heap.decref(a);
      heap.decref(b);
    }
  };
}

/** Whether `x op b` has an inline path for a constant `b`: `op` is + - * and `b` an int held as a JS number. */
export function hasInlinePath(c: CompileContext, op: ast.Operator, b: Ref): boolean {
  return INT_FAST[op] !== undefined && c.vm.heap.safeIntValue(b) !== undefined;
}

/**
 * `left op b` for a constant int `b` (`i * 2`, `n - 1`), when hasInlinePath says there is one. With `borrowed`, `left` gives a borrowed reference (a name's value,
 * held by its frame or dict): the inline path needs none of its own, as making an int runs no
 * Python code that could drop it; the general path takes one first.
 */
export function compileConstantBinOp(c: CompileContext, op: ast.Operator, left: Ev, b: Ref, borrowed: boolean): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const fast = INT_FAST[op];
  const y = heap.safeIntValue(b);
  if (fast === undefined || y === undefined) throw new Error('refheap-python: no inline path for this operator and constant');
  return (f: Frame) => {
    const a = left(f);
    const x = heap.safeIntValue(a);
    if (x !== undefined) {
      const r = fast(x, y);
      if (r !== undefined) {
        const result = heap.newInt(r);
        if (!borrowed) heap.decref(a);
        return result;
      }
    }
    if (borrowed) heap.incref(a);
    heap.incref(b);
    try {
      return binaryOp(vm, op, a, b);
    } finally {
      heap.decref(a);
      heap.decref(b);
    }
  };
}

/** `left op right`. */
export function compileBinOp(c: CompileContext, op: ast.Operator, left: Ev, right: Ev): Ev {
  const heap = c.vm.heap;
  const apply = applyOwned(c, op, false);
  return (f: Frame) => {
    const a = left(f);
    let b: Ref;
    try {
      b = right(f);
    } catch (error) {
      heap.decref(a);
      throw error;
    }
    return apply(a, b);
  };
}

/**
 * An int-valued expression's value as a JS number, made without the intermediate int objects
 * CPython would make and free at once: the closure gives undefined where that does not apply
 * (an operand that is not an int held as a number, a result past 2**53), and the caller then
 * runs the expression's ordinary closure from the start.
 */
export type IntEv = (frame: Frame) => number | undefined;

/**
 * The IntEv of a name, an int constant, or `+ - *` of two such expressions; null for any other
 * shape. Evaluating one has no effect but the errors the ordinary closure would raise first —
 * a name that is not bound, raised in the same left-to-right order — and it stops at the first
 * operand that is not an int, before looking at any later one; so falling back to the ordinary
 * closure redoes nothing that was done. No Python code runs in it (loads and int arithmetic),
 * so a borrowed operand cannot be dropped before it is read.
 */
export function compileIntExpr(c: CompileContext, node: ast.Expression): IntEv | null {
  const heap = c.vm.heap;
  switch (node._type) {
    case 'Name': {
      const load = loadNameBorrowed(c.vm, c.scope, node.id);
      return (f) => heap.safeIntValue(load(f));
    }
    case 'Constant': {
      if (typeof node.value !== 'bigint') return null;
      const value = Number(node.value);
      if (!Number.isSafeInteger(value)) return null;
      return () => value;
    }
    case 'BinOp': {
      const fast = INT_FAST[node.op];
      if (fast === undefined) return null;
      const left = compileIntExpr(c, node.left);
      const right = left === null ? null : compileIntExpr(c, node.right);
      if (left === null || right === null) return null;
      return (f) => {
        const x = left(f);
        if (x === undefined) return undefined;
        const y = right(f);
        return y === undefined ? undefined : fast(x, y);
      };
    }
    default:
      return null;
  }
}

/**
 * `ordinary`, tried first without intermediates where `node` has an IntEv: the result is the one
 * int made. Not while anything observes allocations (tracemalloc, a free observer), which would
 * see the intermediates missing.
 */
export function withoutIntermediates(c: CompileContext, node: ast.Expression, ordinary: Ev): Ev {
  const value = compileIntExpr(c, node);
  if (value === null) return ordinary;
  const heap = c.vm.heap;
  return (f) => {
    if (!heap.allocationsObserved) {
      const v = value(f);
      if (v !== undefined) return heap.newInt(v);
    }
    return ordinary(f);
  };
}
