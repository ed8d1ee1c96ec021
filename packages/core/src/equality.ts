/**
 * Python's `==` for the built-in types (PyObject_RichCompare with Py_EQ): numbers across
 * bool, int and float; str with str; bytes with bytearray by contents; tuples with tuples
 * and lists with lists item by item; dicts by keys and values; sets by members. Anything
 * else is equal only to itself, as `object.__eq__` is. Nesting is walked on an explicit
 * stack, so a structure nested 100,000 deep compares without a JS stack overflow.
 */
import { sameBytes } from './bytes.ts';
import type { HeapReader } from './heap-reader.ts';
import type { Ref } from './ref.ts';
import { Kind } from './types.ts';

type Pair = readonly [Ref, Ref];

export function pyEqual(heap: HeapReader, a: Ref, b: Ref): boolean {
  // `nan == nan` is False, yet `[nan] == [nan]` is True: items compare with
  // PyObject_RichCompareBool, whose identity shortcut the outermost `==` does not take.
  if (a === b) return !(heap.kindOf(a) === Kind.Float && Number.isNaN(heap.valueOf(a)));
  const pending: Pair[] = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    const kx = heap.kindOf(x);
    const ky = heap.kindOf(y);
    if (isNumber(kx) && isNumber(ky)) {
      if (!numbersEqual(heap.valueOf(x) as number | bigint | boolean, heap.valueOf(y) as number | bigint | boolean)) return false;
      continue;
    }
    if (isBytes(kx) && isBytes(ky)) {
      if (!sameBytes(heap.bytesView(x), heap.bytesView(y))) return false;
      continue;
    }
    if (kx !== ky) return false;
    switch (kx) {
      case Kind.Str:
        if (heap.valueOf(x) !== heap.valueOf(y)) return false;
        continue;
      case Kind.Tuple:
      case Kind.List: {
        const n = heap.length(x);
        if (n !== heap.length(y)) return false;
        for (let i = n - 1; i >= 0; i--) pending.push([heap.item(x, i), heap.item(y, i)]);
        continue;
      }
      case Kind.Dict: {
        if (heap.length(x) !== heap.length(y)) return false;
        let missing = false;
        heap.dictForEach(x, (key, value) => {
          if (missing) return;
          const other = heap.dictGet(y, key);
          if (other === 0) missing = true;
          else pending.push([value, other]);
        });
        if (missing) return false;
        continue;
      }
      case Kind.Set: {
        if (heap.length(x) !== heap.length(y)) return false;
        let missing = false;
        heap.setForEach(x, (item) => {
          if (!missing && !heap.setHas(y, item)) missing = true;
        });
        if (missing) return false;
        continue;
      }
      default:
        return false; // distinct objects of other types: object.__eq__ compares identity
    }
  }
  return true;
}

function isNumber(kind: Kind): boolean {
  return kind === Kind.Bool || kind === Kind.Int || kind === Kind.Float;
}

function isBytes(kind: Kind): boolean {
  return kind === Kind.Bytes || kind === Kind.ByteArray;
}

/** int == float compares exact values (CPython's float_richcompare), so 2**53 + 1 != 2.0**53. */
function numbersEqual(x: number | bigint | boolean, y: number | bigint | boolean): boolean {
  const a = typeof x === 'boolean' ? Number(x) : x;
  const b = typeof y === 'boolean' ? Number(y) : y;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  const [big, num] = typeof a === 'bigint' ? [a, b as number] : [b as bigint, a];
  return Number.isInteger(num) && BigInt(num) === big;
}
