/**
 * The builtins module (Python/bltinmodule.c): the built-in classes by name and the built-in
 * functions with CPython's argument checking and messages. The types it names (enumerate, zip,
 * map, filter, reversed, callable_iterator, super, property, classmethod, staticmethod) live in
 * types/, a file each. Natives borrow their arguments and return new references.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from './classes.ts';
import { classLookup, deleteAttribute, findAttribute, getAttribute, lookupMethod, setAttribute } from './attributes.ts';
import { frameLocals } from './frame-objects.ts';
import { formatValue } from './formatting.ts';
import { getIter, iterNext, listOf } from './iteration.ts';
import { binaryOp, compareBool, floatDivmod, floatOf, intBinary, intOf, lengthOf, truthy } from './operators.ts';
import { repr as reprText, str as strText } from './repr.ts';
import { isGenerator, takeReturned } from './generator.ts';
import { asciiOf } from './types/str.ts';
import { hashOf as objectHash } from './types/object.ts';
import { sortList } from './types/list.ts';
import { modInverse } from './types/int.ts';
import { cpLength } from './types/text.ts';
import { PyThrow } from './throw.ts';
import { EXCEPTION_SLOTS } from './exceptions.ts';
import { standardStreams } from './stdlib/sys.ts';
import type { VM } from './vm.ts';
import { parse } from '../parse.ts';
import { attrName, clinic, exactlyOne, fromBig, indexOf, isExceptionOf, isNone, keywords, newRef, noKeywords, positional } from './builtin-support.ts';
import { installEnumerate } from './types/enumerate.ts';
import { installZip } from './types/zip.ts';
import { installMap } from './types/map.ts';
import { installFilter } from './types/filter.ts';
import { installReversed } from './types/reversed.ts';
import { installCallableIterator } from './types/callable-iterator.ts';
import { installSuper } from './types/super.ts';
import { installProperty } from './types/property.ts';
import { installMethodDecorators } from './types/method-decorators.ts';

// ─── Numbers ──────────────────────────────────────────────────────────────────

/** The sign, mantissa and binary exponent of a finite double: |x| = m * 2^e exactly. */
function decompose(x: number): { m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return { m: frac, e: -1074 };
  return { m: frac | (1n << 52n), e: exp - 1075 };
}

/**
 * round(x, n) for a float, as CPython's double_round: the exact binary value rounded half-even
 * at the n-th decimal place (what _Py_dg_dtoa's mode 3 gives), read back correctly rounded.
 */
export function roundFloat(vm: VM, x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (n > 323) return x;
  if (n < -308) return 0 * x;
  const { m, e } = decompose(x);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (n >= 0) num *= 10n ** BigInt(n);
  else den *= 10n ** BigInt(-n);
  let q = num / den;
  const twice = 2n * (num - q * den);
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  const y = Number(`${q}e${-n}`);
  if (!Number.isFinite(y)) throw vm.error('OverflowError', 'rounded value too large to represent');
  return x < 0 ? -y : y;
}

function roundInt(v: number | bigint, n: number): bigint {
  const b = BigInt(v);
  if (n >= 0) return b;
  const pow = 10n ** BigInt(-n);
  const neg = b < 0n;
  const a = neg ? -b : b;
  let q = a / pow;
  const twice = 2n * (a - q * pow);
  if (twice > pow || (twice === pow && (q & 1n) === 1n)) q += 1n;
  const r = q * pow;
  return neg ? -r : r;
}

