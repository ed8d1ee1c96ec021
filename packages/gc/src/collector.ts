/**
 * The generational cycle collector and the gc module's API, in camelCase.
 * Three generations with CPython's thresholds (700, 10, 10); a collection of
 * generation n takes the younger ones along; survivors move one generation up;
 * a full collection waits until a quarter of the long-lived objects are new.
 * `collect` follows gc_collect_main step for step (see cycle-finder.ts).
 */
import {
  type CollectorProtocol,
  Flag,
  formatAddress,
  type Heap,
  HeapCorruptionError,
  PyRuntimeError,
  PyTypeError,
  PyValueError,
  type Ref,
} from '@refheap/core';
import { CANDIDATE, COLLECTING, CycleFinder, generationState, HELD, inSnapshot, NOT_LISTED, UNREACHABLE } from './cycle-finder.ts';
import {
  collectingLine,
  cycleLine,
  DEBUG_COLLECTABLE,
  DEBUG_SAVEALL,
  DEBUG_STATS,
  DEBUG_UNCOLLECTABLE,
  type DebugSink,
  doneLine,
  generationsLine,
  permanentLine,
  stderrSink,
} from './debug.ts';
import { Clock, type ClockSource } from './clock.ts';
import { Generation } from './generation.ts';
import { FINAL, IncrementalCycle } from './incremental.ts';
import { IncrementalPacer, type IncrementalOptions, MIN_STEP } from './pacing.ts';
import { type Pause, PauseLog, type PauseSummary } from './pauses.ts';
import { RefBuffer } from './ref-buffer.ts';

const NUM_GENERATIONS = 3;
const PERMANENT = 3;
const NEVER = 0x7fff_ffff;
/** The fewest candidates a final step takes: at 10 M objects, scattered across memory, 256 took a quarter of a millisecond (1,024 took one). */
const MIN_BATCH = 256;
/**
 * The most candidates one final step takes, unless batches that free nothing need more: a stop
 * takes several in turn, looking at the clock between them, since a step's rate swings
 * fivefold with where its candidates lie in memory (one planned from the last rate took 1.8 ms).
 */
const MAX_BATCH = 512;

/** How the collector treats unreachable objects that have finalizers. */
export type FinalizerSemantics =
  /** PEP 442 (CPython 3.4+): finalize them once, then collect them. */
  | 'pep442'
  /** Before 3.4: a cycle holding a finalizer is uncollectable and goes to `garbage`. */
  | 'legacy';

export interface CollectorOptions {
  readonly finalizers?: FinalizerSemantics;
  /** Start disabled (`gc.disable()`), as the seeds' demonstrations do. */
  readonly enabled?: boolean;
  /** Where DEBUG_* lines go; stderr (console.error) by default. */
  readonly debugSink?: DebugSink;
  /**
   * Automatic collections of the oldest generation in slices of at most `budgetMs` (1 ms by
   * default) between the program's own work, instead of stopping it for a whole collection.
   * `true` for the defaults. Explicit `collect()` stays stop-the-world.
   */
  readonly incremental?: boolean | IncrementalOptions;
  /** How many recent pauses `getPauses()` keeps (4096 by default). */
  readonly pauseCapacity?: number;
  /**
   * The clock pauses are measured with and slices budgeted by, in milliseconds:
   * `performance.now()` by default. A thread's CPU time leaves out what no collector can bound —
   * the time the machine took the CPU away (a hypervisor's steal, other processes); a fake one
   * makes pacing deterministic in a test. One that throws or returns what is not a time is
   * reported (phase 'gc clock') and replaced by `performance.now()`, carried on from its last reading.
   */
  readonly clock?: ClockSource;
}

/** What `gc.callbacks` functions receive (CPython's `info` dict). */
export interface CollectionInfo {
  readonly generation: number;
  readonly collected: number;
  readonly uncollectable: number;
}

export type CollectionPhase = 'start' | 'stop';
export type GcCallback = (phase: CollectionPhase, info: CollectionInfo) => void;

/** One generation's `gc.get_stats()` entry. */
export interface GenerationStats {
  readonly collections: number;
  readonly collected: number;
  readonly uncollectable: number;
}

/** CPython's cyclic garbage collector over a refheap heap. */
export class Collector implements CollectorProtocol {
  readonly heap: Heap;
  /** `gc.garbage`: a heap list of uncollectable objects (and, with DEBUG_SAVEALL, of all garbage). */
  readonly garbage: Ref;
  /** `gc.callbacks`: called with 'start' and 'stop' around every collection. */
  readonly callbacks: GcCallback[] = [];
  finalizerSemantics: FinalizerSemantics;

