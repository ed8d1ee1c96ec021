/**
 * gc-incremental — a long-running program with a big heap: a kept binary tree of N Nodes
 * (gc-live-scan's), and N operations that each make a two-cycle, keep it in a window of
 * the last 5,000 (long enough to reach the oldest generation) and drop the oldest one.
 * So the old generation fills with cyclic garbage that only its collection reclaims —
 * the load under which CPython 3.14's incremental collector let memory grow. N operations
 * make 2N objects of garbage: some eight collections of the oldest generation by
 * stop-the-world, about eleven incremental cycles. (With half as many, whether a run ends
 * just before or just after one more collection decided a quarter of its time.)
 *
 * The same program runs twice per repetition on fresh heaps, with stop-the-world automatic
 * collection and with incremental mode (1 ms budget); the rows give both, and CPython
 * 3.11 (stop-the-world) beside each. Per run: the longest and the 99th-percentile pause
 * (refheap: every recorded pause, where a young collection and the slice that follows it in
 * the same allocation count as one stop; CPython: gc.callbacks start to stop), peak RSS
 * and peak live objects sampled every 4,096 operations and at the end of each collection of
 * the oldest generation, the whole run's time per operation, and the longest the program itself
 * was held up: any 64 operations in a row, whatever held them (the collector, the heap's own
 * free-list sort, the JS engine's collector, the OS).
 *
 * And the floor under all of those: `host-stall`, the longest an empty loop in the same process
 * was held up over ten seconds before the runs (each side measures its own), and how many
 * times a second it was held up over 1 ms. On a shared virtual machine the hypervisor takes
 * the CPU away for milliseconds now and then, whatever runs; during a cycle at 10 M the stops
 * fill most of the wall time, so such a stall lands in one. A pause max at or under the floor
 * is the machine's, not the collector's; `pauses-over-1ms` (stops over 1 ms a second of the
 * run) beside `host-stalls-over-1ms` says whether the collector adds any of its own.
 *
 * So incremental mode runs a third time with the collector on the thread's own time
 * (thread-clock.ts: steps of the smaller of the wall clock and the thread CPU clock; CPython:
 * the smaller of `perf_counter` and `time.thread_time` around its callbacks, in its one run):
 * the `(own time)` rows are each stop's own time — the collector's work, V8's inside the stop,
 * the kernel's on its behalf — without the time the hypervisor took the CPU away, and the
 * probe's `(own time)` rows are the part of the host's stalls that still shows on that clock
 * (the host's own work on the guest's behalf, which the guest is charged for).
 */
import { Heap, type HeapType, type Ref } from '@refheap/core';
import { Collector, type Pause } from '@refheap/gc';
import { percentile } from '../stats.ts';
import { besideModule, type Metric, type Repetition, startClock, type Workload } from '../workload.ts';
import { ownTimeClock, threadCpuClock } from '../thread-clock.ts';
import { buildTree } from './gc-live-scan.ts';

/** Two-cycles kept alive at a time: 10,000 objects, more than a generation-1 collection's span. */
export const WINDOW = 5000;
const SAMPLE_EVERY = 4096;
/** Operations between two looks at the clock for the longest stall. */
const STALL_EVERY = 64;
/** Pauses closer than this (ms) are one stop of the program: a young collection and its slice. */
const SAME_STOP = 0.005;
/** How long the host-stall probe runs (ms), at full size (long enough to see stalls that come a few times a minute); a smoke run's N probes for a moment. */
const PROBE_MS = 10_000;
/** Iterations of the probe's work between two looks at the clock: some 20 µs (a look costs a heap number). */
const PROBE_WORK = 20_000;

export interface ChurnResult {
  readonly pauses: number[];
  readonly peakRss: number;
  readonly peakLive: number;
  readonly nsPerOp: number;
  /** The longest any STALL_EVERY consecutive operations took (ms), whatever stopped them. */
  readonly stallMax: number;
  /** The run's wall time (ms). */
  readonly ms: number;
}

/**
 * The program, on a fresh heap: the tree built with collection off, then `ops` operations with
 * it on; with `clock`, the collector's pauses and budgets on that clock.
 */
