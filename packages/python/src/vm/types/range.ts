/**
 * range and its iterator (Objects/rangeobject.c), and the slice type's methods
 * (Objects/sliceobject.c): slice(...), start/stop/step, indices(), repr and comparison.
 * A range keeps its start, stop, step and length as int objects, so big ranges work; its
 * iterator counts in JS numbers (bigints past 2**53).
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, PyClass } from '../classes.ts';
import { newSlice } from '../core-types.ts';
import { defineIteratorMethods } from '../iteration.ts';
import { compareBool, intOf, richCompare } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { noArgs } from './args.ts';
import { indexOf } from './int.ts';
import { NotImplementedRef, methO, oneArg } from './list.ts';
import { hashOf } from './object.ts';
import { isSlice, sliceIndices } from './slices.ts';
import { tupleHashOf } from './tuple.ts';

const START = 0;
const STOP = 1;
const STEP = 2;
const LENGTH = 3;
const MAX_SSIZE = (1n << 63n) - 1n;

type Int = number | bigint;
const big = (x: Int): bigint => (typeof x === 'bigint' ? x : BigInt(x));
const norm = (x: bigint): Int => (x >= -BigInt(Number.MAX_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x);

function rangeLength(start: bigint, stop: bigint, step: bigint): bigint {
  if (step > 0n) return start < stop ? (stop - start - 1n) / step + 1n : 0n;
  return start > stop ? (start - stop - 1n) / -step + 1n : 0n;
}

/** Each interpreter's range classes (made by installRange): one per VM, as each VM has its own heap. */
const rangeClasses = new WeakMap<VM, { readonly range: PyClass; readonly iterator: PyClass }>();

/** Where a range iterator is: the next value, the step, how many values are left. */
export interface RangeState {
  next: Int;
  step: Int;
  remaining: Int;
}

/**
 * The state of `it` when it is a range iterator, else null. A loop that owns the iterator steps
 * this state itself (the same object the iterator reads), skipping the slot read per item.
 */
export function rangeIteratorState(vm: VM, it: Ref): RangeState | null {
  const iterator = rangeClasses.get(vm)?.iterator;
  if (iterator === undefined || vm.heap.typeOf(it) !== iterator.instanceType) return null;
  return vm.heap.getSlotValue(it, 0) as RangeState;
}

/** A range iterator's next item as a new reference, or NULL at the end (its tp_iternext). */
export function rangeNext(vm: VM, state: RangeState): Ref {
  // Small enough for V8 to inline into the loops that call it; bigints go out of line.
  const remaining = state.remaining;
  const value = state.next;
  const step = state.step;
  if (typeof remaining === 'number' && typeof value === 'number' && typeof step === 'number') {
    if (remaining <= 0) return NULL;
    state.remaining = remaining - 1;
    const after = value + step;
    state.next = Number.isSafeInteger(after) ? after : big(value) + big(step);
    return vm.heap.newInt(value);
  }
  return rangeNextBig(vm, state);
}

/** rangeNext past 2**53: the state in bigints (folded back to numbers where safe). */
function rangeNextBig(vm: VM, state: RangeState): Ref {
  const heap = vm.heap;
  const remaining = state.remaining;
  const value = state.next;
  const step = state.step;
  if (big(remaining) <= 0n) return NULL;
  const at = big(value);
  state.remaining = norm(big(remaining) - 1n);
  state.next = norm(at + big(step));
  return heap.newInt(at);
}

/** A new range object. */
export function newRange(vm: VM, start: bigint, stop: bigint, step: bigint): Ref {
  const heap = vm.heap;
  const r = heap.newInstance(rangeClasses.get(vm)!.range.instanceType!);
  const parts = [start, stop, step, rangeLength(start, stop, step)];
  parts.forEach((value, i) => {
    const ref = heap.newInt(value);
    heap.setSlot(r, i, ref);
    heap.decref(ref);
  });
  return r;
}

/** Whether `x` is a JS number in int32's range: arithmetic on a few of them is exact in doubles. */
const small = (x: Int): x is number => typeof x === 'number' && x >= -0x80000000 && x <= 0x7fffffff;

/** range_new's ints as an int of the range: an exact int is kept as it is (PyNumber_Index returns it), anything else becomes a new int. */
function rangePart(vm: VM, arg: Ref, value: Int): Ref {
  if (vm.classOf(arg) === vm.core.int) {
    vm.heap.incref(arg);
    return arg;
  }
  return vm.heap.newInt(value);
}

