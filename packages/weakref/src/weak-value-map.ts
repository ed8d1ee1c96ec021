/**
 * `WeakValueMap`: CPython's `weakref.WeakValueDictionary`. Values are heap objects held
 * weakly — an entry vanishes the moment its value dies — under keys that are JS
 * primitives or heap objects, equal as Python keys are (`keys.ts`). A heap-object key is
 * held strongly, as the dict holds it. A JS NaN key is a new float each time, as
 * `d[float('nan')]` is: each `set` adds an entry that no lookup finds (`keys.ts` says why).
 *
 * Reads come in both layers: `getRef` returns a borrowed ref (or NULL), `get` a new handle
 * (or undefined). Iteration hands out handles that stay valid until the iteration moves on
 * (CPython's iterator keeps the current item alive the same way); `dup()` one to keep it.
 */
import { Handle, type Heap, PyKeyError, type Ref } from '@refheap/core';
import type { HashKey } from './hash.ts';
import { KeyCodec, type MapKey, keyRepr } from './keys.ts';
import { WeakReference } from './weak-reference.ts';
import { WeakTable } from './weak-table.ts';
import { refOf, type Weakrefs } from './weakrefs.ts';

export class WeakValueMap<K extends MapKey = MapKey> extends WeakTable implements Iterable<[K, Handle]> {
  readonly #codec: KeyCodec;
  readonly #index = new Map<HashKey, number>();
  /** Per entry: the key as given when it is a JS value. */
  readonly #keys: (K | undefined)[] = [undefined];
  /** Per entry: the key's Map key. */
  readonly #norms: (HashKey | undefined)[] = [undefined];
  /** Per entry: the key object (owned) when the key is a heap object. */
  #keyRefs = new Int32Array(16);

  constructor(owner: Heap | Weakrefs, entries?: Iterable<readonly [K, Handle | Ref]>) {
    super(owner);
    this.#codec = new KeyCodec(this.heap);
    if (entries !== undefined) this.update(entries);
  }

  /** `d[key] = value`: `value` (a handle or a ref you hold) is referenced weakly; an equal key already there is kept. */
  set(key: K, value: Handle | Ref): this {
    const obj = refOf(this.heap, value);
    const norm = this.#codec.normalize(key);
    const wr = this.weaklyRef(obj); // may run a collection: look the key up after it
    const entry = this.#index.get(norm);
    if (entry !== undefined) {
      // The old weak reference goes; with no other owner it dies before its callback could run.
      this.heap.decref(this.swapWeakref(entry, wr));
      return this;
    }
    const fresh = this.newEntry(wr);
    this.#index.set(norm, fresh);
    this.#norms[fresh] = norm;
    if (key instanceof Handle) {
      const keyRef = key.ref;
      this.heap.incref(keyRef);
      this.#keyRefs[fresh] = keyRef;
      this.#keys[fresh] = undefined;
    } else {
      this.#keys[fresh] = key;
    }
    return this;
  }

  /** `d.get(key)` in the raw layer: the value, borrowed, or NULL when absent or dead. */
  getRef(key: K): Ref {
    const entry = this.#index.get(this.#codec.normalize(key));
    return entry === undefined ? 0 : this.objectOf(entry);
  }

  /** `d.get(key)`: a new handle to the value, or undefined when absent or dead. */
  get(key: K): Handle | undefined {
    const obj = this.getRef(key);
    return obj === 0 ? undefined : this.handle(obj);
  }

  /** `key in d`: present and alive. */
  has(key: K): boolean {
    return this.getRef(key) !== 0;
  }

  /** `del d[key]`, without the KeyError: whether a live entry was removed. */
  delete(key: K): boolean {
    const entry = this.#index.get(this.#codec.normalize(key));
    if (entry === undefined) return false;
    const live = this.objectOf(entry) !== 0;
    this.removeEntry(entry);
    return live;
  }

  /** `d.pop(key[, default])`: removes the entry and returns its value as a new handle; KeyError without a default. */
  pop(key: K): Handle;
  pop<D>(key: K, fallback: D): Handle | D;
  pop<D>(key: K, ...fallback: [D?]): Handle | D {
    const entry = this.#index.get(this.#codec.normalize(key));
    const obj = entry === undefined ? 0 : this.objectOf(entry);
    if (entry !== undefined) {
      if (obj !== 0) this.heap.incref(obj);
      this.removeEntry(entry);
    }
    if (obj !== 0) return new Handle(this.heap, obj);
    if (fallback.length > 0) return fallback[0] as D;
    throw new PyKeyError(keyRepr(this.heap, key));
  }

