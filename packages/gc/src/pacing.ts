/**
 * When an incremental cycle starts and how often its slices run, so that memory never
 * grows beyond what stop-the-world collection would let it reach — the thing CPython
 * 3.14's incremental collector got wrong (its increments fell behind the garbage).
 *
 * Stop-the-world collects the oldest generation once the objects added to it since its
 * last collection pass a quarter of those that survived it (`long_lived_pending >
 * long_lived_total / 4`), so at most that much old garbage piles up. A cycle here reclaims
 * only what was there when it began, so it begins earlier, at 3/16 (12/64), and must end
 * within the next 3/64 of net allocations (a bound on what can join the oldest generation
 * meanwhile): old garbage then stays below 15/64, leaving 1/64 for a cycle that overruns
 * (a slice can get less done than measured, on a busy machine). CPython's other condition —
 * more than 10 collections of generation 1 since — is anticipated the same way: the cycle
 * begins as many of those earlier as its allowance spans. The slices are paced by
 * allocation, not by time: after each slice the pacer measures the work done per
 * millisecond and asks the heap to call back after as many allocations as leave the
 * remaining work enough slices before that deadline.
 *
 * A slice plans work for only part of its budget (`PLANNED`), from the rate measured in
 * earlier slices of the same pass, and less by whatever the same stop has spent already
 * (a young collection before it): measured rates wander from slice to slice, so a slice
 * planned for the whole budget would end at the budget about as often as not. `CAP` of the
 * budget is the hard cap, looked at between chunks sized so that none runs past it (see
 * incremental.ts); the rest of the budget is room for what the JS engine may do inside a
 * stop (a scavenge is 0.2–0.5 ms). The slices that takes come more often, so the cycle still
 * ends within its allowance.
 *
 * The program gets at least MIN_GAP_MS between two stops, measured by the clock, however
 * far behind a cycle is: slices a microsecond apart are one long stop. The allowance is
 * sized so that gap is affordable on a big heap under heavy churn. At 10 M objects the
 * bench's churn allocates a young generation (700) in some 17 µs, and a cycle is ~1,400
 * slices of a third of a millisecond: with two stops per young generation (the young
 * collection, with a slice after it, and one slice between), the gaps are 8 µs and the
 * cycle spans ~500,000 allocations — inside 3/64 of 10 M, not inside 1/32.
 */
import { PyValueError } from '@refheap/core';

export interface IncrementalOptions {
  /** The longest a slice may stop the program, in milliseconds (1 by default). */
  readonly budgetMs?: number;
}

/** The fewest allocations between two slices, however far behind a cycle is. */
export const MIN_STEP = 16;
/** The least time the program gets between two stops (the bench counts stops closer than 5 µs as one). */
const MIN_GAP_MS = 0.008;
/** Net allocations a cycle of a small heap may take. */
const MIN_ALLOWANCE = 256;
/** The part of the budget at which a slice stops however much of its plan is left. */
const CAP = 0.75;
/** The part of the budget a slice plans to use. */
const PLANNED = 1 / 3;
/** The least work a slice does, however little of its plan a young collection left (so a cycle always moves). */
const MIN_WORK = 256;
/** Passes are numbered 1–3 (incremental.ts): a rate for each, as their work per object differs. */
const PASSES = 4;

const FINAL_RATE = 0;
const MS_PER_ALLOC = 1;
const LEFT_AT = 2;

export class IncrementalPacer {
  readonly budgetMs: number;
  /** Objects handled per millisecond in each pass, as last measured (0 before the first slice of it). */
  readonly #rates = new Float64Array(PASSES);
  /**
   * The measures that are fractions, in a typed array: a double kept in a plain field is a heap
   * number made at every store, garbage made inside the stops (see clock.ts).
   */
  readonly #measures = Float64Array.of(0, 0, NaN);
  #allocated = 0;
  #seenYoung = 0;
  #allowance = MIN_ALLOWANCE;

