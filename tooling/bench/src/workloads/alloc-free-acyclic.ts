/**
 * alloc-free-acyclic — `x = Node(); y = Node(); x.a = y`, then both dropped, N times.
 * Nothing here is cyclic: counting frees both objects the moment the names go, which is
 * the cost every program pays on every object. Run on the raw layer (newInstance, setSlot,
 * decref), with a collector attached and enabled — CPython's gc is always there — and
 * once more on a heap with no collector at all. Reported per object: total / 2N.
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { newFloorHeap } from '../floor/floor-gc.ts';
import { type FloorHeap, NODE } from '../floor/floor-heap.ts';
import { besideModule, type Repetition, startClock, type Workload } from '../workload.ts';

const WITH_GC = 'alloc-free-acyclic';
const NO_GC = 'alloc-free-acyclic (no collector)';

/** The program: N times, two Nodes, one pointing at the other, both dropped. */
export function allocFree(heap: Heap, Node: HeapType, n: number): void {
  const a = Node.slotIndex.get('a')!;
  for (let i = 0; i < n; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, a, y);
    heap.decref(x); // frees x, which releases its reference to y
    heap.decref(y); // frees y
  }
}

/** The same program on the floor heap. */
export function floorAllocFree(heap: FloorHeap, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = heap.alloc(NODE);
    const y = heap.alloc(NODE);
    heap.setSlot(x, 0, y);
    heap.decref(x);
    heap.decref(y);
  }
}

/** One timed pass of the floor's program, per object. */
export function timeFloor(heap: FloorHeap, n: number): number {
  const elapsed = startClock();
  floorAllocFree(heap, n);
  const ns = elapsed();
  if (heap.live !== 0) throw new Error(`alloc-free-acyclic's floor leaked ${heap.live} objects`);
  return ns / (2 * n);
}

/** A heap with the Node class, and optionally an enabled collector. */
function nodeHeap(withCollector: boolean): { heap: Heap; Node: HeapType } {
  const heap = new Heap();
  const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
  if (withCollector) new Collector(heap, { enabled: true });
  return { heap, Node };
}

function timeOnce({ heap, Node }: { heap: Heap; Node: HeapType }, n: number): number {
  const before = heap.liveObjects;
  const elapsed = startClock();
  allocFree(heap, Node, n);
  const ns = elapsed();
  if (heap.liveObjects !== before) throw new Error(`alloc-free-acyclic leaked ${heap.liveObjects - before} objects`);
  return ns / (2 * n);
}

export const workload: Workload = {
  name: 'alloc-free-acyclic',
  description: 'x = Node(); y = Node(); x.a = y; both dropped, N times (ns per object, with and without a collector)',
  metrics: [
    { name: WITH_GC, unit: 'ns/object' },
    { name: NO_GC, unit: 'ns/object' },
  ],
  python: besideModule(import.meta.url, './alloc-free-acyclic.py'),
  prepare: () => {
    const withGc = nodeHeap(true);
    const noGc = nodeHeap(false);
    const repetition: Repetition = (n) => ({ [WITH_GC]: timeOnce(withGc, n), [NO_GC]: timeOnce(noGc, n) });
    return Promise.resolve(repetition);
  },
  floor: () => {
    const withGc = newFloorHeap({ collector: true, automatic: true });
    const noGc = newFloorHeap({ collector: false });
    return (n) => ({ [WITH_GC]: timeFloor(withGc, n), [NO_GC]: timeFloor(noGc, n) });
  },
};
