/**
 * Dicts and sets (Objects/dictobject.c, setobject.c): their hash tables, and the keys
 * objects hash by.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { bytesKey } from './bytes.ts';
import { PyKeyError, PyTypeError } from './errors.ts';
import { type HashKey, HashTable } from './hash-table.ts';
import { TRACKED, TUPLE_HEADER } from './heap-definitions.ts';
import { checkItems, strHash } from './heap-helpers.ts';
import { HeapSequences } from './heap-sequences.ts';
import { NULL, type Ref } from './ref.ts';
import { Kind } from './types.ts';

export abstract class HeapTables extends HeapSequences {
  // Defined by the layers above.
  abstract mayBeTracked(ref: Ref): boolean;
  abstract repr(ref: Ref): string;

  /** An empty dict. Untracked until it holds something that may be part of a cycle, as in CPython. */
  newDict(): Ref {
    const ref = this._newContainer(this.types.dict, 0);
    this._base[ref] = this._storePayload(new HashTable());
    return this._born(ref);
  }

  /** A set of `items` (each increfed). */
  newSet(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newSet');
    this._checkItems(items);
    for (let i = 0; i < items.length; i++) this.hashKey(items[i]!); // unhashable: raise before building
    const ref = this._newContainer(this.types.set, 0);
    this._base[ref] = this._storePayload(new HashTable());
    this._track(ref);
    for (let i = 0; i < items.length; i++) this.setAdd(ref, items[i]!);
    return this._born(ref);
  }

  /** `d[key] = value`. */
  dictSet(dict: Ref, key: Ref, value: Ref): void {
    this._expectKind(dict, Kind.Dict, '__setitem__');
    this._checkValue(value);
    const hash = this.hashKey(key);
    const table = this._table(dict);
    this.incref(value);
    const at = table.find(hash);
    if (at >= 0) {
      this._replaceValue(dict, table, at, value);
      return;
    }
    this.incref(key);
    table.append(hash, key, value);
    if (this._typeKind[this._type[key]!] !== Kind.Str) table.strKeysOnly = false;
    this._maintainDictTracking(dict, key);
    this._maintainDictTracking(dict, value);
  }

  /** `d.get(key)`: the value, borrowed, or NULL. */
  dictGet(dict: Ref, key: Ref): Ref {
    this._expectKind(dict, Kind.Dict, 'get');
    const table = this._table(dict);
    const at = table.find(this.hashKey(key));
    return at >= 0 ? table.values[at]! : NULL;
  }

  /** `d.get(name)` for a str key given as text, borrowed, or NULL; no object is made for the key. */
  dictGetStr(dict: Ref, name: string): Ref {
    this._expectKind(dict, Kind.Dict, 'get');
    const table = this._table(dict);
    const at = table.find(strHash(name));
    return at >= 0 ? table.values[at]! : NULL;
  }

  /**
   * Where `key` sits among `dict`'s entries, or -1: a position for a caller to cache, as
   * CPython's LOAD_GLOBAL caches its entry index. It stays good until the entry is deleted
   * or the entries compacted; `dictValueAt` and `dictStoreAt` check it, so a stale one costs
   * a fresh lookup, never a wrong answer.
   */
  dictIndex(dict: Ref, key: Ref): number {
    this._expectKind(dict, Kind.Dict, 'get');
    return this._table(dict).find(this.hashKey(key));
  }

  /** The value (borrowed) at entry `index` if that entry's key is the object `key`; NULL if not. */
  dictValueAt(dict: Ref, index: number, key: Ref): Ref {
    this._expectKind(dict, Kind.Dict, 'get');
    const table = this._table(dict);
    return table.keys[index] === key && key !== NULL ? table.values[index]! : NULL;
  }

  /**
   * `d[key] = value` at entry `index` if that entry's key is the object `key`, taking over the
   * caller's reference to `value` (a name store hands its value over, as STORE_GLOBAL does);
   * false, and nothing changed, if the entry is not there.
   */
  dictStoreAt(dict: Ref, index: number, key: Ref, value: Ref): boolean {
    this._expectKind(dict, Kind.Dict, '__setitem__');
    this._checkValue(value);
    const table = this._table(dict);
    if (table.keys[index] !== key || key === NULL) return false;
    this._replaceValue(dict, table, index, value);
    return true;
  }

  /** Entry `at` of `dict` takes `value` (the caller's reference, now the dict's); the old value is released last. */
  protected _replaceValue(dict: Ref, table: HashTable, at: number, value: Ref): void {
    const old = table.values[at]!;
    table.values[at] = value;
    this._maintainDictTracking(dict, value);
    this.decref(old);
  }

  /** `del d[key]`; a missing key raises KeyError. */
  dictDelete(dict: Ref, key: Ref): void {
    this._expectKind(dict, Kind.Dict, '__delitem__');
    const table = this._table(dict);
    const at = table.find(this.hashKey(key));
    if (at < 0) throw new PyKeyError(this.repr(key));
    const oldKey = table.keys[at]!;
    const oldValue = table.values[at]!;
    table.removeAt(at);
    this.decref(oldKey);
    this.decref(oldValue);
  }

  /** Calls `visit(key, value)` for each entry, in insertion order (both borrowed). */
  dictForEach(dict: Ref, visit: (key: Ref, value: Ref) => void): void {
    this._expectKind(dict, Kind.Dict, 'items');
    const table = this._table(dict);
    const { keys, values } = table;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!, values[i]!);
  }

  /** `s.add(item)`. */
  setAdd(set: Ref, item: Ref): void {
    this._expectKind(set, Kind.Set, 'add');
    const hash = this.hashKey(item);
    const table = this._table(set);
    if (table.find(hash) >= 0) return;
    this.incref(item);
    table.append(hash, item, NULL);
  }

  /** `item in s`. */
  setHas(set: Ref, item: Ref): boolean {
    this._expectKind(set, Kind.Set, '__contains__');
    return this._table(set).find(this.hashKey(item)) >= 0;
  }

  /** `s.discard(item)`: true when it was there. */
  setDiscard(set: Ref, item: Ref): boolean {
    this._expectKind(set, Kind.Set, 'discard');
    const table = this._table(set);
    const at = table.find(this.hashKey(item));
    if (at < 0) return false;
    const old = table.keys[at]!;
    table.removeAt(at);
    this.decref(old);
    return true;
  }

  /** Calls `visit(item)` for each member, borrowed. */
  setForEach(set: Ref, visit: (item: Ref) => void): void {
    this._expectKind(set, Kind.Set, '__iter__');
    const keys = this._table(set).keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!);
  }

  /**
   * A JS value equal for equal Python keys (`1`, `1.0`, `True` agree; tuples by their items;
   * other objects by identity). Unhashable types raise CPython's TypeError.
   */
  hashKey(ref: Ref): HashKey {
    // A live str, the commonest key (names in a namespace), in a few reads, small enough for V8
    // to inline into every dict and set operation; the rest out of line.
    if (this._typeKind[this._type[ref]!] === Kind.Str && this._rc[ref]! > 0) {
      return strHash(this._payloads[this._base[ref]!] as string);
    }
    return this._hashKeyOf(ref);
  }

  /** `hashKey` for every kind, told by the kind column: the type record read only where its name or its own hash is needed. */
  protected _hashKeyOf(ref: Ref): HashKey {
    this._checkLive(ref);
    switch (this._typeKind[this._type[ref]!]) {
      case Kind.None:
        return '\u0000None';
      case Kind.Bool:
        return ref === this.True ? 1 : 0;
      case Kind.Int:
        return this._payloads[this._base[ref]!] as number | bigint;
      case Kind.Float: {
        const v = this._payloads[this._base[ref]!] as number;
        if (Number.isNaN(v)) return `\u0000@${ref}`;
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v);
        return v;
      }
      case Kind.Str:
        return strHash(this._payloads[this._base[ref]!] as string);
      case Kind.Tuple:
        return this._tupleKey(ref);
      case Kind.Bytes:
        return bytesKey(this._payloads[this._base[ref]!] as Uint8Array);
      case Kind.List:
      case Kind.Dict:
      case Kind.Set:
      case Kind.ByteArray:
        throw new PyTypeError(`unhashable type: '${this._typeTable[this._type[ref]!]!.name}'`);
      default: {
        const type = this._typeTable[this._type[ref]!]!;
        return type.hashKey ? type.hashKey(this, ref) : `\u0000@${ref}`;
      }
    }
  }

  /**
   * A tuple's key from its items' keys, nested tuples included, on an explicit stack: CPython
   * hashes a tuple nested 100,000 deep, and so must this, without recursing on the JS stack.
   */
  protected _tupleKey(root: Ref): string {
    const tuples: Ref[] = [root];
    const next: number[] = [0];
    const keys: string[] = ['\u0000('];
    for (;;) {
      const top = tuples.length - 1;
      const base = this._base[tuples[top]!]!;
      const i = next[top]!;
      if (i < this._words[base]!) {
        next[top] = i + 1;
        const item = this._words[base + TUPLE_HEADER + i]!;
        if (this._typeKind[this._type[item]!] === Kind.Tuple) {
          tuples.push(item);
          next.push(0);
          keys.push('\u0000(');
        } else {
          const part = this.hashKey(item);
          keys[top] += typeof part === 'string' ? `s${part.length}:${part}` : `n${String(part)};`;
        }
        continue;
      }
      const done = keys.pop()!;
      tuples.pop();
      next.pop();
      if (tuples.length === 0) return done;
      keys[top - 1] += `s${done.length}:${done}`;
    }
  }

  protected _setStrItem(dict: Ref, name: string, value: Ref): void {
    const key = this.intern(name);
    try {
      this.dictSet(dict, key, value);
    } finally {
      this.decref(key);
    }
  }

  protected _deleteStrItem(dict: Ref, name: string): void {
    const key = this.intern(name);
    try {
      this.dictDelete(dict, key);
    } finally {
      this.decref(key);
    }
  }

  /** CPython's MAINTAIN_TRACKING: a dict starts tracking once it holds something that may be in a cycle. */
  protected _maintainDictTracking(dict: Ref, added: Ref): void {
    if (!(this._flags[dict]! & TRACKED) && this.mayBeTracked(added)) this._track(dict);
  }
}
