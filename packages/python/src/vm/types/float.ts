/**
 * float (Objects/floatobject.c): the constructor with CPython's string syntax, the arithmetic
 * dunders over operators.ts's floatBinary, _Py_HashDouble, round() correctly rounded (the
 * exact binary value rounded half-even in decimal, then read back as CPython's dtoa does),
 * hex(), as_integer_ratio() and is_integer().
 */
import { Kind, NULL, floatRepr } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Operator } from '../../ast.ts';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import { formatFloat } from '../format.ts';
import { BINARY, floatBinary, floatDivmod, floatOf } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { isSpace } from './text.ts';
import { isAbsent, noArgs, parseArgs, strArg } from './args.ts';
import { formatting } from './str.ts';
import { HASH_MODULUS, floatToInt, indexOf, intHash } from './int.ts';

/** frexp: [m, e] with x = m * 2**e and 0.5 <= |m| < 1. */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x) || Number.isNaN(x)) return [x, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  let bits = (view.getUint32(0) >>> 20) & 0x7ff;
  let e = 0;
  if (bits === 0) {
    // Subnormal: scale up first.
    view.setFloat64(0, x * 2 ** 64);
    bits = (view.getUint32(0) >>> 20) & 0x7ff;
    e = -64;
  }
  e += bits - 1022;
  const hi = view.getUint32(0);
  view.setUint32(0, (hi & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), e];
}

/** CPython's _Py_HashDouble for a finite or infinite value (NaN hashes by identity, the caller's business). */
export function floatHash(v: number): bigint {
  if (!Number.isFinite(v)) return v > 0 ? 314159n : -314159n;
  if (Number.isInteger(v)) return intHash(BigInt(v));
  let [m, e] = frexp(v);
  let sign = 1n;
  if (m < 0) {
    sign = -1n;
    m = -m;
  }
  let x = 0n;
  while (m) {
    x = ((x << 28n) & HASH_MODULUS) | (x >> (61n - 28n));
    m *= 268435456.0;
    e -= 28;
    const y = Math.floor(m);
    m -= y;
    x += BigInt(y);
    if (x >= HASH_MODULUS) x -= HASH_MODULUS;
  }
  e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  const be = BigInt(e);
  x = ((x << be) & HASH_MODULUS) | (x >> (61n - be));
  x *= sign;
  if (x === -1n) x = -2n;
  return x;
}

/** The exact value of a finite double as numerator / 2**shift (shift >= 0). */
function exact(v: number): [bigint, bigint] {
  const [m, e] = frexp(v);
  // m * 2**53 is an integer.
  const mant = BigInt(m * 2 ** 53);
  const exp = e - 53;
  if (exp >= 0) return [mant << BigInt(exp), 0n];
  // Reduce.
  let n = mant;
  let shift = BigInt(-exp);
  while (shift > 0n && (n & 1n) === 0n) {
    n >>= 1n;
    shift -= 1n;
  }
  return [n, shift];
}

/** `round(x, ndigits)` for a float, correctly rounded half-even, as CPython's double_round. */
export function roundFloat(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 323) return x;
  if (ndigits < -308) return 0 * Math.sign(x);
  const [n, shift] = exact(x);
  // value * 10**nd = n * 10**nd / 2**shift
  let num = n;
  let den = 1n << shift;
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  const neg = num < 0n;
  if (neg) num = -num;
  let q = num / den;
  const r = num % den;
  if (2n * r > den || (2n * r === den && (q & 1n) === 1n)) q += 1n;
  const text = `${neg ? '-' : ''}${q}e${-ndigits}`;
  const result = Number(text);
  if (result === 0) return neg ? -0 : 0;
  return result;
}

/** round() with ndigits for ints and floats (the builtin's helper): a new reference. */
export function roundNumber(vm: VM, x: Ref, ndigits: Ref): Ref {
  const heap = vm.heap;
  if (heap.kindOf(x) === Kind.Float) {
    const v = heap.valueOf(x) as number;
    if (isAbsent(vm, ndigits)) return roundHalfEvenInt(vm, v);
    const nd = indexOf(vm, ndigits);
    const n = typeof nd === 'bigint' ? (nd > 0n ? 10000 : -10000) : nd;
    const r = roundFloat(v, n);
    if (!Number.isFinite(r) && Number.isFinite(v)) throw vm.error('OverflowError', 'rounded value too large to represent');
    return heap.newFloat(r);
  }
  const method = lookupMethod(vm, x, '__round__');
  if (method === NULL) throw vm.typeError(`type ${vm.typeName(x)} doesn't define __round__ method`);
  return isAbsent(vm, ndigits) ? vm.call(method, [x]) : vm.call(method, [x, ndigits]);
}

