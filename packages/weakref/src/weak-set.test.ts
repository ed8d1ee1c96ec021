/**
 * WeakSet against CPython's _weakrefset.WeakSet: add, has, discard, remove, pop, update,
 * copy, clear, len and iteration, with items vanishing when they die — also during
 * iteration — and the seeds' resource pool.
 */
import { type Handle, Handles, Heap, PyKeyError } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { WeakSet, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; A: ReturnType<Heap['defineClass']> } {
  const heap = new Heap({
    unraisable: (info) => {
      throw info.error;
    },
  });
  const py = new Handles(heap);
  return { heap, py, A: py.defineClass('A') };
}

describe('WeakSet', () => {
  it('add, has, size; an item vanishes when it dies', () => {
    const { py, A } = setup();
    const set = new WeakSet(py.heap);
    const a = py.new(A);
    using b = py.new(A);
    set.add(a).add(b).add(a);
    expect(set.size).toBe(2);
    expect(set.has(a)).toBe(true);
    a.release();
    expect(set.size).toBe(1);
    expect(set.len()).toBe(1);
    py.heap.verify();
  });

  it('discard, delete, remove, pop, clear', () => {
    const { py, A } = setup();
    using a = py.new(A);
    using b = py.new(A);
    using c = py.new(A);
    const set = new WeakSet(py.heap, [a, b, c]);
    expect(set.discard(a)).toBe(true);
    expect(set.discard(a)).toBe(false);
    expect(set.delete(b)).toBe(true);
    expect(() => set.remove(b)).toThrow(PyKeyError);
    const popped = set.pop();
    expect(popped.is(c)).toBe(true);
    popped.release();
    expect(() => set.pop()).toThrow('pop from empty WeakSet');
    set.update([a, b]);
    set.clear();
    expect(set.size).toBe(0);
    expect(Weakrefs.of(py.heap).count).toBe(0);
  });

  it('has() is false for objects that cannot be weakly referenced; add() raises', () => {
    const { py } = setup();
    const set = new WeakSet(py.heap);
    using n = py.int(1000);
    expect(set.has(n)).toBe(false);
    expect(() => set.add(n)).toThrow("cannot create weak reference to 'int' object");
  });

  it('iteration hands out handles valid one step; items dying meanwhile are not visited', () => {
    const { py, A } = setup();
    const objs = Array.from({ length: 4 }, () => py.new(A));
    const set = new WeakSet(py.heap, objs);
    const seen: Handle[] = [];
    for (const item of set) {
      seen.push(item);
      if (item.is(objs[0]!)) objs[2]!.release();
    }
    expect(seen).toHaveLength(3);
    expect(seen.every((h) => h.released)).toBe(true);
    expect(set.size).toBe(3);
    const copy = set.copy();
    expect(copy.size).toBe(3);
    for (const i of [0, 1, 3]) objs[i]!.release();
    expect(set.size).toBe(0);
    expect(copy.size).toBe(0);
    expect(String(set)).toBe('<WeakSet with 0 items>');
    py.heap.verify();
  });
});

describe("the seeds' resource pool", () => {
  it('counts active resources with a WeakSet; a released resource is no longer active', () => {
    // class ResourcePool: def __init__(self): self._resources = weakref.WeakSet() …
    const { py } = setup();
    const Resource = py.defineClass('Resource');
    class ResourcePool {
      readonly #resources = new WeakSet(py.heap);
      acquire(): Handle {
        const resource = py.new(Resource, { data: py.list() });
        this.#resources.add(resource);
        return resource;
      }
      activeCount(): number {
        return this.#resources.size;
      }
    }
    const pool = new ResourcePool();
    py.scope(() => {
      const resource = pool.acquire(); // with managed_resource(pool) as res:
      expect(pool.activeCount()).toBe(1);
      resource.set('data', null); // resource.close()
    });
    expect(pool.activeCount()).toBe(0); // Active resources: 0
  });
});
