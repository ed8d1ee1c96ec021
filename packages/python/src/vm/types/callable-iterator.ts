/**
 * callable_iterator (Objects/iterobject.c): iter(callable, sentinel), calling until the sentinel comes back.
 * Slots: [callable, sentinel].
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { isExceptionOf } from '../builtin-support.ts';
import { iteratorClass } from '../iteration.ts';
import { compareBool } from '../operators.ts';
import type { VM } from '../vm.ts';

export function installCallableIterator(vm: VM): PyClass {
  const callableIterator = iteratorClass(vm, 'callable_iterator', ['callable', 'sentinel'], (vm, it) => {
    const heap = vm.heap;
    const fn = heap.getSlot(it, 0);
    if (fn === NULL) return NULL;
    let value: Ref;
    try {
      value = vm.call(fn, []);
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (isExceptionOf(vm, thrown, vm.exc.StopIteration)) {
        heap.decref(thrown.exc);
        heap.setSlot(it, 0, NULL);
        heap.setSlot(it, 1, NULL);
        return NULL;
      }
      throw thrown;
    }
    const sentinel = heap.getSlot(it, 1);
    let same: boolean;
    try {
      same = value === sentinel || compareBool(vm, value, sentinel, 'Eq');
    } catch (error) {
      heap.decref(value);
      throw error;
    }
    if (same) {
      heap.decref(value);
      heap.setSlot(it, 0, NULL);
      heap.setSlot(it, 1, NULL);
      return NULL;
    }
    return value;
  });
  return callableIterator;
}
