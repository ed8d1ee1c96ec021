/**
 * list (Objects/listobject.c): its methods, slice assignment and deletion, a stable merge sort
 * that compares through the VM (so user `__lt__` and its errors behave as CPython's), and the
 * reverse iterator. Where a list's contents are rebuilt, the new items are held first and the
 * old ones released last, once the list is whole again — a `__del__` run by the release sees a
 * consistent list.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import { getIter, iterNext, listOf, defineIteratorMethods } from '../iteration.ts';
import { compareBool, contains, getItem, intOf, richCompare, truthy } from '../operators.ts';
import { repr } from '../repr.ts';
import { indexOf } from './int.ts';
import type { VM } from '../vm.ts';
import { intArg, noArgs, parseArgs } from './args.ts';
import { indexValue } from '../indexes.ts';
import { isSlice, sliceIndices } from './slices.ts';

export const NotImplementedRef = (vm: VM): Ref => {
  vm.heap.incref(vm.core.NotImplemented);
  return vm.core.NotImplemented;
};

/** The arity check of a one-argument dunder (its argument). */
export function oneArg(vm: VM, name: string, args: readonly Ref[]): Ref {
  if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
  void name;
  return args[1]!;
}

/** The argument of a METH_O method, with CPython's messages. */
export function methO(vm: VM, qualname: string, args: readonly Ref[], kw: Kwargs | null): Ref {
  if (kw && kw.names.length > 0) throw vm.typeError(`${qualname}() takes no keyword arguments`);
  if (args.length !== 2) throw vm.typeError(`${qualname}() takes exactly one argument (${args.length - 1} given)`);
  return args[1]!;
}

/** An index argument as a JS number: OverflowError past Py_ssize_t, as CPython's. */
export function ssizeArg(vm: VM, ref: Ref): number {
  const v = indexOf(vm, ref);
  if (typeof v === 'bigint') {
    if (v >= 1n << 63n || v < -(1n << 63n)) throw vm.error('OverflowError', 'Python int too large to convert to C ssize_t');
    return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  }
  return v;
}

/** A slice-like bound of index(): an int or __index__, never None. */
function boundArg(vm: VM, ref: Ref): number {
  const heap = vm.heap;
  const k = heap.kindOf(ref);
  if (k !== Kind.Int && k !== Kind.Bool && lookupMethod(vm, ref, '__index__') === NULL) {
    throw vm.typeError('slice indices must be integers or have an __index__ method');
  }
  const v = indexOf(vm, ref);
  if (typeof v === 'bigint') return v > 0n ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER;
  return v;
}

/** A list's items as borrowed refs. */
function itemsOf(vm: VM, list: Ref): Ref[] {
  const heap = vm.heap;
  const n = heap.length(list);
  const out = new Array<Ref>(n);
  for (let i = 0; i < n; i++) out[i] = heap.item(list, i);
  return out;
}

/** Replaces the whole contents of `list` with `items` (borrowed; may be the list's own). */
export function replaceContents(vm: VM, list: Ref, items: readonly Ref[]): void {
  const heap = vm.heap;
  for (const item of items) heap.incref(item);
  const old: Ref[] = [];
  while (heap.length(list) > 0) old.push(heap.pop(list));
  for (const item of items) heap.append(list, item);
  for (const item of items) heap.decref(item);
  for (const item of old) heap.decref(item);
}

/** `list.insert(index, value)` at an already clamped index. */
export function insertAt(vm: VM, list: Ref, index: number, value: Ref): void {
  const heap = vm.heap;
  heap.append(list, value);
  const n = heap.length(list);
  for (let j = n - 1; j > index; j--) heap.setItem(list, j, heap.item(list, j - 1));
  heap.setItem(list, index, value);
}

/**
 * `seq.index(value, start, stop)`'s bounds, clamped as CPython's slice-like arguments are.
 */
export function searchBounds(vm: VM, start: Ref, stop: Ref, n: number): [number, number] {
  let lo = start === NULL ? 0 : boundArg(vm, start);
  let hi = stop === NULL ? n : boundArg(vm, stop);
  if (lo < 0) lo = Math.max(0, lo + n);
  if (hi < 0) hi = Math.max(0, hi + n);
  return [lo, Math.min(hi, n)];
}

