/**
 * The methods of str (Objects/unicodeobject.c), its constructor and its iterator. A str's value
 * is a JS string; indexes count code points (see text.ts). Errors are CPython's words.
 *
 * `__hash__` is not CPython's: CPython's str hash is randomized per process (PYTHONHASHSEED), so
 * no program can rely on its value. This one is FNV-1a over the code points, 64 bits, shown as a
 * signed int, stable from run to run; -1 becomes -2, as CPython reserves -1.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn } from '../classes.ts';
import { getAttribute, lookupMethod } from '../attributes.ts';
import { FormatError, formatStr, percentFormat, strFormat, type FormatHost, type PercentHost } from '../format.ts';
import { formatValue } from '../formatting.ts';
import { getIter, iterNext } from '../iteration.ts';
import { PyThrow } from '../throw.ts';
import type { VM } from '../vm.ts';
import { intArg, isAbsent, noArgs, parseArgs, strArg } from './args.ts';
import { indexValue } from '../indexes.ts';
import { isSlice, sliceIndex, sliceIndices } from './slices.ts';
import { cpLength, codePoints, Indexer, isSpace, isWide, LINE_BREAK } from './text.ts';

const text = (vm: VM, ref: Ref): string => vm.heap.valueOf(ref) as string;
const newStr = (vm: VM, s: string): Ref => vm.heap.newStr(s, { intern: false });
const isStr = (vm: VM, ref: Ref): boolean => vm.heap.kindOf(ref) === Kind.Str;

/** Runs `fn`, turning a FormatError into the Python exception it names. */
export function formatting<T>(vm: VM, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof FormatError) throw vm.error(error.pythonName, error.message);
    throw error;
  }
}

