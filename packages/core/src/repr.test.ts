/**
 * repr(), as CPython prints it (each expected string below was printed by python3 3.11),
 * including the recursion guard that shows a container already being printed as [...] / {...}.
 */
import { describe, expect, it } from 'vitest';
import { Handles, Heap, PyRecursionError, type Ref, RefheapError, floatRepr, strRepr } from './index.ts';

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
    // Every temporary handle is made in the scope and released with it.
    py.scope(() => {
      expect(py.list([1, 'a', 2.5, null, true, py.tuple([1]), py.tuple(), py.dict(), py.set()]).repr()).toBe(
        "[1, 'a', 2.5, None, True, (1,), (), {}, set()]",
      );
      expect(py.tuple([1]).repr()).toBe('(1,)');
      expect(py.tuple([py.tuple([1, 2]), py.list([3])]).repr()).toBe('((1, 2), [3])');
      expect(py.dict({ a: [1, { b: null }] }).repr()).toBe("{'a': [1, {'b': None}]}");
      expect(py.set(['x']).repr()).toBe("{'x'}");
      expect(py.set().repr()).toBe('set()');
      expect(py.dict().repr()).toBe('{}');
    });
    heap.verify();
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

/**
 * CPython's repr counts every object it prints against the recursion limit (PyObject_Repr's
 * `Py_EnterRecursiveCall`). Run from a module's top level under python3 3.11 with the default
 * limit of 1000, 998 nested lists / tuples / dicts print and the 999th raises
 * `RecursionError: maximum recursion depth exceeded while getting the repr of an object`.
 */
