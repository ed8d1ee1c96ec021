/**
 * An int-like operand as a JS number, as CPython's PyNumber_AsSsize_t: a sequence's index, a
 * repeat count. Slices have their own arithmetic in types/slices.ts.
 */
import { Kind } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { VM } from './vm.ts';

const SSIZE_MAX = (1n << 63n) - 1n;
const SSIZE_MIN = -(1n << 63n);

/**
 * An int (or bool, or an object with __index__) as a JS number; TypeError with `message`
 * otherwise. Past Py_ssize_t, `overflow` is raised as CPython raises it (IndexError for a
 * subscript, OverflowError for a repeat count); with none the value clamps to the safe range.
 * Inside Py_ssize_t a value past 2⁵³ clamps too: it is out of range of any sequence either way.
 */
export function indexValue(vm: VM, value: Ref, message: string, overflow?: 'IndexError' | 'OverflowError'): number {
  const heap = vm.heap;
  const kind = heap.kindOf(value);
  if (kind === Kind.Int) {
    const v = heap.valueOf(value) as number | bigint;
    if (typeof v === 'number') return v;
    if (overflow !== undefined && (v > SSIZE_MAX || v < SSIZE_MIN)) {
      throw vm.error(overflow, `cannot fit '${vm.typeName(value)}' into an index-sized integer`);
    }
    return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  }
  if (kind === Kind.Bool) return value === heap.True ? 1 : 0;
  const method = vm.lookup(value, '__index__');
  if (method !== 0) {
    const result = vm.call(method, [value]);
    try {
      return indexValue(vm, result, message, overflow);
    } finally {
      heap.decref(result);
    }
  }
  throw vm.typeError(message);
}
