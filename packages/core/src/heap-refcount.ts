/**
 * Reference counting and deallocation (CPython's Py_INCREF / Py_DECREF / tp_dealloc):
 * counts, identity, and taking an object apart when its count reaches zero, deferred past a
 * nesting depth as CPython's trashcan does.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { addressOf, decodeAddress, formatAddress } from './address.ts';
import { ForeignHeapError, RefcountError, StaleIdError } from './errors.ts';
import type { HashTable } from './hash-table.ts';
import {
  DYING,
  FINALIZED,
  FREE,
  HAS_WEAKREFS,
  IMMORTAL,
  IMMORTAL_COUNT,
  LIST_HEADER,
  MAX_COUNT,
  NUMBERED,
  SAMPLED,
  SORT_AFTER_FREES,
  TRACKED,
  TRASHCAN_DEPTH,
  TUPLE_HEADER,
} from './heap-definitions.ts';
import { HeapStorage } from './heap-storage.ts';
import { CollectorState } from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { type HeapTypeOf, Kind } from './types.ts';

export abstract class HeapRefcount extends HeapStorage {
  // Defined by the layers above.
  protected abstract _releaseJsSlots(ref: Ref, type: HeapTypeOf<this>): void;
  protected abstract _runFinalizer(type: HeapTypeOf<this>, ref: Ref): void;

  /** Adds a reference (Py_INCREF). */
  incref(ref: Ref): void {
    const count = this._rc[ref]!;
    if (count > 0 && count < MAX_COUNT) this._rc[ref] = count + 1;
    else this._increfSlow(ref, 'incref');
  }

  /** Drops a reference (Py_DECREF); at zero the object is freed before this returns. */
  decref(ref: Ref): void {
    const count = this._rc[ref]!;
    if (count > 1) this._rc[ref] = count - 1;
    else if (count === 1 && (this._flags[ref]! & (DYING | IMMORTAL)) === 0) {
      // (Dying with a count of one: its finalizer is running and released `self` once too often.)
      this._rc[ref] = 0;
      this._dealloc(ref);
    } else if (count !== 1 || (this._flags[ref]! & IMMORTAL) === 0) this._rejectDecref(ref);
    // (An immortal object at one lost increments at the ceiling, see _increfSlow: it never dies.)
  }

  /**
   * incref off the hot path: a dead object, or a count at the column's ceiling. An immortal
   * object stays at the ceiling (PEP 683: its count does not matter); any other object
   * refuses the reference before the count could wrap into a negative number.
   */
  protected override _increfSlow(ref: Ref, action: string): void {
    const count = this._rc[ref]!;
    if (!(count > 0)) this._rejectDead(ref, action);
    if (this._flags[ref]! & IMMORTAL) return;
    const what = this.describe(ref);
    throw new RefcountError(`cannot ${action} ${what}: its count would pass ${MAX_COUNT}, the most a count can hold`, what);
  }

  /** The true count: references from other objects plus those held by code. */
  refcount(ref: Ref): number {
    this._checkLive(ref);
    if (this.immortal && this._flags[ref]! & IMMORTAL) return IMMORTAL_COUNT;
    return this._rc[ref]!;
  }

  /** `sys.getrefcount(obj)`: one more than `refcount`, for the argument's own reference. */
  getrefcount(ref: Ref): number {
    const count = this.refcount(ref);
    return count === IMMORTAL_COUNT ? count : count + 1;
  }

  /** Whether `ref` names a live object (not freed, not being freed). */
  isAlive(ref: Ref): boolean {
    return this._rc[ref]! > 0;
  }

  /** `id(obj)`: stable for the object's life, address-like, reusable once it is freed. */
  id(ref: Ref): number {
    this._checkLive(ref);
    this._issuedIds.set(ref, this.serialOf(ref));
    return addressOf(this.tag, ref);
  }

  /** The id in hex, as `hex(id(obj))` prints it. */
  hexId(ref: Ref): string {
    return formatAddress(this.id(ref));
  }

  /**
   * The object an id names (the seeds' `ref_by_id`, made safe): a borrowed reference, or a
   * StaleIdError saying whether the object was freed, or freed and its id reused by another.
   */
  objectAt(id: number): Ref {
    const decoded = decodeAddress(id);
    const shown = Number.isFinite(id) ? formatAddress(id) : String(id);
    if (decoded === undefined) throw new StaleIdError(`${shown} is not an object id`, 'never');
    if (decoded.tag !== this.tag) {
      throw new ForeignHeapError(`${shown} is an id from another heap (tag ${decoded.tag}, this heap is ${this.tag})`);
    }
    const ref = decoded.index;
    if (ref <= 0 || ref >= Math.max(this._top, this._highestTop)) throw new StaleIdError(`no object has ever had id ${shown}`, 'never');
    if (ref >= this._top) throw new StaleIdError(`the object at ${shown} has been freed`, 'freed');
    const issued = this._issuedIds.get(ref);
    if (!this.isAlive(ref)) {
      const was = this._typeTable[this._type[ref]!]!.name;
      throw new StaleIdError(`the ${was} object at ${shown} has been freed`, 'freed');
    }
    if (issued !== undefined && issued !== this.serialOf(ref)) {
      throw new StaleIdError(
        `the object that had id ${shown} has been freed; the id now belongs to ${this.describe(ref)}`,
        'reused',
        this.describe(ref),
      );
    }
    return ref;
  }

  /**
   * A number for the object in this index, never handed out for another: a handle or an id
   * that remembers it can tell the index's next occupant (whose serial differs) from its
   * object. Given out when first asked for, so only the objects asked about pay for one. A
   * free index has none: 0.
   */
  serialOf(ref: Ref): number {
    if (!(ref > 0 && ref < this._top)) return 0;
    const flags = this._flags[ref]!;
    if (flags & NUMBERED) return this._serials.get(ref)!;
    if (flags & FREE) return 0;
    const serial = this._nextSerial++;
    this._serials.set(ref, serial);
    this._flags[ref] = flags | NUMBERED;
    return serial;
  }

  /**
   * A count reached zero: take the object apart now. Nested deallocations recurse, as in
   * CPython, up to the trashcan depth; deeper ones wait on a stack that the outermost
   * deallocation drains, so a ten-million-node chain unwinds in bounded JS stack.
   */
  protected _dealloc(ref: Ref): void {
    const depth = this._depth;
    // An unflagged int, float, str or bytes, with no observer of frees: nothing but its payload
    // to let go of, and no one to tell (see `_freeQuietAtom`).
    // (Flags first: a container is tracked, so the common free of one pays a single read here.)
    if (this._flags[ref] === 0 && this._typeQuietAtom[this._type[ref]!] === 1 && depth < TRASHCAN_DEPTH) {
      this._freeQuietAtom(ref, depth);
      return;
    }
    if (depth === 0) {
      this._depth = 1;
      try {
        this._destroy(ref);
        if (this._pendingTop > 0) this._drainPending();
      } finally {
        this._depth = 0;
      }
      if (this._deallocations - this._trimmedAt > SORT_AFTER_FREES) this._trimIfQuiet();
    } else if (depth < TRASHCAN_DEPTH) {
      this._depth = depth + 1;
      this._destroy(ref);
      this._depth = depth;
    } else {
      this._defer(ref);
    }
  }

  /**
   * `_dealloc` of an atom that nothing observes: its type has no finalizer and no contents but
   * its payload, its flags are clear (not sampled, numbered, tracked or weakly referenced) and
   * no observer hears of frees — so `_destroy` would only drop the payload and `_freeIndex`
   * only put the index on the free list. Those writes, in that order, and what an outermost
   * deallocation does after (drain the trashcan, trim when due); nothing runs in between that
   * could see the nesting depth.
   */
  protected _freeQuietAtom(ref: Ref, depth: number): void {
    this._dropPayload(this._base[ref]!);
    // `_freeIndex` without its checks for serials, the sampler and observers (none apply here).
    this._flags[ref] = FREE;
    this._base[ref] = this._freeHead;
    this._freeHead = ref;
    this._deallocations++;
    if (depth !== 0) return;
    if (this._pendingTop > 0) {
      this._depth = 1;
      try {
        this._drainPending();
      } finally {
        this._depth = 0;
      }
    }
    if (this._deallocations - this._trimmedAt > SORT_AFTER_FREES) this._trimIfQuiet();
  }

  /**
   * A deallocation too deep to recurse into: queue it for the outermost one. Untracked while
   * it waits, as CPython's trashcan does, so a collection that starts meanwhile (from a
   * finalizer) never sees an object whose count is already zero.
   */
  protected _defer(ref: Ref): void {
    if (this._flags[ref]! & TRACKED) this._untrack(ref);
    if (this._pendingTop === this._pending.length) {
      const grown = new Int32Array(this._pending.length * 2);
      grown.set(this._pending);
      this._pending = grown;
    }
    this._pending[this._pendingTop++] = ref;
  }

  protected _drainPending(): void {
    while (this._pendingTop > 0) {
      this._depth = 1;
      this._destroy(this._pending[--this._pendingTop]!);
    }
  }

  /**
   * CPython's deallocation order: the finalizer once (it may resurrect), untracked, weak
   * references cleared and their callbacks run, children released, the index freed.
   */
  protected _destroy(ref: Ref): void {
    const typeId = this._type[ref]!;
    if (this._plainType[typeId] === 1 && (this._flags[ref]! & HAS_WEAKREFS) === 0) {
      this._destroyPlainInstance(ref, typeId);
      return;
    }
    if (typeId === this._tupleTypeId && (this._flags[ref]! & HAS_WEAKREFS) === 0) {
      this._destroyTuple(ref, typeId);
      return;
    }
    const type = this._typeTable[typeId]!;
    if (type.finalize !== undefined && !(this._flags[ref]! & FINALIZED)) {
      // Tracked while its finalizer runs (it is a live object then), as subtype_dealloc does.
      if (!(this._flags[ref]! & TRACKED)) this._track(ref);
      if (this._resurrectedByFinalizer(ref)) return;
    }
    // Untracked before any weakref callback runs: a collection a callback starts must never
    // find an object whose count is already zero (subtype_dealloc untracks first too).
    if (this._flags[ref]! & TRACKED) this._untrack(ref);
    if (this._flags[ref]! & HAS_WEAKREFS) {
      this._flags[ref] = this._flags[ref]! & ~HAS_WEAKREFS;
      this._weakrefs?.clearAndNotify(ref);
    }
    this._releaseContents(ref, type);
    this._free(ref, type);
    // subtype_dealloc's last step: the instance is gone, then its class loses a reference.
    if (type.kind === Kind.Instance) this.decref(type.object);
  }

  /**
   * `_destroy` for the commonest case — an instance with fixed object slots and nothing else —
   * in the same order, with no type record and no hooks to consult.
   */
  protected _destroyPlainInstance(ref: Ref, typeId: number): void {
    this._untrackDying(ref);
    const base = this._base[ref]!;
    const size = this._typeWords[typeId]!;
    for (let at = base; at < base + size; at++) {
      const words = this._words; // a child's finalizer may allocate and move the pool
      const child = words[at]!;
      if (child === NULL) continue;
      words[at] = NULL;
      this.decref(child);
    }
    this._pool.release(base, size);
    this._freeContainer(ref, typeId);
    this.decref(this._typeClass[typeId]!);
  }

  /**
   * `_destroy` for a tuple of the built-in type, the commonest short-lived container (every
   * call's arguments, every `t = (i, i)`): the same steps in the same order, with no type
   * record, finalizer or kind to consult — the type has no finalizer and its contents are items.
   */
  protected _destroyTuple(ref: Ref, typeId: number): void {
    this._untrackDying(ref);
    this._releaseTuple(ref);
    this._freeContainer(ref, typeId);
  }

  /** `_untrack` for an object whose count is zero: unless a collector lists it, two writes. */
  protected _untrackDying(ref: Ref): void {
    if (this._states[ref]! >= CollectorState.Taken) this._untrack(ref);
    else {
      this._states[ref] = CollectorState.Unlisted;
      this._flags[ref] = this._flags[ref]! & ~TRACKED;
    }
  }

  /** A tuple's items released (last first) and its block given back. */
  protected _releaseTuple(ref: Ref): void {
    const length = this._words[this._base[ref]!]!; // read before the clear empties it
    this._clearItems(ref, TUPLE_HEADER);
    this._pool.release(this._base[ref]!, TUPLE_HEADER + length);
  }

  /** Runs the finalizer with the count held at one; true when it left the object referenced. */
  protected _resurrectedByFinalizer(ref: Ref): boolean {
    // Dying while the finalizer runs, so an over-release of `self` is caught, not a double free.
    this._rc[ref] = 1;
    this._flags[ref] = this._flags[ref]! | FINALIZED | DYING;
    this._runFinalizer(this._typeTable[this._type[ref]!]!, ref);
    const count = this._rc[ref] - 1;
    this._rc[ref] = count;
    this._flags[ref] = this._flags[ref] & ~DYING;
    return count !== 0;
  }

  protected _releaseContents(ref: Ref, type: HeapTypeOf<this>): void {
    switch (type.kind) {
      case Kind.Tuple:
        this._releaseTuple(ref);
        return;
      case Kind.List: {
        const capacity = this._words[this._base[ref]! + 1]!;
        this._clearItems(ref, LIST_HEADER);
        this._pool.release(this._base[ref]!, LIST_HEADER + capacity);
        return;
      }
      case Kind.Dict:
      case Kind.Set:
        this._clearTable(ref);
        this._dropPayload(this._base[ref]!);
        return;
      case Kind.Instance:
        this._clearInstance(ref, type);
        if (this._typeJsSlots[type.id] === 1) this._releaseJsSlots(ref, type);
        this._pool.release(this._base[ref]!, type.blockWords);
        return;
      case Kind.Function:
        this._functionNames.delete(ref);
        this._clearFirstWord(ref);
        this._pool.release(this._base[ref]!, 1);
        return;
      case Kind.Cell:
      case Kind.Type:
        this._clearFirstWord(ref);
        this._pool.release(this._base[ref]!, 1);
        return;
      default:
        this._dropPayload(this._base[ref]!);
    }
  }

  protected _free(ref: Ref, type: HeapTypeOf<this>): void {
    if (type.isContainer) this._freeContainer(ref, type.id);
    else this._freeIndex(ref, type.id);
  }

  /** `_free` for a container whose type id the caller has at hand (the plain path, a sweep): no type record read. */
  protected _freeContainer(ref: Ref, typeId: number): void {
    if (this._youngCount > 0) this._youngCount--;
    this._freeIndex(ref, typeId);
  }

  /** The index goes back on the free list; whoever asked to hear of this free is told. */
  protected _freeIndex(ref: Ref, typeId: number): void {
    const flags = this._flags[ref]!;
    this._rc[ref] = 0;
    this._flags[ref] = FREE;
    this._base[ref] = this._freeHead;
    this._freeHead = ref;
    this._deallocations++;
    if ((flags & (SAMPLED | NUMBERED)) !== 0) {
      if (flags & NUMBERED) this._serials.delete(ref);
      if (flags & SAMPLED) this._notifySampledFree(ref, this._typeTable[typeId]!);
    }
    if (this._freeObservers.length !== 0) this._notifyFreed(ref, this._typeTable[typeId]!);
  }

  /** Empties a tuple's or list's items, last first (as list_dealloc does), then releases them. */
  protected _clearItems(ref: Ref, header: number): void {
    const base = this._base[ref]!;
    const length = this._words[base]!;
    this._words[base] = 0;
    for (let i = base + header + length - 1; i >= base + header; i--) {
      const words = this._words; // an item's finalizer may allocate and move the pool
      const item = words[i]!;
      words[i] = NULL;
      this.decref(item);
    }
  }

  protected _clearTable(ref: Ref): void {
    const { keys, values } = this._table(ref).takeAll();
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === NULL) continue;
      this.decref(keys[i]!);
      if (values[i] !== NULL) this.decref(values[i]!);
    }
  }

  /** Clears slots in order, then the attribute dict (subtype_clear / subtype_dealloc). */
  protected _clearInstance(ref: Ref, type: HeapTypeOf<this>): void {
    if (type.clear) {
      try {
        type.clear(this, ref);
      } catch (error) {
        this.reportUnraisable(error, 'clear', ref);
      }
    }
    const base = this._base[ref]!;
    const objectSlots = type.objectSlots;
    const n = objectSlots.length;
    for (let i = 0; i < n; i++) {
      if (!objectSlots[i]) continue;
      const words = this._words; // a child's finalizer may allocate and move the pool
      const child = words[base + i]!;
      if (child === NULL) continue;
      words[base + i] = NULL;
      this.decref(child);
    }
    if (!type.hasDict) return;
    const attributes = this._words[base + n]!;
    this._words[base + n] = NULL;
    if (attributes > 0) this.decref(attributes);
    else if (attributes < 0) {
      const table = this._payloads[-attributes] as HashTable;
      this._dropPayload(-attributes);
      const { keys, values } = table.takeAll();
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === NULL) continue;
        this.decref(keys[i]!);
        this.decref(values[i]!);
      }
    }
  }

  protected _clearFirstWord(ref: Ref): void {
    const at = this._base[ref]!;
    const child = this._words[at]!;
    this._words[at] = NULL;
    if (child !== NULL) this.decref(child);
  }
}
