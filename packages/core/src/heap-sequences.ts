/**
 * Tuples and lists (Objects/tupleobject.c, listobject.c): item blocks in the slot pool, a
 * length word (tuples) or a length and capacity (lists) first.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { PyIndexError, PyTypeError } from './errors.ts';
import { HeapBytes } from './heap-bytes.ts';
import { LIST_HEADER, TUPLE_HEADER } from './heap-definitions.ts';
import { checkItems } from './heap-helpers.ts';
import { NULL, type Ref } from './ref.ts';
import { SlotPool } from './slot-pool.ts';
import { Kind, type PlainValue } from './types.ts';

export abstract class HeapSequences extends HeapBytes {
  // Defined by the layers above.
  abstract override valueOf(ref: Ref): PlainValue;

  /** A tuple of `items` (each increfed; the caller keeps its own references). */
  newTuple(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newTuple');
    this._checkItems(items);
    const ref = this._newContainer(this.types.tuple, TUPLE_HEADER + items.length);
    const base = this._base[ref]!;
    const words = this._words;
    words[base] = items.length;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.incref(item);
      words[base + TUPLE_HEADER + i] = item;
    }
    this._track(ref);
    return this._born(ref);
  }

  /** A list of `items` (each increfed). */
  newList(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newList');
    this._checkItems(items);
    const ref = this._newContainer(this.types.list, SlotPool.blockSize(LIST_HEADER + Math.max(items.length, 4)));
    const base = this._base[ref]!;
    const words = this._words;
    words[base] = items.length;
    words[base + 1] = SlotPool.blockSize(LIST_HEADER + Math.max(items.length, 4)) - LIST_HEADER;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.incref(item);
      words[base + LIST_HEADER + i] = item;
    }
    this._track(ref);
    return this._born(ref);
  }

  /** Number of items (tuple, list, dict, set, str). */
  length(ref: Ref): number {
    const type = this.typeOf(ref);
    switch (type.kind) {
      case Kind.Tuple:
      case Kind.List:
        return this._words[this._base[ref]!]!;
      case Kind.Dict:
      case Kind.Set:
        return this._table(ref).size;
      case Kind.Str:
        return [...(this.valueOf(ref) as string)].length;
      case Kind.Bytes:
      case Kind.ByteArray:
        return (this._payloads[this._base[ref]!] as Uint8Array).length;
      default:
        throw new PyTypeError(`object of type '${type.name}' has no len()`);
    }
  }

  /** Item `index` of a tuple or list, borrowed. Negative indexes count from the end. */
  item(ref: Ref, index: number): Ref {
    const at = this._itemAt(ref, index, 'get');
    return this._words[at]!;
  }

  /** `seq[index] = value` for a list: increfs the new item and releases the old. */
  setItem(ref: Ref, index: number, value: Ref): void {
    this._expectKind(ref, Kind.List, '__setitem__');
    this._checkValue(value);
    const at = this._itemAt(ref, index, 'assignment');
    const old = this._words[at]!;
    this.incref(value);
    this._words[at] = value;
    this.decref(old);
  }

  /** `list.append(value)`. */
  append(list: Ref, value: Ref): void {
    this._expectKind(list, Kind.List, 'append');
    this._checkValue(value);
    let base = this._base[list]!;
    const length = this._words[base]!;
    if (length === this._words[base + 1]!) base = this._growList(list, length + 1);
    this.incref(value);
    this._words[base + LIST_HEADER + length] = value;
    this._words[base] = length + 1;
  }

  /** `list.pop(index)`: removes the item and returns it as a new reference (the list's own). */
  pop(list: Ref, index = -1): Ref {
    this._expectKind(list, Kind.List, 'pop');
    if (this._words[this._base[list]!] === 0) throw new PyIndexError('pop from empty list');
    const at = this._itemAt(list, index, 'pop');
    const base = this._base[list]!;
    const words = this._words;
    const value = words[at]!;
    const end = base + LIST_HEADER + words[base]! - 1;
    words.copyWithin(at, at + 1, end + 1);
    words[end] = NULL;
    words[base] = words[base]! - 1;
    return value;
  }

  /** `del list[index]`. */
  deleteItem(list: Ref, index: number): void {
    this.decref(this.pop(list, index));
  }

  protected _growList(list: Ref, needed: number): number {
    const oldBase = this._base[list]!;
    const oldCapacity = this._words[oldBase + 1]!;
    const length = this._words[oldBase]!;
    const block = SlotPool.blockSize(LIST_HEADER + Math.max(needed, oldCapacity * 2));
    const base = this._pool.allocate(block);
    const words = this._words;
    words.copyWithin(base, oldBase, oldBase + LIST_HEADER + length);
    words[base + 1] = block - LIST_HEADER;
    this._pool.release(oldBase, LIST_HEADER + oldCapacity);
    this._base[list] = base;
    return base;
  }
}
