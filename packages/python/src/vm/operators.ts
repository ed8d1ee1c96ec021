/**
 * Operators: Objects/abstract.c's binary_op1 (the left operand's method, then the right's
 * reflected one, a subclass's first) and object.c's do_richcompare, with the int, float, str,
 * list and tuple cases done inline — they are most of what a program computes.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Operator, CmpOp, UnaryOperator } from '../ast.ts';
import { classLookup } from './attributes.ts';
import { iterNext, getIter } from './iteration.ts';
import { indexValue } from './indexes.ts';
import { PyThrow } from './throw.ts';
import { sliceIndices } from './types/slices.ts';
import type { VM } from './vm.ts';

export const BINARY: Readonly<Record<Operator, readonly [symbol: string, method: string, reflected: string, inplace: string]>> = {
  Add: ['+', '__add__', '__radd__', '__iadd__'],
  Sub: ['-', '__sub__', '__rsub__', '__isub__'],
  Mult: ['*', '__mul__', '__rmul__', '__imul__'],
  MatMult: ['@', '__matmul__', '__rmatmul__', '__imatmul__'],
  Div: ['/', '__truediv__', '__rtruediv__', '__itruediv__'],
  FloorDiv: ['//', '__floordiv__', '__rfloordiv__', '__ifloordiv__'],
  Mod: ['%', '__mod__', '__rmod__', '__imod__'],
  Pow: ['**', '__pow__', '__rpow__', '__ipow__'],
  LShift: ['<<', '__lshift__', '__rlshift__', '__ilshift__'],
  RShift: ['>>', '__rshift__', '__rrshift__', '__irshift__'],
  BitOr: ['|', '__or__', '__ror__', '__ior__'],
  BitXor: ['^', '__xor__', '__rxor__', '__ixor__'],
  BitAnd: ['&', '__and__', '__rand__', '__iand__'],
};

type Comparison = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE';
const COMPARE: Readonly<Record<Comparison, readonly [symbol: string, method: string, reflected: Comparison]>> = {
  Eq: ['==', '__eq__', 'Eq'],
  NotEq: ['!=', '__ne__', 'NotEq'],
  Lt: ['<', '__lt__', 'Gt'],
  LtE: ['<=', '__le__', 'GtE'],
  Gt: ['>', '__gt__', 'Lt'],
  GtE: ['>=', '__ge__', 'LtE'],
};

const SAFE = Number.MAX_SAFE_INTEGER;

/** An int's or bool's value (number when safe, else bigint), or undefined for anything else. */
export function intOf(vm: VM, ref: Ref): number | bigint | undefined {
  const heap = vm.heap;
  const kind = heap.kindOf(ref);
  if (kind === Kind.Int) return heap.valueOf(ref) as number | bigint;
  if (kind === Kind.Bool) return ref === heap.True ? 1 : 0;
  return undefined;
}

/** A number's value as a float (int or float operands), or undefined. */
export function floatOf(vm: VM, ref: Ref): number | undefined {
  const heap = vm.heap;
  const kind = heap.kindOf(ref);
  if (kind === Kind.Float) return heap.valueOf(ref) as number;
  const i = intOf(vm, ref);
  if (i === undefined) return undefined;
  if (typeof i === 'number') return i;
  const f = Number(i);
  if (!Number.isFinite(f)) throw vm.error('OverflowError', 'int too large to convert to float');
  return f;
}

