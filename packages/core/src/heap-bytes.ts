/**
 * bytes and bytearray objects (Objects/bytesobject.c, bytearrayobject.c): their storage in
 * the payload table; the byte arithmetic is in bytes.ts.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { bytesFromSource, type BytesSource, checkByte, sliceOf } from './bytes.ts';
import { PyIndexError, PyTypeError } from './errors.ts';
import { HeapAtoms } from './heap-atoms.ts';
import { pythonTypeOf } from './heap-helpers.ts';
import type { Ref } from './ref.ts';
import { Kind } from './types.ts';

export abstract class HeapBytes extends HeapAtoms {

  /**
   * `bytes(source[, encoding[, errors]])`: from a count (that many zero bytes), ints in
   * range(0, 256), a buffer (copied) or a str with an encoding (utf-8, ascii, latin-1).
   * The contents are real memory, a Uint8Array of their length, freed with the object.
   */
  newBytes(source?: BytesSource, encoding?: string, errors?: string): Ref {
    return this._newAtom(this.types.bytes, bytesFromSource('bytes', source, encoding, errors));
  }

  /** `bytearray(source[, encoding[, errors]])`: as `newBytes`, mutable and unhashable. */
  newByteArray(source?: BytesSource, encoding?: string, errors?: string): Ref {
    return this._newAtom(this.types.bytearray, bytesFromSource('bytearray', source, encoding, errors));
  }

  /**
   * The contents of a bytes or bytearray, not a copy: valid while the object lives (its
   * memory goes when it is freed). Write into a bytearray's view freely; a bytes' view must
   * be treated as read-only, since bytes are immutable and may be dict keys.
   */
  bytesView(ref: Ref): Uint8Array {
    this._checkLive(ref);
    const kind = this._typeKind[this._type[ref]!];
    if (kind !== Kind.Bytes && kind !== Kind.ByteArray) {
      throw new PyTypeError(`a bytes-like object is required, not '${this._typeTable[this._type[ref]!]!.name}'`, this.describe(ref));
    }
    return this._payloads[this._base[ref]!] as Uint8Array;
  }

  /** `b[index]`: the byte, an int in range(0, 256). Negative indexes count from the end. */
  byteAt(ref: Ref, index: number): number {
    const data = this.bytesView(ref);
    return data[this._byteIndex(ref, data, index)]!;
  }

  /**
   * Replaces a bytearray's contents with a copy of `data` — what append, extend, pop and slice
   * assignment do, since they change its length. Views taken before are of the old contents.
   */
  setBytes(ref: Ref, data: Uint8Array): void {
    const type = this.typeOf(ref);
    if (type.kind !== Kind.ByteArray) throw new PyTypeError(`'${type.name}' object cannot be resized`, this.describe(ref));
    this._payloads[this._base[ref]!] = data.slice();
  }

  /** `ba[index] = value` for a bytearray. */
  setByte(ref: Ref, index: number, value: number): void {
    const data = this.bytesView(ref);
    if (this._typeKind[this._type[ref]!] === Kind.Bytes) {
      throw new PyTypeError("'bytes' object does not support item assignment", this.describe(ref));
    }
    const at = this._byteIndex(ref, data, index);
    data[at] = checkByte('bytearray', value);
  }

  /** `b[start:stop:step]`: a new bytes (or bytearray, for a bytearray), CPython's slice rules. */
  bytesSlice(ref: Ref, start?: number | null, stop?: number | null, step?: number | null): Ref {
    const data = this.bytesView(ref);
    const picked = sliceOf(data, start ?? undefined, stop ?? undefined, step ?? undefined);
    return this._newAtom(this._typeTable[this._type[ref]!]!, picked);
  }

  protected _byteIndex(ref: Ref, data: Uint8Array, index: number): number {
    const name = this._typeTable[this._type[ref]!]!.name;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new PyTypeError(`${name === 'bytes' ? 'byte' : name} indices must be integers or slices, not ${pythonTypeOf(index)}`);
    }
    const i = index < 0 ? index + data.length : index;
    if (i < 0 || i >= data.length) {
      throw new PyIndexError(name === 'bytes' ? 'index out of range' : 'bytearray index out of range', this.describe(ref));
    }
    return i;
  }
}
