/**
 * One incremental cycle over the oldest generation, done in slices between the program's
 * own work, with no barrier on incref, decref or stores.
 *
 * The cycle works on a snapshot S: the oldest generation's members at its start (the
 * younger generations merged in first, as a full collection merges them), which are the
 * first `prefix` positions of generation 2's buffer. Objects that arrive in generation 2
 * during the cycle are appended after the prefix and are not examined. Three sliced passes:
 *
 * 1. subtract: take off the references members hold to each other from gc_refs (the slot
 *    column), which a member gets from its refcount when first touched — as itself or as a
 *    child — so CPython's update_refs needs no pass of its own (a member not touched yet is
 *    still an ordinary member of generation 2: state OLDEST, its position below `prefix`);
 * 2. mark: flood "reachable" from members with gc_refs > 0, in one scan in order, as
 *    CPython's move_unreachable does (a stack only for what was passed already);
 * 3. sweep: members never marked become candidates (they leave generation 2); the rest,
 *    and the arrivals, are compacted in place.
 *
 * The program runs between slices, so these values go stale: the passes only choose
 * candidates. The collector's final step (one slice) decides, by running the
 * stop-the-world analysis over the candidates alone — Bacon–Rajan's Σ test: a candidate's
 * refcount must be explained by references from candidates, and whatever fails keeps
 * alive all it reaches. Refcounts are exact at that moment, so an object the program can
 * reach is never freed, however the graph changed between slices. Garbage present at the
 * start keeps its counts and edges (nothing live can reach it), so it is found.
 *
 * Members freed or untracked meanwhile are forgotten by `forget` (their entry stays, and
 * is recognised as stale by its state: an index reused by a new object is never SNAPSHOT
 * or REACHED, since only the cycle's start sets those).
 */
import type { Heap, Ref } from '@refheap/core';
import type { Clock } from './clock.ts';
import { CANDIDATE, type CycleFinder, inSnapshot, PASSED, REACHED, SNAPSHOT, TRAVERSED } from './cycle-finder.ts';
import { Generation } from './generation.ts';
import { RefBuffer } from './ref-buffer.ts';

export const IDLE = 0;
const SUBTRACT = 1;
const MARK = 2;
const SWEEP = 3;
/** The passes are done; the candidates wait for the collector's final step. */
export const FINAL = 4;

const OLDEST = 4; // generation 2's state (cycle-finder.ts's generationState)
/**
 * The most objects handled between two looks at the clock: 10–20 µs of warm work, and no more
 * than half a millisecond where members lie scattered across a 10 M heap (1 µs each). (Each
 * look costs a heap number for the JS engine's own collector.)
 */
const CHECK_EVERY = 512;
/**
 * The first chunk of a slice: small, since nothing says yet how fast this slice goes (code the
 * engine has not compiled yet, or members scattered across memory, can be ten times slower).
 */
const FIRST_CHUNK = 64;

export class IncrementalCycle {
  readonly #heap: Heap;
  readonly #finder: CycleFinder;
  readonly #old: Generation;
  readonly #clock: Clock;
  phase: number = IDLE;
  /** Generation 2's positions [0, prefix) are the snapshot. */
  #prefix = 0;
  /** Where the current pass has got to. */
  #pos = 0;
  /** The sweep's write position. */
  #kept = 0;
  readonly #stack = new RefBuffer();
  /**
   * Members found unreachable by the passes, in generation order (state CANDIDATE, the slot
   * column their position); the final step takes them in batches from `#poolPos` on.
   */
  readonly candidates: Generation = new Generation(0);
  #poolPos = 0;
  /** Objects handled this cycle (the pacing's measure of work). */
  work = 0;
  /** Candidates the last cycle's passes found (the guess for this one's, until its sweep ends). */
  #lastFound = 0;

  constructor(heap: Heap, finder: CycleFinder, old: Generation, clock: Clock) {
    this.#heap = heap;
    this.#clock = clock;
    this.#finder = finder;
    this.#old = old;
  }

  get active(): boolean {
    return this.phase !== IDLE;
  }

