/**
 * int and bool (Objects/longobject.c, boolobject.c): the constructor with CPython's string
 * parsing, the arithmetic dunders as method descriptors over operators.ts's intBinary (so
 * `int.__add__(1, 2)` works and mixed operations fall back to the other operand), hashing as
 * CPython's (the value modulo 2**61 - 1, sign kept, -1 → -2), and the int methods.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Operator } from '../../ast.ts';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import { formatInt } from '../format.ts';
import { BINARY, floatOf, intBinary, intOf, truthy } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { isSpace } from './text.ts';
import { intArg, isAbsent, noArgs, parseArgs, strArg } from './args.ts';
import { formatting } from './str.ts';

export const HASH_MODULUS: bigint = (1n << 61n) - 1n;

/** CPython's hash of an int. */
export function intHash(value: number | bigint): bigint {
  const v = typeof value === 'bigint' ? value : BigInt(value);
  const neg = v < 0n;
  let h = (neg ? -v : v) % HASH_MODULUS;
  if (neg) h = -h;
  if (h === -1n) h = -2n;
  return h;
}

/** An int object's value; TypeError in CPython's words when it is not an int or has no __index__. */
export function indexOf(vm: VM, ref: Ref): number | bigint {
  const direct = intOf(vm, ref);
  if (direct !== undefined) return direct;
  const method = lookupMethod(vm, ref, '__index__');
  if (method === NULL) throw vm.typeError(`'${vm.typeName(ref)}' object cannot be interpreted as an integer`);
  const result = vm.call(method, [ref]);
  try {
    const value = intOf(vm, result);
    if (value === undefined || vm.heap.kindOf(result) === Kind.Bool) {
      if (value === undefined) throw vm.typeError(`__index__ returned non-int (type ${vm.typeName(result)})`);
    }
    return value;
  } finally {
    vm.heap.decref(result);
  }
}

const big = (x: number | bigint): bigint => (typeof x === 'bigint' ? x : BigInt(x));

/** A JS integer as a new int (a bigint folded back when safe). */
export function newIntValue(vm: VM, value: number | bigint): Ref {
  return vm.heap.newInt(typeof value === 'number' && Object.is(value, -0) ? 0 : value);
}

/** `round(int, ndigits)`: half to even at 10**-ndigits. */
export function roundInt(vm: VM, value: number | bigint, ndigits: number): Ref {
  if (ndigits >= 0) return vm.heap.newInt(value);
  const pow = 10n ** BigInt(-ndigits);
  const v = big(value);
  let q = v / pow;
  let r = v % pow;
  if (r < 0n) {
    q -= 1n;
    r += pow;
  }
  const twice = 2n * r;
  if (twice > pow || (twice === pow && (q & 1n) === 1n)) q += 1n;
  return vm.heap.newInt(q * pow);
}

const stripSpace = (text: string): string => {
  const chars = [...text];
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a]!)) a++;
  while (b > a && isSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
};

/** Unicode decimal digits as ASCII (int('١٢') is 12). */
function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) return ch;
    // Nd blocks are runs of ten consecutive code points, each starting at a zero.
    let first = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(first - 1))) first--;
    return String((cp - first) % 10);
  });
}

/** sys.get_int_max_str_digits(): CPython 3.11's default limit on str ↔ int conversions. */
export const INT_MAX_STR_DIGITS = 4300;

/** Thrown by parseIntLiteral past the digit limit (the caller raises ValueError). */
export class DigitLimit extends Error {
  constructor(readonly digits: number) {
    super(digitLimitMessage(digits));
  }
}

export function digitLimitMessage(digits: number): string {
  return `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits} digits; use sys.set_int_max_str_digits() to increase the limit`;
}