/**
 * `range(...)` of ints already converted by `__index__` (`values`, one per argument, with the
 * argument objects in `args`), as range_new and make_range_object build it: the start, stop and
 * step ints, then the length, then the range object holding the four. Counted in JS numbers
 * when every value is int32-sized, in bigints otherwise.
 */
function constructRange(vm: VM, args: readonly Ref[], values: readonly Int[]): Ref {
  const heap = vm.heap;
  const one = values.length === 1;
  const startValue = one ? 0 : values[0]!;
  const stopValue = one ? values[0]! : values[1]!;
  const stepValue = values.length === 3 ? values[2]! : 1;
  if (stepValue === 0 || stepValue === 0n) throw vm.error('ValueError', 'range() arg 3 must not be zero');
  let lengthValue: Int;
  if (small(startValue) && small(stopValue) && small(stepValue)) {
    if (stepValue > 0) lengthValue = startValue < stopValue ? Math.floor((stopValue - startValue - 1) / stepValue) + 1 : 0;
    else lengthValue = startValue > stopValue ? Math.floor((startValue - stopValue - 1) / -stepValue) + 1 : 0;
  } else {
    lengthValue = norm(rangeLength(big(startValue), big(stopValue), big(stepValue)));
  }
  const parts: Ref[] = [];
  try {
    parts.push(one ? heap.newInt(0) : rangePart(vm, args[0]!, startValue));
    parts.push(rangePart(vm, one ? args[0]! : args[1]!, stopValue));
    parts.push(values.length === 3 ? rangePart(vm, args[2]!, stepValue) : heap.newInt(1));
    parts.push(heap.newInt(lengthValue));
    const r = heap.newInstance(rangeClasses.get(vm)!.range.instanceType!);
    for (let i = 0; i < 4; i++) heap.setSlot(r, i, parts[i]!);
    return r;
  } finally {
    for (const part of parts) heap.decref(part);
  }
}