export function churnOverTree(n: number, ops: number, incremental: boolean, clock?: () => number): ChurnResult {
  const heap = new Heap();
  const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
  const gc = new Collector(heap, { enabled: false, incremental, pauseCapacity: 1 << 22, ...(clock && { clock }) });
  const root = buildTree(heap, Node, n);
  gc.collect(); // everything into the oldest generation, as a long-running program has it
  // The build's JS garbage (the columns' arrays before each doubling, hundreds of MB at 10 M) is
  // the setup's: left to V8, it is swept in a mark-compact of V8's own early in the churn, inside
  // whatever stop is running then (20 ms, traced), as no long-running program has it.
  (globalThis as { gc?: () => void }).gc?.();
  let peakRss = 0;
  let peakLive = 0;
  const sample = (): void => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    peakLive = Math.max(peakLive, heap.liveObjects);
  };
  gc.callbacks.push((phase, info) => {
    if (phase === 'stop' && info.generation === 2) sample();
  });
  const since = clock === undefined ? performance.now() : clock();
  gc.enable();
  const elapsed = startClock();
  const stallMax = churn(heap, Node, ops, sample);
  const ns = elapsed();
  gc.disable();
  sample();
  const pauses = stops(gc.getPauses().filter((p) => p.automatic && p.startedAt >= since));
  heap.decref(root);
  gc.collect();
  return { pauses, peakRss: peakRss / (1 << 20), peakLive, nsPerOp: ns / ops, stallMax, ms: ns / 1e6 };
}

/** Runs the churn; returns the longest any STALL_EVERY consecutive operations took, in ms. */
function churn(heap: Heap, Node: HeapType, ops: number, sample: () => void): number {
  const a = Node.slotIndex.get('a')!;
  const window = new Int32Array(WINDOW);
  let stall = 0;
  let last = performance.now();
  for (let i = 0; i < ops; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, a, y);
    heap.setSlot(y, a, x);
    heap.decref(y);
    const slot = i % WINDOW;
    const old: Ref = window[slot]!;
    window[slot] = x; // the window holds x; the oldest two-cycle becomes garbage
    if (old !== 0) heap.decref(old);
    if (i % SAMPLE_EVERY === 0) sample();
    if (i % STALL_EVERY === 0) {
      const t = performance.now();
      if (t - last > stall) stall = t - last;
      last = t;
    }
  }
  for (const x of window) if (x !== 0) heap.decref(x);
  return stall;
}

export interface HostStalls {
  /** The longest the probe's loop was held up (ms). */
  readonly max: number;
  /** How many times a second it was held up over 1 ms. */
  readonly over1msPerSecond: number;
  /** The same two on the thread's own time (thread-clock.ts): what of the stalls the thread is charged for. */
  readonly ownMax: number;
  readonly ownOver1msPerSecond: number;
}

/**
 * How the machine holds up any program, over `ms` milliseconds: a loop of arithmetic looks at
 * the clocks every PROBE_WORK iterations, and a gap longer than the shortest one is a stall.
 */
export function hostStalls(ms: number, cpu: () => number): HostStalls {
  probe(50, cpu); // (untimed: the loop's first rounds run before the engine has compiled it)
  return probe(ms, cpu);
}

