/**
 * interp-listcomp — `for _ in range(N // 1000): [x for x in range(1000)]` (programs/listcomp.py;
 * at N = 1,000,000 the outer range is 1000), run in refheap-python and in python3: one
 * source, two interpreters. Reported per item: (run − empty run) / N.
 */
import { besideModule, type Repetition, type Workload } from '../workload.ts';
import { INTERPRETER_WARMUP, refheapPython } from './interp.ts';

export const workload: Workload = {
  name: 'interp-listcomp',
  description: 'N // 1000 list comprehensions of 1000 items, one Python source in refheap-python and python3 (ns per item)',
  metrics: [{ name: 'interp-listcomp', unit: 'ns/item' }],
  python: besideModule(import.meta.url, './interp-listcomp.py'),
  warmupAtLeast: INTERPRETER_WARMUP,
  size: (n) => Math.max(1000, n - (n % 1000)),
  prepare: async () => {
    const time = await refheapPython();
    const repetition: Repetition = (n) => ({ 'interp-listcomp': time('listcomp.py', { N: n }) / n });
    return repetition;
  },
};
