/**
 * The floor does the work it stands for: counting frees acyclic garbage at once, the
 * collection frees cycles and nothing alive, the automatic young collection runs past the
 * threshold, a dying object's weak reference is cleared and its callback called. A floor
 * that did less would flatter refheap's ÷ floor column.
 */
import { describe, expect, it } from 'vitest';
import { collectAll, collectYoung, newFloorHeap } from './floor-gc.ts';
import { NODE, OLD, YOUNG } from './floor-heap.ts';

describe('the floor heap', () => {
  it('frees by counting, recursively, and reuses freed entries', () => {
    const heap = newFloorHeap({ collector: true });
    const x = heap.alloc(NODE);
    const y = heap.alloc(NODE);
    heap.setSlot(x, 0, y);
    heap.decref(y);
    expect(heap.refcount[y]).toBe(1);
    heap.decref(x);
    expect(heap.live).toBe(0);
    expect(heap.next[YOUNG]).toBe(YOUNG); // both unlinked from the generation list
    expect(heap.youngCount).toBe(0);
    const z = heap.alloc(NODE);
    expect([x, y]).toContain(z);
  });

  it('collects two-cycles and keeps what is reachable from outside, with intact lists after', () => {
    const heap = newFloorHeap({ collector: true });
    const kept = heap.alloc(NODE); // held by the test
    for (let i = 0; i < 50; i++) {
      const x = heap.alloc(NODE);
      const y = heap.alloc(NODE);
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      if (i === 0) heap.setSlot(kept, 1, x); // this pair is reachable through `kept`
      heap.decref(x);
      heap.decref(y);
    }
    expect(heap.live).toBe(101);
    expect(collectAll(heap)).toBe(98);
    expect(heap.live).toBe(3);
    const onList: number[] = [];
    for (let x = heap.next[OLD]!; x !== OLD; x = heap.next[x]!) {
      expect(heap.next[heap.prev[x]!]).toBe(x);
      onList.push(x);
    }
    expect(onList).toHaveLength(3);
    expect(collectAll(heap)).toBe(0);
    heap.decref(kept);
    expect(collectAll(heap)).toBe(2);
    expect(heap.live).toBe(0);
  });

  it('moves the young generation’s survivors to the old one', () => {
    const heap = newFloorHeap({ collector: true });
    const x = heap.alloc(NODE);
    expect(collectYoung(heap)).toBe(0);
    expect(heap.next[YOUNG]).toBe(YOUNG);
    expect(heap.next[OLD]).toBe(x);
  });

  it('collects the young generation by itself once its count passes 700, when automatic', () => {
    const heap = newFloorHeap({ collector: true, automatic: true });
    for (let i = 0; i < 1000; i++) {
      const x = heap.alloc(NODE);
      const y = heap.alloc(NODE);
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      heap.decref(x);
      heap.decref(y);
    }
    expect(heap.live).toBeLessThanOrEqual(702);
    let young = 0;
    for (let x = heap.next[YOUNG]!; x !== YOUNG; x = heap.next[x]!) young++;
    expect(young).toBeGreaterThan(0);
    // Counted since the last collection, all still on the list — but for the object whose
    // allocation triggered it, counted before the collection reset the count (as in CPython).
    expect(heap.youngCount).toBe(young - 1);
  });

  it('clears a dying object’s weak reference and calls its callback with it', () => {
    const heap = newFloorHeap({ collector: true, weakrefs: true });
    const seen: number[] = [];
    const x = heap.alloc(NODE);
    const r = heap.newWeakref(x, (ref) => seen.push(ref));
    heap.decref(x);
    expect(seen).toEqual([r]);
    expect(heap.slotA[r]).toBe(0);
    heap.decref(r);
    expect(heap.live).toBe(0);
  });

  it('forgets a weak reference that dies before its referent', () => {
    const heap = newFloorHeap({ collector: true, weakrefs: true });
    let called = 0;
    const x = heap.alloc(NODE);
    const r = heap.newWeakref(x, () => called++);
    heap.decref(r);
    heap.decref(x);
    expect(called).toBe(0);
    expect(heap.live).toBe(0);
  });

  it('counts 24 bytes per object with a collector and 16 without', () => {
    expect(newFloorHeap({ collector: true }).bytesPerObject()).toBe(24);
    expect(newFloorHeap({ collector: false }).bytesPerObject()).toBe(16);
  });
});
