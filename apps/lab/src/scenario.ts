/**
 * What a scenario is: a Python program in titled steps. Each step is a piece of the program
 * (the steps' code in order is the whole program, which runs as it is under python3), the
 * facts it observes — Python expressions evaluated in the program's `__main__` once the step's
 * last line has run — and a narration written from those facts. A fact marked `cpython` is
 * one whose value CPython 3.11 fixes: python3 runs the same program, evaluates the same
 * expressions at the same points, and the lab's value is checked against its answer.
 *
 * The same definition drives the terminal, `--json` and the web page, so what a learner reads
 * is what the code just did.
 */

/** A value worth showing and asserting: a count, an id, a repr, a list of samples. */
export type FactValue = number | string | boolean | null | readonly (number | string | boolean | null)[];

/** One observation: a Python expression, evaluated after its step. */
export interface FactSpec {
  /** Machine name, stable across runs: what `--json`, the narration and the tests read. */
  readonly key: string;
  /** The Python expression; its value is converted to a FactValue (anything else becomes its repr). */
  readonly expr: string;
  /** How the terminal and the page show it; the expression itself unless told. */
  readonly label: string;
  /** CPython 3.11 gives this a fixed value: python3's answer is recorded and the lab's is checked against it. */
  readonly cpython?: boolean;
  /** Varies from run to run (ids, timings): left out of reproducibility checks. */
  readonly varies?: boolean;
}

/** Facts of the step being explained, by key: as prose (`True`, `[1, 0, 0]`), or `raw`. */
export interface FactReader {
  (key: string): string;
  raw(key: string): FactValue;
}

/** A picture drawn from facts whose values are lists of numbers (memory over time, pauses). */
export interface PlotSpec {
  readonly title: string;
  readonly unit: string;
  /** Each series names the fact (of the same step) holding its points. */
  readonly series: readonly { readonly name: string; readonly fact: string }[];
}

export interface Plot {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly { readonly name: string; readonly points: readonly number[] }[];
}

export interface Step {
  readonly title: string;
  /** This step's part of the program (several lines; no trailing newline). */
  readonly code: string;
  readonly facts: readonly FactSpec[];
  /** What the step prints is fixed by CPython 3.11: checked against python3's output for the step (key `printed.<n>`). */
  readonly checkPrinted?: boolean;
  /** The narration, given the facts this run observed. */
  explain(facts: FactReader): string;
  readonly plot?: PlotSpec;
}

export interface Scenario {
  /** The name `refheap-lab run <name>` takes. */
  readonly name: string;
  readonly title: string;
  /** One line for `refheap-lab list`. */
  readonly summary: string;
  /** Which of the teaching texts the phenomenon comes from. */
  readonly source: string;
  /** Small enough to draw: the web page can step through it line by line. */
  readonly drawable: boolean;
  /** Takes longer than a second (the terminal says so). */
  readonly slow?: boolean;
  /** A closing paragraph. */
  readonly moral: string;
  readonly steps: readonly Step[];
}

/** The key of a step's printed-output check (n counts from 1). */
export const printedKey = (n: number): string => `printed.${n}`;

/** A fact: `fact('after.b', 'sys.getrefcount(a)', { cpython: true })`. */
export function fact(key: string, expr: string, extra: { label?: string; cpython?: boolean; varies?: boolean } = {}): FactSpec {
  const { label, ...flags } = extra;
  return { key, expr, label: label ?? expr, ...flags };
}
