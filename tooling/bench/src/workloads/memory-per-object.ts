/**
 * memory-per-object — bytes per live two-slot object, counted, not timed.
 * CPython's number comes from tracemalloc over 200,000 live Nodes (56 bytes in 3.11: the
 * object, its two slots and weakref pointer, and the 16-byte GC header). refheap's comes
 * from its own accounting: `heap.sizeOf(ref)` is the object's entry in every per-object
 * column (`heap.columns.bytesPerObject()`) plus its slot words. A collector attaches two
 * columns of its own, so the number is reported with one attached and without.
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { newFloorHeap } from '../floor/floor-gc.ts';
import { NODE } from '../floor/floor-heap.ts';
import { besideModule, type Repetition, type Workload } from '../workload.ts';

const WITH_GC = 'memory-per-object';
const NO_GC = 'memory-per-object (no collector)';
/** As cpython-facts.md measured it. */
export const MEMORY_OBJECTS = 200_000;

/** Average `sizeOf` over `n` live Nodes in a fresh heap. */
export function bytesPerNode(withCollector: boolean, n: number): number {
  const heap = new Heap();
  const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
  const gc = withCollector ? new Collector(heap, { enabled: true }) : null;
  const nodes = new Int32Array(n);
  for (let i = 0; i < n; i++) nodes[i] = heap.newInstance(Node);
  let bytes = 0;
  for (let i = 0; i < n; i++) bytes += heap.sizeOf(nodes[i]!);
  for (let i = 0; i < n; i++) heap.decref(nodes[i]!);
  gc?.detach();
  return bytes / n;
}

/** The floor's bytes per live Node: its columns, counted over `n` live objects. */
export function floorBytesPerNode(withCollector: boolean, n: number): number {
  const heap = newFloorHeap({ collector: withCollector });
  for (let i = 0; i < n; i++) heap.alloc(NODE);
  if (heap.live !== n) throw new Error(`memory-per-object's floor holds ${heap.live} objects, not ${n}`);
  return (heap.bytesPerObject() * heap.live) / n;
}

export const workload: Workload = {
  name: 'memory-per-object',
  description: 'bytes per live Node with two slots and __weakref__ (tracemalloc vs refheap columns + slot words)',
  metrics: [
    { name: WITH_GC, unit: 'bytes/object' },
    { name: NO_GC, unit: 'bytes/object' },
  ],
  python: besideModule(import.meta.url, './memory-per-object.py'),
  size: (n) => Math.min(n, MEMORY_OBJECTS),
  deterministic: true,
  prepare: () => {
    const repetition: Repetition = (n) => ({ [WITH_GC]: bytesPerNode(true, n), [NO_GC]: bytesPerNode(false, n) });
    return Promise.resolve(repetition);
  },
  floor: () => (n) => ({ [WITH_GC]: floorBytesPerNode(true, n), [NO_GC]: floorBytesPerNode(false, n) }),
};
