/**
 * weakvaluemap-churn — WeakValueMap set / get churn: each iteration makes a Node, stores
 * it under one of 1024 keys, reads it back and drops it, so its entry vanishes. Against
 * CPython's `weakref.WeakValueDictionary`. Reported per iteration: total / N.
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { WeakValueMap } from '@refheap/weakref';
import { besideModule, type Repetition, startClock, type Workload } from '../workload.ts';

const KEYS = 1024;

function mapChurn(heap: Heap, map: WeakValueMap<number>, Node: HeapType, n: number): number {
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const key = i & (KEYS - 1);
    const x = heap.newInstance(Node);
    map.set(key, x);
    if (map.getRef(key) === x) hits++;
    heap.decref(x); // x dies: its entry leaves the map
  }
  return hits;
}

export const workload: Workload = {
  name: 'weakvaluemap-churn',
  description: 'WeakValueMap set/get churn vs weakref.WeakValueDictionary (ns per iteration)',
  metrics: [{ name: 'weakvaluemap-churn', unit: 'ns/iteration' }],
  python: besideModule(import.meta.url, './weakvaluemap-churn.py'),
  prepare: () => {
    const heap = new Heap();
    new Collector(heap);
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const map = new WeakValueMap<number>(heap);
    const repetition: Repetition = (n) => {
      const elapsed = startClock();
      const hits = mapChurn(heap, map, Node, n);
      const ns = elapsed();
      if (hits !== n) throw new Error(`weakvaluemap-churn: ${hits} hits for ${n} lookups`);
      if (map.size !== 0) throw new Error(`weakvaluemap-churn: ${map.size} entries outlived their objects`);
      return { 'weakvaluemap-churn': ns / n };
    };
    return Promise.resolve(repetition);
  },
};