function floatToInt(vm: VM, x: number): Ref {
  if (Number.isNaN(x)) throw vm.error('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) throw vm.error('OverflowError', 'cannot convert float infinity to integer');
  return Number.isSafeInteger(x) ? vm.heap.newInt(x === 0 ? 0 : x) : vm.heap.newInt(BigInt(x));
}

/** Round half to even, as float.__round__ with no ndigits. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = ((base % mod) + mod) % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function radix(vm: VM, ref: Ref, base: number, prefix: string): Ref {
  const v = indexOf(vm, ref);
  const neg = v < 0;
  const text = (neg ? -BigInt(v) : BigInt(v)).toString(base);
  return vm.heap.newStr(`${neg ? '-' : ''}${prefix}${text}`, { intern: false });
}

// ─── Hashing ──────────────────────────────────────────────────────────────────

/**
 * hash(obj): types/object.ts's PyObject_Hash, plus type_new's rule that a class statement
 * defining `__eq__` without `__hash__` makes its instances unhashable (CPython sets `__hash__`
 * to None in such a class's dict; here the rule is applied along the MRO when hashing).
 */
export function hashOf(vm: VM, ref: Ref): bigint {
  const heap = vm.heap;
  if (heap.kindOf(ref) === Kind.Instance) {
    for (const cls of vm.classOf(ref).mro) {
      if (heap.dictGetStr(cls.dict, '__hash__') !== NULL) break;
      if (cls.userDefined && heap.dictGetStr(cls.dict, '__eq__') !== NULL) throw vm.typeError(`unhashable type: '${vm.typeName(ref)}'`);
    }
  }
  return objectHash(vm, ref);
}

// ─── Classes by name ──────────────────────────────────────────────────────────

/** A built-in class registered on the VM, found by its name (those the types/ files define). */
export function builtinClass(vm: VM, name: string): PyClass | undefined {
  const core = vm.core as unknown as Record<string, unknown>;
  const direct = core[name];
  if (direct && typeof direct === 'object' && 'mro' in direct) return direct as PyClass;
  const fn = vm.fn as unknown as Record<string, unknown>;
  const f = fn[name];
  if (f && typeof f === 'object' && 'mro' in f) return f as PyClass;
  for (const type of vm.heap.allTypes()) {
    if (type.name !== name) continue;
    const cls = vm.classForType(type);
    if (cls !== undefined && cls.name === name && !cls.userDefined) return cls;
  }
  return undefined;
}

// ─── Installing ───────────────────────────────────────────────────────────────

export interface BuiltinTypes {
  readonly enumerate: PyClass;
  readonly zip: PyClass;
  readonly map: PyClass;
  readonly filter: PyClass;
  readonly reversed: PyClass;
  readonly callableIterator: PyClass;
  readonly super: PyClass;
}

const installed = new WeakMap<VM, BuiltinTypes>();

/** The classes installBuiltins made (super's, for the attribute hook). */
export function builtinTypes(vm: VM): BuiltinTypes | undefined {
  return installed.get(vm);
}

export function installBuiltins(vm: VM): void {
  const heap = vm.heap;
  const module = vm.newModule('builtins', 'Built-in functions, types, exceptions, and other objects.');
  const existing = vm.modules.get('builtins');
  if (existing !== undefined) heap.decref(existing);
  vm.modules.set('builtins', module);
  const dict = vm.moduleDict(module);
  vm.builtins = dict;

  const types = installIteratorClasses(vm);
  installDescriptorConstructors(vm);
  installed.set(vm, types);

  const classNames = [
    'object', 'type', 'int', 'bool', 'float', 'str', 'bytes', 'bytearray', 'tuple', 'list', 'dict', 'set', 'frozenset',
    'range', 'slice', 'property', 'classmethod', 'staticmethod', 'memoryview', 'complex',
  ];
  for (const name of classNames) {
    const cls = builtinClass(vm, name);
    if (cls !== undefined) vm.setItemStr(dict, name, cls.object);
  }
  for (const name of ['enumerate', 'zip', 'map', 'filter', 'reversed', 'super'] as const) vm.setItemStr(dict, name, types[name].object);
  for (const [name, cls] of Object.entries(vm.exc)) vm.setItemStr(dict, name, cls.object);
  for (const [name, cls] of moreExceptions(vm)) vm.setItemStr(dict, name, cls.object);
  // CPython's aliases of OSError.
  vm.setItemStr(dict, 'EnvironmentError', vm.exc.OSError.object);
  vm.setItemStr(dict, 'IOError', vm.exc.OSError.object);
  vm.setItemStr(dict, 'NotImplemented', vm.core.NotImplemented);
  vm.setItemStr(dict, 'Ellipsis', vm.core.Ellipsis);
  vm.setItemStr(dict, '__debug__', heap.True);
  vm.setItemStr(dict, 'None', heap.None);
  vm.setItemStr(dict, 'True', heap.True);
  vm.setItemStr(dict, 'False', heap.False);
  const empty = heap.newStr('');
  vm.setItemStr(dict, '__package__', empty);
  heap.decref(empty);
  vm.setItemStr(dict, '__loader__', heap.None);
  vm.setItemStr(dict, '__spec__', heap.None);

  const def = (name: string, fn: NativeFn) => vm.defineFunction(dict, name, fn);
  for (const [name, fn] of Object.entries(FUNCTIONS)) def(name, fn);
}

/** The rest of CPython's built-in exception classes (those exceptions.ts leaves out), by base. */
const MORE_EXCEPTIONS: readonly (readonly [string, string])[] = [
  ['ConnectionError', 'OSError'],
  ['BrokenPipeError', 'ConnectionError'],
  ['ConnectionAbortedError', 'ConnectionError'],
  ['ConnectionRefusedError', 'ConnectionError'],
  ['ConnectionResetError', 'ConnectionError'],
  ['BlockingIOError', 'OSError'],
  ['ChildProcessError', 'OSError'],
  ['FileExistsError', 'OSError'],
  ['InterruptedError', 'OSError'],
  ['IsADirectoryError', 'OSError'],
  ['NotADirectoryError', 'OSError'],
  ['PermissionError', 'OSError'],
  ['ProcessLookupError', 'OSError'],
  ['TimeoutError', 'OSError'],
  ['UnicodeTranslateError', 'UnicodeError'],
  ['BytesWarning', 'Warning'],
  ['EncodingWarning', 'Warning'],
  ['FutureWarning', 'Warning'],
  ['ImportWarning', 'Warning'],
  ['PendingDeprecationWarning', 'Warning'],
  ['SyntaxWarning', 'Warning'],
  ['UnicodeWarning', 'Warning'],
];

function moreExceptions(vm: VM): Map<string, PyClass> {
  const known = new Map<string, PyClass>(Object.entries(vm.exc));
  const made = new Map<string, PyClass>();
  for (const [name, baseName] of MORE_EXCEPTIONS) {
    if (known.has(name)) continue;
    const base = known.get(baseName);
    if (base === undefined) continue;
    const cls = vm.nativeClass(name, { slots: EXCEPTION_SLOTS, weakrefable: true, base, baseAllowed: true });
    cls.isException = true;
    cls.construct = (vm, klass, args) => vm.newException(klass, args);
    known.set(name, cls);
    made.set(name, cls);
  }
  return made;
}

// ─── The functions ────────────────────────────────────────────────────────────

/** Where print() writes by default: sys.stdout, unless the program replaced it. */
function writeTo(vm: VM, file: Ref, text: string): void {
  if (isNone(vm, file)) {
    const sys = vm.modules.get('sys');
    const current = sys === undefined ? NULL : vm.heap.dictGetStr(vm.moduleDict(sys), 'stdout');
    const streams = standardStreams.get(vm);
    if (current === NULL || current === streams?.stdout || current === vm.heap.None) {
      if (current !== vm.heap.None) vm.stdout(text);
      return;
    }
    file = current;
  } else {
    const streams = standardStreams.get(vm);
    if (file === streams?.stdout) return vm.stdout(text);
    if (file === streams?.stderr) return vm.stderr(text);
  }
  const arg = vm.heap.newStr(text, { intern: false });
  try {
    vm.heap.decref(vm.callMethod(file, 'write', [arg]));
  } finally {
    vm.heap.decref(arg);
  }
}

function print(vm: VM, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  const options = keywords(vm, 'print', kw, ['sep', 'end', 'file', 'flush']);
  const textOption = (name: string, fallback: string): string => {
    const ref = options.get(name) ?? NULL;
    if (isNone(vm, ref)) return fallback;
    if (heap.kindOf(ref) !== Kind.Str) throw vm.typeError(`${name} must be None or a string, not ${vm.typeName(ref)}`);
    return heap.valueOf(ref) as string;
  };
  const sep = textOption('sep', ' ');
  const end = textOption('end', '\n');
  let file = options.get('file') ?? NULL;
  if (isNone(vm, file)) {
    const sys = vm.modules.get('sys');
    file = sys === undefined ? NULL : heap.dictGetStr(vm.moduleDict(sys), 'stdout');
    // sys.stdout = None: print() does nothing, as in CPython.
    if (file === heap.None) return heap.newNone();
  }
  const streams = standardStreams.get(vm);
  if (file !== NULL && file !== streams?.stdout && file !== streams?.stderr) {
    // A file object: one write() per piece, as CPython's print does.
    const write = getAttribute(vm, file, 'write');
    try {
      const put = (text: string) => {
        const arg = heap.newStr(text, { intern: false });
        try {
          heap.decref(vm.call(write, [arg]));
        } finally {
          heap.decref(arg);
        }
      };
      args.forEach((arg, i) => {
        if (i > 0) put(sep);
        put(strText(vm, arg));
      });
      put(end);
    } finally {
      heap.decref(write);
    }
    const flush = options.get('flush') ?? NULL;
    if (flush !== NULL && truthy(vm, flush)) heap.decref(vm.callMethod(file, 'flush'));
    return heap.newNone();
  }
  const write = file !== NULL && file === streams?.stderr ? vm.stderr : vm.stdout;
  let text = '';
  try {
    for (let i = 0; i < args.length; i++) {
      if (i > 0) text += sep;
      text += strText(vm, args[i]!);
    }
  } catch (error) {
    // What came before the failing str() was written already, as CPython writes piece by piece.
    if (text !== '') write(text);
    throw error;
  }
  write(text + end);
  return heap.newNone();
}

function minMax(vm: VM, args: readonly Ref[], kw: Kwargs | null, name: 'min' | 'max'): Ref {
  const heap = vm.heap;
  const options = keywords(vm, name, kw, ['key', 'default']);
  if (args.length === 0) throw vm.typeError(`${name} expected at least 1 argument, got 0`);
  const key = options.get('key') ?? NULL;
  const fallback = options.get('default') ?? NULL;
  if (args.length > 1 && fallback !== NULL) throw vm.typeError(`Cannot specify a default for ${name}() with multiple positional arguments`);
  const op = name === 'min' ? 'Lt' : 'Gt';
  let best = NULL;
  let bestKey = NULL;
  const consider = (item: Ref): void => {
    // item is owned here.
    const k = isNone(vm, key) ? NULL : vm.call(key, [item]);
    if (best === NULL) {
      best = item;
      bestKey = k;
      return;
    }
    let better: boolean;
    try {
      better = compareBool(vm, k === NULL ? item : k, bestKey === NULL ? best : bestKey, op);
    } catch (error) {
      heap.decref(item);
      if (k !== NULL) heap.decref(k);
      throw error;
    }
    if (better) {
      heap.decref(best);
      if (bestKey !== NULL) heap.decref(bestKey);
      best = item;
      bestKey = k;
    } else {
      heap.decref(item);
      if (k !== NULL) heap.decref(k);
    }
  };
  try {
    if (args.length > 1) {
      for (const arg of args) consider(newRef(vm, arg));
    } else {
      const it = getIter(vm, args[0]!);
      try {
        for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) consider(item);
      } finally {
        heap.decref(it);
      }
    }
  } catch (error) {
    if (best !== NULL) heap.decref(best);
    if (bestKey !== NULL) heap.decref(bestKey);
    throw error;
  }
  if (bestKey !== NULL) heap.decref(bestKey);
  if (best !== NULL) return best;
  if (fallback !== NULL) return newRef(vm, fallback);
  throw vm.error('ValueError', `${name}() arg is an empty sequence`);
}

