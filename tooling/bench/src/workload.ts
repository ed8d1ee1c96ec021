/**
 * What a workload is: one program written twice — a TypeScript function on
 * refheap and the same program in Python (the `.py` file beside it) — that
 * reports the same named metrics on both sides. Keeping the two halves side by
 * side, with the same metric names, is what makes the ratio mean something.
 */
import { fileURLToPath } from 'node:url';

/** One row of the report: what is measured and in what unit. Every metric is lower-is-better. */
export interface Metric {
  /** The row's name (the JSON `workload` field). */
  readonly name: string;
  /** `ns/object`, `ns/iteration`, `ms`, `bytes/object`, `%`. */
  readonly unit: string;
  /**
   * Not measured but computed by the workload's `derive` from the best values of its other
   * metrics — the same formula on both sides (an overhead in %). Such rows have no ratio.
   */
  readonly derived?: boolean;
  /** Set when CPython has nothing to compare (it lacks the feature): the reason, shown under the table. */
  readonly noCpython?: string;
}

/** One repetition's numbers, by metric name. */
export type Sample = Readonly<Record<string, number>>;

/** One timed repetition of the TypeScript half at N. */
export type Repetition = (n: number) => Sample;

/** The TypeScript half could not run (a package it needs is missing); the row says why. */
export interface Skipped {
  readonly skipped: string;
}

export interface Workload {
  /** What `--filter` matches. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The rows this workload reports, in order. */
  readonly metrics: readonly Metric[];
  /** The Python half: a file defining `run(n)` that returns a dict of the same metric names. */
  readonly python: string;
  /**
   * The N to run at, from the harness's N (1,000,000 by default). Most workloads use it as
   * is; memory-per-object counts 200,000 objects, as tracemalloc was measured in cpython-facts.
   */
  readonly size?: (n: number) => number;
  /** Computes the `derived` metrics from one side's best values of the measured ones. */
  readonly derive?: (best: Sample) => Sample;
  /** True when one repetition says all there is to say (memory is counted, not timed). */
  readonly deterministic?: boolean;
  /**
   * The fewest untimed repetitions before timing, whatever `--warmup` says: for a workload
   * whose code V8 takes longer than one repetition to settle (each side runs them, for symmetry).
   */
  readonly warmupAtLeast?: number;
  /**
   * Prepares the TypeScript half, once per process: makes the heap (and collector) that
   * every repetition reuses, as a long-running program would, and as the Python half
   * reuses its interpreter. Returns one repetition at N, or `Skipped` when refheap lacks
   * what the workload needs. Async so that it may import a package that may be missing.
   */
  readonly prepare: () => Promise<Repetition | Skipped>;
  /**
   * The floor: the same program on src/floor/ (a typed-array heap with no features), set up
   * once like `prepare`. Its samples name the metrics that have a floor; absent where none is
   * meaningful (the README says what each floor leaves out).
   */
  readonly floor?: () => Repetition;
}

/** The absolute path of a file next to the module whose `import.meta.url` is given. */
export function besideModule(moduleUrl: string, file: string): string {
  return fileURLToPath(new URL(file, moduleUrl));
}

/**
 * Starts a monotonic nanosecond clock; the returned function gives the nanoseconds elapsed.
 * (Python's side uses `time.perf_counter_ns()`.)
 */
export function startClock(): () => number {
  const started = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - started);
}
