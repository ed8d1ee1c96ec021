/**
 * The atoms: None, bool, int, float and str (Objects/longobject.c, floatobject.c,
 * unicodeobject.c in CPython), small ints and interned strings.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { PyTypeError } from './errors.ts';
import { SMALL_INT_MAX, SMALL_INT_MIN } from './heap-definitions.ts';
import { pythonTypeOf } from './heap-helpers.ts';
import { HeapRefcount } from './heap-refcount.ts';
import type { Ref } from './ref.ts';
import { Kind } from './types.ts';

const MIN_SAFE_BIGINT = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE_BIGINT = BigInt(Number.MAX_SAFE_INTEGER);

export abstract class HeapAtoms extends HeapRefcount {

  /** A new reference to None. */
  newNone(): Ref {
    this.incref(this.None);
    return this.None;
  }

  /** A new reference to True or False. */
  newBool(value: boolean): Ref {
    const ref = value ? this.True : this.False;
    this.incref(ref);
    return ref;
  }

  /** An int; -5…256 come from the small-int cache, as in CPython. */
  newInt(value: number | bigint): Ref {
    // The commonest case first: a safe integer held as a number.
    if (Number.isSafeInteger(value)) {
      const v = value as number;
      if (v >= SMALL_INT_MIN && v <= SMALL_INT_MAX) {
        const ref = this._smallInt(v);
        this.incref(ref);
        return ref;
      }
      return this._newAtom(this.types.int, v);
    }
    if (typeof value === 'bigint') {
      // An int in the safe range is held as a number, whichever way it came.
      return value >= MIN_SAFE_BIGINT && value <= MAX_SAFE_BIGINT ? this.newInt(Number(value)) : this._newAtom(this.types.int, value);
    }
    if (typeof value !== 'number') {
      throw new PyTypeError(`'${pythonTypeOf(value)}' object cannot be interpreted as an integer`);
    }
    if (!Number.isInteger(value)) throw new PyTypeError(`'float' object cannot be interpreted as an integer`);
    return this._newAtom(this.types.int, BigInt(value)); // an integer past 2**53, exactly as the double holds it
  }

  /**
   * The value of an int that a JS number holds exactly, read in three column reads with no
   * type record: what an interpreter's arithmetic fast path asks of each operand. undefined
   * for an int past 2**53 (a bigint), a bool, any other kind, or a dead object.
   */
  safeIntValue(ref: Ref): number | undefined {
    if (this._typeKind[this._type[ref]!] !== Kind.Int || !(this._rc[ref]! > 0)) return undefined;
    const value = this._payloads[this._base[ref]!];
    return typeof value === 'number' ? value : undefined;
  }

  newFloat(value: number): Ref {
    if (typeof value !== 'number') throw new PyTypeError(`must be real number, not ${typeof value}`);
    return this._newAtom(this.types.float, value);
  }

  /**
   * A str. Like the constants in CPython code objects, identifier-like text and single
   * characters are interned — equal literals are one object — unless `intern` is false,
   * which is what runtime data with unboundedly many distinct values wants (interned strings
   * live as long as the heap).
   */
  newStr(value: string, options?: { readonly intern?: boolean }): Ref {
    if (typeof value !== 'string') throw new PyTypeError(`expected str, got ${typeof value}`);
    if (value.length <= 1 || (options?.intern !== false && /^[A-Za-z0-9_]+$/.test(value))) return this.intern(value);
    return this._newAtom(this.types.str, value);
  }

  /**
   * `sys.intern`: the one str object with this text. The interning table keeps it alive for
   * the heap's life (as 3.12's immortal interned strings are), so intern names, not data.
   */
  intern(value: string): Ref {
    let ref = this._interned.get(value);
    if (ref === undefined) {
      ref = this._newAtom(this.types.str, value);
      this._interned.set(value, ref);
    }
    this.incref(ref);
    return ref;
  }
}
