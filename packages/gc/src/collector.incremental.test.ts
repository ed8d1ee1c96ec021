/**
 * Incremental mode: the oldest generation collected in slices while the program changes
 * the graph between them. What must hold: nothing the program can reach is freed (even an
 * object that looked unreachable when the cycle began and was linked back in between
 * slices); garbage present at the start is found by the end of that cycle or the next;
 * finalizers run in the order a stop-the-world collection of the same garbage runs them;
 * explicit collect() in mid-cycle is a whole stop-the-world collection; verify() passes
 * between any two slices. Slices here are one to a few objects (`collectStep(work)`), so
 * every pass is cut in as many places as possible.
 */
import { Heap, type HeapType, PyTypeError, type Ref, type Unraisable } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { type CollectionInfo, type CollectionPhase, Collector } from './index.ts';

function setup(incremental = true) {
  const unraisable: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => unraisable.push(info) });
  const gc = new Collector(heap, { enabled: false, incremental });
  const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
  gc.collect();
  return { heap, gc, Node, unraisable };
}

function watch(heap: Heap, ref: Ref): () => boolean {
  const serial = heap.serialOf(ref);
  return () => heap.isAlive(ref) && heap.serialOf(ref) === serial;
}

/** A ring of `n` Nodes through slot a, nothing outside holding it; returns its members (borrowed). */
function ring(heap: Heap, Node: HeapType, n: number): Ref[] {
  const nodes = Array.from({ length: n }, () => heap.newInstance(Node));
  nodes.forEach((node, i) => heap.setSlot(node, 0, nodes[(i + 1) % n]!));
  for (const node of nodes) heap.decref(node);
  return nodes;
}

/** Runs slices of `work` objects until the cycle in progress (or a new one) ends, calling `between` after each. */
function finishCycle(gc: Collector, work: number, between: () => void = () => undefined): number {
  for (let slices = 1; slices < 1_000_000; slices++) {
    if (gc.collectStep(work)) return slices;
    gc.heap.verify();
    between();
  }
  throw new Error('the cycle never ended');
}

