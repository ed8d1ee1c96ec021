/**
 * tuple (Objects/tupleobject.c): its methods, ordering and CPython 3.11's xxHash-based
 * tuplehash — exact wherever the items' hashes are (ints, floats, nested tuples, frozensets).
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { getIter, listOf } from '../iteration.ts';
import { compareBool, contains, getItem, richCompare } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { intArg, parseArgs } from './args.ts';
import { NotImplementedRef, methO, oneArg, searchBounds } from './list.ts';
import { hashOf } from './object.ts';

const M64 = (1n << 64n) - 1n;
const PRIME_1 = 11400714785074694791n;
const PRIME_2 = 14029467366897019727n;
const PRIME_5 = 2870177450012600261n;

/** tuplehash over the items' hashes (signed 64-bit values). */
export function tupleHashOf(hashes: readonly bigint[]): bigint {
  let acc = PRIME_5;
  for (const h of hashes) {
    const lane = h & M64;
    acc = (acc + lane * PRIME_2) & M64;
    acc = ((acc << 31n) | (acc >> 33n)) & M64;
    acc = (acc * PRIME_1) & M64;
  }
  acc = (acc + (BigInt(hashes.length) ^ (PRIME_5 ^ 3527539n))) & M64;
  if (acc === M64) return 1546275796n;
  return BigInt.asIntN(64, acc);
}

export function tupleHash(vm: VM, tuple: Ref): bigint {
  const heap = vm.heap;
  const hashes: bigint[] = [];
  for (let i = 0; i < heap.length(tuple); i++) hashes.push(hashOf(vm, heap.item(tuple, i)));
  return tupleHashOf(hashes);
}

function construct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  if (kw && kw.names.length > 0) throw vm.typeError('tuple() takes no keyword arguments');
  if (args.length > 1) throw vm.typeError(`tuple expected at most 1 argument, got ${args.length}`);
  if (args.length === 0) return heap.newTuple();
  if (heap.kindOf(args[0]!) === Kind.Tuple) {
    heap.incref(args[0]!);
    return args[0]!;
  }
  const items = listOf(vm, args[0]!);
  const tuple = heap.newTuple(items);
  for (const item of items) heap.decref(item);
  return tuple;
}

export function installTuple(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.tuple;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  const items = (t: Ref): Ref[] => {
    const out: Ref[] = [];
    for (let i = 0; i < heap.length(t); i++) out.push(heap.item(t, i));
    return out;
  };
  cls.construct = construct;

  def('count', (vm, args, kw) => {
    const value = methO(vm, 'tuple.count', args, kw);
    let n = 0;
    for (const item of items(args[0]!)) if (item === value || compareBool(vm, item, value, 'Eq')) n++;
    return heap.newInt(n);
  });
  def('index', (vm, args, kw) => {
    const [value, start, stop] = parseArgs(vm, 'index', args, kw, ['value', 'start', 'stop'], 1);
    const t = args[0]!;
    const [lo, hi] = searchBounds(vm, start!, stop!, heap.length(t));
    for (let i = lo; i < hi; i++) {
      const item = heap.item(t, i);
      if (item === value || compareBool(vm, item, value!, 'Eq')) return heap.newInt(i);
    }
    throw vm.error('ValueError', 'tuple.index(x): x not in tuple');
  });
  def('__len__', (vm, args) => heap.newInt(heap.length(args[0]!)));
  def('__contains__', (vm, args) => heap.newBool(contains(vm, args[0]!, oneArg(vm, '__contains__', args))));
  def('__getitem__', (vm, args) => getItem(vm, args[0]!, oneArg(vm, '__getitem__', args)));
  def('__hash__', (vm, args) => heap.newInt(tupleHash(vm, args[0]!)));
  def('__add__', (vm, args) => {
    const other = oneArg(vm, '__add__', args);
    if (heap.kindOf(other) !== Kind.Tuple) throw vm.typeError(`can only concatenate tuple (not "${vm.typeName(other)}") to tuple`);
    return heap.newTuple([...items(args[0]!), ...items(other)]);
  });
  const mul = (vm: VM, args: readonly Ref[]): Ref => {
    const other = oneArg(vm, '__mul__', args);
    const k = heap.kindOf(other);
    if (k !== Kind.Int && k !== Kind.Bool && !vm.classOf(other).mro.some((c) => heap.dictGetStr(c.dict, '__index__') !== NULL)) return NotImplementedRef(vm);
    const n = intArg(vm, other);
    const t = args[0]!;
    if (n === 1) {
      heap.incref(t);
      return t;
    }
    const own = items(t);
    if (own.length * Math.max(0, n) > 1 << 26) throw vm.error('MemoryError');
    const out: Ref[] = [];
    for (let r = 0; r < n; r++) out.push(...own);
    return heap.newTuple(out);
  };
  def('__mul__', mul);
  def('__rmul__', mul);
  for (const [name, op] of [['__eq__', 'Eq'], ['__ne__', 'NotEq'], ['__lt__', 'Lt'], ['__le__', 'LtE'], ['__gt__', 'Gt'], ['__ge__', 'GtE']] as const) {
    def(name, (vm, args) => {
      const other = oneArg(vm, name, args);
      if (heap.kindOf(other) !== Kind.Tuple) return NotImplementedRef(vm);
      return richCompare(vm, args[0]!, other, op);
    });
  }
  def('__repr__', (vm, args) => heap.newStr(repr(vm, args[0]!), { intern: false }));
  def('__getnewargs__', (vm, args) => {
    const copy = heap.newTuple(items(args[0]!));
    const t = heap.newTuple([copy]);
    heap.decref(copy);
    return t;
  });
  if (heap.dictGetStr(cls.dict, '__iter__') === NULL) def('__iter__', (vm, args) => getIter(vm, args[0]!));
}