describe('repr of deep nesting raises RecursionError, as CPython does, never a JS RangeError', () => {
  const MESSAGE = 'maximum recursion depth exceeded while getting the repr of an object';

  /** `depth` containers made by `wrap`, each holding the one before; `leaf` is the innermost. */
  function nest(heap: Heap, depth: number, wrap: (inner: Ref) => Ref, leaf: Ref): Ref {
    let x = leaf;
    for (let i = 0; i < depth; i++) {
      const outer = wrap(x);
      heap.decref(x);
      x = outer;
    }
    return x;
  }

  const lists = (heap: Heap, n: number): Ref => nest(heap, n - 1, (x) => heap.newList([x]), heap.newList());
  const tuples = (heap: Heap, n: number): Ref => nest(heap, n - 1, (x) => heap.newTuple([x]), heap.newTuple());
  const dicts = (heap: Heap, n: number): Ref =>
    nest(
      heap,
      n - 1,
      (x) => {
        const d = heap.newDict();
        heap.dictSet(d, heap.newStr('a'), x);
        return d;
      },
      heap.newDict(),
    );

  function raised(body: () => unknown): unknown {
    try {
      body();
    } catch (error) {
      return error;
    }
    return undefined;
  }

  function expectRecursionError(body: () => unknown): void {
    const error = raised(body);
    expect(error).not.toBeInstanceOf(RangeError);
    expect(error).toBeInstanceOf(PyRecursionError);
    expect(error).toBeInstanceOf(RefheapError);
    expect((error as PyRecursionError).pythonName).toBe('RecursionError');
    expect((error as PyRecursionError).message).toBe(MESSAGE);
  }

  it('a list nested 5,000 deep raises PyRecursionError (RecursionError), not a JS RangeError', () => {
    const heap = new Heap();
    expectRecursionError(() => heap.repr(lists(heap, 5000)));
  });

  it.each([
    ['lists', lists],
    ['tuples', tuples],
    ['dicts', dicts],
  ])('%s nested 5,000 and 100,000 deep raise PyRecursionError', (_name, build) => {
    const heap = new Heap();
    expectRecursionError(() => heap.repr(build(heap, 5000)));
    expectRecursionError(() => heap.repr(build(heap, 100_000)));
  });

  it.each([
    ['lists', lists, '[]'],
    ['tuples', tuples, '()'],
    ['dicts', dicts, '{}'],
  ])('%s: 998 deep print (as from a python3 module), 999 deep raise', (_name, build, innermost) => {
    const heap = new Heap();
    const text = heap.repr(build(heap, 998));
    expect(text.includes(innermost)).toBe(true);
    expect(text.length).toBeGreaterThanOrEqual(998 * 2);
    expectRecursionError(() => heap.repr(build(heap, 999)));
  });

  it('the innermost atom counts too: 997 lists around an int print, 998 raise', () => {
    const heap = new Heap();
    const around = (n: number): Ref => nest(heap, n, (x) => heap.newList([x]), heap.newInt(1));
    expect(heap.repr(around(997))).toBe(`${'['.repeat(997)}1${']'.repeat(997)}`);
    expectRecursionError(() => heap.repr(around(998)));
  });

  it('a set costs two levels (CPython reprs a temporary list of its items), an empty set one', () => {
    const heap = new Heap();
    // {((…((),)…),)}: one set around a chain of tuples; python3 prints 997 containers, raises at 998.
    const setOfTuples = (n: number): Ref => {
      const chain = tuples(heap, n - 1);
      const set = heap.newSet([chain]);
      heap.decref(chain);
      return set;
    };
    expect(heap.repr(setOfTuples(997))).toMatch(/^\{\(\(/);
    expectRecursionError(() => heap.repr(setOfTuples(998)));
    expectRecursionError(() => heap.repr(setOfTuples(5000)));
    // [[…set()…]]: 997 lists around an empty set print, 998 raise; around {1}, 995 print and 996 raise.
    const around = (n: number, leaf: Ref): Ref => nest(heap, n, (x) => heap.newList([x]), leaf);
    expect(heap.repr(around(997, heap.newSet()))).toContain('[set()]');
    expectRecursionError(() => heap.repr(around(998, heap.newSet())));
    const one = heap.newInt(1);
    expect(heap.repr(around(995, heap.newSet([one])))).toContain('[{1}]');
    expectRecursionError(() => heap.repr(around(996, heap.newSet([one]))));
  });

  it('instances whose repr hook reprs what they hold share the depth: 5,000 deep raises PyRecursionError', () => {
    const heap = new Heap();
    const Box = heap.defineClass('Box', {
      slots: ['inner'],
      repr: (h, self) => `Box(${h.repr(h.getSlot(self, 0))})`,
    });
    const box = (inner: Ref): Ref => {
      const b = heap.newInstance(Box);
      heap.setSlot(b, 0, inner);
      return b;
    };
    const boxes = (n: number): Ref => nest(heap, n, box, heap.newInt(7));
    // Each hook is one level (a native tp_repr): 997 boxes around an int print, 998 raise.
    expect(heap.repr(boxes(997))).toBe(`${'Box('.repeat(997)}7${')'.repeat(997)}`);
    expectRecursionError(() => heap.repr(boxes(998)));
    expectRecursionError(() => heap.repr(boxes(5000)));
    // Boxes and lists alternating, 5,000 deep.
    let i = 0;
    const mixed = nest(heap, 5000, (x) => (i++ % 2 === 0 ? box(x) : heap.newList([x])), heap.newList());
    expectRecursionError(() => heap.repr(mixed));
  });

  it('a repr hook that reprs the container it sits in sees [...] and {...}, as CPython’s __repr__ does', () => {
    const heap = new Heap();
    const list = heap.newList();
    const dict = heap.newDict();
    const C = heap.defineClass('C', { repr: (h) => `C${h.repr(list)}` });
    const D = heap.defineClass('D', { repr: (h) => `D${h.repr(dict)}` });
    heap.append(list, heap.newInstance(C));
    heap.dictSet(dict, heap.newStr('k'), heap.newInstance(D));
    // python3: class C: __repr__ = lambda s: 'C' + repr(l); l = [C()]; repr(l) == '[C[...]]'
    expect(heap.repr(list)).toBe('[C[...]]');
    expect(heap.repr(dict)).toBe("{'k': D{...}}");
  });

  it('after a RecursionError the next repr starts from depth 0 and prints the recursion guard as before', () => {
    const heap = new Heap();
    expectRecursionError(() => heap.repr(lists(heap, 5000)));
    const l = heap.newList();
    heap.append(l, l);
    expect(heap.repr(l)).toBe('[[...]]');
    expect(heap.repr(lists(heap, 998)).length).toBe(998 * 2);
  });

  it('a hook that catches the RecursionError gets it, and the depth is unwound for the rest of the repr', () => {
    const heap = new Heap();
    const deep = lists(heap, 5000);
    const Careful = heap.defineClass('Careful', {
      repr: (h) => {
        try {
          return h.repr(deep);
        } catch (error) {
          return error instanceof PyRecursionError ? '<too deep>' : 'other';
        }
      },
    });
    const outer = heap.newList([heap.newInstance(Careful), heap.newInt(1)]);
    expect(heap.repr(outer)).toBe('[<too deep>, 1]');
  });

  it('called with the JS stack already nearly used up, repr still raises PyRecursionError, not RangeError', () => {
    const heap = new Heap();
    // 997 lists, each holding a str that needs escaping (strRepr's regex runs at every level).
    const deep = nest(
      heap,
      996,
      (x) => {
        const text = heap.newStr('tab\there\u200b');
        const l = heap.newList([text, x]);
        heap.decref(text);
        return l;
      },
      heap.newList(),
    );
    const at = (n: number, body: () => string): string => (n > 0 ? at(n - 1, body) : body());
    // How many frames of `at` the stack holds here: double, then bisect.
    const fits = (n: number): boolean => {
      try {
        at(n, () => '');
        return true;
      } catch {
        return false;
      }
    };
    let room = 1000;
    while (fits(room * 2)) room *= 2;
    for (let step = room / 2; step >= 1; step = Math.floor(step / 2)) if (fits(room + step)) room += step;
    // Walk the stack up until `at` alone no longer fits: before that, repr runs out of stack inside
    // itself. (Bounding the walk by `room` less a headroom was flaky: V8 may compile `at` between
    // the probe and the walk, its frames shrink, and repr never came near the end.) At the very
    // edge the stack can run out before repr's own frames, in the test's (a RangeError no code
    // could turn into anything else), so a RangeError is allowed in the last trial alone.
    const outcomes: string[] = [];
    const step = Math.max(1, Math.floor(room / 256));
    for (let used = 0; ; used += step) {
      try {
        outcomes.push(
          at(used, () => {
            const error = raised(() => heap.repr(deep));
            return error === undefined ? 'printed' : (error as Error).constructor.name;
          }),
        );
      } catch {
        break; // the stack ran out before repr was called
      }
    }
    const inside = outcomes.at(-1) === 'RangeError' ? outcomes.slice(0, -1) : outcomes;
    expect(inside).toContain('printed');
    expect(inside).toContain('PyRecursionError'); // the stack ran out inside repr, and that became RecursionError
    expect(inside.filter((o) => o !== 'printed' && o !== 'PyRecursionError')).toEqual([]);
  });
});
