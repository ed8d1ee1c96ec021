/**
 * Every collection's pause, measured: how long it stopped the program, how
 * many objects it examined and how many it freed. CPython 3.11 reports none
 * of this; its 3.14 attempt at bounded pauses is why people want it.
 */
import { PyValueError } from '@refheap/core';

export interface Pause {
  readonly generation: number;
  /** Whether an allocation triggered it (as opposed to an explicit `collect`). */
  readonly automatic: boolean;
  /** When it started, in milliseconds on the `performance.now()` clock. */
  readonly startedAt: number;
  /** How long it took, in milliseconds. */
  readonly duration: number;
  /** Objects in the generations it collected. */
  readonly examined: number;
  /** Unreachable objects found (what `collect` returns). */
  readonly unreachable: number;
  readonly uncollectable: number;
  /** A slice of an incremental cycle (its final steps included), rather than a whole collection. */
  readonly slice: boolean;
}

export interface PauseSummary {
  readonly count: number;
  readonly totalMs: number;
  readonly maxMs: number;
  /** 99th percentile of the recorded pauses (the most recent `capacity`). */
  readonly p99Ms: number;
}

/** Keeps the most recent pauses and running totals over all of them. */
export class PauseLog {
  readonly capacity: number;
  readonly #ring: Pause[] = [];
  #next = 0;
  #count = 0;
  #total = 0;
  #max = 0;

  constructor(capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new PyValueError(`pauseCapacity must be a positive integer, not ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  record(pause: Pause): void {
    if (this.#ring.length < this.capacity) this.#ring.push(pause);
    else this.#ring[this.#next] = pause;
    this.#next = (this.#next + 1) % this.capacity;
    this.#count++;
    this.#total += pause.duration;
    if (pause.duration > this.#max) this.#max = pause.duration;
  }

  /** The recorded pauses, oldest first. */
  recent(): Pause[] {
    if (this.#ring.length < this.capacity) return [...this.#ring];
    return [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
  }

  summary(): PauseSummary {
    const durations = this.#ring.map((p) => p.duration).sort((a, b) => a - b);
    const p99 = durations.length === 0 ? 0 : durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.99) - 1)]!;
    return { count: this.#count, totalMs: this.#total, maxMs: this.#max, p99Ms: p99 };
  }

  reset(): void {
    this.#ring.length = 0;
    this.#next = 0;
    this.#count = 0;
    this.#total = 0;
    this.#max = 0;
  }
}
