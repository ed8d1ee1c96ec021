/**
 * WeakValueMap against CPython's WeakValueDictionary: every verb, keys compared as Python
 * compares them, entries vanishing the moment their value dies — also in the middle of an
 * iteration (the guard defers the removal; nothing is skipped, nothing crashes).
 */
import { ForeignHeapError, type Handle, Handles, Heap, NULL, PyKeyError, PyTypeError } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { WeakValueMap, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; A: ReturnType<Heap['defineClass']> } {
  const heap = new Heap({ unraisable: (info) => { throw info.error; } });
  const py = new Handles(heap);
  return { heap, py, A: py.defineClass('A') };
}

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('WeakValueMap', () => {
  it('set, get, has, size; the entry vanishes when the value dies', () => {
    const { py, A } = setup();
    const map = new WeakValueMap<string>(py.heap);
    const a = py.new(A);
    map.set('a', a);
    expect(map.size).toBe(1);
    expect(map.len()).toBe(1);
    expect(map.has('a')).toBe(true);
    const got = map.get('a')!;
    expect(got.is(a)).toBe(true);
    got.release();
    expect(a.refcount).toBe(1); // the map holds it weakly
    a.release();
    expect(map.size).toBe(0);
    expect(map.has('a')).toBe(false);
    expect(map.get('a')).toBeUndefined();
    expect(map.getRef('a')).toBe(NULL);
    py.heap.verify();
  });

  it('works on raw refs too', () => {
    const { heap, A } = setup();
    const map = new WeakValueMap<number>(Weakrefs.of(heap));
    const x = heap.newInstance(A);
    map.set(7, x);
    expect(map.getRef(7)).toBe(x);
    heap.decref(x);
    expect(map.getRef(7)).toBe(NULL);
    expect(map.size).toBe(0);
  });

  it('setting a key again replaces the value; the old value no longer removes the entry when it dies', () => {
    const { py, A } = setup();
    const map = new WeakValueMap<string>(py.heap);
    const a = py.new(A);
    using b = py.new(A);
    map.set('k', a).set('k', b);
    expect(map.size).toBe(1);
    a.release();
    expect(map.size).toBe(1);
    expect(map.get('k')?.is(b)).toBe(true);
    py.heap.verify();
  });

  it('keys compare as Python keys: 1, 1.0, true and an int handle are one key; "a" and a str handle are one', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    using a = py.new(A);
    using b = py.new(A);
    map.set(1, a);
    map.set(1.0, a);
    map.set(true, a);
    using one = py.int(1);
    map.set(one, a);
    map.set(1n, a);
    expect(map.size).toBe(1);
    expect([...map.keys()]).toEqual([1]); // the first key given is kept, as a dict keeps it
    map.set('text', b);
    using text = py.str('text');
    expect(map.get(text)?.is(b)).toBe(true);
    map.set(null, b);
    using none = py.none();
    expect(map.has(none)).toBe(true);
    map.set(2 ** 60, b);
    expect(map.has(BigInt(2 ** 60))).toBe(true);
    map.set('\u0000odd', b);
    expect(map.has('\u0000odd')).toBe(true);
    using odd = py.str('\u0000odd');
    expect(map.has(odd)).toBe(true);
    expect(map.size).toBe(5);
  });

  it('a heap-object key is held strongly and released with its entry', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    const key = py.tuple([1, 2]);
    const value = py.new(A);
    map.set(key, value);
    expect(key.refcount).toBe(2);
    using sameKey = py.tuple([1, 2]);
    const found = map.get(sameKey);
    expect(found?.is(value)).toBe(true);
    found?.release();
    const keys = [...map.keys()];
    expect(keys).toHaveLength(1);
    expect((keys[0] as Handle).released).toBe(true); // iteration handles live one step
    value.release();
    expect(key.refcount).toBe(1);
    key.release();
    using list = py.list();
    expect(() => map.set(list, 1)).toThrow("unhashable type: 'list'");
  });

  it('a value that cannot be weakly referenced raises TypeError and leaves no entry', () => {
    const { py } = setup();
    const map = new WeakValueMap<string>(py.heap);
    using n = py.int(1000);
    expect(() => map.set('n', n)).toThrow("cannot create weak reference to 'int' object");
    expect(map.size).toBe(0);
  });

  it('delete, pop (with and without a default), popitem, setDefault, clear', () => {
    const { py, A } = setup();
    const map = new WeakValueMap<string>(py.heap);
    using a = py.new(A);
    using b = py.new(A);
    using c = py.new(A);
    map.set('a', a).set('b', b).set('c', c);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    const popped = map.pop('b');
    expect(popped.is(b)).toBe(true);
    popped.release();
    expect(map.pop('b', 'none')).toBe('none');
    expect(thrown(() => map.pop('b'))).toMatchObject({ name: 'PyKeyError', message: "'b'" });
    const [key, value] = map.popitem();
    expect(key).toBe('c');
    expect(value.is(c)).toBe(true);
    value.release();
    expect(() => map.popitem()).toThrow(PyKeyError);
    expect(thrown(() => map.popitem())).toMatchObject({ message: 'popitem(): dictionary is empty' });
    const first = map.setDefault('x', a);
    expect(first.is(a)).toBe(true);
    const second = map.setDefault('x', b);
    expect(second.is(a)).toBe(true);
    first.release();
    second.release();
    map.set('y', b);
    map.clear();
    expect(map.size).toBe(0);
    expect(a.refcount).toBe(1);
    py.heap.verify();
  });

  it('iteration: entries, keys, values; handles are valid until the next step', () => {
    const { py, A } = setup();
    const objs = [py.new(A), py.new(A), py.new(A)];
    const map = new WeakValueMap<number>(
      py.heap,
      objs.map((o, i) => [i, o]),
    );
    const seen: number[] = [];
    for (const [key, value] of map) {
      expect(value.is(objs[key]!)).toBe(true);
      expect(value.released).toBe(false);
      seen.push(key);
    }
    expect(seen).toEqual([0, 1, 2]);
    expect([...map.keys()]).toEqual([0, 1, 2]);
    const values = [...map.values()];
    expect(values.every((v) => v.released)).toBe(true);
    const kept = [...map.values()].length;
    expect(kept).toBe(3);
    for (const o of objs) expect(o.refcount).toBe(1);
    for (const o of objs) o.release();
    expect([...map]).toEqual([]);
  });

  it('a value dying during iteration vanishes from view but the iteration keeps its place', () => {
    const { py, A } = setup();
    const objs = Array.from({ length: 5 }, () => py.new(A));
    const map = new WeakValueMap<number>(py.heap);
    objs.forEach((o, i) => map.set(i, o));
    const visited: number[] = [];
    for (const [key] of map) {
      visited.push(key);
      if (key === 1) {
        objs[1]!.release(); // the current one: the iteration holds it until it moves on (as CPython's does)
        objs[3]!.release(); // one not reached yet
        expect(map.size).toBe(4);
        expect(map.has(3)).toBe(false);
        expect(map.get(3)).toBeUndefined();
      }
      if (key === 2) expect(map.has(1)).toBe(false);
    }
    expect(visited).toEqual([0, 1, 2, 4]);
    expect(map.size).toBe(3);
    expect([...map.keys()]).toEqual([0, 2, 4]);
    for (const i of [0, 2, 4]) objs[i]!.release();
    expect(map.size).toBe(0);
    py.heap.verify();
  });

  it('removals wait for the last of several iterations, including one abandoned with break', () => {
    const { py, A } = setup();
    const objs = Array.from({ length: 3 }, () => py.new(A));
    const map = new WeakValueMap<number>(py.heap);
    objs.forEach((o, i) => map.set(i, o));
    const outer = map.keys(); // keys do not hold the values
    expect(outer.next().value).toBe(0);
    for (const key of map.keys()) {
      if (key === 0) objs[0]!.release();
      if (key === 1) break;
    }
    expect(map.size).toBe(2);
    expect([...outer]).toEqual([1, 2]); // finishes the outer one: removals are committed
    expect(map.size).toBe(2);
    map.set(0, objs[1]!); // the slot of the dead entry is reused cleanly
    expect(map.size).toBe(3);
    objs[1]!.release();
    objs[2]!.release();
    expect(map.size).toBe(0);
    py.heap.verify();
  });

  it('setting a key whose value died during an iteration revives the entry', () => {
    const { py, A } = setup();
    const a = py.new(A);
    using b = py.new(A);
    const map = new WeakValueMap<string>(py.heap);
    map.set('k', a);
    for (const _ of map.keys()) {
      a.release();
      expect(map.size).toBe(0);
      map.set('k', b);
      expect(map.size).toBe(1);
    }
    expect(map.get('k')?.is(b)).toBe(true);
    expect(map.size).toBe(1);
  });

  it('explicit changes during an iteration follow JS Map rules: deleted entries are not visited, added ones are', () => {
    const { py, A } = setup();
    using a = py.new(A);
    const map = new WeakValueMap<string>(py.heap);
    map.set('x', a).set('y', a).set('z', a);
    const visited: string[] = [];
    for (const [key] of map) {
      visited.push(key);
      if (key === 'x') {
        map.delete('y');
        map.set('w', a);
      }
    }
    expect(visited).toEqual(['x', 'z', 'w']);
    map.clear();
  });

  it('valuerefs and itervaluerefs hand out the weak references; holding one after removal is harmless', () => {
    const { py, A } = setup();
    const a = py.new(A);
    using b = py.new(A);
    const map = new WeakValueMap<string>(py.heap);
    map.set('a', a).set('b', b);
    const refs = map.valuerefs();
    expect(refs.map((r) => r.deref()?.is(a) ?? false)).toEqual([true, false]);
    for (const r of map.itervaluerefs()) expect(r.alive).toBe(true);
    map.delete('a');
    map.set('a', b); // the entry is reused by another value
    a.release(); // the old weak reference's callback fires but the entry is no longer its
    expect(map.get('a')?.is(b)).toBe(true);
    expect(map.size).toBe(2);
    for (const r of refs) r.release();
    py.heap.verify();
  });

  it('copy and update', () => {
    const { py, A } = setup();
    using a = py.new(A);
    const map = new WeakValueMap<string>(py.heap).update([['a', a]]);
    const copy = map.copy();
    expect(copy.get('a')?.is(a)).toBe(true);
    map.delete('a');
    expect(copy.size).toBe(1);
    expect(String(copy)).toBe('<WeakValueMap with 1 entries>');
  });

  it('churn: many sets and deaths leave nothing behind', () => {
    const { heap, A } = setup();
    const map = new WeakValueMap<number>(heap);
    const weakrefs = Weakrefs.of(heap);
    const live = heap.liveObjects;
    let hits = 0;
    for (let i = 0; i < 20_000; i++) {
      const key = i & 1023;
      const x = heap.newInstance(A);
      map.set(key, x);
      if (map.getRef(key) === x) hits++;
      heap.decref(x);
    }
    expect(hits).toBe(20_000);
    expect(map.size).toBe(0);
    expect(weakrefs.count).toBe(0);
    expect(heap.liveObjects).toBe(live);
    heap.verify();
  });

  it('refuses handles from another heap, as keys and as values', () => {
    const { py } = setup();
    const other = new Handles(new Heap());
    using foreign = other.new(other.defineClass('O'));
    const map = new WeakValueMap(py.heap);
    expect(() => map.set('k', foreign)).toThrow(ForeignHeapError);
    expect(() => map.get(foreign)).toThrow(ForeignHeapError);
    expect(map.size).toBe(0);
  });

  it('rejects keys that are not keys', () => {
    const { py } = setup();
    const map = new WeakValueMap(py.heap);
    expect(() => map.get(undefined as unknown as string)).toThrow(PyTypeError);
    expect(() => map.get({} as unknown as string)).toThrow(PyTypeError);
  });
});

