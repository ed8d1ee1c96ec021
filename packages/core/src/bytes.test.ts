/**
 * bytes and bytearray, checked against python3: each case is a Python expression and the
 * same operation on the heap; twins/evaluate.py evaluates the expressions under CPython, and
 * the heap must give the same repr, or raise the same exception with the same message.
 * Then what only refheap can show: the contents are real memory, counted and given back.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, test } from 'vitest';
import { PyTypeError, RefheapError } from './errors.ts';
import { Heap } from './heap.ts';
import type { Ref } from './ref.ts';

type Outcome = { value: string } | { error: string; message: string };

const heap = new Heap();

/** What a case gives back: a reference (compared by repr), a bool, or an int the raw layer returns as a JS number. */
type Result = Ref | boolean | { readonly int: number };
const int = (n: number): Result => ({ int: n });
/** An operation that returns nothing in Python either (None), run for its exception. */
const done = (action: () => void): Result => {
  action();
  return heap.newNone();
};

/** A case: the Python expression, and the same thing on the heap. */
const cases: [python: string, refheap: () => Result][] = [
  ['bytes(3)', () => heap.newBytes(3)],
  ['bytearray(2)', () => heap.newByteArray(2)],
  ['bytes()', () => heap.newBytes()],
  ['bytes([104, 105, 0, 255])', () => heap.newBytes([104, 105, 0, 255])],
  ['bytes(range(0, 256, 37))', () => heap.newBytes(Array.from({ length: 7 }, (_, i) => i * 37))],
  ["bytes('héllo', 'utf-8')", () => heap.newBytes('héllo', 'utf-8')],
  ["bytes('abc', 'latin-1')", () => heap.newBytes('abc', 'latin-1')],
  ["bytes('€', 'UTF_8')", () => heap.newBytes('€', 'UTF_8')],
  ["bytes('aé', 'ascii', 'ignore')", () => heap.newBytes('aé', 'ascii', 'ignore')],
  ["bytes('aé', 'ascii', 'replace')", () => heap.newBytes('aé', 'ascii', 'replace')],
  ["bytearray('x€', 'utf8')", () => heap.newByteArray('x€', 'utf8')],
  [`bytes(b"it's")`, () => heap.newBytes([105, 116, 39, 115])],
  [`bytes(b'say "hi"')`, () => heap.newBytes('say "hi"', 'ascii')],
  [`bytes(b'both \\' and "')`, () => heap.newBytes('both \' and "', 'ascii')],
  ["bytes(b'\\t\\n\\r\\\\')", () => heap.newBytes('\t\n\r\\', 'ascii')],
  ['bytes(-1)', () => heap.newBytes(-1)],
  ['bytearray(-1)', () => heap.newByteArray(-1)],
  ['bytes(1.5)', () => heap.newBytes(1.5)],
  ['bytearray(1.5)', () => heap.newByteArray(1.5)],
  ['bytes([256])', () => heap.newBytes([256])],
  ['bytearray([-1])', () => heap.newByteArray([-1])],
  ['bytes([1.5])', () => heap.newBytes([1.5])],
  ["bytes(['a'])", () => heap.newBytes(['a'] as never)],
  ["bytes('abc')", () => heap.newBytes('abc')],
  ["bytearray('abc')", () => heap.newByteArray('abc')],
  ['bytes(3, "utf-8")', () => heap.newBytes(3, 'utf-8')],
  ["bytes('a', 5)", () => heap.newBytes('a', 5 as never)],
  ['bytes(None)', () => heap.newBytes(null as never)],
  ["bytes('é', 'ascii')", () => heap.newBytes('é', 'ascii')],
  ["bytes('€', 'latin-1')", () => heap.newBytes('€', 'latin-1')],
  ["bytes('\\ud800', 'utf-8')", () => heap.newBytes('\ud800', 'utf-8')],
  ["bytes('é', 'nope')", () => heap.newBytes('é', 'nope')],
  ['len(bytes(5))', () => int(heap.length(heap.newBytes(5)))],
  ['len(bytearray(b"abc"))', () => int(heap.length(heap.newByteArray([97, 98, 99])))],
  ["b'abc'[0]", () => int(heap.byteAt(heap.newBytes('abc', 'ascii'), 0))],
  ["b'abc'[-1]", () => int(heap.byteAt(heap.newBytes('abc', 'ascii'), -1))],
  ["b'ab'[5]", () => int(heap.byteAt(heap.newBytes('ab', 'ascii'), 5))],
  ["bytearray(b'ab')[5]", () => int(heap.byteAt(heap.newByteArray('ab', 'ascii'), 5))],
  ["bytearray(b'ab')[1.5]", () => int(heap.byteAt(heap.newByteArray('ab', 'ascii'), 1.5))],
  ["b'abcdef'[1:5:2]", () => heap.bytesSlice(heap.newBytes('abcdef', 'ascii'), 1, 5, 2)],
  ["bytearray(b'abcdef')[::-1]", () => heap.bytesSlice(heap.newByteArray('abcdef', 'ascii'), null, null, -1)],
  ["b'abcdef'[-2:]", () => heap.bytesSlice(heap.newBytes('abcdef', 'ascii'), -2)],
  ["b'abcdef'[4:1]", () => heap.bytesSlice(heap.newBytes('abcdef', 'ascii'), 4, 1)],
  ["b'abcdef'[::0]", () => heap.bytesSlice(heap.newBytes('abcdef', 'ascii'), null, null, 0)],
  ["b'abcdef'[10:-10:-3]", () => heap.bytesSlice(heap.newBytes('abcdef', 'ascii'), 10, -10, -3)],
  ['(lambda b: (b.__setitem__(0, 65), b)[1])(bytearray(b"abc"))', () => {
    const b = heap.newByteArray('abc', 'ascii');
    heap.setByte(b, 0, 65);
    return b;
  }],
  ['bytearray(b"ab").__setitem__(0, 256)', () => done(() => heap.setByte(heap.newByteArray('ab', 'ascii'), 0, 256))],
  ['bytearray(b"ab").__setitem__(5, 1)', () => done(() => heap.setByte(heap.newByteArray('ab', 'ascii'), 5, 1))],
  ["bytearray(b'ab').__setitem__(0, 'x')", () => done(() => heap.setByte(heap.newByteArray('ab', 'ascii'), 0, 'x' as never))],
  ["{b'': 1}[b'']", () => {
    const d = heap.newDict();
    heap.dictSet(d, heap.newBytes(), heap.newInt(1));
    return heap.dictGet(d, heap.newBytes());
  }],
  ["{b'ab': 1}.get('ab')", () => {
    const d = heap.newDict();
    heap.dictSet(d, heap.newBytes('ab', 'ascii'), heap.newInt(1));
    const found = heap.dictGet(d, heap.newStr('ab'));
    return found === 0 ? heap.newNone() : found;
  }],
  ['hash(bytearray())', () => int(Number(heap.hashKey(heap.newByteArray())))],
  ['{bytearray(): 1}', () => {
    const d = heap.newDict();
    heap.dictSet(d, heap.newByteArray(), heap.newInt(1));
    return d;
  }],
  ["b'ab' == bytearray(b'ab')", () => heap.equal(heap.newBytes('ab', 'ascii'), heap.newByteArray('ab', 'ascii'))],
  ["b'ab' == 'ab'", () => heap.equal(heap.newBytes('ab', 'ascii'), heap.newStr('ab'))],
  ["b'ab' == b'abc'", () => heap.equal(heap.newBytes('ab', 'ascii'), heap.newBytes('abc', 'ascii'))],
  ["[b'x', (1, bytearray(b'y'))] == [b'x', (1.0, b'y')]", () => {
    const left = heap.newList([heap.newBytes('x', 'ascii'), heap.newTuple([heap.newInt(1), heap.newByteArray('y', 'ascii')])]);
    const right = heap.newList([heap.newBytes('x', 'ascii'), heap.newTuple([heap.newFloat(1), heap.newBytes('y', 'ascii')])]);
    return heap.equal(left, right);
  }],
];

