/**
 * Runs workloads on both sides and keeps the best of each.
 *
 * Both halves run the same way: a fresh process per round (node with src/worker.ts, python3
 * with python/harness.py) that makes its heap or interpreter state once, runs untimed
 * warm-up repetitions, then timed ones, each timed inside that process (process.hrtime
 * and time.perf_counter_ns; starting a process is never timed). The host is noisy (±40%
 * from run to run on a 2-core machine), so neither side gets a quiet stretch the other
 * does not: the two take turns round by round, the order alternating. Every number
 * reported is the lowest seen over all timed repetitions — on both sides alike.
 */
import { execFileSync } from 'node:child_process';
import { best } from './stats.ts';
import { besideModule, type Sample, type Workload } from './workload.ts';

/** One report row; what `--json` prints, plus why a side is missing. */
export interface Row {
  readonly workload: string;
  readonly unit: string;
  /** null when the refheap half was skipped. */
  readonly refheap: number | null;
  readonly cpython: number | null;
  /** cpython / refheap: above 1 means refheap is better (smaller); null without both numbers. */
  readonly ratio: number | null;
  /** Why `refheap` is null (shown in the table, not in the JSON). */
  readonly note?: string;
  /** Why `cpython` is null (shown under the table, not in the JSON). */
  readonly cpythonNote?: string;
}

export interface RunOptions {
  /** N: objects (or iterations) per repetition; 1,000,000 by default. */
  readonly n: number;
  /** How many times the two sides take turns, each turn in a new process. */
  readonly rounds: number;
  /** Timed repetitions per side per round. */
  readonly reps: number;
  /** Untimed repetitions per side at the start of each round. */
  readonly warmup: number;
  /** The Python interpreter to run. */
  readonly python: string;
  /** Progress lines (the CLI sends them to stderr when it is a terminal). */
  readonly progress?: (line: string) => void;
}

export interface RunResult {
  readonly rows: Row[];
  /** The versions that answered, e.g. {node: '20.20.2', python: '3.11.7'}. */
  readonly versions: { readonly node: string; readonly python: string };
}

/** The package folder: where `--import tsx` resolves from. */
const PACKAGE_DIR = besideModule(import.meta.url, '..');
const WORKER = besideModule(import.meta.url, './worker.ts');
const HARNESS = besideModule(import.meta.url, './python/harness.py');
/** How the TypeScript half is started: sources through tsx, the GC exposed for between repetitions. */
export const NODE_FLAGS: readonly string[] = ['--expose-gc', '--conditions=@refheap/source', '--import', 'tsx'];

/** Runs the given workloads; rows come in workload order, each workload's metrics in its order. */
export function runWorkloads(workloads: readonly Workload[], options: RunOptions): RunResult {
  const rows: Row[] = [];
  let node = process.versions.node;
  let python = '';
  for (const workload of workloads) {
    const result = runWorkload(workload, options);
    rows.push(...result.rows);
    node = result.versions.node || node;
    python = result.versions.python || python;
  }
  return { rows, versions: { node, python } };
}

interface SideOutput {
  readonly samples: Sample[];
  readonly version: string;
  readonly skipped?: string;
}

