/**
 * The weak references of one heap: CPython's Objects/weakrefobject.c on refheap's object
 * table, plugged into the heap through core's `WeakrefProtocol` (so the collector reaches
 * it through the object model, never by importing this package).
 *
 * A weak reference is a real heap object — it has an id, can sit in a list, can be garbage
 * itself — of type `weakref.ReferenceType` or `weakref.ProxyType`. Its state lives in this
 * table's typed arrays, one row per weak reference object, and the rows pointing at one
 * referent form a doubly linked list in CPython's order: the shared callback-less ref, then
 * the shared callback-less proxy, then every other weak reference, newest first.
 *
 * One per-object column holds, for a referent, the first row of its list, and for a weak
 * reference object, its own row (a weak reference cannot itself be weakly referenced, so
 * the two uses never meet). Rows are reached with a column read, never a JS object, so
 * making and clearing a weak reference allocates nothing in JS; callbacks sit in an array
 * indexed by row.
 */
import {
  ForeignHeapError,
  Handle,
  type Heap,
  HeapCorruptionError,
  type HeapType,
  PyReferenceError,
  PyTypeError,
  type Ref,
  type WeakrefProtocol,
} from '@refheap/core';
import { type FinalizeCallback, Finalizer, type FinalizerTable, FinalizerRegistry } from './finalize.ts';
import { foldHash } from './hash.ts';
import type { RawCallback } from './raw-callback.ts';
import { WeakReference, type WeakReferenceTable, type WeakrefCallback } from './weak-reference.ts';

/** Row flags. */
const PROXY = 1;
const HASHED = 2;
/** The callback takes a `WeakReference` handle, not a raw ref. */
const HANDLE_CALLBACK = 4;
/** Carries owner data (CPython's KeyedRef): never shared the way a basic ref is. */
const KEYED = 8;

const INITIAL_ROWS = 64;

/** What package modules use that the public API does not show. */
export interface WeakrefInternals {
  create(
    weakrefs: Weakrefs,
    obj: Ref,
    proxy: boolean,
    callback: RawCallback | WeakrefCallback | undefined,
    handleCallback: boolean,
  ): Ref;
  /** Sets the owner data of a weak reference made without (a table learns its entry after the allocation). */
  setData(weakrefs: Weakrefs, wr: Ref, data: number): void;
}

/** Set by `Weakrefs`' static block; package-internal, not exported from the entry. */
export let internals: WeakrefInternals;

/**
 * The weak-reference machinery of one heap, in the raw layer: every argument is a `Ref`,
 * constructors return new references, `deref` returns a borrowed one (or NULL).
 *
 *     const weakrefs = Weakrefs.of(heap);
 *     const r = weakrefs.ref(x, (wr) => console.log('gone'));  // new reference
 *     weakrefs.deref(r) === x;                                // borrowed
 *     heap.decref(x);                                         // prints 'gone'
 *     weakrefs.deref(r) === NULL;
 *     heap.decref(r);
 */
export class Weakrefs implements WeakrefProtocol, WeakReferenceTable, FinalizerTable {
  readonly heap: Heap;
  /** `weakref.ReferenceType`. */
  readonly referenceType: HeapType;
  /** `weakref.ProxyType`. */
  readonly proxyType: HeapType;

  /** Per object: first row of its weakref list (a referent), or its own row (a weakref object). */
  #cell!: Int32Array;

  // One row per live weak reference object; row 0 is "none".
  #rowRef = new Int32Array(INITIAL_ROWS);
  #object = new Int32Array(INITIAL_ROWS);
  #prev = new Int32Array(INITIAL_ROWS);
  #next = new Int32Array(INITIAL_ROWS);
  #hash = new Int32Array(INITIAL_ROWS);
  #data = new Int32Array(INITIAL_ROWS);
  #flags = new Uint8Array(INITIAL_ROWS);
  #callbacks: (RawCallback | WeakrefCallback | undefined)[] = new Array<undefined>(INITIAL_ROWS).fill(undefined);
  #freeRows = new Int32Array(INITIAL_ROWS);
  #freeTop = 0;
  #rowTop = 1;
  #live = 0;

