/**
 * filter (Python/bltinmodule.c): the items of an iterator for which a function (or truth) holds.
 * Slots: [func, iterator].
 */
import { NULL } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { positional } from '../builtin-support.ts';
import { getIter, iterNext, iteratorClass } from '../iteration.ts';
import { truthy } from '../operators.ts';
import type { VM } from '../vm.ts';

export function installFilter(vm: VM): PyClass {
  const filter = iteratorClass(vm, 'filter', ['func', 'iterator'], (vm, it) => {
    const heap = vm.heap;
    const inner = heap.getSlot(it, 1);
    if (inner === NULL) return NULL;
    const func = heap.getSlot(it, 0);
    for (;;) {
      const item = iterNext(vm, inner);
      if (item === NULL) return NULL;
      let keep: boolean;
      try {
        if (func === heap.None || func === vm.core.bool.object) keep = truthy(vm, item);
        else {
          const result = vm.call(func, [item]);
          try {
            keep = truthy(vm, result);
          } finally {
            heap.decref(result);
          }
        }
      } catch (error) {
        heap.decref(item);
        throw error;
      }
      if (keep) return item;
      heap.decref(item);
    }
  });
  filter.construct = (vm, cls, args, kw) => {
    const heap = vm.heap;
    if (kw !== null && kw.names.length > 0) throw vm.typeError('filter() takes no keyword arguments');
    positional(vm, 'filter', args, 2, 2);
    const inner = getIter(vm, args[1]!);
    const it = heap.newInstance(cls.instanceType!);
    heap.setSlot(it, 0, args[0]!);
    heap.setSlot(it, 1, inner);
    heap.decref(inner);
    return it;
  };
  return filter;
}
