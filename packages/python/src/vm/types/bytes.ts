/**
 * The methods of bytes and bytearray (Objects/bytesobject.c, bytearrayobject.c, and the shared
 * Objects/bytes_methods.c), their constructors and iterators. The contents are the heap's
 * Uint8Array; the searching methods work on a latin-1 JS string of it (one char per byte), so
 * they share JS's string search. A bytearray's methods return bytearrays, as CPython's do.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import { getIter, iterNext } from '../iteration.ts';
import type { VM } from '../vm.ts';
import { intArg, isAbsent, noArgs, parseArgs, strArg } from './args.ts';
import { indexValue } from '../indexes.ts';
import { isSlice, sliceIndex, sliceIndices } from './slices.ts';
import { decodeBytes, rsplitWhitespace, splitWhitespace } from './str.ts';

const SPACE = ' \t\n\r\x0b\x0c';

const isBytesLike = (vm: VM, ref: Ref): boolean => {
  const kind = vm.heap.kindOf(ref);
  return kind === Kind.Bytes || kind === Kind.ByteArray;
};

/** One char per byte. */
function binary(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 8192) out += String.fromCharCode(...data.subarray(i, i + 8192));
  return out;
}

function fromBinary(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/** Which class a result of self's method has: bytes for bytes, bytearray for bytearray. */
function make(vm: VM, like: Ref, data: Uint8Array | string): Ref {
  const bytes = typeof data === 'string' ? fromBinary(data) : data;
  return vm.heap.kindOf(like) === Kind.ByteArray ? vm.heap.newByteArray(bytes) : vm.heap.newBytes(bytes);
}

/** A bytes-like argument as a binary string, or CPython's TypeError. */
function bufferArg(vm: VM, ref: Ref, what = 'a bytes-like object is required'): string {
  if (!isBytesLike(vm, ref)) throw vm.typeError(`${what}, not '${vm.typeName(ref)}'`);
  return binary(vm.heap.bytesView(ref));
}

/** The `sub` of find/count/index: bytes-like or an int in range(256). */
function subArg(vm: VM, ref: Ref): string {
  const kind = vm.heap.kindOf(ref);
  if (kind === Kind.Int || kind === Kind.Bool) {
    const n = intArg(vm, ref);
    if (n < 0 || n > 255) throw vm.error('ValueError', 'byte must be in range(0, 256)');
    return String.fromCharCode(n);
  }
  if (!isBytesLike(vm, ref)) throw vm.typeError(`argument should be integer or bytes-like object, not '${vm.typeName(ref)}'`);
  return binary(vm.heap.bytesView(ref));
}

function adjust(vm: VM, startRef: Ref, endRef: Ref, length: number): [number, number] {
  let start = startRef === NULL ? 0 : sliceIndex(vm, startRef, 0);
  let end = endRef === NULL ? Number.MAX_SAFE_INTEGER : sliceIndex(vm, endRef, Number.MAX_SAFE_INTEGER);
  if (end > length) end = length;
  else if (end < 0) end = Math.max(0, end + length);
  if (start < 0) start = Math.max(0, start + length);
  return [start, end];
}

function finder(name: 'find' | 'rfind' | 'index' | 'rindex' | 'count'): NativeFn {
  return (vm, args, kw) => {
    const [subRef, startRef, endRef] = parseArgs(vm, name, args, kw, ['sub', 'start', 'end'], 1, 3);
    const self = binary(vm.heap.bytesView(args[0]!));
    const sub = subArg(vm, subRef!);
    const [start, end] = adjust(vm, startRef!, endRef!, self.length);
    if (name === 'count') {
      if (start > self.length || end - start < sub.length) return vm.heap.newInt(0);
      if (sub === '') return vm.heap.newInt(end - start + 1);
      return vm.heap.newInt(self.slice(start, end).split(sub).length - 1);
    }
    let found = -1;
    if (start <= self.length && end - start >= sub.length) {
      const region = self.slice(start, end);
      const at = name === 'find' || name === 'index' ? region.indexOf(sub) : region.lastIndexOf(sub);
      if (at >= 0) found = start + at;
    }
    if (found < 0 && (name === 'index' || name === 'rindex')) throw vm.error('ValueError', 'subsection not found');
    return vm.heap.newInt(found);
  };
}

function affix(name: 'startswith' | 'endswith'): NativeFn {
  return (vm, args, kw) => {
    const [prefixRef, startRef, endRef] = parseArgs(vm, name, args, kw, ['prefix', 'start', 'end'], 1, 3);
    const heap = vm.heap;
    const self = binary(heap.bytesView(args[0]!));
    const [start, end] = adjust(vm, startRef!, endRef!, self.length);
    const test = (sub: string): boolean => start <= self.length && end - start >= sub.length && (name === 'startswith' ? self.slice(start, end).startsWith(sub) : self.slice(start, end).endsWith(sub));
    if (heap.kindOf(prefixRef!) === Kind.Tuple) {
      for (let i = 0; i < heap.length(prefixRef!); i++) {
        if (test(bufferArg(vm, heap.item(prefixRef!, i), 'a bytes-like object is required'))) return heap.newBool(true);
      }
      return heap.newBool(false);
    }
    if (!isBytesLike(vm, prefixRef!)) throw vm.typeError(`${name} first arg must be bytes or a tuple of bytes, not ${vm.typeName(prefixRef!)}`);
    return heap.newBool(test(binary(heap.bytesView(prefixRef!))));
  };
}

function listOf(vm: VM, like: Ref, parts: readonly string[]): Ref {
  const refs = parts.map((p) => make(vm, like, p));
  const list = vm.heap.newList(refs);
  for (const r of refs) vm.heap.decref(r);
  return list;
}

function splitter(name: 'split' | 'rsplit'): NativeFn {
  return (vm, args, kw) => {
    const [sepRef, maxRef] = parseArgs(vm, name, args, kw, ['sep', 'maxsplit'], 0, 0);
    const s = binary(vm.heap.bytesView(args[0]!));
    let max = maxRef === NULL ? -1 : intArg(vm, maxRef!);
    if (max < 0) max = Number.MAX_SAFE_INTEGER;
    const out: string[] = [];
    if (isAbsent(vm, sepRef!)) {
      const space = (ch: string): boolean => SPACE.includes(ch);
      return listOf(vm, args[0]!, name === 'split' ? splitWhitespace(s, max, space) : rsplitWhitespace(s, max, space));
    }
    const sep = bufferArg(vm, sepRef!);
    if (sep === '') throw vm.error('ValueError', 'empty separator');
    if (name === 'split') {
      let i = 0;
      while (max-- > 0) {
        const at = s.indexOf(sep, i);
        if (at < 0) break;
        out.push(s.slice(i, at));
        i = at + sep.length;
      }
      out.push(s.slice(i));
      return listOf(vm, args[0]!, out);
    }
    let end = s.length;
    while (max-- > 0) {
      const at = end - sep.length < 0 ? -1 : s.lastIndexOf(sep, end - sep.length);
      if (at < 0) break;
      out.push(s.slice(at + sep.length, end));
      end = at;
    }
    out.push(s.slice(0, end));
    return listOf(vm, args[0]!, out.reverse());
  };
}

function stripper(name: 'strip' | 'lstrip' | 'rstrip'): NativeFn {
  return (vm, args, kw) => {
    const [charsRef] = parseArgs(vm, name, args, kw, ['bytes'], 0, 1);
    const s = binary(vm.heap.bytesView(args[0]!));
    const set = isAbsent(vm, charsRef!) ? SPACE : bufferArg(vm, charsRef!);
    let i = 0;
    let j = s.length;
    if (name !== 'rstrip') while (i < j && set.includes(s[i]!)) i++;
    if (name !== 'lstrip') while (j > i && set.includes(s[j - 1]!)) j--;
    return make(vm, args[0]!, s.slice(i, j));
  };
}

/** The ints an iterable yields, for bytes(iterable), extend and join's checks. */
function intsOf(vm: VM, iterable: Ref): number[] {
  const heap = vm.heap;
  const out: number[] = [];
  const it = getIter(vm, iterable);
  try {
    for (;;) {
      const item = iterNext(vm, it);
      if (item === NULL) break;
      try {
        const kind = heap.kindOf(item);
        if (kind !== Kind.Int && kind !== Kind.Bool && lookupMethod(vm, item, '__index__') === NULL) {
          throw vm.typeError(`'${vm.typeName(item)}' object cannot be interpreted as an integer`);
        }
        out.push(intArg(vm, item));
      } finally {
        heap.decref(item);
      }
    }
  } finally {
    heap.decref(it);
  }
  return out;
}

function construct(vm: VM, cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  const name = cls === vm.core.bytearray ? 'bytearray' : 'bytes';
  const [source, encodingRef, errorsRef] = parseArgs(vm, name, [NULL, ...args], kw, ['source', 'encoding', 'errors'], 0, 0);
  const build = name === 'bytes' ? heap.newBytes.bind(heap) : heap.newByteArray.bind(heap);
  try {
    if (source === NULL) {
      if (encodingRef !== NULL) throw vm.typeError('encoding without a string argument');
      if (errorsRef !== NULL) throw vm.typeError('errors without a string argument');
      return build();
    }
    const kind = heap.kindOf(source!);
    const encoding = encodingRef === NULL ? undefined : strArg(vm, encodingRef!, `${name}() argument 'encoding'`);
    const errors = errorsRef === NULL ? undefined : strArg(vm, errorsRef!, `${name}() argument 'errors'`);
    if (kind === Kind.Str) return build(heap.valueOf(source!) as string, encoding ?? (() => { throw vm.typeError('string argument without an encoding'); })(), errors);
    if (encoding !== undefined) throw vm.typeError('encoding without a string argument');
    if (errors !== undefined) throw vm.typeError('errors without a string argument');
    if (kind === Kind.Bytes || kind === Kind.ByteArray) return build(heap.bytesView(source!));
    if (kind === Kind.Int || kind === Kind.Bool) return build(intArg(vm, source!));
    if (lookupMethod(vm, source!, '__bytes__') !== NULL && name === 'bytes') return vm.callMethod(source!, '__bytes__');
    if (lookupMethod(vm, source!, '__index__') !== NULL) return build(intArg(vm, source!));
    if (lookupMethod(vm, source!, '__iter__') === NULL && lookupMethod(vm, source!, '__getitem__') === NULL) {
      throw vm.typeError(`cannot convert '${vm.typeName(source!)}' object to ${name}`);
    }
    return build(intsOf(vm, source!));
  } catch (error) {
    throw vm.toThrow(error);
  }
}

function hex(vm: VM, args: readonly Ref[], kw: Kwargs | null): string {
  const [sepRef, perRef] = parseArgs(vm, 'hex', args, kw, ['sep', 'bytes_per_sep'], 0, 0);
  const data = vm.heap.bytesView(args[0]!);
  const digits = Array.from(data, (b) => b.toString(16).padStart(2, '0'));
  if (sepRef === NULL) return digits.join('');
  const sep = vm.heap.kindOf(sepRef!) === Kind.Str ? (vm.heap.valueOf(sepRef!) as string) : binary(vm.heap.bytesView(sepRef!));
  if (sep.length !== 1) throw vm.error('ValueError', 'sep must be length 1.');
  const per = perRef === NULL ? 1 : intArg(vm, perRef!);
  if (per === 0) return digits.join('');
  const size = Math.abs(per);
  const groups: string[] = [];
  if (per > 0) for (let end = digits.length; end > 0; end -= size) groups.unshift(digits.slice(Math.max(0, end - size), end).join(''));
  else for (let start = 0; start < digits.length; start += size) groups.push(digits.slice(start, start + size).join(''));
  return groups.join(sep);
}

function fromhex(vm: VM, s: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (SPACE.includes(s[i]!)) {
      i++;
      continue;
    }
    const hi = parseInt(s[i]!, 16);
    if (Number.isNaN(hi) || !/[0-9a-fA-F]/.test(s[i]!)) throw vm.error('ValueError', `non-hexadecimal number found in fromhex() arg at position ${i}`);
    const lo = i + 1 < s.length && /[0-9a-fA-F]/.test(s[i + 1]!) ? parseInt(s[i + 1]!, 16) : NaN;
    if (Number.isNaN(lo)) throw vm.error('ValueError', `non-hexadecimal number found in fromhex() arg at position ${i + 1}`);
    out.push(hi * 16 + lo);
    i += 2;
  }
  return Uint8Array.from(out);
}

