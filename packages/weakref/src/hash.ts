/**
 * A weak reference's `hash()` is its referent's, computed once and remembered, so it
 * survives the referent (CPython's `weakref_hash`). The heap describes an object's hash
 * identity as a JS value (`Heap.hashKey`: a number, a bigint or a string); this folds
 * that value into a 32-bit integer that fits the weakref table's typed arrays.
 */
import type { Heap } from '@refheap/core';

/** What `Heap.hashKey` returns. */
export type HashKey = ReturnType<Heap['hashKey']>;

/** A 32-bit integer for a hash key: equal keys give equal integers. */
export function foldHash(key: HashKey): number {
  if (typeof key === 'number') {
    if ((key | 0) === key) return key;
    return foldString(String(key));
  }
  return foldString(typeof key === 'bigint' ? `${key}n` : key);
}

/** FNV-1a over UTF-16 code units. */
function foldString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}
