/**
 * Weak references and the cycle collector together, through core's protocol only (gc and
 * weakref never import each other): CPython's handle_weakrefs orderings, ported from
 * test_weakref.py (test_callback_in_cycle_*, test_callbacks_on_callback,
 * test_gc_during_ref_creation) and checked against numbers CPython 3.11 printed.
 *
 * One difference is deliberate: a refheap callback is a JS function, not a heap object, so
 * where CPython's collected count includes a lambda kept alive only by a weakref in the
 * garbage, ours does not.
 */
import { Handles, Heap, NULL, type Ref, type Unraisable } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { finalize, ref, WeakKeyMap, Weakrefs, WeakSet, WeakValueMap } from '@refheap/weakref';
import { describe, expect, it } from 'vitest';

function setup() {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false });
  const weakrefs = Weakrefs.of(heap);
  gc.collect();
  const A = heap.defineClass('A');
  /** a ↔ b, both names dropped: returns the two refs, borrowed (the cycle holds them). */
  const cycle = (): [Ref, Ref] => {
    const a = heap.newInstance(A);
    const b = heap.newInstance(A);
    heap.setAttr(a, 'other', b);
    heap.setAttr(b, 'other', a);
    heap.decref(a);
    heap.decref(b);
    return [a, b];
  };
  return { heap, py, gc, weakrefs, A, cycle, reports };
}