export function binaryOp(vm: VM, op: Operator, a: Ref, b: Ref): Ref {
  const heap = vm.heap;
  const ka = heap.kindOf(a);
  const kb = heap.kindOf(b);
  if (ka === Kind.Int && kb === Kind.Int) return intBinary(vm, op, heap.valueOf(a) as number | bigint, heap.valueOf(b) as number | bigint);
  if (ka === Kind.Bool && kb === Kind.Bool && (op === 'BitAnd' || op === 'BitOr' || op === 'BitXor')) {
    const x = a === heap.True;
    const y = b === heap.True;
    return heap.newBool(op === 'BitAnd' ? x && y : op === 'BitOr' ? x || y : x !== y);
  }
  if ((ka === Kind.Int || ka === Kind.Bool) && (kb === Kind.Int || kb === Kind.Bool)) {
    return intBinary(vm, op, intOf(vm, a)!, intOf(vm, b)!);
  }
  if ((ka === Kind.Float || kb === Kind.Float) && isNumber(ka) && isNumber(kb)) {
    return floatBinary(vm, op, floatOf(vm, a)!, floatOf(vm, b)!);
  }
  if (op === 'Add' && ka === kb && (ka === Kind.Str || ka === Kind.List || ka === Kind.Tuple)) return concat(vm, a, b, ka);
  if (op === 'Mult') {
    if ((ka === Kind.Str || ka === Kind.List || ka === Kind.Tuple) && (kb === Kind.Int || kb === Kind.Bool)) return repeat(vm, a, b, ka);
    if ((kb === Kind.Str || kb === Kind.List || kb === Kind.Tuple) && (ka === Kind.Int || ka === Kind.Bool)) return repeat(vm, b, a, kb);
  }
  const result = dispatchBinary(vm, op, a, b, false);
  if (result !== NULL) return result;
  throw binaryTypeError(vm, op, a, b);
}

/** `a op= b`: the in-place method if the type has one, else the binary operator. */
export function inplaceOp(vm: VM, op: Operator, a: Ref, b: Ref): Ref {
  const heap = vm.heap;
  const ka = heap.kindOf(a);
  if (ka === Kind.List && op === 'Add') {
    const items = vm.listOf(b);
    for (const item of items) {
      heap.append(a, item);
      heap.decref(item);
    }
    heap.incref(a);
    return a;
  }
  if (ka !== Kind.Int && ka !== Kind.Float && ka !== Kind.Str && ka !== Kind.Tuple) {
    const method = classLookup(vm, vm.classOf(a), BINARY[op][3]);
    if (method !== NULL) {
      const result = vm.call(method, [a, b]);
      if (result !== vm.core.NotImplemented) return result;
      heap.decref(result);
    }
  }
  return binaryOp(vm, op, a, b);
}

function isNumber(kind: number): boolean {
  return kind === Kind.Int || kind === Kind.Float || kind === Kind.Bool;
}

function dispatchBinary(vm: VM, op: Operator, a: Ref, b: Ref, _inplace: boolean): Ref {
  const heap = vm.heap;
  const [, name, reflected] = BINARY[op];
  const ca = vm.classOf(a);
  const cb = vm.classOf(b);
  const left = classLookup(vm, ca, name);
  const right = ca === cb ? NULL : classLookup(vm, cb, reflected);
  // A subclass's reflected method overrides its base's plain one, so it goes first. So does any
  // reflected method against a built-in sequence's + or *: those are sq_concat and sq_repeat,
  // which CPython tries only after both operands' number slots (`[1] * n` asks n.__rmul__ first).
  const sequenceSlot = (op === 'Add' || op === 'Mult') && isBuiltinSequence(heap.kindOf(a));
  if (right !== NULL && (sequenceSlot || (cb.isSubclassOf(ca) && right !== classLookup(vm, ca, reflected)))) {
    const result = vm.call(right, [b, a]);
    if (result !== vm.core.NotImplemented) return result;
    heap.decref(result);
    return callOrNull(vm, left, a, b);
  }
  const result = callOrNull(vm, left, a, b);
  if (result !== NULL) return result;
  return callOrNull(vm, right, b, a);
}

function isBuiltinSequence(kind: number): boolean {
  return kind === Kind.Str || kind === Kind.List || kind === Kind.Tuple || kind === Kind.Bytes || kind === Kind.ByteArray;
}

function callOrNull(vm: VM, method: Ref, self: Ref, other: Ref): Ref {
  if (method === NULL) return NULL;
  const result = vm.call(method, [self, other]);
  if (result === vm.core.NotImplemented) {
    vm.heap.decref(result);
    return NULL;
  }
  return result;
}

