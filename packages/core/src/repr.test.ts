/**
 * repr(), as CPython prints it (each expected string below was printed by python3 3.11),
 * including the recursion guard that shows a container already being printed as [...] / {...}.
 */
import { describe, expect, it } from 'vitest';
import { Handles, Heap, type Ref, floatRepr, strRepr } from './index.ts';

describe('repr of atoms', () => {
  it('None, True, False, ints (bigint included)', () => {
    const heap = new Heap();
    expect(heap.repr(heap.None)).toBe('None');
    expect(heap.repr(heap.True)).toBe('True');
    expect(heap.repr(heap.False)).toBe('False');
    expect(heap.repr(heap.newInt(-7))).toBe('-7');
    expect(heap.repr(heap.newInt(2n ** 100n))).toBe('1267650600228229401496703205376');
  });

  it.each([
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1.5e-7, '1.5e-07'],
    [-1.5e-7, '-1.5e-07'],
    [9.999e-5, '9.999e-05'],
    [1e-4, '0.0001'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [123.456, '123.456'],
    [1.0, '1.0'],
    [100.0, '100.0'],
    [2.5, '2.5'],
    [1e22, '1e+22'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [5e-324, '5e-324'],
    [0, '0.0'],
    [-0, '-0.0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [Number.NaN, 'nan'],
  ])('float %s prints as %s', (value, expected) => {
    const heap = new Heap();
    expect(heap.repr(heap.newFloat(value))).toBe(expected);
    expect(floatRepr(value)).toBe(expected);
  });

  it.each([
    ['hi', "'hi'"],
    ["it's", `"it's"`],
    [`a"b'c`, `'a"b\\'c'`],
    ['a\nb', "'a\\nb'"],
    ['\t\r', "'\\t\\r'"],
    ['a\\b', "'a\\\\b'"],
    ['\x00', "'\\x00'"],
    ['\x7f', "'\\x7f'"],
    ['é 日本', "'é 日本'"],
  ])('str %j prints as %s', (value, expected) => {
    const heap = new Heap();
    expect(heap.repr(heap.newStr(value))).toBe(expected);
    expect(strRepr(value)).toBe(expected);
  });

  it('non-printable characters (a C1 control, no-break space, zero-width space, line separator) are escaped as CPython does', () => {
    const cases: [string, string][] = [
      ['\x85', "'\\x85'"],
      ['\xa0', "'\\xa0'"],
      ['\u200b', "'\\u200b'"],
      ['\u2028', "'\\u2028'"],
    ];
    for (const [value, expected] of cases) expect(strRepr(value)).toBe(expected);
  });
});

describe('repr of containers', () => {
  it('lists, tuples (the one-item tuple’s comma), dicts and sets', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    expect(py.list([1, 'a', 2.5, null, true, py.tuple([1]), py.tuple(), py.dict(), py.set()]).repr()).toBe(
      "[1, 'a', 2.5, None, True, (1,), (), {}, set()]",
    );
    expect(py.tuple([1]).repr()).toBe('(1,)');
    expect(py.tuple([py.tuple([1, 2]), py.list([3])]).repr()).toBe('((1, 2), [3])');
    expect(py.dict({ a: py.list([1, py.dict({ b: null })]) }).repr()).toBe("{'a': [1, {'b': None}]}");
    expect(py.set(['x']).repr()).toBe("{'x'}");
    expect(py.set().repr()).toBe('set()');
    expect(py.dict().repr()).toBe('{}');
  });

  it('the seeds’ self-nesting lists: [1, [2, [...]]] and [2, [1, [...]]]', () => {
    const heap = new Heap();
    const one = heap.newInt(1);
    const two = heap.newInt(2);
    const l1 = heap.newList([one]);
    const l2 = heap.newList([two]);
    heap.append(l1, l2);
    heap.append(l2, l1);
    expect(heap.repr(l1)).toBe('[1, [2, [...]]]');
    expect(heap.repr(l2)).toBe('[2, [1, [...]]]');
    expect(heap.repr(heap.item(l1, 1))).toBe('[2, [1, [...]]]');
  });

  it('a list containing itself prints [[...]]; the same list twice side by side prints fully', () => {
    const heap = new Heap();
    const l = heap.newList();
    heap.append(l, l);
    expect(heap.repr(l)).toBe('[[...]]');
    const x = heap.newList();
    const pair = heap.newList([x, x]);
    expect(heap.repr(pair)).toBe('[[], []]');
  });

  it('recursive dicts print {...}: d["a"] = d gives {\'a\': {...}}', () => {
    const heap = new Heap();
    const d = heap.newDict();
    heap.dictSet(d, heap.newStr('a'), d);
    expect(heap.repr(d)).toBe("{'a': {...}}");
  });

  it('a tuple inside the list it is in: ([(...)],) and [([...],)]', () => {
    const heap = new Heap();
    const l = heap.newList();
    const t = heap.newTuple([l]);
    heap.append(l, t);
    expect(heap.repr(t)).toBe('([(...)],)');
    expect(heap.repr(l)).toBe('[([...],)]');
  });
});

describe('repr of other objects', () => {
  it('an instance is <Node object at 0x…> with its hex id', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const n = heap.newInstance(Node);
    expect(heap.repr(n)).toBe(`<Node object at ${heap.hexId(n)}>`);
    expect(heap.repr(n)).toMatch(/^<Node object at 0x[0-9a-f]+>$/);
    const C = heap.defineClass('C');
    const c: Ref = heap.newInstance(C);
    expect(heap.repr(c)).toBe(`<C object at ${heap.hexId(c)}>`);
  });

  it('a function is <function f at 0x…>; a class is <class \'Node\'>', () => {
    const heap = new Heap();
    const f = heap.newFunction('f');
    expect(heap.repr(f)).toBe(`<function f at ${heap.hexId(f)}>`);
    const Node = heap.defineClass('Node');
    expect(heap.repr(Node.object)).toBe("<class 'Node'>");
  });

  it('an instance inside a list prints the same way', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const n = heap.newInstance(Node);
    const l = heap.newList([n]);
    expect(heap.repr(l)).toBe(`[<Node object at ${heap.hexId(n)}>]`);
  });
});