/** ascii(): repr with every non-ASCII character escaped. */
export function asciiOf(vm: VM, ref: Ref): string {
  let out = '';
  for (const ch of vm.reprOf(ref)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** The stable 64-bit hash described above. */
export function strHashValue(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const ch of s) {
    h ^= BigInt(ch.codePointAt(0)!);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  let signed = BigInt.asIntN(64, h);
  if (signed === -1n) signed = -2n;
  return signed;
}

/** CPython's ADJUST_INDICES for find/count/startswith: start and end clamped into [0, len]. */
function adjust(vm: VM, startRef: Ref, endRef: Ref, length: number): [number, number] {
  let start = startRef === NULL ? 0 : sliceIndex(vm, startRef, 0);
  let end = endRef === NULL ? Number.MAX_SAFE_INTEGER : sliceIndex(vm, endRef, Number.MAX_SAFE_INTEGER);
  if (end > length) end = length;
  else if (end < 0) {
    end += length;
    if (end < 0) end = 0;
  }
  if (start < 0) {
    start += length;
    if (start < 0) start = 0;
  }
  return [start, end];
}

type Finder = 'find' | 'rfind' | 'index' | 'rindex' | 'count';

function finder(name: Finder): NativeFn {
  return (vm, args, kw) => {
    const [subRef, startRef, endRef] = parseArgs(vm, name, args, kw, ['sub', 'start', 'end'], 1, 3);
    const self = new Indexer(text(vm, args[0]!));
    if (!isStr(vm, subRef!)) throw vm.typeError(`must be str, not ${vm.typeName(subRef!)}`);
    const sub = text(vm, subRef!);
    const [start, end] = adjust(vm, startRef!, endRef!, self.length);
    const subLength = cpLength(sub);
    if (name === 'count') {
      if (start > self.length || end - start < subLength) return vm.heap.newInt(0);
      if (subLength === 0) return vm.heap.newInt(end - start + 1);
      return vm.heap.newInt(self.slice(start, end).split(sub).length - 1);
    }
    let found = -1;
    if (start <= self.length && end - start >= subLength) {
      const region = self.slice(start, end);
      const at = name === 'find' || name === 'index' ? region.indexOf(sub) : region.lastIndexOf(sub);
      if (at >= 0) found = self.point(self.unit(start) + at);
    }
    if (found < 0 && (name === 'index' || name === 'rindex')) throw vm.error('ValueError', 'substring not found');
    return vm.heap.newInt(found);
  };
}

function affix(name: 'startswith' | 'endswith'): NativeFn {
  return (vm, args, kw) => {
    const [prefixRef, startRef, endRef] = parseArgs(vm, name, args, kw, ['prefix', 'start', 'end'], 1, 3);
    const self = new Indexer(text(vm, args[0]!));
    const [start, end] = adjust(vm, startRef!, endRef!, self.length);
    const heap = vm.heap;
    const test = (ref: Ref): boolean => {
      const sub = text(vm, ref);
      if (start > self.length) return false;
      if (end - start < cpLength(sub)) return false;
      const region = self.slice(start, end);
      return name === 'startswith' ? region.startsWith(sub) : region.endsWith(sub);
    };
    if (heap.kindOf(prefixRef!) === Kind.Tuple) {
      const n = heap.length(prefixRef!);
      for (let i = 0; i < n; i++) {
        const item = heap.item(prefixRef!, i);
        if (!isStr(vm, item)) throw vm.typeError(`tuple for ${name} must only contain str, not ${vm.typeName(item)}`);
        if (test(item)) return heap.newBool(true);
      }
      return heap.newBool(false);
    }
    if (!isStr(vm, prefixRef!)) {
      throw vm.typeError(`${name} first arg must be str or a tuple of str, not ${vm.typeName(prefixRef!)}`);
    }
    return heap.newBool(test(prefixRef!));
  };
}

function newList(vm: VM, parts: readonly string[]): Ref {
  const refs = parts.map((p) => newStr(vm, p));
  const list = vm.heap.newList(refs);
  for (const r of refs) vm.heap.decref(r);
  return list;
}

/** split() with no separator (CPython's split_whitespace); `space` is bytes' ASCII test for bytes. */
export function splitWhitespace(s: string, max: number, space: (ch: string) => boolean = isSpace): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  let count = max;
  while (count-- > 0) {
    while (i < n && space(s[i]!)) i++;
    if (i === n) break;
    const j = i++;
    while (i < n && !space(s[i]!)) i++;
    out.push(s.slice(j, i));
  }
  if (i < n) {
    while (i < n && space(s[i]!)) i++;
    if (i !== n) out.push(s.slice(i));
  }
  return out;
}

export function rsplitWhitespace(s: string, max: number, space: (ch: string) => boolean = isSpace): string[] {
  const out: string[] = [];
  let i = s.length - 1;
  let count = max;
  while (count-- > 0) {
    while (i >= 0 && space(s[i]!)) i--;
    if (i < 0) break;
    const j = i--;
    while (i >= 0 && !space(s[i]!)) i--;
    out.push(s.slice(i + 1, j + 1));
  }
  if (i >= 0) {
    while (i >= 0 && space(s[i]!)) i--;
    if (i >= 0) out.push(s.slice(0, i + 1));
  }
  return out.reverse();
}

function splitter(name: 'split' | 'rsplit'): NativeFn {
  return (vm, args, kw) => {
    const [sepRef, maxRef] = parseArgs(vm, name, args, kw, ['sep', 'maxsplit'], 0, 0);
    const s = text(vm, args[0]!);
    let max = maxRef === NULL ? -1 : intArg(vm, maxRef!);
    if (max < 0) max = Number.MAX_SAFE_INTEGER;
    if (isAbsent(vm, sepRef!)) return newList(vm, name === 'split' ? splitWhitespace(s, max) : rsplitWhitespace(s, max));
    if (!isStr(vm, sepRef!)) throw vm.typeError(`must be str or None, not ${vm.typeName(sepRef!)}`);
    const sep = text(vm, sepRef!);
    if (sep === '') throw vm.error('ValueError', 'empty separator');
    const out: string[] = [];
    if (name === 'split') {
      let i = 0;
      while (max-- > 0) {
        const at = s.indexOf(sep, i);
        if (at < 0) break;
        out.push(s.slice(i, at));
        i = at + sep.length;
      }
      out.push(s.slice(i));
      return newList(vm, out);
    }
    let end = s.length;
    while (max-- > 0) {
      const at = end - sep.length < 0 ? -1 : s.lastIndexOf(sep, end - sep.length);
      if (at < 0) break;
      out.push(s.slice(at + sep.length, end));
      end = at;
    }
    out.push(s.slice(0, end));
    return newList(vm, out.reverse());
  };
}

function stripper(name: 'strip' | 'lstrip' | 'rstrip'): NativeFn {
  return (vm, args, kw) => {
    const [charsRef] = parseArgs(vm, name, args, kw, ['chars'], 0);
    const chars = codePoints(text(vm, args[0]!));
    let keep: (ch: string) => boolean;
    if (isAbsent(vm, charsRef!)) keep = (ch) => !isSpace(ch);
    else {
      if (!isStr(vm, charsRef!)) throw vm.typeError(`${name} arg must be None or str`);
      const set = new Set(codePoints(text(vm, charsRef!)));
      keep = (ch) => !set.has(ch);
    }
    let i = 0;
    let j = chars.length;
    if (name !== 'rstrip') while (i < j && !keep(chars[i]!)) i++;
    if (name !== 'lstrip') while (j > i && !keep(chars[j - 1]!)) j--;
    return newStr(vm, chars.slice(i, j).join(''));
  };
}

// eslint-disable-next-line no-control-regex -- ASCII is \x00-\x7f
const ASCII_ONLY = /^[\x00-\x7f]*$/;
const CASED = /\p{Cased}/u;
// Python's isupper/islower read the Uppercase and Lowercase properties (Ⅰ, ª and ʰ count), title case is Lt.
const UPPER_OR_TITLE = /[\p{Uppercase}\p{Lt}]/u;
const LOWER = /\p{Lowercase}/u;
const DIGRAPH_TITLE: Record<string, string> = { Ǆ: 'ǅ', ǅ: 'ǅ', ǆ: 'ǅ', Ǉ: 'ǈ', ǈ: 'ǈ', ǉ: 'ǈ', Ǌ: 'ǋ', ǋ: 'ǋ', ǌ: 'ǋ', Ǳ: 'ǲ', ǲ: 'ǲ', ǳ: 'ǲ' };

/** A character's title case (JS has no toTitleCase): the upper case's first letter, then lower. */
function titleChar(ch: string): string {
  const digraph = DIGRAPH_TITLE[ch];
  if (digraph) return digraph;
  // Georgian Mkhedruli letters are their own title case (their upper case is Mtavruli).
  if (/[\u10d0-\u10fa\u10fd-\u10ff]/.test(ch)) return ch;
  const upper = codePoints(ch.toUpperCase());
  return upper[0]! + upper.slice(1).join('').toLowerCase();
}

const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

/** Whether the Σ at `i` is final (CPython's handle_capital_sigma): a cased letter before it, none after. */
function finalSigma(chars: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && CASE_IGNORABLE.test(chars[j]!)) j--;
  if (j < 0 || !CASED.test(chars[j]!)) return false;
  j = i + 1;
  while (j < chars.length && CASE_IGNORABLE.test(chars[j]!)) j++;
  return j === chars.length || !CASED.test(chars[j]!);
}

