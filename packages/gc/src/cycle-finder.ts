/**
 * The phases of one collection, each a method named after its function in
 * CPython's Modules/gcmodule.c. No root set is needed: every reference held
 * from outside the set being collected — a JS handle, an object in an older
 * generation — shows up as a count that internal references do not explain.
 *
 * Objects are indexes; the working sets are Int32Array buffers; an object's
 * standing in a collection lives in two columns of the collector's own, so the
 * walk allocates nothing per object and never recurses.
 */
import type { Heap, Ref, WeakrefProtocol } from '@refheap/core';
import { CollectorState, Kind } from '@refheap/core';
import type { Generation } from './generation.ts';
import { RefBuffer } from './ref-buffer.ts';

/**
 * Values of the state column — the heap's collector-state column, whose 0 and 1 are the heap's
 * (not listed; in its young buffer) — besides each generation's (`generationState`).
 */
export const NOT_LISTED: number = CollectorState.Unlisted;
/** Generation `index`'s state (0–3, the permanent generation 3): from `CollectorState.Taken`, which `takeYoung` leaves on what it hands over. */
export function generationState(index: number): number {
  return CollectorState.Taken + index;
}
/** In the set being collected; the slot column holds its gc_refs. */
export const COLLECTING = 0x10;
/** Tentatively unreachable; the slot column holds its position in the unreachable buffer. */
export const UNREACHABLE = 0x20;
/** Kept alive by a legacy finalizer; the slot column holds its position in the finalizers buffer. */
export const HELD = 0x80;
/**
 * In an incremental cycle's snapshot (the slot column holds its gc_refs), not found reachable
 * and not passed by the marking scan yet. The snapshot's four states are 0x40–0x43.
 */
export const SNAPSHOT = 0x40;
/** In the snapshot, found reachable, its references not followed yet. */
export const REACHED = 0x41;
/** In the snapshot, passed by the marking scan while not found reachable. */
export const PASSED = 0x42;
/** In the snapshot, found reachable and its references followed. */
export const TRAVERSED = 0x43;
/** Whether a state is one of the snapshot's four. */
export function inSnapshot(state: number): boolean {
  return (state & 0xfc) === SNAPSHOT;
}
/** A candidate of an incremental cycle for its final check; the slot column holds its position among the candidates. */
export const CANDIDATE = 0x44;

export class CycleFinder {
  readonly heap: Heap;
  /** Per object: generation number or one of the states above. */
  state: Uint8Array;
  /** Per object: position in its generation or buffer, or gc_refs while collecting. */
  slot: Int32Array;
  /** The buffer whose positions UNREACHABLE objects' slots hold right now. */
  unreachable: RefBuffer = new RefBuffer();
  /** Objects with legacy finalizers and everything they reach (HELD). */
  readonly finalizers: RefBuffer = new RefBuffer();
  readonly #callbacksToCall: RefBuffer = new RefBuffer();

  constructor(heap: Heap, state: Uint8Array, slot: Int32Array) {
    this.heap = heap;
    this.state = state;
    this.slot = slot;
  }

  /**
   * update_refs + subtract_refs + move_unreachable: splits `young` into objects reachable
   * from outside it (appended to `old`, in CPython's merge order) and the rest (moved to
   * `unreachable`). `young` is consumed.
   */
  deduceUnreachable(young: RefBuffer, unreachable: RefBuffer, old: Generation, oldIndex: number): void {
    this.updateRefs(young);
    this.subtractRefs(young);
    this.moveUnreachable(young, unreachable, old, oldIndex);
  }

  /** Copies each object's true count into gc_refs and marks it as being collected. */
  updateRefs(young: RefBuffer): void {
    const { state, slot } = this;
    const rc = this.heap.refcounts;
    const items = young.items;
    for (let i = 0; i < young.length; i++) {
      const ref = items[i]!;
      if (ref === 0) continue;
      state[ref] = COLLECTING;
      slot[ref] = rc[ref]!;
    }
  }

  /**
   * Subtracts the references objects in the set hold to each other. What remains of an
   * object's gc_refs is the number of references from outside the set.
   */
  subtractRefs(young: RefBuffer): void {
    const { state, slot, heap } = this;
    const items = young.items;
    for (let i = 0; i < young.length; i++) {
      const ref = items[i]!;
      if (ref === 0) continue;
      const n = heap.collectorChildren(ref);
      const children = heap.childBuffer;
      for (let j = 0; j < n; j++) {
        const child = children[j]!;
        if (state[child] === COLLECTING) slot[child]!--;
      }
    }
  }

