/**
 * Generations: the gen-0 count (container allocations minus deallocations), the per-generation
 * counts, survivors moving one generation up, automatic collection past threshold 0, the older
 * generations' thresholds, the long-lived heuristic for full collections, and the rule that a
 * collection never starts while one runs. The patterns were checked against CPython 3.11
 * (gc.callbacks recording the generation of every automatic collection).
 */
import { Handles, Heap, type Ref } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { type CollectionPhase, Collector, type CollectorOptions } from './index.ts';

function setup(options: CollectorOptions = {}) {
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false, ...options });
  gc.collect();
  return { heap, py, gc };
}

function selfCycle(heap: Heap): void {
  const l = heap.newList();
  heap.append(l, l);
  heap.decref(l);
}

/** Records the generation of each collection as it starts. */
function recordStarts(gc: Collector): number[] {
  const starts: number[] = [];
  gc.callbacks.push((phase, info) => {
    if (phase === 'start') starts.push(info.generation);
  });
  return starts;
}

describe('counts', () => {
  test('getCount()[0] counts containers allocated minus containers freed; atoms do not count', () => {
    const { heap, gc } = setup();
    expect(gc.getCount()).toEqual([0, 0, 0]);
    const l = heap.newList();
    expect(gc.getCount()[0]).toBe(1);
    const d = heap.newDict(); // untracked, but allocated as a container
    expect(gc.getCount()[0]).toBe(2);
    const atoms = [heap.newInt(1000), heap.newFloat(1.5), heap.newStr('not an identifier!')];
    expect(gc.getCount()[0]).toBe(2);
    const t = heap.newTuple([l, d]);
    expect(gc.getCount()[0]).toBe(3);
    heap.decref(t);
    expect(gc.getCount()[0]).toBe(2);
    heap.decref(l);
    heap.decref(d);
    expect(gc.getCount()[0]).toBe(0);
    for (const a of atoms) heap.decref(a);
    expect(gc.getCount()[0]).toBe(0);
  });

  test('getCount()[0] never goes below zero when objects older than the last collection are freed', () => {
    const { heap, gc } = setup();
    const old = [heap.newList(), heap.newList()];
    gc.collect();
    expect(gc.getCount()[0]).toBe(0);
    for (const l of old) heap.decref(l);
    expect(gc.getCount()[0]).toBe(0);
    heap.newList();
    expect(gc.getCount()[0]).toBe(1);
  });

  test('collect(0) bumps generation 1, collect(1) bumps generation 2, collect(2) resets all (test_collect_generations)', () => {
    const { heap, gc } = setup();
    heap.newList(); // x = []
    gc.collect(0);
    const [, b, c] = gc.getCount();
    gc.collect(1);
    const [, e, f] = gc.getCount();
    gc.collect(2);
    const [, h, i] = gc.getCount();
    expect([b, c]).toEqual([1, 0]);
    expect([e, f]).toEqual([0, 1]);
    expect([h, i]).toEqual([0, 0]);
  });

  test('each collection resets the gen-0 count', () => {
    const { heap, gc } = setup();
    for (let i = 0; i < 5; i++) heap.newList();
    expect(gc.getCount()[0]).toBe(5);
    gc.collect(1);
    expect(gc.getCount()).toEqual([0, 0, 1]);
  });
});

describe('survivors move up one generation', () => {
  test('an object that survives moves from generation 0 to 1 to 2 and stays in 2', () => {
    const { heap, gc } = setup();
    const x = heap.newList();
    const generationOf = (ref: Ref) => [0, 1, 2].find((g) => gc.getObjects(g).includes(ref));
    expect(generationOf(x)).toBe(0);
    gc.collect(0);
    expect(generationOf(x)).toBe(1);
    gc.collect(0);
    expect(generationOf(x)).toBe(1); // collecting generation 0 does not touch generation 1
    gc.collect(1);
    expect(generationOf(x)).toBe(2);
    gc.collect(1);
    gc.collect(2);
    expect(generationOf(x)).toBe(2);
  });

  test('collecting generation 1 takes generation 0 along: both move into generation 2', () => {
    const { heap, gc } = setup();
    const older = heap.newList();
    gc.collect(0);
    const younger = heap.newList();
    expect(gc.getObjects(1)).toContain(older);
    expect(gc.getObjects(0)).toContain(younger);
    gc.collect(1);
    expect(gc.getObjects(2)).toEqual(expect.arrayContaining([older, younger]));
    expect(gc.getObjects(0)).toEqual([]);
    expect(gc.getObjects(1)).toEqual([]);
  });

  test('a cycle split across generations is found only by a collection that takes all of it', () => {
    const { heap, gc } = setup();
    const a = heap.newList();
    gc.collect(1); // a is in generation 2
    const b = heap.newList();
    heap.append(a, b);
    heap.append(b, a);
    heap.decref(a);
    heap.decref(b);
    expect(gc.collect(0)).toBe(0); // b is held from generation 2
    expect(gc.collect(1)).toBe(0); // still: a is older
    expect(gc.collect(2)).toBe(2);
  });
});

