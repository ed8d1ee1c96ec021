/**
 * What collection costs in a hot loop: the same work timed with the collector
 * enabled and disabled. A loop that makes only ints never triggers it (ints are
 * not tracked); a loop that keeps containers triggers it every 700 of them, and
 * each pause re-examines survivors.
 */
import type { Heap } from '@refheap/core';
import { type Fact, fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

const ITEMS = 1_000_000;
const TICK = 50_000;

interface Timed {
  readonly ms: number;
  readonly collections: number;
  readonly pauseMs: number;
  readonly maxPauseMs: number;
}

/** `result = [item * 2 for item in data]` (ints only) or `[[item * 2] for item in data]` (a list per item). */
function process(s: Session, enabled: boolean, containers: boolean, label: string): Timed {
  const { heap, gc, platform } = s;
  const before = gc.pauseSummary();
  if (enabled) gc.enable();
  else gc.disable();
  const progress = platform.progress(label, ITEMS);
  const started = platform.now();
  const result = heap.newList();
  for (let i = 0; i < ITEMS; i++) {
    const item = heap.newInt(i * 2);
    if (containers) {
      const wrapped = heap.newList([item]);
      heap.append(result, wrapped);
      heap.decref(wrapped);
    } else heap.append(result, item);
    heap.decref(item);
    if ((i + 1) % TICK === 0) progress.tick(TICK);
  }
  const ms = platform.now() - started;
  progress.done();
  heap.decref(result);
  gc.enable();
  gc.collect();
  const after = gc.pauseSummary();
  const pauses = gc.getPauses().slice(-(after.count - before.count)).filter((p) => p.automatic);
  return {
    ms,
    collections: pauses.length,
    pauseMs: pauses.reduce((sum, p) => sum + p.duration, 0),
    maxPauseMs: pauses.reduce((max, p) => Math.max(max, p.duration), 0),
  };
}

const round = (ms: number): number => Math.round(ms);
const facts = (prefix: string, label: string, t: Timed, collections?: number): Fact[] => [
  fact(`${prefix}.ms`, `${label}: time (ms)`, round(t.ms), { varies: true }),
  fact(`${prefix}.collections`, `${label}: automatic collections`, t.collections, collections === undefined ? {} : { cpython: collections }),
  fact(`${prefix}.pause.ms`, `${label}: time in collections (ms)`, round(t.pauseMs), { varies: true }),
];

/** Warms the JIT on a throwaway heap so the first timed run is not the slowest for no reason. */
function warmUp(heap: Heap): void {
  for (let round = 0; round < 3; round++) {
    const list = heap.newList();
    for (let i = 0; i < 100_000; i++) {
      const x = heap.newInt(i);
      heap.append(list, x);
      const l = heap.newList([x]);
      heap.append(list, l);
      heap.decref(l);
      heap.decref(x);
    }
    heap.decref(list);
  }
}

export const hotLoop: Scenario = {
  name: 'hot-loop',
  title: 'The cost of collection in a hot loop',
  summary: 'a million items processed with the collector enabled and disabled, timed',
  source: '“Controlling Garbage Collection” (process_large_dataset with gc.disable() around the loop)',
  needs: ['gc'],
  drawable: false,
  slow: true,
  moral:
    'Switching the collector off around a hot loop only pays when the loop makes containers that survive: then ' +
    'every 700 allocations trigger a pause that re-examines the young survivors, and every tenth of those the older ' +
    'ones too. Turn it back on afterwards — and collect — or the cycles made meanwhile stay.',
  steps: () => [
    {
      python:
        'data = range(1_000_000)\ngc.disable()\nresult = [item * 2 for item in data]\ngc.enable()\n' +
        '# and again with the collector left on',
      typescript:
        'gc.disable();\nfor (let i = 0; i < 1_000_000; i++) heap.append(result, heap.newInt(i * 2)); // (decref each)\ngc.enable();',
      run: (s) => {
        warmUp(s.heap);
        const off = process(s, false, false, 'ints, collector off');
        const on = process(s, true, false, 'ints, collector on ');
        return { facts: [...facts('ints.off', 'disabled', off, 0), ...facts('ints.on', 'enabled', on, 0)] };
      },
      explain: (f) =>
        `${f('ints.on.collections')} automatic collections with the collector on: ints are atoms, never tracked, ` +
        'so they never count toward a collection. Both runs do the same work; the times differ only by noise ' +
        `(${f('ints.off.ms')} ms off, ${f('ints.on.ms')} ms on). Disabling the collector here buys nothing.`,
    },
    {
      python:
        'gc.disable()\nresult = [[item * 2] for item in data]\ngc.enable()\n# and again with the collector left on',
      typescript:
        'gc.disable();\nfor (let i = 0; i < 1_000_000; i++) heap.append(result, heap.newList([heap.newInt(i * 2)]));\ngc.enable();',
      run: (s) => {
        const off = process(s, false, true, 'lists, collector off');
        const on = process(s, true, true, 'lists, collector on ');
        return {
          facts: [
            ...facts('lists.off', 'disabled', off, 0),
            ...facts('lists.on', 'enabled', on),
            fact('lists.on.max.pause', 'enabled: longest pause (ms)', Number(on.maxPauseMs.toFixed(1)), { varies: true }),
            fact('lists.ratio', 'enabled ÷ disabled', Number((on.ms / off.ms).toFixed(2)), { varies: true }),
          ],
        };
      },
      explain: (f) =>
        `A list per item is a container that survives: with the collector on, ${f('lists.on.collections')} ` +
        `collections ran and took ${f('lists.on.pause.ms')} ms (the longest ${f('lists.on.max.pause')} ms), making ` +
        `the loop ${f('lists.ratio')}× as long as with it off (${f('lists.on.ms')} ms against ${f('lists.off.ms')} ms). ` +
        'None of those collections found anything — every list was still in result.',
    },
  ],
};