  /**
   * Moves objects not reachable from outside the set into `unreachable`, in CPython's
   * order: a pass over the set; an object with gc_refs 0 is moved out tentatively and
   * moved back (to the end of the set, to be scanned again) if a reachable object refers
   * to it. Each object found reachable joins `old` as it is scanned, which is the order
   * CPython's merge of the young list into the old one gives.
   */
  moveUnreachable(young: RefBuffer, unreachable: RefBuffer, old: Generation, oldIndex: number): void {
    const { state, slot, heap } = this;
    this.unreachable = unreachable;
    for (let i = 0; i < young.length; i++) {
      const ref = young.items[i]!;
      if (ref === 0) continue;
      if (slot[ref]! > 0) {
        state[ref] = oldIndex;
        old.add(ref, slot);
        const n = heap.collectorChildren(ref);
        const children = heap.childBuffer;
        for (let j = 0; j < n; j++) {
          const child = children[j]!;
          const s = state[child]!;
          if ((s & COLLECTING) === 0) continue;
          if (s & UNREACHABLE) {
            // Tentatively unreachable, but reachable after all: back to the end of the set.
            unreachable.items[slot[child]!] = 0;
            state[child] = COLLECTING;
            young.push(child);
            slot[child] = 1;
          } else if (slot[child] === 0) {
            slot[child] = 1; // not scanned yet; now known reachable
          }
        }
      } else {
        state[ref] = COLLECTING | UNREACHABLE;
        slot[ref] = unreachable.push(ref);
      }
    }
    young.clear();
  }

  /**
   * untrack_tuples, and in full collections untrack_dicts, in one pass over the survivors
   * `members[from…]`: stops tracking tuples (and dicts) that hold nothing that can be in a
   * cycle. Dicts only in full collections, to avoid quadratic dict build-up (bpo-14775).
   */
  untrackAtomicContainers(members: RefBuffer, from: number, dictsToo: boolean): void {
    const heap = this.heap;
    const dictKind = dictsToo ? Kind.Dict : -1;
    for (let i = from; i < members.length; i++) {
      const ref = members.items[i]!;
      if (ref === 0) continue;
      const kind = heap.kindOf(ref);
      if (kind === Kind.Tuple || kind === dictKind) heap.untrackIfAtomic(ref);
    }
  }

  /**
   * Legacy (pre-3.4) semantics: unreachable objects with a finalizer cannot be collected;
   * move them into `finalizers`.
   */
  moveLegacyFinalizers(unreachable: RefBuffer): void {
    const heap = this.heap;
    this.finalizers.clear();
    for (let i = 0; i < unreachable.length; i++) {
      const ref = unreachable.items[i]!;
      if (ref === 0 || !heap.hasFinalizer(ref)) continue;
      unreachable.items[i] = 0;
      this.#hold(ref);
    }
  }

  /** Everything an uncollectable object reaches in the unreachable set is uncollectable too. */
  moveLegacyFinalizerReachable(): void {
    for (let i = 0; i < this.finalizers.length; i++) {
      const ref = this.finalizers.items[i]!;
      if (ref !== 0) this.heap.traverse(ref, this.#visitMove);
    }
  }

  readonly #visitMove = (child: Ref): void => {
    if (this.state[child] !== (COLLECTING | UNREACHABLE)) return;
    this.unreachable.items[this.slot[child]!] = 0;
    this.#hold(child);
  };

