/**
 * interp-linked-list — a linked list of N `Node`s (`__slots__ = ('value', 'next')`, built
 * from the tail: `head = Node(i, head)`), then `head = None`, which frees them all, one
 * node freeing the next (programs/linked-list.py), run in refheap-python and in python3: one
 * source, two interpreters. N is a tenth of the harness's (100,000 at 1,000,000). Reported
 * per node: (run − empty run) / N, building and freeing together.
 */
import { besideModule, type Repetition, type Workload } from '../workload.ts';
import { INTERPRETER_WARMUP, refheapPython } from './interp.ts';

export const workload: Workload = {
  name: 'interp-linked-list',
  description: 'a linked list of N/10 __slots__ Nodes built, then dropped by head = None, one Python source in refheap-python and python3 (ns per node)',
  metrics: [{ name: 'interp-linked-list', unit: 'ns/node' }],
  python: besideModule(import.meta.url, './interp-linked-list.py'),
  warmupAtLeast: INTERPRETER_WARMUP,
  size: (n) => Math.max(1, Math.floor(n / 10)),
  prepare: async () => {
    const time = await refheapPython();
    const repetition: Repetition = (n) => ({ 'interp-linked-list': time('linked-list.py', { N: n }) / n });
    return repetition;
  },
};