/** chars[i] lowered, Σ by its place in the word. */
function lowerAt(chars: readonly string[], i: number): string {
  const ch = chars[i]!;
  if (ch === 'Σ') return finalSigma(chars, i) ? 'ς' : 'σ';
  return ch.toLowerCase();
}

/**
 * Full case folding, approximated as the upper case lowered (ß → ss, µ → μ, ſ → s), except
 * where folding keeps a letter: dotless ı, and Cherokee, which folds to its upper case.
 */
function casefoldChar(ch: string): string {
  if (ch === 'ı' || (ch >= '\u13a0' && ch <= '\u13f5')) return ch;
  if ((ch >= '\u13f8' && ch <= '\u13fd') || (ch >= '\uab70' && ch <= '\uabbf')) return ch.toUpperCase();
  return ch.toUpperCase().toLowerCase().replace('ß', 'ss');
}

function title(s: string): string {
  let out = '';
  let previousCased = false;
  const chars = codePoints(s);
  chars.forEach((ch, i) => {
    out += previousCased ? lowerAt(chars, i) : titleChar(ch);
    previousCased = CASED.test(ch);
  });
  return out;
}

function isTitle(s: string): boolean {
  let cased = false;
  let previousCased = false;
  for (const ch of s) {
    if (UPPER_OR_TITLE.test(ch)) {
      if (previousCased) return false;
      previousCased = cased = true;
    } else if (LOWER.test(ch)) {
      if (!previousCased) return false;
      previousCased = cased = true;
    } else previousCased = false;
  }
  return cased;
}

const DIGIT = /^[\p{Nd}\u1369-\u1371\u19da\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792]$/u;
const DECIMAL = /^\p{Nd}$/u;
const NUMERIC = /^[\p{N}\u3007\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d\u5341\u767e\u5343\u4e07\u5104\u5146\u96f6]$/u;
const ALPHA = /^\p{L}$/u;
const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;
const PRINTABLE_NOT = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function every(s: string, test: (ch: string) => boolean): boolean {
  if (s === '') return false;
  for (const ch of s) if (!test(ch)) return false;
  return true;
}

function predicate(test: (s: string) => boolean, name: string): NativeFn {
  return (vm, args, kw) => {
    noArgs(vm, `str.${name}`, args, kw);
    return vm.heap.newBool(test(text(vm, args[0]!)));
  };
}

function transform(fn: (s: string) => string, name: string): NativeFn {
  return (vm, args, kw) => {
    noArgs(vm, `str.${name}`, args, kw);
    return newStr(vm, fn(text(vm, args[0]!)));
  };
}

function padder(name: 'center' | 'ljust' | 'rjust'): NativeFn {
  return (vm, args, kw) => {
    const [widthRef, fillRef] = parseArgs(vm, name, args, kw, ['width', 'fillchar'], 1);
    const s = text(vm, args[0]!);
    const width = intArg(vm, widthRef!);
    let fill = ' ';
    if (fillRef !== NULL) {
      if (!isStr(vm, fillRef!)) throw vm.typeError(`${name}() argument 2 must be str, not ${vm.typeName(fillRef!)}`);
      fill = text(vm, fillRef!);
      if (cpLength(fill) !== 1) throw vm.typeError('The fill character must be exactly one character long');
    }
    const length = cpLength(s);
    if (width <= length) return newStr(vm, s);
    const marg = width - length;
    // CPython's pad(): center puts the odd space on the left when the width is odd.
    const left = name === 'ljust' ? 0 : name === 'rjust' ? marg : Math.floor(marg / 2) + (marg & width & 1);
    return newStr(vm, fill.repeat(left) + s + fill.repeat(marg - left));
  };
}

function partitioner(name: 'partition' | 'rpartition'): NativeFn {
  return (vm, args, kw) => {
    const [sepRef] = parseArgs(vm, name, args, kw, ['sep'], 1, 1);
    const s = text(vm, args[0]!);
    if (!isStr(vm, sepRef!)) throw vm.typeError(`must be str, not ${vm.typeName(sepRef!)}`);
    const sep = text(vm, sepRef!);
    if (sep === '') throw vm.error('ValueError', 'empty separator');
    const at = name === 'partition' ? s.indexOf(sep) : s.lastIndexOf(sep);
    const parts = at < 0 ? (name === 'partition' ? [s, '', ''] : ['', '', s]) : [s.slice(0, at), sep, s.slice(at + sep.length)];
    const refs = parts.map((p) => newStr(vm, p));
    const tuple = vm.heap.newTuple(refs);
    for (const r of refs) vm.heap.decref(r);
    return tuple;
  };
}

function splitlines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  let i = 0;
  let start = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (LINE_BREAK.test(ch)) {
      let end = i + 1;
      if (ch === '\r' && s[i + 1] === '\n') end++;
      out.push(s.slice(start, keepends ? end : i));
      i = start = end;
    } else i++;
  }
  if (start < s.length) out.push(s.slice(start));
  return out;
}

function expandtabs(s: string, tabsize: number): string {
  let out = '';
  let column = 0;
  for (const ch of s) {
    if (ch === '\t') {
      if (tabsize > 0) {
        const n = tabsize - (column % tabsize);
        out += ' '.repeat(n);
        column += n;
      }
    } else {
      out += ch;
      column = ch === '\n' || ch === '\r' ? 0 : column + 1;
    }
  }
  return out;
}