function roundHalfEvenInt(vm: VM, v: number): Ref {
  if (Number.isNaN(v)) throw vm.error('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(v)) throw vm.error('OverflowError', 'cannot convert float infinity to integer');
  let r = Math.round(v);
  if (Math.abs(v - Math.trunc(v)) === 0.5) r = 2 * Math.round(v / 2);
  return floatToInt(vm, r);
}

const stripSpace = (text: string): string => {
  const chars = [...text];
  let a = 0;
  let b = chars.length;
  while (a < b && isSpace(chars[a]!)) a++;
  while (b > a && isSpace(chars[b - 1]!)) b--;
  return chars.slice(a, b).join('');
};

/** PyOS_string_to_double as float() reads it; undefined when invalid. */
export function parseFloatLiteral(text: string): number | undefined {
  const s = stripSpace(text).replace(/\p{Nd}/gu, (ch) => {
    const cp = ch.codePointAt(0)!;
    if (cp < 128) return ch;
    let first = cp;
    while (/\p{Nd}/u.test(String.fromCodePoint(first - 1))) first--;
    return String((cp - first) % 10);
  });
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    const sign = special[1] === '-' ? -1 : 1;
    return special[2]!.toLowerCase() === 'nan' ? NaN : sign * Infinity;
  }
  if (!/^[+-]?(\d(_?\d)*(\.(\d(_?\d)*)?)?|\.\d(_?\d)*)([eE][+-]?\d(_?\d)*)?$/.test(s)) return undefined;
  return Number(s.replace(/_/g, ''));
}

function construct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  if (kw && kw.names.length > 0) throw vm.typeError('float() takes no keyword arguments');
  if (args.length > 1) throw vm.typeError(`float expected at most 1 argument, got ${args.length}`);
  if (args.length === 0) return heap.newFloat(0);
  const x = args[0]!;
  const kind = heap.kindOf(x);
  if (kind === Kind.Float) {
    heap.incref(x);
    return x;
  }
  if (kind === Kind.Str || kind === Kind.Bytes || kind === Kind.ByteArray) {
    const text = kind === Kind.Str ? (heap.valueOf(x) as string) : String.fromCharCode(...heap.bytesView(x));
    const value = text.includes('\0') ? undefined : parseFloatLiteral(text);
    if (value === undefined) throw vm.error('ValueError', `could not convert string to float: ${repr(vm, x)}`);
    return heap.newFloat(value);
  }
  const f = floatOf(vm, x);
  if (f !== undefined) return heap.newFloat(f);
  const method = lookupMethod(vm, x, '__float__');
  if (method !== NULL) {
    const result = vm.call(method, [x]);
    if (heap.kindOf(result) === Kind.Float) return result;
    const name = vm.typeName(result);
    heap.decref(result);
    throw vm.typeError(`${vm.typeName(x)}.__float__ returned non-float (type ${name})`);
  }
  if (lookupMethod(vm, x, '__index__') !== NULL) {
    const v = indexOf(vm, x);
    const f2 = Number(v);
    if (!Number.isFinite(f2)) throw vm.error('OverflowError', 'int too large to convert to float');
    return heap.newFloat(f2);
  }
  throw vm.typeError(`float() argument must be a string or a real number, not '${vm.typeName(x)}'`);
}

/** float.hex(). */
export function floatHex(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const a = Math.abs(v);
  if (a === 0) return `${sign}0x0.0p+0`;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const bits = view.getBigUint64(0);
  let exp = Number(bits >> 52n);
  const frac = bits & ((1n << 52n) - 1n);
  let lead = '1';
  if (exp === 0) {
    lead = '0';
    exp = -1022;
  } else exp -= 1023;
  const hex = frac.toString(16).padStart(13, '0');
  return `${sign}0x${lead}.${hex}p${exp >= 0 ? '+' : ''}${exp}`;
}

