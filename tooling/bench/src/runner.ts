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
 *
 * A workload with a floor (src/floor/: the same program on a typed-array heap with no
 * features) runs it as a third side, in its own node process, taking its turn in every
 * round with the other two, under the same best-of rule.
 */
import { execFileSync } from 'node:child_process';
import { type CpuChoice, cpuEnvironment, leaveCpu } from './affinity.ts';
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
  /** The floor program's number; null where the workload has no floor for this metric. */
  readonly floor: number | null;
  /** refheap / floor: how many times the floor's cost refheap pays; null without both numbers. */
  readonly overFloor: number | null;
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
  /** The CPU each half's timed thread has to itself (affinity.ts); none by default. */
  readonly cpu?: number | null;
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
export const NODE_FLAGS: readonly string[] = [
  '--expose-gc',
  '--conditions=@refheap/source',
  '--import',
  'tsx',
  '--disable-warning=ExperimentalWarning', // (WASI's, for the thread clock: thread-clock.ts)
];

/** Runs the given workloads; rows come in workload order, each workload's metrics in its order. */
export function runWorkloads(workloads: readonly Workload[], options: RunOptions): RunResult {
  const rows: Row[] = [];
  let node = process.versions.node;
  let python = '';
  if (options.cpu != null) leaveCpu(options.python, options.cpu);
  for (const workload of workloads) {
    const result = runWorkload(workload, options);
    rows.push(...result.rows);
    node = result.versions.node || node;
    python = result.versions.python || python;
  }
  return { rows, versions: { node, python } };
}

/** The three sides of a round, in the order of its first round; each later round starts one further on. */
type Side = 'refheap' | 'CPython' | 'floor';
const SIDES: readonly Side[] = ['refheap', 'CPython', 'floor'];

/** The order of the sides in a round: rotated by one each round, so none always goes first or last. */
export function sideOrder(round: number, withFloor: boolean): Side[] {
  const sides = withFloor ? SIDES : SIDES.slice(0, 2);
  const shift = round % sides.length;
  return [...sides.slice(shift), ...sides.slice(0, shift)];
}

interface SideOutput {
  readonly samples: Sample[];
  readonly version: string;
  readonly skipped?: string;
}

/** The untimed repetitions a workload runs before timing, given `--warmup`. */
export function warmupFor(workload: Workload, warmup: number): number {
  if (workload.deterministic === true) return 0;
  return Math.max(warmup, workload.warmupAtLeast ?? 0);
}

/** Both halves of one workload, taking turns by rounds. */
export function runWorkload(workload: Workload, options: RunOptions): RunResult {
  const n = workload.size?.(options.n) ?? options.n;
  const once = workload.deterministic === true;
  const reps = once ? 1 : options.reps;
  const warmup = warmupFor(workload, options.warmup);
  let rounds = once ? 1 : options.rounds;
  const say = options.progress ?? (() => undefined);
  const cpu: CpuChoice | null = options.cpu == null ? null : { python: options.python, cpu: options.cpu };

  const tsSamples: Sample[] = [];
  const pySamples: Sample[] = [];
  const floorSamples: Sample[] = [];
  let skipped: string | undefined;
  let node = '';
  let python = '';
  const runTs = (round: number): void => {
    if (skipped !== undefined) return;
    say(`${workload.name}: refheap, round ${round + 1}/${rounds}`);
    const out = runNodeHalf(workload, n, reps, warmup, { cpu });
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
    const out = runPythonHalf(options.python, workload, n, reps, warmup, cpu);
    python = out.version;
    for (const sample of out.samples) pySamples.push(checkSample(workload, sample, 'CPython'));
  };
  const runFloor = (round: number): void => {
    say(`${workload.name}: floor, round ${round + 1}/${rounds}`);
    const out = runNodeHalf(workload, n, reps, warmup, { floor: true, cpu });
    for (const sample of out.samples) floorSamples.push(checkSample(workload, sample, 'floor'));
  };
  const run: Record<Side, (round: number) => void> = { refheap: runTs, CPython: runPy, floor: runFloor };
  for (let round = 0; round < rounds; round++) {
    for (const side of sideOrder(round, workload.floor !== undefined)) run[side](round);
  }

  const refheapBest = bestOf(workload, tsSamples);
  const cpythonBest = bestOf(workload, pySamples);
  const floorBest = bestOf(workload, floorSamples, false);
  const rows = workload.metrics.map((metric): Row => {
    const refheap = refheapBest?.[metric.name] ?? null;
    const cpython = cpythonBest?.[metric.name] ?? null;
    const ratio = refheap !== null && cpython !== null && refheap > 0 && !metric.derived ? cpython / refheap : null;
    const floor = floorBest?.[metric.name] ?? null;
    const overFloor = refheap !== null && floor !== null && floor > 0 ? refheap / floor : null;
    const notes = {
      ...(skipped === undefined ? {} : { note: `skipped: ${skipped}` }),
      ...(metric.noCpython === undefined ? {} : { cpythonNote: metric.noCpython }),
    };
    return { workload: metric.name, unit: metric.unit, refheap, cpython, ratio, floor, overFloor, ...notes };
  });
  return { rows, versions: { node, python } };
}

