/**
 * `weakref.finalize`: a function called once — when its object dies, when the finalizer
 * itself is called, or when the heap is closed (CPython's atexit hook, newest first).
 * As in Lib/weakref.py, the finalizer holds a weak reference to its object whose callback
 * is the registry's, and the registry (not the object) holds the finalizer, so a finalizer
 * can never be part of a reference cycle with its object.
 */
import { Handle, type Heap, type HeapObserver, PyTypeError, type Ref } from '@refheap/core';
import type { RawCallback } from './raw-callback.ts';

/**
 * What the finalizers ask of their heap's `Weakrefs`, by shape: `Weakrefs.finalize` makes
 * them, so naming the class here would import it back in a circle.
 */
export interface FinalizerTable {
  readonly heap: Heap;
  ref(obj: Ref, callback: RawCallback, data: number): Ref;
  deref(wr: Ref): Ref;
  dataOf(wr: Ref): number;
}

/** What a finalizer calls. */
export type FinalizeCallback<A extends unknown[], R> = (...args: A) => R;

/** What `peek()` and `detach()` return: CPython's `(obj, func, args)`. */
export interface FinalizerInfo<A extends unknown[], R> {
  /** A new handle to the object (release it). */
  readonly object: Handle;
  readonly fn: FinalizeCallback<A, R>;
  readonly args: A;
}

/** Package-internal: what the registry calls on a finalizer. */
let fire: (finalizer: Finalizer<never, unknown>) => void;

/** The finalizers of one heap: CPython's `finalize._registry` and its atexit function. */
export class FinalizerRegistry {
  readonly weakrefs: FinalizerTable;
  readonly #live: (Finalizer<never, unknown> | undefined)[] = [undefined];
  readonly #freeIds: number[] = [];
  #created = 0;
  /** A finalizer was made since the exit list was taken (CPython's `_dirty`). */
  #dirty = false;
  #shutdown = false;
  #observing = false;

  /** The callback of every finalizer's weak reference; the weak reference's data is the finalizer's id. */
  readonly onDeath: RawCallback = (wr) => {
    const finalizer = this.#live[this.weakrefs.dataOf(wr)];
    if (finalizer !== undefined) fire(finalizer);
  };

  constructor(weakrefs: FinalizerTable) {
    this.weakrefs = weakrefs;
    this.#shutdown = weakrefs.heap.closed;
  }

  /** Whether the heap has been closed: finalizers no longer call anything (CPython's `_shutdown`). */
  get shutdown(): boolean {
    return this.#shutdown;
  }

  /** Takes an id for a finalizer about to be made (its weak reference carries the id). */
  reserve(): number {
    if (!this.#observing) {
      // Only once a finalizer exists: an observer puts every allocation on the notification path.
      this.#observing = true;
      const observer: HeapObserver = { closing: () => this.#exit() };
      this.weakrefs.heap.addObserver(observer);
    }
    const id = this.#freeIds.pop() ?? this.#live.length;
    this.#live[id] = undefined;
    return id;
  }

  /** Registers the finalizer under its reserved id; returns its place in creation order. */
  add(id: number, finalizer: Finalizer<never, unknown>): number {
    this.#live[id] = finalizer;
    this.#dirty = true;
    return this.#created++;
  }

  /** Gives an id back (the finalizer was called or detached, or never made). */
  remove(id: number): void {
    this.#live[id] = undefined;
    this.#freeIds.push(id);
  }

  /** `finalize._exitfunc`: every live finalizer with `atexit` set, newest first, then shutdown. */
  #exit(): void {
    let pending: Finalizer<never, unknown>[] | undefined;
    for (;;) {
      if (pending === undefined || this.#dirty) {
        pending = this.#live.filter((f): f is Finalizer<never, unknown> => f !== undefined && f.atexit);
        pending.sort((a, b) => a.order - b.order);
        this.#dirty = false;
      }
      const finalizer = pending.pop();
      if (finalizer === undefined) break;
      fire(finalizer);
    }
    this.#shutdown = true;
  }
}

/**
 * A finalizer (see `Weakrefs.finalize` and `finalize`). Handle arguments are duplicated
 * when it is made and released after the call, so they live at least as long as it does —
 * which means that passing the object itself keeps it alive forever, as in CPython.
 */
