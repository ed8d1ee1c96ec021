/**
 * The command line: `--json`, `--filter`, `--n` and the rest, parsed and checked, and the
 * choice of workloads. Kept apart from cli.ts so tests can use it without running a bench.
 */
import { parseArgs } from 'node:util';
import type { Workload } from './workload.ts';
import { INTERPRETER_WARMUP } from './workloads/interp.ts';

export interface CliOptions {
  readonly json: boolean;
  readonly n: number;
  readonly rounds: number;
  readonly reps: number;
  readonly warmup: number;
  readonly python: string;
  /** `--cpu`: the CPU the timed thread of each half has to itself; null to leave threads where they are. */
  readonly cpu: number | null;
  readonly filters: readonly string[];
  readonly list: boolean;
  readonly help: boolean;
}

/** The defaults: N = 1,000,000; 5 rounds × 2 timed repetitions a side, each round after 1 warm-up. */
export const DEFAULTS = { n: 1_000_000, rounds: 5, reps: 2, warmup: 1 } as const;
/** `--smoke`: every workload once at a tiny N — proves both halves run, measures nothing. */
export const SMOKE = { n: 1000, rounds: 1, reps: 1, warmup: 0 } as const;

export const USAGE = `Usage: pnpm bench [options]    (from the repo root; add -s before bench with --json)

Runs each workload on refheap (TypeScript) and as the same program in CPython, and
prints time or bytes per object on each side and the ratio (CPython / refheap), and
beside them the floor (the same program on a featureless typed-array heap) and refheap / floor.

Options:
  --json             print one JSON array of {workload, unit, refheap, cpython, ratio,
                     floor, overFloor}
  --filter <name>    only workloads whose name contains <name> (repeatable, or a,b)
  --n <N>            objects per repetition (default ${DEFAULTS.n.toLocaleString('en-US')})
  --rounds <R>       rounds in which the two sides take turns (default ${DEFAULTS.rounds})
  --reps <K>         timed repetitions per side per round (default ${DEFAULTS.reps})
  --warmup <W>       untimed repetitions before timing (default ${DEFAULTS.warmup}; the interp-* rows take at least ${INTERPRETER_WARMUP})
  --smoke            every workload once at N = ${SMOKE.n} (a check that all of it runs)
  --python <path>    the CPython to compare with (default $PYTHON or python3)
  --cpu <K>          the timed thread of each half alone on CPU K, every other thread of
                     the bench on the other CPUs (Linux)
  --list             list the workloads and exit
  -h, --help         this text`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      json: { type: 'boolean', default: false },
      filter: { type: 'string', multiple: true },
      n: { type: 'string' },
      rounds: { type: 'string' },
      reps: { type: 'string' },
      warmup: { type: 'string' },
      smoke: { type: 'boolean', default: false },
      python: { type: 'string' },
      cpu: { type: 'string' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const base = values.smoke ? SMOKE : DEFAULTS;
  return {
    json: values.json,
    n: positiveInteger('--n', values.n, base.n, 2),
    rounds: positiveInteger('--rounds', values.rounds, base.rounds, 1),
    reps: positiveInteger('--reps', values.reps, base.reps, 1),
    warmup: positiveInteger('--warmup', values.warmup, base.warmup, 0),
    python: values.python ?? env['PYTHON'] ?? 'python3',
    cpu: values.cpu === undefined ? null : positiveInteger('--cpu', values.cpu, 0, 0),
    filters: (values.filter ?? []).flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== ''),
    list: values.list,
    help: values.help,
  };
}

/** The workloads whose names contain any of the filters (all of them without filters). */
export function selectWorkloads(all: readonly Workload[], filters: readonly string[]): Workload[] {
  if (filters.length === 0) return [...all];
  const chosen = all.filter((w) => filters.some((f) => w.name.includes(f)));
  if (chosen.length === 0) {
    throw new UsageError(`no workload matches ${filters.join(', ')}; the workloads are ${all.map((w) => w.name).join(', ')}`);
  }
  return chosen;
}

/** A bad command line (exit status 2). */
export class UsageError extends Error {}

function positiveInteger(flag: string, text: string | undefined, fallback: number, minimum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new UsageError(`${flag} wants an integer of at least ${minimum}, not ${JSON.stringify(text)}`);
  }
  return value;
}