  readonly #generations: Generation[] = [new Generation(700), new Generation(10), new Generation(10)];
  readonly #permanent = new Generation(0);
  readonly #finder: CycleFinder;
  readonly #stats = [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  readonly #pauses: PauseLog;
  #enabled: boolean;
  #collecting = false;
  #debug = 0;
  #sink: DebugSink;
  #longLivedPending = 0;
  #longLivedTotal = 0;
  readonly #uninstall: () => void;
  readonly #cycle: IncrementalCycle;
  /** Null when incremental mode is off. */
  #pacer: IncrementalPacer | null = null;
  #cycleStarted = 0;
  #cycleStats = { collected: 0, uncollectable: 0 };
  /** The final step's batch size while batches free nothing (0: the budget decides). */
  #batchLimit = 0;
  /**
   * Young-count decrements that frees of old garbage made since generation 0 was last
   * collected. The heap's count falls with every container freed, as CPython's does, so a
   * final step freeing thousands of old objects would put the next young collection off
   * until the young generation is big enough for a long stop; this debt keeps it due on time.
   */
  #youngDebt = 0;
  /** Paces `collectStep()` when incremental mode is off. */
  readonly #manualPacer = new IncrementalPacer({});
  readonly #clock: Clock;
  /** What the last `#collectSet` found (fields, not a result object: a stop makes no garbage). */
  #collected = 0;
  #uncollectable = 0;

  // Working sets, reused by every collection.
  readonly #young = new RefBuffer();
  readonly #unreachable = new RefBuffer();
  readonly #stillUnreachable = new RefBuffer();
  readonly #survivors = new RefBuffer();