export function installRange(vm: VM): void {
  const heap = vm.heap;
  const range = vm.nativeClass('range', { slots: ['start', 'stop', 'step', 'length'] });
  const def = (name: string, fn: (vm: VM, args: readonly Ref[], kw: Kwargs | null) => Ref): void => vm.defineMethod(range, name, fn);
  const part = (r: Ref, i: number): bigint => big(intOf(vm, heap.getSlot(r, i))!);

  range.construct = (vm, _cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('range() takes no keyword arguments');
    if (args.length === 0) throw vm.typeError('range expected at least 1 argument, got 0');
    if (args.length > 3) throw vm.typeError(`range expected at most 3 arguments, got ${args.length}`);
    return constructRange(vm, args, args.map((a) => indexOf(vm, a)));
  };

  const length = (r: Ref): bigint => part(r, LENGTH);
  const itemAt = (r: Ref, i: bigint): bigint => part(r, START) + i * part(r, STEP);
  const has = (r: Ref, x: bigint): boolean => {
    const start = part(r, START);
    const stop = part(r, STOP);
    const step = part(r, STEP);
    if (step > 0n ? x < start || x >= stop : x > start || x <= stop) return false;
    return (x - start) % step === 0n;
  };
  const isIntExact = (ref: Ref): boolean => {
    const k = heap.kindOf(ref);
    return k === Kind.Int || k === Kind.Bool;
  };

  def('__len__', (vm, args) => {
    const n = length(args[0]!);
    if (n > MAX_SSIZE) throw vm.error('OverflowError', 'Python int too large to convert to C ssize_t');
    return heap.newInt(n);
  });
  def('__bool__', (vm, args) => heap.newBool(length(args[0]!) > 0n));
  def('__contains__', (vm, args) => {
    const x = oneArg(vm, '__contains__', args);
    if (isIntExact(x)) return heap.newBool(has(args[0]!, big(intOf(vm, x)!)));
    const n = length(args[0]!);
    for (let i = 0n; i < n; i++) {
      const item = heap.newInt(itemAt(args[0]!, i));
      try {
        if (compareBool(vm, item, x, 'Eq')) return heap.newBool(true);
      } finally {
        heap.decref(item);
      }
    }
    return heap.newBool(false);
  });
  def('index', (vm, args, kw) => {
    const x = methO(vm, 'range.index', args, kw);
    const r = args[0]!;
    if (isIntExact(x)) {
      const v = big(intOf(vm, x)!);
      if (has(r, v)) return heap.newInt((v - part(r, START)) / part(r, STEP));
    } else {
      const n = length(r);
      for (let i = 0n; i < n; i++) {
        const item = heap.newInt(itemAt(r, i));
        try {
          if (compareBool(vm, item, x, 'Eq')) return heap.newInt(i);
        } finally {
          heap.decref(item);
        }
      }
    }
    if (!isIntExact(x)) throw vm.error('ValueError', 'sequence.index(x): x not in sequence');
    throw vm.error('ValueError', `${repr(vm, x)} is not in range`);
  });
  def('count', (vm, args, kw) => {
    const x = methO(vm, 'range.count', args, kw);
    const r = args[0]!;
    if (isIntExact(x)) return heap.newInt(has(r, big(intOf(vm, x)!)) ? 1 : 0);
    let count = 0;
    const n = length(r);
    for (let i = 0n; i < n; i++) {
      const item = heap.newInt(itemAt(r, i));
      try {
        if (compareBool(vm, item, x, 'Eq')) count++;
      } finally {
        heap.decref(item);
      }
    }
    return heap.newInt(count);
  });
  def('__getitem__', (vm, args) => {
    const key = oneArg(vm, '__getitem__', args);
    const r = args[0]!;
    const n = length(r);
    if (isSlice(vm, key)) {
      const s = sliceIndices(vm, key, Number(n > BigInt(Number.MAX_SAFE_INTEGER) ? BigInt(Number.MAX_SAFE_INTEGER) : n));
      const step = part(r, STEP);
      const start = itemAt(r, BigInt(s.start));
      const stop = itemAt(r, BigInt(s.stop));
      return newRange(vm, start, stop, step * BigInt(s.step));
    }
    let i: bigint;
    try {
      i = big(indexOf(vm, key));
    } catch (error) {
      const thrown = vm.toThrow(error);
      heap.decref(thrown.exc);
      throw vm.typeError(`range indices must be integers or slices, not ${vm.typeName(key)}`);
    }
    if (i < 0n) i += n;
    if (i < 0n || i >= n) throw vm.error('IndexError', 'range object index out of range');
    return heap.newInt(itemAt(r, i));
  });
  def('__repr__', (vm, args) => {
    const r = args[0]!;
    const step = part(r, STEP);
    const text = `range(${part(r, START)}, ${part(r, STOP)}${step === 1n ? '' : `, ${step}`})`;
    return heap.newStr(text, { intern: false });
  });
  const equal = (a: Ref, b: Ref): boolean => {
    if (a === b) return true;
    const n = length(a);
    if (n !== length(b)) return false;
    if (n === 0n) return true;
    if (part(a, START) !== part(b, START)) return false;
    if (n === 1n) return true;
    return part(a, STEP) === part(b, STEP);
  };
  for (const [name, want] of [['__eq__', true], ['__ne__', false]] as const) {
    def(name, (vm, args) => {
      const other = oneArg(vm, name, args);
      if (vm.classOf(other) !== range) return NotImplementedRef(vm);
      return heap.newBool(equal(args[0]!, other) === want);
    });
  }
  def('__hash__', (vm, args) => {
    const r = args[0]!;
    const n = length(r);
    const noneHash = hashOf(vm, heap.None);
    const hashes = [hashOf(vm, heap.getSlot(r, LENGTH))];
    if (n === 0n) hashes.push(noneHash, noneHash);
    else if (n === 1n) hashes.push(hashOf(vm, heap.getSlot(r, START)), noneHash);
    else hashes.push(hashOf(vm, heap.getSlot(r, START)), hashOf(vm, heap.getSlot(r, STEP)));
    return heap.newInt(tupleHashOf(hashes));
  });
  for (const [name, index] of [['start', START], ['stop', STOP], ['step', STEP]] as const) {
    range.getset.set(name, {
      get: (vm, self) => {
        const ref = heap.getSlot(self, index);
        heap.incref(ref);
        return ref;
      },
    });
  }
  def('__reduce__', (vm, args) => {
    const r = args[0]!;
    const parts = heap.newTuple([heap.getSlot(r, START), heap.getSlot(r, STOP), heap.getSlot(r, STEP)]);
    const t = heap.newTuple([range.object, parts]);
    heap.decref(parts);
    return t;
  });

  // ─── Iterator ──────────────────────────────────────────────────────────────
  const iterator = vm.nativeClass('range_iterator', { slots: [{ name: 'state', kind: 'js' }] });
  rangeClasses.set(vm, { range, iterator });
  iterator.iterNext = (vm, it) => rangeNext(vm, heap.getSlotValue(it, 0) as RangeState);
  defineIteratorMethods(vm, iterator);
  vm.defineMethod(iterator, '__length_hint__', (vm, args) => {
    const state = heap.getSlotValue(args[0]!, 0) as RangeState;
    const rem = big(state.remaining);
    return heap.newInt(rem > 0n ? rem : 0n);
  });
  const newIterator = (start: Int, step: Int, count: Int): Ref => {
    const it = heap.newInstance(iterator.instanceType!);
    heap.setSlotValue(it, 0, { next: start, step, remaining: count } satisfies RangeState);
    return it;
  };
  /** range_iter: the iterator over a range (its ints read as they are, numbers while safe). */
  const rangeIter = (vm: VM, r: Ref): Ref => {
    const start = intOf(vm, heap.getSlot(r, START))!;
    const step = intOf(vm, heap.getSlot(r, STEP))!;
    const count = intOf(vm, heap.getSlot(r, LENGTH))!;
    if (typeof start === 'number' && typeof step === 'number' && typeof count === 'number') return newIterator(start, step, count);
    return newIterator(norm(big(start)), norm(big(step)), norm(big(count)));
  };
  range.nativeIter = rangeIter;
  def('__iter__', (vm, args) => rangeIter(vm, args[0]!));
  def('__reversed__', (vm, args) => {
    const r = args[0]!;
    const n = length(r);
    const step = part(r, STEP);
    return newIterator(norm(part(r, START) + (n - 1n) * step), norm(-step), norm(n));
  });

  installSlice(vm);
}

