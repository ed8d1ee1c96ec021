/**
 * The seeds' "coarse way to find a leak": watch process memory while a loop
 * makes cycles and drops them. With the collector disabled every cycle stays
 * and memory climbs; enabled, it stays flat. Samples are plotted, and the
 * monitor's growth detector gives its verdict on each run.
 */
import type { HeapType } from '@refheap/core';
import { GrowthDetector } from '@refheap/monitor';
import { fact, type Plot, type Scenario } from '../scenario.ts';
import { Session } from '../session.ts';

const ROUNDS = 150_000;
const SAMPLES = 40;
const MiB = 1024 * 1024;

interface Run {
  /** Process memory (ArrayBuffers: where refheap's columns live) at each sample, MiB. */
  readonly memory: number[];
  /** The heap's own storage (`heap.reservedBytes`) at each sample, MiB: process memory without the rest of the process. */
  readonly storage: number[];
  /** Live objects at each sample. */
  readonly live: number[];
  readonly verdict: string;
  readonly leaking: boolean;
  readonly liveAtEnd: number;
  readonly collections: number;
}

/** `memcount.py`: each round makes an A↔B pair carrying a 32-item list, then drops it. */
function churn(parent: Session, enabled: boolean): Run {
  const s = new Session({ gcEnabled: enabled, platform: parent.platform });
  try {
    const A: HeapType = s.py.defineClass('A');
    const B: HeapType = s.py.defineClass('B');
    const every = ROUNDS / SAMPLES;
    const memory: number[] = [];
    const storage: number[] = [];
    const live: number[] = [];
    const detector = new GrowthDetector({ by: 'work', minSamples: 10, formatValue: (v) => `${v.toFixed(1)} MiB` });
    const progress = s.platform.progress(`cycles, collector ${enabled ? 'on ' : 'off'}`, ROUNDS);
    const { heap } = s;
    const payload = Array.from({ length: 32 }, (_, i) => heap.newInt(i));
    for (let round = 1; round <= ROUNDS; round++) {
      const a = heap.newInstance(A);
      const b = heap.newInstance(B);
      heap.setAttr(a, 'b', b);
      heap.setAttr(b, 'a', a);
      const data = heap.newList(payload);
      heap.setAttr(a, 'data', data);
      heap.decref(data);
      heap.decref(b);
      heap.decref(a);
      if (round % every === 0) {
        const mem = s.platform.processMemory();
        const value = mem ? mem.arrayBuffers / MiB : heap.stats().bytes / MiB;
        memory.push(Number(value.toFixed(2)));
        storage.push(Number((heap.reservedBytes / MiB).toFixed(2)));
        live.push(heap.liveObjects);
        detector.add(round, value);
        progress.tick(every);
      }
    }
    progress.done();
    for (const p of payload) heap.decref(p);
    const report = detector.report();
    return {
      memory,
      storage,
      live,
      verdict: report.verdict,
      leaking: report.probablyLeaking,
      liveAtEnd: heap.liveObjects,
      collections: s.gc.getStats().reduce((sum, g) => sum + g.collections, 0),
    };
  } finally {
    s.gc.enable();
    s.gc.collect();
    s.close();
  }
}

export const memoryGrowth: Scenario = {
  name: 'memory-growth',
  title: 'Memory growth with the collector enabled, then disabled',
  summary: '150,000 dropped A↔B cycles: process memory stays flat with the collector on and climbs with it off',
  source: 'Barker, “Process Memory Use” (memcount.py and mem_check.py)',
  needs: ['gc', 'monitor'],
  drawable: false,
  slow: true,
  moral:
    'A real leak shows up as memory that only ever climbs while the work stays the same. It is coarse — allocators ' +
    'and the OS keep freed memory around, so a flat line is not proof of health — but a cycle leak is loud. The ' +
    'growth detector looks for a significant upward trend whose floor rises too, so a collector’s sawtooth is not ' +
    'taken for a leak.',
  steps: () => {
    let on: Run;
    return [
      {
        python:
          'gc.isenabled()  # True\nfor i in range(150_000):\n    a = A(); b = B()\n    a.b = b; b.a = a\n    a.data = list(range(32))\n' +
          '    del a, b\n    if i % 3750 == 0: sample(mem_check.process_memory())',
        typescript:
          "const lab = new Session({ gcEnabled: true });\nfor (let round = 1; round <= 150_000; round++) {\n  const a = heap.newInstance(A), b = heap.newInstance(B);\n  heap.setAttr(a, 'b', b); heap.setAttr(b, 'a', a);\n  heap.setAttr(a, 'data', heap.newList(payload));\n  heap.decref(b); heap.decref(a);        // del a, b\n  if (round % 3750 === 0) detector.add(round, process.memoryUsage().arrayBuffers);\n}",
        run: (s) => {
          on = churn(s, true);
          return {
            facts: [
              fact('on.live', 'live objects at the end', on.liveAtEnd, { varies: true }),
              fact('on.collections', 'collections', on.collections, { varies: true }),
              fact('on.memory.first', 'memory at the first sample (MiB)', on.memory[0]!, { varies: true }),
              fact('on.memory.last', 'memory at the last sample (MiB)', on.memory.at(-1)!, { varies: true }),
              fact('on.verdict', 'growth detector', on.verdict),
            ],
          };
        },
        explain: (f) =>
          `With the collector on, as it is by default, ${f('on.collections')} automatic collections freed the pairs ` +
          `as they piled up: only ${f('on.live')} objects are alive at the end, and memory went from ` +
          `${f('on.memory.first')} to ${f('on.memory.last')} MiB. The growth detector's verdict: ${f('on.verdict')}.`,
      },
      {
        python: 'gc.disable()\n# the same loop',
        typescript: 'const lab = new Session({ gcEnabled: false });\n// the same loop',
        run: (s) => {
          const off = churn(s, false);
          const plot: Plot = {
            title: 'process memory in ArrayBuffers (MiB), one sample every 3,750 rounds',
            unit: 'MiB',
            series: [
              { name: 'collector on', points: on.memory },
              { name: 'collector off', points: off.memory },
            ],
          };
          return {
            plot,
            facts: [
              fact('off.live', 'live objects at the end', off.liveAtEnd, { varies: true }),
              fact('off.collections', 'collections', off.collections, { cpython: 0 }),
              fact('off.memory.first', 'memory at the first sample (MiB)', off.memory[0]!, { varies: true }),
              fact('off.memory.last', 'memory at the last sample (MiB)', off.memory.at(-1)!, { varies: true }),
              fact('off.storage.first', "the heap's storage at the first sample (MiB)", off.storage[0]!),
              fact('off.storage.last', "the heap's storage at the last sample (MiB)", off.storage.at(-1)!),
              fact('off.verdict', 'growth detector', off.verdict),
            ],
          };
        },
        explain: (f) =>
          `With the collector off every pair outlives its round: ${f('off.live')} objects are alive at the end and ` +
          `memory climbed from ${f('off.memory.first')} to ${f('off.memory.last')} MiB — in steps, as the heap's ` +
          `columns double. The detector's verdict: ${f('off.verdict')}.`,
      },
    ];
  },
};
