/**
 * What WeakValueMap, WeakKeyMap and WeakSet share: entries that each own one weak
 * reference, made with a single callback per table (CPython's KeyedRef trick: the weak
 * reference's data says which entry it is), and CPython's `_IterationGuard`.
 *
 * An entry vanishes the moment its object dies. While an iteration is running, it only
 * vanishes from view — every read skips it and `size` no longer counts it — and is taken
 * out when the last iteration ends, so an iteration never loses its place and never skips
 * a live entry. Explicit changes made during an iteration follow JS Map semantics:
 * an entry deleted before it is reached is not visited, one added is.
 */
import { Handle, type Heap, type Ref } from '@refheap/core';
import type { RawCallback } from './raw-callback.ts';
import { Weakrefs, internals } from './weakrefs.ts';

export abstract class WeakTable {
  readonly heap: Heap;
  readonly weakrefs: Weakrefs;

  /** Per entry: the weak reference the table owns, 0 for a free entry. Entry 0 is never used. */
  protected wrOf: Int32Array = new Int32Array(16);
  /** Per entry: its object died while an iteration was running; the removal waits. */
  #dead = new Uint8Array(16);
  #freeEntries: number[] = [];
  #entryTop = 1;
  #entries = 0;
  #deadCount = 0;
  #iterating = 0;
  /** Deferred removals, as (entry, weakref) pairs (CPython's `_pending_removals`). */
  readonly #pending: number[] = [];
  /** The one callback of every weak reference this table makes. */
  protected readonly onDeath: RawCallback;

  constructor(owner: Heap | Weakrefs) {
    this.weakrefs = owner instanceof Weakrefs ? owner : Weakrefs.of(owner);
    this.heap = this.weakrefs.heap;
    this.onDeath = (wr) => this.#died(wr);
  }

  /** `len(table)`: live entries. */
  get size(): number {
    return this.#entries - this.#deadCount;
  }

  /** `len(table)`, by its Python name. */
  len(): number {
    return this.size;
  }

  /** A weak reference to `obj` with this table's callback (it may run a collection, so call it before touching entries). */
  protected weaklyRef(obj: Ref): Ref {
    return this.weakrefs.ref(obj, this.onDeath);
  }

  /** A fresh entry holding `wr` (which then carries the entry's number). */
  protected newEntry(wr: Ref): number {
    let entry = this.#freeEntries.pop();
    if (entry === undefined) {
      entry = this.#entryTop++;
      if (entry >= this.wrOf.length) this.#grow(entry + 1);
    }
    this.#entries++;
    this.wrOf[entry] = wr;
    internals.setData(this.weakrefs, wr, entry);
    return entry;
  }

  /** Puts `wr` in place of the entry's weak reference; returns the old one for the caller to release. */
  protected swapWeakref(entry: number, wr: Ref): Ref {
    const old = this.wrOf[entry]!;
    this.wrOf[entry] = wr;
    internals.setData(this.weakrefs, wr, entry);
    this.#undead(entry);
    return old;
  }

  /** Whether an entry is in use and its object alive. */
  protected isLive(entry: number | undefined): entry is number {
    if (entry === undefined) return false;
    const wr = this.wrOf[entry]!;
    // A dead entry's weak reference was cleared when its object died, so deref tells it all.
    return wr !== 0 && this.weakrefs.deref(wr) !== 0;
  }

  /** The entry's object, borrowed, or NULL. */
  protected objectOf(entry: number): Ref {
    const wr = this.wrOf[entry]!;
    return wr === 0 ? 0 : this.weakrefs.deref(wr);
  }

  /** Subclasses forget the entry's key and value; they return a reference they held for it (a key object), or 0. */
  protected abstract forget(entry: number): Ref;

  /** Called when an entry's object dies (before the entry is taken out). */
  protected vanished(_entry: number): void {}

  /** Takes an entry out now: its key and value are forgotten, its weak reference (and key object) released. */
  protected removeEntry(entry: number): void {
    this.#undead(entry);
    const wr = this.wrOf[entry]!;
    this.wrOf[entry] = 0;
    const held = this.forget(entry);
    this.#entries--;
    this.#freeEntries.push(entry);
    // Last, because releasing can run finalizers and callbacks that use this table.
    this.heap.decref(wr);
    if (held !== 0) this.heap.decref(held);
  }

  /** Removes every entry. */
  protected removeAll(entries: Iterable<number>): void {
    for (const entry of [...entries]) if (this.wrOf[entry] !== 0) this.removeEntry(entry);
  }

  /** A new handle to a borrowed ref. */
  protected handle(ref: Ref): Handle {
    this.heap.incref(ref);
    return new Handle(this.heap, ref);
  }

  /**
   * Iterates live entries of `entries` under the guard: deaths meanwhile are deferred
   * until the last guarded iteration ends (or is abandoned with `return()`, as `break` does).
   */
  protected *guarded(entries: Iterable<number>): Generator<number, void, undefined> {
    this.#iterating++;
    try {
      for (const entry of entries) if (this.isLive(entry)) yield entry;
    } finally {
      if (--this.#iterating === 0 && this.#pending.length > 0) this.#commit();
    }
  }

  /** Whether an iteration is running (removals are being deferred). */
  protected get iterating(): boolean {
    return this.#iterating > 0;
  }

  #died(wr: Ref): void {
    const entry = this.weakrefs.dataOf(wr);
    if (this.wrOf[entry] !== wr || this.#dead[entry] !== 0) return; // an entry replaced or removed meanwhile
    this.vanished(entry);
    if (this.wrOf[entry] !== wr) return; // the hook changed it
    if (this.#iterating > 0) {
      this.#dead[entry] = 1;
      this.#deadCount++;
      this.#pending.push(entry, wr);
    } else {
      this.removeEntry(entry);
    }
  }

  #undead(entry: number): void {
    if (this.#dead[entry] !== 0) {
      this.#dead[entry] = 0;
      this.#deadCount--;
    }
  }

  /** `_commit_removals`: takes out the entries that died during iterations, unless they were replaced since. */
  #commit(): void {
    const pending = this.#pending;
    while (pending.length > 0) {
      const wr = pending.pop()!;
      const entry = pending.pop()!;
      if (this.wrOf[entry] === wr && this.#dead[entry] !== 0) this.removeEntry(entry);
    }
  }

  #grow(minimum: number): void {
    let length = this.wrOf.length;
    while (length < minimum) length *= 2;
    const wrOf = new Int32Array(length);
    wrOf.set(this.wrOf);
    this.wrOf = wrOf;
    const dead = new Uint8Array(length);
    dead.set(this.#dead);
    this.#dead = dead;
    this.grown(length);
  }

  /** Subclasses grow their per-entry typed arrays here. */
  protected grown(_length: number): void {}
}