function binaryTypeError(vm: VM, op: Operator, a: Ref, b: Ref): unknown {
  const heap = vm.heap;
  const ka = heap.kindOf(a);
  const kb = heap.kindOf(b);
  const na = vm.typeName(a);
  const nb = vm.typeName(b);
  if (op === 'Add' && (ka === Kind.Str || ka === Kind.List || ka === Kind.Tuple) && ka !== kb) {
    return vm.typeError(`can only concatenate ${na} (not "${nb}") to ${na}`);
  }
  if (op === 'Mult' && (ka === Kind.Str || ka === Kind.List || ka === Kind.Tuple || kb === Kind.Str || kb === Kind.List || kb === Kind.Tuple)) {
    const other = ka === Kind.Str || ka === Kind.List || ka === Kind.Tuple ? nb : na;
    return vm.typeError(`can't multiply sequence by non-int of type '${other}'`);
  }
  if (op === 'Pow') return vm.typeError(`unsupported operand type(s) for ** or pow(): '${na}' and '${nb}'`);
  return vm.typeError(`unsupported operand type(s) for ${BINARY[op][0]}: '${na}' and '${nb}'`);
}

function big(x: number | bigint): bigint {
  return typeof x === 'bigint' ? x : BigInt(x);
}

export function intBinary(vm: VM, op: Operator, x: number | bigint, y: number | bigint): Ref {
  const heap = vm.heap;
  if (typeof x === 'number' && typeof y === 'number') {
    switch (op) {
      case 'Add': {
        const r = x + y;
        if (r <= SAFE && r >= -SAFE) return heap.newInt(r);
        break;
      }
      case 'Sub': {
        const r = x - y;
        if (r <= SAFE && r >= -SAFE) return heap.newInt(r);
        break;
      }
      case 'Mult': {
        const r = x * y;
        if (r <= SAFE && r >= -SAFE) return heap.newInt(r === 0 ? 0 : r);
        break;
      }
      case 'FloorDiv':
        if (y === 0) throw vm.error('ZeroDivisionError', 'integer division or modulo by zero');
        if (x <= 0x7fffffff && x >= -0x80000000) return heap.newInt(Math.floor(x / y));
        break;
      case 'Mod': {
        if (y === 0) throw vm.error('ZeroDivisionError', 'integer modulo by zero');
        let r = x % y;
        if (r !== 0 && r < 0 !== y < 0) r += y;
        return heap.newInt(r === 0 ? 0 : r);
      }
      case 'BitAnd':
      case 'BitOr':
      case 'BitXor':
        if ((x | 0) === x && (y | 0) === y) {
          return heap.newInt(op === 'BitAnd' ? x & y : op === 'BitOr' ? x | y : x ^ y);
        }
        break;
      case 'RShift':
        if (y < 0) throw vm.error('ValueError', 'negative shift count');
        if ((x | 0) === x) return heap.newInt(y >= 32 ? (x < 0 ? -1 : 0) : x >> y);
        break;
      default:
        break;
    }
  }
  switch (op) {
    case 'Add':
      return heap.newInt(big(x) + big(y));
    case 'Sub':
      return heap.newInt(big(x) - big(y));
    case 'Mult':
      return heap.newInt(big(x) * big(y));
    case 'FloorDiv':
    case 'Mod': {
      const bx = big(x);
      const by = big(y);
      if (by === 0n) throw vm.error('ZeroDivisionError', op === 'Mod' ? 'integer modulo by zero' : 'integer division or modulo by zero');
      let q = bx / by;
      let r = bx % by;
      if (r !== 0n && r < 0n !== by < 0n) {
        q -= 1n;
        r += by;
      }
      return heap.newInt(op === 'Mod' ? r : q);
    }
    case 'Div': {
      if ((typeof y === 'number' && y === 0) || y === 0n) throw vm.error('ZeroDivisionError', 'division by zero');
      if (typeof x === 'number' && typeof y === 'number') return heap.newFloat(x / y);
      const fx = Number(x);
      const fy = Number(y);
      if (!Number.isFinite(fx) || !Number.isFinite(fy)) throw vm.error('OverflowError', 'integer division result too large for a float');
      return heap.newFloat(fx / fy);
    }
    case 'Pow': {
      if (y < 0) {
        const fx = Number(x);
        if (fx === 0) throw vm.error('ZeroDivisionError', '0.0 cannot be raised to a negative power');
        return heap.newFloat(Math.pow(fx, Number(y)));
      }
      if (typeof x === 'number' && typeof y === 'number') {
        const r = Math.pow(x, y);
        if (Number.isSafeInteger(r)) return heap.newInt(r);
      }
      return heap.newInt(big(x) ** big(y));
    }
    case 'LShift':
      if (y < 0) throw vm.error('ValueError', 'negative shift count');
      return heap.newInt(big(x) << big(y));
    case 'RShift':
      if (y < 0) throw vm.error('ValueError', 'negative shift count');
      return heap.newInt(big(x) >> big(y));
    case 'BitAnd':
      return heap.newInt(big(x) & big(y));
    case 'BitOr':
      return heap.newInt(big(x) | big(y));
    case 'BitXor':
      return heap.newInt(big(x) ^ big(y));
    case 'MatMult':
      throw vm.typeError(`unsupported operand type(s) for @: 'int' and 'int'`);
  }
}