function sum(vm: VM, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  if (args.length === 0) throw vm.typeError('sum() takes at least 1 positional argument (0 given)');
  if (args.length > 2) throw vm.typeError(`sum() takes at most 2 arguments (${args.length} given)`);
  const options = keywords(vm, 'sum', kw, ['start']);
  const start = args[1] ?? options.get('start') ?? NULL;
  if (args.length === 2 && options.has('start')) throw vm.typeError(`argument for sum() given by name ('start') and position (2)`);
  const startKind = start === NULL ? Kind.Int : heap.kindOf(start);
  if (startKind === Kind.Str) throw vm.typeError(`sum() can't sum strings [use ''.join(seq) instead]`);
  if (startKind === Kind.Bytes) throw vm.typeError(`sum() can't sum bytes [use b''.join(seq) instead]`);
  if (startKind === Kind.ByteArray) throw vm.typeError(`sum() can't sum bytearray [use b''.join(seq) instead]`);
  const it = getIter(vm, args[0]!);
  let total: Ref = start === NULL ? heap.newInt(0) : newRef(vm, start);
  try {
    // Fast paths: a run of ints in a JS number or bigint, a run of floats in a double.
    for (;;) {
      let item = NULL;
      const tk = heap.kindOf(total);
      if (tk === Kind.Int || tk === Kind.Bool) {
        let acc: number | bigint = intOf(vm, total)!;
        let consumed = false;
        for (item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) {
          const ik = heap.kindOf(item);
          if (ik !== Kind.Int && ik !== Kind.Bool) break;
          const v = intOf(vm, item)!;
          heap.decref(item);
          consumed = true;
          if (typeof acc === 'number' && typeof v === 'number') {
            const r = acc + v;
            acc = Number.isSafeInteger(r) ? r : BigInt(acc) + BigInt(v);
          } else acc = BigInt(acc) + BigInt(v);
        }
        if (consumed) {
          heap.decref(total);
          total = typeof acc === 'bigint' ? fromBig(vm, acc) : heap.newInt(acc);
        }
      } else if (tk === Kind.Float) {
        let acc = heap.valueOf(total) as number;
        let consumed = false;
        for (item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) {
          const ik = heap.kindOf(item);
          if (ik !== Kind.Float && ik !== Kind.Int && ik !== Kind.Bool) break;
          let v: number;
          try {
            v = floatOf(vm, item)!;
          } finally {
            heap.decref(item);
          }
          acc += v;
          consumed = true;
        }
        if (consumed) {
          heap.decref(total);
          total = heap.newFloat(acc);
        }
      } else item = iterNext(vm, it);
      if (item === NULL) return total;
      // The general case for this item: total + item.
      try {
        const next = binaryOp(vm, 'Add', total, item);
        heap.decref(total);
        total = next;
      } finally {
        heap.decref(item);
      }
    }
  } catch (error) {
    heap.decref(total);
    throw error;
  } finally {
    heap.decref(it);
  }
}