/** The host the `%` operator formats through. Values it fetches are released after the call. */
function percentHost(vm: VM, temporaries: Ref[]): PercentHost<Ref> {
  const heap = vm.heap;
  const has = (ref: Ref, name: string): boolean => lookupMethod(vm, ref, name) !== NULL;
  const call = (ref: Ref, name: string): unknown => {
    const result = vm.callMethod(ref, name);
    try {
      return heap.valueOf(result);
    } finally {
      heap.decref(result);
    }
  };
  return {
    tupleItems: (v) => {
      if (heap.kindOf(v) !== Kind.Tuple) return null;
      const items: Ref[] = [];
      for (let i = 0; i < heap.length(v); i++) items.push(heap.item(v, i));
      return items;
    },
    isMapping: (v) => heap.kindOf(v) === Kind.Dict || heap.kindOf(v) === Kind.List || (heap.kindOf(v) !== Kind.Tuple && heap.kindOf(v) !== Kind.Str && has(v, '__getitem__')),
    getItem: (m, key) => {
      const k = newStr(vm, key);
      try {
        const value = getItemOf(vm, m, k);
        temporaries.push(value);
        return value;
      } finally {
        heap.decref(k);
      }
    },
    str: (v) => vm.strOf(v),
    repr: (v) => vm.reprOf(v),
    ascii: (v) => asciiOf(vm, v),
    typeName: (v) => vm.typeName(v),
    asStr: (v) => (isStr(vm, v) ? text(vm, v) : null),
    asInt: (v) => {
      const kind = heap.kindOf(v);
      if (kind === Kind.Bool) return Number(heap.valueOf(v));
      return kind === Kind.Int ? (heap.valueOf(v) as number | bigint) : null;
    },
    isNumber: (v) => heap.kindOf(v) === Kind.Float || has(v, '__index__') || has(v, '__int__') || has(v, '__float__'),
    toInt: (v) => {
      if (heap.kindOf(v) === Kind.Float) {
        const x = heap.valueOf(v) as number;
        if (Number.isNaN(x)) throw vm.error('ValueError', 'cannot convert float NaN to integer');
        if (!Number.isFinite(x)) throw vm.error('OverflowError', 'cannot convert float infinity to integer');
        return BigInt(Math.trunc(x));
      }
      if (has(v, '__index__')) return call(v, '__index__') as number | bigint;
      return call(v, '__int__') as number | bigint;
    },
    toIndex: (v) => (has(v, '__index__') ? (call(v, '__index__') as number | bigint) : null),
    toFloat: (v) => {
      const kind = heap.kindOf(v);
      if (kind === Kind.Float) return heap.valueOf(v) as number;
      if (kind === Kind.Int) return Number(heap.valueOf(v));
      if (kind === Kind.Bool) return Number(heap.valueOf(v));
      if (has(v, '__float__')) return call(v, '__float__') as number;
      if (has(v, '__index__')) return Number(call(v, '__index__'));
      return null;
    },
  };
}

/** `template % operand` for a str template. */
export function strMod(vm: VM, template: string, operand: Ref): string {
  const temporaries: Ref[] = [];
  try {
    return formatting(vm, () => percentFormat(template, operand, percentHost(vm, temporaries)));
  } finally {
    for (const t of temporaries) vm.heap.decref(t);
  }
}

function formatHost(vm: VM, positional: readonly Ref[] | null, keyword: (name: string) => Ref): FormatHost<Ref> {
  const heap = vm.heap;
  return {
    positional: positional
      ? (i) => {
          const found = positional[i];
          if (found !== undefined) heap.incref(found);
          return found;
        }
      : null,
    keyword,
    getAttr: (v, name) => getAttribute(vm, v, name),
    getItem: (v, key) => {
      const k = typeof key === 'number' ? heap.newInt(key) : newStr(vm, key);
      try {
        const kind = heap.kindOf(v);
        if ((kind === Kind.List || kind === Kind.Tuple) && typeof key === 'number') {
          if (key >= heap.length(v)) throw vm.error('IndexError', `${kind === Kind.List ? 'list' : 'tuple'} index out of range`);
          const item = heap.item(v, key);
          heap.incref(item);
          return item;
        }
        return getItemOf(vm, v, k);
      } finally {
        heap.decref(k);
      }
    },
    format: (v, spec) => formatValue(vm, v, spec),
    convert: (v, c) => (c === 'r' ? vm.reprOf(v) : c === 's' ? vm.strOf(v) : asciiOf(vm, v)),
    release: (v) => heap.decref(v),
  };
}

function kwLookup(vm: VM, kw: Kwargs | null): (name: string) => Ref {
  return (name) => {
    const at = kw ? kw.names.indexOf(name) : -1;
    if (at < 0) throw vm.error('KeyError', name);
    const value = kw!.values[at]!;
    vm.heap.incref(value);
    return value;
  };
}

function getItem(vm: VM, self: string, key: Ref): Ref {
  const heap = vm.heap;
  if (isSlice(vm, key)) {
    const wide = isWide(self);
    const length = wide ? cpLength(self) : self.length;
    const { start, step, count } = sliceIndices(vm, key, length);
    if (step === 1) {
      if (!wide) return newStr(vm, self.slice(start, start + count));
      return newStr(vm, new Indexer(self).slice(start, start + count));
    }
    const chars = wide ? codePoints(self) : self;
    let out = '';
    for (let i = 0, at = start; i < count; i++, at += step) out += chars[at]!;
    return newStr(vm, out);
  }
  const kind = heap.kindOf(key);
  if (kind !== Kind.Int && kind !== Kind.Bool && lookupMethod(vm, key, '__index__') === NULL) {
    throw vm.typeError(`string indices must be integers, not '${vm.typeName(key)}'`);
  }
  const index = indexValue(vm, key, '', 'IndexError');
  const indexer = new Indexer(self);
  const i = index < 0 ? index + indexer.length : index;
  if (i < 0 || i >= indexer.length) throw vm.error('IndexError', 'string index out of range');
  return newStr(vm, indexer.at(i));
}