  /**
   * Starts a cycle over what generation 2 holds now (the caller merged the younger ones in).
   * `pending` (objects that joined it since its last collection) bounds the first cycle's
   * guess of how many candidates the sweep will find.
   */
  begin(pending: number): void {
    this.#prefix = this.#old.members.length;
    // Room for the candidates now, while the pool is empty and costs no copy: grown by doubling
    // inside sweep slices, the pool copied megabytes within a slice on the first cycle of a big heap.
    this.candidates.members.reserve(roomFor(Math.max(pending, this.#lastFound + (this.#lastFound >>> 2))));
    this.#pos = 0;
    this.#kept = 0;
    this.work = 0;
    this.candidates.members.clear();
    this.candidates.size = 0;
    this.candidates.pinned = true;
    this.#poolPos = 0;
    this.phase = SUBTRACT;
  }

  /** The passes' work left: what remains of this pass, and a pass over the snapshot per pass to go. */
  passWork(): number {
    if (this.phase === IDLE || this.phase === FINAL) return 0;
    const passesAfter = SWEEP - this.phase;
    const length = this.phase === SWEEP ? this.#old.members.length : this.#prefix;
    return passesAfter * this.#prefix + Math.max(0, length - this.#pos) + this.#stack.length;
  }

  /** Candidates left for final steps: until the sweep ends, at least as many as the last cycle found. */
  candidatesLeft(): number {
    const size = this.candidates.size;
    return this.phase === FINAL || this.phase === IDLE ? size : Math.max(size, this.#lastFound);
  }

  /**
   * Works until `deadline` (a `performance.now()` time) or until `maxWork` objects are handled,
   * whichever comes first, or until the current pass ends; from the clock's last reading, and
   * leaving its reading at the end there. Returns the objects handled.
   */
  step(deadline: number, maxWork: number): number {
    let done = 0;
    const pass = this.phase;
    const clock = this.#clock;
    const started = clock.last;
    let chunk = FIRST_CHUNK;
    // A slice ends with its pass: its work was planned at that pass's rate, and the next may be slower.
    while (this.phase === pass && pass !== IDLE && pass !== FINAL && done < maxWork) {
      const left = maxWork - done;
      done += this.#run(left < chunk ? left : chunk);
      const t = clock.read();
      if (t >= deadline) break;
      // The next chunk takes at most half the time left, at the rate this slice has gone so far,
      // so a slice ends within its deadline however slow its objects turn out to be.
      const fit = Math.floor(((deadline - t) * done) / (2 * (t - started) + 1e-6));
      chunk = fit < FIRST_CHUNK / 4 ? FIRST_CHUNK / 4 : fit > CHECK_EVERY ? CHECK_EVERY : fit | 0;
    }
    this.work += done;
    return done;
  }

  /** One chunk of the current pass; moves to the next pass at its end. */
  #run(limit: number): number {
    switch (this.phase) {
      case SUBTRACT:
        return this.#subtract(limit);
      case MARK:
        return this.#mark(limit);
      default:
        return this.#sweep(limit);
    }
  }

  #next(phase: number): void {
    this.phase = phase;
    this.#pos = 0;
  }

  #subtract(limit: number): number {
    const { state, slot } = this.#finder;
    const heap = this.#heap;
    const rc = heap.refcounts;
    const prefix = this.#prefix;
    const items = this.#old.members.items;
    const end = Math.min(prefix, this.#pos + limit);
    for (let p = this.#pos; p < end; p++) {
      const ref = items[p]!;
      if (ref === 0) continue;
      const s = state[ref];
      if (s === OLDEST) {
        if (slot[ref] !== p) continue; // a stale entry: its index now holds an arrival
        state[ref] = SNAPSHOT;
        slot[ref] = rc[ref]!;
      } else if (s !== SNAPSHOT) continue; // gone (perhaps reused) since
      const n = heap.collectorChildren(ref);
      const children = heap.childBuffer;
      for (let j = 0; j < n; j++) {
        const child = children[j]!;
        const c = state[child];
        if (c === SNAPSHOT) slot[child]!--;
        else if (c === OLDEST && slot[child]! < prefix) {
          state[child] = SNAPSHOT; // a member ahead, touched first as a child
          slot[child] = rc[child]! - 1;
        }
      }
    }
    const done = end - this.#pos;
    this.#pos = end;
    if (end === prefix) this.#next(MARK);
    return done;
  }

  /**
   * One scan in order: a member with gc_refs > 0, or found reachable before the scan got to
   * it, has its references followed. A reference to a member ahead only marks it (the scan
   * follows it when it gets there); one to a member passed already goes on the stack.
   */
  #mark(limit: number): number {
    const { state, slot } = this.#finder;
    const stack = this.#stack;
    const items = this.#old.members.items;
    let done = 0;
    while (done < limit) {
      done++;
      if (stack.length > 0) {
        const ref = stack.items[--stack.length]!;
        if (state[ref] === REACHED) this.#follow(ref); // (not if freed meanwhile)
      } else if (this.#pos < this.#prefix) {
        const ref = items[this.#pos++]!;
        if (ref === 0) continue;
        const s = state[ref];
        if (s === REACHED || (s === SNAPSHOT && slot[ref]! > 0)) this.#follow(ref);
        else if (s === SNAPSHOT) state[ref] = PASSED;
      } else {
        this.#next(SWEEP);
        this.#kept = 0;
        break;
      }
    }
    return done;
  }

  #follow(ref: Ref): void {
    const state = this.#finder.state;
    const heap = this.#heap;
    state[ref] = TRAVERSED;
    const n = heap.collectorChildren(ref);
    const children = heap.childBuffer;
    for (let j = 0; j < n; j++) {
      const child = children[j]!;
      const s = state[child];
      if (s === SNAPSHOT) state[child] = REACHED;
      else if (s === PASSED) {
        state[child] = REACHED;
        this.#stack.push(child);
      }
    }
  }

  /**
   * Unmarked members become candidates; marked ones go back to being members of generation 2,
   * squeezed down (with the arrivals after them) so the buffer never grows from cycle to cycle.
   */
  #sweep(limit: number): number {
    const { state, slot } = this.#finder;
    const old = this.#old;
    const items = old.members.items;
    const length = old.members.length;
    const end = Math.min(length, this.#pos + limit);
    let kept = this.#kept;
    for (let p = this.#pos; p < end; p++) {
      const ref = items[p]!;
      if (ref === 0) continue;
      items[p] = 0;
      if (p < this.#prefix) {
        const s = state[ref];
        if (s === PASSED || s === SNAPSHOT) {
          state[ref] = CANDIDATE;
          this.candidates.add(ref, slot);
          old.size--;
          continue;
        }
        if (s !== TRAVERSED && s !== REACHED) continue; // a stale entry: the member went during the cycle
        state[ref] = OLDEST;
      }
      items[kept] = ref;
      slot[ref] = kept++;
    }
    const done = end - this.#pos;
    this.#pos = end;
    this.#kept = kept;
    if (end === length) {
      this.#lastFound = this.candidates.size;
      old.members.length = kept;
      this.#prefix = 0;
      this.phase = FINAL;
    }
    return done;
  }

  /** A member (in one of the snapshot's states) stopped being tracked: it simply leaves generation 2's count. */
  forget(): void {
    this.#old.size--;
  }

  /** A candidate stopped being tracked. */
  forgetCandidate(ref: Ref): void {
    this.candidates.remove(ref, this.#finder.slot);
  }

  /**
   * Gives up the cycle: every member and candidate is an ordinary member of generation 2 again
   * (candidates after the rest). Not during the final step.
   */
  abandon(): void {
    if (this.phase === IDLE) return;
    const { state, slot } = this.#finder;
    const old = this.#old;
    const items = old.members.items;
    const from = this.phase === SWEEP ? this.#pos : 0;
    for (let p = from; p < this.#prefix; p++) {
      const ref = items[p]!;
      if (ref === 0) continue;
      const s = state[ref]!;
      if (inSnapshot(s)) {
        state[ref] = OLDEST;
        slot[ref] = p;
      } else if (s !== OLDEST || slot[ref] !== p) {
        items[p] = 0; // stale
      }
    }
    this.#stack.clear();
    this.#returnCandidates();
    this.#prefix = 0;
    this.phase = IDLE;
  }

  #returnCandidates(): void {
    const { state, slot } = this.#finder;
    const { items, length } = this.candidates.members;
    for (let i = this.#poolPos; i < length; i++) {
      const ref = items[i]!;
      if (ref === 0) continue;
      state[ref] = OLDEST;
      this.#old.add(ref, slot);
    }
    this.#emptyPool();
  }

  #emptyPool(): void {
    this.candidates.members.clear();
    this.candidates.size = 0;
    this.#poolPos = 0;
  }