function isInstanceOf(vm: VM, obj: Ref, spec: Ref, depth = 0): boolean {
  const heap = vm.heap;
  const cls = vm.asClass(spec);
  if (cls !== undefined) return cls === vm.core.object || vm.classOf(obj).isSubclassOf(cls) || instanceCheck(vm, spec, obj);
  if (heap.kindOf(spec) === Kind.Tuple) {
    if (depth > 1000) throw vm.error('RecursionError', 'maximum recursion depth exceeded in __instancecheck__');
    for (let i = 0; i < heap.length(spec); i++) if (isInstanceOf(vm, obj, heap.item(spec, i), depth + 1)) return true;
    return false;
  }
  throw vm.typeError('isinstance() arg 2 must be a type, a tuple of types, or a union');
}

/** `__instancecheck__` on a user metaclass is not supported; classes answer by their MRO. */
function instanceCheck(_vm: VM, _cls: Ref, _obj: Ref): boolean {
  return false;
}

function isSubclassOf(vm: VM, sub: PyClass, spec: Ref, depth = 0): boolean {
  const heap = vm.heap;
  const cls = vm.asClass(spec);
  if (cls !== undefined) return cls === vm.core.object || sub.isSubclassOf(cls);
  if (heap.kindOf(spec) === Kind.Tuple) {
    if (depth > 1000) throw vm.error('RecursionError', 'maximum recursion depth exceeded in __subclasscheck__');
    for (let i = 0; i < heap.length(spec); i++) if (isSubclassOf(vm, sub, heap.item(spec, i), depth + 1)) return true;
    return false;
  }
  throw vm.typeError('issubclass() arg 2 must be a class, a tuple of classes, or a union');
}

export function isCallable(vm: VM, ref: Ref): boolean {
  const heap = vm.heap;
  const type = heap.typeOf(ref);
  if (type.kind === Kind.Type || type.kind === Kind.Function) return true;
  const fn = vm.fn;
  if (type === fn.functionType || type === fn.builtinType || type === fn.methodType || type === fn.methodDescriptorType) return true;
  const call = lookupMethod(vm, ref, '__call__');
  return call !== NULL && call !== heap.None;
}

function dirNames(vm: VM, obj: Ref): string[] {
  const heap = vm.heap;
  const names = new Set<string>();
  const addDict = (dict: Ref) =>
    heap.dictForEach(dict, (key) => {
      if (heap.kindOf(key) === Kind.Str) names.add(heap.valueOf(key) as string);
    });
  const addClass = (cls: PyClass) => {
    for (const c of cls.mro) {
      addDict(c.dict);
      for (const name of c.getset.keys()) names.add(name);
    }
  };
  if (vm.classOf(obj) === vm.core.module) {
    addDict(vm.moduleDict(obj));
    return [...names];
  }
  const asClass = vm.asClass(obj);
  if (asClass !== undefined) {
    addClass(asClass);
    return [...names];
  }
  const cls = vm.classOf(obj);
  if (cls.userDefined) {
    heap.forEachAttribute(obj, (name) => names.add(name));
  }
  addClass(cls);
  names.add('__class__');
  return [...names];
}

function sortedStrings(names: string[]): string[] {
  // Python compares str by code point; JS by UTF-16 unit: compare code point arrays.
  return names.sort((a, b) => {
    const x = [...a];
    const y = [...b];
    for (let i = 0; i < x.length && i < y.length; i++) {
      const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
      if (d !== 0) return d;
    }
    return x.length - y.length;
  });
}

function namesList(vm: VM, names: readonly string[]): Ref {
  const heap = vm.heap;
  const refs = names.map((name) => heap.newStr(name));
  const list = heap.newList(refs);
  for (const ref of refs) heap.decref(ref);
  return list;
}

