/**
 * The collector's clock: `performance.now()`, read as seldom as a stop allows, the last
 * reading kept in a typed array. Every reading costs the JS engine a heap number, and so does
 * a double kept in a plain field or passed to a call it does not inline; garbage made inside a
 * stop is what brings the engine's own collections into the stops being measured.
 */
export class Clock {
  readonly #last = new Float64Array(1);

  /** Reads the time now (milliseconds on the `performance.now()` clock). */
  read(): number {
    const t = (globalThis as unknown as { performance: { now(): number } }).performance.now();
    this.#last[0] = t;
    return t;
  }

  /** The last reading: a stop's phases start where the one before ended, without a reading of their own. */
  get last(): number {
    return this.#last[0]!;
  }
}
