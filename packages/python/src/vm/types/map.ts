/**
 * map (Python/bltinmodule.c): a function called on the items of one or more iterators.
 * Slots: [func, iterators tuple].
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { getIter, iterNext, iteratorClass } from '../iteration.ts';
import type { VM } from '../vm.ts';

export function installMap(vm: VM): PyClass {
  const map = iteratorClass(vm, 'map', ['func', 'iterators'], (vm, it) => {
    const heap = vm.heap;
    const iterators = heap.getSlot(it, 1);
    if (iterators === NULL) return NULL;
    const items: Ref[] = [];
    try {
      for (let i = 0; i < heap.length(iterators); i++) {
        const item = iterNext(vm, heap.item(iterators, i));
        if (item === NULL) return NULL;
        items.push(item);
      }
      return vm.call(heap.getSlot(it, 0), items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  });
  map.construct = (vm, cls, args, kw) => {
    const heap = vm.heap;
    if (kw !== null && kw.names.length > 0) throw vm.typeError('map() takes no keyword arguments');
    if (args.length < 2) throw vm.typeError('map() must have at least two arguments.');
    const iterators: Ref[] = [];
    try {
      for (const arg of args.slice(1)) iterators.push(getIter(vm, arg));
      const it = heap.newInstance(cls.instanceType!);
      heap.setSlot(it, 0, args[0]!);
      const tuple = heap.newTuple(iterators);
      heap.setSlot(it, 1, tuple);
      heap.decref(tuple);
      return it;
    } finally {
      for (const ref of iterators) heap.decref(ref);
    }
  };
  return map;
}
