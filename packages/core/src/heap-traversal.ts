/**
 * What a collector needs of every object (tp_traverse, tp_clear, tp_finalize): its children,
 * clearing its references, freeing a batch of garbage, finalizers, tracking state.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import type { HashTable } from './hash-table.ts';
import {
  DYING,
  FINALIZED,
  HAS_WEAKREFS,
  LIST_HEADER,
  SORT_AFTER_FREES,
  TRACKED,
  TRASHCAN_DEPTH,
  TUPLE_HEADER,
} from './heap-definitions.ts';
import { HeapFunctions } from './heap-functions.ts';
import { isThenable } from './heap-helpers.ts';
import { CollectorState } from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { type HeapTypeOf, Kind, type Visit } from './types.ts';

export abstract class HeapTraversal extends HeapFunctions {

  /** Calls `visit` with every object `ref` holds a counted reference to (tp_traverse). */
  traverse(ref: Ref, visit: Visit): void {
    if (!(this._rc[ref]! > 0)) this._rejectDead(ref, 'traverse');
    const typeId = this._type[ref]!;
    const base = this._base[ref]!;
    const words = this._words;
    if (this._plainType[typeId] === 1) {
      // The commonest container: fixed object slots and nothing else but its class.
      const end = base + this._typeWords[typeId]!;
      for (let i = base; i < end; i++) {
        const child = words[i]!;
        if (child !== NULL) visit(child);
      }
      visit(this._typeClass[typeId]!);
      return;
    }
    const type = this._typeTable[typeId]!;
    switch (type.kind) {
      // Last item first, as list_traverse and tupletraverse loop: the order decides which
      // survivor of a collection is moved on first, so it decides later finalizer order.
      case Kind.Tuple: {
        for (let i = base + TUPLE_HEADER + words[base]! - 1; i >= base + TUPLE_HEADER; i--) visit(words[i]!);
        return;
      }
      case Kind.List: {
        for (let i = base + LIST_HEADER + words[base]! - 1; i >= base + LIST_HEADER; i--) visit(words[i]!);
        return;
      }
      case Kind.Dict: {
        // dict_traverse: a dict whose keys were only ever str visits its values alone (a str
        // cannot be in a cycle); any other dict visits each value, then its key.
        const table = this._payloads[base] as HashTable;
        const { keys, values } = table;
        if (table.strKeysOnly) {
          for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(values[i]!);
          return;
        }
        for (let i = 0; i < keys.length; i++) {
          if (keys[i] === NULL) continue;
          visit(values[i]!);
          visit(keys[i]!);
        }
        return;
      }
      case Kind.Set: {
        const { keys } = this._payloads[base] as HashTable;
        for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!);
        return;
      }
      case Kind.Instance: {
        // subtype_traverse's order: slots, the attributes, the class, then the native part.
        const objectSlots = type.objectSlots;
        const n = objectSlots.length;
        for (let i = 0; i < n; i++) {
          const child = words[base + i]!;
          if (child !== NULL && objectSlots[i]) visit(child);
        }
        const attributes = type.hasDict ? words[base + n]! : NULL;
        if (attributes > 0) visit(attributes);
        else if (attributes < 0) {
          const { keys, values } = this._payloads[-attributes] as HashTable;
          for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(values[i]!);
        }
        visit(type.object);
        type.traverse?.(this, ref, visit);
        return;
      }
      case Kind.Type:
      case Kind.Function:
      case Kind.Cell: {
        const child = words[base]!;
        if (child !== NULL) visit(child);
        return;
      }
      default:
        return;
    }
  }

  /**
   * The objects `ref` refers to, written to `childBuffer` (returns how many): `traverse`
   * without a callback, for collectors that walk millions of objects and want one call per
   * object rather than one per reference. The buffer is valid until the next call.
   */
  children(ref: Ref): number {
    const typeId = this._type[ref]!;
    if (this._plainType[typeId] !== 1) return this._childrenByTraverse(ref);
    // Plain instances (the common case) inline: small enough for a collector's loop to inline too.
    const base = this._base[ref]!;
    const end = base + this._typeWords[typeId]!;
    const words = this._words;
    const out = this._childBuffer.length > end - base ? this._childBuffer : this._growChildBuffer(end - base + 1);
    let n = 0;
    for (let i = base; i < end; i++) {
      const child = words[i]!;
      if (child !== NULL) out[n++] = child;
    }
    out[n++] = this._typeClass[typeId]!;
    return n;
  }

  protected _childrenByTraverse(ref: Ref): number {
    this._childCount = 0;
    this.traverse(ref, this._collectChild);
    return this._childCount;
  }

  /**
   * `children` as a cycle collector needs them: without an instance's reference to its class.
   * A class lives as long as its heap (the heap holds it), so its count always keeps it
   * reachable: the edge can change neither what a collection finds nor the order it finds it
   * in, and skipping it keeps a collection's cost per instance what it was before instances
   * referred to their class. `traverse` and `children` still report the edge (get_referents,
   * get_referrers, the monitor's graphs).
   */
  collectorChildren(ref: Ref): number {
    const typeId = this._type[ref]!;
    if (this._plainType[typeId] !== 1) {
      this._childCount = 0;
      this._classToSkip = this._typeClass[typeId]!;
      try {
        this.traverse(ref, this._collectChildButClass);
      } finally {
        this._classToSkip = NULL;
      }
      return this._childCount;
    }
    const base = this._base[ref]!;
    const end = base + this._typeWords[typeId]!;
    const words = this._words;
    const out = this._childBuffer.length >= end - base ? this._childBuffer : this._growChildBuffer(end - base);
    let n = 0;
    for (let i = base; i < end; i++) {
      const child = words[i]!;
      if (child !== NULL) out[n++] = child;
    }
    return n;
  }

  /** Where `children` writes. */
  get childBuffer(): Int32Array {
    return this._childBuffer;
  }

  protected override _growChildBuffer(minimum: number): Int32Array {
    let length = this._childBuffer.length;
    while (length < minimum) length *= 2;
    const grown = new Int32Array(length);
    grown.set(this._childBuffer);
    this._childBuffer = grown;
    return grown;
  }

  /**
   * Drops the references `ref` holds so a cycle through it breaks (tp_clear); the object
   * stays alive while others refer to it. Tuples have no clear, as in CPython. Objects this
   * frees are freed after the clear is complete, never in the middle of it.
   */
  clearReferences(ref: Ref): void {
    this._checkLive(ref);
    const typeId = this._type[ref]!;
    const type = this._typeTable[typeId]!;
    const depth = this._depth;
    this._depth = TRASHCAN_DEPTH; // everything this frees waits until the clear is done
    try {
      switch (type.kind) {
        case Kind.List:
          this._clearItems(ref, LIST_HEADER);
          break;
        case Kind.Dict:
        case Kind.Set:
          this._clearTable(ref);
          break;
        case Kind.Instance:
          this._clearInstance(ref, type);
          break;
        case Kind.Function:
        case Kind.Cell:
          this._clearFirstWord(ref);
          break;
        default:
          break;
      }
    } finally {
      this._depth = depth;
    }
    if (depth === 0 && this._pendingTop > 0) this._drainPendingFromTop();
  }

  /**
   * Frees a whole set of garbage at once. The caller — a collector — has proved that every
   * object in `refs[0…length)` is referenced only from inside the set, and that no finalizer
   * or weakref callback is left to run for them. Counting each internal reference down, as
   * tp_clear does, would only reach the same end slower: here each reference to an object
   * outside the set is released, and every member is freed. Only plain instances, tuples,
   * lists and cells qualify; if any member does not (or has weak references), nothing is
   * done and false is returned, and the caller clears them one by one instead.
   *
   * `committed` runs once the set qualifies, before anything is freed: code runs during the
   * sweep (finalizers of outside objects that die, observers of frees) and may allocate into
   * a member's index, so the caller must forget the members there, not after this returns.
   */
  releaseGarbage(refs: Int32Array, length: number, committed?: () => void): boolean {
    const flags = this._flags;
    for (let i = 0; i < length; i++) {
      const ref = refs[i]!;
      if (ref === NULL) continue;
      const typeId = this._type[ref]!;
      const kind = this._typeKind[typeId]!;
      const eligible = this._plainType[typeId] === 1 || kind === Kind.Tuple || kind === Kind.List || kind === Kind.Cell;
      if (!eligible || !(this._rc[ref]! > 0) || flags[ref]! & (HAS_WEAKREFS | DYING)) return false;
    }
    committed?.();
    // Every member's count is made zero first: the references members hold to each other
    // vanish with them, and only a child with a count left is outside the set.
    const rc = this._rc;
    // Unlisted too, as untracking would leave them: an index freed here must not hand its
    // next occupant the collector's state of the member (NULL's entry is 0 anyway).
    const states = this._states;
    for (let i = 0; i < length; i++) {
      rc[refs[i]!] = 0;
      states[refs[i]!] = CollectorState.Unlisted;
    }
    const depth = this._depth;
    this._depth = TRASHCAN_DEPTH; // whatever outside the set dies waits until the set is gone
    try {
      // Every member lets go of its outside children (which only queues their deaths: no code
      // of anyone else's runs) before any index is freed when a free tells someone — the
      // sampler, observers — who may allocate into an index just freed. With no one to tell,
      // one pass does both.
      if (this._sampler === null && this._freeObservers.length === 0) {
        for (let i = 0; i < length; i++) {
          const ref = refs[i]!;
          if (ref === NULL) continue;
          this._releaseMemberContents(ref);
          this._freeContainer(ref, this._type[ref]!); // (every member is a container)
        }
      } else {
        for (let i = 0; i < length; i++) {
          const ref = refs[i]!;
          if (ref !== NULL) this._releaseMemberContents(ref);
        }
        for (let i = 0; i < length; i++) {
          const ref = refs[i]!;
          if (ref !== NULL) this._freeContainer(ref, this._type[ref]!); // (every member is a container)
        }
      }
    } finally {
      this._depth = depth;
    }
    if (depth === 0 && this._pendingTop > 0) this._drainPendingFromTop();
    if (depth === 0 && this._deallocations - this._trimmedAt > SORT_AFTER_FREES) this._trimIfQuiet();
    return true;
  }

  /** One member of `releaseGarbage`'s set: release what it holds outside the set and its slot block. */
  protected _releaseMemberContents(ref: Ref): void {
    const typeId = this._type[ref]!;
    const base = this._base[ref]!;
    const words = this._words;
    let start = base;
    let end: number;
    let blockWords: number;
    if (this._plainType[typeId] === 1) {
      end = base + this._typeWords[typeId]!;
      blockWords = this._typeWords[typeId]!;
    } else {
      const kind = this._typeKind[typeId]!;
      if (kind === Kind.List) {
        start = base + LIST_HEADER;
        end = start + words[base]!;
        blockWords = LIST_HEADER + words[base + 1]!;
      } else if (kind === Kind.Tuple) {
        start = base + TUPLE_HEADER;
        end = start + words[base]!;
        blockWords = TUPLE_HEADER + words[base]!;
      } else {
        end = base + 1; // a cell
        blockWords = 1;
      }
    }
    const rc = this._rc;
    for (let at = start; at < end; at++) {
      const child = words[at]!;
      if (rc[child]! > 0) this.decref(child);
    }
    this._pool.release(base, blockWords);
    const cls = this._typeClass[typeId]!;
    if (cls !== NULL && rc[cls]! > 0) this.decref(cls);
  }

  /** Whether the object's type has a finalizer (`__del__`). */
  hasFinalizer(ref: Ref): boolean {
    return this._typeFinalizes[this._type[ref]!] === 1;
  }

  /** The kind of a live object, with no liveness check (collectors call it per object). */
  kindOf(ref: Ref): Kind {
    return this._typeKind[this._type[ref]!] as Kind;
  }

  /** Whether its PEP 442 finalizer already ran (`gc.is_finalized`). */
  isFinalized(ref: Ref): boolean {
    this._checkLive(ref);
    return (this._flags[ref]! & FINALIZED) !== 0;
  }

  /**
   * Runs the object's finalizer if it has one that has not run (PyObject_CallFinalizer):
   * at most once per object, exceptions reported as unraisable. The caller holds a reference.
   */
  callFinalizer(ref: Ref): void {
    const type = this.typeOf(ref);
    if (type.finalize === undefined || this._flags[ref]! & FINALIZED) return;
    this._flags[ref] = this._flags[ref]! | FINALIZED;
    this._runFinalizer(type, ref);
  }

  /**
   * Calls a finalizer one level deeper, reporting what it throws. A finalizer that returns a
   * promise (a plain function that started async work) has its rejection reported too, never
   * left unhandled; `defineClass` refuses async functions outright.
   */
  protected override _runFinalizer(type: HeapTypeOf<this>, ref: Ref): void {
    this._calloutDepth++;
    try {
      const result: unknown = type.finalize!(this, ref);
      if (isThenable(result)) {
        const about = this.describe(ref);
        result.then(undefined, (error: unknown) => this.reportUnraisable(error, 'finalizer', about));
      }
    } catch (error) {
      this.reportUnraisable(error, 'finalizer', ref);
    } finally {
      this._calloutDepth--;
    }
  }

  /** Whether a collector tracks the object (`gc.is_tracked`). Atoms never are. */
  isTracked(ref: Ref): boolean {
    this._checkLive(ref);
    return (this._flags[ref]! & TRACKED) !== 0;
  }

  /**
   * CPython's `_PyObject_GC_MAY_BE_TRACKED`: could this object be part of a cycle? False for
   * atoms and for untracked tuples (an untracked tuple holds only atoms for good; a dict can
   * start holding containers at any time, so it always may be).
   */
  override mayBeTracked(ref: Ref): boolean {
    const type = this._typeTable[this._type[ref]!]!;
    if (!type.isContainer) return false;
    if (type.kind === Kind.Tuple) return (this._flags[ref]! & TRACKED) !== 0;
    return true;
  }

  /**
   * Stops tracking a tuple or dict whose contents can never be part of a cycle
   * (`_PyTuple_MaybeUntrack`, `_PyDict_MaybeUntrack`); returns whether it did.
   */
  untrackIfAtomic(ref: Ref): boolean {
    const kind = this._typeTable[this._type[ref]!]!.kind;
    if ((kind !== Kind.Tuple && kind !== Kind.Dict) || !(this._flags[ref]! & TRACKED)) return false;
    let atomic = true;
    this.traverse(ref, (child) => {
      if (atomic && this.mayBeTracked(child)) atomic = false;
    });
    if (atomic) this._untrack(ref);
    return atomic;
  }

  /** Frees what a sweep queued once the outermost deallocation is over (depth 1, as the trashcan's drain). */
  protected _drainPendingFromTop(): void {
    this._depth = 1;
    try {
      this._drainPending();
    } finally {
      this._depth = 0;
    }
  }
}
