/**
 * Code that runs in the middle of a collection — finalizers of objects that die during the
 * sweep, observers of frees — calling back into the collector or allocating. Each case was
 * a defect that lost or corrupted live data; each must leave a heap that verifies.
 */
import { Handles, Heap, NULL, PyRuntimeError, type Ref } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { Collector } from './collector.ts';

/** A young two-node cycle of plain slotted objects whose first node holds `outside`. */
function cycleHolding(heap: Heap, outside: Ref): void {
  const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
  const n1 = heap.newInstance(Node);
  const n2 = heap.newInstance(Node);
  heap.setSlot(n1, 0, n2);
  heap.setSlot(n2, 0, n1);
  heap.setSlot(n1, 1, outside);
  heap.decref(n1);
  heap.decref(n2);
}

describe('a finalizer that runs during the one-sweep release of a cycle', () => {
  it('may list the collector’s objects (gc.get_objects) without corrupting the new object’s books', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    let kept: Ref = NULL;
    const X = heap.defineClass('X', {
      slots: ['v'],
      finalize: (h) => {
        kept = h.newList(); // takes an index the sweep just freed
        gc.getObjects();
      },
    });
    const x = heap.newInstance(X);
    gc.collect(); // x is old now
    cycleHolding(heap, x);
    heap.decref(x);
    gc.collect(0);
    expect(kept).not.toBe(NULL);
    heap.verify();

    // Carried on: the new list joins a cycle and refers to a handle-held object; a young
    // collection must free the cycle's list and leave `z` alone.
    const py = new Handles(heap);
    const z = py.list();
    heap.append(kept, kept);
    heap.append(kept, z.ref);
    heap.decref(kept);
    gc.collect(0);
    heap.verify();
    expect(heap.isAlive(z.ref)).toBe(true);
    expect(heap.refcount(z.ref)).toBe(1);
    z.release();
    heap.verify();
  });

  it('may freeze and unfreeze the collector', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    const X = heap.defineClass('X', {
      finalize: (h) => {
        h.decref(h.newList());
        const survivor = h.newList();
        h.append(survivor, survivor); // a cycle made mid-sweep, frozen with the rest
        h.decref(survivor);
        gc.freeze();
        gc.unfreeze();
      },
    });
    const x = heap.newInstance(X);
    gc.collect();
    cycleHolding(heap, x);
    heap.decref(x);
    gc.collect(0);
    heap.verify();
    expect(gc.collect()).toBe(1);
    heap.verify();
  });
});

describe('detaching the collector', () => {
  it('is refused while a collection runs, and the collection finishes', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    const errors: unknown[] = [];
    heap.unraisable = (info) => errors.push(info.error);
    const F = heap.defineClass('F', { finalize: () => gc.detach() });
    const list = heap.newList();
    const f = heap.newInstance(F);
    heap.setAttr(f, 'self', f);
    heap.append(list, heap.None);
    heap.decref(f);
    expect(gc.collect()).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PyRuntimeError);
    expect(String((errors[0] as Error).message)).toMatch(/while it is collecting/);
    expect(heap.length(list)).toBe(1); // a live list is never emptied
    heap.verify();
    gc.detach(); // outside a collection it works
    heap.verify();
  });
});

describe('a heap observer that allocates when it hears of a free', () => {
  it('keeps what it allocated alive through a one-sweep release', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    const made: Ref[] = [];
    const Node = heap.defineClass('Node', { slots: ['a'] });
    heap.addObserver({
      freed: (_ref, type) => {
        if (type === Node && made.length < 4) made.push(heap.newList());
      },
    });
    const nodes = [0, 1, 2, 3].map(() => heap.newInstance(Node));
    nodes.forEach((n, i) => heap.setSlot(n, 0, nodes[(i + 1) % 4]!));
    for (const n of nodes) heap.decref(n);
    expect(gc.collect()).toBe(4);
    expect(made).toHaveLength(4);
    for (const list of made) {
      expect(heap.isAlive(list)).toBe(true);
      expect(heap.refcount(list)).toBe(1);
    }
    heap.verify();
    for (const list of made) heap.decref(list);
    heap.verify();
  });
});