/** Both halves of one workload, taking turns by rounds. */
export function runWorkload(workload: Workload, options: RunOptions): RunResult {
  const n = workload.size?.(options.n) ?? options.n;
  const once = workload.deterministic === true;
  const reps = once ? 1 : options.reps;
  const warmup = once ? 0 : options.warmup;
  let rounds = once ? 1 : options.rounds;
  const say = options.progress ?? (() => undefined);

  const tsSamples: Sample[] = [];
  const pySamples: Sample[] = [];
  let skipped: string | undefined;
  let node = '';
  let python = '';
  const runTs = (round: number): void => {
    if (skipped !== undefined) return;
    say(`${workload.name}: refheap, round ${round + 1}/${rounds}`);
    const out = runNodeHalf(workload, n, reps, warmup);
    if (out.skipped !== undefined) {
      skipped = out.skipped;
      rounds = 1; // nothing to take turns with: one round of CPython gives the floor
      return;
    }
    node = out.version;
    for (const sample of out.samples) tsSamples.push(checkSample(workload, sample, 'refheap'));
  };
  const runPy = (round: number): void => {
    say(`${workload.name}: CPython, round ${round + 1}/${rounds}`);
    const out = runPythonHalf(options.python, workload, n, reps, warmup);
    python = out.version;
    for (const sample of out.samples) pySamples.push(checkSample(workload, sample, 'CPython'));
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      runTs(round);
      runPy(round);
    } else {
      runPy(round);
      runTs(round);
    }
  }

  const refheapBest = bestOf(workload, tsSamples);
  const cpythonBest = bestOf(workload, pySamples);
  const rows = workload.metrics.map((metric): Row => {
    const refheap = refheapBest?.[metric.name] ?? null;
    const cpython = cpythonBest?.[metric.name] ?? null;
    const ratio = refheap !== null && cpython !== null && refheap > 0 && !metric.derived ? cpython / refheap : null;
    const notes = {
      ...(skipped === undefined ? {} : { note: `skipped: ${skipped}` }),
      ...(metric.noCpython === undefined ? {} : { cpythonNote: metric.noCpython }),
    };
    return { workload: metric.name, unit: metric.unit, refheap, cpython, ratio, ...notes };
  });
  return { rows, versions: { node, python } };
}

/** One round of the TypeScript half, in a new node process. */
export function runNodeHalf(workload: Workload, n: number, reps: number, warmup: number): SideOutput {
  const args = [...NODE_FLAGS, WORKER, workload.name, '--n', String(n), '--reps', String(reps), '--warmup', String(warmup)];
  const out = JSON.parse(runChild('refheap', process.execPath, args)) as
    | { node: string; samples: Sample[] }
    | { skipped: string };
  if ('skipped' in out) return { samples: [], version: '', skipped: out.skipped };
  return { samples: out.samples, version: out.node };
}

/** One round of the CPython half, in a new python3 process. */
export function runPythonHalf(python: string, workload: Workload, n: number, reps: number, warmup: number): SideOutput {
  const args = [HARNESS, workload.python, '--n', String(n), '--reps', String(reps), '--warmup', String(warmup)];
  const out = JSON.parse(runChild('CPython', python, args)) as { python: string; samples: Sample[] };
  return { samples: out.samples, version: out.python };
}

function runChild(side: string, command: string, args: string[]): string {
  try {
    return execFileSync(command, args, {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    const detail = (error as { stderr?: unknown }).stderr;
    const text = typeof detail === 'string' && detail.trim() !== '' ? detail.trim() : String(error);
    throw new Error(`the ${side} half failed (${command} ${args.join(' ')}):\n${text}`, { cause: error });
  }
}

/** One side's best (lowest) value of each measured metric, and the derived ones computed from those; null without samples. */
function bestOf(workload: Workload, samples: readonly Sample[]): Sample | null {
  if (samples.length === 0) return null;
  const measured: Record<string, number> = {};
  for (const metric of workload.metrics) {
    if (metric.derived) continue;
    const values = samples.map((s) => s[metric.name]).filter((v): v is number => v !== undefined);
    if (values.length > 0) measured[metric.name] = best(values);
  }
  return { ...measured, ...workload.derive?.(measured) };
}

/** Every measured metric present, finite and non-negative; anything else is a broken workload. */
function checkSample(workload: Workload, sample: Sample, side: string): Sample {
  for (const metric of workload.metrics) {
    if (metric.derived || (side === 'CPython' && metric.noCpython !== undefined)) continue;
    const value = sample[metric.name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${workload.name}: the ${side} half reported ${String(value)} for ${metric.name}`);
    }
  }
  return sample;
}