function refheapOutcome(run: () => Result): Outcome {
  try {
    const result = run();
    if (typeof result === 'boolean') return { value: result ? 'True' : 'False' };
    if (typeof result === 'object') return { value: String(result.int) };
    return { value: heap.repr(result) };
  } catch (error) {
    if (!(error instanceof RefheapError)) throw error;
    return { error: error.pythonName, message: error.message };
  }
}

const cpython = JSON.parse(
  execFileSync('python3', [fileURLToPath(new URL('./twins/evaluate.py', import.meta.url))], {
    input: JSON.stringify(cases.map(([python]) => python)),
    encoding: 'utf8',
  }),
) as Outcome[];

describe('bytes and bytearray, as python3 prints them', () => {
  cases.forEach(([python, run], i) => {
    test(python, () => expect(refheapOutcome(run)).toEqual(cpython[i]));
  });
});

describe('bytes and bytearray own real memory', () => {
  it('a 1 MiB bytearray counts as 1 MiB in sizeOf and stats(), and takes it with it when freed', () => {
    const h = new Heap();
    const before = h.stats().bytes;
    const big = h.newByteArray(1 << 20);
    expect(h.sizeOf(big)).toBeGreaterThanOrEqual(1 << 20);
    expect(h.stats().bytes - before).toBeGreaterThanOrEqual(1 << 20);
    expect(h.stats().byType.find((t) => t.type === 'bytearray')?.bytes).toBeGreaterThanOrEqual(1 << 20);
    h.decref(big);
    expect(h.stats().bytes).toBe(before);
    h.verify();
  });

  it('the view is the contents: writes through a bytearray view are the object’s bytes', () => {
    const h = new Heap();
    const b = h.newByteArray(4);
    const view = h.bytesView(b);
    view.set([1, 2, 3, 4]);
    expect(h.byteAt(b, 2)).toBe(3);
    expect(h.repr(b)).toBe("bytearray(b'\\x01\\x02\\x03\\x04')");
    expect([...(h.valueOf(b) as Uint8Array)]).toEqual([1, 2, 3, 4]);
    expect(h.valueOf(b)).not.toBe(view); // valueOf is a copy
  });

  it('a buffer is copied in, so the caller’s array stays the caller’s', () => {
    const h = new Heap();
    const source = new Uint8Array([9, 8, 7]);
    const b = h.newBytes(source);
    source[0] = 0;
    expect(h.byteAt(b, 0)).toBe(9);
    expect(h.repr(h.from(new Uint8Array([65, 66])))).toBe("b'AB'");
    expect(h.repr(h.newBytes(new Uint16Array([0x4241]).buffer))).toBe("b'AB'");
  });

  it('bytesView of another type is a TypeError in CPython’s wording', () => {
    const h = new Heap();
    expect(() => h.bytesView(h.newStr('x'))).toThrow("a bytes-like object is required, not 'str'");
  });
});

describe('setBytes', () => {
  test('a bytearray takes new contents of another length; a bytes refuses', () => {
    const heap = new Heap();
    const array = heap.newByteArray([1, 2, 3]);
    heap.setBytes(array, new Uint8Array([9, 8, 7, 6]));
    expect(heap.length(array)).toBe(4);
    expect([...heap.bytesView(array)]).toEqual([9, 8, 7, 6]);
    const frozen = heap.newBytes([1]);
    expect(() => heap.setBytes(frozen, new Uint8Array([2]))).toThrow(PyTypeError);
    heap.verify();
  });
});
