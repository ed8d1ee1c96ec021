/**
 * The protocol other packages plug into. The heap knows nothing of
 * generations, weak reference lists or allocation traces; it announces the
 * moments those need (a container allocated, tracked, untracked, freed; an
 * object with weak references dying) and gives each plugin columns of its own.
 * This is how gcmodule.c reaches the weakref machinery in CPython: through the
 * object model, never by importing it. With nothing installed each hook is a
 * null check on the hot path.
 */
import type { Ref } from './ref.ts';
import type { HeapTypeOf } from './types.ts';

/** The type of the object a hook is told about (any heap's: this file names none, so as not to import heap.ts, which imports it). */
type HeapType = HeapTypeOf<unknown>;

/**
 * What a cycle collector implements. One per heap.
 *
 * The heap does the per-allocation bookkeeping itself, as CPython's object model does
 * for generation 0: it counts containers allocated minus freed (`Heap.youngCount`) and
 * keeps every newly tracked container in a young buffer, so allocating and freeing a
 * young object costs the collector nothing. The collector takes young objects over with
 * `Heap.takeYoung` (they become *listed*: it keeps them in generations of its own), and
 * hears about a listed object only when it stops being tracked.
 *
 * Where each object stands is one byte of the heap's collector-state column
 * (`Heap.collectorStates`, handed over by `stateColumnMoved`): `CollectorState.Unlisted` (0)
 * and `Buffered` are the heap's; `takeYoung` leaves what it hands over at `Taken`, and every
 * value from `Taken` up is the collector's own (its generations, a collection's phases). An
 * object whose state is `Taken` or above is listed: untracking it calls `unlist`.
 */
export interface CollectorProtocol {
  /**
   * `Heap.youngCount` passed `Heap.youngThreshold` on a container allocation (CPython's
   * check in `_PyObject_GC_Link`); the new container is not tracked yet. Collect, or not.
   */
  youngThresholdExceeded(): void;
  /** A listed object stopped being tracked (it is being freed, or was untracked): forget it. The heap then sets its state to `Unlisted`. */
  unlist(ref: Ref): void;
  /**
   * The collector-state column, at install and whenever the object table grows or shrinks
   * (the array is replaced then): a collector caching it refreshes it here.
   */
  stateColumnMoved?(states: Uint8Array): void;
  /** Checks the collector's own invariants for `Heap.verify()`; throws a HeapCorruptionError. */
  verify?(): void;
  /**
   * Whether a collection is running. The heap gives storage back (`Heap.trim`) only between
   * collections, since a collector may be walking indexes trimming would drop; one that
   * answers this calls `heap.trim({ onlyIfDue: true })` when a collection ends.
   */
  readonly isCollecting?: boolean;
}

/** Where `Heap.takeYoungInto` appends what it hands over: a collector's own buffer of refs. */
export interface YoungSink {
  /** Appends `refs[from, to)`, in order. */
  pushFrom(refs: Int32Array, from: number, to: number): void;
}

/** Values of the collector-state column that the heap gives meaning to (see `CollectorProtocol`). */
export const CollectorState: {
  /** In none of the collector's lists, nor in the heap's young buffer (every untracked object). */
  readonly Unlisted: 0;
  /** Tracked and in the heap's young buffer, not yet taken by the collector. */
  readonly Buffered: 1;
  /** What `takeYoung` hands over is left here; this value and every one above it is the collector's. */
  readonly Taken: 2;
} = Object.freeze({ Unlisted: 0, Buffered: 1, Taken: 2 } as const);

/**
 * What a weak-reference implementation provides. One per heap. The heap calls it when an
 * object with weak references dies; a collector calls it to clear the weak references
 * into its garbage before any finalizer runs (CPython's `handle_weakrefs`).
 */
export interface WeakrefProtocol {
  /**
   * Deallocation path (CPython's `PyObject_ClearWeakRefs`): clear every weak reference
   * to `ref`, then call their callbacks; exceptions go to the heap's unraisable hook.
   */
  clearAndNotify(ref: Ref): void;
  /**
   * Collector path: clear every weak reference to `ref` without calling anything, and
   * report each cleared weakref that has a callback still to call.
   */
  clearQuietly(ref: Ref, withCallback: (weakref: Ref) => void): void;
  /** Calls the callback of a weakref that `clearQuietly` reported (the caller holds a reference to it). */
  invokeCallback(weakref: Ref): void;
  /** Whether `ref` is itself a weak reference object. */
  isWeakref(ref: Ref): boolean;
  /** Detaches a weak reference object from its referent, without calling its callback (`_PyWeakref_ClearRef`). */
  detach(weakref: Ref): void;
  /** Checks the weakref lists for `Heap.verify()`; throws a HeapCorruptionError. */
  verify?(): void;
}

/**
 * Samples allocations by size, as tcmalloc and V8's sampling heap profiler do (the monitor's
 * tracemalloc). The heap counts each allocation's bytes down from a countdown the sampler sets;
 * the allocation that exhausts it is handed over, complete, and its free is reported later.
 * Between samples the heap calls nothing: what sampling costs is a subtraction per allocation
 * and a flag test per free. One per heap.
 */
export interface AllocationSampler {
  /**
   * `ref` (borrowed; `bytes` is its `Heap.sizeOf`) emptied the countdown. Returns the bytes to
   * let go by before the next sample: 0 samples every allocation.
   */
  sampled(ref: Ref, type: HeapType, bytes: number): number;
  /** A sampled object was freed (its index is already free). */
  freed(ref: Ref, type: HeapType): void;
}

/** Watches allocations and deallocations (statistics, the lab's drawing). Each hook it implements is called for every object. */
export interface HeapObserver {
  allocated?(ref: Ref, type: HeapType): void;
  freed?(ref: Ref, type: HeapType): void;
  /** `Heap.close()` was called: the interpreter is exiting (weakref.finalize's atexit hook runs here). */
  closing?(): void;
}

/** Where an ignored exception came from. */
export type UnraisablePhase =
  | 'finalizer'
  | 'weakref callback'
  | 'gc callback'
  | 'gc clock'
  | 'finalize callback'
  | 'clear'
  | 'observer'
  | 'leaked handle';

/** An exception that could not propagate (CPython's `sys.unraisablehook` argument). */
export interface Unraisable {
  readonly error: unknown;
  readonly phase: UnraisablePhase;
  /** The object whose finalizer or callback raised, described as CPython would. */
  readonly object: string;
  /** CPython's first line: `Exception ignored in: <…>`. */
  readonly message: string;
}

export type UnraisableHook = (info: Unraisable) => void;