  /**
   * Moves the next `limit` candidates, in order, into `into` for a final step. Returns true
   * when that took the last of them: the batch is then the whole remaining set, its check
   * is final, and the cycle is over.
   */
  takeBatch(into: RefBuffer, limit: number): boolean {
    const pool = this.candidates;
    const items = pool.members.items;
    let p = this.#poolPos;
    while (p < pool.members.length && into.length < limit) {
      const ref = items[p]!;
      items[p++] = 0;
      if (ref === 0) continue;
      into.push(ref);
      pool.size--;
    }
    this.#poolPos = p;
    if (pool.size > 0) return false;
    this.#emptyPool();
    this.phase = IDLE;
    return true;
  }

  /** Whether generation 2's entry at position `p` is a member now (entries of the snapshot may be stale). */
  isMemberAt(ref: Ref, p: number): boolean {
    const s = this.#finder.state[ref];
    if (s === OLDEST) return this.#finder.slot[ref] === p;
    if (s === CANDIDATE) return false; // in the pool, not generation 2
    return p < this.#prefix && inSnapshot(s!) && (this.phase !== SWEEP || p >= this.#pos);
  }
}

/** A power of two of at least `entries` (and 256). */
function roomFor(entries: number): number {
  let capacity = 256;
  while (capacity < entries) capacity *= 2;
  return capacity;
}