export function floatBinary(vm: VM, op: Operator, x: number, y: number): Ref {
  const heap = vm.heap;
  switch (op) {
    case 'Add':
      return heap.newFloat(x + y);
    case 'Sub':
      return heap.newFloat(x - y);
    case 'Mult':
      return heap.newFloat(x * y);
    case 'Div':
      if (y === 0) throw vm.error('ZeroDivisionError', 'float division by zero');
      return heap.newFloat(x / y);
    case 'FloorDiv':
      if (y === 0) throw vm.error('ZeroDivisionError', 'float floor division by zero');
      return heap.newFloat(floatDivmod(x, y)[0]);
    case 'Mod':
      if (y === 0) throw vm.error('ZeroDivisionError', 'float modulo');
      return heap.newFloat(floatDivmod(x, y)[1]);
    case 'Pow': {
      if (x === 0 && y < 0) throw vm.error('ZeroDivisionError', '0.0 cannot be raised to a negative power');
      if (x < 0 && !Number.isInteger(y)) throw vm.error('ValueError', 'complex numbers are not supported by refheap-python');
      const r = Math.pow(x, y);
      if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw vm.error('OverflowError', "(34, 'Numerical result out of range')");
      return heap.newFloat(r);
    }
    default:
      throw vm.typeError(`unsupported operand type(s) for ${BINARY[op][0]}: 'float' and 'float'`);
  }
}

/** float_divmod: the floor quotient and a remainder with the divisor's sign. */
export function floatDivmod(x: number, y: number): [number, number] {
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod) {
    if (y < 0 !== mod < 0) {
      mod += y;
      div -= 1;
    }
  } else mod = y < 0 ? -0 : 0;
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    const q = x / y;
    floordiv = q < 0 || Object.is(q, -0) ? -0 : 0; // copysign(0.0, vx / wx)
  }
  return [floordiv, mod];
}

function concat(vm: VM, a: Ref, b: Ref, kind: number): Ref {
  const heap = vm.heap;
  if (kind === Kind.Str) return heap.newStr((heap.valueOf(a) as string) + (heap.valueOf(b) as string), { intern: false });
  const items: Ref[] = [];
  for (const seq of [a, b]) for (let i = 0; i < heap.length(seq); i++) items.push(heap.item(seq, i));
  return kind === Kind.List ? heap.newList(items) : heap.newTuple(items);
}

function repeat(vm: VM, seq: Ref, count: Ref, kind: number): Ref {
  const heap = vm.heap;
  const n = Math.max(0, indexValue(vm, count, '', 'OverflowError'));
  if (kind === Kind.Str) {
    const text = heap.valueOf(seq) as string;
    if (text.length * n > 1 << 28) throw vm.error('MemoryError');
    return heap.newStr(text.repeat(n), { intern: false });
  }
  const length = heap.length(seq);
  if (length * n > 1 << 26) throw vm.error('MemoryError');
  const items = new Array<Ref>(length * n);
  for (let r = 0; r < n; r++) for (let i = 0; i < length; i++) items[r * length + i] = heap.item(seq, i);
  if (kind === Kind.Tuple && n === 1) {
    heap.incref(seq);
    return seq;
  }
  return kind === Kind.List ? heap.newList(items) : heap.newTuple(items);
}

// ─── Unary ────────────────────────────────────────────────────────────────────

