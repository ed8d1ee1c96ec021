/**
 * `WeakKeyMap`: CPython's `weakref.WeakKeyDictionary`. Keys are heap objects held weakly —
 * an entry vanishes the moment its key dies — and values are any JS values, held as long
 * as the entry lives. Keys are compared by identity (everything that can be weakly
 * referenced hashes by identity).
 *
 * Keys go in as handles or refs you hold; they come out of iteration as handles that stay
 * valid until the iteration moves on (`dup()` one to keep it).
 */
import { type Handle, type Heap, PyKeyError, PyTypeError, type Ref } from '@refheap/core';
import { WeakReference } from './weak-reference.ts';
import { WeakTable } from './weak-table.ts';
import { refOf, type Weakrefs } from './weakrefs.ts';

export class WeakKeyMap<V = unknown> extends WeakTable implements Iterable<[Handle, V]> {
  /** Key object to entry. A key that died during an iteration stays until it ends, marked dead. */
  readonly #index = new Map<Ref, number>();
  readonly #values: (V | undefined)[] = [undefined];
  /** Per entry: its key object's index (the weak reference is already cleared when the entry goes). */
  #keyOf = new Int32Array(16);

  constructor(owner: Heap | Weakrefs, entries?: Iterable<readonly [Handle | Ref, V]>) {
    super(owner);
    if (entries !== undefined) this.update(entries);
  }

  /** `d[key] = value`: `key` (a handle or a ref you hold) is referenced weakly. TypeError for keys that cannot be. */
  set(key: Handle | Ref, value: V): this {
    const obj = refOf(this.heap, key);
    const found = this.#index.get(obj);
    if (this.isLive(found)) {
      this.#values[found] = value;
      return this;
    }
    const wr = this.weaklyRef(obj); // may run a collection: look the key up after it
    const entry = this.#index.get(obj);
    if (entry !== undefined) {
      // An entry whose key died during an iteration and whose index this object now has.
      const old = this.swapWeakref(entry, wr);
      this.#values[entry] = value;
      this.heap.decref(old);
      return this;
    }
    const fresh = this.newEntry(wr);
    this.#index.set(obj, fresh);
    this.#keyOf[fresh] = obj;
    this.#values[fresh] = value;
    return this;
  }

  /** `d.get(key[, default])`: the value, or the default (undefined). TypeError for keys that cannot be weakly referenced. */
  get(key: Handle | Ref): V | undefined;
  get<D>(key: Handle | Ref, fallback: D): V | D;
  get<D>(key: Handle | Ref, fallback?: D): V | D | undefined {
    const entry = this.#find(key, true);
    return entry === undefined ? fallback : this.#values[entry];
  }

  /** `key in d`: false for objects that cannot be weakly referenced. */
  has(key: Handle | Ref): boolean {
    return this.#find(key, false) !== undefined;
  }

  /** `del d[key]`, without the KeyError: whether an entry was removed. */
  delete(key: Handle | Ref): boolean {
    const entry = this.#find(key, false);
    if (entry === undefined) return false;
    this.removeEntry(entry);
    return true;
  }

  /** `d.pop(key[, default])`: removes the entry and returns its value; KeyError without a default. */
  pop(key: Handle | Ref): V;
  pop<D>(key: Handle | Ref, fallback: D): V | D;
  pop<D>(key: Handle | Ref, ...fallback: [D?]): V | D {
    const entry = this.#find(key, true);
    if (entry !== undefined) {
      const value = this.#values[entry] as V;
      this.removeEntry(entry);
      return value;
    }
    if (fallback.length > 0) return fallback[0] as D;
    throw new PyKeyError(this.heap.repr(refOf(this.heap, key)));
  }

  /** `d.popitem()`: removes the last live entry and returns `[key handle, value]`; KeyError when empty. */
  popitem(): [Handle, V] {
    let last: number | undefined;
    for (const entry of this.#index.values()) if (this.isLive(entry)) last = entry;
    if (last === undefined) throw new PyKeyError('popitem(): dictionary is empty');
    const key = this.handle(this.objectOf(last));
    const value = this.#values[last] as V;
    this.removeEntry(last);
    return [key, value];
  }

  /** `d.setdefault(key, value)`: the value under `key`, or `value` after storing it. */
  setDefault(key: Handle | Ref, value: V): V {
    const entry = this.#find(key, true);
    if (entry !== undefined) return this.#values[entry] as V;
    this.set(key, value);
    return value;
  }

  /** `d.update(other)`. */
  update(entries: Iterable<readonly [Handle | Ref, V]>): this {
    for (const [key, value] of entries) this.set(key, value);
    return this;
  }

  /** `d.clear()`. */
  clear(): void {
    this.removeAll(this.#index.values());
  }

  /** `d.copy()`. */
  copy(): WeakKeyMap<V> {
    const copy = new WeakKeyMap<V>(this.weakrefs);
    for (const [key, value] of this) copy.set(key, value);
    return copy;
  }

  /** Handles to the live keys, each valid until the next step. */
  *keys(): Generator<Handle, void, undefined> {
    for (const [key] of this.entries()) yield key;
  }

  /** The values of live entries. */
  *values(): Generator<V, void, undefined> {
    for (const entry of this.guarded(this.#index.values())) yield this.#values[entry] as V;
  }

  /** `[key, value]` of live entries; the key handle is valid until the next step. */
  *entries(): Generator<[Handle, V], void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const key = this.handle(this.objectOf(entry));
      try {
        yield [key, this.#values[entry] as V];
      } finally {
        if (!key.released) key.release();
      }
    }
  }

  [Symbol.iterator](): Generator<[Handle, V], void, undefined> {
    return this.entries();
  }

  /** `d.keyrefs()`: new handles to the weak references of the live keys. */
  keyrefs(): WeakReference[] {
    const refs: WeakReference[] = [];
    for (const entry of this.#index.values()) {
      if (!this.isLive(entry)) continue;
      const wr = this.wrOf[entry]!;
      this.heap.incref(wr);
      refs.push(new WeakReference(this.weakrefs, wr));
    }
    return refs;
  }

  override toString(): string {
    return `<WeakKeyMap with ${this.size} entries>`;
  }

  /** The live entry of `key`; for a miss, `strict` raises TypeError when the key could never be weakly referenced. */
  #find(key: Handle | Ref, strict: boolean): number | undefined {
    const obj = refOf(this.heap, key);
    const entry = this.#index.get(obj);
    if (this.isLive(entry)) return entry;
    const type = this.heap.typeOf(obj); // a freed object raises here
    if (strict && !type.weakrefable) throw new PyTypeError(`cannot create weak reference to '${type.name}' object`);
    return undefined;
  }

  protected override forget(entry: number): Ref {
    const obj = this.#keyOf[entry]!;
    if (this.#index.get(obj) === entry) this.#index.delete(obj);
    this.#keyOf[entry] = 0;
    this.#values[entry] = undefined;
    return 0;
  }

  protected override grown(length: number): void {
    const keyOf = new Int32Array(length);
    keyOf.set(this.#keyOf);
    this.#keyOf = keyOf;
  }
}