function repeatCount(vm: VM, ref: Ref): number | null {
  const kind = vm.heap.kindOf(ref);
  if (kind !== Kind.Int && kind !== Kind.Bool && lookupMethod(vm, ref, '__index__') === NULL) return null;
  return intArg(vm, ref);
}

/** `''.join(iterable)`. */
function join(vm: VM, self: string, iterable: Ref): string {
  const heap = vm.heap;
  const parts: string[] = [];
  const kind = heap.kindOf(iterable);
  if (kind === Kind.List || kind === Kind.Tuple) {
    // PySequence_Fast: a list or tuple is read in place, no iterator made.
    for (let i = 0; i < heap.length(iterable); i++) {
      const item = heap.item(iterable, i);
      if (!isStr(vm, item)) throw vm.typeError(`sequence item ${i}: expected str instance, ${vm.typeName(item)} found`);
      parts.push(text(vm, item));
    }
    return parts.join(self);
  }
  const iterator = getIter(vm, iterable);
  try {
    for (let i = 0; ; i++) {
      const item = iterNext(vm, iterator);
      if (item === NULL) break;
      try {
        if (!isStr(vm, item)) throw vm.typeError(`sequence item ${i}: expected str instance, ${vm.typeName(item)} found`);
        parts.push(text(vm, item));
      } finally {
        heap.decref(item);
      }
    }
  } finally {
    heap.decref(iterator);
  }
  return parts.join(self);
}

/** str.maketrans(x[, y[, z]]): the dict translate reads. */
function maketrans(vm: VM, args: readonly Ref[]): Ref {
  const heap = vm.heap;
  const dict = heap.newDict();
  const put = (k: Ref, v: Ref): void => heap.dictSet(dict, k, v);
  try {
    const [x, y, z] = [args[0], args[1], args[2]];
    if (x === undefined) throw vm.typeError('maketrans() takes at least 1 argument (0 given)');
    if (y === undefined) {
      if (heap.kindOf(x) !== Kind.Dict) throw vm.typeError('if you give only one argument to maketrans it must be a dict');
      heap.dictForEach(x, (key, value) => {
        if (isStr(vm, key)) {
          const s = text(vm, key);
          if (cpLength(s) !== 1) throw vm.error('ValueError', 'string keys in translate table must be of length 1');
          const k = heap.newInt(s.codePointAt(0)!);
          put(k, value);
          heap.decref(k);
        } else if (heap.kindOf(key) === Kind.Int) put(key, value);
        else throw vm.typeError('keys in translate table must be strings or integers');
      });
      return dict;
    }
    if (!isStr(vm, x)) throw vm.typeError(`maketrans() argument 1 must be str, not ${vm.typeName(x)}`);
    if (!isStr(vm, y)) throw vm.typeError(`maketrans() argument 2 must be str, not ${vm.typeName(y)}`);
    const from = codePoints(text(vm, x));
    const to = codePoints(text(vm, y));
    if (from.length !== to.length) throw vm.error('ValueError', 'the first two maketrans arguments must have equal length');
    from.forEach((ch, i) => {
      const k = heap.newInt(ch.codePointAt(0)!);
      const v = heap.newInt(to[i]!.codePointAt(0)!);
      put(k, v);
      heap.decref(k);
      heap.decref(v);
    });
    if (z !== undefined) {
      if (!isStr(vm, z)) throw vm.typeError(`maketrans() argument 3 must be str, not ${vm.typeName(z)}`);
      for (const ch of text(vm, z)) {
        const k = heap.newInt(ch.codePointAt(0)!);
        put(k, heap.None);
        heap.decref(k);
      }
    }
    return dict;
  } catch (error) {
    heap.decref(dict);
    throw error;
  }
}

function translate(vm: VM, self: string, table: Ref): string {
  const heap = vm.heap;
  let out = '';
  for (const ch of self) {
    const key = heap.newInt(ch.codePointAt(0)!);
    let value: Ref;
    try {
      value = getItemOf(vm, table, key);
    } catch (error) {
      const thrown = vm.toThrow(error);
      if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.LookupError)) {
        heap.decref(thrown.exc);
        out += ch;
        continue;
      }
      throw thrown;
    } finally {
      heap.decref(key);
    }
    try {
      const kind = heap.kindOf(value);
      if (value === heap.None) continue;
      if (kind === Kind.Int) {
        const cp = Number(heap.valueOf(value));
        if (cp < 0 || cp > 0x10ffff) throw vm.error('ValueError', 'character mapping must be in range(0x110000)');
        out += String.fromCodePoint(cp);
      } else if (kind === Kind.Str) out += text(vm, value);
      else throw vm.typeError('character mapping must return integer, None or str');
    } finally {
      heap.decref(value);
    }
  }
  return out;
}

/** `str(object='')`, `str(object=b'', encoding='utf-8', errors='strict')`. */
function construct(vm: VM, args: readonly Ref[], kw: Kwargs | null): Ref {
  const [obj, encodingRef, errorsRef] = parseArgs(vm, 'str', [NULL, ...args], kw, ['object', 'encoding', 'errors'], 0, 0);
  if (obj === NULL) {
    if (encodingRef !== NULL || errorsRef !== NULL) return newStr(vm, '');
    return newStr(vm, '');
  }
  if (encodingRef === NULL && errorsRef === NULL) {
    if (isStr(vm, obj!)) {
      vm.heap.incref(obj!);
      return obj!;
    }
    return newStr(vm, vm.strOf(obj!));
  }
  const kind = vm.heap.kindOf(obj!);
  if (kind === Kind.Str) throw vm.typeError('decoding str is not supported');
  if (kind !== Kind.Bytes && kind !== Kind.ByteArray) throw vm.typeError(`decoding to str: need a bytes-like object, ${vm.typeName(obj!)} found`);
  const encoding = encodingRef === NULL ? 'utf-8' : strArg(vm, encodingRef!, "str() argument 'encoding'");
  const errors = errorsRef === NULL ? 'strict' : strArg(vm, errorsRef!, "str() argument 'errors'");
  return newStr(vm, decodeBytes(vm, vm.heap.bytesView(obj!), encoding, errors));
}