  #hold(ref: Ref): void {
    this.state[ref] = HELD;
    this.slot[ref] = this.finalizers.push(ref);
  }

  /**
   * Clears every weak reference to an unreachable object before any finalizer or clear
   * runs, so no callback can reach the garbage. Callbacks are called only for weakrefs
   * that are not garbage themselves. Returns how many of those weakrefs died once their
   * callback had run (CPython counts them as collected).
   */
  handleWeakrefs(unreachable: RefBuffer, weakrefs: WeakrefProtocol | null): number {
    this.callbacksCalled = 0;
    if (weakrefs === null) return 0;
    const heap = this.heap;
    const toCall = this.#callbacksToCall;
    toCall.clear();
    for (let i = 0; i < unreachable.length; i++) {
      const ref = unreachable.items[i]!;
      if (ref === 0) continue;
      // A weakref that is garbage itself must not call back into objects being torn down (bpo-38006).
      if (weakrefs.isWeakref(ref)) weakrefs.detach(ref);
      if (!heap.hasWeakrefs(ref)) continue;
      weakrefs.clearQuietly(ref, this.#queueCallback);
    }
    let freed = 0;
    this.callbacksCalled = toCall.length;
    for (let i = 0; i < toCall.length; i++) {
      const weakref = toCall.items[i]!;
      const serial = heap.serialOf(weakref);
      weakrefs.invokeCallback(weakref);
      heap.decref(weakref);
      if (!heap.isAlive(weakref) || heap.serialOf(weakref) !== serial) freed++;
    }
    toCall.clear();
    return freed;
  }

  readonly #queueCallback = (weakref: Ref): void => {
    if (this.state[weakref] === (COLLECTING | UNREACHABLE)) return; // garbage itself: no callback
    this.heap.incref(weakref); // so it cannot go away before its turn
    this.#callbacksToCall.push(weakref);
  };

  /**
   * PEP 442: calls each unreachable object's finalizer, once in its life, holding a
   * reference meanwhile. Returns how many ran.
   */
  finalizeGarbage(unreachable: RefBuffer): number {
    const heap = this.heap;
    let ran = 0;
    for (let i = 0; i < unreachable.length; i++) {
      const ref = unreachable.items[i]!;
      if (ref === 0 || !heap.hasFinalizer(ref) || heap.isFinalized(ref)) continue;
      heap.incref(ref);
      heap.callFinalizer(ref);
      heap.decref(ref);
      ran++;
    }
    return ran;
  }

  /** Weakref callbacks called by the last `handleWeakrefs`. */
  callbacksCalled = 0;

  /**
   * After finalizers ran, runs the reachability analysis again over what was unreachable:
   * what a finalizer made reachable from outside, and all it reaches, survives into `old`;
   * the rest goes to `stillUnreachable`. `scratch` is an empty buffer to work in.
   */
  handleResurrectedObjects(
    unreachable: RefBuffer,
    stillUnreachable: RefBuffer,
    scratch: RefBuffer,
    old: Generation,
    oldIndex: number,
  ): void {
    scratch.clear();
    for (let i = 0; i < unreachable.length; i++) {
      const ref = unreachable.items[i]!;
      if (ref !== 0) scratch.push(ref);
    }
    unreachable.clear();
    stillUnreachable.clear();
    this.deduceUnreachable(scratch, stillUnreachable, old, oldIndex);
  }

  /**
   * Breaks the cycles: each object's clear drops its references, and counting frees the
   * rest. With DEBUG_SAVEALL the objects go to `garbage` instead. An object that survives
   * its clear (something outside still refers to it) moves to `old` at once, as CPython
   * moves it; it may die later.
   */
  deleteGarbage(collectable: RefBuffer, saveTo: Ref | null, old: Generation, oldIndex: number): void {
    const heap = this.heap;
    // When the garbage is made only of simple containers, free it in one sweep: the
    // outcome of clearing each in turn, without counting every internal reference down.
    this.#sweeping = collectable;
    if (saveTo === null && heap.releaseGarbage(collectable.items, collectable.length, this.#forgetSwept)) {
      collectable.clear();
      return;
    }
    for (let i = 0; i < collectable.length; i++) {
      const ref = collectable.items[i]!;
      if (ref === 0) continue; // freed by an earlier clear
      if (saveTo !== null) {
        heap.append(saveTo, ref);
      } else {
        heap.incref(ref);
        heap.clearReferences(ref);
        heap.decref(ref);
      }
      if (collectable.items[i] === ref) {
        collectable.items[i] = 0;
        this.state[ref] = oldIndex;
        old.add(ref, this.slot);
      }
    }
    collectable.clear();
  }

  #sweeping: RefBuffer | null = null;

  /**
   * The one-sweep release is committed: its members leave the collector's books before any
   * is freed, since code that runs during the sweep may allocate into their indexes.
   */
  readonly #forgetSwept = (): void => {
    const set = this.#sweeping!;
    this.#sweeping = null;
    for (let i = 0; i < set.length; i++) this.state[set.items[i]!] = NOT_LISTED;
  };
}
