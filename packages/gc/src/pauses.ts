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
  /** When it started, in milliseconds on the collector’s clock (`performance.now()` unless its `clock` option says otherwise). */
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

/**
 * Keeps the most recent pauses and running totals over all of them, in columns: recording a
 * pause allocates nothing (an object per pause would be garbage for the JS engine's own
 * collector, whose scavenges then land inside the very stops being measured).
 */
export class PauseLog {
  readonly capacity: number;
  readonly #startedAt: Float64Array;
  readonly #duration: Float64Array;
  readonly #examined: Float64Array;
  readonly #unreachable: Float64Array;
  readonly #uncollectable: Float64Array;
  /** generation | AUTOMATIC | SLICE. */
  readonly #kind: Uint8Array;
  /** How many of the ring's entries hold a pause. */
  #filled = 0;
  #next = 0;
  #count = 0;
  #total = 0;
  #max = 0;

  constructor(capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new PyValueError(`pauseCapacity must be a positive integer, not ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#startedAt = new Float64Array(capacity);
    this.#duration = new Float64Array(capacity);
    this.#examined = new Float64Array(capacity);
    this.#unreachable = new Float64Array(capacity);
    this.#uncollectable = new Float64Array(capacity);
    this.#kind = new Uint8Array(capacity);
  }

  record(
    generation: number,
    automatic: boolean,
    startedAt: number,
    duration: number,
    examined: number,
    unreachable: number,
    uncollectable: number,
    slice: boolean,
  ): void {
    const i = this.#next;
    this.#startedAt[i] = startedAt;
    this.#duration[i] = duration;
    this.#examined[i] = examined;
    this.#unreachable[i] = unreachable;
    this.#uncollectable[i] = uncollectable;
    this.#kind[i] = generation | (automatic ? AUTOMATIC : 0) | (slice ? SLICE : 0);
    this.#next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.#filled < this.capacity) this.#filled++;
    this.#count++;
    this.#total += duration;
    if (duration > this.#max) this.#max = duration;
  }

  /** The recorded pauses, oldest first. */
  recent(): Pause[] {
    const out: Pause[] = [];
    const first = this.#filled < this.capacity ? 0 : this.#next;
    for (let k = 0; k < this.#filled; k++) out.push(this.#at((first + k) % this.capacity));
    return out;
  }

  #at(i: number): Pause {
    const kind = this.#kind[i]!;
    return {
      generation: kind & GENERATION,
      automatic: (kind & AUTOMATIC) !== 0,
      startedAt: this.#startedAt[i]!,
      duration: this.#duration[i]!,
      examined: this.#examined[i]!,
      unreachable: this.#unreachable[i]!,
      uncollectable: this.#uncollectable[i]!,
      slice: (kind & SLICE) !== 0,
    };
  }

  summary(): PauseSummary {
    const durations = this.#duration.slice(0, this.#filled).sort();
    const p99 = durations.length === 0 ? 0 : durations[Math.min(durations.length - 1, Math.ceil(durations.length * 0.99) - 1)]!;
    return { count: this.#count, totalMs: this.#total, maxMs: this.#max, p99Ms: p99 };
  }

  reset(): void {
    this.#filled = 0;
    this.#next = 0;
    this.#count = 0;
    this.#total = 0;
    this.#max = 0;
  }
}

const GENERATION = 0x0f;
const AUTOMATIC = 0x10;
const SLICE = 0x20;