function currentFrameOrThrow(vm: VM, fname: string) {
  const frame = vm.frame;
  if (frame === null) throw vm.error('SystemError', `${fname}(): no current frame`);
  return frame;
}

/** any() and all(): `stopOn` at the first item whose truth is `stopOn`, else the opposite. */
function untilTruth(vm: VM, iterable: Ref, stopOn: boolean): Ref {
  const heap = vm.heap;
  const it = getIter(vm, iterable);
  try {
    for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) {
      let yes: boolean;
      try {
        yes = truthy(vm, item);
      } finally {
        heap.decref(item);
      }
      if (yes === stopOn) return heap.newBool(stopOn);
    }
    return heap.newBool(!stopOn);
  } finally {
    heap.decref(it);
  }
}

const FUNCTIONS: Record<string, NativeFn> = {
  print,

  len(vm, args, kw) {
    const obj = exactlyOne(vm, 'len', args, kw);
    if (vm.heap.kindOf(obj) === Kind.Str) return vm.heap.newInt(cpLength(vm.heap.valueOf(obj) as string));
    return vm.heap.newInt(lengthOf(vm, obj));
  },

  repr(vm, args, kw) {
    return vm.heap.newStr(reprText(vm, exactlyOne(vm, 'repr', args, kw)), { intern: false });
  },

  ascii(vm, args, kw) {
    const obj = exactlyOne(vm, 'ascii', args, kw);
    return vm.heap.newStr(asciiOf(vm, obj), { intern: false });
  },

  abs(vm, args, kw) {
    const heap = vm.heap;
    const x = exactlyOne(vm, 'abs', args, kw);
    const i = intOf(vm, x);
    if (i !== undefined) return typeof i === 'number' ? heap.newInt(Math.abs(i)) : heap.newInt(i < 0n ? -i : i);
    if (heap.kindOf(x) === Kind.Float) return heap.newFloat(Math.abs(heap.valueOf(x) as number));
    const method = lookupMethod(vm, x, '__abs__');
    if (method === NULL) throw vm.typeError(`bad operand type for abs(): '${vm.typeName(x)}'`);
    return vm.call(method, [x]);
  },

  round(vm, args, kw) {
    const heap = vm.heap;
    const [number, ndigits] = clinic(vm, 'round', args, kw, ['number', 'ndigits'], 1);
    const x = number!;
    const kind = heap.kindOf(x);
    const hasDigits = !isNone(vm, ndigits!);
    if (kind === Kind.Float) {
      const f = heap.valueOf(x) as number;
      if (!hasDigits) return floatToInt(vm, roundHalfEven(f));
      const n = indexOf(vm, ndigits!);
      const digits = typeof n === 'bigint' ? (n > 0n ? 400 : -400) : n;
      return heap.newFloat(roundFloat(vm, f, digits));
    }
    if (kind === Kind.Int || kind === Kind.Bool) {
      const v = intOf(vm, x)!;
      if (!hasDigits) return heap.newInt(v);
      const n = indexOf(vm, ndigits!);
      if (n >= 0) return heap.newInt(v);
      if (typeof n === 'bigint' && n < -10000n) return heap.newInt(0);
      return fromBig(vm, roundInt(v, Number(n)));
    }
    const method = lookupMethod(vm, x, '__round__');
    if (method === NULL) throw vm.typeError(`type ${vm.typeName(x)} doesn't define __round__ method`);
    return vm.call(method, hasDigits ? [x, ndigits!] : [x]);
  },

  divmod(vm, args, kw) {
    const heap = vm.heap;
    noKeywords(vm, 'divmod', kw);
    positional(vm, 'divmod', args, 2, 2);
    const [a, b] = args as [Ref, Ref];
    const ia = intOf(vm, a);
    const ib = intOf(vm, b);
    const pair = (x: Ref, y: Ref): Ref => {
      const tuple = heap.newTuple([x, y]);
      heap.decref(x);
      heap.decref(y);
      return tuple;
    };
    if (ia !== undefined && ib !== undefined) {
      if (ib === 0 || ib === 0n) throw vm.error('ZeroDivisionError', 'integer division or modulo by zero');
      const q = intBinary(vm, 'FloorDiv', ia, ib);
      return pair(q, intBinary(vm, 'Mod', ia, ib));
    }
    const ka = heap.kindOf(a);
    const kb = heap.kindOf(b);
    const numeric = (k: number) => k === Kind.Int || k === Kind.Bool || k === Kind.Float;
    if (numeric(ka) && numeric(kb)) {
      const x = floatOf(vm, a)!;
      const y = floatOf(vm, b)!;
      if (y === 0) throw vm.error('ZeroDivisionError', 'float divmod()');
      const [q, r] = floatDivmod(x, y);
      return pair(heap.newFloat(q), heap.newFloat(r));
    }
    const left = lookupMethod(vm, a, '__divmod__');
    if (left !== NULL) {
      const result = vm.call(left, [a, b]);
      if (result !== vm.core.NotImplemented) return result;
      heap.decref(result);
    }
    const right = vm.classOf(a) === vm.classOf(b) ? NULL : lookupMethod(vm, b, '__rdivmod__');
    if (right !== NULL) {
      const result = vm.call(right, [b, a]);
      if (result !== vm.core.NotImplemented) return result;
      heap.decref(result);
    }
    throw vm.typeError(`unsupported operand type(s) for divmod(): '${vm.typeName(a)}' and '${vm.typeName(b)}'`);
  },

  pow(vm, args, kw) {
    const [base, exp, mod] = clinic(vm, 'pow', args, kw, ['base', 'exp', 'mod'], 2);
    if (isNone(vm, mod!)) return binaryOp(vm, 'Pow', base!, exp!);
    const b = intOf(vm, base!);
    const e = intOf(vm, exp!);
    const m = intOf(vm, mod!);
    if (b === undefined || e === undefined || m === undefined) {
      const method = lookupMethod(vm, base!, '__pow__');
      if (method !== NULL && vm.classOf(base!).userDefined) return vm.call(method, [base!, exp!, mod!]);
      throw vm.typeError('pow() 3rd argument not allowed unless all arguments are integers');
    }
    let bm = BigInt(m);
    if (bm === 0n) throw vm.error('ValueError', 'pow() 3rd argument cannot be 0');
    const negative = bm < 0n;
    if (negative) bm = -bm;
    let be = BigInt(e);
    let bb = BigInt(b);
    if (be < 0n) {
      bb = modInverse(vm, bb, bm);
      be = -be;
    }
    let r = bm === 1n ? 0n : modPow(bb, be, bm);
    if (negative && r !== 0n) r -= bm;
    return fromBig(vm, r);
  },

  min: (vm, args, kw) => minMax(vm, args, kw, 'min'),
  max: (vm, args, kw) => minMax(vm, args, kw, 'max'),
  sum,

  sorted(vm, args, kw) {
    const heap = vm.heap;
    positional(vm, 'sorted', args, 1, 1);
    const options = keywords(vm, 'sort', kw, ['key', 'reverse']);
    const items = listOf(vm, args[0]!);
    const list = heap.newList(items);
    for (const item of items) heap.decref(item);
    try {
      const reverse = options.get('reverse') ?? NULL;
      sortList(vm, list, options.get('key') ?? NULL, reverse !== NULL && truthy(vm, reverse));
    } catch (error) {
      heap.decref(list);
      throw error;
    }
    return list;
  },

  any(vm, args, kw) {
    return untilTruth(vm, exactlyOne(vm, 'any', args, kw), true);
  },

  all(vm, args, kw) {
    return untilTruth(vm, exactlyOne(vm, 'all', args, kw), false);
  },

  isinstance(vm, args, kw) {
    noKeywords(vm, 'isinstance', kw);
    positional(vm, 'isinstance', args, 2, 2);
    return vm.heap.newBool(isInstanceOf(vm, args[0]!, args[1]!));
  },

  issubclass(vm, args, kw) {
    noKeywords(vm, 'issubclass', kw);
    positional(vm, 'issubclass', args, 2, 2);
    const sub = vm.asClass(args[0]!);
    if (sub === undefined) throw vm.typeError('issubclass() arg 1 must be a class');
    return vm.heap.newBool(isSubclassOf(vm, sub, args[1]!));
  },

  hasattr(vm, args, kw) {
    noKeywords(vm, 'hasattr', kw);
    positional(vm, 'hasattr', args, 2, 2);
    const name = attrName(vm, args[1]!);
    try {
      const found = findAttribute(vm, args[0]!, name);
      if (found === NULL) return vm.heap.newBool(false);
      vm.heap.decref(found);
      return vm.heap.newBool(true);
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (!isExceptionOf(vm, thrown, vm.exc.AttributeError)) throw thrown;
      vm.heap.decref(thrown.exc);
      return vm.heap.newBool(false);
    }
  },

  getattr(vm, args, kw) {
    noKeywords(vm, 'getattr', kw);
    positional(vm, 'getattr', args, 2, 3);
    const name = attrName(vm, args[1]!);
    if (args.length === 2) return getAttribute(vm, args[0]!, name);
    try {
      const found = findAttribute(vm, args[0]!, name);
      if (found !== NULL) return found;
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (!isExceptionOf(vm, thrown, vm.exc.AttributeError)) throw thrown;
      vm.heap.decref(thrown.exc);
    }
    return newRef(vm, args[2]!);
  },

  setattr(vm, args, kw) {
    noKeywords(vm, 'setattr', kw);
    positional(vm, 'setattr', args, 3, 3);
    setAttribute(vm, args[0]!, attrName(vm, args[1]!), args[2]!);
    return vm.heap.newNone();
  },

  delattr(vm, args, kw) {
    noKeywords(vm, 'delattr', kw);
    positional(vm, 'delattr', args, 2, 2);
    deleteAttribute(vm, args[0]!, attrName(vm, args[1]!));
    return vm.heap.newNone();
  },

  id(vm, args, kw) {
    return vm.heap.newInt(vm.heap.id(exactlyOne(vm, 'id', args, kw)));
  },

  hex: (vm, args, kw) => radix(vm, exactlyOne(vm, 'hex', args, kw), 16, '0x'),
  oct: (vm, args, kw) => radix(vm, exactlyOne(vm, 'oct', args, kw), 8, '0o'),
  bin: (vm, args, kw) => radix(vm, exactlyOne(vm, 'bin', args, kw), 2, '0b'),

  hash(vm, args, kw) {
    return fromBig(vm, hashOf(vm, exactlyOne(vm, 'hash', args, kw)));
  },

  iter(vm, args, kw) {
    noKeywords(vm, 'iter', kw);
    positional(vm, 'iter', args, 1, 2);
    if (args.length === 1) return getIter(vm, args[0]!);
    if (!isCallable(vm, args[0]!)) throw vm.typeError('iter(v, w): v must be callable');
    const types = installed.get(vm)!;
    const it = vm.heap.newInstance(types.callableIterator.instanceType!);
    vm.heap.setSlot(it, 0, args[0]!);
    vm.heap.setSlot(it, 1, args[1]!);
    return it;
  },

  next(vm, args, kw) {
    const heap = vm.heap;
    noKeywords(vm, 'next', kw);
    positional(vm, 'next', args, 1, 2);
    const it = args[0]!;
    const cls = vm.classOf(it);
    if (cls.iterNext === null) {
      const method = classLookup(vm, cls, '__next__');
      if (method === NULL) throw vm.typeError(`'${cls.name}' object is not an iterator`);
      try {
        return vm.call(method, [it]);
      } catch (error) {
        const thrown = vm.toThrow(error);
        if (args.length === 2 && isExceptionOf(vm, thrown, vm.exc.StopIteration)) {
          heap.decref(thrown.exc);
          return newRef(vm, args[1]!);
        }
        throw thrown;
      }
    }
    const item = cls.iterNext(vm, it);
    if (item !== NULL) return item;
    if (args.length === 2) return newRef(vm, args[1]!);
    if (isGenerator(vm, it)) {
      const returned = takeReturned(vm, it);
      const exc = vm.newException(vm.exc.StopIteration, returned === heap.None ? [] : [returned]);
      heap.decref(returned);
      throw new PyThrow(exc);
    }
    throw new PyThrow(vm.newException(vm.exc.StopIteration));
  },

  callable(vm, args, kw) {
    return vm.heap.newBool(isCallable(vm, exactlyOne(vm, 'callable', args, kw)));
  },

  vars(vm, args, kw) {
    const heap = vm.heap;
    noKeywords(vm, 'vars', kw);
    positional(vm, 'vars', args, 0, 1);
    if (args.length === 0) return frameLocals(vm, currentFrameOrThrow(vm, 'vars'));
    const obj = args[0]!;
    if (vm.classOf(obj) === vm.core.module) return newRef(vm, vm.moduleDict(obj));
    const cls = vm.asClass(obj);
    if (cls !== undefined) return newRef(vm, cls.dict);
    if (heap.typeOf(obj).kind === Kind.Instance && heap.typeOf(obj).hasDict) return newRef(vm, heap.attributeDict(obj));
    try {
      const found = findAttribute(vm, obj, '__dict__');
      if (found !== NULL) return found;
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (!isExceptionOf(vm, thrown, vm.exc.AttributeError)) throw thrown;
      heap.decref(thrown.exc);
    }
    throw vm.typeError('vars() argument must have __dict__ attribute');
  },

  dir(vm, args, kw) {
    const heap = vm.heap;
    noKeywords(vm, 'dir', kw);
    positional(vm, 'dir', args, 0, 1);
    if (args.length === 0) {
      const locals = frameLocals(vm, currentFrameOrThrow(vm, 'dir'));
      const names: string[] = [];
      heap.dictForEach(locals, (key) => {
        if (heap.kindOf(key) === Kind.Str) names.push(heap.valueOf(key) as string);
      });
      heap.decref(locals);
      return namesList(vm, sortedStrings(names));
    }
    const obj = args[0]!;
    const cls = vm.classOf(obj);
    const custom = vm.asClass(obj) === undefined && cls.userDefined ? classLookup(vm, cls, '__dir__') : NULL;
    if (custom !== NULL) {
      const result = vm.call(custom, [obj]);
      try {
        const items = listOf(vm, result);
        const list = heap.newList(items);
        for (const item of items) heap.decref(item);
        try {
          sortList(vm, list, NULL, false);
        } catch (error) {
          heap.decref(list);
          throw error;
        }
        return list;
      } finally {
        heap.decref(result);
      }
    }
    return namesList(vm, sortedStrings(dirNames(vm, obj)));
  },

  globals(vm, args, kw) {
    noKeywords(vm, 'globals', kw);
    if (args.length > 0) throw vm.typeError(`globals() takes no arguments (${args.length} given)`);
    return newRef(vm, vm.frame === null ? vm.builtins : vm.frame.globals);
  },

  locals(vm, args, kw) {
    noKeywords(vm, 'locals', kw);
    if (args.length > 0) throw vm.typeError(`locals() takes no arguments (${args.length} given)`);
    return frameLocals(vm, currentFrameOrThrow(vm, 'locals'));
  },

  chr(vm, args, kw) {
    const v = indexOf(vm, exactlyOne(vm, 'chr', args, kw));
    if (typeof v === 'bigint') throw vm.error('OverflowError', 'Python int too large to convert to C int');
    if (v < 0 || v > 0x10ffff) throw vm.error('ValueError', 'chr() arg not in range(0x110000)');
    return vm.heap.newStr(String.fromCodePoint(v));
  },

  ord(vm, args, kw) {
    const heap = vm.heap;
    const c = exactlyOne(vm, 'ord', args, kw);
    const kind = heap.kindOf(c);
    if (kind === Kind.Str) {
      const text = heap.valueOf(c) as string;
      const n = cpLength(text);
      if (n !== 1) throw vm.typeError(`ord() expected a character, but string of length ${n} found`);
      return heap.newInt(text.codePointAt(0)!);
    }
    if (kind === Kind.Bytes || kind === Kind.ByteArray) {
      const n = heap.length(c);
      if (n !== 1) throw vm.typeError(`ord() expected a character, but string of length ${n} found`);
      return heap.newInt(heap.byteAt(c, 0));
    }
    throw vm.typeError(`ord() expected string of length 1, but ${vm.typeName(c)} found`);
  },

  format(vm, args, kw) {
    noKeywords(vm, 'format', kw);
    positional(vm, 'format', args, 1, 2);
    let spec = '';
    if (args.length === 2) {
      if (vm.heap.kindOf(args[1]!) !== Kind.Str) throw vm.typeError(`format() argument 2 must be str, not ${vm.typeName(args[1]!)}`);
      spec = vm.heap.valueOf(args[1]!) as string;
    }
    return vm.heap.newStr(formatValue(vm, args[0]!, spec), { intern: false });
  },

  input(vm, args, kw) {
    noKeywords(vm, 'input', kw);
    positional(vm, 'input', args, 0, 1);
    if (args.length === 1) writeTo(vm, NULL, strText(vm, args[0]!));
    throw vm.error('EOFError', 'EOF when reading a line');
  },

  open(vm) {
    throw vm.error('OSError', 'refheap-python has no file system: open() is not supported');
  },

  __import__(vm, args, kw) {
    const [name, , , , level] = clinic(vm, '__import__', args, kw, ['name', 'globals', 'locals', 'fromlist', 'level'], 1);
    if (vm.heap.kindOf(name!) !== Kind.Str) throw vm.typeError(`__import__() argument 1 must be str, not ${vm.typeName(name!)}`);
    if (level !== NULL && level !== undefined && intOf(vm, level) !== 0) {
      throw vm.error('ImportError', 'attempted relative import with no known parent package');
    }
    const text = vm.heap.valueOf(name!) as string;
    if (text === '') throw vm.error('ValueError', 'Empty module name');
    return vm.importModule(text);
  },

  exit: exitFunction,
  quit: exitFunction,

  breakpoint(vm) {
    return vm.heap.newNone();
  },

  eval: (vm, args, kw) => evalOrExec(vm, args, kw, 'eval'),
  exec: (vm, args, kw) => evalOrExec(vm, args, kw, 'exec'),
  compile(vm) {
    throw vm.error('NotImplementedError', 'refheap-python does not support compile()');
  },
};

