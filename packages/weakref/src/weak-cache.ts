/**
 * `WeakCache`: the seeds' exercise, done properly. `get(key, create)` makes the object on
 * a miss and hands it out; on a hit it hands out the very same object; the cache itself
 * only holds weak references, so an object lives exactly as long as someone else holds
 * it — and its entry vanishes the moment it dies (an eviction).
 *
 *     const cache = new WeakCache<string>(heap);
 *     using a = cache.get('key1', () => py.new(Expensive));   // miss: created
 *     using b = cache.get('key1', () => py.new(Expensive));   // hit: a.is(b)
 */
import { Handle, type Heap, PyTypeError, type Ref } from '@refheap/core';
import type { MapKey } from './keys.ts';
import { WeakValueMap } from './weak-value-map.ts';
import type { Weakrefs } from './weakrefs.ts';

/** A cache's counters. */
export interface WeakCacheStats {
  /** `get` calls that found a live object. */
  readonly hits: number;
  /** `get` calls that had to create one. */
  readonly misses: number;
  /** Entries that vanished because their object died. */
  readonly evictions: number;
  /** Live entries now. */
  readonly size: number;
}

/** The map under a cache: counts the entries whose object dies. */
class EvictionCountingMap<K extends MapKey> extends WeakValueMap<K> {
  readonly #evicted: () => void;

  constructor(owner: Heap | Weakrefs, evicted: () => void) {
    super(owner);
    this.#evicted = evicted;
  }

  protected override vanished(_entry: number): void {
    this.#evicted();
  }
}

export class WeakCache<K extends MapKey = MapKey> {
  readonly #map: WeakValueMap<K>;
  #hits = 0;
  #misses = 0;
  #evictions = 0;

  constructor(owner: Heap | Weakrefs) {
    this.#map = new EvictionCountingMap<K>(owner, () => this.#evictions++);
  }

  get heap(): Heap {
    return this.#map.heap;
  }

  /**
   * The object cached under `key` as a new handle; on a miss, `create(key)` makes it (returning
   * a new handle, which is handed to you) and the cache keeps a weak reference to it.
   */
  get(key: K, create: (key: K) => Handle): Handle {
    const found = this.#map.get(key);
    if (found !== undefined) {
      this.#hits++;
      return found;
    }
    this.#misses++;
    const made = create(key);
    if (!(made instanceof Handle)) throw new PyTypeError(`WeakCache.get: create() must return a Handle, not ${typeof made}`);
    try {
      this.#map.set(key, made);
    } catch (error) {
      made.release(); // it cannot be cached (not weakly referenceable): do not leak it
      throw error;
    }
    return made;
  }

  /** `get` in the raw layer: `create(key)` returns a new reference; the result is a new reference. */
  getRef(key: K, create: (key: K) => Ref): Ref {
    const found = this.#map.getRef(key);
    if (found !== 0) {
      this.#hits++;
      this.heap.incref(found);
      return found;
    }
    this.#misses++;
    const made = create(key);
    try {
      this.#map.set(key, made);
    } catch (error) {
      this.heap.decref(made);
      throw error;
    }
    return made;
  }

  /** The cached object as a new handle, or undefined; counts nothing and creates nothing. */
  peek(key: K): Handle | undefined {
    return this.#map.get(key);
  }

  /** Whether a live object is cached under `key`. */
  has(key: K): boolean {
    return this.#map.has(key);
  }

  /** Forgets `key` (the object lives on if someone holds it). */
  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  /** Forgets everything. */
  clear(): void {
    this.#map.clear();
  }

  /** Live entries. */
  get size(): number {
    return this.#map.size;
  }

  /** Keys of the live entries. */
  keys(): Generator<K, void, undefined> {
    return this.#map.keys();
  }

  /** Hits, misses, evictions and size. */
  get stats(): WeakCacheStats {
    return { hits: this.#hits, misses: this.#misses, evictions: this.#evictions, size: this.size };
  }

  /** Sets the counters back to zero. */
  resetStats(): void {
    this.#hits = 0;
    this.#misses = 0;
    this.#evictions = 0;
  }
}
