/**
 * format(), `%` and str.format against python3 (twins/format_specs.py): thousands of
 * value/spec combinations, picked by a seeded generator, and hand-written edge cases,
 * all sent to one python3 process; results and errors (type and message) must agree.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { floatRepr, strRepr } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { FormatError, formatFloat, formatInt, formatStr, percentFormat, strFormat, type FormatHost, type PercentHost } from './format.ts';

type V =
  | { int: string }
  | { float: string }
  | { str: string }
  | { bool: boolean }
  | { none: 0 }
  | { list: V[] }
  | { tuple: V[] }
  | { dict: [V, V][] };

type Case =
  | { name: string; op: 'format'; value: V; spec: string }
  | { name: string; op: 'percent'; template: string; operand: V }
  | { name: string; op: 'str.format'; template: string; args: V[]; kwargs: [string, V][] };

type Outcome = { ok: string } | { error: [string, string] };

const int = (n: number | bigint): V => ({ int: String(n) });
const flt = (x: number): V => ({ float: floatRepr(x) });
const str = (s: string): V => ({ str: s });

class KeyLikeError extends Error {
  constructor(
    readonly pythonName: string,
    message: string,
  ) {
    super(message);
  }
}

function kind(v: V): string {
  return Object.keys(v)[0]!;
}
function typeName(v: V): string {
  const k = kind(v);
  return k === 'none' ? 'NoneType' : k;
}
function floatOf(v: V): number {
  const text = (v as { float: string }).float;
  return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text);
}
function repr(v: V): string {
  if ('int' in v) return v.int;
  if ('float' in v) return floatRepr(floatOf(v));
  if ('str' in v) return strRepr(v.str);
  if ('bool' in v) return v.bool ? 'True' : 'False';
  if ('none' in v) return 'None';
  if ('list' in v) return `[${v.list.map(repr).join(', ')}]`;
  if ('tuple' in v) return v.tuple.length === 1 ? `(${repr(v.tuple[0]!)},)` : `(${v.tuple.map(repr).join(', ')})`;
  return `{${v.dict.map(([k, x]) => `${repr(k)}: ${repr(x)}`).join(', ')}}`;
}
const strOf = (v: V): string => ('str' in v ? v.str : repr(v));
const asInt = (v: V): bigint | null => ('int' in v ? BigInt(v.int) : 'bool' in v ? BigInt(v.bool) : null);
const same = (a: V, b: V): boolean => repr(a) === repr(b);

function lookup(v: V, key: V): V {
  if ('dict' in v) {
    const found = v.dict.find(([k]) => same(k, key));
    if (found) return found[1];
    throw new KeyLikeError('KeyError', repr(key));
  }
  const items = 'list' in v ? v.list : 'tuple' in v ? v.tuple : null;
  const i = asInt(key);
  if (items && i !== null) {
    const at = Number(i < 0n ? i + BigInt(items.length) : i);
    if (at < 0 || at >= items.length) throw new KeyLikeError('IndexError', `${kind(v)} index out of range`);
    return items[at]!;
  }
  if ('str' in v && i !== null) {
    const chars = Array.from(v.str);
    const at = Number(i);
    if (at >= chars.length) throw new KeyLikeError('IndexError', 'string index out of range');
    return str(chars[at]!);
  }
  throw new KeyLikeError('TypeError', `'${typeName(v)}' object is not subscriptable`);
}

function formatValue(v: V, spec: string): string {
  if ('int' in v) return formatInt(BigInt(v.int), spec);
  if ('bool' in v) return spec === '' ? repr(v) : formatInt(Number(v.bool), spec, 'bool');
  if ('float' in v) return formatFloat(floatOf(v), spec);
  if ('str' in v) return formatStr(v.str, spec);
  if (spec !== '') throw new KeyLikeError('TypeError', `unsupported format string passed to ${typeName(v)}.__format__`);
  return strOf(v);
}

const percentHost: PercentHost<V> = {
  tupleItems: (v) => ('tuple' in v ? v.tuple : null),
  isMapping: (v) => 'dict' in v || 'list' in v,
  getItem: (m, key) => lookup(m, str(key)),
  str: strOf,
  repr,
  ascii: repr,
  typeName,
  asStr: (v) => ('str' in v ? v.str : null),
  asInt,
  isNumber: (v) => 'int' in v || 'bool' in v || 'float' in v,
  toInt: (v) => {
    const x = floatOf(v);
    if (Number.isNaN(x)) throw new KeyLikeError('ValueError', 'cannot convert float NaN to integer');
    if (!Number.isFinite(x)) throw new KeyLikeError('OverflowError', 'cannot convert float infinity to integer');
    return BigInt(Math.trunc(x));
  },
  toIndex: () => null,
  toFloat: (v) => ('float' in v ? floatOf(v) : 'int' in v ? Number(v.int) : 'bool' in v ? Number(v.bool) : null),
};

function formatHost(args: V[], kwargs: [string, V][]): FormatHost<V> {
  return {
    positional: (i) => args[i],
    keyword: (name) => {
      const found = kwargs.find(([k]) => k === name);
      if (!found) throw new KeyLikeError('KeyError', strRepr(name));
      return found[1];
    },
    getAttr: (v, name) => {
      if (name === 'real' && ('int' in v || 'float' in v)) return v;
      throw new KeyLikeError('AttributeError', `'${typeName(v)}' object has no attribute '${name}'`);
    },
    getItem: (v, key) => lookup(v, typeof key === 'number' ? int(key) : str(key)),
    format: formatValue,
    convert: (v, c) => (c === 's' ? strOf(v) : repr(v)),
    release: () => {},
  };
}

function ours(c: Case): Outcome {
  try {
    if (c.op === 'format') return { ok: formatValue(c.value, c.spec) };
    if (c.op === 'percent') return { ok: percentFormat(c.template, c.operand, percentHost) };
    return { ok: strFormat(c.template, formatHost(c.args, c.kwargs)) };
  } catch (error) {
    if (error instanceof FormatError || error instanceof KeyLikeError) return { error: [error.pythonName, error.message] };
    throw error;
  }
}

// ─── The cases ───────────────────────────────────────────────────────────────

let seed = 12345;
function random(n: number): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
}
const pick = <T>(items: readonly T[]): T => items[random(items.length)]!;

const cases: Case[] = [];
type Unnamed<C> = C extends Case ? Omit<C, 'name'> : never;
const add = (c: Unnamed<Case>): void => void cases.push({ ...c, name: String(cases.length) });

const FILLS = ['', '', '<', '>', '^', '=', '*<', '*>', '*^', '0=', 'x=', '0<', '€^'];
const SIGNS = ['', '', '+', '-', ' '];
const WIDTHS = ['', '', '1', '5', '8', '13', '20'];
const GROUPS = ['', '', '', ',', '_'];
function randomSpec(types: readonly string[], precisions: readonly string[]): string {
  return (
    pick(FILLS) + pick(SIGNS) + pick(['', '', '', 'z']) + pick(['', '', '#']) + pick(['', '', '0']) + pick(WIDTHS) + pick(GROUPS) + pick(precisions) + pick(types)
  );
}

const INTS: V[] = [0, 1, -1, 7, 42, -42, 255, 1000, 65535, 1234567, -1234567, 0x10ffff, 0x110000, 2 ** 40].map(int);
INTS.push(int(10n ** 20n), int(-(2n ** 70n)), int(12345678901234567890n), { bool: true }, { bool: false });
const INT_TYPES = ['', '', 'b', 'c', 'd', 'o', 'x', 'X', 'n', 'e', 'E', 'f', 'g', 'G', '%', 's', 'r', 'F'];
for (let i = 0; i < 3000; i++) add({ op: 'format', value: pick(INTS), spec: randomSpec(INT_TYPES, ['', '', '', '.0', '.3']) });

const FLOATS: V[] = [0, -0, 1, -1, 1.5, 2.5, 0.5, 0.125, 0.1, 2.675, 9.995, 1e16, 1e15, 1e-5, 1e-4, 123456.789, -1234.5, 1e300, 5e-324, 1e22, 123, 100, 12, 0.000123456, 1 / 3, -2 / 3, 1.7976931348623157e308, Infinity, -Infinity, NaN, -1e-7, 999999.5, 1e-320, 2.2250738585072014e-308, 0.3, 1e100, 123456789012345680, 0.05, 0.15, 0.25, 0.35].map(flt);
const FLOAT_TYPES = ['', '', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%', 'd', 'x', 's'];
for (let i = 0; i < 4000; i++) add({ op: 'format', value: pick(FLOATS), spec: randomSpec(FLOAT_TYPES, ['', '', '.0', '.1', '.2', '.3', '.6', '.10', '.17', '.25', '.50', '.120']) });

const STRS: V[] = ['', 'a', 'hello', 'héllo wörld', 'x😀y', '😀😀😀', 'tab\tand\nnewline'].map(str);
for (let i = 0; i < 1500; i++) add({ op: 'format', value: pick(STRS), spec: randomSpec(['', '', 's', 'd', 'r'], ['', '', '.0', '.2', '.5']) });

// Hand-picked specs: parse errors and oddities.
for (const spec of ['..', '.', ',_', '_,', '__', ',,', 'ab', '5.5.5', '=', '0', '010', ' ', '+', '#x', '#o', '#b', '#X', '08,', '010_x', '0=12,', '^^5', '99999999999999999999', 'z', '=^5', ',c', '_n', ',n', '\u0000', '.2\u00e9', 'é', '#c', '+c', '.5c', '.2']) {
  for (const value of [int(1234), flt(-1234.5), str('ab')]) add({ op: 'format', value, spec });
}

// printf-style.
const PERCENT: [string, V][] = [
  ['%s', str('x')],
  ['%s %s', { tuple: [int(1), str('a')] }],
  ['%s', { tuple: [] }],
  ['%s', { tuple: [int(1), int(2)] }],
  ['abc', int(5)],
  ['abc', { list: [int(1)] }],
  ['abc', { dict: [] }],
  ['%s', { list: [int(1), int(2)] }],
  ['%s', { tuple: [{ tuple: [int(1)] }] }],
  ['%r', str("it's")],
  ['%a', str('x')],
  ['%d', str('x')],
  ['%x', str('x')],
  ['%x', flt(1.5)],
  ['%d', flt(-3.9)],
  ['%d', flt(Infinity)],
  ['%d', flt(NaN)],
  ['%i', { bool: true }],
  ['%f', str('x')],
  ['%c', int(65)],
  ['%c', str('ab')],
  ['%c', str('😀')],
  ['%c', flt(65)],
  ['%c', int(0x110000)],
  ['%5c|%-3c|', { tuple: [str('a'), int(98)] }],
  ['%q', int(1)],
  ['%', int(1)],
  ['%5', int(1)],
  ['%.', int(1)],
  ['%5%', { tuple: [] }],
  ['%5%', { tuple: [int(1)] }],
  ['%%', { tuple: [] }],
  ['%(a)s %(b)r', { dict: [[str('a'), int(1)], [str('b'), str('x')]] }],
  ['%(a)s', { dict: [] }],
  ['%(a)s', int(1)],
  ['%(a', { dict: [[str('a'), int(1)]] }],
  ['%(a)s %s', { dict: [[str('a'), int(1)]] }],
  ['%(a(b))s', { dict: [[str('a(b)'), int(1)]] }],
  ['%*d|%-*d|%.*f', { tuple: [int(5), int(42), int(5), int(42), int(2), flt(3.14159)] }],
  ['%*d', { tuple: [str('x'), int(1)] }],
  ['%*d', { tuple: [int(-6), int(1)] }],
  ['%.*s', { tuple: [int(-1), str('abc')] }],
  ['%ld %hd %Ld', { tuple: [int(1), int(2), int(3)] }],
  ['%s é %d', { tuple: [str('ü'), int(3)] }],
  ['%é', int(1)],
  ['%\u0001', int(1)],
];
for (const [template, operand] of PERCENT) add({ op: 'percent', template, operand });
const P_FLAGS = ['', '', '-', '+', ' ', '#', '0', '-0', '+0', '#0', ' 0', '-#', '+#0'];
const P_WIDTH = ['', '', '1', '6', '12'];
const P_PREC = ['', '', '.0', '.1', '.3', '.8'];
const P_VALUES: V[] = [int(0), int(42), int(-42), int(255), int(-255), int(10n ** 18n), flt(3.14159), flt(-0.5), flt(1e20), flt(2.5), flt(-0), flt(Infinity), flt(NaN), str('hello'), str('😀x'), { bool: true }, { none: 0 }];
for (let i = 0; i < 2500; i++) {
  const template = `%${pick(P_FLAGS)}${pick(P_WIDTH)}${pick(P_PREC)}${pick([...'sdiouxXeEfFgGrc'])}`;
  add({ op: 'percent', template: `[${template}]`, operand: pick(P_VALUES) });
}

// str.format.
const ARGS: V[] = [int(42), flt(3.5), str('abc'), { list: [int(10), int(20)] }, { dict: [[str('k'), str('v')], [int(1), str('one')]] }];
const KW: [string, V][] = [['name', str('Ada')], ['w', int(8)], ['p', int(2)], ['n', int(-7)]];
const TEMPLATES = [
  '{}', '{} {}', '{0} {0}', '{1}{0}', '{}{1}', '{0}{}', '{name}', '{name!r}', '{0!r:>10}', '{!s}', '{!a}', '{!x}', '{0!}', '{!r',
  '{:{w}}|', '{2:>{w}.{p}}', '{:{}}', '{:{}{}}', '{0:{1}}', '{:{:{}}}', '{{}}', '{{', '}}', '}', '{', 'a}b', 'a{b', '{0[1]}', '{3[0]}', '{3[5]}',
  '{4[k]}', '{4[1]}', '{4[x]}', '{0.real}', '{0.bad}', '{0.}', '{0[}', '{0[0]x}', '{0[]}', '{5}', '{missing}', '{0:d}', '{1:.2f}', '{2:^9}',
  '{n:+05}', '{n:x}', '{2:d}', '{1:%}', '{:,}', '{0:_b}', '{0!r:{w}}', '{0:{{}}}', '{0{}', '{0:}', '{!r:}', '{0!rr}', 'é{2}ü', '{٣}', '{00}', '{0}{1}{2}{3}{4}{5}',
  '{:{w}{p}}', 'x{:}y', '{0:{2}}',
];
for (const template of TEMPLATES) add({ op: 'str.format', template, args: ARGS, kwargs: KW });

function python(all: readonly Case[]): Record<string, Outcome> {
  const script = fileURLToPath(new URL('../twins/format_specs.py', import.meta.url));
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(all), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })) as Record<string, Outcome>;
}

const cpython = python(cases);

describe('formatting as CPython 3.11 does', () => {
  for (const op of ['format', 'percent', 'str.format'] as const) {
    test(`${op}: ${cases.filter((c) => c.op === op).length} cases`, () => {
      const wrong: string[] = [];
      for (const c of cases) {
        if (c.op !== op) continue;
        const mine = ours(c);
        if (JSON.stringify(mine) !== JSON.stringify(cpython[c.name])) wrong.push(`${JSON.stringify(c.op === 'format' ? [c.value, c.spec] : c.op === 'percent' ? [c.template, c.operand] : c.template)} ours ${JSON.stringify(mine)} python ${JSON.stringify(cpython[c.name])}`);
      }
      expect(wrong.slice(0, 25).join('\n')).toBe('');
    });
  }
});