/**
 * A strict encode's UnicodeEncodeError, as CPython words it: the run of unencodable characters
 * from the first ("characters in position 0-1"), which the heap's encoder reports one at a time.
 */
function checkEncodable(vm: VM, s: string, encoding: string): void {
  const name = encoding.trim().toLowerCase().replace(/[_ ]/g, '-');
  const limit = ['ascii', 'us-ascii', '646'].includes(name) ? 0x80 : ['latin-1', 'latin1', 'latin', 'l1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819'].includes(name) ? 0x100 : 0x110000;
  const bad = (cp: number): boolean => cp >= limit || (cp >= 0xd800 && cp <= 0xdfff);
  const chars = codePoints(s);
  const first = chars.findIndex((ch) => bad(ch.codePointAt(0)!));
  if (first < 0 || limit === 0x110000 && !['utf-8', 'utf8', 'u8', 'utf', 'cp65001'].includes(name)) return;
  let end = first + 1;
  while (end < chars.length && bad(chars[end]!.codePointAt(0)!)) end++;
  if (end - first === 1) return; // one character: the heap's message is CPython's
  const codec = limit === 0x80 ? 'ascii' : limit === 0x100 ? 'latin-1' : 'utf-8';
  const reason = limit === 0x110000 ? 'surrogates not allowed' : `ordinal not in range(${limit})`;
  throw vm.error('UnicodeEncodeError', `'${codec}' codec can't encode characters in position ${first}-${end - 1}: ${reason}`);
}

/**
 * `container[key]` for the natives: dicts, lists and tuples read directly (their methods may
 * not be installed, and this is faster), anything else through `__getitem__`. A new reference.
 */
export function getItemOf(vm: VM, container: Ref, key: Ref): Ref {
  const heap = vm.heap;
  if (heap.kindOf(container) === Kind.Dict) {
    const found = heap.dictGet(container, key);
    if (found === NULL) throw new PyThrow(vm.newException(vm.exc.KeyError, [key]));
    heap.incref(found);
    return found;
  }
  return vm.callMethod(container, '__getitem__', [key]);
}

