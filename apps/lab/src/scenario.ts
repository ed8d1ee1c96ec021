/**
 * What a scenario is: a titled walk-through of numbered steps, each pairing the
 * Python it mirrors with the TypeScript that runs on refheap, an action that
 * performs it, the facts it observed and a short explanation written from those
 * facts. The same definition drives the terminal, `--json` and the web page, so
 * what a learner reads is always what just ran.
 */
import type { Session } from './session.ts';

/** Which refheap packages a scenario uses beyond core. */
export type Need = 'gc' | 'weakref' | 'monitor';

/** A value worth showing and asserting: a count, an id, a repr, a timing. */
export type FactValue = number | string | boolean | null | readonly (number | string)[];

/** One observation of a step. */
export interface Fact {
  /** Machine name, stable across runs: what `--json` and the tests read. */
  readonly key: string;
  /** How the terminal and the page show it: `sys.getrefcount(a)`. */
  readonly label: string;
  readonly value: FactValue;
  /** What CPython 3.11 prints for the same line, when that is a fixed number the lab promises to match. */
  readonly cpython?: FactValue;
  /** Varies from run to run (ids, timings, memory): left out of reproducibility checks. */
  readonly varies?: boolean;
}

/** A series of numbers for a picture (memory over time, pause lengths). */
export interface Plot {
  readonly title: string;
  readonly unit: string;
  readonly series: readonly { readonly name: string; readonly points: readonly number[] }[];
}

/** What a step's action hands back. */
export interface StepOutcome {
  readonly facts?: readonly Fact[];
  readonly plot?: Plot;
}

export interface Step {
  /** The Python this step mirrors (several lines allowed). */
  readonly python: string;
  /** The TypeScript on refheap that does the same (what `run` executes). */
  readonly typescript: string;
  /** Performs the step. */
  run(session: Session): StepOutcome | void;
  /** The narration, given the facts this run observed. */
  explain(facts: FactReader): string;
}

/** Facts of the step being explained, by key: as prose (`True`, `[1, 0, 0]`), or `raw`. */
export interface FactReader {
  (key: string): string;
  raw(key: string): FactValue;
}

export interface Scenario {
  /** The name `refheap-lab run <name>` takes. */
  readonly name: string;
  readonly title: string;
  /** One line for `refheap-lab list`. */
  readonly summary: string;
  /** Which of the teaching texts the phenomenon comes from. */
  readonly source: string;
  readonly needs: readonly Need[];
  /** How the session starts: the collector on or off, and which finalizer rules it follows. */
  readonly session?: { readonly gcEnabled?: boolean; readonly finalizers?: 'pep442' | 'legacy' };
  /** Small enough to draw: the web page can step through it. */
  readonly drawable: boolean;
  /** Takes longer than a second (the terminal shows progress). */
  readonly slow?: boolean;
  /** A closing paragraph. */
  readonly moral: string;
  /** The steps, made fresh for each run (they may share state through closures). */
  steps(): readonly Step[];
}

/** A fact constructor that reads well in scenario files. */
export function fact(key: string, label: string, value: FactValue, extra: { cpython?: FactValue; varies?: boolean } = {}): Fact {
  return { key, label, value, ...extra };
}
