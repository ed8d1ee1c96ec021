/**
 * Hostile weak reference callbacks: code run while an object dies (by refcount or in a
 * collection) that does what a careful author never would. Each case states the outcome
 * (CPython's, where CPython defines one) and ends with the heap's own integrity check.
 */
import { Heap, type Ref, type Unraisable } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { WeakSet, WeakValueMap, Weakrefs } from '@refheap/weakref';
import { describe, expect, test } from 'vitest';

function world() {
  const heap = new Heap();
  const gc = new Collector(heap, { enabled: false });
  const weakrefs = Weakrefs.of(heap);
  const unraisable: Unraisable[] = [];
  heap.unraisable = (info) => unraisable.push(info);
  const Node = heap.defineClass('Node');
  return { heap, gc, weakrefs, unraisable, Node };
}

/** A two-object cycle of `type` with nothing outside referring to it. */
function cycleOf(heap: Heap, type: ReturnType<Heap['defineClass']>): [Ref, Ref] {
  const a = heap.newInstance(type);
  const b = heap.newInstance(type);
  heap.setAttr(a, 'peer', b);
  heap.setAttr(b, 'peer', a);
  heap.decref(a);
  heap.decref(b);
  return [a, b];
}

describe('weak reference callbacks that misbehave', () => {
  test('a callback that allocates (even new cyclic garbage) during a collection: the heap stays consistent and the new garbage goes next time', () => {
    const { heap, gc, weakrefs, Node } = world();
    const [a] = cycleOf(heap, Node);
    const wr = weakrefs.ref(a, () => {
      const x = heap.newList();
      const y = heap.newList([x]);
      heap.append(x, y);
      heap.decref(x);
      heap.decref(y);
    });
    expect(gc.collect()).toBe(2);
    heap.verify();
    expect(gc.collect()).toBe(2);
    heap.decref(wr);
    heap.verify();
  });

  test('a callback that throws goes to heap.unraisable and the other callbacks still run (CPython: PyErr_WriteUnraisable, then the next callback)', () => {
    const { heap, weakrefs, unraisable, Node } = world();
    const obj = heap.newInstance(Node);
    const ran: string[] = [];
    const first = weakrefs.ref(obj, () => ran.push('first'));
    const bad = weakrefs.ref(obj, () => {
      ran.push('bad');
      throw new Error('boom');
    });
    const last = weakrefs.ref(obj, () => ran.push('last'));
    heap.decref(obj);
    expect(ran).toEqual(['last', 'bad', 'first']);
    expect(unraisable).toHaveLength(1);
    expect((unraisable[0]!.error as Error).message).toBe('boom');
    for (const wr of [first, bad, last]) heap.decref(wr);
    heap.verify();
  });

  test('a callback that calls collect() during a collection gets 0 (CPython: gc.collect() while collecting returns 0)', () => {
    const { heap, gc, weakrefs, Node } = world();
    const [a] = cycleOf(heap, Node);
    let inner = -1;
    const wr = weakrefs.ref(a, () => (inner = gc.collect()));
    expect(gc.collect()).toBe(2);
    expect(inner).toBe(0);
    heap.decref(wr);
    heap.verify();
  });

  test('a callback that disables the collector: the running collection finishes, the collector stays disabled', () => {
    const { heap, gc, weakrefs, Node } = world();
    gc.enable();
    const [a] = cycleOf(heap, Node);
    const wr = weakrefs.ref(a, () => gc.disable());
    expect(gc.collect()).toBe(2);
    expect(gc.isEnabled()).toBe(false);
    expect(weakrefs.deref(wr)).toBe(0);
    heap.decref(wr);
    heap.verify();
  });

  test('a callback that releases the last reference to another object with weak references: that object dies at once and its callback runs too', () => {
    const { heap, gc, weakrefs, Node } = world();
    const [a] = cycleOf(heap, Node);
    let held: Ref = heap.newInstance(Node);
    const ran: string[] = [];
    const heldRef = weakrefs.ref(held, () => ran.push('held'));
    const wr = weakrefs.ref(a, () => {
      ran.push('cycle');
      heap.decref(held);
      held = 0;
    });
    expect(gc.collect()).toBe(2);
    expect(ran).toEqual(['cycle', 'held']);
    expect(weakrefs.deref(heldRef)).toBe(0);
    heap.decref(wr);
    heap.decref(heldRef);
    heap.verify();
  });

  test('a callback that makes a weak reference to another object of the garbage it belongs to: the new reference is dead once the collection ends', () => {
    const { heap, gc, weakrefs, Node } = world();
    const [a, b] = cycleOf(heap, Node);
    let late: Ref = 0;
    const wr = weakrefs.ref(a, () => {
      if (heap.isAlive(b)) late = weakrefs.ref(b);
    });
    expect(gc.collect()).toBe(2);
    if (late !== 0) {
      expect(weakrefs.deref(late)).toBe(0);
      heap.decref(late);
    }
    heap.decref(wr);
    heap.verify();
  });

  test('a callback whose object dies by refcount makes a weak reference to a new object: it lives on independently', () => {
    const { heap, weakrefs, Node } = world();
    const obj = heap.newInstance(Node);
    const other = heap.newInstance(Node);
    let late: Ref = 0;
    const wr = weakrefs.ref(obj, () => (late = weakrefs.ref(other)));
    heap.decref(obj);
    expect(weakrefs.deref(late)).toBe(other);
    heap.decref(other);
    expect(weakrefs.deref(late)).toBe(0);
    heap.decref(late);
    heap.decref(wr);
    heap.verify();
  });
});

describe('weak containers changed while they are iterated', () => {
  test('a value that dies during iteration of a WeakValueMap is skipped and its entry removed afterwards (CPython: _IterationGuard, [0, 1, 2] and len 3)', () => {
    const { heap, Node } = world();
    const objs = [0, 1, 2, 3].map(() => heap.newInstance(Node));
    const map = new WeakValueMap<number>(heap);
    objs.forEach((obj, i) => map.set(i, obj));
    const seen: number[] = [];
    for (const [key] of map) {
      seen.push(key);
      if (key === 0) heap.decref(objs[3]!);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect(map.size).toBe(3);
    heap.verify();
    for (const obj of objs.slice(0, 3)) heap.decref(obj);
    expect(map.size).toBe(0);
    heap.verify();
  });

  test('a member of a WeakSet that dies in a collection run during its iteration is skipped, and removed afterwards', () => {
    const { heap, gc, Node } = world();
    const kept = heap.newInstance(Node);
    const [a, b] = cycleOf(heap, Node);
    const set = new WeakSet(heap, [kept, a, b]);
    let steps = 0;
    for (const item of set) {
      steps++;
      if (steps === 1) {
        expect(gc.collect()).toBe(2);
      } else {
        expect(item.ref).toBe(kept);
      }
    }
    expect(steps).toBeLessThanOrEqual(2);
    expect(set.size).toBe(1);
    expect(set.has(kept)).toBe(true);
    heap.decref(kept);
    expect(set.size).toBe(0);
    heap.verify();
  });
});