/** bytes.decode's codecs: utf-8, ascii and latin-1, with the strict, replace and ignore handlers. */
export function decodeBytes(vm: VM, data: Uint8Array, encoding: string, errors: string): string {
  const name = encoding.trim().toLowerCase().replace(/[_ ]/g, '-');
  const codec = ['utf-8', 'utf8', 'u8', 'utf', 'cp65001'].includes(name)
    ? 'utf-8'
    : ['ascii', 'us-ascii', '646'].includes(name)
      ? 'ascii'
      : ['latin-1', 'latin1', 'latin', 'l1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819'].includes(name)
        ? 'latin-1'
        : null;
  if (codec === null) throw vm.error('LookupError', `unknown encoding: ${encoding}`);
  if (!['strict', 'replace', 'ignore'].includes(errors)) throw vm.error('LookupError', `unknown error handler name '${errors}'`);
  let out = '';
  const bad = (start: number, end: number, reason: string): void => {
    if (errors === 'strict') {
      const what = end - start === 1 ? `byte 0x${data[start]!.toString(16).padStart(2, '0')} in position ${start}` : `bytes in position ${start}-${end - 1}`;
      throw vm.error('UnicodeDecodeError', `'${codec}' codec can't decode ${what}: ${reason}`);
    }
    if (errors === 'replace') out += '\ufffd';
  };
  if (codec === 'latin-1') {
    for (const b of data) out += String.fromCharCode(b);
    return out;
  }
  if (codec === 'ascii') {
    for (let i = 0; i < data.length; i++) {
      if (data[i]! < 0x80) out += String.fromCharCode(data[i]!);
      else bad(i, i + 1, 'ordinal not in range(128)');
    }
    return out;
  }
  let i = 0;
  while (i < data.length) {
    const b = data[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    let need: number;
    let cp: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [need, cp] = [1, b & 0x1f];
    else if (b >= 0xe0 && b <= 0xef) {
      [need, cp] = [2, b & 0x0f];
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      [need, cp] = [3, b & 0x07];
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      bad(i, i + 1, 'invalid start byte');
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const c = data[i + j];
      if (c === undefined) break;
      if (c < (j === 1 ? lo : 0x80) || c > (j === 1 ? hi : 0xbf)) break;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (j <= need) {
      if (i + j >= data.length) bad(i, data.length, 'unexpected end of data');
      else bad(i, i + j, 'invalid continuation byte');
      i += i + j >= data.length ? data.length - i : j;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

export function installStr(vm: VM): void {
  const cls = vm.core.str;
  const heap = vm.heap;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  const self = (args: readonly Ref[]): string => text(vm, args[0]!);

  cls.construct = (vm, _cls, args, kw) => construct(vm, args, kw);

  def('join', (vm, args, kw) => {
    const [iterable] = parseArgs(vm, 'join', args, kw, ['iterable'], 1, 1);
    return newStr(vm, join(vm, self(args), iterable!));
  });
  def('split', splitter('split'));
  def('rsplit', splitter('rsplit'));
  def('splitlines', (vm, args, kw) => {
    const [keep] = parseArgs(vm, 'splitlines', args, kw, ['keepends'], 0, 0);
    return newList(vm, splitlines(self(args), keep !== NULL && vm.heap.kindOf(keep!) !== Kind.None && Boolean(vm.heap.valueOf(keep!))));
  });
  def('strip', stripper('strip'));
  def('lstrip', stripper('lstrip'));
  def('rstrip', stripper('rstrip'));
  def('startswith', affix('startswith'));
  def('endswith', affix('endswith'));
  for (const name of ['find', 'rfind', 'index', 'rindex', 'count'] as const) def(name, finder(name));
  def('replace', (vm, args, kw) => {
    const [oldRef, newRef, countRef] = parseArgs(vm, 'replace', args, kw, ['old', 'new', 'count'], 2, 3);
    const old = strArg(vm, oldRef!, 'replace() argument 1');
    const replacement = strArg(vm, newRef!, 'replace() argument 2');
    let count = countRef === NULL ? -1 : intArg(vm, countRef!);
    const s = self(args);
    if (count < 0) count = Number.MAX_SAFE_INTEGER;
    let out = '';
    if (old === '') {
      const chars = codePoints(s);
      let i = 0;
      for (; i < chars.length && count > 0; i++, count--) out += replacement + chars[i];
      if (count > 0) return newStr(vm, out + replacement);
      return newStr(vm, out + chars.slice(i).join(''));
    }
    let i = 0;
    while (count-- > 0) {
      const at = s.indexOf(old, i);
      if (at < 0) break;
      out += s.slice(i, at) + replacement;
      i = at + old.length;
    }
    return newStr(vm, out + s.slice(i));
  });
  def('upper', transform((s) => s.toUpperCase(), 'upper'));
  def('lower', transform((s) => s.toLowerCase(), 'lower'));
  def('casefold', transform((s) => codePoints(s).map(casefoldChar).join(''), 'casefold'));
  def('title', transform(title, 'title'));
  def('capitalize', transform((s) => {
    const chars = codePoints(s);
    return chars.length === 0 ? '' : titleChar(chars[0]!) + chars.slice(1).map((_, i) => lowerAt(chars, i + 1)).join('');
  }, 'capitalize'));
  def('swapcase', transform((s) => codePoints(s).map((c, i, chars) => (UPPER_OR_TITLE.test(c) ? lowerAt(chars, i) : LOWER.test(c) ? c.toUpperCase() : c)).join(''), 'swapcase'));
  def('center', padder('center'));
  def('ljust', padder('ljust'));
  def('rjust', padder('rjust'));
  def('zfill', (vm, args, kw) => {
    const [widthRef] = parseArgs(vm, 'zfill', args, kw, ['width'], 1, 1);
    const s = self(args);
    const width = intArg(vm, widthRef!);
    const fill = width - cpLength(s);
    if (fill <= 0) return newStr(vm, s);
    const signed = s[0] === '+' || s[0] === '-';
    return newStr(vm, signed ? s[0] + '0'.repeat(fill) + s.slice(1) : '0'.repeat(fill) + s);
  });
  def('isdigit', predicate((s) => every(s, (c) => DIGIT.test(c)), 'isdigit'));
  def('isdecimal', predicate((s) => every(s, (c) => DECIMAL.test(c)), 'isdecimal'));
  def('isnumeric', predicate((s) => every(s, (c) => NUMERIC.test(c)), 'isnumeric'));
  def('isalpha', predicate((s) => every(s, (c) => ALPHA.test(c)), 'isalpha'));
  def('isalnum', predicate((s) => every(s, (c) => ALPHA.test(c) || NUMERIC.test(c) || DIGIT.test(c)), 'isalnum'));
  def('isspace', predicate((s) => every(s, isSpace), 'isspace'));
  def('isascii', predicate((s) => ASCII_ONLY.test(s), 'isascii'));
  def('isprintable', predicate((s) => !PRINTABLE_NOT.test(s.replace(/ /g, '')), 'isprintable'));
  def('isidentifier', predicate((s) => IDENTIFIER.test(s), 'isidentifier'));
  def('istitle', predicate(isTitle, 'istitle'));
  def('isupper', predicate((s) => UPPER_OR_TITLE.test(s) && !codePoints(s).some((c) => LOWER.test(c) || /\p{Lt}/u.test(c)), 'isupper'));
  def('islower', predicate((s) => LOWER.test(s) && !UPPER_OR_TITLE.test(s), 'islower'));
  def('partition', partitioner('partition'));
  def('rpartition', partitioner('rpartition'));
  def('expandtabs', (vm, args, kw) => {
    const [size] = parseArgs(vm, 'expandtabs', args, kw, ['tabsize'], 0, 0);
    return newStr(vm, expandtabs(self(args), size === NULL ? 8 : intArg(vm, size!)));
  });
  def('encode', (vm, args, kw) => {
    const [encodingRef, errorsRef] = parseArgs(vm, 'encode', args, kw, ['encoding', 'errors'], 0, 0);
    const encoding = encodingRef === NULL ? 'utf-8' : strArg(vm, encodingRef!, "encode() argument 'encoding'");
    const errors = errorsRef === NULL ? 'strict' : strArg(vm, errorsRef!, "encode() argument 'errors'");
    if (errors === 'strict') checkEncodable(vm, self(args), encoding);
    try {
      return vm.heap.newBytes(self(args), encoding, errors);
    } catch (error) {
      throw vm.toThrow(error);
    }
  });
  def('removeprefix', (vm, args, kw) => {
    const [p] = parseArgs(vm, 'removeprefix', args, kw, ['prefix'], 1, 1);
    const prefix = strArg(vm, p!, 'removeprefix() argument');
    const s = self(args);
    return newStr(vm, prefix !== '' && s.startsWith(prefix) ? s.slice(prefix.length) : s);
  });
  def('removesuffix', (vm, args, kw) => {
    const [p] = parseArgs(vm, 'removesuffix', args, kw, ['suffix'], 1, 1);
    const suffix = strArg(vm, p!, 'removesuffix() argument');
    const s = self(args);
    return newStr(vm, suffix !== '' && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s);
  });
  def('format', (vm, args, kw) => newStr(vm, formatting(vm, () => strFormat(self(args), formatHost(vm, args.slice(1), kwLookup(vm, kw))))));
  def('format_map', (vm, args, kw) => {
    const [mapping] = parseArgs(vm, 'format_map', args, kw, ['mapping'], 1, 1);
    const keyword = (name: string): Ref => {
      const key = newStr(vm, name);
      try {
        return getItemOf(vm, mapping!, key);
      } finally {
        heap.decref(key);
      }
    };
    return newStr(vm, formatting(vm, () => strFormat(self(args), formatHost(vm, null, keyword))));
  });
  const maketransFn: NativeFn = (vm, args) => maketrans(vm, args);
  const builtin = vm.newBuiltin('maketrans', maketransFn);
  const staticWrapper = heap.newInstance(vm.fn.staticmethod.instanceType!);
  heap.setSlot(staticWrapper, 0, builtin);
  heap.decref(builtin);
  vm.setItemStr(cls.dict, 'maketrans', staticWrapper);
  heap.decref(staticWrapper);
  def('translate', (vm, args, kw) => {
    const [table] = parseArgs(vm, 'translate', args, kw, ['table'], 1, 1);
    return newStr(vm, translate(vm, self(args), table!));
  });
  def('__format__', (vm, args, kw) => {
    const [specRef] = parseArgs(vm, '__format__', args, kw, ['format_spec'], 1, 1);
    const spec = strArg(vm, specRef!, '__format__() argument');
    return newStr(vm, formatting(vm, () => formatStr(self(args), spec)));
  });
  def('__mod__', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`expected 1 argument, got ${args.length - 1}`);
    return newStr(vm, strMod(vm, self(args), args[1]!));
  });
  def('__rmod__', (vm) => {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  });
  def('__len__', (vm, args) => vm.heap.newInt(cpLength(self(args))));
  def('__contains__', (vm, args) => {
    const item = args[1]!;
    if (!isStr(vm, item)) throw vm.typeError(`'in <string>' requires string as left operand, not ${vm.typeName(item)}`);
    return vm.heap.newBool(self(args).includes(text(vm, item)));
  });
  def('__getitem__', (vm, args) => getItem(vm, self(args), args[1]!));
  def('__add__', (vm, args) => {
    const other = args[1]!;
    if (!isStr(vm, other)) throw vm.typeError(`can only concatenate str (not "${vm.typeName(other)}") to str`);
    return newStr(vm, self(args) + text(vm, other));
  });
  const mul: NativeFn = (vm, args) => {
    const n = repeatCount(vm, args[1]!);
    if (n === null) throw vm.typeError(`can't multiply sequence by non-int of type '${vm.typeName(args[1]!)}'`);
    const s = self(args);
    if (n > 0 && s.length * n > 2 ** 29) throw vm.error('MemoryError');
    return newStr(vm, n <= 0 ? '' : s.repeat(n));
  };
  def('__mul__', mul);
  def('__rmul__', mul);
  def('__hash__', (vm, args) => vm.heap.newInt(strHashValue(self(args))));

  // Iteration: CPython 3.11 names the iterator of an ASCII str str_ascii_iterator, others str_iterator.
  const ascii = vm.nativeClass('str_ascii_iterator', { slots: ['seq', { name: 'index', kind: 'int32' }] });
  const general = vm.nativeClass('str_iterator', { slots: ['seq', { name: 'index', kind: 'int32' }] });
  const next = (vm: VM, it: Ref): Ref => {
    const seq = vm.heap.getSlot(it, 0);
    if (seq === NULL) return NULL;
    const s = text(vm, seq);
    const at = vm.heap.getSlotInt(it, 1);
    if (at >= s.length) {
      vm.heap.setSlot(it, 0, NULL);
      return NULL;
    }
    const cp = s.codePointAt(at)!;
    const ch = cp > 0xffff ? s.slice(at, at + 2) : s[at]!;
    vm.heap.setSlotInt(it, 1, at + ch.length);
    return newStr(vm, ch);
  };
  for (const iterClass of [ascii, general]) {
    iterClass.iterNext = next;
    vm.defineMethod(iterClass, '__iter__', (vm, args) => {
      vm.heap.incref(args[0]!);
      return args[0]!;
    });
    vm.defineMethod(iterClass, '__next__', (vm, args) => {
      const item = next(vm, args[0]!);
      if (item === NULL) throw vm.error('StopIteration');
      return item;
    });
    vm.defineMethod(iterClass, '__length_hint__', (vm, args) => {
      const seq = vm.heap.getSlot(args[0]!, 0);
      if (seq === NULL) return vm.heap.newInt(0);
      const s = text(vm, seq);
      return vm.heap.newInt(cpLength(s.slice(vm.heap.getSlotInt(args[0]!, 1))));
    });
  }
  def('__iter__', (vm, args) => {
    const s = self(args);
    const it = vm.heap.newInstance((ASCII_ONLY.test(s) ? ascii : general).instanceType!);
    vm.heap.setSlot(it, 0, args[0]!);
    vm.heap.setSlotInt(it, 1, 0);
    return it;
  });
}