const ARITH: readonly Operator[] = ['Add', 'Sub', 'Mult', 'Div', 'FloorDiv', 'Mod', 'Pow'];

export function installFloat(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.float;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  const val = (ref: Ref): number => heap.valueOf(ref) as number;
  const NotImpl = (): Ref => {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  };
  const other = (vm: VM, args: readonly Ref[]): number | undefined => {
    if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
    const k = heap.kindOf(args[1]!);
    if (k !== Kind.Float && k !== Kind.Int && k !== Kind.Bool) return undefined;
    return floatOf(vm, args[1]!);
  };
  cls.construct = construct;

  for (const op of ARITH) {
    const [, name, reflected] = BINARY[op];
    def(name, (vm, args) => {
      const y = args.length === 3 && op === 'Pow' && !isAbsent(vm, args[2]!) ? undefined : other(vm, args.slice(0, 2));
      if (args.length === 3 && op === 'Pow' && !isAbsent(vm, args[2]!)) throw vm.typeError('pow() 3rd argument not allowed unless all arguments are integers');
      if (y === undefined) return NotImpl();
      return floatBinary(vm, op, val(args[0]!), y);
    });
    def(reflected, (vm, args) => {
      const y = other(vm, args.slice(0, 2));
      if (y === undefined) return NotImpl();
      return floatBinary(vm, op, y, val(args[0]!));
    });
  }
  const divmod = (vm: VM, x: number, y: number): Ref => {
    if (y === 0) throw vm.error('ZeroDivisionError', 'float divmod()');
    const [q, r] = floatDivmod(x, y);
    const a = heap.newFloat(q);
    const b = heap.newFloat(r);
    const t = heap.newTuple([a, b]);
    heap.decref(a);
    heap.decref(b);
    return t;
  };
  def('__divmod__', (vm, args) => {
    const y = other(vm, args);
    return y === undefined ? NotImpl() : divmod(vm, val(args[0]!), y);
  });
  def('__rdivmod__', (vm, args) => {
    const y = other(vm, args);
    return y === undefined ? NotImpl() : divmod(vm, y, val(args[0]!));
  });
  const COMPARE = [
    ['__eq__', (x: number, y: number) => x === y],
    ['__ne__', (x: number, y: number) => x !== y],
    ['__lt__', (x: number, y: number) => x < y],
    ['__le__', (x: number, y: number) => x <= y],
    ['__gt__', (x: number, y: number) => x > y],
    ['__ge__', (x: number, y: number) => x >= y],
  ] as const;
  for (const [name, test] of COMPARE) {
    def(name, (vm, args) => {
      if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
      const k = heap.kindOf(args[1]!);
      if (k !== Kind.Float && k !== Kind.Int && k !== Kind.Bool) return NotImpl();
      const x = val(args[0]!);
      if (k !== Kind.Float) {
        // Exact against big ints: compare through bigint when x is integral.
        const iv = heap.kindOf(args[1]!) === Kind.Bool ? (args[1] === heap.True ? 1 : 0) : (heap.valueOf(args[1]!) as number | bigint);
        if (typeof iv === 'bigint' && Number.isFinite(x)) {
          const fx = Math.floor(x);
          const bx = BigInt(fx);
          const c = bx < iv ? -1 : bx > iv ? 1 : x !== fx ? 1 : 0;
          return heap.newBool(test(c, 0));
        }
        return heap.newBool(test(x, Number(iv)));
      }
      return heap.newBool(test(x, val(args[1]!)));
    });
  }
  def('__hash__', (vm, args) => {
    const v = val(args[0]!);
    if (Number.isNaN(v)) {
      const id = BigInt(vm.heap.id(args[0]!));
      return vm.heap.newInt(BigInt.asIntN(64, (id >> 4n) | (id << 60n)));
    }
    return vm.heap.newInt(floatHash(v));
  });
  def('__repr__', (vm, args) => vm.heap.newStr(floatRepr(val(args[0]!)), { intern: false }));
  def('__str__', (vm, args) => vm.heap.newStr(floatRepr(val(args[0]!)), { intern: false }));
  def('__format__', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
    const spec = strArg(vm, args[1]!, 'format_spec');
    if (spec === '') return vm.heap.newStr(floatRepr(val(args[0]!)), { intern: false });
    return vm.heap.newStr(formatting(vm, () => formatFloat(val(args[0]!), spec)), { intern: false });
  });
  def('__bool__', (vm, args) => vm.heap.newBool(val(args[0]!) !== 0));
  def('__abs__', (vm, args) => vm.heap.newFloat(Math.abs(val(args[0]!))));
  def('__neg__', (vm, args) => vm.heap.newFloat(-val(args[0]!)));
  def('__pos__', (vm, args) => vm.heap.newFloat(val(args[0]!)));
  def('__float__', (vm, args) => vm.heap.newFloat(val(args[0]!)));
  def('__int__', (vm, args) => floatToInt(vm, val(args[0]!)));
  def('__trunc__', (vm, args) => floatToInt(vm, val(args[0]!)));
  def('__floor__', (vm, args) => floatToInt(vm, Math.floor(val(args[0]!))));
  def('__ceil__', (vm, args) => floatToInt(vm, Math.ceil(val(args[0]!))));
  def('__round__', (vm, args, kw) => {
    const [nd] = parseArgs(vm, '__round__', args, kw, ['ndigits'], 0);
    return roundNumber(vm, args[0]!, nd!);
  });
  def('__getnewargs__', (vm, args) => {
    const v = vm.heap.newFloat(val(args[0]!));
    const t = vm.heap.newTuple([v]);
    vm.heap.decref(v);
    return t;
  });
  def('conjugate', (vm, args, kw) => {
    noArgs(vm, 'conjugate', args, kw);
    return vm.heap.newFloat(val(args[0]!));
  });
  def('is_integer', (vm, args, kw) => {
    noArgs(vm, 'is_integer', args, kw);
    const v = val(args[0]!);
    return vm.heap.newBool(Number.isFinite(v) && Number.isInteger(v));
  });
  def('hex', (vm, args, kw) => {
    noArgs(vm, 'hex', args, kw);
    return vm.heap.newStr(floatHex(val(args[0]!)), { intern: false });
  });
  def('as_integer_ratio', (vm, args, kw) => {
    noArgs(vm, 'as_integer_ratio', args, kw);
    const v = val(args[0]!);
    if (Number.isNaN(v)) throw vm.error('ValueError', 'cannot convert NaN to integer ratio');
    if (!Number.isFinite(v)) throw vm.error('OverflowError', 'cannot convert Infinity to integer ratio');
    const [n, shift] = v === 0 ? [0n, 0n] : exact(v);
    const a = heap.newInt(n);
    const b = heap.newInt(1n << shift);
    const t = heap.newTuple([a, b]);
    heap.decref(a);
    heap.decref(b);
    return t;
  });
  vm.defineClassMethod(cls, 'fromhex', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`fromhex() takes exactly one argument (${args.length - 1} given)`);
    const s = strArg(vm, args[1]!, 'fromhex() argument').trim();
    const special = parseFloatLiteral(s);
    if (special !== undefined && /[in]/i.test(s) && !/x/i.test(s)) return vm.heap.newFloat(special);
    const m = /^([+-]?)(0x)?([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(s);
    if (!m || (m[3] === '' && (m[4] ?? '') === '')) throw vm.error('ValueError', 'invalid hexadecimal floating-point string');
    const digits = (m[3] ?? '') + (m[4] ?? '');
    let value = 0n;
    for (const ch of digits) value = value * 16n + BigInt(parseInt(ch, 16));
    const exp = Number(m[5] ?? '0') - 4 * (m[4] ?? '').length;
    let result = Number(value) * 2 ** exp;
    if (!Number.isFinite(result) && value !== 0n) {
      result = Number(value) * 2 ** (exp - 1) * 2;
      if (!Number.isFinite(result)) throw vm.error('OverflowError', 'hexadecimal value too large to represent as a float');
    }
    return vm.heap.newFloat(m[1] === '-' ? -result : result);
  });
  cls.getset.set('real', { get: (vm, self) => vm.heap.newFloat(val(self)) });
  cls.getset.set('imag', { get: (vm) => vm.heap.newFloat(0) });
}
