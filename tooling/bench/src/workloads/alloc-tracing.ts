/**
 * alloc-tracing — what allocation tracing costs: alloc-free-acyclic's program (two Nodes,
 * one pointing at the other, both dropped; collector attached) run untraced, with tracing
 * off, sampled, and fully traced, back to back in each repetition.
 *
 * - untraced: a heap that never had a tracer — the baseline;
 * - tracing off: a heap whose tracer was started and stopped (CPython: `tracemalloc.start()`
 *   then `stop()`) — @refheap/monitor promises this costs nothing;
 * - sampling: about one allocation per 512 KiB traced — promised at most 10% over untraced.
 *   CPython's tracemalloc has no sampling mode;
 * - tracing all: every allocation traced with one frame (`tracemalloc.start(1)`), run at
 *   N/50 on both sides because capturing a stack per object is slow.
 *
 * Untraced and tracing-off swap places from one repetition to the next, so that neither
 * is always the first to run after the harness's between-repetition collection.
 * The two overhead rows are computed from the best times of each side: (traced / untraced − 1) × 100.
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Tracemalloc } from '@refheap/monitor';
import { besideModule, type Repetition, type Sample, startClock, type Workload } from '../workload.ts';
import { newFloorHeap } from '../floor/floor-gc.ts';
import { allocFree, timeFloor } from './alloc-free-acyclic.ts';

const UNTRACED = 'alloc-tracing (untraced)';
const OFF = 'alloc-tracing (tracing off)';
const SAMPLING = 'alloc-tracing (sampling 512 KiB)';
const ALL = 'alloc-tracing (tracing all, 1 frame)';
const OFF_OVERHEAD = 'tracing-off overhead';
const SAMPLING_OVERHEAD = 'sampling overhead';
/** Bytes per sample: what @refheap/monitor suggests for leaving the sampler on. */
export const SAMPLING_INTERVAL = 512 * 1024;
/** Full tracing runs at N / this. */
const ALL_DIVISOR = 50;
const NO_SAMPLING = "CPython's tracemalloc has no sampling mode";

interface NodeHeap {
  readonly heap: Heap;
  readonly Node: HeapType;
}

function nodeHeap(): NodeHeap {
  const heap = new Heap();
  const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
  new Collector(heap, { enabled: true });
  return { heap, Node };
}

function nsPerObject({ heap, Node }: NodeHeap, n: number): number {
  const elapsed = startClock();
  allocFree(heap, Node, n);
  return elapsed() / (2 * n);
}

/** (traced / untraced − 1) × 100, when both are known. */
function overhead(traced: number | undefined, untraced: number | undefined): number | undefined {
  return traced === undefined || untraced === undefined ? undefined : (traced / untraced - 1) * 100;
}

export const workload: Workload = {
  name: 'alloc-tracing',
  description: 'alloc-free-acyclic untraced, with tracing off, sampled and fully traced (ns per object; overheads in %)',
  metrics: [
    { name: UNTRACED, unit: 'ns/object' },
    { name: OFF, unit: 'ns/object' },
    { name: SAMPLING, unit: 'ns/object', noCpython: NO_SAMPLING },
    { name: ALL, unit: 'ns/object' },
    { name: OFF_OVERHEAD, unit: '%', derived: true },
    { name: SAMPLING_OVERHEAD, unit: '%', derived: true, noCpython: NO_SAMPLING },
  ],
  python: besideModule(import.meta.url, './alloc-tracing.py'),
  derive: (best) => {
    const derived: Record<string, number> = {};
    const off = overhead(best[OFF], best[UNTRACED]);
    const sampling = overhead(best[SAMPLING], best[UNTRACED]);
    if (off !== undefined) derived[OFF_OVERHEAD] = off;
    if (sampling !== undefined) derived[SAMPLING_OVERHEAD] = sampling;
    return derived;
  },
  prepare: () => {
    const untraced = nodeHeap(); // never sees a tracer
    const traced = nodeHeap();
    const tracer = new Tracemalloc(traced.heap);
    tracer.start(1);
    tracer.stop();
    let runs = 0;
    const repetition: Repetition = (n): Sample => {
      const sample: Record<string, number> = {};
      if (runs++ % 2 === 0) {
        sample[UNTRACED] = nsPerObject(untraced, n);
        sample[OFF] = nsPerObject(traced, n);
      } else {
        sample[OFF] = nsPerObject(traced, n);
        sample[UNTRACED] = nsPerObject(untraced, n);
      }
      tracer.start(1, { samplingInterval: SAMPLING_INTERVAL });
      sample[SAMPLING] = nsPerObject(traced, n);
      tracer.stop();
      tracer.start(1);
      sample[ALL] = nsPerObject(traced, Math.max(1, Math.floor(n / ALL_DIVISOR)));
      tracer.stop();
      return sample;
    };
    return Promise.resolve(repetition);
  },
  /** Only the untraced row has a floor: the others measure tracing, which the floor has none of. */
  floor: () => {
    const heap = newFloorHeap({ collector: true, automatic: true });
    return (n) => ({ [UNTRACED]: timeFloor(heap, n) });
  },
};
