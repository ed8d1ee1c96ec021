/**
 * The `clock` option: the clock pauses are measured with and slices budgeted by. What a user
 * relies on: pauses read on that clock and on no other; a slice stops when that clock says its
 * budget is spent; a clock that is not a function is refused before anything is attached; one
 * that throws or returns what is not a time is reported and replaced, and the collection it
 * failed in goes on, its pauses on one scale.
 */
import { Heap, PyTypeError, type Ref, type Unraisable } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector } from './index.ts';

function setup(clock: () => number, incremental = false) {
  const unraisable: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => unraisable.push(info) });
  const gc = new Collector(heap, { enabled: false, incremental, clock });
  return { heap, gc, unraisable };
}

/** A two-cycle of instances whose finalizer runs `onFinalize`, nothing outside holding it. */
function cycleWithFinalizer(heap: Heap, onFinalize: () => void): void {
  const Node = heap.defineClass('Node', { finalize: () => onFinalize() });
  const x = heap.newInstance(Node);
  const y = heap.newInstance(Node);
  heap.setAttr(x, 'next', y);
  heap.setAttr(y, 'next', x);
  heap.decref(x);
  heap.decref(y);
}

/** `count` two-cycles of slot Nodes that lived long enough to reach the oldest generation. */
function oldGarbage(heap: Heap, gc: Collector, count: number): void {
  const Node = heap.defineClass('Pair', { slots: ['a'] });
  const a = Node.slotIndex.get('a')!;
  const kept: Ref[] = [];
  for (let i = 0; i < count; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, a, y);
    heap.setSlot(y, a, x);
    heap.decref(y);
    kept.push(x);
  }
  gc.collect(); // into the oldest generation…
  for (const x of kept) heap.decref(x); // …and garbage there
}

describe('the collector’s clock', () => {
  test('pauses are read on the given clock: two finalizers that move it by 3.5 ms each make a pause of exactly 7', () => {
    let now = 1000;
    const { heap, gc } = setup(() => now);
    cycleWithFinalizer(heap, () => {
      now += 3.5;
    });
    expect(gc.collect()).toBe(2);
    const [pause] = gc.getPauses().slice(-1);
    expect(pause).toMatchObject({ startedAt: 1000, duration: 7, unreachable: 2 });
    expect(gc.pauseSummary().maxMs).toBe(7);
  });

  test('slices are budgeted by it: with a clock that jumps a whole budget at every reading, each slice stops at its first look', () => {
    let now = 0;
    const { heap, gc } = setup(() => (now += 1), true);
    oldGarbage(heap, gc, 2000);
    let steps = 0;
    while (!gc.collectStep() && steps < 100_000) steps++;
    const slices = gc.getPauses().filter((p) => p.slice);
    // 4,000 objects, three passes and the final steps: many slices, each a reading or two long.
    expect(slices.length).toBeGreaterThan(20);
    expect(Math.max(...slices.map((p) => p.duration))).toBeLessThanOrEqual(2);
    expect(gc.getStats()[2]!.collected).toBe(4000);
    heap.verify();
  });

  test('one that is not a function is refused by name, before anything is attached to the heap', () => {
    const heap = new Heap();
    expect(() => new Collector(heap, { clock: 5 as never })).toThrow(
      new PyTypeError("the collector's clock must be a function returning milliseconds, not 5"),
    );
    expect(() => new Collector(heap, { clock: 'now' as never })).toThrow(/not 'now'/);
    expect(() => new Collector(heap, { clock: null as never })).toThrow(/not null/);
    expect(new Collector(heap, { clock: () => 0 }).collect()).toBe(0); // the heap can take a collector still
    heap.verify();
  });

  test.each([
    ['throws', (): number => {
      throw new Error('clock broke');
    }, /clock broke/],
    ['returns NaN', (): number => Number.NaN, /returned NaN, not a number of milliseconds/],
    ['returns a string', (): number => 'soon' as never, /returned 'soon'/],
  ])('one that %s is reported once and replaced by performance.now(), carried on from its last reading', (_, failure, message) => {
    let reads = 0;
    // Good for the first collection's two readings, failing from the second collection's first on.
    const { heap, gc, unraisable } = setup(() => (++reads > 2 ? failure() : 5000));
    expect(gc.collect()).toBe(0);
    cycleWithFinalizer(heap, () => undefined);
    expect(gc.collect()).toBe(2); // the collection goes on
    expect(unraisable).toHaveLength(1);
    expect(unraisable[0]).toMatchObject({ phase: 'gc clock', object: 'garbage collection' });
    expect(String(unraisable[0]!.error)).toMatch(message);
    // It began at the last good reading and was timed on performance.now() from there, as is
    // every pause after it: small, and on the scale of the ones before.
    cycleWithFinalizer(heap, () => undefined);
    expect(gc.collect()).toBe(2);
    const [, failed, later] = gc.getPauses();
    expect(failed!.startedAt).toBe(5000);
    for (const pause of [failed!, later!]) {
      expect(pause.startedAt).toBeGreaterThanOrEqual(5000);
      expect(pause.startedAt).toBeLessThan(5000 + 60_000);
      expect(pause.duration).toBeGreaterThanOrEqual(0);
      expect(pause.duration).toBeLessThan(1000);
    }
    expect(later!.startedAt).toBeGreaterThanOrEqual(failed!.startedAt + failed!.duration);
    expect(unraisable).toHaveLength(1); // reported once
    heap.verify();
  });
});
