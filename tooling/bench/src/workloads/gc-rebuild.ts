/**
 * gc-rebuild — gc-live-scan's tree (N/2 Nodes) built, collected and freed again and again
 * in one heap, as a long-running program builds and drops its big structures; reported: the
 * full `collect()` of the last build, per object. A heap that hands freed slots out in a
 * worse order each time (LIFO reuse after a teardown) shows it here, where a single build
 * cannot: each round's objects end up further apart in memory.
 *
 * No floor: what this row measures is the order of reuse itself, and the floor's plain LIFO
 * free list hands a torn-down tree's slots back in the worst order (about 200 ns per object
 * measured, against gc-live-scan's floor of about 20) — not a floor of anything.
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { besideModule, type Repetition, type Workload } from '../workload.ts';
import { collectLiveTree } from './gc-live-scan.ts';

/** Trees built and freed in each repetition; the last one's collection is timed. */
export const REBUILDS = 5;
const METRIC = `gc-live-scan (build ${REBUILDS} of one heap)`;

export const workload: Workload = {
  name: 'gc-rebuild',
  description: `gc-live-scan's tree of N/2 Nodes built and freed ${REBUILDS} times in one heap; the last collect() timed (ns per object)`,
  metrics: [{ name: METRIC, unit: 'ns/object' }],
  python: besideModule(import.meta.url, './gc-rebuild.py'),
  size: (n) => Math.max(1, Math.floor(n / 2)),
  prepare: () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const gc = new Collector(heap, { enabled: false });
    const repetition: Repetition = (n) => {
      let ns = 0;
      for (let build = 1; build <= REBUILDS; build++) ns = collectLiveTree(heap, Node, gc, n);
      return { [METRIC]: ns / n };
    };
    return Promise.resolve(repetition);
  },
};