function installSlice(vm: VM): void {
  const heap = vm.heap;
  const slice = vm.core.slice;
  slice.construct = (vm, _cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('slice() takes no keyword arguments');
    if (args.length === 0) throw vm.typeError('slice expected at least 1 argument, got 0');
    if (args.length > 3) throw vm.typeError(`slice expected at most 3 arguments, got ${args.length}`);
    if (args.length === 1) return newSlice(vm, NULL, args[0]!, NULL);
    return newSlice(vm, args[0]!, args[1]!, args[2] ?? NULL);
  };
  for (const [name, index] of [['start', 0], ['stop', 1], ['step', 2]] as const) {
    slice.getset.set(name, {
      get: (vm, self) => {
        const ref = heap.getSlot(self, index);
        const out = ref === NULL ? heap.None : ref;
        heap.incref(out);
        return out;
      },
    });
  }
  const asTuple = (s: Ref): Ref => heap.newTuple([0, 1, 2].map((i) => heap.getSlot(s, i) || heap.None));
  vm.defineMethod(slice, 'indices', (vm, args) => {
    const lengthRef = oneArg(vm, 'indices', args);
    const length = big(indexOf(vm, lengthRef));
    if (length < 0n) throw vm.error('ValueError', 'length should not be negative');
    const s = sliceIndices(vm, args[0]!, Number(length));
    const parts = [s.start, s.stop, s.step].map((v) => heap.newInt(v));
    const t = heap.newTuple(parts);
    for (const p of parts) heap.decref(p);
    return t;
  });
  vm.defineMethod(slice, '__repr__', (vm, args) => {
    const s = args[0]!;
    const parts = [0, 1, 2].map((i) => repr(vm, heap.getSlot(s, i) || heap.None));
    return heap.newStr(`slice(${parts.join(', ')})`, { intern: false });
  });
  for (const [name, op] of [['__eq__', 'Eq'], ['__ne__', 'NotEq'], ['__lt__', 'Lt'], ['__le__', 'LtE'], ['__gt__', 'Gt'], ['__ge__', 'GtE']] as const) {
    vm.defineMethod(slice, name, (vm, args) => {
      const other = oneArg(vm, name, args);
      if (vm.classOf(other) !== slice) return NotImplementedRef(vm);
      const a = asTuple(args[0]!);
      const b = asTuple(other);
      try {
        return richCompare(vm, a, b, op);
      } finally {
        heap.decref(a);
        heap.decref(b);
      }
    });
  }
  vm.defineMethod(slice, '__reduce__', (vm, args) => {
    const parts = asTuple(args[0]!);
    const t = heap.newTuple([slice.object, parts]);
    heap.decref(parts);
    return t;
  });
  vm.setItemStr(slice.dict, '__hash__', heap.None);
  void noArgs;
}
