/**
 * When automatic collection happens: generation 0 is collected once container
 * allocations minus deallocations pass threshold0 (700), generation 1 after ten
 * generation-0 collections, generation 2 after ten of those (and only when
 * enough long-lived objects piled up). Counts and stats before and after.
 */
import type { CollectionInfo } from '@refheap/gc';
import { fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

/** Allocates `n` empty lists kept alive in `keep`, returning the automatic collections that ran, by generation. */
function allocate(s: Session, n: number): { byGeneration: number[]; firstAt: number } {
  const byGeneration = [0, 0, 0];
  let made = 0;
  let firstAt = -1;
  const onCollect = (phase: 'start' | 'stop', info: CollectionInfo): void => {
    if (phase !== 'start') return;
    byGeneration[info.generation]!++;
    if (firstAt < 0) firstAt = made + 1;
  };
  s.gc.callbacks.push(onCollect);
  const keep = s.name('keep').ref;
  for (; made < n; made++) {
    const list = s.heap.newList();
    s.heap.append(keep, list);
    s.heap.decref(list);
  }
  s.gc.callbacks.splice(s.gc.callbacks.indexOf(onCollect), 1);
  return { byGeneration, firstAt };
}

const stats = (s: Session): number[] => s.gc.getStats().map((g) => g.collections);

export const thresholds: Scenario = {
  name: 'thresholds',
  title: 'Thresholds and automatic collection',
  summary: 'get_threshold, get_count and get_stats before and after the allocations that trigger collections',
  source: 'Barker, “The Garbage Collector”; “Controlling Garbage Collection” (get_threshold, set_threshold, get_stats)',
  needs: ['gc'],
  drawable: false,
  moral:
    'Automatic collection is driven by allocations, not by time or memory: every container made counts toward ' +
    'generation 0, and objects that survive move to older generations that are examined ten times less often. ' +
    'Raising the thresholds trades fewer pauses for more garbage waiting between them; disabling the collector ' +
    'stops the pauses and the cleanup alike.',
  steps: () => [
    {
      python: 'gc.isenabled()\ngc.get_threshold()\ngc.get_count()\n[s["collections"] for s in gc.get_stats()]',
      typescript: "gc.isEnabled();\ngc.getThreshold();\ngc.getCount();\ngc.getStats().map((g) => g.collections);",
      run: (s) => {
        s.bind('keep', s.py.list());
        return {
          facts: [
            fact('enabled', 'gc.isenabled()', s.gc.isEnabled(), { cpython: true }),
            fact('threshold', 'gc.get_threshold()', s.gc.getThreshold(), { cpython: [700, 10, 10] }),
            fact('count.before', 'gc.get_count()', s.gc.getCount()),
            fact('stats.before', 'collections per generation', stats(s), { cpython: [0, 0, 0] }),
          ],
        };
      },
      explain: (f) =>
        `The defaults: generation 0 is collected when its count passes 700. The count now is ` +
        `${f('count.before')} — the containers this fresh heap made so far (the keep list among them).`,
    },
    {
      python: 'keep = []\nfor i in range(1000):\n    keep.append([])\ngc.get_count()\n[s["collections"] for s in gc.get_stats()]',
      typescript: 'for (let i = 0; i < 1000; i++) keep.append(py.list());\ngc.getCount();\ngc.getStats();',
      run: (s) => {
        const { byGeneration, firstAt } = allocate(s, 1000);
        return {
          facts: [
            fact('first.at', 'the automatic collection came at allocation', firstAt),
            fact('auto.1000', 'automatic collections by generation', byGeneration, { cpython: [1, 0, 0] }),
            fact('count.after', 'gc.get_count()', s.gc.getCount()),
            fact('stats.after', 'collections per generation', stats(s), { cpython: [1, 0, 0] }),
          ],
        };
      },
      explain: (f) =>
        `Allocation number ${f('first.at')} pushed the generation-0 count past 700 and the collector ran by itself, ` +
        `once. It found nothing to free (every list is still in keep), so the survivors moved to generation 1 — ` +
        `which is why get_count now reads ${f('count.after')}: a fresh generation-0 count and one ` +
        'collection toward generation 1.',
    },
    {
      python: 'for i in range(20000):\n    keep.append([])\n[s["collections"] for s in gc.get_stats()]',
      typescript: 'for (let i = 0; i < 20_000; i++) keep.append(py.list());\ngc.getStats();',
      run: (s) => {
        const { byGeneration } = allocate(s, 20_000);
        return {
          facts: [
            fact('auto.20000', 'automatic collections by generation', byGeneration),
            fact('stats.20000', 'collections per generation', stats(s)),
          ],
        };
      },
      explain: (f) => {
        const [g0, g1, g2] = f.raw('auto.20000') as number[];
        return (
          `20,000 more containers: ${g0} collections of generation 0 alone, ${g1} of generation 1 (every tenth), ` +
          `and ${g2} of generation 2 — the full collection waits until the objects promoted since the last one ` +
          'amount to a quarter of the oldest generation, so a growing program is not rescanned over and over.'
        );
      },
    },
    {
      python: 'gc.set_threshold(1000, 15, 15)\nfor i in range(20000):\n    keep.append([])\n[s["collections"] for s in gc.get_stats()]',
      typescript: 'gc.setThreshold(1000, 15, 15);\nfor (let i = 0; i < 20_000; i++) keep.append(py.list());\ngc.getStats();',
      run: (s) => {
        s.gc.setThreshold(1000, 15, 15);
        const { byGeneration } = allocate(s, 20_000);
        return {
          facts: [
            fact('threshold.raised', 'gc.get_threshold()', s.gc.getThreshold(), { cpython: [1000, 15, 15] }),
            fact('auto.raised', 'automatic collections by generation', byGeneration),
          ],
        };
      },
      explain: (f) => {
        const [g0, g1] = f.raw('auto.raised') as number[];
        return `With higher thresholds the same 20,000 allocations cause ${g0} generation-0 and ${g1} generation-1 collections: fewer, longer pauses.`;
      },
    },
    {
      python: 'gc.disable()\nfor i in range(20000):\n    keep.append([])\ngc.enable()\ngc.collect()',
      typescript: 'gc.disable();\nfor (let i = 0; i < 20_000; i++) keep.append(py.list());\ngc.enable();\ngc.collect();',
      run: (s) => {
        s.gc.disable();
        const { byGeneration } = allocate(s, 20_000);
        const countWhileOff = s.gc.getCount();
        s.gc.enable();
        const found = s.gc.collect();
        return {
          facts: [
            fact('auto.disabled', 'automatic collections while disabled', byGeneration, { cpython: [0, 0, 0] }),
            fact('count.disabled', 'gc.get_count() before enable()', countWhileOff),
            fact('collected', 'gc.collect()', found, { cpython: 0 }),
            fact('stats.final', 'gc.get_stats()', s.gc.getStats().map((g) => `${g.collections}/${g.collected}/${g.uncollectable}`)),
          ],
        };
      },
      explain: (f) =>
        `Disabled, the collector never ran although the generation-0 count climbed to ` +
        `${(f.raw('count.disabled') as number[])[0]}. The explicit collect() afterwards examined everything and found ` +
        `${f('collected')} unreachable objects: these lists were all alive. get_stats lists collections/collected/` +
        'uncollectable per generation.',
    },
  ],
};
