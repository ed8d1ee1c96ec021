/**
 * What a collection frees goes back as storage once the collection is over (the heap never
 * trims during one: the collector walks indexes trimming would drop).
 */
import { Heap } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { Collector } from './index.ts';

const N = 200_000;

function bigCycle(heap: Heap): void {
  const Node = heap.defineClass('Node', { slots: ['next'] });
  const first = heap.newInstance(Node);
  let last = first;
  for (let i = 1; i < N; i++) {
    const node = heap.newInstance(Node);
    heap.setSlot(last, 0, node);
    if (last !== first) heap.decref(last);
    last = node;
  }
  heap.setSlot(last, 0, first);
  heap.decref(last);
  heap.decref(first);
}

describe('storage after a collection', () => {
  it('goes back to the size of an empty heap once a large cycle is collected', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    const empty = heap.reservedBytes;
    bigCycle(heap);
    expect(heap.columns.capacity).toBeGreaterThanOrEqual(N);
    expect(gc.collect()).toBe(N);
    expect(heap.columns.capacity).toBe(1024);
    expect(heap.reservedBytes).toBeLessThanOrEqual(empty * 2);
    heap.verify();
    bigCycle(heap);
    expect(gc.collect()).toBe(N);
    heap.verify();
  });

  it('stays during the collection: a finalizer that asks for a trim gets nothing', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    let inside = -1;
    const Marker = heap.defineClass('Marker', { slots: ['other'], finalize: () => (inside = heap.trim()) });
    bigCycle(heap);
    const a = heap.newInstance(Marker);
    heap.setSlot(a, 0, a);
    heap.decref(a);
    gc.collect();
    expect(inside).toBe(0);
    expect(heap.columns.capacity).toBe(1024);
    heap.verify();
  });
});