  // What PyObject_ClearWeakRefs keeps in its tuple: the weakrefs whose callbacks are due,
  // on a stack, since a callback may free another object with weak references.
  #dueRefs = new Int32Array(64);
  #dueCallbacks: (RawCallback | WeakrefCallback | undefined)[] = [];
  #dueFlags = new Uint8Array(64);
  #dueTop = 0;

  // The callback `#call` is about to run and its arguments (see `#call`).
  #nextCallback: RawCallback | WeakrefCallback | undefined;
  #nextFlags = 0;
  #nextRef: Ref = 0;

  #finalizers: FinalizerRegistry | undefined;

  static {
    internals = {
      create: (weakrefs, obj, proxy, callback, handleCallback) =>
        weakrefs.#create(obj, proxy ? PROXY : 0, callback, 0, handleCallback ? HANDLE_CALLBACK : 0),
      setData: (weakrefs, wr, data) => {
        const row = weakrefs.#rowOf(wr);
        weakrefs.#data[row] = data;
        weakrefs.#flags[row] = weakrefs.#flags[row]! | KEYED;
      },
    };
  }

  /** The heap's weak references, installing them the first time. */
  static of(heap: Heap): Weakrefs {
    const installed = heap.weakrefs;
    return installed instanceof Weakrefs ? installed : new Weakrefs(heap);
  }

  /** Installs weak references on `heap` (one implementation per heap; `Weakrefs.of` finds it again). */
  constructor(heap: Heap) {
    if (heap.weakrefs !== null) throw new PyTypeError('this heap already has a weakref implementation');
    this.heap = heap;
    const repr = (_heap: Heap, self: Ref): string => this.repr(self);
    const spec = { slots: [], weakrefable: false, clear: this.#clearHook, repr };
    this.referenceType = heap.defineClass('weakref.ReferenceType', spec);
    this.proxyType = heap.defineClass('weakref.ProxyType', spec);
    heap.columns.attach(Int32Array, 0, (array) => (this.#cell = array));
    heap.installWeakrefs(this);
  }

  // ─── Making weak references ────────────────────────────────────────────────

  /**
   * `weakref.ref(obj, callback)`: a new reference to a weak reference to `obj`. Without a
   * callback (and without `data`) it is the one shared ref CPython hands out again and
   * again. `data` is an integer the owner can read back with `dataOf` (CPython's KeyedRef:
   * one callback for many weak references, each knowing its key); a ref with data is never
   * shared. Raises `TypeError: cannot create weak reference to 'int' object` for types that
   * cannot be weakly referenced.
   */
  ref(obj: Ref, callback?: RawCallback | null, data = 0): Ref {
    return this.#create(obj, 0, callback ?? undefined, data, 0);
  }

  /** `weakref.proxy(obj, callback)`: a new reference to a proxy object; see `proxy()` for the JS side. */
  proxy(obj: Ref, callback?: RawCallback | null): Ref {
    return this.#create(obj, PROXY, callback ?? undefined, 0, 0);
  }

  #create(
    obj: Ref,
    kind: number,
    callback: RawCallback | WeakrefCallback | undefined,
    data: number,
    mode: number,
  ): Ref {
    const heap = this.heap;
    const type = heap.typeOf(obj);
    if (!type.weakrefable) {
      throw new PyTypeError(`cannot create weak reference to '${type.name}' object`, heap.describe(obj));
    }
    if (data !== 0 && (data | 0) !== data) {
      throw new PyTypeError(`weakref data must be a 32-bit integer, not ${String(data)}`);
    }
    const basic = callback === undefined && data === 0;
    if (basic) {
      const shared = this.#basicOf(obj, kind);
      if (shared !== 0) return this.#share(shared);
    }
    const wr = heap.newInstance(kind === PROXY ? this.proxyType : this.referenceType);
    // The allocation may have run a collection, and its callbacks may have made a basic
    // ref or proxy meanwhile (CPython checks again for the same reason).
    if (basic) {
      const shared = this.#basicOf(obj, kind);
      if (shared !== 0) {
        heap.decref(wr);
        return this.#share(shared);
      }
    }
    if (!heap.isAlive(obj)) {
      heap.decref(wr);
      heap.typeOf(obj); // raises UseAfterFreeError naming it
    }
    const row = this.#allocateRow();
    this.#cell[wr] = row;
    this.#rowRef[row] = wr;
    this.#object[row] = obj;
    this.#data[row] = data;
    this.#flags[row] = kind | mode | (data !== 0 ? KEYED : 0);
    this.#callbacks[row] = callback;
    this.#insert(row, obj);
    return wr;
  }

  /** A new reference to a shared basic ref or proxy. */
  #share(row: number): Ref {
    const wr = this.#rowRef[row]!;
    this.heap.incref(wr);
    return wr;
  }

  /** Whether the row is a callback-less, data-less ref or proxy (CPython's "basic" refs). */
  #isBasic(row: number): boolean {
    return this.#callbacks[row] === undefined && (this.#flags[row]! & KEYED) === 0;
  }

