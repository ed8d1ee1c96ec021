/**
 * A program being stepped through, as the page drives it: traced once when it changes, then
 * moved to any step — forward, back, to a line, to the end — by replay. States are kept in a
 * bounded cache and replayed a few at a time (one replay captures several neighbours), so a
 * run of Step or Step back presses does not replay the program from the start each time.
 */
import { statesAt } from './state.ts';
import { traceProgram } from './trace.ts';
import type { ProgramOptions, ProgramState, ProgramTrace } from './types.ts';

/** Neighbouring states captured by one replay, in the direction of travel, at most. */
const BATCH = 8;
/**
 * What one replay may spend on states beyond the one asked for: a state's graph walks what the
 * roots reach, so a program holding 60,000 objects captures fewer neighbours per replay.
 */
const BATCH_MS = 250;
/** States kept; the farthest from the current step go first. */
const CACHE = 256;

export class Stepper {
  readonly source: string;
  readonly options: ProgramOptions;
  readonly trace: ProgramTrace;
  #current = 0;
  readonly #cache = new Map<number, ProgramState>();
  /** Replays run so far (tests check the batching). */
  replays = 0;
  /** States the next replay captures: BATCH until a replay shows states are costly. */
  #batch = BATCH;

  constructor(source: string, options: ProgramOptions = {}) {
    this.source = source;
    this.options = options;
    this.trace = traceProgram(source, options);
  }

  /** Steps the program takes to its end (or to its budget). */
  get total(): number {
    return this.trace.steps.length;
  }

  get current(): number {
    return this.#current;
  }

  get atEnd(): boolean {
    return this.#current >= this.total;
  }

  /** The state after `step` (clamped to 0…total), made current. */
  goTo(step: number): ProgramState {
    const target = Math.max(0, Math.min(this.total, Math.floor(step)));
    const forward = target >= this.#current;
    let state = this.#cache.get(target);
    if (!state || (target > 0 && !this.#cache.has(target - 1))) {
      // The step before comes along (what a step changed is the difference between the two),
      // and a few more in the direction of travel.
      const wanted = new Set<number>();
      if (target > 0 && !this.#cache.has(target - 1)) wanted.add(target - 1);
      for (let i = 0; i <= this.#batch; i++) {
        const s = forward ? target + i : target - i;
        if (s >= 0 && s <= this.total && !this.#cache.has(s) && (forward ? i < this.#batch : true)) wanted.add(s);
      }
      this.replays++;
      const started = performance.now();
      for (const captured of statesAt(this.source, [...wanted], this.options)) this.#cache.set(captured.step, captured);
      const perState = (performance.now() - started) / wanted.size;
      this.#batch = Math.max(1, Math.min(BATCH, Math.floor(BATCH_MS / Math.max(perState, 1))));
      this.#trim(target);
      state = this.#cache.get(target)!;
    }
    this.#current = target;
    return state;
  }

  /** The state before the current step's line ran (null at step 0), to tell what the step changed. */
  get before(): ProgramState | null {
    return this.#current === 0 ? null : (this.#cache.get(this.#current - 1) ?? this.#fetch(this.#current - 1));
  }

  #fetch(step: number): ProgramState {
    this.replays++;
    const state = statesAt(this.source, [step], this.options)[0]!;
    this.#cache.set(step, state);
    return state;
  }

  step(): ProgramState {
    return this.goTo(this.#current + 1);
  }

  back(): ProgramState {
    return this.goTo(this.#current - 1);
  }

  restart(): ProgramState {
    return this.goTo(0);
  }

  toEnd(): ProgramState {
    return this.goTo(this.total);
  }

  /** The first step after the current one that runs `line`, or null when none does. */
  nextStepOnLine(line: number): number | null {
    const record = this.trace.steps.find((s) => s.step > this.#current && s.lineno === line);
    return record ? record.step : null;
  }

  #trim(around: number): void {
    if (this.#cache.size <= CACHE) return;
    const far = [...this.#cache.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
    for (const step of far.slice(0, this.#cache.size - CACHE)) this.#cache.delete(step);
  }
}
