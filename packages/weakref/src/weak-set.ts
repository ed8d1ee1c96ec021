/**
 * `WeakSet`: CPython's `weakref.WeakSet` (Lib/_weakrefset.py) — a set of heap objects held
 * weakly; an item vanishes the moment it dies. The seeds' resource pool counts live
 * resources with one. Items go in as handles or refs you hold; iteration hands out handles
 * valid until the next step (`dup()` one to keep it).
 *
 * (The name is CPython's; it shadows the JS global `WeakSet` where it is imported.)
 */
import { Handle, type Heap, PyKeyError, type Ref } from '@refheap/core';
import { WeakTable } from './weak-table.ts';
import { refOf, type Weakrefs } from './weakrefs.ts';

export class WeakSet extends WeakTable implements Iterable<Handle> {
  readonly #index = new Map<Ref, number>();
  #itemOf = new Int32Array(16);

  constructor(owner: Heap | Weakrefs, items?: Iterable<Handle | Ref>) {
    super(owner);
    if (items !== undefined) this.update(items);
  }

  /** `s.add(item)`: TypeError for objects that cannot be weakly referenced. */
  add(item: Handle | Ref): this {
    const obj = refOf(this.heap, item);
    if (this.isLive(this.#index.get(obj))) return this;
    const wr = this.weaklyRef(obj); // may run a collection: look the item up after it
    const entry = this.#index.get(obj);
    if (entry !== undefined) {
      this.heap.decref(this.swapWeakref(entry, wr));
      return this;
    }
    const fresh = this.newEntry(wr);
    this.#index.set(obj, fresh);
    this.#itemOf[fresh] = obj;
    return this;
  }

  /** `item in s`: false for objects that cannot be weakly referenced. */
  has(item: Handle | Ref): boolean {
    const obj = refOf(this.heap, item);
    if (this.isLive(this.#index.get(obj))) return true;
    this.heap.typeOf(obj); // a freed object raises here
    return false;
  }

  /** `s.discard(item)`: whether it was there. */
  discard(item: Handle | Ref): boolean {
    return this.delete(item);
  }

  /** `s.discard(item)`, by its JS name. */
  delete(item: Handle | Ref): boolean {
    const entry = this.#index.get(refOf(this.heap, item));
    if (!this.isLive(entry)) return false;
    this.removeEntry(entry);
    return true;
  }

  /** `s.remove(item)`: KeyError when it is not there. */
  remove(item: Handle | Ref): void {
    if (!this.delete(item)) throw new PyKeyError(this.heap.repr(refOf(this.heap, item)));
  }

  /** `s.pop()`: removes some live item and returns it as a new handle; KeyError when empty. */
  pop(): Handle {
    for (const entry of this.#index.values()) {
      if (!this.isLive(entry)) continue;
      const obj = this.objectOf(entry);
      this.heap.incref(obj);
      this.removeEntry(entry);
      return new Handle(this.heap, obj);
    }
    throw new PyKeyError('pop from empty WeakSet');
  }

  /** `s.update(items)`. */
  update(items: Iterable<Handle | Ref>): this {
    for (const item of items) this.add(item);
    return this;
  }

  /** `s.clear()`. */
  clear(): void {
    this.removeAll(this.#index.values());
  }

  /** `s.copy()`. */
  copy(): WeakSet {
    return new WeakSet(this.weakrefs, this);
  }

  /** Handles to the live items, each valid until the next step. */
  *values(): Generator<Handle, void, undefined> {
    for (const entry of this.guarded(this.#index.values())) {
      const item = this.handle(this.objectOf(entry));
      try {
        yield item;
      } finally {
        if (!item.released) item.release();
      }
    }
  }

  [Symbol.iterator](): Generator<Handle, void, undefined> {
    return this.values();
  }

  override toString(): string {
    return `<WeakSet with ${this.size} items>`;
  }

  protected override forget(entry: number): Ref {
    const obj = this.#itemOf[entry]!;
    if (this.#index.get(obj) === entry) this.#index.delete(obj);
    this.#itemOf[entry] = 0;
    return 0;
  }

  protected override grown(length: number): void {
    const itemOf = new Int32Array(length);
    itemOf.set(this.#itemOf);
    this.#itemOf = itemOf;
  }
}