  constructor(heap: Heap, options: CollectorOptions = {}) {
    this.heap = heap;
    this.finalizerSemantics = options.finalizers ?? 'pep442';
    this.#enabled = options.enabled ?? true;
    this.#sink = options.debugSink ?? stderrSink;
    this.#pauses = new PauseLog(options.pauseCapacity);
    // (Both refused before anything is attached to the heap.)
    this.#clock = new Clock(options.clock, (error) => heap.reportUnraisable(error, 'gc clock', 'garbage collection'));
    const pacer = pacerFor(options.incremental === undefined ? false : options.incremental); // (null is refused, as setIncremental refuses it)
    const slot = heap.columns.attach(Int32Array, 0, (a) => {
      if (this.#finder) this.#finder.slot = a;
      this.#roomInOldest(a.length);
    });
    this.#finder = new CycleFinder(heap, heap.collectorStates, slot.array);
    this.#cycle = new IncrementalCycle(heap, this.#finder, this.#generations[NUM_GENERATIONS - 1]!, this.#clock);
    this.garbage = heap.newList();
    this.#uninstall = heap.installCollector(this);
    if (pacer !== null) this.#setPacer(pacer);
    else this.#applyThreshold();
  }

  // ─── The protocol the heap calls ───────────────────────────────────────────

  youngThresholdExceeded(): void {
    if (!this.#enabled || this.#collecting) return;
    this.#collecting = true;
    try {
      if (this.#pacer === null) this.#collectGenerations();
      else this.#incrementalTrigger(this.#pacer);
    } finally {
      this.#collecting = false;
    }
  }

  stateColumnMoved(states: Uint8Array): void {
    this.#finder.state = states;
  }

  unlist(ref: Ref): void {
    const { state, slot } = this.#finder;
    const s = state[ref]!;
    const g = s - generationState(0);
    if (g >= 0 && g < NUM_GENERATIONS) this.#generations[g]!.remove(ref, slot);
    else if (s === generationState(PERMANENT)) this.#permanent.remove(ref, slot);
    else if (s === (COLLECTING | UNREACHABLE)) this.#finder.unreachable.items[slot[ref]!] = 0;
    else if (s === HELD) this.#finder.finalizers.items[slot[ref]!] = 0;
    else if (inSnapshot(s)) this.#cycle.forget();
    else if (s === CANDIDATE) this.#cycle.forgetCandidate(ref);
    // (COLLECTING alone happens only inside the phases that run no code of anyone else's.)
    state[ref] = NOT_LISTED;
  }

  /**
   * The collector's part of `Heap.verify()`: every member of every generation is a live,
   * tracked, listed object whose state and slot columns point back at it, no object is in
   * two generations, and every listed object is in one.
   */
  verify(): void {
    const heap = this.heap;
    const { state, slot } = this.#finder;
    const fail = (message: string, ref?: Ref): never => {
      throw new HeapCorruptionError(ref === undefined ? message : `${heap.describe(ref)}: ${message}`);
    };
    if (this.#collecting) fail('verify() called during a collection');
    const member = new Uint8Array(heap.highWater);
    const cycle = this.#cycle;
    const generations = [...this.#generations, this.#permanent, cycle.candidates];
    generations.forEach((gen, index) => {
      const { items, length } = gen.members;
      const midCycle = index === NUM_GENERATIONS - 1 && cycle.active;
      const stateOf = index === PERMANENT + 1 ? CANDIDATE : generationState(index);
      let size = 0;
      for (let i = 0; i < length; i++) {
        const ref = items[i]!;
        if (ref === 0) continue;
        // Mid-cycle, an entry of the snapshot whose object went is stale, not a member.
        if (midCycle && !cycle.isMemberAt(ref, i)) continue;
        size++;
        if (!heap.isAlive(ref)) fail(`is freed but still in generation ${index}`, ref);
        if (member[ref]) fail('is in two generations', ref);
        member[ref] = 1;
        if (!(heap.flags[ref]! & Flag.Tracked) || state[ref]! < generationState(0)) {
          fail(`is in generation ${index} but not tracked and listed`, ref);
        }
        const scanned = midCycle && inSnapshot(state[ref]!); // slot holds gc_refs
        if (!scanned && (state[ref] !== stateOf || slot[ref] !== i)) fail(`is in generation ${index} but its columns say otherwise`, ref);
      }
      if (size !== gen.size) fail(`generation ${index} counts ${gen.size} members but holds ${size}`);
    });
    for (let ref = 1; ref < heap.highWater; ref++) {
      if (heap.isAlive(ref) && state[ref]! >= generationState(0) && !member[ref]) fail('is listed but in no generation', ref);
    }
  }

  // ─── gc.enable / disable / isenabled ───────────────────────────────────────

  enable(): void {
    this.#enabled = true;
    this.#applyThreshold();
  }

  disable(): void {
    this.#enabled = false;
    this.#applyThreshold();
  }

  isEnabled(): boolean {
    return this.#enabled;
  }

  // ─── gc.collect ────────────────────────────────────────────────────────────

  /**
   * Collects generation `generation` and the younger ones; returns the number of unreachable
   * objects found (collected plus uncollectable). A collection already running — this was
   * called from a finalizer or callback — makes it return 0 and change nothing.
   */
  collect(generation: number = NUM_GENERATIONS - 1): number {
    const g = asInteger(generation);
    if (g < 0 || g >= NUM_GENERATIONS) throw new PyValueError('invalid generation');
    if (this.#collecting) return 0;
    this.#collecting = true;
    let found: number;
    try {
      if (g === NUM_GENERATIONS - 1) this.#abandonCycle(); // a full collection does all it would have done
      found = this.#collectWithCallbacks(g, false);
    } finally {
      this.#collecting = false;
    }
    // The heap never trims during a collection; what this one freed can go back now. (Not
    // after an automatic collection: that one runs inside an allocation.)
    this.heap.trim({ onlyIfDue: true });
    return found;
  }

  /**
   * Whether a collection (or a slice of an incremental cycle) is running now. Between slices
   * the heap may trim: a cycle's entries for indexes trimming dropped read as stale.
   */
  get isCollecting(): boolean {
    return this.#collecting;
  }

  // ─── Incremental mode ──────────────────────────────────────────────────────

  /**
   * Turns incremental mode on (`true`, or options) or off (`false`). Off gives up a cycle in
   * progress: its objects stay where they are, and the next full collection examines them.
   */
  setIncremental(mode: boolean | IncrementalOptions): void {
    this.#setPacer(pacerFor(mode));
  }

  #setPacer(pacer: IncrementalPacer | null): void {
    this.#pacer = pacer;
    if (pacer === null) this.#abandonCycle();
    this.#generations[NUM_GENERATIONS - 1]!.pinned = this.#pacer !== null || this.#cycle.active;
    this.#applyThreshold();
  }

  /** The incremental mode's options, or null when automatic collections stop the world. */
  getIncremental(): Required<IncrementalOptions> | null {
    return this.#pacer === null ? null : { budgetMs: this.#pacer.budgetMs };
  }

  /** Whether an incremental cycle is in progress (between its first slice and its last). */
  get cycleInProgress(): boolean {
    return this.#cycle.active;
  }

  /**
   * Runs one slice of the oldest generation's incremental cycle now, starting one if none is
   * running: at most `maxWork` objects handled (all the budget allows by default; a final
   * step takes what fits in one slice). Returns true when this slice ended the cycle.
   * Works in either mode (with the default 1 ms budget when incremental mode is off); from
   * a finalizer or callback during a collection it does nothing and returns false.
   */
  collectStep(maxWork: number = Infinity): boolean {
    if (typeof maxWork !== 'number' || !(maxWork >= 1)) {
      throw new PyValueError(`collectStep() wants a positive amount of work, not ${String(maxWork)}`);
    }
    if (this.#collecting) return false;
    this.#collecting = true;
    try {
      const pacer = this.#pacer ?? this.#manualPacer;
      const cycle = this.#cycle;
      const started = this.#clock.read(); // (the phases below start from the clock's last reading)
      if (!cycle.active) this.#beginCycle();
      if (cycle.phase !== FINAL) this.#slice(pacer, started + pacer.capMs, maxWork, false);
      else this.#finalBatch(pacer, false);
      return !cycle.active;
    } finally {
      this.#collecting = false;
    }
  }

  // ─── Counts, thresholds, stats ─────────────────────────────────────────────

  /** `gc.get_count()`: allocations minus deallocations since gen 0 was collected, then per-generation collection counts. */
  getCount(): [number, number, number] {
    return [this.heap.youngCount, this.#generations[1]!.count, this.#generations[2]!.count];
  }

  getThreshold(): [number, number, number] {
    return [this.#generations[0]!.threshold, this.#generations[1]!.threshold, this.#generations[2]!.threshold];
  }

  /** `gc.set_threshold(threshold0[, threshold1[, threshold2]])`; a threshold0 of 0 disables automatic collection. */
  setThreshold(...thresholds: number[]): void {
    if (thresholds.length === 0) throw new PyTypeError('set_threshold() takes at least 1 argument (0 given)');
    if (thresholds.length > NUM_GENERATIONS) {
      throw new PyTypeError(`set_threshold() takes at most 3 arguments (${thresholds.length} given)`);
    }
    try {
      // Like CPython, each threshold is set as it is parsed: a bad third one leaves the first two set.
      thresholds.forEach((value, i) => (this.#generations[i]!.threshold = asInteger(value)));
    } finally {
      this.#applyThreshold();
    }
  }

  /** `gc.get_stats()`: per generation, collections, collected and uncollectable so far. */
  getStats(): GenerationStats[] {
    return this.#stats.map((s) => ({ ...s }));
  }

  // ─── Objects ───────────────────────────────────────────────────────────────

  /** `gc.get_objects(generation=None)`: tracked objects (borrowed refs), all generations or one. */
  getObjects(generation?: number | null): Ref[] {
    if (generation !== undefined && generation !== null) {
      const g: unknown = typeof generation === 'boolean' ? Number(generation) : generation; // bool is an int
      if (typeof g !== 'number' || !Number.isInteger(g)) {
        throw new PyTypeError(`argument should be integer or None, not '${pythonTypeName(generation)}'`);
      }
      if (g === -1) return this.getObjects(); // CPython 3.11 treats -1 as "all generations"
      if (g >= NUM_GENERATIONS) {
        throw new PyValueError(
          `generation parameter must be less than the number of available generations (${NUM_GENERATIONS})`,
        );
      }
      if (g < 0) throw new PyValueError('generation parameter cannot be negative');
      this.#listYoung();
      return this.#membersOf(g);
    }
    this.#listYoung();
    return [0, 1, 2].flatMap((g) => this.#membersOf(g));
  }

  /** A generation's members in order; during a cycle, generation 2's with the cycle's candidates after them. */
  #membersOf(generation: number): Ref[] {
    const members = this.#generations[generation]!.members;
    if (generation < NUM_GENERATIONS - 1 || !this.#cycle.active) return members.toArray();
    const found: Ref[] = [];
    for (let p = 0; p < members.length; p++) {
      const ref = members.items[p]!;
      if (ref !== 0 && this.#cycle.isMemberAt(ref, p)) found.push(ref);
    }
    return [...found, ...this.#cycle.candidates.members.toArray()];
  }

  /** `gc.get_referrers(*objs)`: tracked objects that refer to any of `objs`. */
  getReferrers(...objs: Ref[]): Ref[] {
    const targets = new Set(objs);
    const found: Ref[] = [];
    for (const ref of this.getObjects()) {
      let refers = false;
      this.heap.traverse(ref, (child) => {
        if (!refers && targets.has(child)) refers = true;
      });
      if (refers) found.push(ref);
    }
    return found;
  }

  /** `gc.get_referents(*objs)`: what each container in `objs` refers to (atoms included). */
  getReferents(...objs: Ref[]): Ref[] {
    const found: Ref[] = [];
    for (const ref of objs) if (this.heap.isContainer(ref)) this.heap.traverse(ref, (child) => found.push(child));
    return found;
  }

  /** `gc.is_tracked(obj)`. */
  isTracked(ref: Ref): boolean {
    return this.heap.isTracked(ref);
  }

  /** `gc.is_finalized(obj)`: whether its finalizer already ran. */
  isFinalized(ref: Ref): boolean {
    return this.heap.isContainer(ref) && this.heap.isFinalized(ref);
  }

  // ─── Freezing ──────────────────────────────────────────────────────────────

  /** `gc.freeze()`: moves every tracked object to a permanent generation that collections ignore. */
  freeze(): void {
    this.#abandonCycle();
    this.#listYoung();
    for (const gen of this.#generations) this.#moveAll(gen, this.#permanent, PERMANENT);
    this.heap.resetYoungCount();
  }

  /** `gc.unfreeze()`: back into the oldest generation. */
  unfreeze(): void {
    this.#moveAll(this.#permanent, this.#generations[NUM_GENERATIONS - 1]!, NUM_GENERATIONS - 1);
  }

  getFreezeCount(): number {
    return this.#permanent.size;
  }

  // ─── Debugging and pauses ──────────────────────────────────────────────────

  setDebug(flags: number): void {
    this.#debug = asInteger(flags);
  }

  getDebug(): number {
    return this.#debug;
  }

  /** Where DEBUG_* lines go (stderr by default). */
  setDebugSink(sink: DebugSink): void {
    this.#sink = sink;
  }

  /** Every recent collection's pause, oldest first. */
  getPauses(): Pause[] {
    return this.#pauses.recent();
  }

  pauseSummary(): PauseSummary {
    return this.#pauses.summary();
  }

  /**
   * Uninstalls the collector from the heap (objects stay; nothing is collected any more).
   * Refused while a collection runs (from a finalizer or callback it called): the garbage in
   * hand would be left half freed.
   */
  detach(): void {
    if (this.#collecting) {
      throw new PyRuntimeError('cannot detach the collector while it is collecting (called from a finalizer or callback)');
    }
    this.#abandonCycle();
    this.heap.youngThreshold = NEVER;
    this.#uninstall();
  }

  // ─── The collection ────────────────────────────────────────────────────────

  /** gc_collect_generations: the oldest generation over its threshold, with the long-lived heuristic. */
  #collectGenerations(): number {
    this.#generations[0]!.count = this.heap.youngCount + this.#youngDebt;
    for (let i = NUM_GENERATIONS - 1; i >= 0; i--) {
      const gen = this.#generations[i]!;
      if (i === NUM_GENERATIONS - 1 && this.#pacer !== null) {
        // Incremental: a cycle begins instead, earlier (see pacing.ts); none while one runs.
        const t0 = this.#generations[0]!.threshold;
        const t1 = this.#generations[1]!.threshold;
        const due = this.#pacer.due(this.#longLivedPending, this.#longLivedTotal, gen.count, gen.threshold, t0 * (t1 + 1));
        if (this.#cycle.active || !due) continue;
        this.#beginCycle();
        return 0;
      }
      if (gen.count <= gen.threshold) continue;
      if (i === NUM_GENERATIONS - 1) {
        // A full collection only when enough new long-lived objects piled up (bpo-4074):
        // otherwise full collections make a growing heap quadratic.
        if (this.#longLivedPending < this.#longLivedTotal / 4) continue;
        this.#abandonCycle(); // one begun by collectStep()
      }
      return this.#collectWithCallbacks(i, true);
    }
    return 0;
  }

  // ─── The incremental cycle ─────────────────────────────────────────────────

  /**
   * An automatic trigger in incremental mode: the young collection that is due (or the start
   * of a cycle), then a slice of the cycle planned for what is left of part of the budget
   * (pacing.ts), the whole budget its hard cap; then when to come back.
   */
  #incrementalTrigger(pacer: IncrementalPacer): void {
    const heap = this.heap;
    const clock = this.#clock;
    const started = clock.read();
    const cycle = this.#cycle;
    const gen0 = this.#generations[0]!;
    if (cycle.active && pacer.tooSoon(started)) {
      // Too soon after the last stop: the slice (or the young collection, a few hundred
      // allocations late at most) waits, or the two would be one stop.
      heap.youngThreshold = heap.youngCount + MIN_STEP;
      return;
    }
    pacer.noteYoungCount(heap.youngCount, started);
    if (heap.youngCount + this.#youngDebt > gen0.threshold) this.#collectGenerations();
    // (The clock's last reading is where the young collection, if any, ended.) One that took the
    // slice's plan already is the whole stop: the cycle's work comes with the next trigger.
    const afterYoung = clock.last - started;
    if (afterYoung < pacer.plannedMs) this.#cycleWork(pacer, started, afterYoung);
    // Back after enough allocations for the next slice; at gen 0's threshold when idle.
    if (cycle.active && gen0.threshold > 0 && this.#enabled) {
      // (Candidates the passes have yet to find are guessed from the last cycle, so the final steps are not left behind.)
      const young0 = gen0.threshold - this.#youngDebt; // the young count at which generation 0 is due
      const next = pacer.nextTrigger(heap.youngCount, cycle.passWork(), cycle.candidatesLeft(), this.#batchesPerStop(pacer), young0);
      heap.youngThreshold = next;
    } else this.#applyThreshold();
    pacer.leaveYoungCount(heap.youngCount, clock.last);
  }

  /**
   * The cycle's part of an automatic stop that began at `started` and has spent `spentMs`: final
   * steps, or a slice of the passes (and final steps after it, if the passes ended with time to
   * spare).
   */
  #cycleWork(pacer: IncrementalPacer, started: number, spentMs: number): void {
    const cycle = this.#cycle;
    if (!cycle.active) return;
    if (cycle.phase !== FINAL) {
      this.#slice(pacer, started + pacer.capMs, pacer.plannedWork(cycle.phase, spentMs), true);
      if (cycle.phase !== FINAL || !this.#finalFits(pacer, started)) return;
    }
    // Final steps, one after another while the next fits in what is left of the plan (in a stop
    // that began with them, the first always runs, so the cycle moves).
    do {
      this.#finalBatch(pacer, true, this.#clock.last - started);
    } while (cycle.phase === FINAL && this.#finalFits(pacer, started));
  }

  /** Whether another final step fits in the plan of the stop that began at `started`. */
  #finalFits(pacer: IncrementalPacer, started: number): boolean {
    const spent = this.#clock.last - started;
    return spent + pacer.finalMs(Math.min(this.#batchSize(pacer, spent), this.#cycle.candidates.size)) < pacer.plannedMs;
  }

  /** Starts a cycle over the oldest generation, the younger ones merged in as a full collection merges them. */
  #beginCycle(): void {
    const gen2 = this.#generations[NUM_GENERATIONS - 1]!;
    this.#invokeCallbacks('start', NUM_GENERATIONS - 1, 0, 0);
    if (this.#debug & DEBUG_STATS) {
      this.#sink(collectingLine(NUM_GENERATIONS - 1));
      this.#listYoung();
      this.#sink(generationsLine(this.#generations.map((g) => g.size)));
      this.#sink(permanentLine(this.#permanent.size));
    }
    for (const gen of this.#generations) gen.count = 0;
    this.#listYoung();
    this.heap.resetYoungCount();
    gen2.pinned = true;
    this.#moveAll(this.#generations[0]!, gen2, NUM_GENERATIONS - 1);
    this.#moveAll(this.#generations[1]!, gen2, NUM_GENERATIONS - 1);
    const pending = this.#longLivedPending;
    this.#longLivedPending = 0;
    this.#longLivedTotal = gen2.size;
    this.#cycle.begin(pending);
    this.#cycleStats = { collected: 0, uncollectable: 0 };
    this.#cycleStarted = this.#clock.read();
    this.#batchLimit = 0;
    (this.#pacer ?? this.#manualPacer).beginCycle(gen2.size);
  }

  /** One slice of the passes, from the clock's last reading until `deadline` or `maxWork` objects; recorded as a pause. */
  #slice(pacer: IncrementalPacer, deadline: number, maxWork: number, automatic: boolean): void {
    const started = this.#clock.last;
    const pass = this.#cycle.phase;
    const done = this.#cycle.step(deadline, maxWork);
    const duration = this.#clock.last - started;
    pacer.measured(pass, done, duration);
    this.#pauses.record(NUM_GENERATIONS - 1, automatic, started, duration, done, 0, 0, true);
  }

  /**
   * How many candidates the next final step takes: what its plan has room for after `spentMs`
   * of the same stop, doubled while batches free nothing.
   */
  #batchSize(pacer: IncrementalPacer, spentMs = 0): number {
    return Math.max(Math.min(pacer.finalBatch(MIN_BATCH, spentMs), MAX_BATCH), this.#batchLimit);
  }

  /** The candidates a stop's final steps take together, with nothing else in the stop. */
  #batchesPerStop(pacer: IncrementalPacer): number {
    return Math.max(pacer.finalBatch(MIN_BATCH), this.#batchLimit);
  }

  /**
   * The final step over a batch of candidates: the stop-the-world analysis of the batch alone
   * (exact now, whatever happened between slices), then its garbage collected as a full
   * collection collects it. A candidate that fails, and all it reaches in the batch, waits
   * for a later batch (a cycle split between two batches passes once they meet), except in
   * the last batch, whose failures are simply alive.
   */
  #finalBatch(pacer: IncrementalPacer, automatic: boolean, spentMs = 0): void {
    const started = this.#clock.last;
    const cycle = this.#cycle;
    const gen2 = this.#generations[NUM_GENERATIONS - 1]!;
    const set = this.#young;
    set.clear();
    const last = cycle.takeBatch(set, this.#batchSize(pacer, spentMs));
    const examined = set.length;
    const youngBefore = this.heap.youngCount;
    this.#collectSet(set, NUM_GENERATIONS - 1, gen2, NUM_GENERATIONS - 1, last ? null : cycle.candidates);
    const collected = this.#collected;
    const uncollectable = this.#uncollectable;
    this.#youngDebt += Math.max(0, youngBefore - this.heap.youngCount);
    // Batches that free nothing while some wait: take more at once until the split parts meet.
    this.#batchLimit = collected + uncollectable === 0 && !last ? Math.max(this.#batchLimit, examined) * 2 : 0;
    const totals = this.#cycleStats;
    totals.collected += collected;
    totals.uncollectable += uncollectable;
    const duration = this.#clock.read() - started;
    pacer.measuredFinal(examined, duration);
    this.#pauses.record(NUM_GENERATIONS - 1, automatic, started, duration, examined, collected + uncollectable, uncollectable, true);
    if (!last) return;
    // The cycle is over: it counts as one collection of the oldest generation.
    gen2.pinned = this.#pacer !== null;
    this.#longLivedTotal = Math.max(0, gen2.size - this.#longLivedPending);
    const stats = this.#stats[NUM_GENERATIONS - 1]!;
    stats.collections++;
    stats.collected += totals.collected;
    stats.uncollectable += totals.uncollectable;
    if (this.#debug & DEBUG_STATS) {
      const found = totals.collected + totals.uncollectable;
      this.#sink(doneLine(found, totals.uncollectable, (this.#clock.read() - this.#cycleStarted) / 1000));
    }
    this.#invokeCallbacks('stop', NUM_GENERATIONS - 1, totals.collected, totals.uncollectable);
  }

  /** Gives up a cycle in progress (its members stay in generation 2, as if it never began). */
  #abandonCycle(): void {
    if (!this.#cycle.active) return;
    this.#cycle.abandon();
    this.#generations[NUM_GENERATIONS - 1]!.pinned = this.#pacer !== null;
    this.#invokeCallbacks('stop', NUM_GENERATIONS - 1, this.#cycleStats.collected, this.#cycleStats.uncollectable);
  }

  #collectWithCallbacks(generation: number, automatic: boolean): number {
    this.#invokeCallbacks('start', generation, 0, 0);
    this.#collectMain(generation, automatic);
    const collected = this.#collected;
    const uncollectable = this.#uncollectable;
    this.#invokeCallbacks('stop', generation, collected, uncollectable);
    return collected + uncollectable;
  }

  /** gc_collect_main; what it found is left in `#collected` and `#uncollectable`, and its end in the clock. */
  #collectMain(generation: number, automatic: boolean): void {
    const heap = this.heap;
    const finder = this.#finder;
    const started = this.#clock.read();
    if (this.#debug & DEBUG_STATS) {
      this.#sink(collectingLine(generation));
      this.#listYoung();
      this.#sink(generationsLine(this.#generations.map((g) => g.size)));
      this.#sink(permanentLine(this.#permanent.size));
    }

    // Update the collection and allocation counters.
    if (generation + 1 < NUM_GENERATIONS) this.#generations[generation + 1]!.count++;
    for (let i = 0; i <= generation; i++) this.#generations[i]!.count = 0;
    heap.resetYoungCount();
    this.#youngDebt = 0;

    // The set to collect: this generation with the younger ones merged onto its end.
    const young = this.#young;
    young.clear();
    this.#generations[generation]!.drainInto(young);
    for (let i = 0; i < generation; i++) {
      this.#generations[i]!.drainInto(young);
      if (i === 0) this.#takeYoung(young);
    }
    if (generation === 0) this.#takeYoung(young);
    const examined = young.length;
    const oldIndex = generation < NUM_GENERATIONS - 1 ? generation + 1 : generation;
    const old = this.#generations[oldIndex]!;

    // So nothing shifts while survivors are appended and walked. (A pinned generation 2 never
    // shifts, and squeezing it would be a pass over all of it inside a young collection.)
    if (!old.pinned || generation === NUM_GENERATIONS - 1) old.compact(finder.slot);
    const sizeBefore = old.size;
    this.#collectSet(young, generation, old, oldIndex, null);
    const collected = this.#collected;
    const uncollectable = this.#uncollectable;
    const survivors = old.size - sizeBefore;
    if (generation === NUM_GENERATIONS - 2) this.#longLivedPending += survivors;
    if (generation === NUM_GENERATIONS - 1) {
      this.#longLivedPending = 0;
      this.#longLivedTotal = old.size;
    }
    const elapsed = this.#clock.read() - started;
    if (this.#debug & DEBUG_STATS) this.#sink(doneLine(collected + uncollectable, uncollectable, elapsed / 1000));

    const stats = this.#stats[generation]!;
    stats.collections++;
    stats.collected += collected;
    stats.uncollectable += uncollectable;
    this.#pauses.record(generation, automatic, started, elapsed, examined, collected + uncollectable, uncollectable, false);
  }

  /**
   * From the set to collect (consumed) to freed garbage: what is reachable from outside the set
   * joins `old`, or `carry` (the cycle's candidates) when given — an incremental cycle's
   * batch keeps its doubtful candidates for a later batch; the unreachable are collected as
   * gc_collect_main collects them. What it found is left in `#collected` and `#uncollectable`.
   */
  #collectSet(
    young: RefBuffer,
    generation: number,
    old: Generation,
    oldIndex: number,
    carry: Generation | null,
  ): void {
    const heap = this.heap;
    const finder = this.#finder;
    // Find what is unreachable; what is reachable moves on to the next generation.
    const unreachable = this.#unreachable;
    unreachable.clear();
    const firstSurvivor = old.members.length;
    if (carry === null) {
      finder.deduceUnreachable(young, unreachable, old, generationState(oldIndex));
      finder.untrackAtomicContainers(old.members, firstSurvivor, generation === NUM_GENERATIONS - 1);
    } else {
      finder.deduceUnreachable(young, unreachable, carry, CANDIDATE);
    }

    // Unreachable objects reachable from legacy finalizers cannot be collected.
    finder.finalizers.clear();
    if (this.finalizerSemantics === 'legacy') {
      finder.moveLegacyFinalizers(unreachable);
      finder.moveLegacyFinalizerReachable();
    }

    if (this.#debug & DEBUG_COLLECTABLE) this.#printCycles('collectable', unreachable);

    // Clear weakrefs and call the callbacks that must be called; then PEP 442 finalizers.
    let collected = finder.handleWeakrefs(unreachable, heap.weakrefs);
    const finalized = finder.finalizeGarbage(unreachable);

    // Whatever a finalizer or callback resurrected survives, with all it reaches. (When none
    // ran, nothing can have changed, and the second analysis is skipped.)
    let still = unreachable;
    if (finalized > 0 || finder.callbacksCalled > 0) {
      still = this.#stillUnreachable;
      finder.handleResurrectedObjects(unreachable, still, young, old, generationState(oldIndex));
    }

    // Break the cycles.
    collected += still.count();
    const saveTo = this.#debug & DEBUG_SAVEALL ? this.garbage : null;
    finder.deleteGarbage(still, saveTo, old, generationState(oldIndex));

    // Uncollectable objects (legacy finalizers) go to gc.garbage and stay alive.
    const uncollectable = finder.finalizers.count();
    if (this.#debug & DEBUG_UNCOLLECTABLE) this.#printCycles('uncollectable', finder.finalizers);
    this.#handleLegacyFinalizers(old, oldIndex);
    this.#collected = collected;
    this.#uncollectable = uncollectable;
  }

  /**
   * Room in the oldest generation's list for as many objects as the heap's table now holds, and
   * a quarter more for the entries of members gone since its last compaction, made when the table
   * grows (and when the collector is attached): a copy inside the allocation that grows the
   * table, which copies every column anyway. Grown by doubling when full instead, the list was
   * copied inside whichever young collection filled it — 3–4 ms at a million objects, more with
   * every doubling, in incremental mode's sub-millisecond stops. (Pages not written yet cost no
   * memory.) Not during a collection, whose walks hold the list: it grows as it must then.
   */
  #roomInOldest(tableCapacity: number): void {
    if (this.#collecting) return;
    this.#generations[NUM_GENERATIONS - 1]!.members.reserve(tableCapacity + (tableCapacity >>> 2));
  }

  /** Appends the heap's young buffer to the set being collected. */
  #takeYoung(into: RefBuffer): void {
    this.heap.takeYoungInto(into);
  }

  #mergeAll(set: RefBuffer, old: Generation, oldIndex: number): void {
    const { state, slot } = this.#finder;
    for (let i = 0; i < set.length; i++) {
      const ref = set.items[i]!;
      if (ref === 0) continue;
      state[ref] = generationState(oldIndex);
      old.add(ref, slot);
    }
    set.clear();
  }

  /** handle_legacy_finalizers: objects with finalizers (everything, with DEBUG_SAVEALL) go to gc.garbage. */
  #handleLegacyFinalizers(old: Generation, oldIndex: number): void {
    const finalizers = this.#finder.finalizers;
    for (let i = 0; i < finalizers.length; i++) {
      const ref = finalizers.items[i]!;
      if (ref === 0) continue;
      if (this.#debug & DEBUG_SAVEALL || this.heap.hasFinalizer(ref)) this.heap.append(this.garbage, ref);
    }
    this.#mergeAll(finalizers, old, oldIndex);
  }

  #printCycles(kind: 'collectable' | 'uncollectable', set: RefBuffer): void {
    for (let i = 0; i < set.length; i++) {
      const ref = set.items[i]!;
      if (ref === 0) continue;
      this.#sink(cycleLine(kind, this.heap.typeOf(ref).name, formatAddress(this.heap.id(ref))));
    }
  }

  #invokeCallbacks(phase: CollectionPhase, generation: number, collected: number, uncollectable: number): void {
    const callbacks = this.callbacks;
    if (callbacks.length === 0) return; // (most collections: nothing to make an info object for)
    // A fresh info object per walk, as CPython makes a dict (a callback may keep it); the calls
    // go through one closure made once, so a walk makes no other garbage.
    const calling = this.#calling;
    const info: CollectionInfo = { generation, collected, uncollectable };
    // By index over the live list, as CPython's invoke_gc_callback walks it: a callback that
    // removes or adds callbacks changes which the rest of this walk calls, there as here. (Set
    // at every call: a callback that gives up a cycle walks them again inside this walk.)
    for (let i = 0; i < callbacks.length; i++) {
      calling.phase = phase;
      calling.info = info;
      calling.callback = callbacks[i]!;
      try {
        this.heap.callOut(this.#callCallback);
      } catch (error) {
        this.heap.reportUnraisable(error, 'gc callback', 'garbage collection');
      }
    }
    calling.info = null;
    calling.callback = null;
  }

  readonly #calling: { phase: CollectionPhase; info: CollectionInfo | null; callback: GcCallback | null } = {
    phase: 'start',
    info: null,
    callback: null,
  };

  readonly #callCallback = (): void => {
    const { callback, phase, info } = this.#calling;
    callback!(phase, info!);
  };

  /** Takes the heap's young buffer into generation 0 so it can be listed or moved. */
  #listYoung(): void {
    const gen0 = this.#generations[0]!;
    const { state, slot } = this.#finder;
    const young = this.#survivors;
    young.clear();
    this.heap.takeYoungInto(young);
    for (let i = 0; i < young.length; i++) {
      const ref = young.items[i]!;
      state[ref] = generationState(0);
      gen0.add(ref, slot);
    }
    young.clear();
  }

  #moveAll(from: Generation, to: Generation, toIndex: number): void {
    const { state, slot } = this.#finder;
    const set = this.#survivors;
    set.clear();
    from.drainInto(set);
    for (let i = 0; i < set.length; i++) {
      const ref = set.items[i]!;
      state[ref] = generationState(toIndex);
      to.add(ref, slot);
    }
    set.clear();
  }

  /** Gen-0 threshold lives in the heap, which checks it on every container allocation. */
  #applyThreshold(): void {
    const threshold = this.#generations[0]!.threshold;
    this.heap.youngThreshold = this.#enabled && threshold > 0 ? Math.max(0, threshold - this.#youngDebt) : NEVER;
  }
}

/**
 * CPython's `__index__` check, worded as CPython words it. A bool is an int (`gc.collect(True)`
 * collects generation 1, `gc.set_debug(True)` sets flags 1), and comes back as the number.
 */
function asInteger(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new PyTypeError(`'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
}

/** The Python type name a JS argument stands for, for error messages. */
/** The pacer of an incremental mode (null: off); what is neither a bool nor options is refused by name. */
function pacerFor(mode: boolean | IncrementalOptions): IncrementalPacer | null {
  if (typeof mode !== 'boolean' && (typeof mode !== 'object' || mode === null)) {
    // (From JS a string or null gets here: 'yes' used to turn the mode on with its defaults.)
    throw new PyTypeError(`incremental mode is true, false or options such as { budgetMs: 1 }, not '${pythonTypeName(mode)}'`);
  }
  if (mode === false) return null;
  return new IncrementalPacer(mode === true ? {} : mode);
}

function pythonTypeName(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (value === null || value === undefined) return 'NoneType';
  return typeof value;
}
