/**
 * The mapping methods WeakValueDictionary and WeakKeyDictionary share (Lib/weakref.py), over
 * each one's `entries`, `lookup`, `store` and `remove`.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../../classes.ts';
import { getIter } from '../../iteration.ts';
import { parseArgs } from '../../types/args.ts';
import { keyError, newRefList, ownedList } from './support.ts';
import { DATA, type ContainerKit } from './containers.ts';
import type { VM } from '../../vm.ts';

export function defineMappingMethods(
  vm: VM,
  kit: ContainerKit,
  cls: PyClass,
  weakKeys: boolean,
  entries: (self: Ref) => [Ref, Ref][],
  lookup: (vm: VM, self: Ref, key: Ref) => Ref,
  store: (self: Ref, key: Ref, value: Ref) => void,
  remove: (vm: VM, self: Ref, key: Ref) => void,
): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { update, newContainer, reprContainer } = kit;
  const pair = (k: Ref, v: Ref): Ref => heap.newTuple([k, v]);
  vm.defineMethod(cls, '__init__', (vm, args, kw) => {
    update(vm, args[0]!, args.slice(1), kw, store, cls.name);
    return heap.newNone();
  });
  vm.defineMethod(cls, '__len__', (_vm, args) => heap.newInt(entries(args[0]!).length));
  vm.defineMethod(cls, '__contains__', (vm, args) => {
    // WeakKeyDictionary.__contains__: a key that cannot be weakly referenced is simply not in it.
    if (weakKeys && !weakrefs.isWeakrefable(args[1]!)) return heap.newBool(false);
    return heap.newBool(lookup(vm, args[0]!, args[1]!) !== NULL);
  });
  vm.defineMethod(cls, '__getitem__', (vm, args) => {
    const v = lookup(vm, args[0]!, args[1]!);
    if (v === NULL) throw keyError(vm, args[1]!);
    heap.incref(v);
    return v;
  });
  vm.defineMethod(cls, '__setitem__', (_vm, args) => {
    store(args[0]!, args[1]!, args[2]!);
    return heap.newNone();
  });
  vm.defineMethod(cls, '__delitem__', (vm, args) => {
    if (lookup(vm, args[0]!, args[1]!) === NULL) throw keyError(vm, args[1]!);
    remove(vm, args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(cls, 'get', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'get', args, kw, ['key', 'default'], 1);
    const v = lookup(vm, args[0]!, key!);
    const result = v !== NULL ? v : fallback !== NULL ? fallback! : heap.None;
    heap.incref(result);
    return result;
  });
  vm.defineMethod(cls, 'setdefault', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'setdefault', args, kw, ['key', 'default'], 1);
    const v = lookup(vm, args[0]!, key!);
    if (v !== NULL) {
      heap.incref(v);
      return v;
    }
    const value = fallback === NULL ? heap.None : fallback!;
    store(args[0]!, key!, value);
    heap.incref(value);
    return value;
  });
  vm.defineMethod(cls, 'pop', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'pop', args, kw, ['key', 'default'], 1);
    const v = lookup(vm, args[0]!, key!);
    if (v === NULL) {
      if (fallback === NULL) throw keyError(vm, key!);
      heap.incref(fallback!);
      return fallback!;
    }
    heap.incref(v);
    remove(vm, args[0]!, key!);
    return v;
  });
  vm.defineMethod(cls, 'popitem', (vm, args) => {
    const all = entries(args[0]!);
    const last = all[all.length - 1];
    if (last === undefined) throw vm.error('KeyError', 'popitem(): dictionary is empty');
    const result = pair(last[0], last[1]);
    remove(vm, args[0]!, last[0]);
    return result;
  });
  vm.defineMethod(cls, 'update', (vm, args, kw) => {
    update(vm, args[0]!, args.slice(1), kw, store, 'update');
    return heap.newNone();
  });
  vm.defineMethod(cls, 'clear', (_vm, args) => {
    const data = heap.newDict();
    heap.setSlot(args[0]!, DATA, data);
    heap.decref(data);
    return heap.newNone();
  });
  vm.defineMethod(cls, 'keys', (_vm, args) => newRefList(vm, entries(args[0]!).map(([k]) => k)));
  vm.defineMethod(cls, 'values', (_vm, args) => newRefList(vm, entries(args[0]!).map(([, v]) => v)));
  vm.defineMethod(cls, 'items', (_vm, args) => ownedList(vm, entries(args[0]!).map(([k, v]) => pair(k, v))));
  vm.defineMethod(cls, '__iter__', (vm, args) => {
    const keys = newRefList(vm, entries(args[0]!).map(([k]) => k));
    try {
      return getIter(vm, keys);
    } finally {
      heap.decref(keys);
    }
  });
  vm.defineMethod(cls, 'copy', (_vm, args) => {
    const copy = newContainer(cls);
    for (const [k, v] of entries(args[0]!)) store(copy, k, v);
    return copy;
  });
  reprContainer(cls);
}