  /** The shared basic ref (kind 0) or proxy (kind PROXY) of `obj`, or 0 (get_basic_refs). */
  #basicOf(obj: Ref, kind: number): number {
    let row = this.#cell[obj]!;
    if (row === 0 || !this.#isBasic(row)) return 0;
    if ((this.#flags[row]! & PROXY) === 0) {
      if (kind === 0) return row;
      row = this.#next[row]!;
      if (row === 0 || !this.#isBasic(row)) return 0;
    }
    return kind === PROXY && (this.#flags[row]! & PROXY) !== 0 ? row : 0;
  }

  /**
   * Links a new row into `obj`'s list where CPython puts it: a basic ref first, a basic
   * proxy after the basic ref, anything else right after the basic ones.
   */
  #insert(row: number, obj: Ref): void {
    const cell = this.#cell;
    const next = this.#next;
    const prev = this.#prev;
    const head = cell[obj]!;
    let basicRef = 0;
    let basicProxy = 0;
    let at = head;
    if (at !== 0 && this.#isBasic(at)) {
      if ((this.#flags[at]! & PROXY) === 0) {
        basicRef = at;
        at = next[at]!;
      }
      if (at !== 0 && this.#isBasic(at) && (this.#flags[at]! & PROXY) !== 0) basicProxy = at;
    }
    let after: number;
    if (this.#isBasic(row)) after = (this.#flags[row]! & PROXY) === 0 ? 0 : basicRef;
    else after = basicProxy !== 0 ? basicProxy : basicRef;
    if (after === 0) {
      prev[row] = 0;
      next[row] = head;
      if (head !== 0) prev[head] = row;
      cell[obj] = row;
    } else {
      const following = next[after]!;
      prev[row] = after;
      next[row] = following;
      if (following !== 0) prev[following] = row;
      next[after] = row;
    }
    if (head === 0) this.heap.setHasWeakrefs(obj, true);
  }

  /** Takes a row out of its referent's list and marks it dead (the referent becomes None). */
  #unlink(row: number): void {
    const obj = this.#object[row]!;
    if (obj === 0) return;
    const p = this.#prev[row]!;
    const n = this.#next[row]!;
    if (p !== 0) this.#next[p] = n;
    else this.#cell[obj] = n;
    if (n !== 0) this.#prev[n] = p;
    this.#prev[row] = 0;
    this.#next[row] = 0;
    this.#object[row] = 0;
  }

  /** `#unlink`, and the referent's flag when its list is empty and it is still alive. */
  #unlinkAndFlag(row: number): void {
    const obj = this.#object[row]!;
    if (obj === 0) return;
    this.#unlink(row);
    if (this.#cell[obj] === 0 && this.heap.isAlive(obj)) this.heap.setHasWeakrefs(obj, false);
  }

  /**
   * The type's clear hook: `clear_weakref` (tp_clear, and the weakref's own deallocation):
   * unlinks it and drops its callback. When the weak reference object is being freed, its
   * row goes back to the table.
   */
  readonly #clearHook = (heap: Heap, self: Ref): void => {
    const row = this.#cell[self]!;
    if (row === 0 || this.#rowRef[row] !== self) return;
    this.#unlinkAndFlag(row);
    this.#callbacks[row] = undefined;
    if (!heap.isAlive(self)) {
      this.#cell[self] = 0;
      this.#freeRow(row);
    }
  };

  // ─── Reading weak references ───────────────────────────────────────────────

  /** `wr()`: the referent, borrowed, or NULL once it is dead. Works on proxies too. */
  deref(wr: Ref): Ref {
    return this.#object[this.#rowOf(wr)]!;
  }

  /** Whether the referent is still alive. */
  isAlive(wr: Ref): boolean {
    return this.#object[this.#rowOf(wr)] !== 0;
  }

  /** Whether `ref` is a weak reference object (ref or proxy). */
  isWeakref(ref: Ref): boolean {
    const row = this.#cell[ref];
    return row !== undefined && row !== 0 && this.#rowRef[row] === ref;
  }

  /** Whether `ref` is a weak proxy object. */
  isProxy(ref: Ref): boolean {
    return this.isWeakref(ref) && (this.#flags[this.#cell[ref]!]! & PROXY) !== 0;
  }

  /** `wr.__callback__`: the callback, or undefined (also once a deallocation has called it). */
  callbackOf(wr: Ref): RawCallback | WeakrefCallback | undefined {
    return this.#callbacks[this.#rowOf(wr)];
  }

  /** The integer given to `ref(obj, callback, data)` (0 when none). */
  dataOf(wr: Ref): number {
    return this.#data[this.#rowOf(wr)]!;
  }

  /**
   * `hash(wr)`: the referent's hash, computed on first use and kept, so it outlives the
   * referent. A dead reference never hashed raises `TypeError: weak object has gone away`;
   * proxies are unhashable, as in CPython.
   */
  hash(wr: Ref): number {
    const row = this.#rowOf(wr);
    const flags = this.#flags[row]!;
    if (flags & PROXY) throw new PyTypeError(`unhashable type: '${this.proxyType.name}'`);
    if (flags & HASHED) return this.#hash[row]!;
    const obj = this.#object[row]!;
    if (obj === 0) throw new PyTypeError('weak object has gone away');
    const hash = foldHash(this.heap.hashKey(obj));
    this.#hash[row] = hash;
    this.#flags[row] = flags | HASHED;
    return hash;
  }

  /**
   * `a == b`: two weak references are equal when their referents are, while both are
   * alive; once either is dead, only when they are the same weak reference. A proxy
   * compares its referent instead (a dead one raises ReferenceError).
   */
  equals(a: Ref, b: Ref): boolean {
    const rowA = this.#rowOf(a);
    const rowB = this.#rowOf(b);
    const proxyA = (this.#flags[rowA]! & PROXY) !== 0;
    const proxyB = (this.#flags[rowB]! & PROXY) !== 0;
    if (proxyA || proxyB) {
      const left = proxyA ? this.#liveReferent(rowA) : a;
      const right = proxyB ? this.#liveReferent(rowB) : b;
      return left === right || this.heap.hashKey(left) === this.heap.hashKey(right);
    }
    const objA = this.#object[rowA]!;
    const objB = this.#object[rowB]!;
    if (objA === 0 || objB === 0) return a === b;
    return objA === objB || this.heap.hashKey(objA) === this.heap.hashKey(objB);
  }

  /** The referent of a proxy row, or ReferenceError. */
  #liveReferent(row: number): Ref {
    const obj = this.#object[row]!;
    if (obj === 0) throw new PyReferenceError('weakly-referenced object no longer exists');
    return obj;
  }

  /** `repr(wr)`: `<weakref at 0x…; to 'Node' at 0x…>`, `<weakref at 0x…; dead>`, `<weakproxy at 0x… to Node at 0x…>`. */
  repr(wr: Ref): string {
    const row = this.#rowOf(wr);
    const heap = this.heap;
    const at = heap.hexId(wr);
    const obj = this.#object[row]!;
    if (this.#flags[row]! & PROXY) {
      const target = obj === 0 ? heap.None : obj; // CPython 3.11 prints the None it holds
      return `<weakproxy at ${at} to ${heap.typeOf(target).name} at ${heap.hexId(target)}>`;
    }
    if (obj === 0) return `<weakref at ${at}; dead>`;
    return `<weakref at ${at}; to '${heap.typeOf(obj).name}' at ${heap.hexId(obj)}>`;
  }

  /** `weakref.getweakrefcount(obj)`: how many weak references and proxies point at it (0 for types that cannot have any). */
  getWeakrefCount(obj: Ref): number {
    if (!this.heap.typeOf(obj).weakrefable) return 0;
    let count = 0;
    for (let row = this.#cell[obj]!; row !== 0; row = this.#next[row]!) count++;
    return count;
  }

  /** `weakref.getweakrefs(obj)`: the weak references to `obj`, borrowed, in list order. */
  getWeakrefs(obj: Ref): Ref[] {
    const found: Ref[] = [];
    if (!this.heap.typeOf(obj).weakrefable) return found;
    for (let row = this.#cell[obj]!; row !== 0; row = this.#next[row]!) found.push(this.#rowRef[row]!);
    return found;
  }

  /** Whether objects of `obj`'s type can be weakly referenced. */
  isWeakrefable(obj: Ref): boolean {
    return this.heap.typeOf(obj).weakrefable;
  }

  /** How many weak reference objects are alive. */
  get count(): number {
    return this.#live;
  }

  // ─── finalize ──────────────────────────────────────────────────────────────

  /**
   * `weakref.finalize(obj, fn, *args)`: calls `fn(...args)` once, when `obj` dies, when the
   * finalizer is called, or when the heap is closed (newest first). Handle arguments are
   * kept alive until then. Raises TypeError for objects that cannot be weakly referenced.
   */
  finalize<A extends unknown[], R>(obj: Ref, fn: FinalizeCallback<A, R>, ...args: A): Finalizer<A, R> {
    this.#finalizers ??= new FinalizerRegistry(this);
    return new Finalizer(this.#finalizers, obj, fn, args);
  }

  // ─── The protocol the heap and the collector call ──────────────────────────

  /**
   * PyObject_ClearWeakRefs, called as `ref` is freed: the callback-less ref and proxy are
   * cleared; then every other weak reference is cleared, and only then are their callbacks
   * called, in list order (newest first), each with its weak reference. An exception goes to
   * the heap's unraisable hook and the remaining callbacks still run.
   */
  clearAndNotify(ref: Ref): void {
    const cell = this.#cell;
    let row = cell[ref]!;
    if (row !== 0 && this.#isBasic(row)) {
      this.#unlink(row);
      row = this.#cell[ref]!;
      if (row !== 0 && this.#isBasic(row)) this.#unlink(row);
    }
    row = this.#cell[ref]!;
    if (row === 0) return;
    if (this.#next[row] === 0) {
      // One weak reference left: no need to hold it (CPython's count == 1 path).
      const callback = this.#callbacks[row];
      const flags = this.#flags[row]!;
      const wr = this.#rowRef[row]!;
      this.#callbacks[row] = undefined;
      this.#unlink(row);
      if (callback !== undefined) this.#call(callback, flags, wr);
      return;
    }
    const base = this.#dueTop;
    for (row = this.#cell[ref]!; row !== 0; row = this.#cell[ref]!) {
      const wr = this.#rowRef[row]!;
      this.heap.incref(wr);
      this.#pushDue(wr, this.#callbacks[row], this.#flags[row]!);
      this.#callbacks[row] = undefined;
      this.#unlink(row);
    }
    const top = this.#dueTop;
    try {
      for (let i = base; i < top; i++) {
        const callback = this.#dueCallbacks[i];
        if (callback !== undefined) this.#call(callback, this.#dueFlags[i]!, this.#dueRefs[i]!);
      }
    } finally {
      for (let i = base; i < top; i++) {
        this.#dueCallbacks[i] = undefined;
        this.#release(this.#dueRefs[i]!);
      }
      this.#dueTop = base;
    }
  }

  #pushDue(wr: Ref, callback: RawCallback | WeakrefCallback | undefined, flags: number): void {
    const top = this.#dueTop;
    if (top === this.#dueRefs.length) {
      const refs = new Int32Array(top * 2);
      refs.set(this.#dueRefs);
      this.#dueRefs = refs;
      const flagsArray = new Uint8Array(top * 2);
      flagsArray.set(this.#dueFlags);
      this.#dueFlags = flagsArray;
    }
    this.#dueRefs[top] = wr;
    this.#dueFlags[top] = flags;
    this.#dueCallbacks[top] = callback;
    this.#dueTop = top + 1;
  }

  /** Drops a reference this table took, reporting rather than throwing (it runs inside a deallocation). */
  #release(wr: Ref): void {
    try {
      this.heap.decref(wr);
    } catch (error) {
      this.heap.reportUnraisable(error, 'weakref callback', `<weakref object ${String(wr)}>`);
    }
  }

  /**
   * Calls one callback with its weak reference (handle_callback); exceptions become
   * unraisable. The arguments go through fields to one bound function made once, not a
   * closure per call: `#callDue` reads them before anything runs, so a callback that
   * calls another (a nested death) cannot overwrite them in use.
   */
  #call(callback: RawCallback | WeakrefCallback, flags: number, wr: Ref): void {
    this.#nextCallback = callback;
    this.#nextFlags = flags;
    this.#nextRef = wr;
    this.heap.callOut(this.#callDue);
  }

  readonly #callDue = (): void => {
    const callback = this.#nextCallback!;
    this.#nextCallback = undefined;
    this.#callIn(callback, this.#nextFlags, this.#nextRef);
  };

  #callIn(callback: RawCallback | WeakrefCallback, flags: number, wr: Ref): void {
    try {
      if (flags & HANDLE_CALLBACK) {
        this.heap.incref(wr);
        const handle = new WeakReference(this, wr);
        try {
          (callback as WeakrefCallback)(handle);
        } finally {
          if (!handle.released) handle.release();
        }
      } else {
        (callback as RawCallback)(wr);
      }
    } catch (error) {
      this.heap.reportUnraisable(error, 'weakref callback', describeCallback(callback));
    }
  }

  /**
   * The collector's half of handle_weakrefs: clears every weak reference to `ref` without
   * calling anything, reporting each one that has a callback. The callback stays on the
   * weak reference (CPython's `_PyWeakref_ClearRef`) until `invokeCallback` or its death.
   */
  clearQuietly(ref: Ref, withCallback: (weakref: Ref) => void): void {
    for (let row = this.#cell[ref]!; row !== 0; row = this.#cell[ref]!) {
      const wr = this.#rowRef[row]!;
      this.#unlink(row);
      if (this.#callbacks[row] !== undefined) withCallback(wr);
    }
    if (this.heap.isAlive(ref)) this.heap.setHasWeakrefs(ref, false);
  }

  /** Calls the callback of a weak reference `clearQuietly` reported. */
  invokeCallback(weakref: Ref): void {
    const row = this.#rowOf(weakref);
    const callback = this.#callbacks[row];
    if (callback !== undefined) this.#call(callback, this.#flags[row]!, weakref);
  }

  /** Detaches a weak reference from its referent without calling its callback (a weakref that is garbage itself). */
  detach(weakref: Ref): void {
    this.#unlinkAndFlag(this.#rowOf(weakref));
  }

  /** Checks every list and row; throws HeapCorruptionError (called by `Heap.verify()`). */
  verify(): void {
    const heap = this.heap;
    const fail = (message: string, ref?: Ref): never => {
      const what = ref === undefined ? undefined : heap.describe(ref);
      throw new HeapCorruptionError(what === undefined ? `weakref: ${message}` : `weakref: ${what}: ${message}`, what);
    };
    const cell = this.#cell;
    let live = 0;
    for (let row = 1; row < this.#rowTop; row++) {
      const wr = this.#rowRef[row]!;
      if (wr === 0) continue;
      live++;
      if (!heap.isAlive(wr)) fail(`row ${row} belongs to an object that is not alive`);
      if (cell[wr] !== row) fail(`its row is ${row} but its column says ${cell[wr]}`, wr);
      const type = heap.typeOf(wr);
      if (type !== this.referenceType && type !== this.proxyType) fail('has a weakref row but is not a weak reference', wr);
      const obj = this.#object[row]!;
      if (obj === 0) {
        if (this.#prev[row] !== 0 || this.#next[row] !== 0) fail('is dead but still linked', wr);
        continue;
      }
      if (!heap.isAlive(obj)) fail(`refers to ${heap.describe(obj)}, which is not alive`, wr);
      if (!heap.hasWeakrefs(obj)) fail(`refers to ${heap.describe(obj)}, which is not flagged as weakly referenced`, wr);
    }
    if (live !== this.#live) fail(`${live} rows are in use but ${this.#live} are counted`);
    let linked = 0;
    for (let ref = 1; ref < heap.highWater; ref++) {
      if (!heap.isAlive(ref)) {
        if (cell[ref] !== 0) fail(`index ${ref} is free but its weakref column holds ${cell[ref]}`);
        continue;
      }
      if (this.isWeakref(ref)) continue;
      if (!heap.hasWeakrefs(ref)) {
        if (cell[ref] !== 0) fail('has a weakref list but is not flagged as weakly referenced', ref);
        continue;
      }
      if (cell[ref] === 0) fail('is flagged as weakly referenced but has no weakref list', ref);
      let previous = 0;
      for (let row = cell[ref]!; row !== 0; row = this.#next[row]!) {
        if (++linked > live) fail('a weakref list has a cycle', ref);
        if (this.#rowRef[row] === 0) fail(`its weakref list holds the free row ${row}`, ref);
        if (this.#object[row] !== ref) fail(`its weakref list holds ${heap.describe(this.#rowRef[row]!)}, which refers elsewhere`, ref);
        if (this.#prev[row] !== previous) fail('its weakref list has a broken back link', ref);
        previous = row;
      }
    }
  }

  // ─── Rows ──────────────────────────────────────────────────────────────────

  /** The row of a weak reference object, or the right error for anything else. */
  #rowOf(wr: Ref): number {
    const row = this.#cell[wr];
    if (row === undefined || row === 0 || this.#rowRef[row] !== wr) this.#notAWeakref(wr);
    return row;
  }

  #notAWeakref(ref: Ref): never {
    const type = this.heap.typeOf(ref); // raises for freed or foreign values
    throw new PyTypeError(`expected a weakref, not '${type.name}' object`, this.heap.describe(ref));
  }

  #allocateRow(): number {
    this.#live++;
    if (this.#freeTop > 0) return this.#freeRows[--this.#freeTop]!;
    if (this.#rowTop === this.#rowRef.length) this.#growRows();
    return this.#rowTop++;
  }

  #freeRow(row: number): void {
    this.#live--;
    this.#rowRef[row] = 0;
    this.#object[row] = 0;
    this.#prev[row] = 0;
    this.#next[row] = 0;
    this.#hash[row] = 0;
    this.#data[row] = 0;
    this.#flags[row] = 0;
    this.#callbacks[row] = undefined;
    this.#freeRows[this.#freeTop++] = row;
  }

  #growRows(): void {
    const length = this.#rowRef.length * 2;
    const grow = <A extends Int32Array | Uint8Array>(from: A, to: A): A => {
      to.set(from);
      return to;
    };
    this.#rowRef = grow(this.#rowRef, new Int32Array(length));
    this.#object = grow(this.#object, new Int32Array(length));
    this.#prev = grow(this.#prev, new Int32Array(length));
    this.#next = grow(this.#next, new Int32Array(length));
    this.#hash = grow(this.#hash, new Int32Array(length));
    this.#data = grow(this.#data, new Int32Array(length));
    this.#flags = grow(this.#flags, new Uint8Array(length));
    this.#freeRows = grow(this.#freeRows, new Int32Array(length));
    for (let i = this.#callbacks.length; i < length; i++) this.#callbacks.push(undefined);
  }
}

/** How CPython names a callback that raised: `<function name at 0x…>` (JS functions have no address). */
function describeCallback(callback: (...args: never[]) => unknown): string {
  return `<function ${callback.name || '<lambda>'}>`;
}

/** A handle's or a raw ref's object, as a borrowed raw ref; a handle must belong to `heap`. */
export function refOf(heap: Heap, value: Handle | Ref): Ref {
  if (typeof value === 'number') return value;
  if (!(value instanceof Handle)) throw new PyTypeError(`expected a handle or a ref, not ${typeof value}`);
  if (value.heap !== heap) throw new ForeignHeapError(`${value.heap.describe(value.ref)} belongs to another heap`);
  return value.ref;
}
