/**
 * tracemalloc on refheap: which lines of the program allocated the most, and
 * what grew between two snapshots. The frames are the TypeScript lines of this
 * very file, as CPython's are the lines of the Python script.
 */
import { Filter, type Snapshot, Tracemalloc } from '@refheap/monitor';
import { fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

/** `data_structures.append([x for x in range(100)])`, 200 times: the lists tracemalloc will blame. */
function buildDataStructures(s: Session, keep: number): void {
  for (let i = 0; i < 200; i++) {
    const list = s.heap.newList();
    for (let x = 0; x < 100; x++) s.heap.append(list, s.heap.newInt(x)); // small ints: cached, not allocated
    s.heap.append(keep, list);
    s.heap.decref(list);
  }
}

/** `more_data = [list(range(1000)) for _ in range(20)]`: lists and the ints above 256 they hold. */
function buildMoreData(s: Session, keep: number): void {
  for (let i = 0; i < 20; i++) {
    const list = s.heap.newList();
    for (let x = 0; x < 1000; x++) {
      const n = s.heap.newInt(x);
      s.heap.append(list, n);
      s.heap.decref(n);
    }
    s.heap.append(keep, list);
    s.heap.decref(list);
  }
}

const where = (text: string): string => text.replace(/^.*\/(src\/scenarios\/[^:]+:\d+)/, '$1');

export const tracemallocScenario: Scenario = {
  name: 'tracemalloc',
  title: 'tracemalloc: top allocations and a snapshot comparison',
  summary: 'trace allocations, list the lines that allocated most, and compare two snapshots',
  source: '“Memory Profiling with tracemalloc” (display_top_memory_allocations, compare_to)',
  needs: ['monitor'],
  drawable: false,
  moral:
    'A snapshot answers “where did my memory come from?” by source line; comparing two answers “what grew?”, which ' +
    'is usually the question when hunting a leak. Tracing everything costs a stack capture per allocation, so it is ' +
    'for hunting; the monitor’s sampling mode is cheap enough to leave on.',
  steps: () => {
    const tracer: { t?: Tracemalloc; first?: Snapshot } = {};
    return [
      {
        python:
          'tracemalloc.start()\ndata_structures = []\nfor i in range(200):\n    data_structures.append([x for x in range(100)])\n' +
          'snapshot = tracemalloc.take_snapshot()\nsnapshot = snapshot.filter_traces((Filter(False, "<unknown>"),))\nsnapshot.statistics("lineno")[:3]',
        typescript:
          "const tracer = new Tracemalloc(heap); tracer.start();\nbuildDataStructures(lab, keep);   // 200 lists of 100 small ints\n" +
          "tracer.takeSnapshot().filterTraces([new Filter(false, '<unknown>')]).statistics('lineno');",
        run: (s) => {
          const t = new Tracemalloc(s.heap);
          tracer.t = t;
          s.onClose(() => t.stop());
          t.start();
          const keep = s.bind('data_structures', s.py.list()).ref;
          buildDataStructures(s, keep);
          const top = t.takeSnapshot().filterTraces([new Filter(false, '<unknown>')]).statistics('lineno');
          for (const stat of top.slice(0, 3)) s.print(where(String(stat)));
          const [current] = t.getTracedMemory();
          return {
            facts: [
              fact('top.count', 'count of the top line', top[0]!.count),
              fact('top.where', 'the top line', where(top[0]!.traceback.toString()).replace(/:\d+$/, ':…')),
              fact('traced', 'traced memory now (bytes)', current, { varies: true }),
            ],
          };
        },
        explain: (f) =>
          `The line that made the lists tops the table with ${f('top.count')} objects. The 100 ints in each ` +
          'list cost nothing: small ints are cached objects, not allocations. (CPython counts memory blocks, so ' +
          'its numbers for the same program differ: a list there is two blocks, header and item array; here it is one object.)',
      },
      {
        python:
          'snapshot1 = tracemalloc.take_snapshot()\nmore_data = [list(range(1000)) for _ in range(20)]\n' +
          'snapshot2 = tracemalloc.take_snapshot()\nsnapshot2.compare_to(snapshot1, "lineno")[:3]\ntracemalloc.stop()',
        typescript:
          "const snapshot1 = tracer.takeSnapshot();\nbuildMoreData(lab, more);\nconst snapshot2 = tracer.takeSnapshot();\nsnapshot2.compareTo(snapshot1, 'lineno');",
        run: (s) => {
          const t = tracer.t!;
          const snapshot1 = t.takeSnapshot();
          const more = s.bind('more_data', s.py.list()).ref;
          buildMoreData(s, more);
          const snapshot2 = t.takeSnapshot();
          const diffs = snapshot2.compareTo(snapshot1, 'lineno').filter((d) => d.countDiff !== 0);
          for (const diff of diffs.slice(0, 3)) s.print(where(String(diff)));
          t.stop();
          const counts = diffs.slice(0, 2).map((d) => d.countDiff).sort((a, b) => b - a);
          return {
            facts: [
              fact('grew.lines', 'lines that allocated since snapshot1', diffs.length, { varies: true }),
              fact('grew.top', 'largest count differences', counts),
              fact('tracing', 'tracemalloc.is_tracing()', t.isTracing(), { cpython: false }),
            ],
          };
        },
        explain: (f) =>
          `compare_to names the lines that grew: ${(f.raw('grew.top') as number[]).join(' and ')} new objects — the ` +
          '20 × 743 ints above 256 made by range(1000), and the 20 lists holding them. Everything allocated before ' +
          'snapshot1 shows no difference.',
      },
    ];
  },
};