/**
 * eval() and exec() of a source string, compiled by the compiler and run with `globals` as the
 * module dict (the caller's, at module level). A separate locals mapping, code objects and a
 * function's own locals are beyond refheap-python: those raise NotImplementedError.
 */
function evalOrExec(vm: VM, args: readonly Ref[], kw: Kwargs | null, fname: 'eval' | 'exec'): Ref {
  const heap = vm.heap;
  const [source, globalsArg, localsArg] = clinic(vm, fname, args, kw, ['source', 'globals', 'locals'], 1, 1);
  if (heap.kindOf(source!) !== Kind.Str) {
    const what = fname === 'eval' ? 'eval() arg 1 must be a string, bytes or code object' : 'exec() arg 1 must be a string, bytes or code object';
    throw vm.typeError(what);
  }
  let globals = globalsArg!;
  if (!isNone(vm, globals) && heap.kindOf(globals) !== Kind.Dict) {
    throw vm.typeError(fname === 'eval' ? 'globals must be a real dict; try eval(expr, {}, mapping)' : `exec() globals must be a dict, not ${vm.typeName(globals)}`);
  }
  const frame = vm.frame;
  if (!isNone(vm, localsArg!) && localsArg !== globals) {
    throw vm.error('NotImplementedError', `refheap-python does not support a separate locals mapping in ${fname}()`);
  }
  const text = heap.valueOf(source!) as string;
  if (isNone(vm, globals)) {
    if (frame === null) throw vm.error('SystemError', `${fname}(): no current frame`);
    if (frame.locals !== frame.globals) {
      // In a function (or class body): the caller's globals with its locals over them, in a
      // copy — what the code binds stays in the copy, as it stays in the locals() snapshot
      // CPython gives it.
      const scope = heap.newDict();
      try {
        heap.dictForEach(frame.globals, (key, value) => heap.dictSet(scope, key, value));
        const locals = frameLocals(vm, frame);
        heap.dictForEach(locals, (key, value) => heap.dictSet(scope, key, value));
        heap.decref(locals);
        return runSource(vm, text, scope, fname);
      } finally {
        heap.decref(scope);
      }
    }
    globals = frame.globals;
  }
  return runSource(vm, text, globals, fname);
}

