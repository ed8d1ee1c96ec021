/**
 * The collector's clock: `performance.now()` unless the program gave one of its own, read as
 * seldom as a stop allows, the last reading kept in a typed array. Every reading costs the JS
 * engine a heap number, and so does a double kept in a plain field or passed to a call it does
 * not inline; garbage made inside a stop is what brings the engine's own collections into the
 * stops being measured.
 */
import { PyTypeError } from '@refheap/core';

/** Milliseconds, on any clock that only goes forward (`performance.now`, a thread's CPU time…). */
export type ClockSource = () => number;

export class Clock {
  /** The program's clock; null for `performance.now()`. */
  #source: ClockSource | null;
  /** [last reading, offset added to `performance.now()` once the program's clock has failed]. */
  readonly #state = new Float64Array(2);
  readonly #report: (error: unknown) => void;

  /** `report` hears of a clock that threw or returned what is not a time; the clock goes on without it. */
  constructor(source: ClockSource | undefined, report: (error: unknown) => void) {
    if (source !== undefined && typeof source !== 'function') {
      throw new PyTypeError(`the collector's clock must be a function returning milliseconds, not ${describe(source)}`);
    }
    this.#source = source ?? null;
    this.#report = report;
  }

  /** Reads the time now, in milliseconds. */
  read(): number {
    const t = this.#source === null ? now() + this.#state[1]! : this.#readSource(this.#source);
    this.#state[0] = t;
    return t;
  }

  /** The last reading: a stop's phases start where the one before ended, without a reading of their own. */
  get last(): number {
    return this.#state[0]!;
  }

  /**
   * The program's clock, or, once it throws or returns what is not a time, `performance.now()`
   * from its last reading on — so a stop under way ends on time and the pauses stay on one scale.
   */
  #readSource(source: ClockSource): number {
    let error: unknown;
    try {
      const t = source();
      if (typeof t === 'number' && Number.isFinite(t)) return t;
      error = new PyTypeError(`the collector's clock returned ${describe(t)}, not a number of milliseconds; it is performance.now() from here on`);
    } catch (thrown) {
      error = thrown;
    }
    this.#source = null;
    this.#state[1] = this.#state[0]! - now();
    this.#report(error);
    return this.#state[0]!;
  }
}

function now(): number {
  return (globalThis as unknown as { performance: { now(): number } }).performance.now();
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `'${value}'`;
  return `a ${typeof value}`;
}
