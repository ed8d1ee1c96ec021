/**
 * Where objects live: allocation from the free lists and the slot pool, growing and trimming
 * the table, tracking for a collector (the young buffer), and what observers and the sampler
 * are told of births and deaths.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { MAX_OBJECTS } from './address.ts';
import { PyMemoryError, PyValueError } from './errors.ts';
import { HeapBase } from './heap-base.ts';
import {
  DYING,
  FREE,
  IMMORTAL,
  SAMPLED,
  SINGLETON_COUNT,
  SMALL_INT_MIN,
  SORT_AFTER_FREES,
  SORT_HOP,
  SORT_IDLE,
  SORT_LINKING,
  SORT_MARKING,
  SORT_PENDING,
  SORT_SEARCH_INDEXES,
  SORT_STEP_INDEXES,
  SORT_STEP_POOL,
  TRACKED,
} from './heap-definitions.ts';
import { grownCopy } from './heap-helpers.ts';
import { CollectorState, type UnraisablePhase } from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import type { HeapTypeOf } from './types.ts';

export abstract class HeapStorage extends HeapBase {
  // Defined by the layers above.
  protected abstract _blockWordsOf(ref: Ref): number;
  abstract get liveObjects(): number;
  abstract reportUnraisable(error: unknown, phase: UnraisablePhase, about: Ref | string): void;

  protected override _allocateSingleton(type: HeapTypeOf<this>, value: number): Ref {
    const ref = this._allocate(type, this._storePayload(value));
    this._rc[ref] = SINGLETON_COUNT;
    this._flags[ref] = IMMORTAL;
    return ref;
  }

  protected _smallInt(value: number): Ref {
    return this.True + 1 + (value - SMALL_INT_MIN);
  }

  protected _newAtom(type: HeapTypeOf<this>, value: unknown): Ref {
    return this._born(this._allocate(type, this._storePayload(value)));
  }

  /** Allocates a container with a zeroed block of `words`, counted by the collector, not yet tracked. */
  protected _newContainer(type: HeapTypeOf<this>, words: number): Ref {
    const ref = this._allocate(type, this._pool.allocate(words));
    if (++this._youngCount > this._youngThreshold && this._collector !== null) {
      this._collector.youngThresholdExceeded();
    }
    return ref;
  }

  protected _allocate(type: HeapTypeOf<this>, base: number): Ref {
    let ref = this._freeHead;
    if (this._deallocations > this._sortDueAt) ref = this._takeWhileSortingOrTop();
    else if (ref !== NULL) this._freeHead = this._base[ref]!;
    else ref = this._newIndexAtTop();
    this._rc[ref] = 1;
    this._type[ref] = type.id;
    this._flags[ref] = 0;
    this._base[ref] = base;
    this._allocations++;
    return ref;
  }

  /** The index for an allocation while a sort is due or under way: one it hands out, or a new one at the top. */
  protected _takeWhileSortingOrTop(): Ref {
    const ref = this._takeWhileSorting();
    return ref !== NULL ? ref : this._newIndexAtTop();
  }

  protected _newIndexAtTop(): Ref {
    const ref = this._top;
    if (ref >= this._rc.length) this._growTable(ref + 1);
    this._top = ref + 1;
    return ref;
  }

  /** Grows the columns; past MAX_OBJECTS an id would name an object of another heap, so that is refused. */
  protected _growTable(minimum: number): void {
    if (minimum > MAX_OBJECTS) {
      throw new PyMemoryError(`a heap holds at most ${MAX_OBJECTS} objects at once (ids of more would collide with another heap's)`);
    }
    this.columns.grow(Math.min(minimum, MAX_OBJECTS));
  }

  /**
   * The index an allocation takes while the free lists are due to be put back in address order,
   * or are being put (NULL: a new one at the top). LIFO reuse after a large structure dies hands
   * its indexes out in the reverse of the order the teardown freed them; each round of building
   * and freeing scrambles them further, until a structure's objects — and every column read
   * about them — are scattered across memory (a full collection of a tree rebuilt ten times ran
   * six times slower). Address order gives what a fresh heap gives. It waits for frees in
   * proportion to the table (an eighth of it, at least SORT_AFTER_FREES); churn that keeps the
   * free list short pays only the counter check.
   *
   * The table's sort and the slot pool's go a step per allocation while the program goes on:
   * the whole of them at once is tens of milliseconds on a big heap, as long a stop as the
   * collections that incremental collection cuts into slices. As in the pool, the free list as
   * it stands is set aside and walked first (MARKING), each index on it marked pending in the
   * count column (free indexes have no count); then the table is scanned upward (LINKING), each
   * pending index appended to the sorted list. An index freed meanwhile goes on the free list as
   * always, unmarked. At the end the sorted list goes first.
   *
   * Meanwhile allocation takes set-aside indexes first, from the front of their list, behind the
   * walk (marked ones: the allocation's count clears the mark, so the scan passes them by); then
   * sorted ones; then what was freed since the sort began. That order keeps what is made during a
   * sort together, as the lists have it. Taken at the walk's front, every 33rd entry of the list,
   * or taken from what was freed meanwhile first (a collector's garbage, batch after batch: pairs
   * 512 indexes apart), the objects made then lay scattered over the table, and the young
   * collection that next looked at them, on a 10 M heap, took three or four times as long as the
   * rest.
   */
  protected _takeWhileSorting(): Ref {
    // (A sort under way holds `_sortDueAt` at -1 until the table's part and the pool's are both done.)
    if (this._sortDueAt >= 0 && !this._beginSort()) return this._popFree();
    this._sortStep(SORT_STEP_INDEXES);
    if (this._pool.sorting) this._pool.sortStep(SORT_STEP_POOL);
    let ref = this._takeSetAside();
    if (ref === NULL) ref = this._takeSorted();
    if (ref === NULL && this._freeHead === NULL && this._sortPhase === SORT_LINKING) {
      this._sortStep(SORT_SEARCH_INDEXES); // nothing to hand out yet: look further (it may end the table's part)
      ref = this._takeSorted();
    }
    if (this._sortPhase === SORT_IDLE && !this._pool.sorting) this._sortDone(); // both parts
    return ref !== NULL ? ref : this._popFree();
  }

  /** The set-aside list's front (NULL once its walk is done: what is left is the scan's). */
  protected _takeSetAside(): Ref {
    const ref = this._earlierHead;
    if (ref === NULL) return NULL;
    const next = this._base[ref]!;
    if (ref === this._markHead) this._markHead = next; // (not marked yet: the walk need not see it)
    this._earlierHead = next;
    return ref;
  }

  protected _takeSorted(): Ref {
    const ref = this._sortedHead;
    if (ref === NULL) return NULL;
    this._sortedHead = this._base[ref]!;
    if (ref === this._sortedTail) this._sortedTail = NULL;
    return ref;
  }

  /** Starts a sort; false (and the next one scheduled) when the free list is too short to have scattered. */
  protected _beginSort(): boolean {
    if (this._top - 1 - this.liveObjects < SORT_AFTER_FREES) {
      this._sortChained = false;
      this._scheduleSort();
      return false;
    }
    this._sortDueAt = -1; // a step at every allocation until it is done
    this._sortBegunAt = this._deallocations;
    this._earlierHead = this._freeHead;
    this._markHead = this._freeHead;
    this._freeHead = NULL;
    this._sortedHead = NULL;
    this._sortedTail = NULL;
    this._sortEnd = this._top;
    this._sortCursor = this._top;
    this._sortPhase = SORT_MARKING;
    this._pool.beginSort();
    return true;
  }

  /** Does about `budget` of the table's part of the sort: a look at an index is one, a hop along the old list SORT_HOP. */
  protected _sortStep(budget: number): void {
    if (this._sortPhase === SORT_MARKING) budget = this._markPending(budget);
    if (this._sortPhase === SORT_LINKING && budget > 0) this._linkPending(budget);
  }

  /** MARKING: walks the set-aside list, marking each index pending; at its end the list is left to the scan. */
  protected _markPending(budget: number): number {
    const rc = this._rc;
    const base = this._base;
    let ref = this._markHead;
    let lowest = this._sortCursor;
    for (; ref !== NULL && budget > 0; budget -= SORT_HOP) {
      rc[ref] = SORT_PENDING;
      if (ref < lowest) lowest = ref;
      ref = base[ref]!;
    }
    this._markHead = ref;
    this._sortCursor = lowest;
    if (ref !== NULL) return 0;
    // What allocation has not taken is pending, and the scan's links overwrite the list's.
    this._earlierHead = NULL;
    this._sortPhase = SORT_LINKING;
    return budget;
  }

  /** LINKING: appends the pending indexes, lowest first, to the sorted list; at the end, puts it before the free list. */
  protected _linkPending(budget: number): void {
    const rc = this._rc;
    const base = this._base;
    const end = Math.min(this._sortEnd, this._sortCursor + budget);
    let tail = this._sortedTail;
    let ref = this._sortCursor;
    for (; ref < end; ref++) {
      if (rc[ref] !== SORT_PENDING) continue;
      rc[ref] = 0;
      if (tail === NULL) this._sortedHead = ref;
      else base[tail] = ref;
      tail = ref;
    }
    if (tail !== NULL) base[tail] = NULL;
    this._sortedTail = tail;
    this._sortCursor = ref;
    if (ref < this._sortEnd) return;
    if (tail !== NULL) {
      base[tail] = this._freeHead;
      this._freeHead = this._sortedHead;
    }
    this._sortedHead = NULL;
    this._sortedTail = NULL;
    this._sortPhase = SORT_IDLE;
  }

  /** Does the rest of a sort under way at once (before a pass that needs whole free lists; the caller schedules the next). */
  protected _finishSort(): void {
    this._sortStep(Infinity);
    this._pool.finishSort();
  }

  protected _popFree(): Ref {
    const ref = this._freeHead;
    if (ref !== NULL) this._freeHead = this._base[ref]!;
    return ref;
  }

  /**
   * Both parts of a sort are done. What was freed while it ran is handed out last, in the order it
   * was freed; when that is a list of its own (a collector's garbage, freed batch after batch
   * while the sort went on, lies every few hundred indexes), the next sort begins at once and
   * puts it in order too — once: a program that frees as fast as it allocates would otherwise
   * keep a sort going for good. Otherwise the next waits for frees in proportion to the table.
   */
  protected _sortDone(): void {
    this._sortChained = !this._sortChained && this._deallocations - this._sortBegunAt >= SORT_AFTER_FREES;
    if (this._sortChained) this._sortDueAt = this._deallocations - 1;
    else this._scheduleSort();
  }

  protected _scheduleSort(): void {
    this._sortDueAt = this._deallocations + Math.max(SORT_AFTER_FREES, this._top >>> 3);
  }

  /** Rebuilds the free list of indexes lowest first. */
  protected _relinkFreeIndexes(): void {
    const flags = this._flags;
    const base = this._base;
    let head: Ref = NULL;
    for (let ref = this._top - 1; ref > 0; ref--) {
      if ((flags[ref]! & FREE) === 0) continue;
      base[ref] = head;
      head = ref;
    }
    this._freeHead = head;
  }

  /**
   * Gives storage back, as pymalloc returns an arena once every pool in it is empty: free
   * indexes at the top of the object table and free blocks at the top of the slot pool stop
   * being storage, and every column, the pool and the young buffer shrink once a quarter of
   * them or less is in use (never below the size the heap was made with). Returns the bytes
   * given back. The heap does this itself at the end of an outermost release once 65,536
   * objects have been freed since the last time and a quarter of the table is free at its
   * top; `onlyIfDue` asks for that rule, as a collector does when a collection (during which
   * the heap never trims) ends.
   *
   * Ids and handles stay honest: a trimmed index answers "freed", and its next occupant, asked
   * for a serial, gets one never handed out before.
   */
  trim(options: { readonly onlyIfDue?: boolean } = {}): number {
    if (this._depth !== 0 || this._calloutDepth !== 0) return 0;
    if (options.onlyIfDue === true && !this._trimDue()) return 0;
    const before = this.reservedBytes;
    this._trimmedAt = this._deallocations;
    this._finishSort();
    this._scheduleSort();
    this._lowerTop();
    this._relinkFreeIndexes();
    this._givePoolBack();
    this._compactYoung();
    if (this._pendingTop === 0 && this._pending.length > 256) this._pending = new Int32Array(256);
    return before - this.reservedBytes;
  }

  /** Bytes of storage the heap holds now: every column at its capacity, the slot pool, the young buffer. */
  get reservedBytes(): number {
    return (
      this.columns.capacity * this.columns.bytesPerObject() +
      this._pool.capacityWords * 4 +
      this._young.byteLength +
      this._pending.byteLength
    );
  }

  /** The automatic `trim`: only between operations, never inside a finalizer, callback or collection. */
  protected _trimIfQuiet(): void {
    // The common case first, in one read: the last index is live, nothing to give back.
    if ((this._flags[this._top - 1]! & FREE) === 0) return;
    if (this._calloutDepth !== 0 || this._collector?.isCollecting === true) return;
    if (this._trimDue()) this.trim();
  }

  /**
   * Whether trimming would give back enough to pay for its passes over the table and pool:
   * many frees since the last time, and a quarter of the table or more free at its top. A
   * live last index (the common case) costs one read; a short free run at the top (churn
   * reusing the last index) waits for the next 65,536 frees.
   */
  protected _trimDue(): boolean {
    if (this._deallocations - this._trimmedAt <= SORT_AFTER_FREES) return false;
    const flags = this._flags;
    const top = this._top;
    if ((flags[top - 1]! & FREE) === 0) return false;
    const enough = Math.max(1, top >>> 2);
    let run = 1;
    while (run < enough && flags[top - 1 - run]! & FREE) run++;
    if (run < enough) this._trimmedAt = this._deallocations;
    return run >= enough;
  }

  /**
   * The slot pool's share of `trim`. When the live objects' blocks end in the lower half of
   * the pool, the free lists are remade from those blocks (one pass over the words that stay);
   * otherwise the free blocks at the top are found by walking the free lists.
   */
  protected _givePoolBack(): void {
    let end = 1;
    for (let ref = 1; ref < this._top; ref++) {
      if (!(this._rc[ref]! > 0)) continue;
      const size = this._blockWordsOf(ref);
      if (size > 0 && this._base[ref]! + size > end) end = this._base[ref]! + size;
    }
    if (end * 2 > this._pool.usedWords) {
      this._pool.sortFreeLists(true);
      return;
    }
    const live = new Uint8Array(end);
    for (let ref = 1; ref < this._top; ref++) {
      if (!(this._rc[ref]! > 0)) continue;
      const size = this._blockWordsOf(ref);
      if (size > 0) live.fill(1, this._base[ref], this._base[ref]! + size);
    }
    this._pool.rebuild(end, live);
  }

  /** Lowers the top past the free indexes at the end of the table, and shrinks the columns to suit. */
  protected _lowerTop(): void {
    const flags = this._flags;
    const oldTop = this._top;
    let top = oldTop;
    while (top > 1 && flags[top - 1]! & FREE) top--;
    if (top === oldTop) return;
    if (oldTop > this._highestTop) this._highestTop = oldTop;
    this._top = top;
    this.columns.release(top, oldTop, this._initialCapacity);
  }

  /** An object is complete: observers may look at it now (its size, its items). */
  protected _born(ref: Ref): Ref {
    if (this._sampler !== null) {
      // The object's bytes come off the sampler's countdown; the allocation that empties it is
      // the sample (tcmalloc's scheme: an object is picked in proportion to its size).
      const fixed = this._typeFixedBytes[this._type[ref]!]!;
      const bytes = fixed !== 0 ? fixed : this.columns.bytesPerObject() + this._contentBytes(ref);
      if ((this._sampleCountdown -= bytes) <= 0) this._takeSample(ref, bytes);
    }
    if (this._allocationObservers.length !== 0) this._notifyAllocated(ref, this._typeTable[this._type[ref]!]!);
    return ref;
  }

  protected _takeSample(ref: Ref, bytes: number): void {
    this._flags[ref] = this._flags[ref]! | SAMPLED;
    const type = this._typeTable[this._type[ref]!]!;
    // What the sampler itself allocates is not sampled (tracemalloc's reentrancy guard): no
    // countdown runs out while it works.
    this._sampleCountdown = Infinity;
    try {
      const next = this._sampler!.sampled(ref, type, bytes);
      if (!(next >= 0)) throw new PyValueError(`a sampler's countdown is a number of bytes >= 0, not ${String(next)}`);
      this._sampleCountdown = next;
    } catch (error) {
      this._sampleCountdown = 0; // the next allocation is offered again
      this.reportUnraisable(error, 'observer', ref);
    }
  }

  protected _notifySampledFree(ref: Ref, type: HeapTypeOf<this>): void {
    try {
      this._sampler!.freed(ref, type);
    } catch (error) {
      this.reportUnraisable(error, 'observer', `<${type.name} object>`);
    }
  }

  protected _notifyAllocated(ref: Ref, type: HeapTypeOf<this>): void {
    const observers = this._allocationObservers;
    for (let i = 0; i < observers.length; i++) {
      try {
        this._calloutDepth++;
        observers[i]!.allocated!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', ref);
      } finally {
        this._calloutDepth--;
      }
    }
  }

  protected _notifyFreed(ref: Ref, type: HeapTypeOf<this>): void {
    const observers = this._freeObservers;
    for (let i = 0; i < observers.length; i++) {
      try {
        this._calloutDepth++;
        observers[i]!.freed!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', `<${type.name} object>`);
      } finally {
        this._calloutDepth--;
      }
    }
  }

  protected _track(ref: Ref): void {
    this._flags[ref] = this._flags[ref]! | TRACKED;
    if (this._collector !== null && this._states[ref] === CollectorState.Unlisted) this._buffer(ref);
  }

  /** Puts a newly tracked object at the end of the young buffer, compacting it when stale entries pile up. */
  protected _buffer(ref: Ref): void {
    if (this._youngTop === this._young.length) this._compactYoung();
    this._young[this._youngTop++] = ref;
    this._states[ref] = CollectorState.Buffered;
  }

  /**
   * Keeps one entry per buffered object, its last, in buffer order, at `[from, top)`; returns
   * `from`. An entry is stale once its object died (the index's state is no longer Buffered)
   * or when a later entry has the same index (the object died and the index's next occupant
   * was buffered after it), so the live entry of a buffered index is its last. Walking from
   * the end, the first entry met for an index is kept and its state set to `seen` (not
   * Buffered) — the mark that makes every earlier entry of it stale; kept entries are written
   * from the top down, so they keep their order.
   */
  protected _keepLastYoungEntries(seen: number): number {
    const states = this._states;
    const young = this._young;
    let from = this._youngTop;
    for (let i = from - 1; i >= 0; i--) {
      const ref = young[i]!;
      if (ref === NULL || states[ref] !== CollectorState.Buffered) continue;
      states[ref] = seen;
      young[--from] = ref; // from > i before this write: nothing unread is overwritten
    }
    return from;
  }

  /** Drops entries of objects freed or untracked since they were buffered; grows when that frees too little. */
  protected _compactYoung(): void {
    const top = this._youngTop;
    const from = this._keepLastYoungEntries(CollectorState.Unlisted);
    const states = this._states;
    let young = this._young;
    for (let i = from; i < top; i++) states[young[i]!] = CollectorState.Buffered;
    young.copyWithin(0, from, top);
    const kept = top - from;
    this._youngTop = kept;
    if (kept * 2 > young.length) young = grownCopy(young, new Int32Array(young.length * 2));
    else if (young.length > 1024 && kept * 4 <= young.length) {
      // A collection drained a flood of young objects: the buffer need not stay that big.
      young = young.slice(0, Math.max(1024, 2 ** Math.ceil(Math.log2(kept * 2 + 1))));
    }
    this._young = young;
  }

  protected _untrack(ref: Ref): void {
    const f = this._flags[ref]!;
    this._flags[ref] = f & ~TRACKED;
    const state = this._states[ref]!;
    if (state === CollectorState.Unlisted) return;
    if (state >= CollectorState.Taken) this._collector?.unlist(ref);
    else if ((f & DYING) === 0 && this._rc[ref]! > 0) this._forgetYoungEntry(ref);
    this._states[ref] = CollectorState.Unlisted;
  }

  /**
   * A live object leaves the young buffer without dying (a tuple or dict found atomic): its
   * entry goes, so tracking it again puts it at the end, as CPython's list would. Rare, so
   * a scan from the end is fine; a dying object's entry just goes stale instead.
   */
  protected _forgetYoungEntry(ref: Ref): void {
    for (let i = this._youngTop - 1; i >= 0; i--) {
      if (this._young[i] === ref) {
        this._young[i] = NULL;
        return;
      }
    }
  }
}