/** PyLong_FromString: the int a literal spells in `base` (0: by prefix), or undefined when invalid. */
export function parseIntLiteral(text: string, base: number): bigint | undefined {
  let s = asciiDigits(stripSpace(text));
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const lower = s.toLowerCase();
  const prefix = lower.slice(0, 2);
  const prefixes: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };
  if (base === 0) {
    if (prefix in prefixes) {
      base = prefixes[prefix]!;
      s = s.slice(2);
      if (s.startsWith('_')) s = s.slice(1);
    } else {
      base = 10;
      if (/^0[0-9_]*$/.test(s) && /[1-9]/.test(s)) return undefined;
    }
  } else if (prefixes[prefix] === base) {
    s = s.slice(2);
    if (s.startsWith('_')) s = s.slice(1);
  }
  if (s === '' || s.startsWith('_') || s.endsWith('_') || s.includes('__')) return undefined;
  const digits = s.replace(/_/g, '').toLowerCase();
  if ((base & (base - 1)) !== 0 && digits.length > INT_MAX_STR_DIGITS) throw new DigitLimit(digits.length);
  let value = 0n;
  const b = BigInt(base);
  if (base === 10 && /^[0-9]+$/.test(digits)) value = BigInt(digits);
  else {
    for (const ch of digits) {
      const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
      if (d >= base) return undefined;
      value = value * b + BigInt(d);
    }
  }
  return neg ? -value : value;
}

/** float → int (truncating), CPython's errors for nan and infinities. */
export function floatToInt(vm: VM, f: number): Ref {
  if (Number.isNaN(f)) throw vm.error('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(f)) throw vm.error('OverflowError', 'cannot convert float infinity to integer');
  const t = Math.trunc(f);
  return vm.heap.newInt(Number.isSafeInteger(t) ? t + 0 : BigInt(t));
}

function construct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  const [x, baseRef] = parseArgs(vm, 'int', [NULL, ...args], kw, ['x', 'base'], 0, 1);
  if (x === NULL) {
    if (baseRef !== NULL) throw vm.typeError('int() missing string argument');
    return heap.newInt(0);
  }
  const kind = heap.kindOf(x!);
  if (baseRef !== NULL) {
    const base = intArg(vm, baseRef!);
    if (base !== 0 && (base < 2 || base > 36)) throw vm.error('ValueError', 'int() base must be >= 2 and <= 36, or 0');
    if (kind !== Kind.Str && kind !== Kind.Bytes && kind !== Kind.ByteArray) throw vm.typeError("int() can't convert non-string with explicit base");
    return fromText(vm, x!, base);
  }
  if (kind === Kind.Int) {
    heap.incref(x!);
    return x!;
  }
  if (kind === Kind.Bool) return heap.newInt(x === heap.True ? 1 : 0);
  if (kind === Kind.Float) return floatToInt(vm, heap.valueOf(x!) as number);
  if (kind === Kind.Str || kind === Kind.Bytes || kind === Kind.ByteArray) return fromText(vm, x!, 10);
  for (const name of ['__int__', '__index__']) {
    const method = lookupMethod(vm, x!, name);
    if (method === NULL || method === heap.None) continue;
    const result = vm.call(method, [x!]);
    const rk = heap.kindOf(result);
    if (rk === Kind.Int) return result;
    if (rk === Kind.Bool) {
      heap.decref(result);
      return heap.newInt(result === heap.True ? 1 : 0);
    }
    const name2 = vm.typeName(result);
    heap.decref(result);
    throw vm.typeError(`${name} returned non-int (type ${name2})`);
  }
  const trunc = lookupMethod(vm, x!, '__trunc__');
  if (trunc !== NULL) {
    const result = vm.call(trunc, [x!]);
    if (heap.kindOf(result) === Kind.Int) return result;
    try {
      return indexResult(vm, result);
    } finally {
      heap.decref(result);
    }
  }
  throw vm.typeError(`int() argument must be a string, a bytes-like object or a real number, not '${vm.typeName(x!)}'`);
}

function indexResult(vm: VM, result: Ref): Ref {
  const value = intOf(vm, result);
  if (value === undefined) throw vm.typeError(`__trunc__ returned non-Integral (type ${vm.typeName(result)})`);
  return vm.heap.newInt(value);
}