/** A stable merge sort comparing with `lt(a, b)`; exceptions propagate with `keys` untouched. */
export function mergeSort(order: number[], lt: (a: number, b: number) => boolean): number[] {
  const n = order.length;
  if (n < 2) return order;
  // Binary insertion sort for short runs.
  if (n <= 16) {
    const out = order.slice();
    for (let i = 1; i < n; i++) {
      const x = out[i]!;
      let lo = 0;
      let hi = i;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lt(x, out[mid]!)) hi = mid;
        else lo = mid + 1;
      }
      for (let j = i; j > lo; j--) out[j] = out[j - 1]!;
      out[lo] = x;
    }
    return out;
  }
  const mid = n >> 1;
  const left = mergeSort(order.slice(0, mid), lt);
  const right = mergeSort(order.slice(mid), lt);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (lt(right[j]!, left[i]!)) out.push(right[j++]!);
    else out.push(left[i++]!);
  }
  while (i < left.length) out.push(left[i++]!);
  while (j < right.length) out.push(right[j++]!);
  return out;
}

/** The keys' JS values when comparing those is comparing the objects; null otherwise. */
/** A str key with astral characters, ordered by code points. */
class CodePoints {
  readonly points: Uint32Array;
  constructor(s: string) {
    this.points = Uint32Array.from(s, (c) => c.codePointAt(0)!);
  }
}

function lessThan(a: number | string | CodePoints, b: number | string | CodePoints): boolean {
  if (typeof a !== 'object' && typeof b !== 'object') return a < b;
  const x = typeof a === 'object' ? a.points : Uint32Array.from(a as string, (c) => c.codePointAt(0)!);
  const y = typeof b === 'object' ? b.points : Uint32Array.from(b as string, (c) => c.codePointAt(0)!);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
  return x.length < y.length;
}

function plainKeys(vm: VM, keys: readonly Ref[]): (number | string | CodePoints)[] | null {
  const heap = vm.heap;
  if (keys.length < 2) return null;
  const first = heap.kindOf(keys[0]!);
  const out = new Array<number | string | CodePoints>(keys.length);
  if (first === Kind.Str) {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (heap.kindOf(key) !== Kind.Str || vm.classOf(key) !== vm.core.str) return null;
      const s = heap.valueOf(key) as string;
      // Code units order astral characters below U+E000…U+FFFF; code points do not.
      out[i] = /[\ud800-\udfff]/.test(s) ? new CodePoints(s) : s;
    }
    return out;
  }
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const kind = heap.kindOf(key);
    if (kind === Kind.Bool) out[i] = key === heap.True ? 1 : 0;
    else if (kind === Kind.Int || kind === Kind.Float) {
      const v = heap.valueOf(key);
      if (typeof v !== 'number' || Number.isNaN(v)) return null;
      out[i] = v;
    } else return null;
  }
  return out;
}

/** list.sort(*, key=None, reverse=False). */
export function sortList(vm: VM, list: Ref, key: Ref, reverse: boolean): void {
  const heap = vm.heap;
  // Take the items out, as CPython empties the list while it sorts.
  const items: Ref[] = [];
  const n = heap.length(list);
  for (let i = 0; i < n; i++) {
    const item = heap.item(list, i);
    heap.incref(item);
    items.push(item);
  }
  const old: Ref[] = [];
  while (heap.length(list) > 0) old.push(heap.pop(list));
  const keys: Ref[] = [];
  let failed = false;
  let error: unknown = null;
  let order = items.map((_, i) => i);
  try {
    if (key !== NULL && key !== heap.None) for (const item of items) keys.push(vm.call(key, [item]));
    const ks = keys.length > 0 ? keys : items;
    if (reverse) order.reverse();
    const plain = plainKeys(vm, ks);
    // Keys all numbers (no NaN) or all BMP-only strs: JS compares them as Python would (CPython's
    // unsafe_long_compare and friends); Array.prototype.sort is stable.
    if (plain !== null) order.sort((a, b) => (lessThan(plain[a]!, plain[b]!) ? -1 : lessThan(plain[b]!, plain[a]!) ? 1 : 0));
    else order = mergeSort(order, (a, b) => compareBool(vm, ks[a]!, ks[b]!, 'Lt'));
    if (reverse) order.reverse();
  } catch (caught) {
    failed = true;
    error = caught;
    order = items.map((_, i) => i);
  }
  const modified = heap.length(list) > 0;
  const extra: Ref[] = [];
  while (heap.length(list) > 0) extra.push(heap.pop(list));
  for (const i of order) heap.append(list, items[i]!);
  for (const item of items) heap.decref(item);
  for (const k of keys) heap.decref(k);
  for (const item of old) heap.decref(item);
  for (const item of extra) heap.decref(item);
  if (failed) throw vm.toThrow(error);
  if (modified) throw vm.error('ValueError', 'list modified during sort');
}

