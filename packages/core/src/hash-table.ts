/**
 * The storage behind dict and set: CPython's compact, insertion-ordered
 * layout. Entries sit in two dense arrays (keys, values) in insertion order;
 * an index maps each key's hash key to its position. Deleting leaves a hole
 * that compaction squeezes out once holes outnumber entries, so iteration and
 * traversal are plain loops over arrays.
 */
import type { Ref } from './ref.ts';

/**
 * A JS value equal for equal Python keys: `1`, `1.0` and `True` share one;
 * tuples of equal items share one; other objects key by identity.
 */
export type HashKey = number | string | bigint;

export class HashTable {
  readonly index: Map<HashKey, number> = new Map();
  /** Keys in insertion order; 0 marks a deleted entry. */
  keys: Ref[] = [];
  /** Values parallel to `keys` (unused by sets). */
  values: Ref[] = [];
  /** Hash keys parallel to `keys`, so compaction can re-index without rehashing objects. */
  hashes: HashKey[] = [];
  /**
   * Whether every key ever stored was a str (CPython's DICT_KEYS_UNICODE): such a dict's
   * traversal skips its keys. Set back only when the table is emptied, as `dict.clear()` does.
   */
  strKeysOnly = true;

  get size(): number {
    return this.index.size;
  }

  /** Position of `hash`, or -1. */
  find(hash: HashKey): number {
    return this.index.get(hash) ?? -1;
  }

  /** Appends a new entry; the caller has checked the key is absent and owns the references. */
  append(hash: HashKey, key: Ref, value: Ref): void {
    this.index.set(hash, this.keys.length);
    this.keys.push(key);
    this.values.push(value);
    this.hashes.push(hash);
  }

  /** Removes the entry at `at`; the caller releases the references it held. */
  removeAt(at: number): void {
    this.index.delete(this.hashes[at]!);
    this.keys[at] = 0;
    this.values[at] = 0;
    if (this.keys.length > 8 && this.index.size * 2 < this.keys.length) this.#compact();
  }

  /** Forgets every entry; returns the old keys and values for the caller to release. */
  takeAll(): { keys: Ref[]; values: Ref[] } {
    const taken = { keys: this.keys, values: this.values };
    this.index.clear();
    this.keys = [];
    this.values = [];
    this.hashes = [];
    this.strKeysOnly = true;
    return taken;
  }

  #compact(): void {
    let to = 0;
    const { keys, values, hashes } = this;
    for (let from = 0; from < keys.length; from++) {
      if (keys[from] === 0) continue;
      keys[to] = keys[from]!;
      values[to] = values[from]!;
      hashes[to] = hashes[from]!;
      this.index.set(hashes[to]!, to);
      to++;
    }
    keys.length = to;
    values.length = to;
    hashes.length = to;
  }
}