describe('handle_weakrefs', () => {
  it('a reachable weak reference to cyclic garbage is cleared and its callback runs (CPython: 2 collected)', () => {
    const { heap, gc, weakrefs, cycle } = setup();
    const [a] = cycle();
    const calls: string[] = [];
    const wr = weakrefs.ref(a, () => calls.push('wr'));
    expect(calls).toEqual([]); // del is not enough: it is a cycle
    expect(gc.collect()).toBe(2);
    expect(calls).toEqual(['wr']);
    expect(weakrefs.deref(wr)).toBe(NULL);
    heap.decref(wr);
    heap.verify();
  });

  it('a weak reference that is itself garbage never calls back, even when its referent dies later (bpo-38006)', () => {
    // CPython: 4 collected (a, b, the weakref and its lambda); the callback here is a JS function.
    const { heap, gc, weakrefs, A, cycle } = setup();
    const x = heap.newInstance(A);
    const [a] = cycle();
    const calls: string[] = [];
    const inner = weakrefs.ref(x, () => calls.push('garbage wr cb'));
    heap.setAttr(a, 'wr', inner);
    heap.decref(inner);
    expect(gc.collect()).toBe(3);
    expect(calls).toEqual([]);
    expect(weakrefs.getWeakrefCount(x)).toBe(0); // detached as the collection began
    heap.decref(x);
    expect(calls).toEqual([]);
    heap.verify();
  });

  it('of two weak references to one garbage object, only the reachable one calls back', () => {
    // CPython: 4 collected, ['outer'].
    const { heap, gc, weakrefs, cycle } = setup();
    const [a, b] = cycle();
    const calls: string[] = [];
    const inner = weakrefs.ref(b, () => calls.push('inner'));
    heap.setAttr(a, 'wr', inner);
    heap.decref(inner);
    const outer = weakrefs.ref(b, () => calls.push('outer'));
    expect(gc.collect()).toBe(3);
    expect(calls).toEqual(['outer']);
    heap.decref(outer);
    heap.verify();
  });

  it('test_callback_in_cycle_resurrection: callbacks in the trash are disabled, so nothing is resurrected', () => {
    const { heap, gc, weakrefs, A } = setup();
    const alist: string[] = [];
    const kept = heap.newList();
    const c1 = heap.newInstance(A);
    const c2 = heap.newInstance(A);
    heap.setAttr(c1, 'c', c2);
    heap.setAttr(c2, 'c', c1);
    // c1.wr = weakref.ref(c2, c1.acallback): the callback would put c1.c back into the world.
    const w1 = weakrefs.ref(c2, () => {
      heap.append(kept, heap.getAttr(c1, 'c'));
      alist.push('resurrected');
    });
    const w2 = weakrefs.ref(c1, () => {
      heap.append(kept, heap.getAttr(c2, 'c'));
      alist.push('resurrected');
    });
    heap.setAttr(c1, 'wr', w1);
    heap.setAttr(c2, 'wr', w2);
    heap.decref(w1);
    heap.decref(w2);
    // Something else in the trash, weakly referenced from outside (CPython uses the class C).
    const d = heap.newInstance(A);
    heap.setAttr(c1, 'd', d);
    heap.decref(d);
    const wr = weakrefs.ref(d, () => alist.push('C went away'));
    heap.decref(c1);
    heap.decref(c2);
    expect(alist).toEqual([]);
    gc.collect();
    expect(alist).toEqual(['C went away']);
    expect(weakrefs.deref(wr)).toBe(NULL);
    expect(heap.length(kept)).toBe(0);
    alist.length = 0;
    gc.collect();
    expect(alist).toEqual([]);
    heap.decref(wr);
    heap.decref(kept);
    heap.verify();
  });

  it('test_callbacks_on_callback: weakrefs on the trash from the trash are cleared; the external one calls back', () => {
    const { heap, gc, weakrefs, A } = setup();
    const alist: string[] = [];
    const c = heap.newInstance(A);
    const d = heap.newInstance(A);
    heap.setAttr(c, 'other', d);
    heap.setAttr(d, 'other', c);
    // `callback` (a bound method in CPython) is an object in the trash that others refer to weakly.
    const callback = heap.newInstance(A);
    heap.setAttr(c, 'callback', callback);
    const cwr = weakrefs.ref(d, () => alist.push('cb called')); // this won't trigger
    const dwr = weakrefs.ref(callback, () => alist.push('cb called')); // ditto
    heap.setAttr(c, 'wr', cwr);
    heap.setAttr(d, 'wr', dwr);
    heap.decref(cwr);
    heap.decref(dwr);
    const externalWr = weakrefs.ref(callback, () => alist.push('safe_callback called')); // but this will
    expect(weakrefs.deref(externalWr)).toBe(callback);
    heap.decref(callback);
    heap.decref(c);
    heap.decref(d);
    expect(alist).toEqual([]);
    gc.collect();
    expect(alist).toEqual(['safe_callback called']);
    expect(weakrefs.deref(externalWr)).toBe(NULL);
    alist.length = 0;
    gc.collect();
    expect(alist).toEqual([]);
    heap.decref(externalWr);
    heap.verify();
  });

  it('every weak reference to the garbage is cleared before the first callback runs', () => {
    const { heap, gc, weakrefs, cycle } = setup();
    const [a, b] = cycle();
    const seen: Ref[][] = [];
    const wa = weakrefs.ref(a);
    const wb = weakrefs.ref(b);
    const look = (): number => seen.push([weakrefs.deref(wa), weakrefs.deref(wb)]);
    const ca = weakrefs.ref(a, look);
    const cb = weakrefs.ref(b, look);
    gc.collect();
    expect(seen).toEqual([
      [NULL, NULL],
      [NULL, NULL],
    ]);
    for (const r of [wa, wb, ca, cb]) heap.decref(r);
    heap.verify();
  });

  it('a weak reference whose callback releases it counts as collected (CPython: 3)', () => {
    const { heap, gc, weakrefs, cycle } = setup();
    const [a] = cycle();
    const holder = heap.newList();
    const wr = weakrefs.ref(a, () => heap.deleteItem(holder, 0)); // holder.clear()
    heap.append(holder, wr);
    heap.decref(wr);
    expect(gc.collect()).toBe(3);
    expect(heap.length(holder)).toBe(0);
    heap.decref(holder);
    heap.verify();
  });

  it('a callback that throws during a collection is reported, and the collection completes', () => {
    const { heap, gc, weakrefs, cycle, reports } = setup();
    const [a, b] = cycle();
    const calls: string[] = [];
    const w1 = weakrefs.ref(a, () => calls.push('a'));
    const w2 = weakrefs.ref(b, function failing() {
      throw new Error('callback failed');
    });
    expect(gc.collect()).toBe(2);
    expect(calls).toEqual(['a']);
    expect(reports.map((r) => [r.phase, r.message])).toEqual([['weakref callback', 'Exception ignored in: <function failing>']]);
    heap.decref(w1);
    heap.decref(w2);
    heap.verify();
  });

  it('a callback that makes new garbage and collects again (reentrant collect is refused, the next one finds it)', () => {
    const { heap, gc, weakrefs, cycle } = setup();
    const [a] = cycle();
    let inner = -1;
    const wr = weakrefs.ref(a, () => {
      cycle();
      inner = gc.collect();
    });
    gc.collect();
    expect(inner).toBe(0); // gc.collect() while collecting returns 0, as in CPython
    expect(gc.collect()).toBe(2);
    heap.decref(wr);
    heap.verify();
  });
});