export function unaryOp(vm: VM, op: UnaryOperator, a: Ref): Ref {
  const heap = vm.heap;
  if (op === 'Not') return heap.newBool(!truthy(vm, a));
  const i = intOf(vm, a);
  if (i !== undefined) {
    if (op === 'USub') return typeof i === 'number' ? heap.newInt(i === 0 ? 0 : -i) : heap.newInt(-i);
    if (op === 'UAdd') return heap.newInt(i);
    return typeof i === 'number' && (i | 0) === i ? heap.newInt(~i) : heap.newInt(~big(i));
  }
  if (heap.kindOf(a) === Kind.Float && op !== 'Invert') {
    const f = heap.valueOf(a) as number;
    return heap.newFloat(op === 'USub' ? -f : f);
  }
  const name = op === 'USub' ? '__neg__' : op === 'UAdd' ? '__pos__' : '__invert__';
  const method = classLookup(vm, vm.classOf(a), name);
  if (method !== NULL) return vm.call(method, [a]);
  const symbol = op === 'USub' ? '-' : op === 'UAdd' ? '+' : '~';
  throw vm.typeError(`bad operand type for unary ${symbol}: '${vm.typeName(a)}'`);
}

/** `bool(x)`: PyObject_IsTrue. */
export function truthy(vm: VM, a: Ref): boolean {
  const heap = vm.heap;
  if (a === heap.True) return true;
  if (a === heap.False || a === heap.None) return false;
  switch (heap.kindOf(a)) {
    case Kind.Int:
    case Kind.Float: {
      const v = heap.valueOf(a) as number | bigint;
      return v !== 0 && v !== 0n;
    }
    case Kind.Str:
      return (heap.valueOf(a) as string).length > 0;
    case Kind.List:
    case Kind.Tuple:
    case Kind.Dict:
    case Kind.Set:
    case Kind.Bytes:
    case Kind.ByteArray:
      return heap.length(a) > 0;
    default:
      break;
  }
  const cls = vm.classOf(a);
  const bool = classLookup(vm, cls, '__bool__');
  if (bool !== NULL) {
    const result = vm.call(bool, [a]);
    heap.decref(result);
    if (heap.kindOf(result) !== Kind.Bool) throw vm.typeError(`__bool__ should return bool, returned ${vm.typeName(result)}`);
    return result === heap.True;
  }
  const len = classLookup(vm, cls, '__len__');
  if (len !== NULL) return length(vm, a) > 0;
  return true;
}

// ─── Comparison ───────────────────────────────────────────────────────────────

/** `a op b` for the comparison operators, as a new reference (usually a bool, but __eq__ may answer anything). */
export function compareOp(vm: VM, op: CmpOp, a: Ref, b: Ref): Ref {
  const heap = vm.heap;
  switch (op) {
    case 'Is':
      return heap.newBool(a === b);
    case 'IsNot':
      return heap.newBool(a !== b);
    case 'In':
      return heap.newBool(contains(vm, b, a));
    case 'NotIn':
      return heap.newBool(!contains(vm, b, a));
    default:
      return richCompare(vm, a, b, op);
  }
}

/** The comparison as a JS boolean, with the fast cases inline (loop conditions, sorting). */
export function compareBool(vm: VM, a: Ref, b: Ref, op: Comparison): boolean {
  const fast = fastCompare(vm, a, b, op);
  if (fast !== undefined) return fast;
  const result = richCompare(vm, a, b, op);
  try {
    return truthy(vm, result);
  } finally {
    vm.heap.decref(result);
  }
}

export function equals(vm: VM, a: Ref, b: Ref): boolean {
  if (a === b) return true;
  return compareBool(vm, a, b, 'Eq');
}

function order(op: Comparison, c: number): boolean {
  switch (op) {
    case 'Eq':
      return c === 0;
    case 'NotEq':
      return c !== 0;
    case 'Lt':
      return c < 0;
    case 'LtE':
      return c <= 0;
    case 'Gt':
      return c > 0;
    case 'GtE':
      return c >= 0;
  }
}

