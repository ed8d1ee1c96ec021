/**
 * The refheap half of the interp-* workloads: a program of `programs/` run in
 * refheap-python (`@refheap/python`'s `Python`), the very source python3 runs in the CPython
 * half (interp_program.py, its twin). Unlike the other workloads, whose TypeScript half is
 * the program rewritten on the raw layer, here both halves are one Python file; what is
 * compared is the two interpreters.
 *
 * The source is a prelude — one `NAME = value` line per name the runner binds, N first —
 * and the program's text, built the same way on both sides. One interpreter per process,
 * every repetition running in its `__main__` (as CPython's half reuses one namespace).
 * Timed around `py.run(source)` (which parses, compiles and runs), minus an empty program's
 * `py.run('')` timed the same way right after, so the interpreter's start-up and a run's
 * fixed cost stay outside the clock, as they do on the CPython side. Before each timed run
 * the interpreter's collector runs a full collection, untimed (the CPython harness calls
 * gc.collect()). A run that does not end with exit code 0 is an error, not a number.
 */
import { readFileSync } from 'node:fs';
import { besideModule, startClock } from '../workload.ts';

/**
 * Untimed repetitions before the interp-* rows are timed. A repetition calls the functions
 * around a Python call (the frame, the range, the iterator) only a thousand times or so, and
 * V8 compiles a function after thousands of calls: in one process, listcomp read 99, 45, 39,
 * 40, 37 and 36 ns an item in its first six repetitions. After four the rows compare steady
 * states, as the other rows do after their one.
 */
export const INTERPRETER_WARMUP = 4;

/** The names a program's prelude binds: integers and booleans. */
export type Names = Readonly<Record<string, number | boolean>>;

function literal(value: number | boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (Number.isSafeInteger(value)) return String(value);
  throw new TypeError(`no literal for ${String(value)}`);
}

/** The prelude (`N = 1000000` and the rest) and the program's text, as interp_program.py builds it. */
export function programSource(program: string, names: Names): string {
  const text = readFileSync(besideModule(import.meta.url, `./programs/${program}`), 'utf8');
  const prelude = Object.entries(names)
    .map(([name, value]) => `${name} = ${literal(value)}\n`)
    .join('');
  return prelude + text;
}

/** Nanoseconds a program's run took in refheap-python, an empty program's run subtracted. */
export type TimeProgram = (program: string, names: Names) => number;

/** One refheap-python interpreter for this process; imported here so that only these rows need the package. */
export async function refheapPython(): Promise<TimeProgram> {
  const { Python } = await import('@refheap/python');
  const py = new Python();
  return (program, names) => {
    const source = programSource(program, names);
    py.vm.collector.collect(); // start clean (not timed)
    const elapsed = startClock();
    const result = py.run(source, { filename: program });
    const ns = elapsed();
    const emptyElapsed = startClock();
    const empty = py.run('', { filename: program });
    const emptyNs = emptyElapsed();
    for (const r of [result, empty]) {
      if (r.exitCode !== 0) {
        throw new Error(`${program} in refheap-python: exit code ${r.exitCode} (${r.error ?? 'no error line'})\n${r.stderr}`);
      }
    }
    return Math.max(ns - emptyNs, 1);
  };
}