describe('weak references created while the collector runs', () => {
  it('test_gc_during_ref_creation / test_gc_during_proxy_creation', () => {
    for (const proxy of [false, true]) {
      const { heap, gc, weakrefs, A } = setup();
      gc.setThreshold(1, 1, 1);
      gc.enable();
      const referenced = heap.newInstance(A);
      const a = heap.newInstance(A);
      heap.setAttr(a, 'a', a);
      const made = proxy ? weakrefs.proxy(referenced) : weakrefs.ref(referenced);
      heap.setAttr(a, 'wr', made);
      heap.decref(made);
      heap.decref(a); // now a and its ref are cyclic trash
      const b = heap.newInstance(A);
      const late = weakrefs.ref(referenced, () => undefined); // allocating may collect the trash
      gc.disable();
      gc.collect();
      expect(weakrefs.getWeakrefs(referenced)).toEqual([late]);
      for (const r of [late, b, referenced]) heap.decref(r);
      heap.verify();
    }
  });

  it('a collection during weak reference creation (threshold 1) keeps every list whole', () => {
    const { heap, gc, weakrefs, A, cycle } = setup();
    gc.setThreshold(1, 1, 1);
    gc.enable();
    const target = heap.newInstance(A);
    const refs: Ref[] = [];
    let called = 0;
    for (let i = 0; i < 200; i++) {
      const [a] = cycle();
      heap.setAttr(a, 'wr', weakrefs.ref(target, () => called++));
      heap.decref(heap.getAttr(a, 'wr'));
      refs.push(weakrefs.ref(target, () => called++));
      if (i % 7 === 0) heap.decref(refs.shift()!);
    }
    gc.disable();
    gc.collect();
    heap.decref(target);
    expect(called).toBe(refs.length); // only the weak references outside the garbage called back
    for (const r of refs) heap.decref(r);
    heap.verify();
  });
});

describe('weak containers and finalize under the collector', () => {
  it('a WeakValueMap entry whose value is cyclic garbage vanishes at collection (CPython: 3 collected)', () => {
    const { heap, gc, cycle } = setup();
    const map = new WeakValueMap<string>(heap);
    const [a] = cycle();
    map.set('k', a);
    expect(map.size).toBe(1);
    expect(gc.collect()).toBe(3); // a, b and the map's weak reference, freed by the callback
    expect(map.size).toBe(0);
    heap.verify();
  });

  it('WeakKeyMap and WeakSet lose cyclic garbage at collection', () => {
    const { heap, gc, cycle } = setup();
    const keys = new WeakKeyMap<string>(heap);
    const set = new WeakSet(heap);
    const [a, b] = cycle();
    keys.set(a, 'a');
    set.add(b);
    gc.collect();
    expect(keys.size).toBe(0);
    expect(set.size).toBe(0);
    heap.verify();
  });

  it('a collection during an iteration defers the removal', () => {
    const { heap, gc, py, A, cycle } = setup();
    const map = new WeakValueMap<number>(heap);
    using live = py.new(A);
    const [a] = cycle();
    map.set(0, live).set(1, a).set(2, live);
    const seen: number[] = [];
    for (const key of map.keys()) {
      seen.push(key);
      if (key === 0) {
        gc.collect();
        expect(map.size).toBe(2);
      }
    }
    expect(seen).toEqual([0, 2]);
    expect(map.size).toBe(2);
    heap.verify();
  });

  it('finalize on a member of a cycle runs at collection (CPython: 3 collected)', () => {
    const { heap, py, gc, cycle } = setup();
    const log: string[] = [];
    const [a] = cycle();
    py.scope(() => {
      const handle = py.borrow(a);
      const f = finalize(handle, (text: string) => log.push(text), 'finalized');
      expect(f.alive).toBe(true);
    });
    expect(gc.collect()).toBe(3);
    expect(log).toEqual(['finalized']);
    heap.verify();
  });

  it('ergonomic weak references and proxies see cyclic garbage die', () => {
    const { heap, py, gc, A } = setup();
    const a = py.new(A);
    const b = py.new(A);
    a.set('other', b);
    b.set('other', a);
    const seen: boolean[] = [];
    using r = ref(a, (wr) => seen.push(wr.alive));
    a.release();
    b.release();
    expect(r.alive).toBe(true);
    gc.collect();
    expect(r.alive).toBe(false);
    expect(seen).toEqual([false]);
    heap.verify();
  });
});