/** `list[slice] = items` (items borrowed, already materialized). */
function assignSlice(vm: VM, list: Ref, slice: Ref, items: readonly Ref[]): void {
  const heap = vm.heap;
  const n = heap.length(list);
  const range = sliceIndices(vm, slice, n);
  if (range.step === 1) {
    const stop = Math.max(range.start, range.stop);
    const current = itemsOf(vm, list);
    replaceContents(vm, list, [...current.slice(0, range.start), ...items, ...current.slice(stop)]);
    return;
  }
  if (items.length !== range.count) {
    throw vm.error('ValueError', `attempt to assign sequence of size ${items.length} to extended slice of size ${range.count}`);
  }
  for (const item of items) heap.incref(item);
  const old: Ref[] = [];
  for (let i = 0, at = range.start; i < range.count; i++, at += range.step) {
    const prev = heap.item(list, at);
    heap.incref(prev);
    old.push(prev);
    heap.setItem(list, at, items[i]!);
  }
  for (const item of items) heap.decref(item);
  for (const item of old) heap.decref(item);
}

function deleteSlice(vm: VM, list: Ref, slice: Ref): void {
  const heap = vm.heap;
  const n = heap.length(list);
  const range = sliceIndices(vm, slice, n);
  const drop = new Set<number>();
  for (let i = 0, at = range.start; i < range.count; i++, at += range.step) drop.add(at);
  if (drop.size === 0) return;
  const current = itemsOf(vm, list);
  replaceContents(vm, list, current.filter((_, i) => !drop.has(i)));
}

function listIndex(vm: VM, list: Ref, key: Ref, what: string): number {
  const heap = vm.heap;
  let i = indexValue(vm, key, `list indices must be integers or slices, not ${vm.typeName(key)}`, 'IndexError');
  const n = heap.length(list);
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw vm.error('IndexError', `${what} index out of range`);
  return i;
}

function repeatCount(vm: VM, ref: Ref): number | undefined {
  const heap = vm.heap;
  const k = heap.kindOf(ref);
  if (k === Kind.Int || k === Kind.Bool) return intArg(vm, ref);
  if (k === Kind.Float || k === Kind.Str || k === Kind.List || k === Kind.Tuple) return undefined;
  if (vm.classOf(ref).mro.some((c) => heap.dictGetStr(c.dict, '__index__') !== NULL)) return intArg(vm, ref);
  return undefined;
}

function construct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  if (kw && kw.names.length > 0) throw vm.typeError('list() takes no keyword arguments');
  if (args.length > 1) throw vm.typeError(`list expected at most 1 argument, got ${args.length}`);
  if (args.length === 0) return vm.heap.newList();
  const items = listOf(vm, args[0]!);
  const list = vm.heap.newList(items);
  for (const item of items) vm.heap.decref(item);
  return list;
}