function probe(ms: number, cpu: () => number): HostStalls {
  let x = 1;
  const wall = new Gaps();
  const charged = new Gaps();
  const own = ownTimeClock(cpu);
  let last = performance.now();
  let lastOwn = own();
  const began = last;
  const end = last + ms;
  while (last < end) {
    for (let k = 0; k < PROBE_WORK; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    const t = performance.now();
    const o = own();
    wall.add(t - last);
    charged.add(o - lastOwn);
    last = t;
    lastOwn = o;
  }
  const seconds = (last - began) / 1000 + (x & 0); // (x: so the loop is kept)
  return {
    max: wall.worstStall(),
    over1msPerSecond: wall.stallsOver1ms() / seconds,
    ownMax: charged.worstStall(),
    ownOver1msPerSecond: charged.stallsOver1ms() / seconds,
  };
}

/** The gaps between a probe's looks at one clock: a stall is what a gap takes beyond the shortest. */
class Gaps {
  #shortest = Infinity;
  #longest = 0;
  readonly #long: number[] = [];

  add(gap: number): void {
    if (gap < this.#shortest) this.#shortest = gap;
    if (gap > this.#longest) this.#longest = gap;
    if (gap > 1) this.#long.push(gap);
  }

  worstStall(): number {
    return Math.max(0, this.#longest - this.#shortest);
  }

  stallsOver1ms(): number {
    return this.#long.filter((gap) => gap - this.#shortest > 1).length;
  }
}

/** Pause durations, adjacent ones (one allocation's young collection and slice) merged into one stop. */
export function stops(pauses: readonly Pause[]): number[] {
  const out: number[] = [];
  let end = -Infinity;
  for (const p of pauses) {
    if (out.length > 0 && p.startedAt - end < SAME_STOP) out[out.length - 1]! += p.duration;
    else out.push(p.duration);
    end = p.startedAt + p.duration;
  }
  return out;
}

const MODES = [
  { suffix: '', incremental: true },
  { suffix: ' (stop-the-world)', incremental: false },
] as const;
/** The rows of incremental mode run with the collector on the thread's own time (thread-clock.ts). */
const OWN_TIME = ' (own time)';

export const metrics: readonly Metric[] = MODES.flatMap(({ suffix }) => [
  { name: `gc-incremental-pause-max${suffix}`, unit: 'ms' },
  { name: `gc-incremental-pause-p99${suffix}`, unit: 'ms' },
  { name: `gc-incremental-peak-rss${suffix}`, unit: 'MiB' },
  { name: `gc-incremental-peak-live${suffix}`, unit: 'objects', noCpython: 'CPython has no cheap count of live objects' },
  { name: `gc-incremental-throughput${suffix}`, unit: 'ns/op' },
  { name: `gc-incremental-stall-max${suffix}`, unit: 'ms' },
  { name: `gc-incremental-pauses-over-1ms${suffix}`, unit: 'per s' },
]).concat([
  { name: `gc-incremental-pause-max${OWN_TIME}`, unit: 'ms' },
  { name: `gc-incremental-pause-p99${OWN_TIME}`, unit: 'ms' },
  { name: `gc-incremental-pauses-over-1ms${OWN_TIME}`, unit: 'per s' },
  { name: 'gc-incremental-host-stall', unit: 'ms' },
  { name: 'gc-incremental-host-stalls-over-1ms', unit: 'per s' },
  { name: `gc-incremental-host-stall${OWN_TIME}`, unit: 'ms' },
  { name: `gc-incremental-host-stalls-over-1ms${OWN_TIME}`, unit: 'per s' },
]);

export const workload: Workload = {
  name: 'gc-incremental',
  description: 'a kept tree of N Nodes and N two-cycles made, kept a while and dropped: incremental vs stop-the-world',
  metrics,
  python: besideModule(import.meta.url, './gc-incremental.py'),
  prepare: () => {
    const cpu = threadCpuClock();
    if (cpu === null) throw new Error('gc-incremental needs the thread CPU clock (WASI clock_time_get), which this runtime lacks');
    let flip = false;
    const repetition: Repetition = (n) => {
      const sample: Record<string, number> = {};
      const host = hostStalls(n >= 100_000 ? PROBE_MS : 20, cpu);
      sample['gc-incremental-host-stall'] = host.max;
      sample['gc-incremental-host-stalls-over-1ms'] = host.over1msPerSecond;
      sample[`gc-incremental-host-stall${OWN_TIME}`] = host.ownMax;
      sample[`gc-incremental-host-stalls-over-1ms${OWN_TIME}`] = host.ownOver1msPerSecond;
      // The order alternates between repetitions, so neither mode always runs in the other's leftovers.
      flip = !flip;
      const order = flip ? MODES : [...MODES].reverse();
      for (const { suffix, incremental } of order) {
        (globalThis as { gc?: () => void }).gc?.(); // the last run's heap goes back to the system first
        const r = churnOverTree(n, n, incremental);
        sample[`gc-incremental-pause-max${suffix}`] = r.pauses.length === 0 ? 0 : Math.max(...r.pauses);
        sample[`gc-incremental-pause-p99${suffix}`] = percentile(r.pauses, 0.99);
        sample[`gc-incremental-peak-rss${suffix}`] = r.peakRss;
        sample[`gc-incremental-peak-live${suffix}`] = r.peakLive;
        sample[`gc-incremental-throughput${suffix}`] = r.nsPerOp;
        sample[`gc-incremental-stall-max${suffix}`] = r.stallMax;
        sample[`gc-incremental-pauses-over-1ms${suffix}`] = r.pauses.filter((p) => p > 1).length / (r.ms / 1000);
      }
      (globalThis as { gc?: () => void }).gc?.();
      const onCpu = churnOverTree(n, n, true, ownTimeClock(cpu));
      sample[`gc-incremental-pause-max${OWN_TIME}`] = onCpu.pauses.length === 0 ? 0 : Math.max(...onCpu.pauses);
      sample[`gc-incremental-pause-p99${OWN_TIME}`] = percentile(onCpu.pauses, 0.99);
      sample[`gc-incremental-pauses-over-1ms${OWN_TIME}`] = onCpu.pauses.filter((p) => p > 1).length / (onCpu.ms / 1000);
      return sample;
    };
    return Promise.resolve(repetition);
  },
};
