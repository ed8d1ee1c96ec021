/**
 * Finalizers and weak references in cyclic garbage, as CPython's test_finalization.py and
 * gcmodule.c order them: weak references to unreachable objects are cleared before any
 * finalizer runs (so a finalizer sees its cycle-mates' weak references dead), a weak
 * reference inside the garbage is cleared even when its referent lives on, and a
 * resurrected cycle keeps its weak references dead. Numbers are CPython 3.11's.
 */
import { Handles, Heap, NULL, type Ref, type Unraisable } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Weakrefs } from '@refheap/weakref';
import { describe, expect, it } from 'vitest';

function setup() {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false });
  const weakrefs = Weakrefs.of(heap);
  gc.collect();
  return { heap, py, gc, weakrefs, reports, A: heap.defineClass('A') };
}

describe('finalizers see weak references already cleared', () => {
  it('f ↔ g with __del__: each sees both its weakref to the other and a weakref from the trash dead (CPython: 5 collected)', () => {
    const { heap, gc, weakrefs, A } = setup();
    const log: [string, boolean, boolean][] = [];
    const F = heap.defineClass('F', {
      finalize: (h, self) => {
        const name = String(h.valueOf(h.getAttr(self, 'name')));
        log.push([name, weakrefs.deref(h.getAttr(self, 'wr')) === NULL, weakrefs.deref(h.getAttr(self, 'ext')) === NULL]);
      },
    });
    const o = heap.newInstance(A); // alive, outside the garbage
    const f = heap.newInstance(F);
    const g = heap.newInstance(F);
    for (const [obj, name, other] of [
      [f, 'f', g],
      [g, 'g', f],
    ] as const) {
      const nameRef = heap.newStr(name);
      heap.setAttr(obj, 'name', nameRef);
      heap.decref(nameRef);
      heap.setAttr(obj, 'other', other);
      const wr = weakrefs.ref(other);
      heap.setAttr(obj, 'wr', wr);
      heap.decref(wr);
      const ext = weakrefs.ref(o); // the same basic ref for both: garbage too, so it is cleared
      heap.setAttr(obj, 'ext', ext);
      heap.decref(ext);
    }
    heap.decref(f);
    heap.decref(g);
    expect(gc.collect()).toBe(5); // f, g, the two weakrefs to them, the shared weakref to o
    expect(log).toEqual([
      ['f', true, true],
      ['g', true, true],
    ]);
    expect(weakrefs.getWeakrefCount(o)).toBe(0);
    heap.decref(o);
    heap.verify();
  });

  it('test_simple: an object with __del__ and no cycle dies by count; its weakref is then dead', () => {
    const { heap, gc, weakrefs } = setup();
    const dels: string[] = [];
    const Simple = heap.defineClass('Simple', { finalize: () => dels.push('del') });
    const s = heap.newInstance(Simple);
    const wr = weakrefs.ref(s);
    heap.decref(s);
    expect(gc.collect()).toBe(0);
    expect(dels).toEqual(['del']);
    expect(weakrefs.deref(wr)).toBe(NULL);
    heap.decref(wr);
  });

  it('test_simple_resurrect: a resurrecting __del__ without a cycle keeps its weak references', () => {
    const { heap, weakrefs } = setup();
    const survivors = heap.newList();
    const Resurrector = heap.defineClass('SimpleResurrector', { finalize: (h, self) => h.append(survivors, self) });
    const s = heap.newInstance(Resurrector);
    const wr = weakrefs.ref(s);
    heap.decref(s);
    expect(weakrefs.deref(wr)).toBe(s);
    heap.deleteItem(survivors, 0); // clear_survivors: no second __del__
    expect(weakrefs.deref(wr)).toBe(NULL);
    heap.decref(wr);
    heap.decref(survivors);
  });

  it('test_self_cycle_resurrect: the weak reference to a resurrected cycle is dead anyway (CPython: 0, then 1)', () => {
    const { heap, gc, weakrefs } = setup();
    const survivors = heap.newList();
    let dels = 0;
    const R = heap.defineClass('SelfCycleResurrector', {
      finalize: (h, self) => {
        dels++;
        h.append(survivors, self);
      },
    });
    const r = heap.newInstance(R);
    heap.setAttr(r, 'me', r);
    const wr = weakrefs.ref(r);
    heap.decref(r);
    expect(gc.collect()).toBe(0);
    expect(dels).toBe(1);
    expect(heap.length(survivors)).toBe(1);
    expect(weakrefs.deref(wr)).toBe(NULL); // XXX is this desirable? (CPython's own comment)
    heap.deleteItem(survivors, 0);
    expect(gc.collect()).toBe(1);
    expect(dels).toBe(1);
    heap.decref(wr);
    heap.decref(survivors);
    heap.verify();
  });

  it('a weakref callback runs before the finalizers of the garbage', () => {
    const { heap, gc, weakrefs } = setup();
    const order: string[] = [];
    const N = heap.defineClass('N', { finalize: () => order.push('__del__') });
    const a = heap.newInstance(N);
    const b = heap.newInstance(N);
    heap.setAttr(a, 'other', b);
    heap.setAttr(b, 'other', a);
    const wr = weakrefs.ref(a, () => order.push('callback'));
    heap.decref(a);
    heap.decref(b);
    gc.collect();
    expect(order).toEqual(['callback', '__del__', '__del__']);
    heap.decref(wr);
    heap.verify();
  });

  it('legacy finalizers: an uncollectable cycle goes to gc.garbage, its weak references still cleared and called back', () => {
    // CPython before 3.4 (and tp_del types today): handle_weakrefs runs on the unreachable set
    // after the legacy-finalizer cycles are moved out, so their weak references stay.
    const { heap, gc, weakrefs } = setup();
    gc.finalizerSemantics = 'legacy';
    const Legacy = heap.defineClass('Legacy', { finalize: () => undefined });
    const a = heap.newInstance(Legacy);
    heap.setAttr(a, 'me', a);
    let called = 0;
    const wr = weakrefs.ref(a, () => called++);
    heap.decref(a);
    expect(gc.collect()).toBe(1);
    expect(heap.length(gc.garbage)).toBe(1);
    expect(weakrefs.deref(wr)).toBe(a);
    expect(called).toBe(0);
    heap.delAttr(a, 'me'); // break the cycle by hand, then del gc.garbage[:]
    heap.clearReferences(gc.garbage);
    expect(called).toBe(1);
    heap.decref(wr);
    heap.verify();
  });
});