export function installList(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.list;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  cls.construct = construct;
  const None = (): Ref => heap.newNone();

  def('append', (vm, args, kw) => {
    const value = methO(vm, 'list.append', args, kw);
    heap.append(args[0]!, value);
    return None();
  });
  def('extend', (vm, args, kw) => {
    const iterable = methO(vm, 'list.extend', args, kw);
    const items = listOf(vm, iterable);
    for (const item of items) {
      heap.append(args[0]!, item);
      heap.decref(item);
    }
    return None();
  });
  def('insert', (vm, args, kw) => {
    if ((!kw || kw.names.length === 0) && args.length !== 3) throw vm.typeError(`insert expected 2 arguments, got ${args.length - 1}`);
    const [indexRef, value] = parseArgs(vm, 'insert', args, kw, ['index', 'object'], 2);
    const n = heap.length(args[0]!);
    let i = ssizeArg(vm, indexRef!);
    if (i < 0) i = Math.max(0, i + n);
    if (i > n) i = n;
    insertAt(vm, args[0]!, i, value!);
    return None();
  });
  def('remove', (vm, args, kw) => {
    const value = methO(vm, 'list.remove', args, kw);
    const list = args[0]!;
    for (let i = 0; i < heap.length(list); i++) {
      const item = heap.item(list, i);
      if (item === value || compareBool(vm, item, value, 'Eq')) {
        if (i < heap.length(list)) heap.deleteItem(list, i);
        return None();
      }
    }
    throw vm.error('ValueError', 'list.remove(x): x not in list');
  });
  def('pop', (vm, args, kw) => {
    const [indexRef] = parseArgs(vm, 'pop', args, kw, ['index'], 0);
    const list = args[0]!;
    const n = heap.length(list);
    if (n === 0) throw vm.error('IndexError', 'pop from empty list');
    let i = indexRef === NULL ? -1 : ssizeArg(vm, indexRef!);
    if (i < 0) i += n;
    if (i < 0 || i >= n) throw vm.error('IndexError', 'pop index out of range');
    return heap.pop(list, i);
  });
  def('index', (vm, args, kw) => {
    const [value, start, stop] = parseArgs(vm, 'index', args, kw, ['value', 'start', 'stop'], 1);
    const list = args[0]!;
    const [lo, hi] = searchBounds(vm, start!, stop!, heap.length(list));
    for (let i = lo; i < hi && i < heap.length(list); i++) {
      const item = heap.item(list, i);
      if (item === value || compareBool(vm, item, value!, 'Eq')) return heap.newInt(i);
    }
    throw vm.error('ValueError', `${repr(vm, value!)} is not in list`);
  });
  def('count', (vm, args, kw) => {
    const value = methO(vm, 'list.count', args, kw);
    const list = args[0]!;
    let count = 0;
    for (let i = 0; i < heap.length(list); i++) {
      const item = heap.item(list, i);
      if (item === value || compareBool(vm, item, value, 'Eq')) count++;
    }
    return heap.newInt(count);
  });
  def('clear', (vm, args, kw) => {
    noArgs(vm, 'clear', args, kw);
    replaceContents(vm, args[0]!, []);
    return None();
  });
  def('copy', (vm, args, kw) => {
    noArgs(vm, 'copy', args, kw);
    return heap.newList(itemsOf(vm, args[0]!));
  });
  def('reverse', (vm, args, kw) => {
    noArgs(vm, 'reverse', args, kw);
    const list = args[0]!;
    const n = heap.length(list);
    for (let i = 0, j = n - 1; i < j; i++, j--) {
      const a = heap.item(list, i);
      const b = heap.item(list, j);
      heap.incref(a);
      heap.setItem(list, i, b);
      heap.setItem(list, j, a);
      heap.decref(a);
    }
    return None();
  });
  def('sort', (vm, args, kw) => {
    if (args.length > 1) throw vm.typeError('sort() takes no positional arguments');
    let key: Ref = NULL;
    let reverse = false;
    if (kw) {
      kw.names.forEach((name, i) => {
        if (name === 'key') key = kw.values[i]!;
        else if (name === 'reverse') reverse = truthy(vm, kw.values[i]!);
        else throw vm.typeError(`'${name}' is an invalid keyword argument for sort()`);
      });
    }
    sortList(vm, args[0]!, key, reverse);
    return None();
  });

  def('__len__', (vm, args) => heap.newInt(heap.length(args[0]!)));
  def('__contains__', (vm, args) => heap.newBool(contains(vm, args[0]!, oneArg(vm, '__contains__', args))));
  def('__getitem__', (vm, args) => getItem(vm, args[0]!, oneArg(vm, '__getitem__', args)));
  def('__setitem__', (vm, args) => {
    if (args.length !== 3) throw vm.typeError(`expected 2 arguments, got ${args.length - 1}`);
    const [list, key, value] = args as [Ref, Ref, Ref];
    if (isSlice(vm, key)) {
      if (heap.kindOf(value) !== Kind.List && heap.kindOf(value) !== Kind.Tuple && lookupMethod(vm, value, '__iter__') === NULL && lookupMethod(vm, value, '__getitem__') === NULL) {
        const step = heap.getSlot(key, 2);
        const extended = step !== heap.None && intArg(vm, step) !== 1;
        throw vm.typeError(extended ? 'must assign iterable to extended slice' : 'can only assign an iterable');
      }
      const items = listOf(vm, value);
      try {
        assignSlice(vm, list, key, items);
      } finally {
        for (const item of items) heap.decref(item);
      }
      return None();
    }
    heap.setItem(list, listIndex(vm, list, key, 'list assignment'), value);
    return None();
  });
  def('__delitem__', (vm, args) => {
    const key = oneArg(vm, '__delitem__', args);
    if (isSlice(vm, key)) deleteSlice(vm, args[0]!, key);
    else heap.deleteItem(args[0]!, listIndex(vm, args[0]!, key, 'list assignment'));
    return None();
  });
  def('__add__', (vm, args) => {
    const other = oneArg(vm, '__add__', args);
    if (heap.kindOf(other) !== Kind.List) throw vm.typeError(`can only concatenate list (not "${vm.typeName(other)}") to list`);
    return heap.newList([...itemsOf(vm, args[0]!), ...itemsOf(vm, other)]);
  });
  def('__iadd__', (vm, args) => {
    const items = listOf(vm, oneArg(vm, '__iadd__', args));
    for (const item of items) {
      heap.append(args[0]!, item);
      heap.decref(item);
    }
    heap.incref(args[0]!);
    return args[0]!;
  });
  const mul = (vm: VM, args: readonly Ref[]): Ref => {
    const n = repeatCount(vm, oneArg(vm, '__mul__', args));
    if (n === undefined) return NotImplementedRef(vm);
    const items = itemsOf(vm, args[0]!);
    if (items.length * Math.max(0, n) > 1 << 26) throw vm.error('MemoryError');
    const out: Ref[] = [];
    for (let r = 0; r < n; r++) out.push(...items);
    return heap.newList(out);
  };
  def('__mul__', mul);
  def('__rmul__', mul);
  def('__imul__', (vm, args) => {
    const n = repeatCount(vm, oneArg(vm, '__imul__', args));
    if (n === undefined) return NotImplementedRef(vm);
    const items = itemsOf(vm, args[0]!);
    if (items.length * Math.max(0, n) > 1 << 26) throw vm.error('MemoryError');
    const out: Ref[] = [];
    for (let r = 0; r < n; r++) out.push(...items);
    replaceContents(vm, args[0]!, out);
    heap.incref(args[0]!);
    return args[0]!;
  });
  for (const [name, op] of [['__eq__', 'Eq'], ['__ne__', 'NotEq'], ['__lt__', 'Lt'], ['__le__', 'LtE'], ['__gt__', 'Gt'], ['__ge__', 'GtE']] as const) {
    def(name, (vm, args) => {
      const other = oneArg(vm, name, args);
      if (heap.kindOf(other) !== Kind.List) return NotImplementedRef(vm);
      return richCompare(vm, args[0]!, other, op);
    });
  }
  def('__repr__', (vm, args) => heap.newStr(repr(vm, args[0]!), { intern: false }));
  vm.setItemStr(cls.dict, '__hash__', heap.None);
  if (heap.dictGetStr(cls.dict, '__iter__') === NULL) {
    def('__iter__', (vm, args) => getIter(vm, args[0]!));
  }

  const reverseIterator = vm.nativeClass('list_reverseiterator', { slots: ['seq', { name: 'index', kind: 'int32' }] });
  reverseIterator.iterNext = (vm, it) => {
    const seq = heap.getSlot(it, 0);
    if (seq === NULL) return NULL;
    const index = heap.getSlotInt(it, 1);
    if (index >= 0 && index < heap.length(seq)) {
      heap.setSlotInt(it, 1, index - 1);
      const item = heap.item(seq, index);
      heap.incref(item);
      return item;
    }
    heap.setSlot(it, 0, NULL);
    return NULL;
  };
  defineIteratorMethods(vm, reverseIterator);
  vm.defineMethod(reverseIterator, '__length_hint__', (vm, args) => {
    const seq = heap.getSlot(args[0]!, 0);
    if (seq === NULL) return heap.newInt(0);
    const index = heap.getSlotInt(args[0]!, 1);
    return heap.newInt(index < heap.length(seq) ? index + 1 : 0);
  });
  def('__reversed__', (vm, args) => {
    const it = heap.newInstance(reverseIterator.instanceType!);
    heap.setSlot(it, 0, args[0]!);
    heap.setSlotInt(it, 1, heap.length(args[0]!) - 1);
    return it;
  });
  void iterNext;
  void intOf;
}
