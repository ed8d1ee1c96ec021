/**
 * DEBUG_STATS / DEBUG_COLLECTABLE / DEBUG_UNCOLLECTABLE output, captured through the debug
 * sink and worded as CPython 3.11 writes it to stderr, and the pause of every collection
 * (getPauses, pauseSummary), which CPython 3.11 does not record.
 */
import { Handles, Heap, type Ref } from '@refheap/core';
import { describe, expect, test, vi } from 'vitest';
import {
  Collector,
  type CollectorOptions,
  DEBUG_COLLECTABLE,
  DEBUG_LEAK,
  DEBUG_STATS,
  DEBUG_UNCOLLECTABLE,
} from './index.ts';

/** A collector whose debug lines go to `lines`; everything tracked so far sits in generation 2. */
function setup(options: CollectorOptions = {}) {
  const heap = new Heap();
  const py = new Handles(heap);
  const lines: string[] = [];
  const gc = new Collector(heap, { enabled: false, ...options });
  gc.setDebugSink((line) => lines.push(line));
  gc.collect();
  return { heap, py, gc, lines };
}

function selfCycle(heap: Heap): Ref {
  const l = heap.newList();
  heap.append(l, l);
  heap.decref(l);
  return l;
}

const ELAPSED = String.raw`\d+\.\d{4}s elapsed`;

describe('debug output', () => {
  test('DEBUG_STATS prints the collecting, generations, permanent generation and done lines, worded as CPython', () => {
    const { heap, gc, lines } = setup();
    expect(gc.getObjects(2)).toHaveLength(1); // gc.garbage itself
    selfCycle(heap);
    gc.setDebug(DEBUG_STATS);
    expect(gc.collect(0)).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3)).toEqual([
      'gc: collecting generation 0...',
      'gc: objects in each generation: 1 0 1',
      'gc: objects in permanent generation: 0',
    ]);
    expect(lines[3]).toMatch(new RegExp(`^gc: done, 1 unreachable, 0 uncollectable, ${ELAPSED}$`));
  });

  test('DEBUG_STATS counts the permanent generation after a freeze', () => {
    const { heap, gc, lines } = setup();
    heap.newList();
    heap.newList();
    gc.freeze();
    gc.setDebug(DEBUG_STATS);
    gc.collect(1);
    expect(lines.slice(0, 3)).toEqual([
      'gc: collecting generation 1...',
      'gc: objects in each generation: 0 0 0',
      'gc: objects in permanent generation: 3',
    ]);
    expect(lines[3]).toMatch(new RegExp(`^gc: done, 0 unreachable, 0 uncollectable, ${ELAPSED}$`));
  });

  test('DEBUG_COLLECTABLE prints "gc: collectable <list 0x…>" for each collectable object, with its id', () => {
    const { heap, gc, lines } = setup();
    const C = heap.defineClass('Node');
    const l = heap.newList();
    heap.append(l, l);
    const node = heap.newInstance(C);
    heap.setAttr(node, 'me', node);
    const ids = [heap.hexId(l), heap.hexId(node)];
    heap.decref(l);
    heap.decref(node);
    gc.setDebug(DEBUG_COLLECTABLE);
    expect(gc.collect()).toBe(2);
    expect(lines).toEqual([`gc: collectable <list ${ids[0]}>`, `gc: collectable <Node ${ids[1]}>`]);
    expect(ids[0]).toMatch(/^0x[0-9a-f]+$/);
  });

  test('DEBUG_STATS | DEBUG_COLLECTABLE prints the collectable lines between the stats lines, as CPython does', () => {
    const { heap, gc, lines } = setup();
    const l = heap.newList();
    heap.append(l, l);
    const d = heap.newDict();
    heap.dictSet(d, heap.None, l);
    heap.append(l, d);
    const ids = [heap.hexId(l), heap.hexId(d)];
    heap.decref(l);
    heap.decref(d);
    gc.setDebug(DEBUG_STATS | DEBUG_COLLECTABLE);
    expect(gc.collect()).toBe(2);
    expect(lines.slice(0, 5)).toEqual([
      'gc: collecting generation 2...',
      'gc: objects in each generation: 2 0 1',
      'gc: objects in permanent generation: 0',
      `gc: collectable <list ${ids[0]}>`,
      `gc: collectable <dict ${ids[1]}>`,
    ]);
    expect(lines[5]).toMatch(new RegExp(`^gc: done, 2 unreachable, 0 uncollectable, ${ELAPSED}$`));
    expect(lines).toHaveLength(6);
  });

  test('DEBUG_UNCOLLECTABLE prints "gc: uncollectable <L 0x…>" for each object a legacy finalizer holds', () => {
    // l = L(); p = P(); l.p = p; p.l = l; q = P(); q.q = q; q.l = l — CPython 3.11 with with_tp_del prints
    // the two uncollectable lines and "gc: done, 3 unreachable, 2 uncollectable".
    const { heap, py, gc, lines } = setup({ finalizers: 'legacy' });
    const L = heap.defineClass('L', { finalize: () => undefined });
    const P = heap.defineClass('P');
    const ids = py.scope(() => {
      const l = py.new(L);
      const p = py.new(P, { l });
      l.set('p', p);
      const q = py.new(P, { l });
      q.set('q', q);
      return [l.hexId, p.hexId];
    });
    gc.setDebug(DEBUG_UNCOLLECTABLE | DEBUG_STATS);
    expect(gc.collect()).toBe(3);
    expect(lines.slice(3, 5)).toEqual([`gc: uncollectable <L ${ids[0]}>`, `gc: uncollectable <P ${ids[1]}>`]);
    expect(lines[5]).toMatch(new RegExp(`^gc: done, 3 unreachable, 2 uncollectable, ${ELAPSED}$`));
    expect(lines).toHaveLength(6);
  });

  test('DEBUG_LEAK prints collectable lines and saves the garbage in gc.garbage', () => {
    const { heap, gc, lines } = setup();
    const l = selfCycle(heap);
    const id = heap.hexId(l);
    gc.setDebug(DEBUG_LEAK);
    expect(gc.collect()).toBe(1);
    expect(lines).toEqual([`gc: collectable <list ${id}>`]);
    expect(heap.item(gc.garbage, 0)).toBe(l);
  });

  test('without debug flags nothing is printed', () => {
    const { heap, gc, lines } = setup();
    selfCycle(heap);
    gc.collect();
    expect(lines).toEqual([]);
  });

  test('the debug lines go to stderr (console.error) unless a sink is set', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const heap = new Heap();
      const gc = new Collector(heap, { enabled: false });
      gc.setDebug(DEBUG_STATS);
      gc.collect(0);
      expect(spy.mock.calls.map((call) => call[0] as string)[0]).toBe('gc: collecting generation 0...');
      expect(spy).toHaveBeenCalledTimes(4);
    } finally {
      spy.mockRestore();
    }
  });

  test('a sink given at construction receives the lines', () => {
    const lines: string[] = [];
    const gc = new Collector(new Heap(), { enabled: false, debugSink: (line) => lines.push(line) });
    gc.setDebug(DEBUG_STATS);
    gc.collect(1);
    expect(lines[0]).toBe('gc: collecting generation 1...');
  });
});