function fromText(vm: VM, x: Ref, base: number): Ref {
  const heap = vm.heap;
  const kind = heap.kindOf(x);
  const text = kind === Kind.Str ? (heap.valueOf(x) as string) : String.fromCharCode(...heap.bytesView(x));
  let value: bigint | undefined;
  try {
    value = /[\0]/.test(text) ? undefined : parseIntLiteral(text, base);
  } catch (error) {
    if (error instanceof DigitLimit) throw vm.error('ValueError', digitLimitMessage(error.digits));
    throw error;
  }
  if (value === undefined) {
    const shown = kind === Kind.Str ? repr(vm, x) : repr(vm, x);
    throw vm.error('ValueError', `invalid literal for int() with base ${base}: ${shown}`);
  }
  return heap.newInt(value);
}

const ARITH: readonly Operator[] = ['Add', 'Sub', 'Mult', 'FloorDiv', 'Mod', 'Div', 'Pow', 'LShift', 'RShift', 'BitAnd', 'BitOr', 'BitXor'];

export function installInt(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.int;
  const bool = vm.core.bool;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  const val = (ref: Ref): number | bigint => intOf(vm, ref)!;
  const NotImpl = (): Ref => {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  };
  const one = (name: string, args: readonly Ref[]): Ref => {
    if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
    void name;
    return args[1]!;
  };

  cls.construct = construct;
  bool.construct = (vm, _cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('bool() takes no keyword arguments');
    if (args.length > 1) throw vm.typeError(`bool expected at most 1 argument, got ${args.length}`);
    return vm.heap.newBool(args.length === 1 && truthy(vm, args[0]!));
  };

  for (const op of ARITH) {
    const [, name, reflected] = BINARY[op];
    def(name, (vm, args) => {
      const other = one(name, args);
      const y = intOf(vm, other);
      if (y === undefined) return NotImpl();
      return intBinary(vm, op, val(args[0]!), y);
    });
    def(reflected, (vm, args) => {
      const other = one(reflected, args);
      const y = intOf(vm, other);
      if (y === undefined) return NotImpl();
      return intBinary(vm, op, y, val(args[0]!));
    });
  }
  // bool & | ^ bool stay bools.
  for (const op of ['BitAnd', 'BitOr', 'BitXor'] as const) {
    for (const name of [BINARY[op][1], BINARY[op][2]]) {
      vm.defineMethod(bool, name, (vm, args) => {
        const other = one(name, args);
        if (heap.kindOf(other) === Kind.Bool) {
          const a = args[0] === heap.True;
          const b = other === heap.True;
          return heap.newBool(op === 'BitAnd' ? a && b : op === 'BitOr' ? a || b : a !== b);
        }
        const y = intOf(vm, other);
        if (y === undefined) return NotImpl();
        return intBinary(vm, op, val(args[0]!), y);
      });
    }
  }
  vm.defineMethod(bool, '__repr__', (vm, args) => vm.heap.newStr(args[0] === vm.heap.True ? 'True' : 'False'));
  vm.defineMethod(bool, '__str__', (vm, args) => vm.heap.newStr(args[0] === vm.heap.True ? 'True' : 'False'));

  def('__divmod__', (vm, args) => divmod(vm, args[0]!, one('__divmod__', args)));
  def('__rdivmod__', (vm, args) => divmod(vm, one('__rdivmod__', args), args[0]!));
  def('__pow__', (vm, args) => {
    if (args.length === 3 && !isAbsent(vm, args[2]!)) {
      const y = intOf(vm, args[1]!);
      const m = intOf(vm, args[2]!);
      if (y === undefined || m === undefined) return NotImpl();
      return powMod(vm, big(val(args[0]!)), big(y), big(m));
    }
    const y = intOf(vm, args[1]!);
    if (y === undefined) return NotImpl();
    return intBinary(vm, 'Pow', val(args[0]!), y);
  });

  const COMPARE = [
    ['__eq__', (c: number) => c === 0],
    ['__ne__', (c: number) => c !== 0],
    ['__lt__', (c: number) => c < 0],
    ['__le__', (c: number) => c <= 0],
    ['__gt__', (c: number) => c > 0],
    ['__ge__', (c: number) => c >= 0],
  ] as const;
  for (const [name, test] of COMPARE) {
    def(name, (vm, args) => {
      const y = intOf(vm, one(name, args));
      if (y === undefined) return NotImpl();
      const x = val(args[0]!);
      const c = x < y ? -1 : x > y ? 1 : 0;
      return heap.newBool(test(c));
    });
  }

  def('__hash__', (vm, args) => vm.heap.newInt(intHash(val(args[0]!))));
  def('__index__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__int__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__trunc__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__floor__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__ceil__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__pos__', (vm, args) => vm.heap.newInt(val(args[0]!)));
  def('__float__', (vm, args) => vm.heap.newFloat(floatOf(vm, args[0]!)!));
  def('__bool__', (vm, args) => {
    const v = val(args[0]!);
    return vm.heap.newBool(v !== 0 && v !== 0n);
  });
  def('__abs__', (vm, args) => {
    const v = val(args[0]!);
    return newIntValue(vm, v < 0 ? -v : v);
  });
  def('__neg__', (vm, args) => {
    const v = val(args[0]!);
    return newIntValue(vm, -v);
  });
  def('__invert__', (vm, args) => {
    const v = val(args[0]!);
    return vm.heap.newInt(typeof v === 'number' ? -v - 1 : -v - 1n);
  });
  def('__repr__', (vm, args) => vm.heap.newStr(String(val(args[0]!)), { intern: false }));
  def('__str__', (vm, args) => vm.heap.newStr(String(val(args[0]!)), { intern: false }));
  def('__format__', (vm, args) => {
    const spec = strArg(vm, one('__format__', args), 'format_spec');
    const self = args[0]!;
    if (spec === '') return vm.heap.newStr(repr(vm, self), { intern: false });
    return vm.heap.newStr(formatting(vm, () => formatInt(val(self), spec, heap.kindOf(self) === Kind.Bool ? 'bool' : 'int')), { intern: false });
  });
  def('__round__', (vm, args, kw) => {
    const [nd] = parseArgs(vm, '__round__', args, kw, ['ndigits'], 0);
    if (isAbsent(vm, nd!)) return vm.heap.newInt(val(args[0]!));
    return roundInt(vm, val(args[0]!), Number(indexOf(vm, nd!)));
  });
  def('__getnewargs__', (vm, args) => {
    const v = vm.heap.newInt(val(args[0]!));
    const t = vm.heap.newTuple([v]);
    vm.heap.decref(v);
    return t;
  });
  def('conjugate', (vm, args, kw) => {
    noArgs(vm, 'conjugate', args, kw);
    return vm.heap.newInt(val(args[0]!));
  });
  def('bit_length', (vm, args, kw) => {
    noArgs(vm, 'bit_length', args, kw);
    const v = big(val(args[0]!));
    return vm.heap.newInt((v < 0n ? -v : v).toString(2).length - (v === 0n ? 1 : 0));
  });
  def('bit_count', (vm, args, kw) => {
    noArgs(vm, 'bit_count', args, kw);
    const v = big(val(args[0]!));
    return vm.heap.newInt([...(v < 0n ? -v : v).toString(2)].filter((c) => c === '1').length);
  });
  def('as_integer_ratio', (vm, args, kw) => {
    noArgs(vm, 'as_integer_ratio', args, kw);
    const n = vm.heap.newInt(val(args[0]!));
    const d = vm.heap.newInt(1);
    const t = vm.heap.newTuple([n, d]);
    vm.heap.decref(n);
    vm.heap.decref(d);
    return t;
  });
  def('is_integer', (vm) => vm.heap.newBool(true));
  def('to_bytes', (vm, args, kw) => {
    const [lengthRef, orderRef, signedRef] = parseArgs(vm, 'to_bytes', args, kw, ['length', 'byteorder', 'signed'], 0, 2);
    const length = lengthRef === NULL ? 1 : Number(indexOf(vm, lengthRef!));
    const order = orderRef === NULL ? 'big' : strArg(vm, orderRef!, "to_bytes() argument 'byteorder'");
    const signed = signedRef !== NULL && truthy(vm, signedRef!);
    if (order !== 'big' && order !== 'little') throw vm.error('ValueError', "byteorder must be either 'little' or 'big'");
    if (length < 0) throw vm.error('ValueError', 'length argument must be non-negative');
    let v = big(val(args[0]!));
    if (v < 0n && !signed) throw vm.error('OverflowError', "can't convert negative int to unsigned");
    const bits = BigInt(length * 8);
    const fits = signed ? v >= -(1n << (bits - 1n)) && v < 1n << (bits - 1n) : v < 1n << bits;
    if (length === 0 ? v !== 0n : !fits) throw vm.error('OverflowError', 'int too big to convert');
    if (v < 0n) v += 1n << bits;
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[order === 'big' ? length - 1 - i : i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return vm.heap.newBytes(out);
  });
  vm.defineClassMethod(cls, 'from_bytes', (vm, args, kw) => {
    const [bytesRef, orderRef, signedRef] = parseArgs(vm, 'from_bytes', args, kw, ['bytes', 'byteorder', 'signed'], 1, 2);
    const order = orderRef === NULL ? 'big' : strArg(vm, orderRef!, "from_bytes() argument 'byteorder'");
    const signed = signedRef !== NULL && truthy(vm, signedRef!);
    if (order !== 'big' && order !== 'little') throw vm.error('ValueError', "byteorder must be either 'little' or 'big'");
    let data: Uint8Array;
    const k = vm.heap.kindOf(bytesRef!);
    if (k === Kind.Bytes || k === Kind.ByteArray) data = vm.heap.bytesView(bytesRef!);
    else {
      if (k === Kind.Str) throw vm.typeError("cannot convert 'str' object to bytes");
      const made = vm.call(vm.core.bytes.object, [bytesRef!]);
      data = vm.heap.bytesView(made).slice();
      vm.heap.decref(made);
    }
    let v = 0n;
    const n = data.length;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(data[order === 'big' ? i : n - 1 - i]!);
    if (signed && n > 0 && v >= 1n << BigInt(n * 8 - 1)) v -= 1n << BigInt(n * 8);
    return vm.heap.newInt(v);
  });

  const getter = (name: string, fn: (vm: VM, self: Ref) => Ref): void => {
    cls.getset.set(name, { get: fn });
  };
  getter('real', (vm, self) => vm.heap.newInt(val(self)));
  getter('numerator', (vm, self) => vm.heap.newInt(val(self)));
  getter('imag', (vm) => vm.heap.newInt(0));
  getter('denominator', (vm) => vm.heap.newInt(1));
}

function divmod(vm: VM, a: Ref, b: Ref): Ref {
  const heap = vm.heap;
  const x = intOf(vm, a);
  const y = intOf(vm, b);
  if (x === undefined || y === undefined) {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  }
  const q = intBinary(vm, 'FloorDiv', x, y);
  const r = intBinary(vm, 'Mod', x, y);
  const t = heap.newTuple([q, r]);
  heap.decref(q);
  heap.decref(r);
  return t;
}

/** pow(x, y, m) for ints. */
export function powMod(vm: VM, x: bigint, y: bigint, m: bigint): Ref {
  if (m === 0n) throw vm.error('ValueError', 'pow() 3rd argument cannot be 0');
  const neg = m < 0n;
  if (neg) m = -m;
  if (y < 0n) {
    x = modInverse(vm, x, m);
    y = -y;
  }
  let result = 1n % m;
  let base = ((x % m) + m) % m;
  while (y > 0n) {
    if (y & 1n) result = (result * base) % m;
    base = (base * base) % m;
    y >>= 1n;
  }
  if (neg && result !== 0n) result -= m;
  return vm.heap.newInt(result);
}

/** a⁻¹ mod m (pow(a, -1, m)); ValueError when a and m are not coprime. */
export function modInverse(vm: VM, a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw vm.error('ValueError', 'base is not invertible for the given modulus');
  return ((oldS % m) + m) % m;
}
