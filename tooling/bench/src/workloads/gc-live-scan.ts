/**
 * gc-live-scan — N live Nodes in a binary tree (node i's children are 2i+1 and 2i+2, in
 * slots a and b), only the root held from outside, then ONE full `collect()` that frees
 * nothing: the pure cost of proving a big heap alive. The build runs with the collector
 * disabled and is not timed. Reported per object: collect time / N.
 */
import { Heap, type HeapType, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { collectAll, newFloorHeap } from '../floor/floor-gc.ts';
import { type FloorHeap, NODE } from '../floor/floor-heap.ts';
import { besideModule, type Repetition, startClock, type Workload } from '../workload.ts';

/** Builds the tree; returns the root (an owned reference). Every other node is held by its parent alone. */
export function buildTree(heap: Heap, Node: HeapType, n: number): Ref {
  const slots = [Node.slotIndex.get('a')!, Node.slotIndex.get('b')!] as const;
  const nodes = new Int32Array(n);
  for (let i = 0; i < n; i++) nodes[i] = heap.newInstance(Node);
  for (let i = 1; i < n; i++) {
    heap.setSlot(nodes[(i - 1) >> 1]!, slots[(i - 1) & 1]!, nodes[i]!);
    heap.decref(nodes[i]!); // now the parent's reference is the only one
  }
  return nodes[0]!;
}

/**
 * One round of the program: a clean start, the tree built, one timed full `collect()` (which
 * must find nothing), the tree freed. Returns the collection's nanoseconds.
 */
export function collectLiveTree(heap: Heap, Node: HeapType, gc: Collector, n: number): number {
  gc.collect(); // start clean
  const root = buildTree(heap, Node, n);
  const elapsed = startClock();
  const found = gc.collect();
  const ns = elapsed();
  if (found !== 0) throw new Error(`gc-live-scan: collect() found ${found} unreachable objects in a live tree`);
  heap.decref(root); // frees the whole tree by counting
  return ns;
}

/** `collectLiveTree` on the floor heap: build, one timed full collection (finding nothing), teardown. */
export function floorCollectLiveTree(heap: FloorHeap, n: number): number {
  collectAll(heap);
  const nodes = new Int32Array(n);
  for (let i = 0; i < n; i++) nodes[i] = heap.alloc(NODE);
  for (let i = 1; i < n; i++) {
    heap.setSlot(nodes[(i - 1) >> 1]!, ((i - 1) & 1) as 0 | 1, nodes[i]!);
    heap.decref(nodes[i]!);
  }
  const elapsed = startClock();
  const found = collectAll(heap);
  const ns = elapsed();
  if (found !== 0) throw new Error(`gc-live-scan's floor found ${found} unreachable objects in a live tree`);
  heap.decref(nodes[0]!);
  if (heap.live !== 0) throw new Error(`gc-live-scan's floor kept ${heap.live} objects after the teardown`);
  return ns;
}

export const workload: Workload = {
  name: 'gc-live-scan',
  description: 'N live Nodes in a tree, time of one collect() that frees nothing (ns per object)',
  metrics: [{ name: 'gc-live-scan', unit: 'ns/object' }],
  python: besideModule(import.meta.url, './gc-live-scan.py'),
  prepare: () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const gc = new Collector(heap, { enabled: false });
    const repetition: Repetition = (n) => ({ 'gc-live-scan': collectLiveTree(heap, Node, gc, n) / n });
    return Promise.resolve(repetition);
  },
  floor: () => {
    const heap = newFloorHeap({ collector: true });
    return (n) => ({ 'gc-live-scan': floorCollectLiveTree(heap, n) / n });
  },
};
