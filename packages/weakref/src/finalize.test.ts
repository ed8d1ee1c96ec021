/**
 * `finalize` as Lib/weakref.py's: called at most once — when the object dies, when called,
 * or when the heap closes (newest first, CPython's atexit order) — with `alive`, `detach`,
 * `peek` and `atexit`; exceptions reported, never thrown into a deallocation.
 */
import { type Handle, Handles, Heap, PyTypeError, type Unraisable } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { finalize, Weakrefs } from './index.ts';

function setup(): { heap: Heap; py: Handles; reports: Unraisable[]; A: ReturnType<Heap['defineClass']> } {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const py = new Handles(heap);
  return { heap, py, reports, A: py.defineClass('A') };
}

describe('finalize', () => {
  it('calls fn(...args) once when the object dies', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const calls: unknown[][] = [];
    const f = finalize(a, (...args: unknown[]) => calls.push(args), 'bye', 2);
    expect(f.alive).toBe(true);
    a.release();
    expect(calls).toEqual([['bye', 2]]);
    expect(f.alive).toBe(false);
    expect(f.call()).toBeUndefined();
    expect(calls).toHaveLength(1);
  });

  it('calling it runs fn now, returns its result, and never again', () => {
    const { py, A } = setup();
    using a = py.new(A);
    let count = 0;
    const f = finalize(a, (x: number) => {
      count++;
      return x * 2;
    }, 21);
    expect(f.call()).toBe(42);
    expect(f.call()).toBeUndefined();
    expect(count).toBe(1);
    expect(f.alive).toBe(false);
  });

  it('peek shows the object, function and arguments; detach takes them and disarms it', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const fn = (label: string): string => label;
    const f = finalize(a, fn, 'x');
    const peeked = f.peek()!;
    expect(peeked.object.is(a)).toBe(true);
    expect(peeked.fn).toBe(fn);
    expect(peeked.args).toEqual(['x']);
    peeked.object.release();
    const detached = f.detach()!;
    expect(detached.object.is(a)).toBe(true);
    detached.object.release();
    expect(f.alive).toBe(false);
    expect(f.peek()).toBeUndefined();
    expect(f.detach()).toBeUndefined();
    a.release(); // nothing runs
  });

  it('peek and detach give nothing once the object is dead', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const f = finalize(a, () => undefined);
    a.release();
    expect(f.peek()).toBeUndefined();
    expect(f.detach()).toBeUndefined();
  });

  it('handle arguments are kept alive until the call, then released', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const resource = py.list([1, 2]);
    let seen = '';
    finalize(a, (r: Handle) => (seen = r.repr()), resource);
    expect(resource.refcount).toBe(2);
    resource.release();
    a.release();
    expect(seen).toBe('[1, 2]');
  });

  it('passing the object itself as an argument keeps it alive (the mistake CPython warns about)', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const f = finalize(a, (_self: Handle) => undefined, a);
    a.release();
    expect(f.alive).toBe(true);
    const info = f.detach()!;
    info.object.release();
    info.args[0].release(); // the arguments are ours after detach
  });

  it('an exception from fn is reported as unraisable when the object dies', () => {
    const { py, reports, A } = setup();
    const a = py.new(A);
    finalize(a, () => {
      throw new Error('cleanup failed');
    });
    a.release();
    expect(reports).toHaveLength(1);
    expect(reports[0]!.phase).toBe('finalize callback');
    expect(reports[0]!.message).toMatch(/^Exception ignored in: <finalize object at 0x[0-9a-f]+; dead>$/);
  });

  it('an exception from an explicit call propagates', () => {
    const { py, A } = setup();
    using a = py.new(A);
    const f = finalize(a, () => {
      throw new Error('now');
    });
    expect(() => f.call()).toThrow('now');
    expect(f.alive).toBe(false);
  });

  it('cannot be made for an object that cannot be weakly referenced, and leaves nothing behind', () => {
    const { heap, py } = setup();
    using n = py.int(1000);
    using l = py.list();
    expect(() => finalize(n, () => undefined)).toThrow(new PyTypeError("cannot create weak reference to 'int' object").message);
    expect(() => finalize(l, (_list: Handle) => undefined, l)).toThrow(PyTypeError);
    expect(l.refcount).toBe(1);
    expect(Weakrefs.of(heap).count).toBe(0);
  });

  it('repr gives its own address, and names the object while alive (python3: <finalize object at 0x…; for \'A\' at 0x…>)', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const f = finalize(a, () => undefined);
    const g = finalize(a, () => undefined);
    const own = /^<finalize object at (0x[0-9a-f]+); for 'A' at (0x[0-9a-f]+)>$/.exec(f.repr());
    expect(own?.[2]).toBe(a.hexId);
    expect(own?.[1]).not.toBe(a.hexId);
    expect(g.repr()).not.toBe(f.repr()); // two finalizers, two addresses
    a.release();
    expect(String(f)).toBe(`<finalize object at ${own?.[1]}; dead>`);
  });

  it('several finalizers on one object run newest first, as callbacks do', () => {
    const { py, A } = setup();
    const a = py.new(A);
    const order: number[] = [];
    finalize(a, () => order.push(1));
    finalize(a, () => order.push(2));
    a.release();
    expect(order).toEqual([2, 1]);
  });

  it('a finalizer on a raw ref works the same', () => {
    const { heap, A } = setup();
    const weakrefs = Weakrefs.of(heap);
    const a = heap.newInstance(A);
    let done = false;
    const f = weakrefs.finalize(a, () => (done = true));
    heap.decref(a);
    expect(done).toBe(true);
    expect(f.alive).toBe(false);
  });
});

