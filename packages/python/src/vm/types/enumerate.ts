/**
 * enumerate (Objects/enumobject.c): pairs of a running count and the items of an iterator.
 * Slots: [iterator, count].
 */
import { NULL } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { fromBig, indexOf } from '../builtin-support.ts';
import { getIter, iterNext, iteratorClass } from '../iteration.ts';
import { intOf } from '../operators.ts';
import type { VM } from '../vm.ts';

export function installEnumerate(vm: VM): PyClass {
  const enumerate = iteratorClass(vm, 'enumerate', ['iterator', 'count'], (vm, it) => {
    const heap = vm.heap;
    const inner = heap.getSlot(it, 0);
    if (inner === NULL) return NULL;
    const item = iterNext(vm, inner);
    if (item === NULL) {
      heap.setSlot(it, 0, NULL);
      return NULL;
    }
    const count = heap.getSlot(it, 1);
    const tuple = heap.newTuple([count, item]);
    heap.decref(item);
    const v = intOf(vm, count)!;
    const next = typeof v === 'number' && v < Number.MAX_SAFE_INTEGER ? heap.newInt(v + 1) : fromBig(vm, BigInt(v) + 1n);
    heap.setSlot(it, 1, next);
    heap.decref(next);
    return tuple;
  });
  enumerate.construct = (vm, cls, args, kw) => {
    const heap = vm.heap;
    if (args.length > 2) throw vm.typeError(`enumerate() takes at most 2 arguments (${args.length} given)`);
    let iterable = args[0] ?? NULL;
    let start = args[1] ?? NULL;
    if (kw !== null) {
      kw.names.forEach((name, i) => {
        if (name === 'iterable' && iterable === NULL) iterable = kw.values[i]!;
        else if (name === 'start' && start === NULL) start = kw.values[i]!;
        else if (name === 'iterable' || name === 'start') throw vm.typeError(`argument for enumerate() given by name ('${name}') and position (${name === 'iterable' ? 1 : 2})`);
        else throw vm.typeError(`'${name}' is an invalid keyword argument for enumerate()`);
      });
    }
    if (iterable === NULL) throw vm.typeError("enumerate() missing required argument 'iterable'");
    const startValue = start === NULL ? 0 : indexOf(vm, start);
    const inner = getIter(vm, iterable);
    const it = heap.newInstance(cls.instanceType!);
    heap.setSlot(it, 0, inner);
    heap.decref(inner);
    const count = typeof startValue === 'bigint' ? fromBig(vm, startValue) : heap.newInt(startValue);
    heap.setSlot(it, 1, count);
    heap.decref(count);
    return it;
  };
  return enumerate;
}