function runSource(vm: VM, text: string, globals: Ref, fname: 'eval' | 'exec'): Ref {
  const heap = vm.heap;
  if (fname === 'exec') {
    vm.runCode(text, '<string>', globals);
    return heap.newNone();
  }
  // eval: one expression, run in interactive mode with the display hook catching its value.
  const stripped = text.replace(/^[ \t]+/, '');
  const tree = parse(stripped, { filename: '<string>' });
  if (tree.body.length !== 1 || tree.body[0]!._type !== 'Expr') throw vm.error('SyntaxError', 'invalid syntax');
  let result: Ref = NULL;
  const display = Object.getOwnPropertyDescriptor(vm, 'displayHook');
  Object.defineProperty(vm, 'displayHook', {
    configurable: true,
    writable: true,
    value: (value: Ref) => {
      heap.incref(value);
      result = value;
    },
  });
  try {
    vm.runCode(stripped, '<string>', globals, true);
  } catch (error) {
    if (result !== NULL) heap.decref(result);
    throw error;
  } finally {
    if (display === undefined) delete (vm as unknown as { displayHook?: unknown }).displayHook;
    else Object.defineProperty(vm, 'displayHook', display);
  }
  return result === NULL ? heap.newNone() : result;
}

function exitFunction(vm: VM, args: readonly Ref[], kw: Kwargs | null): Ref {
  noKeywords(vm, 'exit', kw);
  positional(vm, 'exit', args, 0, 1);
  throw new PyThrow(vm.newException(vm.exc.SystemExit, args));
}

// ─── The types the builtins module names ──────────────────────────────────────

function installIteratorClasses(vm: VM): BuiltinTypes {
  return {
    enumerate: installEnumerate(vm),
    zip: installZip(vm),
    map: installMap(vm),
    filter: installFilter(vm),
    reversed: installReversed(vm),
    callableIterator: installCallableIterator(vm),
    super: installSuper(vm),
  };
}

function installDescriptorConstructors(vm: VM): void {
  installProperty(vm);
  installMethodDecorators(vm);
}