describe('pauses', () => {
  test('every collection records its pause: generation, explicit or automatic, duration, objects examined, unreachable found', () => {
    const { heap, gc } = setup();
    const first = gc.getPauses();
    expect(first).toHaveLength(1); // setup's collection
    selfCycle(heap);
    heap.newList(); // a survivor
    expect(gc.collect(0)).toBe(2 - 1);
    const pause = gc.getPauses().at(-1)!;
    expect(pause).toMatchObject({ generation: 0, automatic: false, examined: 2, unreachable: 1, uncollectable: 0 });
    expect(pause.duration).toBeGreaterThanOrEqual(0);
    expect(pause.startedAt).toBeGreaterThanOrEqual(first[0]!.startedAt);
  });

  test('an automatic collection records a pause marked automatic', () => {
    const { heap, gc } = setup();
    gc.setThreshold(3);
    gc.enable();
    const keep: Ref[] = [];
    for (let i = 0; i < 4; i++) keep.push(heap.newList());
    const pauses = gc.getPauses();
    expect(pauses).toHaveLength(2);
    expect(pauses[1]).toMatchObject({ generation: 0, automatic: true, examined: 3 });
  });

  test('a legacy collection records the uncollectable objects in its pause', () => {
    const { heap, gc } = setup({ finalizers: 'legacy' });
    const F = heap.defineClass('F', { finalize: () => undefined });
    const f = heap.newInstance(F);
    heap.setAttr(f, 'me', f);
    heap.decref(f);
    selfCycle(heap);
    expect(gc.collect()).toBe(2);
    expect(gc.getPauses().at(-1)).toMatchObject({ unreachable: 2, uncollectable: 1 });
  });

  test('a collect() refused because one is running records no pause', () => {
    const { heap, gc } = setup();
    gc.callbacks.push(() => void gc.collect());
    selfCycle(heap);
    gc.collect();
    expect(gc.getPauses()).toHaveLength(2);
    expect(gc.pauseSummary().count).toBe(2);
  });

  test('pauseSummary gives the count, total, longest and 99th-percentile pause', () => {
    const { heap, gc } = setup();
    for (let i = 0; i < 50; i++) {
      for (let j = 0; j < 100; j++) selfCycle(heap);
      gc.collect(i % 3);
    }
    const pauses = gc.getPauses();
    const durations = pauses.map((p) => p.duration).sort((a, b) => a - b);
    const summary = gc.pauseSummary();
    expect(summary.count).toBe(51);
    expect(summary.totalMs).toBeCloseTo(durations.reduce((a, b) => a + b, 0), 9);
    expect(summary.maxMs).toBe(durations.at(-1));
    expect(summary.p99Ms).toBe(durations[Math.ceil(51 * 0.99) - 1]);
    expect(summary.p99Ms).toBeLessThanOrEqual(summary.maxMs);
  });

  test('getPauses keeps the most recent 4096 pauses, oldest first, while pauseSummary counts them all', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    for (let i = 0; i < 4100; i++) gc.collect(i % 3);
    const pauses = gc.getPauses();
    expect(pauses).toHaveLength(4096);
    expect(pauses.slice(0, 3).map((p) => p.generation)).toEqual([1, 2, 0]); // collections 4, 5, 6 (of 0…4099)
    expect(pauses.at(-1)!.generation).toBe(4099 % 3);
    for (let i = 1; i < pauses.length; i++) expect(pauses[i]!.startedAt).toBeGreaterThanOrEqual(pauses[i - 1]!.startedAt);
    expect(gc.pauseSummary().count).toBe(4100);
  });
});