export class Finalizer<A extends unknown[] = unknown[], R = unknown> {
  readonly #registry: FinalizerRegistry;
  readonly #fn: FinalizeCallback<A, R>;
  readonly #args: A;
  /** The weak reference to the object (owned), 0 once the finalizer is dead. */
  #weakref: Ref;
  /** The finalizer's own address in its repr, fixed at creation. */
  readonly #address: string;
  #id: number;
  #atexit = true;
  /** Creation order: the heap's close runs finalizers newest first. */
  readonly order: number;

  static {
    fire = (finalizer) => finalizer.#fire();
  }

  constructor(registry: FinalizerRegistry, obj: Ref, fn: FinalizeCallback<A, R>, args: A) {
    if (typeof fn !== 'function') throw new PyTypeError(`finalize() expects a function, not ${typeof fn}`);
    this.#registry = registry;
    this.#fn = fn;
    const id = registry.reserve();
    try {
      // The weak reference first: an object that cannot be weakly referenced raises before anything is kept.
      this.#weakref = registry.weakrefs.ref(obj, registry.onDeath, id);
    } catch (error) {
      registry.remove(id);
      throw error;
    }
    // A finalizer lives in JS, not on the heap; the address of its weak reference (a heap
    // object made for it alone, alive as long as the finalizer is) stands for its own.
    this.#address = registry.weakrefs.heap.hexId(this.#weakref);
    this.#args = args.map((arg) => (arg instanceof Handle ? arg.dup() : arg)) as A;
    this.#id = id;
    this.order = registry.add(id, this as unknown as Finalizer<never, unknown>);
  }

  /** Whether the finalizer has not been called or detached yet. */
  get alive(): boolean {
    return this.#id !== 0;
  }

  /** Whether closing the heap calls it (default true). */
  get atexit(): boolean {
    return this.#id !== 0 && this.#atexit;
  }

  set atexit(value: boolean) {
    if (this.#id !== 0) this.#atexit = value;
  }

  /**
   * `f()`: if alive, marks it dead and returns `fn(...args)`; otherwise undefined. After the
   * heap has been closed it only marks it dead, as CPython does after shutdown.
   */
  call(): R | undefined {
    if (!this.#take()) return undefined;
    const args = this.#args;
    try {
      return this.#registry.shutdown ? undefined : this.#fn(...args);
    } finally {
      releaseHandles(args);
    }
  }

  /** If alive and the object is too: marks it dead and returns the object (a new handle), the function and the arguments (now yours). */
  detach(): FinalizerInfo<A, R> | undefined {
    const object = this.#object();
    if (object === undefined) return undefined;
    this.#take();
    return { object, fn: this.#fn, args: this.#args };
  }

  /** If alive and the object is too: the object (a new handle), the function and the arguments (still the finalizer's). */
  peek(): FinalizerInfo<A, R> | undefined {
    const object = this.#object();
    if (object === undefined) return undefined;
    return { object, fn: this.#fn, args: this.#args };
  }

  /** `<finalize object at 0x…; for 'Node' at 0x…>` or `<finalize object at 0x…; dead>`. */
  repr(): string {
    const heap = this.#registry.weakrefs.heap;
    const obj = this.#id === 0 ? 0 : this.#registry.weakrefs.deref(this.#weakref);
    if (obj === 0) return `<finalize object at ${this.#address}; dead>`;
    return `<finalize object at ${this.#address}; for '${heap.typeOf(obj).name}' at ${heap.hexId(obj)}>`;
  }

  toString(): string {
    return this.repr();
  }

  #object(): Handle | undefined {
    if (this.#id === 0) return undefined;
    const weakrefs = this.#registry.weakrefs;
    const obj = weakrefs.deref(this.#weakref);
    if (obj === 0) return undefined;
    weakrefs.heap.incref(obj);
    return new Handle(weakrefs.heap, obj);
  }

  /** Marks it dead: out of the registry, its weak reference dropped. False when it already was. */
  #take(): boolean {
    if (this.#id === 0) return false;
    this.#registry.remove(this.#id);
    this.#id = 0;
    const wr = this.#weakref;
    this.#weakref = 0;
    this.#registry.weakrefs.heap.decref(wr);
    return true;
  }

  /** Called from the weak reference's callback or at exit: an exception is reported, never thrown. */
  #fire(): void {
    try {
      this.#registry.weakrefs.heap.callOut(() => this.call());
    } catch (error) {
      this.#registry.weakrefs.heap.reportUnraisable(error, 'finalize callback', this.repr());
    }
  }
}

function releaseHandles(args: readonly unknown[]): void {
  for (const arg of args) if (arg instanceof Handle && !arg.released) arg.release();
}