describe('a weakref callback that allocates enough to trigger a collection while its referent is being freed', () => {
  // CPython's subtype_dealloc untracks an object before PyObject_ClearWeakRefs ("GC tracking
  // must be off at this point. weakref callbacks … may trigger GC, and if self is tracked at
  // that point, it will look like trash to GC"). core's #destroy calls clearAndNotify while
  // the dying object is still tracked, so the collection the callback triggers finds an object
  // with a count of 0, throws from traverse, and leaves the collector's lists inconsistent.
  it('frees the object exactly once and leaves the heap consistent', () => {
    const { heap, gc, weakrefs, reports, A } = setup();
    gc.setThreshold(10, 10, 10);
    gc.enable();
    const keep = heap.newList();
    const x = heap.newInstance(A);
    const wr = weakrefs.ref(x, () => {
      for (let i = 0; i < 50; i++) {
        const y = heap.newInstance(A); // past the threshold: an automatic collection
        heap.append(keep, y);
        heap.decref(y);
      }
    });
    heap.decref(x);
    gc.disable();
    expect(reports.map((r) => `${r.phase}: ${String(r.error)}`)).toEqual([]);
    expect(heap.length(keep)).toBe(50);
    heap.verify();
    heap.decref(wr);
    heap.decref(keep);
  });
});

describe('ids and weak references under collection', () => {
  it('a weak reference object freed by the collector gives its index back cleanly', () => {
    const { heap, gc, weakrefs, A } = setup();
    const survivors: Ref[] = [];
    for (let round = 0; round < 20; round++) {
      const a = heap.newInstance(A);
      heap.setAttr(a, 'me', a);
      const wr = weakrefs.ref(a, () => undefined);
      heap.setAttr(a, 'wr', wr);
      heap.decref(wr);
      survivors.push(weakrefs.ref(a, () => undefined));
      heap.decref(a);
      gc.collect();
      heap.verify();
    }
    for (const wr of survivors) {
      expect(weakrefs.deref(wr)).toBe(NULL);
      heap.decref(wr);
    }
    expect(weakrefs.count).toBe(0);
    heap.verify();
  });
});
