/**
 * The seeds' "coarse way to find a leak": watch memory while a loop makes cycles and drops
 * them. With the collector disabled every cycle stays and the count of tracked objects climbs;
 * enabled, it stays flat. The program samples `len(gc.get_objects())` as it goes; the samples
 * are plotted, and the monitor's growth detector gives its verdict on each run. Sized to a few
 * thousand line events, so the page steps through it under its budget.
 */
import { GrowthDetector } from '@refheap/monitor';
import { fact, type Scenario } from '../scenario.ts';

const EVERY = 50;
const SAMPLES = 40;

/** The growth detector's verdict on a series of samples taken every EVERY rounds. */
function verdict(samples: readonly number[]): string {
  const detector = new GrowthDetector({ by: 'work', minSamples: 10, formatValue: (v) => `${Math.round(v)} objects` });
  samples.forEach((value, i) => detector.add((i + 1) * EVERY, value));
  return detector.report().verdict;
}

export const memoryGrowth: Scenario = {
  name: 'memory-growth',
  title: 'Memory growth with the collector enabled, then disabled',
  summary: `${(EVERY * SAMPLES).toLocaleString('en')} dropped A↔B cycles: tracked objects stay flat with the collector on and climb with it off`,
  source: 'Barker, “Process Memory Use” (memcount.py and mem_check.py)',
  drawable: false,
  slow: true,
  moral:
    'A real leak shows up as memory that only ever climbs while the work stays the same. It is coarse — allocators ' +
    'and the OS keep freed memory around, so a flat line is not proof of health — but a cycle leak is loud. The ' +
    'growth detector looks for a significant upward trend whose floor rises too, so a collector’s sawtooth is not ' +
    'taken for a leak.',
  steps: [
    {
      title: 'cycles made and dropped, collector on',
      code:
        'import gc\n\nclass A:\n    def __init__(self):\n        self.b = B(self)  # A → B → A: a cycle\n' +
        '        self.data = list(range(32))\n\nclass B:\n    def __init__(self, a):\n        self.a = a\n\n' +
        'def churn(rounds):\n    """Makes an A↔B pair carrying a 32-item list each round, and drops it."""\n' +
        '    for i in range(rounds):\n        A()\n    return len(gc.get_objects())\n\n' +
        `def sampled(every=${EVERY}, samples=${SAMPLES}):\n` +
        '    """The tracked objects after each `every` rounds."""\n    return [churn(every) for _ in range(samples)]\n\n' +
        'gc.collect()\non = sampled()',
      facts: [
        fact('on.first', 'on[0]', { label: 'tracked objects at the first sample' }),
        fact('on.last', 'on[-1]', { label: 'tracked objects at the last sample' }),
        fact('on.max', 'max(on)', { label: 'the most at any sample' }),
        fact('on.samples', 'on', { label: 'samples' }),
      ],
      explain: (f) =>
        `With the collector on, as it is by default, automatic collections freed the pairs as they piled up: the ` +
        `tracked objects went from ${f('on.first')} at the first sample to ${f('on.last')} at the last, never ` +
        `above ${f('on.max')}. The growth detector's verdict: ${verdict(f.raw('on.samples') as number[])}.`,
    },
    {
      title: 'the same loop, collector off',
      code: `gc.disable()\noff = sampled()\ngc.enable()\nper_round = (off[-1] - off[0]) // (len(off) - 1) // ${EVERY}\nfreed = gc.collect()`,
      facts: [
        fact('off.first', 'off[0]', { label: 'tracked objects at the first sample' }),
        fact('off.last', 'off[-1]', { label: 'tracked objects at the last sample' }),
        fact('per.round', 'per_round', { label: 'tracked objects left behind per round', cpython: true }),
        fact('freed', 'freed', { label: 'gc.collect() afterwards' }),
        fact('off.samples', 'off', { label: 'samples' }),
        fact('on.samples.again', 'on', { label: 'samples with the collector on' }),
      ],
      plot: {
        title: `len(gc.get_objects()), one sample every ${EVERY} rounds`,
        unit: 'objects',
        series: [
          { name: 'collector on', fact: 'on.samples.again' },
          { name: 'collector off', fact: 'off.samples' },
        ],
      },
      explain: (f) =>
        `With the collector off every pair outlives its round: ${f('per.round')} tracked objects per round (the A, ` +
        `the B and the list) pile up, from ${f('off.first')} to ${f('off.last')}. The detector's verdict: ` +
        `${verdict(f.raw('off.samples') as number[])}. Switched back on, one collection finds the lot: ${f('freed')} objects.`,
    },
  ],
};
