/**
 * The heap's limits and its guards against bad input from JS: what happens at the edge of a
 * count, of the id space, of the slot pool, and with arguments TypeScript cannot police.
 */
import { describe, expect, it } from 'vitest';
import { addressOf, MAX_OBJECTS } from './address.ts';
import { PyTypeError, RefcountError } from './errors.ts';
import { Handles } from './handles.ts';
import { Heap } from './heap.ts';
import type { Ref } from './ref.ts';

describe('freed tuples', () => {
  it('give their whole slot block back, so churning tuples does not grow the pool', () => {
    const heap = new Heap();
    const [a, b, c] = [heap.newList(), heap.newList(), heap.newList()];
    const churn = (): void => {
      for (let i = 0; i < 20_000; i++) heap.decref(heap.newTuple([a, b, c]));
      for (let i = 0; i < 20_000; i++) heap.decref(heap.newFunction('f', [a, b]));
    };
    churn();
    const words = heap.stats().slotWords;
    churn();
    expect(heap.stats().slotWords).toBe(words);
    heap.verify();
  });
});

describe('a count at its ceiling', () => {
  // The raw count column is public (collectors read it): a test can start near the ceiling
  // instead of making two billion references.
  it('leaves an immortal object immortal: None survives more references than a count can hold', () => {
    const heap = new Heap();
    const none = heap.None;
    const start = heap.refcount(none);
    heap.refcounts[none] = 0x7fff_ffff - 5;
    for (let i = 0; i < 10; i++) heap.incref(none);
    expect(heap.refcount(none)).toBe(0x7fff_ffff);
    heap.refcounts[none] = 3;
    for (let i = 0; i < 10; i++) heap.decref(none);
    expect(heap.isAlive(none)).toBe(true);
    expect(heap.newNone()).toBe(none);
    heap.refcounts[none] = start;
    heap.verify();
  });

  it('refuses one more reference to any other object with RefcountError, before the count wraps', () => {
    const heap = new Heap();
    const item = heap.newList();
    heap.refcounts[item] = 0x7fff_fffe;
    heap.incref(item);
    expect(() => heap.incref(item)).toThrow(RefcountError);
    expect(() => heap.incref(item)).toThrow(/its count would pass 2147483647/);
    expect(() => heap.newList([item])).toThrow(RefcountError);
    const list = heap.newList();
    expect(() => heap.append(list, item)).toThrow(RefcountError);
    expect(heap.length(list)).toBe(0);
    expect(heap.refcount(item)).toBe(0x7fff_ffff);
    heap.refcounts[item] = 1;
    heap.verify();
  });

  it('refuses a container that would take an item past the ceiling twice, before making anything', () => {
    const heap = new Heap();
    const item = heap.newList();
    heap.refcounts[item] = 0x7fff_fffe; // room for one more reference, not two
    const live = heap.liveObjects;
    for (const make of [() => heap.newTuple([item, item]), () => heap.newList([item, item])]) {
      expect(make).toThrow(RefcountError);
      expect(heap.refcount(item)).toBe(0x7fff_fffe);
      expect(heap.liveObjects).toBe(live);
    }
    heap.decref(heap.newTuple([item])); // one more is still fine
    heap.refcounts[item] = 1;
    heap.verify();
  });
});

describe('ids', () => {
  it('of one heap never reach another heap’s: a heap holds at most MAX_OBJECTS objects', () => {
    expect(addressOf(0, MAX_OBJECTS - 1)).toBeLessThan(addressOf(1, 0));
    expect(addressOf(0, MAX_OBJECTS)).toBe(addressOf(1, 0)); // why the heap stops there
  });
});

describe('a class whose only hook is traverse', () => {
  it('has the hook called: its cycles are found and its referents listed', () => {
    const heap = new Heap();
    const held = new Map<Ref, Ref>();
    const Box = heap.defineClass('Box', {
      slots: ['label'],
      traverse: (_h, self, visit) => {
        const target = held.get(self);
        if (target !== undefined) visit(target);
      },
    });
    const box = heap.newInstance(Box);
    const list = heap.newList();
    held.set(box, list);
    heap.incref(list);
    const seen: Ref[] = [];
    heap.traverse(box, (child) => seen.push(child));
    expect(seen).toEqual([Box.object, list]);
    const children = heap.children(box);
    expect([...heap.childBuffer.subarray(0, children)]).toEqual([Box.object, list]);
  });
});

describe('bad arguments from JS', () => {
  it('newInt refuses a string', () => {
    const heap = new Heap();
    expect(() => heap.newInt('5' as never)).toThrow(new PyTypeError("'str' object cannot be interpreted as an integer"));
  });

  it('newTuple, newList and newSet refuse what is not an array of references', () => {
    const heap = new Heap();
    const list = heap.newList();
    expect(() => heap.newTuple(list as never)).toThrow(/newTuple\(\) takes an array of object references, not int/);
    expect(() => heap.newList(null as never)).toThrow(/newList\(\) takes an array of object references, not NoneType/);
    expect(() => heap.newSet('ab' as never)).toThrow(/newSet\(\) takes an array of object references, not str/);
    heap.verify();
  });

  it('a tuple nested 100,000 deep hashes as a dict key, as CPython hashes it', () => {
    const heap = new Heap();
    let t = heap.newTuple([]);
    for (let i = 0; i < 100_000; i++) {
      const outer = heap.newTuple([t]);
      heap.decref(t);
      t = outer;
    }
    const d = heap.newDict();
    heap.dictSet(d, t, heap.None);
    expect(heap.dictGet(d, t)).toBe(heap.None);
    heap.decref(d);
    heap.decref(t);
    heap.verify();
  });

});

describe('handles made by a finalizer', () => {
  it('belong to the finalizer, not to a scope open around the release: a resurrection stays', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const registry: ReturnType<Handles['borrow']>[] = [];
    const R = py.defineClass('R', { finalize: (_h, self) => void registry.push(py.borrow(self)) });
    const r = py.new(R);
    py.scope(() => r.release());
    expect(registry).toHaveLength(1);
    expect(registry[0]!.released).toBe(false);
    expect(heap.isAlive(registry[0]!.ref)).toBe(true);
    registry[0]!.release();
    heap.verify();
  });

  it('made inside a scope of the finalizer’s own are released with that scope', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    let inner: ReturnType<Handles['list']> | undefined;
    const R = py.defineClass('R', { finalize: () => py.scope(() => void (inner = py.list())) });
    const r = py.new(R);
    py.scope(() => r.release());
    expect(inner!.released).toBe(true);
    heap.verify();
  });
});
