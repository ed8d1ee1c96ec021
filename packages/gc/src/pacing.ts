/**
 * When an incremental cycle starts and how often its slices run, so that memory never
 * grows beyond what stop-the-world collection would let it reach — the thing CPython
 * 3.14's incremental collector got wrong (its increments fell behind the garbage).
 *
 * Stop-the-world collects the oldest generation once the objects added to it since its
 * last collection pass a quarter of those that survived it (`long_lived_pending >
 * long_lived_total / 4`), so at most that much old garbage piles up. A cycle here reclaims
 * only what was there when it began, so it begins earlier, at 3/16, and must end within
 * the next 1/16 of net allocations (a bound on what can join the oldest generation
 * meanwhile): old garbage then never passes 1/4 either. The slices are paced by
 * allocation, not by time: after each slice the pacer measures the work done per
 * millisecond and asks the heap to call back after as many allocations as leave the
 * remaining work enough slices before that deadline.
 */
import { PyValueError } from '@refheap/core';

export interface IncrementalOptions {
  /** The longest a slice may stop the program, in milliseconds (1 by default). */
  readonly budgetMs?: number;
}

/** The fewest allocations between two slices, however far behind a cycle is. */
const MIN_STEP = 16;
/** Net allocations a cycle of a small heap may take. */
const MIN_ALLOWANCE = 2000;

export class IncrementalPacer {
  readonly budgetMs: number;
  /** Objects handled per millisecond, as last measured (0 before the first slice). */
  #rate = 0;
  #allocated = 0;
  #seenYoung = 0;
  #allowance = MIN_ALLOWANCE;

  constructor(options: IncrementalOptions) {
    const budget = options.budgetMs ?? 1;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) {
      throw new PyValueError(`incremental budgetMs must be a positive number of milliseconds, not ${String(budget)}`);
    }
    this.budgetMs = budget;
  }

  /** Whether the oldest generation's cycle is due (with CPython's other condition, count > threshold, checked by the caller). */
  due(pending: number, total: number): boolean {
    return pending >= (total * 3) / 16;
  }

  beginCycle(total: number): void {
    this.#allowance = Math.max(MIN_ALLOWANCE, total / 16);
    this.#allocated = 0;
  }

  /** Called on each trigger with the heap's young count: net allocations since the last look. */
  noteYoungCount(youngCount: number): void {
    if (youngCount > this.#seenYoung) this.#allocated += youngCount - this.#seenYoung;
    this.#seenYoung = youngCount;
  }

  /** The young count as the trigger leaves it (0 after a young collection). */
  leaveYoungCount(youngCount: number): void {
    this.#seenYoung = youngCount;
  }

  /** A slice handled `work` objects in `ms` milliseconds. */
  measured(work: number, ms: number): void {
    if (work < 256 || ms <= 0) return; // too short to say anything
    const rate = work / ms;
    this.#rate = this.#rate === 0 ? rate : 0.7 * this.#rate + 0.3 * rate;
  }

  /** Objects a slice can handle within the budget. */
  perSlice(): number {
    return Math.max(256, Math.floor(this.#rate * this.budgetMs));
  }

  /** Milliseconds `work` objects take at the measured rate (a guess of one budget before any measure). */
  msFor(work: number): number {
    return this.#rate === 0 ? this.budgetMs : work / this.#rate;
  }

  /** The young count at which the heap should call back for the next slice. */
  nextTrigger(youngCount: number, remainingWork: number, threshold0: number): number {
    const slices = Math.max(1, Math.ceil(remainingWork / this.perSlice()));
    const left = this.#allowance - this.#allocated;
    const step = left > 0 ? Math.floor(left / slices) : MIN_STEP;
    return Math.min(threshold0, youngCount + Math.max(MIN_STEP, step));
  }
}
