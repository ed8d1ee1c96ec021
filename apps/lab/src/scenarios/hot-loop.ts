/**
 * What collection costs in a hot loop: the same work timed with the collector enabled and
 * disabled. A loop that makes only ints never triggers it (ints are not tracked); a loop that
 * keeps containers triggers it every 700 of them, and each pause re-examines the survivors. A
 * gc callback times every pause, for the plot.
 */
import { fact, type Scenario } from '../scenario.ts';

export const hotLoop: Scenario = {
  name: 'hot-loop',
  title: 'The cost of collection in a hot loop',
  summary: '100,000 items processed with the collector enabled and disabled, timed, each pause measured',
  source: '“Controlling Garbage Collection” (process_large_dataset with gc.disable() around the loop)',
  drawable: false,
  slow: true,
  moral:
    'Switching the collector off around a hot loop only pays when the loop makes containers that survive: then ' +
    'every 700 allocations trigger a pause that re-examines the young survivors, and every tenth of those the older ' +
    'ones too. Turn it back on afterwards — and collect — or the cycles made meanwhile stay.',
  steps: [
    {
      title: 'the timing harness',
      code:
        'import gc\nimport time\n\ndata = range(100_000)\npauses = []  # microseconds, one per automatic collection\n\n' +
        'def on_gc(phase, info):\n    if phase == "start":\n        pauses.append(time.perf_counter())\n    else:\n' +
        '        pauses[-1] = round((time.perf_counter() - pauses[-1]) * 1_000_000)\n\n' +
        'def process(make, enabled, repeat=3):\n' +
        '    """Runs make() with the collector on or off, `repeat` times: (the best time in ms, collections in a run)."""\n' +
        '    best = None\n    for _ in range(repeat):\n        gc.collect()\n        del pauses[:]\n' +
        '        if not enabled:\n            gc.disable()\n        gc.callbacks.append(on_gc)\n' +
        '        started = time.perf_counter()\n        result = make()\n        ms = (time.perf_counter() - started) * 1000\n' +
        '        gc.callbacks.remove(on_gc)\n        gc.enable()\n        del result\n' +
        '        best = ms if best is None else min(best, ms)\n    return round(best), len(pauses)\n\n' +
        'process(lambda: [[item] for item in data], enabled=True)  # a first run, so no timed run pays for warming up',
      facts: [fact('enabled', 'gc.isenabled()', { cpython: true })],
      explain: () =>
        'process() runs a piece of work with the collector on or off, three times, keeping the best time, and a ' +
        'gc callback times every collection that happens meanwhile (the callback runs at the start and the end of ' +
        'each one). A first, untimed run warms the interpreter up.',
    },
    {
      title: 'ints only',
      code:
        'ints_off = process(lambda: [item * 2 for item in data], enabled=False)\n' +
        'ints_on = process(lambda: [item * 2 for item in data], enabled=True)',
      facts: [
        fact('ints.off.ms', 'ints_off[0]', { label: 'disabled: time (ms)', varies: true }),
        fact('ints.off.collections', 'ints_off[1]', { label: 'disabled: automatic collections', cpython: true }),
        fact('ints.on.ms', 'ints_on[0]', { label: 'enabled: time (ms)', varies: true }),
        fact('ints.on.collections', 'ints_on[1]', { label: 'enabled: automatic collections', cpython: true }),
      ],
      explain: (f) =>
        `${f('ints.on.collections')} automatic collections with the collector on: ints are atoms, never tracked, ` +
        `so they never count toward a collection. Both runs do the same work (${f('ints.off.ms')} ms off, ` +
        `${f('ints.on.ms')} ms on, the best of three each): disabling the collector here buys nothing.`,
    },
    {
      title: 'a list per item',
      code:
        'lists_off = process(lambda: [[item * 2] for item in data], enabled=False)\n' +
        'lists_on = process(lambda: [[item * 2] for item in data], enabled=True)\nlist_pauses = list(pauses)',
      facts: [
        fact('lists.off.ms', 'lists_off[0]', { label: 'disabled: time (ms)', varies: true }),
        fact('lists.off.collections', 'lists_off[1]', { label: 'disabled: automatic collections', cpython: true }),
        fact('lists.on.ms', 'lists_on[0]', { label: 'enabled: time (ms)', varies: true }),
        fact('lists.on.collections', 'lists_on[1]', { label: 'enabled: automatic collections' }),
        fact('lists.on.pause.ms', 'round(sum(list_pauses) / 1000)', { label: 'enabled: time in collections (ms)', varies: true }),
        fact('lists.on.max.pause', 'round(max(list_pauses) / 1000, 1)', { label: 'enabled: longest pause (ms)', varies: true }),
        fact('pauses', 'list_pauses', { label: 'each pause (µs)', varies: true }),
      ],
      plot: { title: 'each automatic collection’s pause, collector on (µs)', unit: 'µs', series: [{ name: 'pause', fact: 'pauses' }] },
      explain: (f) => {
        const off = f.raw('lists.off.ms') as number;
        const on = f.raw('lists.on.ms') as number;
        const ratio = off > 0 ? on / off : 1;
        const cost =
          ratio >= 1.1
            ? `making the loop ${ratio.toFixed(2)}× as long as with it off (${on} ms against ${off} ms)`
            : `though on this run the loop's time hardly shows it (${on} ms on, ${off} ms off: the pauses are lost in ` +
              'the noise of timing a JIT-compiled interpreter)';
        return (
          `A list per item is a container that survives: with the collector on, ${f('lists.on.collections')} ` +
          `collections ran and took ${f('lists.on.pause.ms')} ms (the longest ${f('lists.on.max.pause')} ms), ${cost}. ` +
          'None of those collections found anything — every list was still in the result. The tall spikes are ' +
          'the collections that examine generation 1 too (every tenth), and the rarer full ones everything.'
        );
      },
    },
  ],
};
