/**
 * `proxy()`: a JS proxy that behaves like the object while it lives, and raises
 * `ReferenceError: weakly-referenced object no longer exists` for every use once it is
 * dead (CPython's proxy_getattr, proxy_setattr, proxy_bool …).
 */
import { inspect } from 'node:util';
import { Handle, Handles, Heap, PyAttributeError, PyReferenceError, PyTypeError, type Unraisable } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { getWeakrefs, isWeakProxy, proxy, PROXY_REFERENCE, proxyReference, WeakReference, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; reports: Unraisable[]; A: ReturnType<Heap['defineClass']> } {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const py = new Handles(heap);
  return { heap, py, reports, A: py.defineClass('A') };
}

const DEAD = 'weakly-referenced object no longer exists';

describe('a live proxy', () => {
  it('reads attributes: atoms as JS values, other objects as new handles', () => {
    const { py, A } = setup();
    using list = py.list([1]);
    using a = py.new(A, { name: 'first', n: 3, ratio: 0.5, flag: true, nothing: null, items: list });
    using p = proxy(a);
    expect(p.name).toBe('first');
    expect(p.n).toBe(3);
    expect(p.ratio).toBe(0.5);
    expect(p.flag).toBe(true);
    expect(p.nothing).toBeNull();
    const items = p.items as Handle;
    expect(items).toBeInstanceOf(Handle);
    expect(items.repr()).toBe('[1]');
    items.release();
    expect(p.missing).toBeUndefined();
  });

  it('writes, tests and deletes attributes of the object', () => {
    const { py, A } = setup();
    using a = py.new(A);
    using p = proxy(a);
    p.x = 5;
    expect(a.read('x')).toBe(5);
    expect('x' in p).toBe(true);
    expect('y' in p).toBe(false);
    using other = py.new(A);
    p.friend = other;
    expect(other.refcount).toBe(2);
    delete p.x;
    expect(a.has('x')).toBe(false);
    expect(() => {
      delete p.x;
    }).toThrow(PyAttributeError);
  });

  it('lists the attributes without making handles', () => {
    const { py, A } = setup();
    using list = py.list();
    using a = py.new(A, { a: 1, b: list });
    using p = proxy(a);
    expect(Object.keys(p)).toEqual(['a', 'b']);
    expect(list.refcount).toBe(2); // the instance's and ours: listing made no handle
  });

  it('a slots class is reached through its slots', () => {
    const { py } = setup();
    const S = py.defineClass('S', { slots: ['x', '__weakref__'] });
    using s = py.new(S, { x: 7 });
    using p = proxy(s);
    expect(p.x).toBe(7);
    p.x = 8;
    expect(s.read('x')).toBe(8);
    expect(() => (p.y = 1)).toThrow(PyAttributeError);
  });

  it('is a heap proxy object underneath: the same for every proxy() without a callback', () => {
    const { heap, py, A } = setup();
    using a = py.new(A);
    using p = proxy(a);
    using q = proxy(a);
    expect(isWeakProxy(p)).toBe(true);
    expect(isWeakProxy({})).toBe(false);
    expect(isWeakProxy(a)).toBe(false);
    const reference = proxyReference(p);
    expect(reference).toBeInstanceOf(WeakReference);
    expect(reference.isProxy).toBe(true);
    expect(reference.is(proxyReference(q))).toBe(true);
    expect(p[PROXY_REFERENCE]).toBe(reference);
    expect(heap.typeOf(reference.ref).name).toBe('weakref.ProxyType');
    const all = getWeakrefs(a);
    expect(all.map((r) => r.id)).toEqual([reference.id]);
    for (const r of all) r.release();
    expect(() => proxyReference({})).toThrow(PyTypeError);
  });

  it('shows its repr when inspected or printed', () => {
    const { py, A } = setup();
    using a = py.new(A);
    using p = proxy(a);
    const reference = proxyReference(p);
    expect(inspect(p)).toBe(`<weakproxy at ${reference.hexId} to A at ${a.hexId}>`);
    expect(`${p as unknown as string}`).toBe(a.repr()); // through its Symbol.toPrimitive
    expect(Object.prototype.toString.call(p)).toBe('[object weakproxy]');
  });

  it('is not a thenable', async () => {
    const { py, A } = setup();
    const a = py.new(A);
    using p = proxy(a);
    a.release();
    const value = await Promise.resolve(p); // would call p.then if it had one
    expect(isWeakProxy(value)).toBe(true);
  });

  it('only instances of weakly referenceable classes can be proxied', () => {
    const { py } = setup();
    using l = py.list();
    expect(() => proxy(l)).toThrow("cannot create weak reference to 'list' object");
  });
});

describe('a dead proxy', () => {
  it('raises ReferenceError for every use', () => {
    const { py, A } = setup();
    const a = py.new(A, { x: 1 });
    using p = proxy(a);
    a.release();
    expect(() => p.x).toThrow(PyReferenceError);
    expect(() => p.x).toThrow(DEAD);
    expect(() => (p.x = 2)).toThrow(DEAD);
    expect(() => 'x' in p).toThrow(DEAD);
    expect(() => {
      delete p.x;
    }).toThrow(DEAD);
    expect(() => Object.keys(p)).toThrow(DEAD);
    expect(() => `${p as unknown as string}`).toThrow(DEAD);
  });

  it('still prints (CPython 3.11 shows the None it holds) and can be released', () => {
    const { heap, py, A } = setup();
    const a = py.new(A);
    const p = proxy(a);
    const reference = proxyReference(p);
    a.release();
    expect(inspect(p)).toBe(`<weakproxy at ${reference.hexId} to NoneType at ${heap.hexId(heap.None)}>`);
    expect(reference.alive).toBe(false);
    p[Symbol.dispose]();
    expect(reference.released).toBe(true);
    expect(Weakrefs.of(heap).count).toBe(0);
  });

  it('runs its callback with its handle when the object dies', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const seen: string[] = [];
    using p = proxy(a, (wr) => seen.push(wr.repr()));
    const reference = proxyReference(p);
    using basic = proxy(a);
    expect(reference.is(proxyReference(basic))).toBe(false);
    a.release();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toContain(`<weakproxy at ${reference.hexId} to NoneType`);
  });
});
