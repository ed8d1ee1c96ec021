/**
 * An int-like operand as a JS number (PyNumber_AsSsize_t with clamping): a sequence's index, a
 * repeat count. Slices have their own arithmetic in types/slices.ts.
 */
import { Kind } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { VM } from './vm.ts';

/** An int (or bool, or an object with __index__) as a JS number clamped to the safe range; TypeError otherwise. */
export function indexValue(vm: VM, value: Ref, message: string): number {
  const heap = vm.heap;
  const kind = heap.kindOf(value);
  if (kind === Kind.Int) {
    const v = heap.valueOf(value) as number | bigint;
    if (typeof v === 'number') return v;
    return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  }
  if (kind === Kind.Bool) return value === heap.True ? 1 : 0;
  const method = vm.lookup(value, '__index__');
  if (method !== 0) {
    const result = vm.call(method, [value]);
    try {
      return indexValue(vm, result, message);
    } finally {
      heap.decref(result);
    }
  }
  throw vm.typeError(message);
}
