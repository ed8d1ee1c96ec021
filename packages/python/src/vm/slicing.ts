/**
 * Slice arithmetic (Objects/sliceobject.c): PySlice_Unpack and PySlice_AdjustIndices, the
 * clamping every sequence type applies to `seq[start:stop:step]`.
 */
import { Kind } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { VM } from './vm.ts';

export interface SliceRange {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  /** How many items the slice selects. */
  readonly length: number;
}

/** The indices a slice object selects from a sequence of `length` items. */
export function sliceIndices(vm: VM, slice: Ref, length: number): SliceRange {
  const heap = vm.heap;
  const part = (index: number, fallback: number): number => {
    const value = heap.getSlot(slice, index);
    if (value === heap.None) return fallback;
    return indexValue(vm, value, 'slice indices must be integers or None or have an __index__ method');
  };
  const step = part(2, 1);
  if (step === 0) throw vm.error('ValueError', 'slice step cannot be zero');
  let start = part(0, step < 0 ? Number.MAX_SAFE_INTEGER : 0);
  let stop = part(1, step < 0 ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER);
  if (start < 0) {
    start += length;
    if (start < 0) start = step < 0 ? -1 : 0;
  } else if (start >= length) start = step < 0 ? length - 1 : length;
  if (stop < 0) {
    stop += length;
    if (stop < 0) stop = step < 0 ? -1 : 0;
  } else if (stop >= length) stop = step < 0 ? length - 1 : length;
  let count = 0;
  if (step < 0) {
    if (stop < start) count = Math.floor((start - stop - 1) / -step) + 1;
  } else if (start < stop) count = Math.floor((stop - start - 1) / step) + 1;
  return { start, stop, step, length: count };
}

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
