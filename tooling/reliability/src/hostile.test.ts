/**
 * Hostile finalizers: code run in the middle of a collection or a deallocation that
 * does what a careful author never would. Each case states the outcome (CPython's,
 * where CPython defines one) and ends with the heap's own integrity check.
 */
import { Handles, Heap, type Ref, type Unraisable } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Tracemalloc } from '@refheap/monitor';
import { describe, expect, test } from 'vitest';

function world(options: { enabled?: boolean } = {}) {
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: options.enabled ?? false });
  const unraisable: Unraisable[] = [];
  heap.unraisable = (info) => unraisable.push(info);
  return { heap, py, gc, unraisable };
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

describe('finalizers that misbehave during a collection', () => {
  test('a finalizer that allocates (even new cyclic garbage) leaves a consistent heap; the new garbage is collected next time', () => {
    const { heap, gc } = world();
    const Maker = heap.defineClass('Maker', {
      finalize: (h) => {
        const x = h.newList();
        const y = h.newList([x]);
        h.append(x, y);
        h.decref(x);
        h.decref(y);
      },
    });
    cycleOf(heap, Maker);
    expect(gc.collect()).toBe(2);
    heap.verify();
    expect(gc.collect()).toBe(4); // the two cycles the two finalizers made
    heap.verify();
  });

  test('a finalizer that resurrects its object once: it survives; the second time it is simply freed (PEP 442)', () => {
    const { heap, gc } = world();
    const saved = heap.newList();
    let runs = 0;
    const Phoenix = heap.defineClass('Phoenix', {
      finalize: (h, self) => {
        runs++;
        h.append(saved, self);
      },
    });
    cycleOf(heap, Phoenix);
    expect(gc.collect()).toBe(0); // both resurrected (one saved, the other through it)
    expect(heap.length(saved)).toBe(2);
    heap.verify();
    while (heap.length(saved) > 0) heap.deleteItem(saved, 0);
    expect(gc.collect()).toBe(2);
    expect(runs).toBe(2); // each finalizer ran once in its life
    heap.verify();
  });

  test('a finalizer that resurrects a different piece of garbage keeps that object and all it reaches', () => {
    const { heap, gc } = world();
    const saved = heap.newList();
    const Plain = heap.defineClass('Plain');
    const [victim] = cycleOf(heap, Plain);
    const Thief = heap.defineClass('Thief', { finalize: (h, self) => h.append(saved, h.getAttr(self, 'loot')) });
    const thief = heap.newInstance(Thief);
    heap.setAttr(thief, 'loot', victim);
    heap.setAttr(thief, 'self', thief);
    heap.decref(thief);
    gc.collect();
    expect(heap.isAlive(victim)).toBe(true);
    expect(heap.item(saved, 0)).toBe(victim);
    heap.verify();
  });

  test('a finalizer that throws is reported, and the cycle is still freed', () => {
    const { heap, gc, unraisable } = world();
    const Bad = heap.defineClass('Bad', {
      finalize: () => {
        throw new Error('boom');
      },
    });
    cycleOf(heap, Bad);
    expect(gc.collect()).toBe(2);
    expect(unraisable.map((u) => u.phase)).toEqual(['finalizer', 'finalizer']);
    expect(unraisable[0]!.message).toMatch(/^Exception ignored in: <finalizer of <Bad object at 0x[0-9a-f]+>>/);
    heap.verify();
  });

  test('a finalizer that calls collect() gets 0 and changes nothing', () => {
    const { heap, gc } = world();
    const results: number[] = [];
    const Nested = heap.defineClass('Nested', { finalize: () => results.push(gc.collect()) });
    cycleOf(heap, Nested);
    expect(gc.collect()).toBe(2);
    expect(results).toEqual([0, 0]);
    heap.verify();
  });

  test('a finalizer that disables the collector: the running collection finishes, later ones only when asked', () => {
    const { heap, gc } = world({ enabled: true });
    const Off = heap.defineClass('Off', { finalize: () => gc.disable() });
    cycleOf(heap, Off);
    expect(gc.collect()).toBe(2);
    expect(gc.isEnabled()).toBe(false);
    heap.verify();
  });

  test('a finalizer that releases an object the collection is about to clear', () => {
    const { heap, gc } = world();
    const held = heap.newList();
    const Dropper = heap.defineClass('Dropper', {
      finalize: (h, self) => {
        if (h.findAttr(self, 'extra') !== 0) h.delAttr(self, 'extra');
      },
    });
    const [a] = cycleOf(heap, Dropper);
    heap.setAttr(a, 'extra', held);
    heap.decref(held);
    expect(gc.collect()).toBe(2);
    expect(heap.isAlive(held)).toBe(false);
    heap.verify();
  });

  test('finalizers that allocate past the threshold during a deep deallocation never see a dying object', () => {
    const { heap, gc, unraisable } = world({ enabled: true });
    gc.setThreshold(1);
    const Noisy = heap.defineClass('Noisy', {
      finalize: (h) => {
        const inner = h.newList();
        const outer = h.newList([inner]);
        h.decref(inner);
        h.decref(outer);
      },
      slots: ['next'],
    });
    let head = heap.newInstance(Noisy);
    for (let i = 0; i < 2000; i++) {
      const node = heap.newInstance(Noisy);
      heap.setSlot(node, 0, head);
      heap.decref(head);
      head = node;
    }
    heap.decref(head);
    expect(unraisable).toEqual([]);
    heap.verify();
  });
});

describe('finalizers that misbehave while a tracer traces', () => {
  /** Traced memory must always be what the snapshot's traces add up to. */
  function consistent(tracer: Tracemalloc): void {
    let sum = 0;
    for (const trace of tracer.takeSnapshot().traces) sum += trace.size;
    expect(tracer.getTracedMemory()[0]).toBe(Math.round(sum));
  }

  test.each([0, 256])('resurrecting, allocating and stopping the tracer from finalizers (sampling interval %i)', (interval) => {
    const { heap, gc, unraisable } = world();
    const tracer = new Tracemalloc(heap);
    tracer.start(2, { samplingInterval: interval, seed: 5 });
    const saved = heap.newList();
    let stopAt = 40;
    const Hostile = heap.defineClass('Hostile', {
      finalize: (h, self) => {
        if (h.length(saved) < 10) h.append(saved, self); // resurrect some
        const junk = h.newList([h.newList()]); // allocate while being freed (one leaks into junk's item)
        h.decref(h.item(junk, 0));
        h.decref(junk);
        if (--stopAt === 0) tracer.stop(); // and stop tracing in the middle of a collection
      },
    });
    for (let i = 0; i < 30; i++) cycleOf(heap, Hostile);
    gc.collect();
    heap.verify();
    if (tracer.isTracing()) consistent(tracer);
    expect(tracer.isTracing()).toBe(false); // 60 finalizers ran; the 40th stopped it
    tracer.start(1, { samplingInterval: interval });
    for (let i = 0; i < 30; i++) cycleOf(heap, Hostile);
    gc.collect();
    consistent(tracer);
    heap.decref(saved); // the resurrected ones go now (their finalizers have run: PEP 442, once)
    gc.collect();
    consistent(tracer);
    heap.verify();
    tracer.stop();
    heap.verify();
    expect(unraisable).toEqual([]);
  });
});

