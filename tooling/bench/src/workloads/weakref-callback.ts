/**
 * weakref-callback — an object with a weak reference and a callback, created and dropped,
 * N times: dropping the object clears the reference and runs the callback (which counts
 * calls), then the weak reference is dropped too. The raw layer, with a collector attached
 * (as CPython always has one). Reported per object: total / N.
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Weakrefs } from '@refheap/weakref';
import { newFloorHeap } from '../floor/floor-gc.ts';
import { type FloorHeap, NODE } from '../floor/floor-heap.ts';
import { besideModule, type Repetition, startClock, type Workload } from '../workload.ts';

function weakrefChurn(heap: Heap, weakrefs: Weakrefs, Node: HeapType, n: number): number {
  let called = 0;
  const callback = (): void => {
    called++;
  };
  for (let i = 0; i < n; i++) {
    const x = heap.newInstance(Node);
    const r = weakrefs.ref(x, callback); // a new reference to the weakref object
    heap.decref(x); // x dies: r is cleared, callback(r) runs
    heap.decref(r);
  }
  return called;
}

/** The same program on the floor heap (with its weak-reference column). */
function floorWeakrefChurn(heap: FloorHeap, n: number): number {
  let called = 0;
  const callback = (): void => {
    called++;
  };
  for (let i = 0; i < n; i++) {
    const x = heap.alloc(NODE);
    const r = heap.newWeakref(x, callback);
    heap.decref(x);
    heap.decref(r);
  }
  return called;
}

export const workload: Workload = {
  name: 'weakref-callback',
  description: 'an object with a weakref and a callback, created and dropped, N times (ns per object)',
  metrics: [{ name: 'weakref-callback', unit: 'ns/object' }],
  python: besideModule(import.meta.url, './weakref-callback.py'),
  prepare: () => {
    const heap = new Heap();
    new Collector(heap);
    const weakrefs = Weakrefs.of(heap);
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const repetition: Repetition = (n) => {
      const elapsed = startClock();
      const called = weakrefChurn(heap, weakrefs, Node, n);
      const ns = elapsed();
      if (called !== n) throw new Error(`weakref-callback: ${called} callbacks for ${n} objects`);
      return { 'weakref-callback': ns / n };
    };
    return Promise.resolve(repetition);
  },
  floor: () => {
    const heap = newFloorHeap({ collector: true, automatic: true, weakrefs: true });
    return (n) => {
      const elapsed = startClock();
      const called = floorWeakrefChurn(heap, n);
      const ns = elapsed();
      if (called !== n || heap.live !== 0) throw new Error(`weakref-callback's floor: ${called} callbacks for ${n} objects`);
      return { 'weakref-callback': ns / n };
    };
  },
};