describe('when the heap closes (atexit)', () => {
  it('live finalizers run newest first; dead and atexit=false ones do not', () => {
    const { heap, py, A } = setup();
    const order: string[] = [];
    using a = py.new(A);
    using b = py.new(A);
    const c = py.new(A);
    finalize(a, () => order.push('a'));
    const skipped = finalize(b, () => order.push('b'));
    finalize(c, () => order.push('c (already dead)'));
    finalize(b, () => order.push('b2'));
    c.release();
    skipped.atexit = false;
    expect(skipped.atexit).toBe(false);
    order.length = 0;
    heap.close();
    expect(order).toEqual(['b2', 'a']);
    expect(skipped.alive).toBe(true);
  });

  it('a finalizer made while closing runs too; after closing nothing runs', () => {
    const { heap, py, A } = setup();
    const order: string[] = [];
    using a = py.new(A);
    using b = py.new(A);
    const late = py.new(A);
    finalize(a, () => {
      order.push('a');
      finalize(b, () => order.push('made during exit'));
    });
    heap.close();
    expect(order).toEqual(['a', 'made during exit']);
    const f = finalize(late, () => order.push('after shutdown'));
    late.release();
    expect(order).toEqual(['a', 'made during exit']);
    expect(f.alive).toBe(false);
  });

  it('an exception at exit is reported and the rest still run', () => {
    const { heap, py, reports, A } = setup();
    using a = py.new(A);
    using b = py.new(A);
    const order: string[] = [];
    finalize(a, () => order.push('a'));
    finalize(b, () => {
      throw new Error('exit failure');
    });
    heap.close();
    expect(order).toEqual(['a']);
    expect(reports.map((r) => r.phase)).toEqual(['finalize callback']);
  });

  it('a heap without finalizers has no observer (allocation stays off the notification path)', () => {
    const { heap, py, A } = setup();
    using a = py.new(A);
    const seen: string[] = [];
    heap.addObserver({ closing: () => seen.push('closing') });
    Weakrefs.of(heap);
    heap.close();
    expect(seen).toEqual(['closing']);
    expect(a.refcount).toBe(1);
  });
});
