/**
 * When automatic collection happens: generation 0 is collected once container allocations
 * minus deallocations pass threshold0 (700), generation 1 once ten generation-0 collections
 * have happened since its last, generation 2 once ten generation-1 collections have (and only
 * when enough long-lived objects piled up). The program counts the collections each loop
 * caused; the narration says which rule held generation 2 back, from the counts it read.
 */
import { fact, type FactReader, type Scenario } from '../scenario.ts';

/** n new lists kept alive (a comprehension: a handful of line events, so the page steps it quickly). */
const LOOP = (n: string) => `keep += [[] for i in range(${n})]`;

/** Why generation 2 was (not) collected, from gc.get_count()'s third number and the threshold. */
function generation2(f: FactReader, ranKey: string, countKey: string, thresholdKey: string): string {
  const g2 = (f.raw(ranKey) as number[])[2]!;
  const pending = (f.raw(countKey) as number[])[2]!;
  const limit = (f.raw(thresholdKey) as number[])[2]!;
  if (g2 > 0) return `and ${g2} of generation 2, the full collection, once generation 1 had been collected more than ${limit} times`;
  if (pending <= limit)
    return (
      `and none of generation 2: generation 1 has been collected only ${pending} times since the last full ` +
      `collection, and generation 2 waits until that passes its threshold of ${limit}`
    );
  return (
    `and none of generation 2, although generation 1 was collected ${pending} times (past its threshold of ${limit}): ` +
    'a full collection also waits until the objects promoted since the last one amount to a quarter of those ' +
    'already in the oldest generation, so a growing program is not rescanned over and over'
  );
}

export const thresholds: Scenario = {
  name: 'thresholds',
  title: 'Thresholds and automatic collection',
  summary: 'get_threshold, get_count and the collections each loop of allocations triggers, by generation',
  source: 'Barker, “The Garbage Collector”; “Controlling Garbage Collection” (get_threshold, set_threshold, get_stats)',
  drawable: false,
  moral:
    'Automatic collection is driven by allocations, not by time or memory: every container made counts toward ' +
    'generation 0, and objects that survive move to older generations that are examined ten times less often. ' +
    'Raising the thresholds trades fewer pauses for more garbage waiting between them; disabling the collector ' +
    'stops the pauses and the cleanup alike.',
  steps: [
    {
      title: 'the defaults',
      code:
        'import gc\n\ndef collections():\n    return [s["collections"] for s in gc.get_stats()]\n\n' +
        'gc.collect()\nkeep = []\nprint(gc.isenabled(), gc.get_threshold())',
      facts: [
        fact('enabled', 'gc.isenabled()', { cpython: true }),
        fact('threshold', 'gc.get_threshold()', { cpython: true }),
        fact('count.before', 'gc.get_count()'),
      ],
      explain: (f) =>
        `The defaults: generation 0 is collected when its count passes ${(f.raw('threshold') as number[])[0]}. ` +
        `A full collection starts every count again from zero; get_count now reads ${f('count.before')}, the ` +
        'containers made since.',
    },
    {
      title: '1,000 lists kept',
      code: `before = collections()\n${LOOP('1000')}\nran = [a - b for a, b in zip(collections(), before)]`,
      facts: [
        fact('ran.1000', 'ran', { label: 'collections the loop triggered, by generation', cpython: true }),
        fact('count.1000', 'gc.get_count()'),
      ],
      explain: (f) =>
        `Somewhere past the 700th new list the generation-0 count passed its threshold and the collector ran by ` +
        `itself: ${f('ran.1000')}. It found nothing to free (every list is still in keep), so the survivors moved ` +
        `to generation 1 — get_count now reads ${f('count.1000')}: a fresh generation-0 count, and one collection ` +
        'counted toward generation 1.',
    },
    {
      title: '20,000 more',
      code: `before = collections()\n${LOOP('20000')}\nran = [a - b for a, b in zip(collections(), before)]`,
      facts: [
        fact('ran.20000', 'ran', { label: 'collections the loop triggered, by generation', cpython: true }),
        fact('count.20000', 'gc.get_count()'),
        fact('threshold.20000', 'gc.get_threshold()', { cpython: true }),
      ],
      explain: (f) => {
        const [g0, g1] = f.raw('ran.20000') as number[];
        return (
          `20,000 more containers: ${g0} collections of generation 0, ${g1} of generation 1 (every tenth), ` +
          `${generation2(f, 'ran.20000', 'count.20000', 'threshold.20000')}.`
        );
      },
    },
    {
      title: 'higher thresholds',
      code: `gc.set_threshold(1000, 15, 15)\nbefore = collections()\n${LOOP('20000')}\nran = [a - b for a, b in zip(collections(), before)]`,
      facts: [
        fact('threshold.raised', 'gc.get_threshold()', { cpython: true }),
        fact('ran.raised', 'ran', { label: 'collections the loop triggered, by generation', cpython: true }),
        fact('count.raised', 'gc.get_count()'),
      ],
      explain: (f) => {
        const [g0, g1] = f.raw('ran.raised') as number[];
        return (
          `With thresholds of ${f('threshold.raised')} the same 20,000 allocations cause ${g0} generation-0 and ` +
          `${g1} generation-1 collections, ${generation2(f, 'ran.raised', 'count.raised', 'threshold.raised')}: ` +
          'fewer, longer pauses.'
        );
      },
    },
    {
      title: 'disabled',
      code:
        `gc.disable()\nbefore = collections()\n${LOOP('20000')}\nran = [a - b for a, b in zip(collections(), before)]\n` +
        'count_while_off = gc.get_count()\ngc.enable()\ncollected = gc.collect()',
      facts: [
        fact('ran.disabled', 'ran', { label: 'collections while disabled', cpython: true }),
        fact('count.disabled', 'count_while_off', { label: 'gc.get_count() before enable()' }),
        fact('collected', 'collected', { label: 'gc.collect()', cpython: true }),
      ],
      explain: (f) =>
        `Disabled, the collector never ran (${f('ran.disabled')}) although the generation-0 count climbed to ` +
        `${(f.raw('count.disabled') as number[])[0]}. The explicit collect() afterwards examined everything and found ` +
        `${f('collected')} unreachable objects: these lists were all alive.`,
    },
  ],
};