  /** `d.popitem()`: removes the last live entry and returns it; KeyError when empty. */
  popitem(): [K, Handle] {
    let last: number | undefined;
    for (const entry of this.#index.values()) if (this.isLive(entry)) last = entry;
    if (last === undefined) throw new PyKeyError('popitem(): dictionary is empty');
    const key = this.#keyAt(last);
    const obj = this.objectOf(last);
    this.heap.incref(obj);
    this.removeEntry(last);
    return [key, new Handle(this.heap, obj)];
  }

  /** `d.setdefault(key, value)`: the live value under `key`, or `value` after storing it; a new handle either way. */
  setDefault(key: K, value: Handle | Ref): Handle {
    const existing = this.getRef(key);
    if (existing !== 0) return this.handle(existing);
    this.set(key, value);
    return this.handle(refOf(this.heap, value));
  }

  /** `d.update(other)`. */
  update(entries: Iterable<readonly [K, Handle | Ref]>): this {
    for (const [key, value] of entries) this.set(key, value);
    return this;
  }

  /** `d.clear()`. */
  clear(): void {
    this.removeAll(this.#index.values());
  }

  /** `d.copy()`: a new map with the live entries. */
  copy(): WeakValueMap<K> {
    const copy = new WeakValueMap<K>(this.weakrefs);
    for (const [key, value] of this) copy.set(key, value);
    return copy;
  }

  /** `d.keys()`: keys of live entries (heap-object keys as handles valid until the next step). */
  *keys(): Generator<K, void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const key = this.#keyAt(entry);
      try {
        yield key;
      } finally {
        if (key instanceof Handle && !key.released) key.release();
      }
    }
  }

  /** `d.values()`: handles to the live values, each valid until the next step. */
  *values(): Generator<Handle, void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const value = this.handle(this.objectOf(entry));
      try {
        yield value;
      } finally {
        if (!value.released) value.release();
      }
    }
  }

  /** `d.items()`: `[key, value]` of live entries; handles valid until the next step. */
  *entries(): Generator<[K, Handle], void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const value = this.handle(this.objectOf(entry));
      const key = this.#keyAt(entry);
      try {
        yield [key, value];
      } finally {
        if (!value.released) value.release();
        if (key instanceof Handle && !key.released) key.release();
      }
    }
  }

  [Symbol.iterator](): Generator<[K, Handle], void, undefined> {
    return this.entries();
  }

  /** `d.valuerefs()`: new handles to the weak references of the live values. */
  valuerefs(): WeakReference[] {
    const refs: WeakReference[] = [];
    for (const entry of this.#index.values()) {
      if (!this.isLive(entry)) continue;
      const wr = this.wrOf[entry]!;
      this.heap.incref(wr);
      refs.push(new WeakReference(this.weakrefs, wr));
    }
    return refs;
  }

  /** `d.itervaluerefs()`: the weak references, each a handle valid until the next step. */
  *itervaluerefs(): Generator<WeakReference, void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const wr = this.wrOf[entry]!;
      this.heap.incref(wr);
      const ref = new WeakReference(this.weakrefs, wr);
      try {
        yield ref;
      } finally {
        if (!ref.released) ref.release();
      }
    }
  }

  override toString(): string {
    return `<WeakValueMap with ${this.size} entries>`;
  }

  /** The key of an entry: the JS value, or a new handle to the key object. */
  #keyAt(entry: number): K {
    const keyRef = this.#keyRefs[entry]!;
    return keyRef === 0 ? (this.#keys[entry] as K) : (this.handle(keyRef) as K);
  }

  protected override forget(entry: number): Ref {
    this.#index.delete(this.#norms[entry]!); // one entry per key, always
    this.#norms[entry] = undefined;
    this.#keys[entry] = undefined;
    const keyRef = this.#keyRefs[entry]!;
    this.#keyRefs[entry] = 0;
    return keyRef;
  }

  protected override grown(length: number): void {
    const keyRefs = new Int32Array(length);
    keyRefs.set(this.#keyRefs);
    this.#keyRefs = keyRefs;
  }
}
