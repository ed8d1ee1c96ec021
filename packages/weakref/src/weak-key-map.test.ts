/**
 * WeakKeyMap against CPython's WeakKeyDictionary: keys held weakly and compared by
 * identity, values held as JS values, entries vanishing the moment their key dies — also
 * during iteration — and a key index reused by a new object never confused with the dead.
 */
import { Handles, Heap, PyKeyError, PyTypeError, UseAfterFreeError } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { WeakKeyMap, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; A: ReturnType<Heap['defineClass']> } {
  const heap = new Heap({
    unraisable: (info) => {
      throw info.error;
    },
  });
  const py = new Handles(heap);
  return { heap, py, A: py.defineClass('A') };
}

describe('WeakKeyMap', () => {
  it('associates data with objects without keeping them alive', () => {
    const { py, A } = setup();
    const labels = new WeakKeyMap<string>(py.heap);
    const a = py.new(A);
    using b = py.new(A);
    labels.set(a, 'first').set(b, 'second');
    expect(labels.get(a)).toBe('first');
    expect(labels.has(b)).toBe(true);
    expect(labels.size).toBe(2);
    expect(a.refcount).toBe(1);
    a.release();
    expect(labels.size).toBe(1);
    expect([...labels.values()]).toEqual(['second']);
    py.heap.verify();
  });

  it('setting an existing key replaces the value and keeps the entry', () => {
    const { py, A } = setup();
    const map = new WeakKeyMap<number>(py.heap);
    using a = py.new(A);
    map.set(a, 1).set(a.ref, 2);
    expect(map.size).toBe(1);
    expect(map.get(a)).toBe(2);
    expect(Weakrefs.of(py.heap).getWeakrefCount(a.ref)).toBe(1);
  });

  it('keys that cannot be weakly referenced: set and get raise TypeError, has says false', () => {
    const { py } = setup();
    const map = new WeakKeyMap<number>(py.heap);
    using n = py.int(1000);
    expect(() => map.set(n, 1)).toThrow("cannot create weak reference to 'int' object");
    expect(() => map.get(n)).toThrow(PyTypeError);
    expect(map.has(n)).toBe(false);
    expect(map.delete(n)).toBe(false);
  });

  it('get with a default, delete, pop, popitem, setDefault, clear', () => {
    const { py, A } = setup();
    const map = new WeakKeyMap<string>(py.heap);
    using a = py.new(A);
    using b = py.new(A);
    using c = py.new(A);
    expect(map.get(a, 'none')).toBe('none');
    expect(map.get(a)).toBeUndefined();
    map.set(a, 'a').set(b, 'b').set(c, 'c');
    expect(map.delete(a)).toBe(true);
    expect(map.delete(a)).toBe(false);
    expect(map.pop(b)).toBe('b');
    expect(map.pop(b, 'gone')).toBe('gone');
    expect(() => map.pop(b)).toThrow(PyKeyError);
    const [key, value] = map.popitem();
    expect(key.is(c)).toBe(true);
    expect(value).toBe('c');
    key.release();
    expect(() => map.popitem()).toThrow('popitem(): dictionary is empty');
    expect(map.setDefault(a, 'x')).toBe('x');
    expect(map.setDefault(a, 'y')).toBe('x');
    map.clear();
    expect(map.size).toBe(0);
    expect(Weakrefs.of(py.heap).count).toBe(0);
  });

  it('iteration gives key handles valid one step; keyrefs gives weak references', () => {
    const { py, A } = setup();
    const objs = [py.new(A), py.new(A)];
    const map = new WeakKeyMap<number>(py.heap, objs.map((o, i) => [o, i]));
    const keys = [...map.keys()];
    expect(keys.every((k) => k.released)).toBe(true);
    for (const [key, value] of map) expect(key.is(objs[value]!)).toBe(true);
    const refs = map.keyrefs();
    expect(refs.map((r) => r.alive)).toEqual([true, true]);
    objs[0]!.release();
    expect(refs.map((r) => r.alive)).toEqual([false, true]);
    expect(map.size).toBe(1);
    for (const r of refs) r.release();
    objs[1]!.release();
    expect(map.size).toBe(0);
    py.heap.verify();
  });

  it('a key dying during iteration is deferred; a new object that takes its index is a different key', () => {
    const { heap, py, A } = setup();
    const map = new WeakKeyMap<string>(heap);
    const a = py.new(A);
    using b = py.new(A);
    map.set(a, 'a').set(b, 'b');
    const aRef = a.ref;
    const visited: string[] = [];
    for (const value of map.values()) {
      visited.push(value);
      if (value === 'a') {
        a.release();
        expect(map.size).toBe(1);
        // The freed index is handed to the next object: it must not find 'a'.
        const reborn = py.new(A);
        expect(reborn.ref).toBe(aRef);
        expect(map.has(reborn)).toBe(false);
        expect(map.get(reborn)).toBeUndefined();
        map.set(reborn, 'reborn');
        expect(map.get(reborn)).toBe('reborn');
        expect(map.size).toBe(2);
        reborn.release();
        expect(map.size).toBe(1);
      }
    }
    expect(visited).toEqual(['a', 'b']);
    expect(map.size).toBe(1);
    expect([...map.values()]).toEqual(['b']);
    heap.verify();
  });

  it('copy and update', () => {
    const { py, A } = setup();
    using a = py.new(A);
    const map = new WeakKeyMap<number>(py.heap).update([[a, 1]]);
    const copy = map.copy();
    map.set(a, 2);
    expect(copy.get(a)).toBe(1);
    expect(String(copy)).toBe('<WeakKeyMap with 1 entries>');
  });

  it('a freed key is an error, not a silent miss', () => {
    const { heap, A } = setup();
    const map = new WeakKeyMap<number>(heap);
    const a = heap.newInstance(A);
    heap.decref(a);
    expect(() => map.has(a)).toThrow(UseAfterFreeError);
  });
});
