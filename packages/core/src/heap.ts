/**
 * The reference-counted heap. An object is an index into typed-array columns
 * (count, type, flags, where its slots live);
 * its slots live in a shared Int32Array pool, and only atoms' values and the
 * dict/set tables live in JS. Counting frees an object the moment its count
 * reaches zero, in CPython's order, on an explicit stack so a ten-million-node
 * chain unwinds without recursion.
 *
 * `Heap` is the one public surface, composed the way CPython splits Objects/: each part a
 * class over the one below, in a file of its own, all sharing the columns heap-base.ts
 * declares —
 *
 *     heap-base.ts        the state: columns, tables, counters; checks; payloads
 *     heap-storage.ts     allocation, free lists, growing and trimming, the young buffer
 *     heap-refcount.ts    counts, identity, deallocation and the trashcan
 *     heap-atoms.ts       None, bool, int, float, str
 *     heap-bytes.ts       bytes, bytearray
 *     heap-sequences.ts   tuple, list
 *     heap-tables.ts      dict, set, hash keys
 *     heap-instances.ts   classes, instances, slots, attributes
 *     heap-functions.ts   functions, cells
 *     heap-traversal.ts   what a collector needs: traverse, clear, release, finalize
 *     heap-plugins.ts     the protocol side: collector, weakrefs, sampler, observers, close
 *     heap-verify.ts      verify() and the statistics
 *     heap.ts             description and conversion (repr, equal, valueOf, from)
 *
 * A layer that needs a method of a layer above declares it `abstract` (CPython's type
 * slots): the classes are only ever instantiated as `Heap`, so every call site sees one
 * receiver shape and V8 keeps it monomorphic.
 */
import { addressOf, formatAddress } from './address.ts';
import { pyEqual } from './equality.ts';
import { PyTypeError } from './errors.ts';
import type { Convertible } from './heap-definitions.ts';
import { HeapIntegrity } from './heap-verify.ts';
import type { Ref } from './ref.ts';
import { reprObject } from './repr.ts';
import { type ClassSpecOf, type HeapTypeOf, Kind, type PlainValue, type TypeHooksOf } from './types.ts';

export { Flag } from './heap-definitions.ts';
export type { CloseReport, Convertible, HeapOptions, HeapStats, TypeStats } from './heap-definitions.ts';
export type { PlainValue } from './types.ts';

/** A type registered with a heap. */
export type HeapType = HeapTypeOf<Heap>;
/** What `defineClass` takes. */
export type ClassSpec = ClassSpecOf<Heap>;
/** A type's behaviour hooks, CPython's tp_traverse / tp_clear / tp_finalize / tp_repr. */
export type TypeHooks = TypeHooksOf<Heap>;

export class Heap extends HeapIntegrity {
  /** `a == b` for the built-in types (see equality.ts); other objects equal only themselves. */
  equal(a: Ref, b: Ref): boolean {
    this._checkLive(a);
    this._checkLive(b);
    return pyEqual(this, a, b);
  }

  /** The JS value of an atom: null, boolean, number, bigint, string, or a copy of a bytes' contents. */
  override valueOf(ref: Ref): PlainValue {
    const type = this.typeOf(ref);
    switch (type.kind) {
      case Kind.None:
        return null;
      case Kind.Bool:
        return ref === this.True;
      case Kind.Int:
      case Kind.Float:
      case Kind.Str:
        return this._payloads[this._base[ref]!] as number | bigint | string;
      case Kind.Bytes:
      case Kind.ByteArray:
        return (this._payloads[this._base[ref]!] as Uint8Array).slice();
      default:
        throw new PyTypeError(`${this.describe(ref)} is not an atom and has no plain value`);
    }
  }

  /** A new reference to the object for a JS value: None, bool, int (integers), float, str, bytes (a Uint8Array, copied). */
  from(value: Convertible): Ref {
    switch (typeof value) {
      case 'undefined':
        return this.newNone();
      case 'boolean':
        return this.newBool(value);
      case 'bigint':
        return this.newInt(value);
      case 'string':
        return this.newStr(value);
      case 'number':
        return Number.isInteger(value) ? this.newInt(value) : this.newFloat(value);
      default:
        if (value === null) return this.newNone();
        if (value instanceof Uint8Array) return this.newBytes(value);
        throw new PyTypeError(`cannot convert ${String(value)} to a heap object`);
    }
  }

  /** `repr(obj)`, CPython's. */
  override repr(ref: Ref): string {
    this._checkLive(ref);
    return reprObject(this, ref);
  }

  /** `<Node object at 0x…>`: how errors and debug output name an object, whatever its type. */
  override describe(ref: Ref): string {
    const type = ref < this._top ? this._typeTable[this._type[ref]!] : undefined;
    const at = formatAddress(addressOf(this.tag, ref));
    // The address is out now, as good as an id: objectAt must be able to say if it gets reused.
    if (this._rc[ref]! > 0) this._issuedIds.set(ref, this.serialOf(ref));
    if (!type) return `<object at ${at}>`;
    if (type.kind === Kind.Type) return `<class '${this._classTypes.get(ref)?.name ?? '?'}'>`;
    if (type.kind === Kind.Function) return `<function ${this._functionNames.get(ref) ?? '<lambda>'} at ${at}>`;
    return `<${type.name} object at ${at}>`;
  }
}
