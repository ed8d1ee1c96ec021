/**
 * interp-hot-loop — `total += i * 2` and a 2-tuple `t = (i, i)` made (and dropped by the next
 * iteration), N times (programs/hot-loop.py), with the cyclic gc enabled and after
 * `gc.disable()`, run in refheap-python and in python3: one source, two interpreters.
 * Reported per iteration: (run − empty run) / N.
 */
import { besideModule, type Repetition, type Workload } from '../workload.ts';
import { INTERPRETER_WARMUP, refheapPython } from './interp.ts';

export const workload: Workload = {
  name: 'interp-hot-loop',
  description: 'N iterations of integer arithmetic and a 2-tuple, gc on and gc off, one Python source in refheap-python and python3 (ns per iteration)',
  metrics: [
    { name: 'interp-hot-loop (gc on)', unit: 'ns/iteration' },
    { name: 'interp-hot-loop (gc off)', unit: 'ns/iteration' },
  ],
  python: besideModule(import.meta.url, './interp-hot-loop.py'),
  warmupAtLeast: INTERPRETER_WARMUP,
  prepare: async () => {
    const time = await refheapPython();
    const repetition: Repetition = (n) => ({
      'interp-hot-loop (gc on)': time('hot-loop.py', { N: n, GC: true }) / n,
      'interp-hot-loop (gc off)': time('hot-loop.py', { N: n, GC: false }) / n,
    });
    return repetition;
  },
};
