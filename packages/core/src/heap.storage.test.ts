/**
 * Storage goes back when the top of the heap empties, as pymalloc returns an empty arena:
 * the object table's columns, the slot pool and the young buffer shrink, and nothing that
 * named a trimmed index — an id, a stale reference, a serial — is fooled by it afterwards.
 */
import { describe, expect, it } from 'vitest';
import { StaleIdError, UseAfterFreeError } from './errors.ts';
import { Heap, type HeapType } from './heap.ts';
import type { Ref } from './ref.ts';

/** More frees than the heap waits for before it trims by itself. */
const MANY = 200_000;

const nodeTypes = new WeakMap<Heap, HeapType>();

/** A linked list of `n` Nodes (one class per heap), its head returned. */
function chain(heap: Heap, n: number): Ref {
  let Node = nodeTypes.get(heap);
  if (Node === undefined) nodeTypes.set(heap, (Node = heap.defineClass('Node', { slots: ['next'] })));
  let head = heap.newInstance(Node);
  for (let i = 1; i < n; i++) {
    const node = heap.newInstance(Node);
    heap.setSlot(node, 0, head);
    heap.decref(head);
    head = node;
  }
  return head;
}

describe('a heap whose top empties', () => {
  it('gives the columns and the slot pool back when a large structure is freed by one release', () => {
    const heap = new Heap();
    const empty = heap.reservedBytes;
    const head = chain(heap, MANY);
    const peak = heap.reservedBytes;
    expect(heap.columns.capacity).toBeGreaterThanOrEqual(MANY);
    heap.decref(head);
    expect(heap.reservedBytes).toBeLessThan(peak / 8);
    expect(heap.reservedBytes).toBeLessThanOrEqual(empty * 2);
    expect(heap.columns.capacity).toBe(1024);
    expect(heap.stats().slotWords).toBeLessThan(64);
    heap.verify();
  });

  it('builds the same structure again after trimming, with every check passing', () => {
    const heap = new Heap();
    for (let round = 0; round < 3; round++) {
      const head = chain(heap, MANY);
      heap.verify();
      expect(heap.liveObjects).toBeGreaterThanOrEqual(MANY);
      heap.decref(head);
      heap.verify();
    }
    expect(heap.columns.capacity).toBe(1024);
  });

  it('keeps what is still live below the top, and trims nothing under it', () => {
    const heap = new Heap();
    const keep = heap.newList();
    const head = chain(heap, MANY);
    const last = heap.newList(); // the top of the table: it stays live
    heap.decref(head);
    expect(heap.columns.capacity).toBeGreaterThanOrEqual(MANY); // the top is in use
    heap.verify();
    heap.decref(last);
    heap.trim();
    expect(heap.columns.capacity).toBe(1024);
    expect(heap.isAlive(keep)).toBe(true);
    heap.verify();
  });

  it('never goes below the capacity the heap was made with', () => {
    const heap = new Heap({ initialCapacity: 1 << 18 });
    heap.decref(chain(heap, MANY * 2));
    expect(heap.columns.capacity).toBe(1 << 18);
  });

  it('answers an id of a trimmed object with "freed", and a later object there with "reused"', () => {
    const heap = new Heap();
    const head = chain(heap, MANY);
    const id = heap.id(head); // the last index allocated: the top
    heap.decref(head);
    expect(() => heap.objectAt(id)).toThrow(StaleIdError);
    expect(() => heap.objectAt(id)).toThrow(/has been freed/);
    expect(() => heap.decref(head)).toThrow(UseAfterFreeError);
    const again = chain(heap, MANY); // the same index, once more the top
    expect(again).toBe(head);
    expect(() => heap.objectAt(id)).toThrow(/the id now belongs to/);
  });

  it('starts a re-grown index at a serial above the one it had, so a stale reference cannot match it', () => {
    const heap = new Heap();
    const head = chain(heap, MANY);
    const serial = heap.serialOf(head);
    heap.decref(head);
    const again = chain(heap, MANY);
    expect(again).toBe(head);
    expect(heap.serialOf(again)).toBeGreaterThan(serial);
  });

  it('does not trim inside a finalizer, and trims once the release is over', () => {
    const heap = new Heap();
    let inside = -1;
    const Last = heap.defineClass('Last', {
      finalize: () => {
        inside = heap.trim();
      },
    });
    const Node = heap.defineClass('Node', { slots: ['next'] });
    let head = heap.newInstance(Last);
    for (let i = 1; i < MANY; i++) {
      const node = heap.newInstance(Node);
      heap.setSlot(node, 0, head);
      heap.decref(head);
      head = node;
    }
    heap.decref(head);
    expect(inside).toBe(0);
    expect(heap.columns.capacity).toBe(1024);
    heap.verify();
  });

  it('gives back the slot blocks of freed lists and tuples at the top of the pool', () => {
    const heap = new Heap();
    const outer = heap.newList();
    for (let i = 0; i < MANY / 2; i++) {
      const inner = heap.newList();
      for (let j = 0; j < 5; j++) heap.append(inner, heap.None);
      const t = heap.newTuple([inner, inner]);
      heap.append(outer, t);
      heap.decref(t);
      heap.decref(inner);
    }
    const words = heap.stats().slotWords;
    heap.decref(outer);
    expect(heap.stats().slotWords).toBeLessThan(words / 100);
    heap.verify();
  });

  it('trim() with nothing free at the top gives nothing back and changes nothing', () => {
    const heap = new Heap();
    const head = chain(heap, 10_000);
    const before = heap.reservedBytes;
    expect(heap.isAlive(head)).toBe(true);
    expect(heap.trim()).toBe(0);
    expect(heap.reservedBytes).toBe(before);
    expect(heap.liveObjects).toBeGreaterThanOrEqual(10_000);
    heap.verify();
  });
});
