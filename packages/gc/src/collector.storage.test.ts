/**
 * What a collection frees goes back as storage once the collection is over (the heap never
 * trims during one: the collector walks indexes trimming would drop); and the collector's own
 * lists grow with the heap, not inside its collections.
 */
import { Heap, type Ref } from '@refheap/core';
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

describe('the oldest generation’s list', () => {
  it('is given room as the heap’s table grows, so no collection copies it, however far the heap grows', () => {
    // A copy of a long list inside a collection shows as a typed-array `set` from a long source.
    const copies: number[] = [];
    let gc: Collector | null = null;
    const descriptor = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int32Array.prototype) as object, 'set')!;
    const set = descriptor.value as (this: Int32Array, source: ArrayLike<number>, offset?: number) => void;
    Int32Array.prototype.set = function (this: Int32Array, source: ArrayLike<number>, offset?: number): void {
      if (gc?.isCollecting === true && source.length >= 50_000) copies.push(source.length);
      set.call(this, source, offset);
    };
    try {
      const heap = new Heap();
      gc = new Collector(heap, { incremental: true });
      const Node = heap.defineClass('Node', { slots: ['a'] });
      const a = Node.slotIndex.get('a')!;
      // Kept pairs, each made a cycle, so that every one is tracked and reaches the oldest
      // generation: the table doubles four times while its list holds most of the heap.
      const kept: Ref[] = [];
      for (let i = 0; i < 300_000; i++) {
        const x = heap.newInstance(Node);
        const y = heap.newInstance(Node);
        heap.setSlot(x, a, y);
        heap.setSlot(y, a, x);
        heap.decref(y);
        kept.push(x);
      }
      expect(heap.columns.capacity).toBeGreaterThanOrEqual(600_000);
      expect(gc.getStats()[1]!.collections).toBeGreaterThan(50);
      expect(copies).toEqual([]);
      for (const x of kept) heap.decref(x);
      gc.collect();
      heap.verify();
    } finally {
      delete (Int32Array.prototype as { set?: unknown }).set; // (the shared TypedArray method shows through again)
    }
  });
});
