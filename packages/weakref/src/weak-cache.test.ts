/**
 * WeakCache — the seeds' exercise: create on a miss, the very same object on a hit, never
 * keep an object alive, count hits, misses and evictions.
 */
import { type Handle, Handles, Heap, PyTypeError, type Ref } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { WeakCache } from './index.ts';

function setup(): { heap: Heap; py: Handles; Expensive: ReturnType<Heap['defineClass']> } {
  const heap = new Heap({
    unraisable: (info) => {
      throw info.error;
    },
  });
  const py = new Handles(heap);
  return { heap, py, Expensive: py.defineClass('ExpensiveObject') };
}

describe('WeakCache', () => {
  it('creates on a miss, returns the very same object on a hit, and does not keep it alive', () => {
    const { py, Expensive } = setup();
    const cache = new WeakCache<string>(py.heap);
    let created = 0;
    const create = (): Handle => {
      created++;
      return py.new(Expensive);
    };
    const obj1 = cache.get('key1', create);
    const obj2 = cache.get('key1', create);
    expect(obj1.is(obj2)).toBe(true);
    expect(created).toBe(1);
    expect(obj1.refcount).toBe(2); // obj1 and obj2: the cache holds none
    expect(cache.stats).toEqual({ hits: 1, misses: 1, evictions: 0, size: 1 });
    obj1.release();
    obj2.release(); // del obj1, obj2
    expect(cache.size).toBe(0);
    expect(cache.stats.evictions).toBe(1);
    const obj3 = cache.get('key1', create); // a miss again
    expect(created).toBe(2);
    expect(cache.stats).toEqual({ hits: 1, misses: 2, evictions: 1, size: 1 });
    obj3.release();
    py.heap.verify();
  });

  it('passes the key to create; peek, has, delete, clear, keys and resetStats', () => {
    const { py, Expensive } = setup();
    const cache = new WeakCache<number>(py.heap);
    const made: number[] = [];
    const create = (key: number): Handle => {
      made.push(key);
      return py.new(Expensive, { key });
    };
    using a = cache.get(1, create);
    using b = cache.get(2, create);
    expect(made).toEqual([1, 2]);
    expect(a.read('key')).toBe(1);
    const peeked = cache.peek(2)!;
    expect(peeked.is(b)).toBe(true);
    peeked.release();
    expect(cache.peek(3)).toBeUndefined();
    expect(cache.stats.hits + cache.stats.misses).toBe(2);
    expect([...cache.keys()]).toEqual([1, 2]);
    expect(cache.has(1)).toBe(true);
    expect(cache.delete(1)).toBe(true);
    expect(cache.has(1)).toBe(false);
    expect(a.refcount).toBe(1); // forgetting does not free it
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.stats.evictions).toBe(0); // explicit removal is not an eviction
    cache.resetStats();
    expect(cache.stats).toEqual({ hits: 0, misses: 0, evictions: 0, size: 0 });
  });

  it('a created object that cannot be weakly referenced is released and the error raised', () => {
    const { py } = setup();
    const cache = new WeakCache<string>(py.heap);
    const made: Handle[] = [];
    expect(() =>
      cache.get('k', () => {
        const list = py.list();
        made.push(list);
        return list;
      }),
    ).toThrow(PyTypeError);
    expect(made[0]!.released).toBe(true);
    expect(() => cache.get('k', () => 42 as unknown as Handle)).toThrow(PyTypeError);
  });

  it('an exception from create propagates and caches nothing', () => {
    const { py } = setup();
    const cache = new WeakCache<string>(py.heap);
    expect(() =>
      cache.get('k', () => {
        throw new Error('cannot make it');
      }),
    ).toThrow('cannot make it');
    expect(cache.size).toBe(0);
    expect(cache.stats.misses).toBe(1);
  });

  it('in the raw layer: getRef returns new references', () => {
    const { heap, Expensive } = setup();
    const cache = new WeakCache<string>(heap);
    const create = (): Ref => heap.newInstance(Expensive);
    const x = cache.getRef('x', create);
    const y = cache.getRef('x', create);
    expect(y).toBe(x);
    expect(heap.refcount(x)).toBe(2);
    heap.decref(x);
    heap.decref(y);
    expect(cache.size).toBe(0);
    expect(cache.stats).toEqual({ hits: 1, misses: 1, evictions: 1, size: 0 });
    const list = heap.newList();
    expect(() => cache.getRef('l', () => list)).toThrow(PyTypeError);
    expect(heap.isAlive(list)).toBe(false);
  });

  it('evictions while many objects come and go', () => {
    const { heap, Expensive } = setup();
    const cache = new WeakCache<number>(heap);
    const held: Ref[] = [];
    for (let i = 0; i < 1000; i++) {
      const obj = cache.getRef(i % 100, () => heap.newInstance(Expensive));
      if (i % 10 === 0) held.push(obj);
      else heap.decref(obj);
    }
    expect(cache.size).toBe(new Set(held).size);
    const { hits, misses, evictions } = cache.stats;
    expect(hits + misses).toBe(1000);
    expect(misses - evictions).toBe(cache.size);
    for (const obj of held) heap.decref(obj);
    expect(cache.size).toBe(0);
    heap.verify();
  });

  it('a JS NaN key never hits, as a cache keyed on float("nan") never does; a heap NaN float hits by identity', () => {
    const { py, Expensive } = setup();
    const cache = new WeakCache(py.heap);
    const create = (): Handle => py.new(Expensive);
    using first = cache.get(Number.NaN, create);
    using second = cache.get(Number.NaN, create);
    expect(first.is(second)).toBe(false);
    expect(cache.stats).toEqual({ hits: 0, misses: 2, evictions: 0, size: 2 });
    using nan = py.float(Number.NaN);
    using third = cache.get(nan, create);
    using fourth = cache.get(nan, create);
    expect(third.is(fourth)).toBe(true);
    expect(cache.stats.hits).toBe(1);
  });
});