function install(vm: VM, cls: PyClass, name: 'bytes' | 'bytearray'): void {
  const heap = vm.heap;
  const def = (method: string, fn: NativeFn): void => vm.defineMethod(cls, method, fn);
  const view = (args: readonly Ref[]): Uint8Array => heap.bytesView(args[0]!);
  const self = (args: readonly Ref[]): string => binary(view(args));
  cls.construct = construct;

  def('decode', (vm, args, kw) => {
    const [encodingRef, errorsRef] = parseArgs(vm, 'decode', args, kw, ['encoding', 'errors'], 0, 0);
    const encoding = encodingRef === NULL ? 'utf-8' : strArg(vm, encodingRef!, "decode() argument 'encoding'");
    const errors = errorsRef === NULL ? 'strict' : strArg(vm, errorsRef!, "decode() argument 'errors'");
    return heap.newStr(decodeBytes(vm, view(args), encoding, errors), { intern: false });
  });
  def('hex', (vm, args, kw) => heap.newStr(hex(vm, args, kw), { intern: false }));
  vm.defineClassMethod(cls, 'fromhex', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`fromhex() takes exactly one argument (${args.length - 1} given)`);
    const s = strArg(vm, args[1]!, 'fromhex() argument');
    const data = fromhex(vm, s);
    return name === 'bytearray' ? heap.newByteArray(data) : heap.newBytes(data);
  });
  def('join', (vm, args, kw) => {
    const [iterable] = parseArgs(vm, 'join', args, kw, ['iterable_of_bytes'], 1, 1);
    const parts: string[] = [];
    const kind = heap.kindOf(iterable!);
    if (kind === Kind.List || kind === Kind.Tuple) {
      for (let i = 0; i < heap.length(iterable!); i++) {
        const item = heap.item(iterable!, i);
        if (!isBytesLike(vm, item)) throw vm.typeError(`sequence item ${i}: expected a bytes-like object, ${vm.typeName(item)} found`);
        parts.push(binary(heap.bytesView(item)));
      }
      return make(vm, args[0]!, parts.join(self(args)));
    }
    const it = getIter(vm, iterable!);
    try {
      for (let i = 0; ; i++) {
        const item = iterNext(vm, it);
        if (item === NULL) break;
        try {
          if (!isBytesLike(vm, item)) throw vm.typeError(`sequence item ${i}: expected a bytes-like object, ${vm.typeName(item)} found`);
          parts.push(binary(heap.bytesView(item)));
        } finally {
          heap.decref(item);
        }
      }
    } finally {
      heap.decref(it);
    }
    return make(vm, args[0]!, parts.join(self(args)));
  });
  def('split', splitter('split'));
  def('rsplit', splitter('rsplit'));
  def('strip', stripper('strip'));
  def('lstrip', stripper('lstrip'));
  def('rstrip', stripper('rstrip'));
  def('startswith', affix('startswith'));
  def('endswith', affix('endswith'));
  for (const method of ['find', 'rfind', 'index', 'rindex', 'count'] as const) def(method, finder(method));
  def('replace', (vm, args, kw) => {
    const [oldRef, newRef, countRef] = parseArgs(vm, 'replace', args, kw, ['old', 'new', 'count'], 2, 3);
    const old = bufferArg(vm, oldRef!);
    const replacement = bufferArg(vm, newRef!);
    let count = countRef === NULL ? -1 : intArg(vm, countRef!);
    if (count < 0) count = Number.MAX_SAFE_INTEGER;
    const s = self(args);
    let out = '';
    if (old === '') {
      let i = 0;
      for (; i < s.length && count > 0; i++, count--) out += replacement + s[i];
      return make(vm, args[0]!, count > 0 ? out + replacement : out + s.slice(i));
    }
    let i = 0;
    while (count-- > 0) {
      const at = s.indexOf(old, i);
      if (at < 0) break;
      out += s.slice(i, at) + replacement;
      i = at + old.length;
    }
    return make(vm, args[0]!, out + s.slice(i));
  });
  const mapBytes = (method: string, fn: (b: number) => number): void =>
    def(method, (vm, args, kw) => {
      noArgs(vm, `${name}.${method}`, args, kw);
      return make(vm, args[0]!, view(args).map(fn));
    });
  mapBytes('upper', (b) => (b >= 0x61 && b <= 0x7a ? b - 32 : b));
  mapBytes('lower', (b) => (b >= 0x41 && b <= 0x5a ? b + 32 : b));
  def('__len__', (vm, args) => heap.newInt(view(args).length));
  def('__getitem__', (vm, args) => {
    const key = args[1]!;
    const data = view(args);
    if (isSlice(vm, key)) {
      const { start, step, count } = sliceIndices(vm, key, data.length);
      const out = new Uint8Array(count);
      for (let i = 0, at = start; i < count; i++, at += step) out[i] = data[at]!;
      return make(vm, args[0]!, out);
    }
    const kind = heap.kindOf(key);
    if (kind !== Kind.Int && kind !== Kind.Bool && lookupMethod(vm, key, '__index__') === NULL) {
      throw vm.typeError(`${name === 'bytes' ? 'byte' : 'bytearray'} indices must be integers or slices, not ${vm.typeName(key)}`);
    }
    const index = indexValue(vm, key, '', 'IndexError');
    const i = index < 0 ? index + data.length : index;
    if (i < 0 || i >= data.length) throw vm.error('IndexError', name === 'bytes' ? 'index out of range' : 'bytearray index out of range');
    return heap.newInt(data[i]!);
  });
  def('__contains__', (vm, args) => {
    const kind = heap.kindOf(args[1]!);
    const sub = kind === Kind.Int || kind === Kind.Bool ? subArg(vm, args[1]!) : bufferArg(vm, args[1]!);
    return heap.newBool(self(args).includes(sub));
  });
  def('__add__', (vm, args) => {
    const other = args[1]!;
    if (!isBytesLike(vm, other)) throw vm.typeError(`can't concat ${vm.typeName(other)} to ${name}`);
    return make(vm, args[0]!, self(args) + binary(heap.bytesView(other)));
  });
  const mul: NativeFn = (vm, args) => {
    const n = args[1]!;
    const kind = heap.kindOf(n);
    if (kind !== Kind.Int && kind !== Kind.Bool && lookupMethod(vm, n, '__index__') === NULL) {
      throw vm.typeError(`can't multiply sequence by non-int of type '${vm.typeName(n)}'`);
    }
    const count = intArg(vm, n);
    const data = view(args);
    if (count > 0 && data.length * count > 2 ** 29) throw vm.error('MemoryError');
    const out = new Uint8Array(count > 0 ? data.length * count : 0);
    for (let i = 0; i < count; i++) out.set(data, i * data.length);
    return make(vm, args[0]!, out);
  };
  def('__mul__', mul);
  def('__rmul__', mul);

  const iterator = vm.nativeClass(`${name}_iterator`, { slots: ['seq', { name: 'index', kind: 'int32' }] });
  const next = (vm: VM, it: Ref): Ref => {
    const seq = heap.getSlot(it, 0);
    if (seq === NULL) return NULL;
    const data = heap.bytesView(seq);
    const at = heap.getSlotInt(it, 1);
    if (at >= data.length) {
      heap.setSlot(it, 0, NULL);
      return NULL;
    }
    heap.setSlotInt(it, 1, at + 1);
    return heap.newInt(data[at]!);
  };
  iterator.iterNext = next;
  vm.defineMethod(iterator, '__iter__', (vm, args) => {
    heap.incref(args[0]!);
    return args[0]!;
  });
  vm.defineMethod(iterator, '__next__', (vm, args) => {
    const item = next(vm, args[0]!);
    if (item === NULL) throw vm.error('StopIteration');
    return item;
  });
  def('__iter__', (vm, args) => {
    const it = heap.newInstance(iterator.instanceType!);
    heap.setSlot(it, 0, args[0]!);
    heap.setSlotInt(it, 1, 0);
    return it;
  });
}

