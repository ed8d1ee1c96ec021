/**
 * Keys of a `WeakValueMap` or `WeakCache`: JS primitives or heap objects, equal exactly
 * when the Python keys would be. A JS value is the same key as the heap object it
 * converts to (`'a'` and a str handle `'a'`; `1`, `1.0` and `true`; `null` and None), and
 * a heap object is compared as a dict compares it (`Heap.hashKey`: by value for atoms and
 * tuples, by identity for everything else). No heap object is made to look up a JS key.
 *
 * NaN follows from that rule. A dict finds a NaN key only by identity, since NaN is not equal
 * to itself: one float object `n` set twice is one entry, two NaN objects are two entries
 * (python3 3.11's WeakValueDictionary does exactly this). A JS NaN has no identity, and the
 * heap object it converts to is a new float each time (`py.dict([[NaN, 1], [NaN, 2]])` has
 * two entries and `get(NaN)` raises KeyError), so a JS NaN key is as `d[float('nan')]`: every
 * `set` makes a new entry and no lookup finds one. A heap NaN float used as a key (a handle)
 * is that one object, found again by itself — the way to have one NaN key, as `math.nan` is.
 */
import { ForeignHeapError, floatRepr, Handle, type Heap, PyTypeError, strRepr } from '@refheap/core';
import type { HashKey } from './hash.ts';

/** A key: a JS primitive, or a handle to a hashable heap object. */
export type MapKey = string | number | bigint | boolean | null | Handle;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class KeyCodec {
  readonly #heap: Heap;
  readonly #none: HashKey;
  /** JS NaN keys seen so far: each is a new float, its own key (no heap key starts `\u0000nan `). */
  #nans = 0;

  constructor(heap: Heap) {
    this.#heap = heap;
    this.#none = heap.hashKey(heap.None);
  }

  /** The JS value that stands for `key` in a Map: equal for equal Python keys. */
  normalize(key: MapKey): HashKey {
    switch (typeof key) {
      case 'string':
        // The heap's key for a str is its text, except text starting with NUL, which it escapes.
        return key.charCodeAt(0) === 0 ? this.#viaHeap(key) : key;
      case 'number':
        if (Number.isNaN(key)) return `\u0000nan ${++this.#nans}`;
        return Number.isInteger(key) && !Number.isSafeInteger(key) ? BigInt(key) : key;
      case 'bigint':
        return key >= MIN_SAFE && key <= MAX_SAFE ? Number(key) : key;
      case 'boolean':
        return key ? 1 : 0;
      case 'object':
        if (key === null) return this.#none;
        if (key instanceof Handle) {
          if (key.heap !== this.#heap) throw new ForeignHeapError(`${key.heap.describe(key.ref)} belongs to another heap`);
          return this.#heap.hashKey(key.ref);
        }
        break;
      default:
        break;
    }
    throw new PyTypeError(`unhashable type: '${typeof key}'`);
  }

  #viaHeap(text: string): HashKey {
    const heap = this.#heap;
    const ref = heap.newStr(text, { intern: false });
    try {
      return heap.hashKey(ref);
    } finally {
      heap.decref(ref);
    }
  }
}

/** `repr(key)`, for KeyError messages. */
export function keyRepr(heap: Heap, key: MapKey): string {
  if (key === null) return 'None';
  switch (typeof key) {
    case 'string':
      return strRepr(key);
    case 'number':
      return Number.isInteger(key) ? String(key) : floatRepr(key);
    case 'bigint':
      return String(key);
    case 'boolean':
      return key ? 'True' : 'False';
    default:
      return heap.repr(key.ref);
  }
}
