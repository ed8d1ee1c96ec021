/**
 * CPython's PySlice_GetIndicesEx (PySlice_Unpack + PySlice_AdjustIndices): a slice object's
 * start, stop and step (its slots 0, 1, 2) made concrete for a sequence of `length` items.
 * Indices past Py_ssize_t clamp, as CPython's _PyEval_SliceIndex does.
 */
import { Kind } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { VM } from '../vm.ts';

export interface SliceIndices {
  readonly start: number;
  readonly stop: number;
  readonly step: number;
  /** How many items the slice selects. */
  readonly count: number;
}

const MAX = Number.MAX_SAFE_INTEGER;

/** An index from a slice part: an int, a bool or an object with __index__; None is `fallback`. */
export function sliceIndex(vm: VM, ref: Ref, fallback: number): number {
  const heap = vm.heap;
  if (ref === heap.None) return fallback;
  let value: unknown;
  const kind = heap.kindOf(ref);
  if (kind === Kind.Int || kind === Kind.Bool) value = heap.valueOf(ref);
  else {
    const index = vm.classOf(ref).mro.some((cls) => heapHas(vm, cls.dict, '__index__'));
    if (!index) throw vm.typeError('slice indices must be integers or None or have an __index__ method');
    const result = vm.callMethod(ref, '__index__');
    try {
      value = heap.valueOf(result);
    } finally {
      heap.decref(result);
    }
  }
  const n = typeof value === 'boolean' ? Number(value) : Number(value);
  return Math.max(-MAX, Math.min(MAX, n));
}

function heapHas(vm: VM, dict: Ref, name: string): boolean {
  return vm.heap.dictGetStr(dict, name) !== 0;
}

/** The indices a slice object selects from a sequence of `length` items. */
export function sliceIndices(vm: VM, slice: Ref, length: number): SliceIndices {
  const heap = vm.heap;
  const step = sliceIndex(vm, heap.getSlot(slice, 2), 1);
  if (step === 0) throw vm.error('ValueError', 'slice step cannot be zero');
  let start = sliceIndex(vm, heap.getSlot(slice, 0), step < 0 ? MAX : 0);
  let stop = sliceIndex(vm, heap.getSlot(slice, 1), step < 0 ? -MAX - 1 : MAX);
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
  return { start, stop, step, count };
}

/** Whether `ref` is a slice object. */
export function isSlice(vm: VM, ref: Ref): boolean {
  return vm.classOf(ref) === vm.core.slice;
}
