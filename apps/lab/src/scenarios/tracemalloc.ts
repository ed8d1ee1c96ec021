/**
 * tracemalloc: which lines of the program allocated the most, and what grew between two
 * snapshots. The lines are the program's own, as CPython's are.
 */
import { fact, type Scenario } from '../scenario.ts';

export const tracemallocScenario: Scenario = {
  name: 'tracemalloc',
  title: 'tracemalloc: top allocations and a snapshot comparison',
  summary: 'trace allocations, list the lines that allocated most, and compare two snapshots',
  source: '“Memory Profiling with tracemalloc” (display_top_memory_allocations, compare_to)',
  drawable: false,
  moral:
    'A snapshot answers “where did my memory come from?” by source line; comparing two answers “what grew?”, which ' +
    'is usually the question when hunting a leak. Tracing everything costs a stack capture per allocation, so it is ' +
    'for hunting, not for leaving on.',
  steps: [
    {
      title: 'the top allocating lines',
      code:
        'import tracemalloc\n\ntracemalloc.start()\ndata_structures = []\nfor i in range(200):\n' +
        '    data_structures.append([x for x in range(100)])\n\nsnapshot = tracemalloc.take_snapshot()\n' +
        'snapshot = snapshot.filter_traces((tracemalloc.Filter(False, "<unknown>"),))\n' +
        'top = snapshot.statistics("lineno")[:3]\nfor stat in top:\n    print(stat)',
      facts: [
        fact('top.line', 'top[0].traceback[0].lineno', { label: 'the top line', cpython: true }),
        fact('top.count', 'top[0].count', { label: 'blocks allocated by the top line' }),
        fact('traced', 'tracemalloc.get_traced_memory()[0]', { label: 'traced memory now (bytes)', varies: true }),
      ],
      explain: (f) =>
        `Line ${f('top.line')}, the one that made the lists, tops the table with ${f('top.count')} blocks. The 100 ` +
        'ints in each list cost nothing: small ints are cached objects, not allocations. (CPython counts memory ' +
        'blocks, refheap counts objects, so the counts and sizes for the same program differ: a list there is two ' +
        'blocks, header and item array; here it is one object.)',
    },
    {
      title: 'what grew between two snapshots',
      code:
        'snapshot1 = tracemalloc.take_snapshot()\nmore_data = [list(range(1000)) for _ in range(20)]\n' +
        'snapshot2 = tracemalloc.take_snapshot()\ngrew = [d for d in snapshot2.compare_to(snapshot1, "lineno") if d.count_diff]\n' +
        'for diff in grew[:3]:\n    print(diff)\ntracemalloc.stop()',
      facts: [
        fact('grew.line', 'grew[0].traceback[0].lineno', { label: 'the line that grew most', cpython: true }),
        fact('grew.top', 'grew[0].count_diff', { label: 'new blocks on that line' }),
        fact('tracing', 'tracemalloc.is_tracing()', { cpython: true }),
      ],
      explain: (f) =>
        `compare_to names the line that grew: line ${f('grew.line')}, with ${f('grew.top')} new ` +
        'blocks — the 20 lists made by list(range(1000)) and the ints above 256 they hold. Everything allocated ' +
        'before snapshot1 shows no difference.',
    },
  ],
};