/**
 * bytearray's mutators. The heap's bytearray holds a Uint8Array of its length, so one that
 * changes the length swaps the contents with `heap.setBytes(ref, data)`.
 */
function installMutators(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.bytearray;
  const replace = (ref: Ref, data: Uint8Array): void => heap.setBytes(ref, data);
  const byteOf = (ref: Ref): number => {
    const n = intArg(vm, ref);
    if (n < 0 || n > 255) throw vm.error('ValueError', 'byte must be in range(0, 256)');
    return n;
  };
  vm.defineMethod(cls, 'append', (vm, args, kw) => {
    const [item] = parseArgs(vm, 'append', args, kw, ['item'], 1, 1);
    const data = heap.bytesView(args[0]!);
    const out = new Uint8Array(data.length + 1);
    out.set(data);
    out[data.length] = byteOf(item!);
    replace(args[0]!, out);
    return heap.newNone();
  });
  vm.defineMethod(cls, 'extend', (vm, args, kw) => {
    const [iterable] = parseArgs(vm, 'extend', args, kw, ['iterable_of_ints'], 1, 1);
    const extra = isBytesLike(vm, iterable!) ? heap.bytesView(iterable!).slice() : Uint8Array.from(intsOf(vm, iterable!).map((n) => {
      if (n < 0 || n > 255) throw vm.error('ValueError', 'byte must be in range(0, 256)');
      return n;
    }));
    const data = heap.bytesView(args[0]!);
    const out = new Uint8Array(data.length + extra.length);
    out.set(data);
    out.set(extra, data.length);
    replace(args[0]!, out);
    return heap.newNone();
  });
  vm.defineMethod(cls, 'pop', (vm, args, kw) => {
    const [indexRef] = parseArgs(vm, 'pop', args, kw, ['index'], 0, 1);
    const data = heap.bytesView(args[0]!);
    if (data.length === 0) throw vm.error('IndexError', 'pop from empty bytearray');
    const index = indexRef === NULL ? -1 : intArg(vm, indexRef!);
    const i = index < 0 ? index + data.length : index;
    if (i < 0 || i >= data.length) throw vm.error('IndexError', 'pop index out of range');
    const value = data[i]!;
    const out = new Uint8Array(data.length - 1);
    out.set(data.subarray(0, i));
    out.set(data.subarray(i + 1), i);
    replace(args[0]!, out);
    return heap.newInt(value);
  });
  vm.defineMethod(cls, 'clear', (vm, args, kw) => {
    noArgs(vm, 'bytearray.clear', args, kw);
    replace(args[0]!, new Uint8Array(0));
    return heap.newNone();
  });
  vm.defineMethod(cls, '__setitem__', (vm, args) => {
    if (isSlice(vm, args[1]!)) throw vm.error('NotImplementedError', 'refheap-python cannot assign to a bytearray slice yet');
    heap.setByte(args[0]!, intArg(vm, args[1]!), byteOf(args[2]!));
    return heap.newNone();
  });
}

export function installBytes(vm: VM): void {
  install(vm, vm.core.bytes, 'bytes');
  install(vm, vm.core.bytearray, 'bytearray');
  installMutators(vm);
  vm.defineMethod(vm.core.bytes, '__hash__', (vm, args) => {
    // The heap's key is a string for bytes; CPython's bytes hash is randomized like str's.
    let h = 0xcbf29ce484222325n;
    for (const b of vm.heap.bytesView(args[0]!)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
    const signed = BigInt.asIntN(64, h);
    return vm.heap.newInt(signed === -1n ? -2n : signed);
  });
}
