/**
 * The protocol side: where a collector, weak references, a sampler and observers plug in,
 * the callout guard, unraisable errors, close().
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { PyTypeError, PyValueError } from './errors.ts';
import {
  type CloseReport,
  FINALIZED,
  HAS_WEAKREFS,
  type HeapOptions,
  IMMORTAL,
  SAMPLED,
  TRACKED,
} from './heap-definitions.ts';
import { defaultUnraisable } from './heap-helpers.ts';
import { HeapTraversal } from './heap-traversal.ts';
import {
  type AllocationSampler,
  type CollectorProtocol,
  CollectorState,
  type HeapObserver,
  type UnraisableHook,
  type UnraisablePhase,
  type WeakrefProtocol,
  type YoungSink,
} from './protocol.ts';
import type { Ref } from './ref.ts';
import { Kind } from './types.ts';

export abstract class HeapPlugins extends HeapTraversal {
  constructor(options: HeapOptions = {}) {
    super(options);
    if ((options.serials ?? (options.tag === undefined ? 'when-asked' : 'at-birth')) === 'at-birth') {
      // Numbered in index order now, and each newcomer at its birth, before other observers see it.
      for (let ref = 1; ref < this._top; ref++) if (this._rc[ref]! > 0) this.serialOf(ref);
      this.addObserver({ allocated: (ref) => void this.serialOf(ref) });
    }
  }

  /**
   * Installs the cycle collector. It is told about every object tracked so far, then about
   * each allocation, track, untrack and free. Returns a function that uninstalls it.
   */
  installCollector(collector: CollectorProtocol): () => void {
    if (this._collector) throw new PyTypeError('this heap already has a collector');
    this._collector = collector;
    collector.stateColumnMoved?.(this._states);
    for (let ref = 1; ref < this._top; ref++) {
      if (this._rc[ref]! > 0 && this._flags[ref]! & TRACKED) this._buffer(ref);
    }
    return () => {
      if (this._collector !== collector) return;
      this._collector = null;
      this._youngTop = 0;
      this._youngThreshold = 0x7fff_ffff;
      this._states.fill(CollectorState.Unlisted);
    };
  }

  /** Installs the weak-reference implementation. Returns a function that uninstalls it. */
  installWeakrefs(weakrefs: WeakrefProtocol): () => void {
    if (this._weakrefs) throw new PyTypeError('this heap already has a weakref implementation');
    this._weakrefs = weakrefs;
    return () => {
      if (this._weakrefs === weakrefs) this._weakrefs = null;
    };
  }

  /**
   * Installs the allocation sampler: `countdown` bytes of allocations from now, and then
   * whenever the countdown it returns runs out, the heap hands it an allocation and
   * reports that object's free. One per heap. Returns a function that uninstalls it.
   */
  installSampler(sampler: AllocationSampler, countdown: number): () => void {
    if (this._sampler) throw new PyTypeError('this heap already has an allocation sampler');
    if (!(countdown >= 0)) throw new PyValueError(`a sampler's countdown is a number of bytes >= 0, not ${String(countdown)}`);
    this._sampler = sampler;
    this._sampleCountdown = countdown;
    return () => {
      if (this._sampler !== sampler) return;
      this._sampler = null;
      const flags = this._flags;
      for (let ref = 1; ref < this._top; ref++) flags[ref] = flags[ref]! & ~SAMPLED;
    };
  }

  /** Gen-0 count: containers allocated minus containers freed since `resetYoungCount`. */
  get youngCount(): number {
    return this._youngCount;
  }

  resetYoungCount(): void {
    this._youngCount = 0;
  }

  /** Past this young count, each container allocation calls the collector's `youngThresholdExceeded`. */
  get youngThreshold(): number {
    return this._youngThreshold;
  }

  set youngThreshold(threshold: number) {
    this._youngThreshold = threshold;
  }

  /**
   * Hands the young buffer to the collector: every still-tracked object in it, once each and
   * in the order they were tracked, now listed (state `CollectorState.Taken`). The returned
   * array is a view that the next allocation may overwrite; copy it out first.
   */
  takeYoung(): Int32Array {
    const top = this._youngTop;
    const from = this._keepLastYoungEntries(CollectorState.Taken);
    this._youngTop = 0;
    return this._young.subarray(from, top);
  }

  /**
   * `takeYoung` into the collector's own buffer: no view is made (a view is an object for the
   * JS engine's collector to sweep up, at every young collection).
   */
  takeYoungInto(into: YoungSink): void {
    const top = this._youngTop;
    const from = this._keepLastYoungEntries(CollectorState.Taken);
    this._youngTop = 0;
    into.pushFrom(this._young, from, top);
  }

  /** Marks a drained object as no longer listed (the collector dropped it without untracking). */
  unlisted(ref: Ref): void {
    this._states[ref] = CollectorState.Unlisted;
  }

  /** The installed weak-reference implementation, if any (the collector's handle_weakrefs uses it). */
  get weakrefs(): WeakrefProtocol | null {
    return this._weakrefs;
  }

  /** Adds an observer of allocations and frees. Returns a function that removes it. */
  addObserver(observer: HeapObserver): () => void {
    this._observers = [...this._observers, observer];
    this._sortObservers();
    return () => {
      this._observers = this._observers.filter((o) => o !== observer);
      this._sortObservers();
    };
  }

  /** Each hot path calls only the observers that implement its hook (weakref.finalize listens for `closing` alone). */
  protected _sortObservers(): void {
    this._allocationObservers = this._observers.filter((o) => o.allocated !== undefined);
    this._freeObservers = this._observers.filter((o) => o.freed !== undefined);
    this._refreshQuietAtoms();
  }

  /**
   * Shuts the heap down, as an interpreter exits: observers' `closing` hooks run (the
   * weakref package's `finalize` calls the finalizers still pending, newest first, like
   * CPython's atexit). Objects still referenced are not freed, and the report says what
   * they are, counted by type — a leak shows up at the latest here.
   *
   * With `finalize: true`, every live object whose finalizer has not run gets it run now,
   * newest index first, so no file or buffer outlives its heap. CPython's shutdown aims at
   * the same (finalize_modules clears modules so their objects' `__del__` run) without the
   * promise; here it is a promise: each runs once, exceptions reported as unraisable. The
   * objects stay allocated. Calling `close` again does nothing and reports nothing alive.
   */
  close(options: { readonly finalize?: boolean } = {}): CloseReport {
    if (this._closed) return { alive: [], total: 0, finalized: 0 };
    this._closed = true;
    for (const observer of this._observers) {
      try {
        observer.closing?.();
      } catch (error) {
        this.reportUnraisable(error, 'observer', 'heap shutdown');
      }
    }
    let finalized = 0;
    if (options.finalize === true) {
      for (let ref = this._top - 1; ref > 0; ref--) {
        if (!(this._rc[ref]! > 0) || this._typeFinalizes[this._type[ref]!] !== 1 || this._flags[ref]! & FINALIZED) continue;
        this.incref(ref); // the finalizer may drop references to its own object
        this.callFinalizer(ref);
        finalized++;
        this.decref(ref);
      }
    }
    return { ...this._aliveByType(), finalized };
  }

  /** Live objects that are not the heap's own (singletons, small ints, interned str, classes), by type. */
  protected _aliveByType(): { alive: { type: string; count: number }[]; total: number } {
    const counts = new Map<string, number>();
    const classDicts = new Set<Ref>();
    for (const cls of this._classTypes.keys()) classDicts.add(this._words[this._base[cls]!]!);
    let total = 0;
    for (let ref = 1; ref < this._top; ref++) {
      if (!(this._rc[ref]! > 0) || this._flags[ref]! & IMMORTAL) continue;
      const type = this._typeTable[this._type[ref]!]!;
      if (type.kind === Kind.Type || classDicts.has(ref)) continue;
      if (type.kind === Kind.Str && this._interned.get(this._payloads[this._base[ref]!] as string) === ref) continue;
      counts.set(type.name, (counts.get(type.name) ?? 0) + 1);
      total++;
    }
    const alive = [...counts].map(([type, count]) => ({ type, count }));
    alive.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    return { alive, total };
  }

  /**
   * Runs code that is not the heap's own — a finalizer, a weakref or gc callback — one level
   * deeper (`calloutDepth`). What such code makes belongs to it: a handle it makes does not
   * join a scope that was open around the deallocation or collection that called it.
   */
  callOut<R>(body: () => R): R {
    this._calloutDepth++;
    try {
      return body();
    } finally {
      this._calloutDepth--;
    }
  }

  /** How many finalizers and callbacks are running, one inside another (see `callOut`). */
  get calloutDepth(): number {
    return this._calloutDepth;
  }

  /**
   * Whether anything hears of allocations or frees: a sampler, an allocation or a free
   * observer. While nothing does, an object made and freed at once is seen by no one, so an
   * interpreter may leave it unmade (an intermediate int: `i * 2` in `total += i * 2`).
   */
  get allocationsObserved(): boolean {
    return this._sampler !== null || this._allocationObservers.length !== 0 || this._freeObservers.length !== 0;
  }

  /** Whether `close` has been called. */
  get closed(): boolean {
    return this._closed;
  }

  /** Marks whether weak references point at `ref` (the weakref package keeps the lists). */
  setHasWeakrefs(ref: Ref, has: boolean): void {
    this._checkLive(ref);
    const flags = this._flags[ref]!;
    this._flags[ref] = has ? flags | HAS_WEAKREFS : flags & ~HAS_WEAKREFS;
  }

  hasWeakrefs(ref: Ref): boolean {
    return (this._flags[ref]! & HAS_WEAKREFS) !== 0;
  }

  /** The raw count column: collectors read it in bulk (update_refs). Valid until the next allocation. */
  get refcounts(): Int32Array {
    return this._rc;
  }

  /** The raw flags column (see `Flag`). Valid until the next allocation. */
  get flags(): Uint8Array {
    return this._flags;
  }

  /**
   * The collector-state column (see `CollectorProtocol`): one byte per object, the collector's
   * to write from `CollectorState.Taken` up. Valid until the next allocation (`stateColumnMoved`
   * hands over the next one).
   */
  get collectorStates(): Uint8Array {
    return this._states;
  }

  /** One past the highest index ever allocated: loops over every object stop here. */
  get highWater(): number {
    return this._top;
  }

  /** Calls `visit` with each live object, in index order (borrowed). */
  forEachObject(visit: (ref: Ref) => void): void {
    for (let ref = 1; ref < this._top; ref++) if (this._rc[ref]! > 0) visit(ref);
  }

  /** Where ignored exceptions go (CPython's `sys.unraisablehook`). */
  get unraisable(): UnraisableHook {
    return this._unraisable;
  }

  set unraisable(hook: UnraisableHook) {
    this._unraisable = hook;
  }

  /** Reports an exception that cannot propagate; never throws. */
  override reportUnraisable(error: unknown, phase: UnraisablePhase, about: Ref | string): void {
    let object: string;
    try {
      object = typeof about === 'string' ? about : this.describe(about);
    } catch {
      object = `<object ${String(about)}>`;
    }
    const message = `Exception ignored in: ${phase === 'finalizer' ? `<finalizer of ${object}>` : object}`;
    try {
      this._unraisable({ error, phase, object, message });
    } catch (hookError) {
      defaultUnraisable({ error: hookError, phase, object, message: `${message} (and the unraisable hook raised)` });
    }
  }
}