describe('automatic collection', () => {
  test('a collection of generation 0 starts on the allocation that takes the count past threshold 0', () => {
    const { heap, gc } = setup();
    gc.setThreshold(10);
    gc.enable();
    const starts = recordStarts(gc);
    const keep: Ref[] = [];
    for (let i = 0; i < 10; i++) keep.push(heap.newList());
    expect(gc.getCount()[0]).toBe(10);
    expect(starts).toEqual([]);
    keep.push(heap.newList()); // the 11th: 11 > 10
    expect(starts).toEqual([0]);
    expect(gc.getCount()[0]).toBe(0);
    expect(gc.getPauses().at(-1)).toMatchObject({ generation: 0, automatic: true, examined: 10 });
    for (const ref of keep.slice(0, 10)) expect(gc.getObjects(1)).toContain(ref);
    expect(gc.getObjects(0)).toContain(keep[10]); // allocated after the collection started
  });

  test('automatic collection frees cyclic garbage without any explicit collect', () => {
    const { heap, gc } = setup();
    gc.setThreshold(100);
    gc.enable();
    const base = heap.liveObjects;
    for (let i = 0; i < 10_000; i++) selfCycle(heap);
    expect(heap.liveObjects - base).toBeLessThanOrEqual(101);
    expect(gc.getStats()[0]!.collections).toBeGreaterThan(50);
  });

  test('no automatic collection happens while the collector is disabled, nor with threshold 0', () => {
    const { heap, gc } = setup();
    const starts = recordStarts(gc);
    gc.setThreshold(5);
    for (let i = 0; i < 100; i++) selfCycle(heap);
    expect(starts).toEqual([]);
    gc.setThreshold(0);
    gc.enable();
    for (let i = 0; i < 100; i++) selfCycle(heap);
    expect(starts).toEqual([]);
    expect(gc.getCount()[0]).toBe(200);
  });

  test('enable() resumes automatic collection at the next allocation past the threshold', () => {
    const { heap, gc } = setup();
    const starts = recordStarts(gc);
    gc.setThreshold(5);
    for (let i = 0; i < 20; i++) selfCycle(heap);
    expect(starts).toEqual([]);
    gc.enable();
    expect(starts).toEqual([]);
    selfCycle(heap);
    expect(starts).toEqual([0]);
    expect(gc.getStats()[0]!.collected).toBe(20);
  });

  test('every automatic collection of generation 0 adds one to generation 1, and past threshold 1 the next is of generation 1', () => {
    // CPython 3.11 with set_threshold(50, 2, 1): 0, 0, 0, 1, 0, 0, 0, 1, …
    const { heap, gc } = setup();
    gc.setThreshold(10, 2, 1000);
    gc.enable();
    const starts = recordStarts(gc);
    const counts: number[] = [];
    gc.callbacks.push((phase) => {
      if (phase === 'stop') counts.push(gc.getCount()[1]);
    });
    const keep: Ref[] = [];
    while (starts.length < 12) keep.push(heap.newList());
    expect(starts).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(counts).toEqual([1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0]);
  });

  test('the long-lived heuristic: generation 2 is collected automatically only once the objects that reached it since the last full collection exceed a quarter of it', () => {
    const { heap, gc } = setup();
    const longLived: Ref[] = [];
    for (let i = 0; i < 400; i++) longLived.push(heap.newList());
    gc.collect();
    const total = gc.getObjects(2).length; // long_lived_total, set by the full collection
    expect(total).toBeGreaterThan(400);

    gc.setThreshold(50, 2, 1);
    gc.enable();
    const seen: { generation: number; count2: number; pending: number }[] = [];
    gc.callbacks.push((phase, info) => {
      if (phase === 'start') {
        seen.push({ generation: info.generation, count2: gc.getCount()[2], pending: gc.getObjects(2).length - total });
      }
    });

    // Garbage only: nothing new reaches generation 2, so however far past its threshold
    // generation 2's count goes, no full collection happens.
    for (let i = 0; i < 3000; i++) selfCycle(heap);
    expect(seen.length).toBeGreaterThan(20);
    expect(seen.map((s) => s.generation)).not.toContain(2);
    expect(Math.max(...seen.map((s) => s.count2))).toBeGreaterThan(1);
    expect(seen.every((s) => s.pending === 0)).toBe(true);

    // Survivors: they pile up in generation 2 until they exceed a quarter of it.
    seen.length = 0;
    const survivors: Ref[] = [];
    while (!seen.some((s) => s.generation === 2) && survivors.length < 10_000) survivors.push(heap.newList());
    const full = seen.findIndex((s) => s.generation === 2);
    expect(full).toBeGreaterThan(0);
    expect(seen[full]!.pending).toBeGreaterThanOrEqual(total / 4);
    for (const s of seen.slice(0, full)) {
      if (s.count2 > 1) expect(s.pending).toBeLessThan(total / 4); // over threshold 2, but held back
    }
    expect(seen.slice(0, full).some((s) => s.count2 > 1)).toBe(true);

    // After the full collection, the pending count starts again from the new total.
    const newTotal = gc.getObjects(2).length;
    seen.length = 0;
    for (let i = 0; i < 2000; i++) selfCycle(heap);
    expect(seen.map((s) => s.generation)).not.toContain(2);
    expect(newTotal).toBeGreaterThan(total);
  });

  test('a collection is never re-entered: a finalizer that allocates past the threshold during one starts no nested collection', () => {
    const { heap, gc } = setup();
    const phases: CollectionPhase[] = [];
    gc.callbacks.push((phase) => phases.push(phase));
    const made: Ref[] = [];
    const Alloc = heap.defineClass('Alloc', {
      finalize: (h) => {
        for (let i = 0; i < 20; i++) made.push(h.newList());
      },
    });
    gc.setThreshold(5);
    gc.enable();
    const a = heap.newInstance(Alloc);
    heap.setAttr(a, 'me', a);
    heap.decref(a);
    const keep: Ref[] = [];
    while (phases.length === 0) keep.push(heap.newList());
    expect(phases).toEqual(['start', 'stop']);
    expect(made).toHaveLength(20);
    expect(gc.getCount()[0]).toBe(20 - 1); // allocated while the collection ran, minus the Alloc it freed
    keep.push(heap.newList()); // 20 > 5: now it collects
    expect(phases).toEqual(['start', 'stop', 'start', 'stop']);
    expect(gc.getObjects(1)).toEqual(expect.arrayContaining(made));
  });

  test('a gc callback that allocates past the threshold starts no nested collection either', () => {
    const { heap, gc } = setup();
    const phases: CollectionPhase[] = [];
    const made: Ref[] = [];
    gc.callbacks.push((phase) => {
      phases.push(phase);
      for (let i = 0; i < 10; i++) made.push(heap.newList());
    });
    gc.setThreshold(3);
    gc.enable();
    for (let i = 0; i < 4; i++) made.push(heap.newList());
    expect(phases).toEqual(['start', 'stop']);
    expect(gc.isCollecting).toBe(false);
  });

  test('an automatic collection examines the young objects of every generation it takes', () => {
    const { heap, gc } = setup();
    gc.setThreshold(4, 0, 1000);
    gc.enable();
    const starts = recordStarts(gc);
    const keep: Ref[] = [];
    while (starts.length < 2) keep.push(heap.newList());
    // The 5th list starts a collection of generation 0 (the first four); the 10th, one of
    // generation 1, whose count (1) is past its threshold (0): those four and the 5th to the 9th.
    expect(starts).toEqual([0, 1]);
    expect(keep).toHaveLength(10);
    const pauses = gc.getPauses().slice(-2);
    expect(pauses.map((p) => p.examined)).toEqual([4, 9]);
    expect(gc.getObjects(2)).toEqual(expect.arrayContaining(keep.slice(0, 9)));
    expect(gc.getObjects(0)).toEqual([keep[9]]);
  });
});
