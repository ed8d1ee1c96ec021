/**
 * The ergonomic layer: `ref`, `getWeakrefCount`, `getWeakrefs` on handles, and the
 * `WeakReference` handle — deref, alive, callback, equality, hash, and ownership (using,
 * scopes, dup, release).
 */
import { Handle, Handles, Heap, PyTypeError, type Unraisable, UseAfterFreeError } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { getWeakrefCount, getWeakrefs, ref, WeakReference, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; reports: Unraisable[]; A: ReturnType<Heap['defineClass']> } {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const py = new Handles(heap);
  return { heap, py, reports, A: py.defineClass('A') };
}

describe('ref(handle)', () => {
  it('deref() gives a new handle while the object lives and undefined after (Python: r() is None)', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const r = ref(a);
    expect(r).toBeInstanceOf(WeakReference);
    expect(r).toBeInstanceOf(Handle);
    const again = r.deref()!;
    expect(again.is(a)).toBe(true);
    expect(a.refcount).toBe(2);
    again.release();
    expect(r.alive).toBe(true);
    a.release();
    expect(r.alive).toBe(false);
    expect(r.deref()).toBeUndefined();
    r.release();
  });

  it('installs the weak references on first use', () => {
    const { heap, py, A } = setup();
    expect(heap.weakrefs).toBeNull();
    using a = py.new(A);
    using r = ref(a);
    expect(heap.weakrefs).toBeInstanceOf(Weakrefs);
    expect(r.weakrefs).toBe(Weakrefs.of(heap));
  });

  it('ref(a) twice is the same weak reference object; with callbacks it is not', () => {
    const { py, A } = setup();
    using a = py.new(A);
    using r1 = ref(a);
    using r2 = ref(a);
    expect(r1.is(r2)).toBe(true);
    expect(r1.refcount).toBe(2);
    using c = ref(a, () => undefined);
    expect(c.is(r1)).toBe(false);
    expect(getWeakrefCount(a)).toBe(2);
  });

  it('the callback gets a WeakReference handle to the dead weak reference, released when it returns', () => {
    const { py, A } = setup();
    const a = py.new(A);
    let seen: WeakReference | undefined;
    let wasAlive: boolean | undefined;
    let kept: WeakReference | undefined;
    const r = ref(a, (wr) => {
      seen = wr;
      wasAlive = wr.alive;
      kept = wr.dup();
    });
    a.release();
    expect(seen).toBeInstanceOf(WeakReference);
    expect(wasAlive).toBe(false);
    expect(seen!.released).toBe(true);
    expect(kept!.is(r)).toBe(true);
    expect(r.refcount).toBe(2);
    kept!.release();
    r.release();
  });

  it('callback() is the callback until a deallocation calls it', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const callback = (): void => undefined;
    using r = ref(a, callback);
    using plain = ref(a);
    expect(r.callback).toBe(callback);
    expect(plain.callback).toBeUndefined();
    a.release();
    expect(r.callback).toBeUndefined();
  });

  it('a callback that throws is reported as unraisable', () => {
    const { py, reports, A } = setup();
    const a = py.new(A);
    using r = ref(a, function onDeath() {
      throw new Error('nope');
    });
    a.release();
    expect(reports.map((x) => x.message)).toEqual(['Exception ignored in: <function onDeath>']);
    expect(r.alive).toBe(false);
  });

  it('equals and hash follow CPython', () => {
    const { py, A } = setup();
    const a = py.new(A);
    using b = py.new(A);
    using r1 = ref(a, () => undefined);
    using r2 = ref(a, () => undefined);
    using rb = ref(b);
    expect(r1.equals(r2)).toBe(true);
    expect(r1.equals(rb)).toBe(false);
    expect(r1.hash()).toBe(r2.hash());
    a.release();
    expect(r1.equals(r2)).toBe(false);
    expect(r1.hash()).toBe(r2.hash()); // both hashed while alive
  });

  it('repr and toString show the weak reference', () => {
    const { py, A } = setup();
    const a = py.new(A);
    using r = ref(a);
    expect(r.repr()).toBe(`<weakref at ${r.hexId}; to 'A' at ${a.hexId}>`);
    a.release();
    expect(String(r)).toBe(`<weakref at ${r.hexId}; dead>`);
  });

  it('a weak reference handle can go into a list; it dies with the list', () => {
    const { py, heap, A } = setup();
    const a = py.new(A);
    const r = ref(a);
    const l = py.list([r]);
    const id = r.id;
    r.release();
    const inList = l.get(0);
    expect(inList.id).toBe(id);
    inList.release();
    l.release();
    expect(Weakrefs.of(heap).count).toBe(0);
    a.release();
  });

  it('a scope releases weak reference handles made in it', () => {
    const { py, heap, A } = setup();
    const a = py.new(A);
    py.scope(() => {
      ref(a);
      ref(a, () => undefined);
      expect(getWeakrefCount(a)).toBe(2);
    });
    expect(getWeakrefCount(a)).toBe(0);
    expect(Weakrefs.of(heap).count).toBe(0);
    a.release();
  });

  it('a released weak reference handle says so', () => {
    const { py, A } = setup();
    using a = py.new(A);
    const r = ref(a, () => undefined);
    r.release();
    expect(() => r.deref()).toThrow(UseAfterFreeError);
  });

  it('objects that cannot be weakly referenced raise TypeError', () => {
    const { py } = setup();
    using n = py.int(1000);
    using s = py.str('text');
    using l = py.list();
    expect(() => ref(n)).toThrow("cannot create weak reference to 'int' object");
    expect(() => ref(s)).toThrow("cannot create weak reference to 'str' object");
    expect(() => ref(l)).toThrow(PyTypeError);
    expect(getWeakrefCount(n)).toBe(0);
  });
});

describe('getWeakrefs', () => {
  it('new handles to every weak reference, in list order', () => {
    const { py, A } = setup();
    using a = py.new(A);
    using r1 = ref(a, () => undefined);
    using r2 = ref(a, () => undefined);
    using basic = ref(a);
    const all = getWeakrefs(a);
    expect(all.map((r) => r.id)).toEqual([basic.id, r2.id, r1.id]);
    for (const r of all) r.release();
    expect(basic.refcount).toBe(1);
  });
});