describe('incremental cycles', () => {
  test('find old cyclic garbage, count it in get_stats, and record every slice as a pause', () => {
    const { heap, gc, Node } = setup();
    const keep = ring(heap, Node, 10).map((r) => watch(heap, r));
    heap.incref(heap.getSlot(ring(heap, Node, 1)[0]!, 0)); // (a ring of one kept by an outside reference)
    const garbage = ring(heap, Node, 5).map((r) => watch(heap, r));
    void keep;
    const statsBefore = gc.getStats()[2]!;
    const pausesBefore = gc.pauseSummary().count;
    const slices = finishCycle(gc, 3);
    expect(slices).toBeGreaterThan(5);
    expect(garbage.every((alive) => !alive())).toBe(true);
    const stats = gc.getStats()[2]!;
    expect(stats.collections).toBe(statsBefore.collections + 1);
    expect(stats.collected - statsBefore.collected).toBe(15); // both rings of garbage: 10 + 5
    const pauses = gc.getPauses().slice(pausesBefore - gc.pauseSummary().count);
    expect(pauses).toHaveLength(slices);
    expect(pauses.every((p) => p.slice && p.generation === 2 && !p.automatic)).toBe(true);
    expect(gc.isCollecting).toBe(false);
    heap.verify();
  });

  test('an object unreachable when the cycle began, linked back in between slices, is never freed', () => {
    for (let at = 0; at < 40; at++) {
      const { heap, gc, Node } = setup();
      const holder = heap.newList();
      gc.collect();
      const [a, b, c] = ring(heap, Node, 3);
      const alive = [a, b, c].map((r) => watch(heap, r!));
      let step = 0;
      finishCycle(gc, 1, () => {
        // The program finds the garbage (gc.get_objects() hands it out, as in CPython) and keeps it.
        if (step++ === at && gc.getObjects().includes(b!)) heap.append(holder, b!);
      });
      const rescued = heap.length(holder) === 1;
      expect(alive.every((f) => f() === rescued), `rescued after ${at} slices: ${rescued}`).toBe(true);
      heap.verify();
      heap.decref(holder);
      gc.collect();
      expect(alive.every((f) => !f())).toBe(true);
    }
  });

  test('an object moved between live holders at every slice boundary survives; dropped objects go by the next cycle', () => {
    const { heap, gc, Node } = setup();
    const left = heap.newList();
    const right = heap.newList();
    const obj = heap.newInstance(Node);
    heap.setSlot(obj, 0, obj); // a self-cycle, so only the collector could free it
    heap.append(left, obj);
    heap.decref(obj);
    const alive = watch(heap, obj);
    gc.collect();
    let flip = false;
    finishCycle(gc, 1, () => {
      const [from, to] = flip ? [right, left] : [left, right];
      flip = !flip;
      heap.append(to, obj);
      heap.deleteItem(from, 0);
    });
    expect(alive()).toBe(true);
    // Now drop it mid-cycle: this cycle or the next frees it.
    let dropped = false;
    finishCycle(gc, 1, () => {
      if (!dropped) {
        dropped = true;
        heap.deleteItem(flip ? right : left, 0);
      }
    });
    if (alive()) finishCycle(gc, 1);
    expect(alive()).toBe(false);
    heap.verify();
  });

  test('garbage made during a cycle is found by the next one', () => {
    const { heap, gc, Node } = setup();
    gc.collectStep(1); // a cycle begins
    const later = ring(heap, Node, 4).map((r) => watch(heap, r));
    finishCycle(gc, 2);
    finishCycle(gc, 2);
    expect(later.every((f) => !f())).toBe(true);
  });

  test('finalizers run in the order a stop-the-world collection of the same garbage runs them', () => {
    const build = (incremental: boolean) => {
      const { heap, gc } = setup(incremental);
      const log: string[] = [];
      const Fin = heap.defineClass('Fin', {
        slots: ['a', 'b', 'name'],
        finalize: (h, self) => void log.push(String(h.valueOf(h.getSlot(self, 2)))),
      });
      // Several cycles, generations apart, some sharing members, with acyclic tails.
      const make = (name: string) => {
        const r = heap.newInstance(Fin);
        const s = heap.newStr(name);
        heap.setSlot(r, 2, s);
        heap.decref(s);
        return r;
      };
      const objs = Array.from({ length: 30 }, (_, i) => make(`f${i}`));
      for (let i = 0; i < 30; i++) {
        heap.setSlot(objs[i]!, 0, objs[(i * 7 + 3) % 30]!);
        if (i % 4 === 0) heap.setSlot(objs[i]!, 1, objs[(i + 1) % 30]!);
        if (i === 10) gc.collect(0);
        if (i === 20) gc.collect(1);
      }
      for (const o of objs) heap.decref(o);
      return { heap, gc, log };
    };
    const stw = build(false);
    const inc = build(true);
    stw.gc.collect();
    finishCycle(inc.gc, 2);
    expect(inc.log.length).toBeGreaterThan(0);
    expect(inc.log).toEqual(stw.log);
    expect(inc.heap.liveObjects).toBe(stw.heap.liveObjects);
  });

  test('hostile finalizers during a cycle: resurrecting, linking and unlinking live objects, allocating new cycles', () => {
    const { heap, gc, Node, unraisable } = setup();
    const keep = heap.newList();
    const Hostile = heap.defineClass('Hostile', {
      slots: ['a', 'b'],
      finalize: (h, self) => {
        h.append(keep, self); // resurrect
        if (h.length(keep) > 2) h.deleteItem(keep, 0); // and drop an earlier one
        const fresh = ring(h, Node, 2); // new garbage, for a later cycle
        void fresh;
        throw new Error('finalizer failed');
      },
    });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3; i++) {
        const x = heap.newInstance(Hostile);
        const y = heap.newInstance(Node);
        heap.setSlot(x, 0, y);
        heap.setSlot(y, 0, x);
        heap.decref(x);
        heap.decref(y);
      }
      let slices = 0;
      finishCycle(gc, 5, () => {
        if (slices++ % 8 !== 0) return;
        const n = heap.newInstance(Node);
        heap.append(keep, n);
        heap.decref(n);
      });
      heap.verify();
    }
    expect(unraisable.length).toBe(15);
    expect(unraisable.every((u) => (u.error as Error).message === 'finalizer failed')).toBe(true);
    // Everything the list holds is alive and consistent; drop it and collect all.
    heap.decref(keep);
    gc.collect();
    gc.collect();
    expect(gc.collect()).toBe(0);
    heap.verify();
  });

  test('collect() in mid-cycle is one whole stop-the-world collection; collect(0) and collect(1) leave the cycle going', () => {
    for (let at = 0; at < 25; at++) {
      const { heap, gc, Node } = setup();
      const live = ring(heap, Node, 4);
      heap.incref(live[0]!);
      const garbage = ring(heap, Node, 6).map((r) => watch(heap, r));
      for (let i = 0; i <= at && !gc.collectStep(1); i++) heap.verify();
      gc.collect(0);
      gc.collect(1);
      heap.verify();
      const more = ring(heap, Node, 3).map((r) => watch(heap, r));
      const expected = garbage.filter((f) => f()).length + 3;
      const found = gc.collect();
      expect(gc.cycleInProgress).toBe(false);
      expect(found).toBe(expected);
      expect([...garbage, ...more].every((f) => !f())).toBe(true);
      heap.verify();
      expect(gc.collect()).toBe(0);
    }
  });

  test('gc callbacks see start when a cycle begins and stop when it ends, with what it collected', () => {
    const { heap, gc, Node } = setup();
    const seen: [CollectionPhase, CollectionInfo][] = [];
    gc.callbacks.push((phase, info) => seen.push([phase, info]));
    ring(heap, Node, 3);
    finishCycle(gc, 1);
    expect(seen).toEqual([
      ['start', { generation: 2, collected: 0, uncollectable: 0 }],
      ['stop', { generation: 2, collected: 3, uncollectable: 0 }],
    ]);
  });

  test('automatic collections run the oldest generation in slices', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
    const gc = new Collector(heap, { incremental: { budgetMs: 1 } });
    // A kept tree plus rings that live a while (so they reach the oldest generation) and are dropped.
    const tree = heap.newList();
    for (let i = 0; i < 20_000; i++) {
      const n = heap.newInstance(Node);
      heap.append(tree, n);
      heap.decref(n);
    }
    const window: Ref[] = [];
    for (let i = 0; i < 60_000; i++) {
      const [x] = ring(heap, Node, 2);
      heap.incref(x!);
      window.push(x!);
      if (window.length > 5000) heap.decref(window.shift()!);
    }
    const slices = gc.getPauses().filter((p) => p.slice);
    expect(slices.length).toBeGreaterThan(0);
    expect(gc.getStats()[2]!.collections).toBeGreaterThan(0);
    expect(gc.getStats()[2]!.collected).toBeGreaterThan(0);
    heap.verify();
    for (const x of window) heap.decref(x);
    heap.decref(tree);
    gc.collect();
    heap.verify();
  });

  test('young collections stay due while final steps free old garbage by the thousand', () => {
    // The heap's young count falls with every container freed (CPython's does too), so
    // without the collector's own account a final step freeing thousands of old objects would
    // hold the next young collection off for as many allocations.
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
    const gc = new Collector(heap, { incremental: { budgetMs: 1 } });
    const threshold = gc.getThreshold()[0];
    let made = 0;
    const youngAt: number[] = [];
    gc.callbacks.push((phase: CollectionPhase) => {
      if (phase === 'start') youngAt.push(made); // (every collection, and a cycle's start, takes the young generation)
    });
    const window: Ref[] = [];
    for (let i = 0; i < 120_000; i++) {
      const [x] = ring(heap, Node, 2);
      made += 2;
      heap.incref(x!);
      window.push(x!);
      if (window.length > 5000) heap.decref(window.shift()!);
    }
    // (Stops whose final steps freed thousands did happen: a stop takes batches one after another.)
    const freedPerStop: number[] = [];
    let end = -Infinity;
    for (const p of gc.getPauses().filter((q) => q.slice)) {
      if (p.startedAt - end < 0.005) freedPerStop[freedPerStop.length - 1]! += p.unreachable;
      else freedPerStop.push(p.unreachable);
      end = p.startedAt + p.duration;
    }
    expect(Math.max(...freedPerStop)).toBeGreaterThan(1000);
    const gaps = youngAt.slice(1).map((at, i) => at - youngAt[i]!);
    // A young collection may wait a little for the program's least gap after a slice, never for thousands.
    expect(Math.max(...gaps)).toBeLessThan(threshold + 400);
    for (const x of window) heap.decref(x);
    gc.collect();
    heap.verify();
  });

  test('switching at run time: off gives the cycle up, its objects stay listed and the next full collection takes its garbage', () => {
    const { heap, gc, Node } = setup();
    expect(gc.getIncremental()).toEqual({ budgetMs: 1 });
    const garbage = ring(heap, Node, 5).map((r) => watch(heap, r));
    gc.collectStep(3);
    gc.collectStep(3);
    expect(gc.cycleInProgress).toBe(true);
    gc.setIncremental(false);
    expect(gc.getIncremental()).toBeNull();
    expect(gc.cycleInProgress).toBe(false);
    heap.verify();
    expect(gc.getObjects().length).toBeGreaterThanOrEqual(5);
    expect(gc.collect()).toBe(5);
    expect(garbage.every((f) => !f())).toBe(true);
    gc.setIncremental({ budgetMs: 0.5 });
    expect(gc.getIncremental()).toEqual({ budgetMs: 0.5 });
    expect(() => gc.setIncremental({ budgetMs: 0 })).toThrow(/budgetMs/);
    // A JS caller's string or null is refused by name, and the mode stays as it was.
    expect(() => gc.setIncremental('yes' as never)).toThrow(
      new PyTypeError("incremental mode is true, false or options such as { budgetMs: 1 }, not 'str'"),
    );
    expect(() => gc.setIncremental(null as never)).toThrow(/not 'NoneType'/);
    // Refused at construction before anything is attached: the heap can take a collector still.
    const other = new Heap();
    expect(() => new Collector(other, { incremental: 'on' as never })).toThrow(PyTypeError);
    expect(() => new Collector(other, { incremental: null as never })).toThrow(/not 'NoneType'/);
    expect(() => new Collector(other, { incremental: { budgetMs: -1 } })).toThrow(/budgetMs/);
    expect(new Collector(other, { incremental: true }).getIncremental()).toEqual({ budgetMs: 1 });
    other.verify();
    expect(gc.getIncremental()).toEqual({ budgetMs: 0.5 });
    expect(() => gc.collectStep(0)).toThrow(/positive/);
  });

  test('a callback that gives the cycle up during a young collection: the cycle\'s stop comes inside the walk, and the walk goes on', () => {
    const { heap, gc, Node } = setup();
    ring(heap, Node, 3);
    gc.collectStep(1);
    expect(gc.cycleInProgress).toBe(true);
    const seen: string[] = [];
    gc.callbacks.push(
      (phase, info) => {
        if (phase === 'start' && info.generation === 0) gc.setIncremental(false);
      },
      (phase, info) => void seen.push(`${phase}:${info.generation}`),
    );
    gc.collect(0);
    expect(seen).toEqual(['stop:2', 'start:0', 'stop:0']);
    expect(gc.cycleInProgress).toBe(false);
    heap.verify();
    expect(gc.collect()).toBe(3);
  });

  test('a slice or final step that collectStep() runs after the program was busy for a while records its own time only', () => {
    const { heap, gc, Node } = setup();
    ring(heap, Node, 4);
    let steps = 0;
    while (gc.cycleInProgress || steps === 0) {
      const until = performance.now() + 2; // the program's own work between two steps
      while (performance.now() < until);
      gc.collectStep(2);
      steps++;
    }
    const slices = gc.getPauses().filter((p) => p.slice && !p.automatic);
    expect(slices.length).toBe(steps);
    for (const p of slices) expect(p.duration).toBeLessThan(1.5);
  });

  test('freeze() in mid-cycle gives the cycle up first; get_objects and get_referrers see the cycle\'s objects', () => {
    const { heap, gc, Node } = setup();
    const [a, b] = ring(heap, Node, 2);
    gc.collectStep(1);
    gc.collectStep(1);
    expect(gc.getObjects()).toEqual(expect.arrayContaining([a, b]));
    expect(gc.getReferrers(a!)).toEqual([b]);
    gc.freeze();
    expect(gc.cycleInProgress).toBe(false);
    expect(gc.getFreezeCount()).toBeGreaterThanOrEqual(2);
    heap.verify();
    gc.unfreeze();
    expect(gc.collect()).toBe(2);
  });
  test('automatic cycles over a heap whose free lists core is sorting in steps: every check holds, nothing kept is lost', () => {
    // Rounds of 80,000 objects of cyclic garbage dropped at once: their cycle frees enough for
    // core's sort of the free lists (after 65,536 frees, with as many waiting) to run in steps
    // while the churn goes on, between and inside the next cycle's slices.
    const { heap, gc, Node } = setup();
    const baseline = heap.liveObjects;
    const kept = heap.newInstance(Node);
    let tail = kept;
    const watched: (() => boolean)[] = [];
    for (let i = 0; i < 40_000; i++) {
      const next = heap.newInstance(Node);
      heap.setSlot(tail, 0, next);
      heap.decref(next);
      tail = next;
      if (i % 1000 === 0) watched.push(watch(heap, next));
    }
    gc.collect(); // the kept chain into the oldest generation
    gc.enable();
    const pair = (): Ref => {
      const [x, y] = [heap.newInstance(Node), heap.newInstance(Node)];
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      heap.decref(y);
      return x;
    };
    for (let round = 0; round < 3; round++) {
      const held = Array.from({ length: 40_000 }, pair);
      for (const x of held) heap.decref(x);
      for (let i = 0; i < 60_000; i++) {
        heap.decref(pair());
        if (i % 4999 === 0) heap.verify();
      }
      expect(watched.every((alive) => alive())).toBe(true);
    }
    gc.disable();
    expect(gc.getStats()[2]!.collected).toBeGreaterThan(200_000);
    gc.collect();
    heap.verify();
    expect(watched.every((alive) => alive())).toBe(true);
    expect(heap.liveObjects).toBe(baseline + 40_001);
    heap.decref(kept);
    expect(heap.liveObjects).toBe(baseline);
  });
});
