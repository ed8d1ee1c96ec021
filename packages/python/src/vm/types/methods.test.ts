/**
 * The str and bytes natives called directly on a VM (no compiler needed) against python3
 * (twins/method_calls.py): thousands of receiver/method/argument combinations, results compared
 * by repr and errors by type and message.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Kind, type Ref } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { newSlice } from '../core-types.ts';
import { VM } from '../vm.ts';
import { installBytes } from './bytes.ts';
import { installStr } from './str.ts';

type V = { s: string } | { i: number } | { f: number } | { n: 0 } | { b: number[] } | { ba: number[] } | { t: V[] } | { l: V[] } | { d: [V, V][] } | { sl: [V, V, V] };
interface Case {
  readonly name: string;
  readonly receiver: V;
  readonly method: string;
  readonly args: V[];
}

const vm = new VM();
installStr(vm);
installBytes(vm);
const heap = vm.heap;

// Until the VM has them (the contract str.ts is written against): repr and str of atoms.
const shim = vm as unknown as Record<string, unknown>;
shim.reprOf ??= (ref: Ref): string => heap.repr(ref);
shim.strOf ??= (ref: Ref): string => (heap.kindOf(ref) === Kind.Str ? (heap.valueOf(ref) as string) : heap.repr(ref));

function build(v: V, temps: Ref[]): Ref {
  let ref: Ref;
  if ('s' in v) ref = heap.newStr(v.s, { intern: false });
  else if ('i' in v) ref = heap.newInt(v.i);
  else if ('f' in v) ref = heap.newFloat(v.f);
  else if ('n' in v) ref = heap.newNone();
  else if ('b' in v) ref = heap.newBytes(Uint8Array.from(v.b));
  else if ('ba' in v) ref = heap.newByteArray(Uint8Array.from(v.ba));
  else if ('t' in v) ref = heap.newTuple(v.t.map((x) => build(x, temps)));
  else if ('l' in v) ref = heap.newList(v.l.map((x) => build(x, temps)));
  else if ('sl' in v) {
    const [a, b, c] = v.sl.map((x) => build(x, temps));
    ref = newSlice(vm, a!, b!, c!);
  } else {
    ref = heap.newDict();
    for (const [k, x] of v.d) heap.dictSet(ref, build(k, temps), build(x, temps));
  }
  temps.push(ref);
  return ref;
}

function ours(c: Case): string {
  const temps: Ref[] = [];
  try {
    const receiver = build(c.receiver, temps);
    const args = c.args.map((a) => build(a, temps));
    const result = vm.callMethod(receiver, c.method, args);
    try {
      return heap.repr(result);
    } finally {
      heap.decref(result);
    }
  } catch (error) {
    const thrown = vm.toThrow(error);
    const args = heap.getSlot(thrown.exc, 0);
    const message = heap.length(args) === 1 ? heap.valueOf(heap.item(args, 0)) : '';
    const name = vm.classOf(thrown.exc).name;
    heap.decref(thrown.exc);
    return `${name}: ${name === 'KeyError' ? `'${String(message)}'` : String(message)}`;
  } finally {
    for (const t of temps.reverse()) heap.decref(t);
  }
}

const s = (x: string): V => ({ s: x });
const i = (x: number): V => ({ i: x });
const NONE: V = { n: 0 };
const bytes = (x: string): V => ({ b: Array.from(x, (c) => c.charCodeAt(0)) });

const cases: Case[] = [];
const add = (receiver: V, method: string, args: V[]): void => void cases.push({ name: String(cases.length), receiver, method, args });

const STRS = ['', 'a', 'abc', 'Hello World', '  spaced  out  ', 'a,b,,c,', 'aaa', 'h😀llo 😀', 'ΑΣ ας', 'ß ǆ ﬁ', '\tx\ny\r\nz\x0b', '123', '-42', 'x1_y', 'İı', 'ABCabc'];
const NEEDLES = ['', 'a', 'b', ',', 'ab', 'l', '😀', 'zz', ' '];
const IDX = [NONE, i(0), i(1), i(-1), i(-3), i(2), i(100)];
for (const str of STRS) {
  const r = s(str);
  for (const m of ['upper', 'lower', 'title', 'capitalize', 'swapcase', 'casefold', 'isdigit', 'isdecimal', 'isnumeric', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isidentifier', 'isascii', 'isprintable', 'splitlines', 'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'expandtabs', '__len__', 'encode']) {
    add(r, m, []);
  }
  add(r, 'splitlines', [i(1)]);
  add(r, 'expandtabs', [i(3)]);
  add(r, 'encode', [s('ascii')]);
  add(r, 'encode', [s('latin-1'), s('replace')]);
  for (const n of NEEDLES) {
    for (const m of ['find', 'rfind', 'index', 'rindex', 'count', 'startswith', 'endswith']) {
      add(r, m, [s(n)]);
      add(r, m, [s(n), IDX[cases.length % IDX.length]!]);
      add(r, m, [s(n), IDX[cases.length % IDX.length]!, IDX[(cases.length * 3) % IDX.length]!]);
    }
    if (n !== '') {
      add(r, 'split', [s(n)]);
      add(r, 'rsplit', [s(n), i(1)]);
      add(r, 'partition', [s(n)]);
      add(r, 'rpartition', [s(n)]);
      add(r, 'strip', [s(n)]);
      add(r, 'lstrip', [s(n)]);
      add(r, 'rstrip', [s(n)]);
      add(r, 'removeprefix', [s(n)]);
      add(r, 'removesuffix', [s(n)]);
    }
    add(r, 'replace', [s(n), s('<>')]);
    add(r, 'replace', [s(n), s('-'), i(1)]);
    add(r, '__contains__', [s(n)]);
  }
  for (const w of [0, 3, 8, 11]) {
    add(r, 'center', [i(w)]);
    add(r, 'center', [i(w), s('*')]);
    add(r, 'ljust', [i(w), s('😀')]);
    add(r, 'rjust', [i(w)]);
    add(r, 'zfill', [i(w)]);
  }
  for (const n of [-1, 0, 1, 3]) {
    add(r, 'split', [NONE, i(n)]);
    add(r, 'rsplit', [NONE, i(n)]);
  }
  for (const k of [0, 1, -1, 5, -9]) add(r, '__getitem__', [i(k)]);
  add(r, '__mul__', [i(3)]);
  add(r, '__add__', [s('!')]);
  add(r, 'join', [{ l: [s('x'), s('y'), s('z')] }]);
  add(r, 'startswith', [{ t: [s('zz'), s('a'), s('H')] }]);
}
// Errors and odd arguments.
add(s('abc'), 'split', [s('')]);
add(s('abc'), 'split', [i(1)]);
add(s('abc'), 'find', [i(1)]);
add(s('abc'), 'find', [s('a'), s('x')]);
add(s('abc'), 'center', [i(5), s('ab')]);
add(s('abc'), 'center', [s('5')]);
add(s('abc'), 'join', [{ l: [s('a'), i(1)] }]);
add(s('abc'), 'startswith', [i(1)]);
add(s('abc'), 'startswith', [{ t: [i(1)] }]);
add(s('abc'), '__getitem__', [{ f: 1.5 }]);
add(s('abc'), '__add__', [i(1)]);
add(s('abc'), '__contains__', [i(1)]);
add(s('abc'), 'upper', [i(1)]);
add(s('abc'), 'replace', [s('a')]);
add(s('abc'), 'encode', [s('nope')]);
add(s('héllo'), 'encode', [s('ascii')]);
add(s('abc'), 'translate', [{ d: [[i(97), s('X')], [i(98), NONE]] }]);
add(s('abcdd'), 'translate', [{ d: [[i(100), i(68)]] }]);
add(s('%s-%r-%5.2f-%x'), '__mod__', [{ t: [s('a'), s('b'), { f: 3.14159 }, i(255)] }]);
add(s('%(a)s'), '__mod__', [{ d: [[s('a'), i(1)]] }]);
add(s('%d'), '__mod__', [s('x')]);
add(s('%s %s'), '__mod__', [{ t: [i(1)] }]);
add(s('abc'), '__format__', [s('*^9')]);
add(s('abc'), '__format__', [s('d')]);
add(s('{0}{1}{0}'), 'format', [s('a'), s('b')]);
add(s('{0[1]}'), 'format', [{ l: [i(5), s('x')] }]);
add(s('{}'), 'format', []);
add(s('{a}'), 'format_map', [{ d: [[s('a'), s('A')]] }]);
add(s('{b}'), 'format_map', [{ d: [[s('a'), s('A')]] }]);

const BYTES = ['', 'abc', '  hello world  ', 'a,b,,c', 'AbC', '\xff\x00\x80', 'caf\xc3\xa9', '\xe2\x28\xa1', '\xe2\x82'];
for (const b of BYTES) {
  for (const kind of ['b', 'ba'] as const) {
    const r: V = kind === 'b' ? bytes(b) : { ba: Array.from(b, (c) => c.charCodeAt(0)) };
    for (const m of ['upper', 'lower', 'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'hex', 'decode', '__len__']) add(r, m, []);
    add(r, 'decode', [s('latin-1')]);
    add(r, 'decode', [s('ascii')]);
    add(r, 'decode', [s('utf-8'), s('replace')]);
    add(r, 'decode', [s('utf-8'), s('ignore')]);
    add(r, 'hex', [s(':')]);
    add(r, 'hex', [s('-'), i(-2)]);
    for (const n of ['', 'a', 'l', ',', 'zz']) {
      for (const m of ['find', 'rfind', 'index', 'count', 'startswith', 'endswith']) add(r, m, [bytes(n), IDX[cases.length % IDX.length]!]);
      if (n !== '') {
        add(r, 'split', [bytes(n)]);
        add(r, 'rsplit', [bytes(n), i(1)]);
        add(r, 'strip', [bytes(n)]);
      }
      add(r, 'replace', [bytes(n), bytes('<>')]);
      add(r, '__contains__', [bytes(n)]);
    }
    add(r, 'find', [i(108)]);
    add(r, '__contains__', [i(97)]);
    add(r, '__contains__', [s('a')]);
    for (const k of [0, -1, 5]) add(r, '__getitem__', [i(k)]);
    add(r, '__getitem__', [s('x')]);
    add(r, '__add__', [bytes('!')]);
    add(r, '__add__', [s('!')]);
    add(r, '__mul__', [i(2)]);
    add(r, 'join', [{ l: [bytes('x'), bytes('y')] }]);
    add(r, 'join', [{ l: [bytes('x'), s('y')] }]);
    for (const n of [-1, 1]) {
      add(r, 'split', [NONE, i(n)]);
      add(r, 'rsplit', [NONE, i(n)]);
    }
  }
}

// Slices of str (astral characters included) and bytes.
const PARTS: V[] = [NONE, i(0), i(1), i(-1), i(-4), i(3), i(50), i(-50)];
const STEPS: V[] = [NONE, i(1), i(2), i(-1), i(-2), i(3), i(0), { f: 1.0 }];
for (const receiver of [s('h😀llo wörld'), s('abcdef'), s(''), bytes('abcdef')]) {
  for (const start of PARTS) for (const stop of PARTS) add(receiver, '__getitem__', [{ sl: [start, stop, STEPS[cases.length % STEPS.length]!] }]);
}

function python(all: readonly Case[]): Record<string, string> {
  const script = fileURLToPath(new URL('../../twins/method_calls.py', import.meta.url));
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(all), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as Record<string, string>;
}

const cpython = python(cases);

describe('str and bytes natives as CPython 3.11 has them', () => {
  test(`${cases.length} method calls`, () => {
    const wrong: string[] = [];
    for (const c of cases) {
      const mine = ours(c);
      if (mine !== cpython[c.name]) wrong.push(`${JSON.stringify(c.receiver)}.${c.method}(${JSON.stringify(c.args)}): ours ${mine} python ${cpython[c.name]}`);
    }
    expect(wrong.slice(0, 40).join('\n')).toBe('');
  });

  test('no call leaks a reference: a second pass leaves as many live objects as it found', () => {
    const before = heap.stats().live;
    for (const c of cases) ours(c);
    const leaked = heap.stats().byType.filter((t) => t.count > 0);
    expect(heap.stats().live - before, JSON.stringify(leaked.slice(0, 5))).toBe(0);
  });
});

describe('predicates and case mappings over the Basic Multilingual Plane', () => {
  // Characters python3's Unicode database has assigned (JS's may be newer). title, capitalize,
  // swapcase, upper and isnumeric part from CPython on a few dozen characters (SpecialCasing
  // title cases, numeric CJK ideographs, and mappings newer than Unicode 14), so they are left out.
  const methods = ['isdigit', 'isdecimal', 'isalpha', 'isalnum', 'isspace', 'isupper', 'istitle', 'isidentifier', 'isprintable', 'lower', 'casefold'];
  const chars: string[] = [];
  for (let cp = 0; cp < 0x10000; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCharCode(cp));
  const source = `import json, sys, unicodedata
chars = json.load(sys.stdin)
print(json.dumps([[getattr(c, m)() for m in ${JSON.stringify(methods)}] if unicodedata.category(c) != 'Cn' else None for c in chars]))`;
  test(`${methods.length} methods of every character`, () => {
    const expected = JSON.parse(execFileSync('python3', ['-c', source], { input: JSON.stringify(chars), encoding: 'utf8', maxBuffer: 1 << 28 })) as (unknown[] | null)[];
    const wrong: string[] = [];
    chars.forEach((ch, i) => {
      const row = expected[i];
      if (!row) return;
      const receiver = heap.newStr(ch, { intern: false });
      methods.forEach((method, j) => {
        const result = vm.callMethod(receiver, method);
        const value = heap.valueOf(result);
        heap.decref(result);
        if (value !== row[j]) wrong.push(`U+${ch.charCodeAt(0).toString(16)} ${method}: ours ${JSON.stringify(value)} python ${JSON.stringify(row[j])}`);
      });
      heap.decref(receiver);
    });
    expect(wrong.slice(0, 20).join('\n')).toBe('');
  });
});
