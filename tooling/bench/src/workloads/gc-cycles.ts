/**
 * gc-cycles — N/2 pairs `x.a = y; y.a = x`, the names dropped, then ONE full `collect()`.
 * Counting cannot free a two-cycle; the collector must find all N objects unreachable and
 * free them. The build runs with the collector disabled and is not timed; the collection
 * is. Reported per object: collect time / N.
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { collectAll, newFloorHeap } from '../floor/floor-gc.ts';
import { type FloorHeap, NODE } from '../floor/floor-heap.ts';
import { besideModule, type Repetition, startClock, type Workload } from '../workload.ts';

/** The build: N/2 two-cycles that nothing outside refers to. */
export function buildCycles(heap: Heap, Node: HeapType, n: number): void {
  const a = Node.slotIndex.get('a')!;
  for (let i = 0; i < n / 2; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, a, y);
    heap.setSlot(y, a, x);
    heap.decref(x);
    heap.decref(y);
  }
}

/** The same build on the floor heap. */
export function floorBuildCycles(heap: FloorHeap, n: number): void {
  for (let i = 0; i < n / 2; i++) {
    const x = heap.alloc(NODE);
    const y = heap.alloc(NODE);
    heap.setSlot(x, 0, y);
    heap.setSlot(y, 0, x);
    heap.decref(x);
    heap.decref(y);
  }
}

export const workload: Workload = {
  name: 'gc-cycles',
  description: 'N/2 two-cycles, names dropped, time of one collect() (ns per object)',
  metrics: [{ name: 'gc-cycles', unit: 'ns/object' }],
  python: besideModule(import.meta.url, './gc-cycles.py'),
  size: (n) => n - (n % 2),
  prepare: () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const gc = new Collector(heap, { enabled: false });
    const repetition: Repetition = (n) => {
      gc.collect(); // start clean
      buildCycles(heap, Node, n);
      const elapsed = startClock();
      const found = gc.collect();
      const ns = elapsed();
      if (found < n) throw new Error(`gc-cycles: collect() found ${found} unreachable objects, expected ${n}`);
      return { 'gc-cycles': ns / n };
    };
    return Promise.resolve(repetition);
  },
  floor: () => {
    const heap = newFloorHeap({ collector: true });
    return (n) => {
      collectAll(heap);
      floorBuildCycles(heap, n);
      const elapsed = startClock();
      const found = collectAll(heap);
      const ns = elapsed();
      if (found !== n || heap.live !== 0) throw new Error(`gc-cycles' floor found ${found} of ${n}`);
      return { 'gc-cycles': ns / n };
    };
  },
};
