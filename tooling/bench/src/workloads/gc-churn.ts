/**
 * gc-churn — N/2 pairs `x.a = y; y.a = x` created and dropped with automatic collection
 * ON: the collector runs whenever the young generation passes its threshold (700), as a
 * long-running program that leaks cycles would see it. Total time per object, plus the
 * longest and the 99th-percentile pause of the automatic collections in that run.
 * refheap records each pause itself (`getPauses()`); CPython's are timed from gc.callbacks
 * "start" to "stop" with perf_counter_ns. Both sides compute max and p99 the same way.
 * (refheap keeps its most recent 4096 pauses; at N = 1,000,000 a run makes about 1,400.)
 */
import { Heap, type HeapType } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { collectAll, collectYoung, newFloorHeap } from '../floor/floor-gc.ts';
import type { FloorHeap } from '../floor/floor-heap.ts';
import { percentile } from '../stats.ts';
import { floorBuildCycles } from './gc-cycles.ts';
import { besideModule, type Repetition, type Sample, startClock, type Workload } from '../workload.ts';

/** The program: N/2 two-cycles, each dropped as soon as it is made. */
export function churnCycles(heap: Heap, Node: HeapType, n: number): void {
  const a = Node.slotIndex.get('a')!;
  for (let i = 0; i < n / 2; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, a, y);
    heap.setSlot(y, a, x);
    heap.decref(x);
    heap.decref(y);
  }
}

/** One repetition on a heap that every repetition reuses: the churn timed, and the pauses it caused. */
function timeOnce(heap: Heap, Node: HeapType, gc: Collector, n: number): Sample {
  gc.collect(); // start clean (not timed, not an automatic pause)
  const since = performance.now();
  const elapsed = startClock();
  churnCycles(heap, Node, n);
  const ns = elapsed();
  const pauses = gc
    .getPauses()
    .filter((p) => p.automatic && p.startedAt >= since)
    .map((p) => p.duration);
  if (pauses.length === 0 && n >= 2000) throw new Error('gc-churn: no automatic collection ran');
  return {
    'gc-churn': ns / n,
    'gc-pause-max': pauses.length === 0 ? 0 : Math.max(...pauses),
    'gc-pause-p99': percentile(pauses, 0.99),
  };
}

/** The floor's churn: the same program; each automatic young collection timed, as refheap records its pauses. */
function floorChurn(): Repetition {
  const heap = newFloorHeap({ collector: true, automatic: true });
  const pauses: number[] = [];
  heap.collectYoung = (h: FloorHeap) => {
    const started = performance.now();
    collectYoung(h);
    pauses.push(performance.now() - started);
  };
  return (n) => {
    collectAll(heap);
    pauses.length = 0;
    const elapsed = startClock();
    floorBuildCycles(heap, n);
    const ns = elapsed();
    if (pauses.length === 0 && n >= 2000) throw new Error("gc-churn's floor ran no automatic collection");
    return {
      'gc-churn': ns / n,
      'gc-pause-max': pauses.length === 0 ? 0 : Math.max(...pauses),
      'gc-pause-p99': percentile(pauses, 0.99),
    };
  };
}

export const workload: Workload = {
  name: 'gc-churn',
  description: 'N/2 two-cycles made and dropped with automatic collection on (ns per object; max and p99 pause in ms)',
  metrics: [
    { name: 'gc-churn', unit: 'ns/object' },
    { name: 'gc-pause-max', unit: 'ms' },
    { name: 'gc-pause-p99', unit: 'ms' },
  ],
  python: besideModule(import.meta.url, './gc-churn.py'),
  size: (n) => n - (n % 2),
  prepare: () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const gc = new Collector(heap, { enabled: true });
    const repetition: Repetition = (n) => timeOnce(heap, Node, gc, n);
    return Promise.resolve(repetition);
  },
  floor: floorChurn,
};
