/**
 * reversed (Objects/enumobject.c): a sequence's items from the last, or its `__reversed__`.
 * Slots: [seq, index].
 */
import { Kind, NULL } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { isExceptionOf, newRef, positional } from '../builtin-support.ts';
import { lookupMethod } from '../attributes.ts';
import { iteratorClass } from '../iteration.ts';
import { getItem, length } from '../operators.ts';
import { cpLength } from './text.ts';
import type { VM } from '../vm.ts';

export function installReversed(vm: VM): PyClass {
  const reversed = iteratorClass(vm, 'reversed', ['seq', { name: 'index', kind: 'js' }], (vm, it) => {
    const heap = vm.heap;
    const seq = heap.getSlot(it, 0);
    if (seq === NULL) return NULL;
    const index = heap.getSlotValue(it, 1) as number;
    const end = () => {
      heap.setSlot(it, 0, NULL);
      return NULL;
    };
    if (index < 0) return end();
    heap.setSlotValue(it, 1, index - 1);
    const kind = heap.kindOf(seq);
    if (kind === Kind.List || kind === Kind.Tuple) {
      if (index >= heap.length(seq)) return end();
      return newRef(vm, heap.item(seq, index));
    }
    const key = heap.newInt(index);
    try {
      return getItem(vm, seq, key);
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (isExceptionOf(vm, thrown, vm.exc.IndexError) || isExceptionOf(vm, thrown, vm.exc.StopIteration)) {
        heap.decref(thrown.exc);
        return end();
      }
      throw thrown;
    } finally {
      heap.decref(key);
    }
  });
  vm.defineMethod(reversed, '__length_hint__', (vm, args) => {
    const seq = vm.heap.getSlot(args[0]!, 0);
    return vm.heap.newInt(seq === NULL ? 0 : Math.max(0, (vm.heap.getSlotValue(args[0]!, 1) as number) + 1));
  });
  reversed.construct = (vm, cls, args, kw) => {
    const heap = vm.heap;
    if (kw !== null && kw.names.length > 0) throw vm.typeError('reversed() takes no keyword arguments');
    positional(vm, 'reversed', args, 1, 1);
    const seq = args[0]!;
    const method = lookupMethod(vm, seq, '__reversed__');
    if (method !== NULL && method !== heap.None) return vm.call(method, [seq]);
    if (method === heap.None) throw vm.typeError(`'${vm.typeName(seq)}' object is not reversible`);
    const kind = heap.kindOf(seq);
    let n: number;
    if (kind === Kind.List || kind === Kind.Tuple) n = heap.length(seq);
    else if (kind !== Kind.Dict && lookupMethod(vm, seq, '__getitem__') !== NULL && (kind === Kind.Str || lookupMethod(vm, seq, '__len__') !== NULL)) {
      n = kind === Kind.Str ? cpLength(heap.valueOf(seq) as string) : length(vm, seq);
    } else throw vm.typeError(`'${vm.typeName(seq)}' object is not reversible`);
    const it = heap.newInstance(cls.instanceType!);
    heap.setSlot(it, 0, seq);
    heap.setSlotValue(it, 1, n - 1);
    return it;
  };
  return reversed;
}
