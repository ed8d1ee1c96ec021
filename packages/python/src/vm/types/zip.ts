/**
 * zip (Python/bltinmodule.c): tuples of the items of several iterators, with 3.10's strict= length check.
 * Slots: [iterators tuple, strict].
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { keywords } from '../builtin-support.ts';
import { getIter, iterNext, iteratorClass } from '../iteration.ts';
import { truthy } from '../operators.ts';
import type { VM } from '../vm.ts';

export function installZip(vm: VM): PyClass {
  const zip = iteratorClass(vm, 'zip', ['iterators', { name: 'strict', kind: 'int32' }], (vm, it) => {
    const heap = vm.heap;
    const iterators = heap.getSlot(it, 0);
    if (iterators === NULL) return NULL;
    const n = heap.length(iterators);
    if (n === 0) return NULL;
    const items: Ref[] = [];
    const release = () => {
      for (const item of items) heap.decref(item);
    };
    for (let i = 0; i < n; i++) {
      let item: Ref;
      try {
        item = iterNext(vm, heap.item(iterators, i));
      } catch (error) {
        release();
        throw error;
      }
      if (item === NULL) {
        release();
        const strict = heap.getSlotInt(it, 1) !== 0;
        if (strict) {
          if (i > 0) {
            heap.setSlot(it, 0, NULL);
            const plural = i === 1 ? ' ' : 's 1-';
            throw vm.error('ValueError', `zip() argument ${i + 1} is shorter than argument${plural}${i}`);
          }
          for (let j = 1; j < n; j++) {
            const extra = iterNext(vm, heap.item(iterators, j));
            if (extra !== NULL) {
              heap.decref(extra);
              heap.setSlot(it, 0, NULL);
              const plural = j === 1 ? ' ' : 's 1-';
              throw vm.error('ValueError', `zip() argument ${j + 1} is longer than argument${plural}${j}`);
            }
          }
        }
        heap.setSlot(it, 0, NULL);
        return NULL;
      }
      items.push(item);
    }
    const tuple = heap.newTuple(items);
    release();
    return tuple;
  });
  zip.construct = (vm, cls, args, kw) => {
    const heap = vm.heap;
    const options = keywords(vm, 'zip', kw, ['strict']);
    const strict = options.get('strict') ?? NULL;
    const iterators: Ref[] = [];
    try {
      for (const arg of args) iterators.push(getIter(vm, arg));
      const it = heap.newInstance(cls.instanceType!);
      const tuple = heap.newTuple(iterators);
      heap.setSlot(it, 0, tuple);
      heap.decref(tuple);
      heap.setSlotInt(it, 1, strict !== NULL && truthy(vm, strict) ? 1 : 0);
      return it;
    } finally {
      for (const ref of iterators) heap.decref(ref);
    }
  };
  return zip;
}