/**
 * NaN keys, as python3 3.11's WeakValueDictionary keeps them. NaN is not equal to itself, so a
 * dict finds a NaN key only by identity: `d[n] = a; d[n] = b` with one float object `n` is one
 * entry, two NaN objects are two entries, and `d[float('nan')]` — a new object — finds nothing.
 * A JS NaN has no identity; like every JS key it stands for the heap object it converts to,
 * and a NaN converts to a new float each time (as `py.dict([[NaN, 1], [NaN, 2]])` shows).
 */
describe('WeakValueMap NaN keys follow dict identity semantics', () => {
  it('a JS NaN key is a new float each time, as d[float("nan")] is: two sets make two entries and no NaN finds either', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    const a = py.new(A);
    const b = py.new(A);
    using c = py.new(A);
    map.set(Number.NaN, a);
    map.set(Number.NaN, b);
    expect(map.size).toBe(2);
    expect(map.get(Number.NaN)).toBeUndefined();
    expect(map.getRef(Number.NaN)).toBe(NULL);
    expect(map.has(Number.NaN)).toBe(false);
    expect(map.delete(Number.NaN)).toBe(false);
    expect(map.size).toBe(2);
    const error = thrown(() => map.pop(Number.NaN));
    expect(error).toBeInstanceOf(PyKeyError);
    expect((error as PyKeyError).message).toBe('nan');
    expect(map.pop(Number.NaN, 'fallback')).toBe('fallback');
    using stored = map.setDefault(Number.NaN, c); // python3: setdefault(float('nan'), c) stores c
    expect(stored.is(c)).toBe(true);
    expect(map.size).toBe(3);
    expect([...map.keys()].map(String)).toEqual(['NaN', 'NaN', 'NaN']);
    // Each entry still goes with its value.
    a.release();
    expect(map.size).toBe(2);
    b.release();
    expect(map.size).toBe(1);
    py.heap.verify();
  });

  it('agrees with the Handles dict, which converts each JS NaN to a new float', () => {
    const { py } = setup();
    using d = py.dict([
      [Number.NaN, 1],
      [Number.NaN, 2],
    ]);
    expect(d.repr()).toBe('{nan: 1, nan: 2}');
    expect(() => d.get(Number.NaN)).toThrow(PyKeyError);
  });

  it('one heap NaN float is one key: set twice it is one entry, found by that same object', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    using a = py.new(A);
    using b = py.new(A);
    using n = py.float(Number.NaN);
    map.set(n, a);
    map.set(n, b);
    expect(map.size).toBe(1);
    expect(map.get(n)?.is(b)).toBe(true);
    expect(map.has(Number.NaN)).toBe(false); // a fresh float('nan') is another object
    expect(map.delete(n)).toBe(true);
    expect(map.size).toBe(0);
  });

  it('two heap NaN floats are two keys, each found by itself only; tuples holding them follow the same rule', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    using a = py.new(A);
    using b = py.new(A);
    using n = py.float(Number.NaN);
    using m = py.float(Number.NaN);
    map.set(n, a);
    map.set(m, b);
    expect(map.size).toBe(2);
    expect(map.get(n)?.is(a)).toBe(true);
    expect(map.get(m)?.is(b)).toBe(true);
    // python3: len({(n,): 1, (n,): 2}) == 1 and len({(n,): 1, (m,): 2}) == 2
    const tuples = new WeakValueMap(py.heap);
    using tn1 = py.tuple([n]);
    using tn2 = py.tuple([n]);
    using tm = py.tuple([m]);
    tuples.set(tn1, a);
    tuples.set(tn2, b);
    expect(tuples.size).toBe(1);
    tuples.set(tm, a);
    expect(tuples.size).toBe(2);
    expect(tuples.get(tn1)?.is(b)).toBe(true);
  });

  it('0, -0 and 0.0 stay one key, as 0 == -0.0 in Python', () => {
    const { py, A } = setup();
    const map = new WeakValueMap(py.heap);
    using a = py.new(A);
    map.set(0, a);
    map.set(-0, a);
    using zero = py.float(-0);
    map.set(zero, a);
    expect(map.size).toBe(1);
    expect(map.has(0)).toBe(true);
  });
});