  /** Candidates a final step decides per millisecond (0 before the first). */
  get #finalRate(): number {
    return this.#measures[FINAL_RATE]!;
  }

  set #finalRate(rate: number) {
    this.#measures[FINAL_RATE] = rate;
  }

  /** The program's milliseconds per net allocation between stops (0 before any measure). */
  get #msPerAlloc(): number {
    return this.#measures[MS_PER_ALLOC]!;
  }

  set #msPerAlloc(ms: number) {
    this.#measures[MS_PER_ALLOC] = ms;
  }

  /** When the last stop ended (NaN before the first). */
  get #leftAt(): number {
    return this.#measures[LEFT_AT]!;
  }

  set #leftAt(ms: number) {
    this.#measures[LEFT_AT] = ms;
  }

  constructor(options: IncrementalOptions) {
    const budget = options.budgetMs ?? 1;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget <= 0) {
      throw new PyValueError(`incremental budgetMs must be a positive number of milliseconds, not ${String(budget)}`);
    }
    this.budgetMs = budget;
  }

  /**
   * Whether the oldest generation's cycle is due. Stop-the-world collects it once `count` (its
   * younger generation's collections since) passes `threshold` as well: the cycle begins as
   * many of those earlier as its allowance spans (`perCount` allocations each), plus one.
   */
  due(pending: number, total: number, count: number, threshold: number, perCount: number): boolean {
    const lead = Math.ceil(allowanceFor(total) / Math.max(1, perCount)) + 1;
    return count > threshold - lead && pending >= (total * 3) / 16;
  }

  beginCycle(total: number): void {

    this.#allowance = allowanceFor(total);
    this.#allocated = 0;
  }

  /**
   * Called on each trigger with the heap's young count: net allocations since the last look,
   * and (with `nowMs`) how long the program took per allocation since the last stop ended.
   */
  noteYoungCount(youngCount: number, nowMs: number = NaN): void {
    const made = youngCount - this.#seenYoung;
    if (made > 0) {
      this.#allocated += made;
      const gap = nowMs - this.#leftAt;
      if (gap > 0) {
        // Clipped: one gap in which the program did something slow (I/O, its own sampling) is no
        // measure of its allocation rate, and would space the slices past the cycle's allowance.
        const was = this.#msPerAlloc;
        const rate = was === 0 ? gap / made : Math.min(gap / made, 2 * was);
        this.#msPerAlloc = was === 0 ? rate : 0.9 * was + 0.1 * rate;
      }
    }
    this.#seenYoung = youngCount;
  }

  /** The young count as the trigger leaves it (0 after a young collection), and when. */
  leaveYoungCount(youngCount: number, nowMs: number = NaN): void {
    this.#seenYoung = youngCount;
    this.#leftAt = nowMs;
  }

  /** Whether a slice at `nowMs` would come too soon after the last stop (see the header). */
  tooSoon(nowMs: number): boolean {
    return nowMs - this.#leftAt < MIN_GAP_MS;
  }

  /** The milliseconds after which a slice stops, planned or not. */
  get capMs(): number {
    return this.budgetMs * CAP;
  }

  /** The milliseconds a slice plans to work. */
  get plannedMs(): number {
    return this.budgetMs * PLANNED;
  }

  /** A slice that began in pass `pass` handled `work` objects in `ms` milliseconds. */
  measured(pass: number, work: number, ms: number): void {
    if (work < MIN_WORK || ms <= 0 || pass <= 0 || pass >= PASSES) return; // too short to say anything
    const rate = work / ms;
    const was = this.#rates[pass]!;
    this.#rates[pass] = was === 0 ? rate : 0.7 * was + 0.3 * rate;
  }

  /** Objects a slice in pass `pass` plans to handle, when its stop has taken `spentMs` already. */
  plannedWork(pass: number, spentMs: number): number {
    const rate = this.#rates[pass] ?? 0;
    if (rate === 0) return MIN_WORK * 4; // enough to measure, little enough to be short anywhere
    return Math.max(MIN_WORK, Math.floor(rate * (this.plannedMs - spentMs)));
  }

  /** A final step decided `candidates` in `ms` milliseconds. */
  measuredFinal(candidates: number, ms: number): void {
    if (candidates < 256 || ms <= 0) return;
    const rate = candidates / ms;
    this.#finalRate = this.#finalRate === 0 ? rate : 0.7 * this.#finalRate + 0.3 * rate;
  }

  /** Candidates a final step plans to take, when its stop has taken `spentMs` already (at least `minimum`). */
  finalBatch(minimum: number, spentMs = 0): number {
    return Math.max(minimum, Math.floor(this.#finalRate * (this.plannedMs - spentMs)));
  }

  /** Milliseconds a final step over `candidates` takes (a whole budget before any measure). */
  finalMs(candidates: number): number {
    return this.#finalRate === 0 ? this.budgetMs : candidates / this.#finalRate;
  }

  /** Objects a slice plans to handle, at the slowest pass's rate (so the count of slices left errs high). */
  perSlice(): number {
    let slowest = 0;
    for (let p = 1; p < PASSES; p++) {
      const rate = this.#rates[p]!;
      if (rate > 0 && (slowest === 0 || rate < slowest)) slowest = rate;
    }
    return Math.max(MIN_WORK, Math.floor(slowest * this.plannedMs));
  }

  /**
   * The young count at which the heap should call back for the next slice, given the passes'
   * work left and the candidates left for final steps of `batch` each.
   */
  nextTrigger(youngCount: number, passWork: number, candidates: number, batch: number, threshold0: number): number {
    const slices = Math.max(1, Math.ceil(passWork / this.perSlice()) + Math.ceil(candidates / batch));
    const left = this.#allowance - this.#allocated;
    const onTime = left > 0 ? Math.floor(left / slices) : MIN_STEP;
    // However far behind, the program gets MIN_GAP_MS between stops: slices back to back are one
    // long stop. What that overruns the allowance by is at most a gap's allocations per slice
    // left, a small part of the 1/32 reserve the header speaks of (see there).
    const gapStep = this.#msPerAlloc > 0 ? Math.ceil(MIN_GAP_MS / this.#msPerAlloc) : MIN_STEP;
    const step = Math.max(MIN_STEP, onTime, gapStep);
    // A slice just before the young collection would make the two one long stop: the slice waits for it.
    return youngCount + 2 * step > threshold0 ? threshold0 : youngCount + step;
  }
}

/** Net allocations a cycle over `total` objects may take. */
function allowanceFor(total: number): number {
  return Math.max(MIN_ALLOWANCE, (total * 3) / 64);
}