function fastCompare(vm: VM, a: Ref, b: Ref, op: Comparison): boolean | undefined {
  const heap = vm.heap;
  const ka = heap.kindOf(a);
  const kb = heap.kindOf(b);
  if (isNumber(ka) && isNumber(kb)) {
    const x = ka === Kind.Bool ? (a === heap.True ? 1 : 0) : (heap.valueOf(a) as number | bigint);
    const y = kb === Kind.Bool ? (b === heap.True ? 1 : 0) : (heap.valueOf(b) as number | bigint);
    if (typeof x === 'number' && typeof y === 'number') {
      if (Number.isNaN(x) || Number.isNaN(y)) return op === 'NotEq';
      return order(op, x < y ? -1 : x > y ? 1 : 0);
    }
    return order(op, compareMixed(x, y));
  }
  if (ka === Kind.Str && kb === Kind.Str) {
    const x = heap.valueOf(a) as string;
    const y = heap.valueOf(b) as string;
    return order(op, x < y ? -1 : x > y ? 1 : 0);
  }
  if (ka === Kind.None && kb === Kind.None && (op === 'Eq' || op === 'NotEq')) return op === 'Eq';
  return undefined;
}

/** Compares an int and a float (or two ints), one of them a bigint, exactly. */
function compareMixed(x: number | bigint, y: number | bigint): number {
  if (typeof x === 'number' && !Number.isInteger(x)) {
    if (Number.isNaN(x)) return NaN;
    if (!Number.isFinite(x)) return x > 0 ? 1 : -1;
    const floor = BigInt(Math.floor(x));
    const c = floor < big(y) ? -1 : floor > big(y) ? 1 : 0;
    return c === 0 ? 1 : c;
  }
  if (typeof y === 'number' && !Number.isInteger(y)) return -compareMixed(y, x);
  if (typeof x === 'number' && !Number.isFinite(x)) return x > 0 ? 1 : -1;
  if (typeof y === 'number' && !Number.isFinite(y)) return y > 0 ? -1 : 1;
  const bx = big(x);
  const by = big(y);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

export function richCompare(vm: VM, a: Ref, b: Ref, op: Comparison): Ref {
  const heap = vm.heap;
  const fast = fastCompare(vm, a, b, op);
  if (fast !== undefined) return heap.newBool(fast);
  const ka = heap.kindOf(a);
  const kb = heap.kindOf(b);
  if ((ka === Kind.List || ka === Kind.Tuple) && ka === kb) return heap.newBool(compareSequences(vm, a, b, op));
  if (ka === Kind.Dict && kb === Kind.Dict && (op === 'Eq' || op === 'NotEq')) return heap.newBool(dictEqual(vm, a, b) === (op === 'Eq'));
  const [symbol, name, reflectedOp] = COMPARE[op];
  const ca = vm.classOf(a);
  const cb = vm.classOf(b);
  const reflectedName = COMPARE[reflectedOp][1];
  let tried = false;
  if (ca !== cb && cb.isSubclassOf(ca)) {
    const right = classLookup(vm, cb, reflectedName);
    const result = callOrNull(vm, right, b, a);
    tried = true;
    if (result !== NULL) return result;
  }
  const left = classLookup(vm, ca, name);
  const result = callOrNull(vm, left, a, b);
  if (result !== NULL) return result;
  if (!tried) {
    const right = classLookup(vm, cb, reflectedName);
    const reflected = callOrNull(vm, right, b, a);
    if (reflected !== NULL) return reflected;
  }
  if (op === 'Eq') return heap.newBool(a === b);
  if (op === 'NotEq') {
    // object.__ne__ inverts __eq__ when the class defines one.
    const eq = classLookup(vm, ca, '__eq__');
    if (eq !== NULL && eq !== heap.dictGetStr(vm.core.object.dict, '__eq__')) {
      const r = callOrNull(vm, eq, a, b);
      if (r !== NULL) {
        const value = truthy(vm, r);
        heap.decref(r);
        return heap.newBool(!value);
      }
    }
    return heap.newBool(a !== b);
  }
  throw vm.typeError(`'${symbol}' not supported between instances of '${ca.name}' and '${cb.name}'`);
}

function compareSequences(vm: VM, a: Ref, b: Ref, op: Comparison): boolean {
  const heap = vm.heap;
  const na = heap.length(a);
  const nb = heap.length(b);
  if ((op === 'Eq' || op === 'NotEq') && na !== nb) return op === 'NotEq';
  let i = 0;
  for (; i < na && i < nb; i++) {
    const x = heap.item(a, i);
    const y = heap.item(b, i);
    if (x !== y && !compareBool(vm, x, y, 'Eq')) break;
  }
  if (i >= na || i >= nb) return order(op, na - nb);
  if (op === 'Eq') return false;
  if (op === 'NotEq') return true;
  return compareBool(vm, heap.item(a, i), heap.item(b, i), op);
}

function dictEqual(vm: VM, a: Ref, b: Ref): boolean {
  const heap = vm.heap;
  if (heap.length(a) !== heap.length(b)) return false;
  let equal = true;
  heap.dictForEach(a, (key, value) => {
    if (!equal) return;
    const other = heap.dictGet(b, key);
    if (other === NULL || (other !== value && !compareBool(vm, value, other, 'Eq'))) equal = false;
  });
  return equal;
}

// ─── Containers ───────────────────────────────────────────────────────────────

/** `item in container`. */
export function contains(vm: VM, container: Ref, item: Ref): boolean {
  const heap = vm.heap;
  switch (heap.kindOf(container)) {
    case Kind.Dict:
      return heap.dictGet(container, item) !== NULL;
    case Kind.Set:
      return heap.setHas(container, item);
    case Kind.List:
    case Kind.Tuple: {
      for (let i = 0; i < heap.length(container); i++) {
        const x = heap.item(container, i);
        if (x === item || compareBool(vm, x, item, 'Eq')) return true;
      }
      return false;
    }
    case Kind.Str:
      if (heap.kindOf(item) !== Kind.Str) throw vm.typeError(`'in <string>' requires string as left operand, not ${vm.typeName(item)}`);
      return (heap.valueOf(container) as string).includes(heap.valueOf(item) as string);
    default:
      break;
  }
  const cls = vm.classOf(container);
  const method = classLookup(vm, cls, '__contains__');
  if (method !== NULL) {
    const result = vm.call(method, [container, item]);
    try {
      return truthy(vm, result);
    } finally {
      heap.decref(result);
    }
  }
  if (classLookup(vm, cls, '__iter__') === NULL && classLookup(vm, cls, '__getitem__') === NULL) {
    throw vm.typeError(`argument of type '${cls.name}' is not iterable`);
  }
  const it = getIter(vm, container);
  try {
    for (let x = iterNext(vm, it); x !== NULL; x = iterNext(vm, it)) {
      const found = x === item || compareBool(vm, x, item, 'Eq');
      heap.decref(x);
      if (found) return true;
    }
    return false;
  } finally {
    heap.decref(it);
  }
}

/** `len(obj)` as a JS number, for the interpreter's own use (a size it can index with). */
export function length(vm: VM, obj: Ref): number {
  return Number(lengthOf(vm, obj));
}

/** The largest length CPython's len() returns (sys.maxsize, a Py_ssize_t). */
const MAX_LENGTH = (1n << 63n) - 1n;

/** `len(obj)` exactly, as `len()` returns it: a bigint where `__len__` answered past 2**53. */
export function lengthOf(vm: VM, obj: Ref): number | bigint {
  const heap = vm.heap;
  switch (heap.kindOf(obj)) {
    case Kind.List:
    case Kind.Tuple:
    case Kind.Dict:
    case Kind.Set:
    case Kind.Bytes:
    case Kind.ByteArray:
      return heap.length(obj);
    default:
      break;
  }
  const method = classLookup(vm, vm.classOf(obj), '__len__');
  if (method === NULL) throw vm.typeError(`object of type '${vm.typeName(obj)}' has no len()`);
  const result = vm.call(method, [obj]);
  try {
    const n = intOf(vm, result);
    if (n === undefined) throw vm.typeError(`'${vm.typeName(result)}' object cannot be interpreted as an integer`);
    if (n < 0) throw vm.error('ValueError', '__len__() should return >= 0');
    if (typeof n === 'bigint' && n > MAX_LENGTH) throw vm.error('OverflowError', "cannot fit 'int' into an index-sized integer");
    return n;
  } finally {
    heap.decref(result);
  }
}

function sequenceIndex(vm: VM, seq: Ref, key: Ref, what: string): number {
  const heap = vm.heap;
  const kind = heap.kindOf(key);
  let i: number;
  if (kind === Kind.Int && typeof heap.valueOf(key) === 'number') i = heap.valueOf(key) as number;
  else i = indexValue(vm, key, `${what} indices must be integers or slices, not ${vm.typeName(key)}`, 'IndexError');
  const n = heap.length(seq);
  if (i < 0) i += n;
  if (i < 0 || i >= n) throw vm.error('IndexError', `${what} index out of range`);
  return i;
}

/** `obj[key]`, a new reference. */
export function getItem(vm: VM, obj: Ref, key: Ref): Ref {
  const heap = vm.heap;
  const kind = heap.kindOf(obj);
  if (kind === Kind.List || kind === Kind.Tuple) {
    const what = kind === Kind.List ? 'list' : 'tuple';
    if (heap.typeOf(key) === vm.core.slice.instanceType) {
      const length = heap.length(obj);
      const range = sliceIndices(vm, key, length);
      // tuplesubscript: the whole of an exact tuple is the tuple itself (`t[:] is t`).
      if (kind === Kind.Tuple && range.step === 1 && range.count === length && heap.typeOf(obj) === vm.core.tuple.instanceType) {
        heap.incref(obj);
        return obj;
      }
      const items = new Array<Ref>(range.count);
      for (let i = 0, at = range.start; i < range.count; i++, at += range.step) items[i] = heap.item(obj, at);
      return kind === Kind.List ? heap.newList(items) : heap.newTuple(items);
    }
    const item = heap.item(obj, sequenceIndex(vm, obj, key, what));
    heap.incref(item);
    return item;
  }
  if (kind === Kind.Dict) {
    const value = heap.dictGet(obj, key);
    if (value !== NULL) {
      heap.incref(value);
      return value;
    }
    const missing = classLookup(vm, vm.classOf(obj), '__missing__');
    if (missing !== NULL) return vm.call(missing, [obj, key]);
    throw keyError(vm, key);
  }
  const cls = vm.classOf(obj);
  const method = classLookup(vm, cls, '__getitem__');
  if (method !== NULL) return vm.call(method, [obj, key]);
  const asClass = vm.asClass(obj);
  if (asClass !== undefined) {
    const hook = classLookup(vm, asClass, '__class_getitem__');
    if (hook !== NULL) return vm.call(hook, [obj, key]);
    throw vm.typeError(`type '${asClass.name}' is not subscriptable`);
  }
  throw vm.typeError(`'${cls.name}' object is not subscriptable`);
}

export function keyError(vm: VM, key: Ref): unknown {
  return new PyThrow(vm.newException(vm.exc.KeyError, [key]));
}

/** `obj[key] = value`. */
export function setItem(vm: VM, obj: Ref, key: Ref, value: Ref): void {
  const heap = vm.heap;
  const kind = heap.kindOf(obj);
  if (kind === Kind.List && heap.typeOf(key) !== vm.core.slice.instanceType) {
    heap.setItem(obj, sequenceIndex(vm, obj, key, 'list assignment'), value);
    return;
  }
  if (kind === Kind.Dict) {
    vm.dictChanged(obj);
    heap.dictSet(obj, key, value);
    vm.dictChanged(obj);
    return;
  }
  const cls = vm.classOf(obj);
  const method = classLookup(vm, cls, '__setitem__');
  if (method !== NULL) {
    heap.decref(vm.call(method, [obj, key, value]));
    return;
  }
  throw vm.typeError(`'${cls.name}' object does not support item assignment`);
}

/** `del obj[key]`. */
export function delItem(vm: VM, obj: Ref, key: Ref): void {
  const heap = vm.heap;
  const kind = heap.kindOf(obj);
  if (kind === Kind.List && heap.typeOf(key) !== vm.core.slice.instanceType) {
    heap.deleteItem(obj, sequenceIndex(vm, obj, key, 'list assignment'));
    return;
  }
  if (kind === Kind.Dict) {
    if (heap.dictGet(obj, key) === NULL) throw keyError(vm, key);
    vm.dictChanged(obj);
    heap.dictDelete(obj, key);
    vm.dictChanged(obj);
    return;
  }
  const cls = vm.classOf(obj);
  const method = classLookup(vm, cls, '__delitem__');
  if (method !== NULL) {
    heap.decref(vm.call(method, [obj, key]));
    return;
  }
  throw vm.typeError(`'${cls.name}' object doesn't support item deletion`);
}