/** One round of the TypeScript half (or, with `floor`, of the floor program), in a new node process. */
export function runNodeHalf(
  workload: Workload,
  n: number,
  reps: number,
  warmup: number,
  { floor = false, cpu = null }: { floor?: boolean; cpu?: CpuChoice | null } = {},
): SideOutput {
  const args = [...NODE_FLAGS, WORKER, workload.name, '--n', String(n), '--reps', String(reps), '--warmup', String(warmup)];
  if (floor) args.push('--floor');
  const out = JSON.parse(runChild(floor ? 'floor' : 'refheap', process.execPath, args, cpu)) as
    | { node: string; samples: Sample[] }
    | { skipped: string };
  if ('skipped' in out) return { samples: [], version: '', skipped: out.skipped };
  return { samples: out.samples, version: out.node };
}

/** One round of the CPython half, in a new python3 process. */
export function runPythonHalf(
  python: string,
  workload: Workload,
  n: number,
  reps: number,
  warmup: number,
  cpu: CpuChoice | null = null,
): SideOutput {
  const args = [HARNESS, workload.python, '--n', String(n), '--reps', String(reps), '--warmup', String(warmup)];
  const out = JSON.parse(runChild('CPython', python, args, cpu)) as { python: string; samples: Sample[] };
  return { samples: out.samples, version: out.python };
}

function runChild(side: string, command: string, args: string[], cpu: CpuChoice | null): string {
  try {
    return execFileSync(command, args, {
      cwd: PACKAGE_DIR,
      env: cpuEnvironment(cpu),
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

/**
 * One side's best (lowest) value of each measured metric, and the derived ones computed from
 * those (not for the floor, which has no derived rows); null without samples.
 */
function bestOf(workload: Workload, samples: readonly Sample[], derive = true): Sample | null {
  if (samples.length === 0) return null;
  const measured: Record<string, number> = {};
  for (const metric of workload.metrics) {
    if (metric.derived) continue;
    const values = samples.map((s) => s[metric.name]).filter((v): v is number => v !== undefined);
    if (values.length > 0) measured[metric.name] = best(values);
  }
  return derive ? { ...measured, ...workload.derive?.(measured) } : measured;
}

/**
 * Every measured metric present, finite and non-negative; anything else is a broken workload.
 * A floor reports only the metrics it has, but at least one, and only the workload's.
 */
function checkSample(workload: Workload, sample: Sample, side: Side): Sample {
  if (side === 'floor') {
    const known = new Set(workload.metrics.filter((m) => !m.derived).map((m) => m.name));
    const names = Object.keys(sample);
    if (names.length === 0 || names.some((name) => !known.has(name))) {
      throw new Error(`${workload.name}: the floor reported ${JSON.stringify(sample)}`);
    }
  }
  for (const metric of workload.metrics) {
    if (metric.derived || (side === 'CPython' && metric.noCpython !== undefined)) continue;
    if (side === 'floor' && !(metric.name in sample)) continue;
    const value = sample[metric.name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${workload.name}: the ${side} half reported ${String(value)} for ${metric.name}`);
    }
  }
  return sample;
}
