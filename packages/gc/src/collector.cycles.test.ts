/**
 * Cycles of lists, dicts, tuples and instances: what CPython's Lib/test/test_gc.py checks
 * first (test_list, test_dict, test_tuple, test_instance), the seeds' two demonstrations
 * (the self-nesting lists, the A↔B classes) and the ways a cycle's garbage touches the rest
 * of the heap. Every expected count was printed by CPython 3.11.
 */
import { type Handle, Handles, Heap, type Ref, StaleIdError } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector, type CollectorOptions } from './index.ts';

function setup(options: CollectorOptions = {}) {
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false, ...options });
  gc.collect();
  return { heap, py, gc };
}

/** Whether the object `ref` named when this was called is still alive (ids are reused). */
function watch(heap: Heap, ref: Ref): () => boolean {
  const serial = heap.serialOf(ref);
  return () => heap.isAlive(ref) && heap.serialOf(ref) === serial;
}

/** Every object the collector lists must be alive and tracked, and listed once. */
function expectListsOnlyLiveObjects(heap: Heap, gc: Collector): void {
  const listed = gc.getObjects();
  expect(new Set(listed).size).toBe(listed.length);
  for (const ref of listed) {
    expect(heap.isAlive(ref)).toBe(true);
    expect(heap.isTracked(ref)).toBe(true);
  }
}

describe('cycles of built-in containers', () => {
  test('a list that contains itself is collected and collect returns 1', () => {
    const { py, heap, gc } = setup();
    const l = py.list();
    l.append(l);
    const alive = watch(heap, l.ref);
    expect(gc.collect()).toBe(0);
    l.release();
    expect(alive()).toBe(true); // counting alone cannot free it
    expect(gc.collect()).toBe(1);
    expect(alive()).toBe(false);
  });

  test('a dict that holds itself as a value is collected and collect returns 1', () => {
    const { py, heap, gc } = setup();
    const d = py.dict();
    d.set(1, d);
    const alive = watch(heap, d.ref);
    expect(gc.collect()).toBe(0);
    d.release();
    expect(gc.collect()).toBe(1);
    expect(alive()).toBe(false);
  });

  test('a tuple closed into a cycle through a list is collected with it and collect returns 2', () => {
    const { py, heap, gc } = setup();
    const l = py.list();
    const t = py.tuple([l]);
    l.append(t);
    const alive = [watch(heap, l.ref), watch(heap, t.ref)];
    expect(gc.collect()).toBe(0);
    t.release();
    l.release();
    expect(gc.collect()).toBe(2);
    expect(alive.map((f) => f())).toEqual([false, false]);
  });

  test('a set and an instance that refer to each other are collected and collect returns 2', () => {
    const { py, heap, gc } = setup();
    const C = py.defineClass('C');
    const s = py.set();
    const c = py.new(C);
    s.add(c);
    c.set('s', s);
    const alive = [watch(heap, s.ref), watch(heap, c.ref)];
    s.release();
    c.release();
    expect(gc.collect()).toBe(2);
    expect(alive.map((f) => f())).toEqual([false, false]);
  });

  test('a list reachable only from a cycle is unreachable too and is counted', () => {
    // l = []; l.append(l); l.append([1, 2, 3]); del l; gc.collect() → 2
    const { py, heap, gc } = setup();
    const l = py.list();
    l.append(l);
    const child = py.list([1, 2, 3]);
    l.append(child);
    const childAlive = watch(heap, child.ref);
    child.release();
    l.release();
    expect(gc.collect()).toBe(2);
    expect(childAlive()).toBe(false);
  });

  test('a dict of atoms hanging off a cycle is untracked, freed by counting and not counted', () => {
    // l = []; l.append(l); l.append({'a': 1}); del l; gc.collect() → 1
    const { py, heap, gc } = setup();
    const l = py.list();
    l.append(l);
    const d = py.dict({ a: 1 });
    expect(gc.isTracked(d.ref)).toBe(false);
    l.append(d);
    const dictAlive = watch(heap, d.ref);
    d.release();
    l.release();
    expect(gc.collect()).toBe(1);
    expect(dictAlive()).toBe(false);
  });

  test('a dict holding a list hanging off a cycle is tracked and counted with the list', () => {
    // l = []; l.append(l); l.append({'a': []}); del l; gc.collect() → 3
    const { py, gc } = setup();
    const l = py.list();
    l.append(l);
    const d = py.dict({ a: [] }); // the inner list is the dict's alone
    expect(gc.isTracked(d.ref)).toBe(true);
    l.append(d);
    d.release();
    l.release();
    expect(gc.collect()).toBe(3);
  });
});

describe('cycles of instances', () => {
  test('an instance that refers to itself is collected and collect returns 1', () => {
    const { py, heap, gc } = setup();
    const A = py.defineClass('A');
    const a = py.new(A);
    a.set('a', a);
    const alive = watch(heap, a.ref);
    expect(gc.collect()).toBe(0);
    a.release();
    expect(gc.collect()).toBe(1); // 3.11: the attributes are not a separate dict object
    expect(alive()).toBe(false);
  });

  test('an instance with __slots__ that refers to itself is collected and collect returns 1', () => {
    const { py, heap, gc } = setup();
    const S = py.defineClass('S', { slots: ['x'] });
    const s = py.new(S);
    s.set('x', s);
    const alive = watch(heap, s.ref);
    s.release();
    expect(gc.collect()).toBe(1);
    expect(alive()).toBe(false);
  });

  test('an instance whose attribute dict was materialized is collected with its dict', () => {
    // a = A(); a.a = a; a.__dict__; del a; gc.collect() → 2 in CPython 3.11 too
    const { py, heap, gc } = setup();
    const A = py.defineClass('A');
    const a = py.new(A);
    a.set('a', a);
    const dict = heap.attributeDict(a.ref);
    expect(gc.isTracked(dict)).toBe(true);
    a.release();
    expect(gc.collect()).toBe(2);
  });

  test('many two-object cycles are all collected in one pass', () => {
    const { heap, gc } = setup();
    const Pair = heap.defineClass('Pair', { slots: ['a'] });
    const before = heap.liveObjects;
    for (let i = 0; i < 5000; i++) {
      const x = heap.newInstance(Pair);
      const y = heap.newInstance(Pair);
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      heap.decref(x);
      heap.decref(y);
    }
    expect(heap.liveObjects).toBe(before + 10_000);
    expect(gc.collect()).toBe(10_000);
    expect(heap.liveObjects).toBe(before);
    expect(gc.collect()).toBe(0);
  });
});

describe('user-defined types with their own traverse and clear', () => {
  test("a cycle through a type's side table is found through its traverse hook and broken by its clear hook", () => {
    const { py, heap, gc } = setup();
    const side = new Map<Ref, Ref>();
    const cleared: Ref[] = [];
    const Native = heap.defineClass('Native', {
      slots: [],
      traverse: (_h, self, visit) => {
        const held = side.get(self);
        if (held !== undefined) visit(held);
      },
      clear: (h, self) => {
        cleared.push(self);
        const held = side.get(self);
        side.delete(self);
        if (held !== undefined) h.decref(held);
      },
    });
    const native = heap.newInstance(Native);
    const list = py.list();
    heap.incref(list.ref);
    side.set(native, list.ref); // native → list, held in the side table
    heap.append(list.ref, native); // list → native
    heap.decref(native);
    const alive = [watch(heap, native), watch(heap, list.ref)];
    list.release();
    expect(gc.collect()).toBe(2);
    expect(alive.map((f) => f())).toEqual([false, false]);
    expect(cleared).toContain(native); // (deallocation calls the hook again; it has nothing left to drop)
    expect(side.size).toBe(0);
  });

  test('a reference the collector cannot see is taken for one from outside: what it refers to survives', () => {
    // CPython's ContainerNoGC: a reference no traverse reports looks like an external one.
    const { py, heap, gc } = setup();
    const Opaque = heap.defineClass('Opaque', { slots: [] });
    const hidden = new Map<Ref, Ref>();
    const opaque = heap.newInstance(Opaque);
    const list = py.list();
    heap.incref(list.ref);
    hidden.set(opaque, list.ref);
    heap.append(list.ref, opaque);
    heap.decref(opaque);
    list.release();
    const alive = watch(heap, opaque);
    expect(gc.collect()).toBe(0);
    expect(alive()).toBe(true);
  });
});

describe("the seeds' demonstrations", () => {
  test('the self-nesting lists l1 = [1, l2], l2 = [2, l1] print as CPython prints them and collect returns 2', () => {
    const { py, heap, gc } = setup();
    const l1 = py.list([1]);
    const l2 = py.list([2]);
    l1.append(l2);
    l2.append(l1);
    expect(l1.repr()).toBe('[1, [2, [...]]]');
    expect(l2.repr()).toBe('[2, [1, [...]]]');
    py.scope(() => expect(l1.get(1).repr()).toBe('[2, [1, [...]]]'));
    const alive = [watch(heap, l1.ref), watch(heap, l2.ref)];
    l1.release();
    l2.release();
    expect(alive.map((f) => f())).toEqual([true, true]);
    expect(gc.collect()).toBe(2);
    expect(alive.map((f) => f())).toEqual([false, false]);
  });

  test('the A↔B classes: counts 2 and 1 while named, 1 and 1 once the name is dropped, gone after collect (2), collector disabled throughout', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const gc = new Collector(heap, { enabled: false }); // gc.disable()
    const starts: number[] = [];
    gc.callbacks.push((phase, info) => {
      if (phase === 'start') starts.push(info.generation);
    });
    const A = py.defineClass('A');
    const B = py.defineClass('B');

    // my_var = A(), where A.__init__ does self.b = B(self) and B.__init__ does self.a = obj
    const myVar = py.new(A);
    const b = py.new(B, { a: myVar });
    myVar.set('b', b);
    b.release(); // the temporary B() is gone once __init__ returns
    const idA = myVar.id;
    const refA = myVar.ref;
    const bAgain = myVar.get('b');
    const refB = bAgain.ref;
    bAgain.release();

    // The name holds A, and B.a holds A: 2. Only A.b holds B: 1.
    expect(heap.refcount(refA)).toBe(2);
    expect(heap.refcount(refB)).toBe(1);

    // my_var = None
    myVar.release();
    expect(heap.refcount(refA)).toBe(1);
    expect(heap.refcount(refB)).toBe(1);
    // get_object_status_by_id: both still exist, both still tracked by the collector.
    expect(heap.objectAt(idA)).toBe(refA);
    expect(gc.getObjects()).toEqual(expect.arrayContaining([refA, refB]));

    expect(gc.isEnabled()).toBe(false);
    expect(gc.collect()).toBe(2); // CPython 3.11 also returns 2: instance dicts are not separate objects
    expect(() => heap.objectAt(idA)).toThrow(StaleIdError);
    expect(heap.isAlive(refA) || heap.isAlive(refB)).toBe(false);
    expect(gc.getObjects()).not.toContain(refA);
    expect(gc.isEnabled()).toBe(false);
    expect(starts).toEqual([2]); // the explicit collection only: nothing automatic ran
  });
});

describe('how garbage meets the rest of the heap', () => {
  test('a cycle held from outside is not garbage until the last outside reference goes', () => {
    const { py, heap, gc } = setup();
    const a = py.list();
    const b = py.list();
    a.append(b);
    b.append(a);
    using holder = py.list([a]);
    a.release();
    b.release();
    expect(gc.collect()).toBe(0);
    py.scope(() => expect(holder.get(0).length).toBe(1));
    holder.delete(0);
    expect(gc.collect()).toBe(2);
    expect(heap.length(holder.ref)).toBe(0);
  });

  test('clearing a cycle releases its references to live objects, whose counts drop back', () => {
    const { py, gc } = setup();
    using live = py.list();
    const cycle = py.list([live]);
    cycle.append(cycle);
    expect(live.refcount).toBe(2);
    cycle.release();
    expect(gc.collect()).toBe(1);
    expect(live.refcount).toBe(1);
  });

  test('a live object referred to only by garbage is freed by counting when the cycle is cleared, not counted', () => {
    // The tuple of atoms outlives one collection, so it is no longer tracked when the cycle dies.
    const { py, heap, gc } = setup();
    const t = py.tuple([1, 2, 3]);
    gc.collect();
    expect(gc.isTracked(t.ref)).toBe(false);
    const l = py.list([t]);
    l.append(l);
    const tupleAlive = watch(heap, t.ref);
    t.release();
    l.release();
    expect(gc.collect()).toBe(1);
    expect(tupleAlive()).toBe(false);
  });

  test('a cycle of 200,001 objects is collected without exhausting the stack', () => {
    const { heap, gc } = setup();
    const Link = heap.defineClass('Link', { slots: ['next'] });
    const base = heap.liveObjects;
    const head = heap.newInstance(Link);
    let tail = head;
    for (let i = 0; i < 200_000; i++) {
      const next = heap.newInstance(Link);
      heap.setSlot(tail, 0, next);
      heap.decref(next);
      tail = next;
    }
    heap.setSlot(tail, 0, head); // close the ring
    heap.decref(head);
    expect(heap.liveObjects).toBe(base + 200_001);
    expect(gc.collect()).toBe(200_001);
    expect(heap.liveObjects).toBe(base);
  });

  test('a chain of 200,000 objects hanging off a cycle is freed with it, counted, without exhausting the stack', () => {
    // The cycle's objects have attribute dicts, so they are cleared one by one and counting frees the chain.
    const { heap, gc } = setup();
    const Holder = heap.defineClass('Holder');
    const Link = heap.defineClass('Link', { slots: ['next'] });
    heap.decref(heap.intern('peer'));
    heap.decref(heap.intern('chain'));
    const base = heap.liveObjects;
    const a = heap.newInstance(Holder);
    const b = heap.newInstance(Holder);
    heap.setAttr(a, 'peer', b);
    heap.setAttr(b, 'peer', a);
    let link = heap.newInstance(Link);
    heap.setAttr(a, 'chain', link);
    for (let i = 1; i < 200_000; i++) {
      const next = heap.newInstance(Link);
      heap.setSlot(link, 0, next);
      heap.decref(link);
      link = next;
    }
    heap.decref(link);
    heap.decref(a);
    heap.decref(b);
    expect(heap.liveObjects).toBe(base + 200_002);
    expect(gc.collect()).toBe(200_002);
    expect(heap.liveObjects).toBe(base);
    expect(gc.collect()).toBe(0);
  });

  test('collecting garbage gives its memory back: the live-object count returns to where it was', () => {
    const { py, heap, gc } = setup();
    const C = py.defineClass('C');
    for (const name of ['c', 'd', 'l']) heap.decref(heap.intern(name)); // interned once, for good
    const before = heap.liveObjects;
    const handles: Handle[] = [];
    for (let i = 0; i < 100; i++) {
      handles.push(
        py.scope(() => {
          const c = py.new(C);
          const d = py.dict({ c });
          c.set('d', d);
          c.set('l', py.list([d, c]));
          return c; // returned from the scope: the caller owns it
        }),
      );
    }
    for (const h of handles) h.release();
    expect(heap.liveObjects).toBeGreaterThan(before);
    expect(gc.collect()).toBe(300);
    expect(heap.liveObjects).toBe(before);
  });

  test('a garbage object kept alive past its own clear by another cycle of garbage is freed, never listed again', () => {
    // Attribute dicts make every object take the clear-each-in-turn path. Order of the garbage: x, a, w, y.
    //   x ↔ a      w ↔ y      y → x
    // Clearing x frees a, but y still holds x, so x survives its own clear; clearing w then frees y,
    // and x with it. CPython moves such a survivor to the old generation at once, and its
    // deallocation unlinks it again; x must not be left in a generation after it died.
    const { py, heap, gc } = setup();
    const D = py.defineClass('D');
    for (const name of ['a', 'x', 'w', 'y']) heap.decref(heap.intern(name)); // interned once, for good
    const before = heap.liveObjects;
    const x = py.new(D);
    const a = py.new(D);
    const w = py.new(D);
    const y = py.new(D);
    x.set('a', a);
    a.set('x', x);
    w.set('y', y);
    y.set('w', w);
    y.set('x', x);
    const xRef = x.ref;
    const xAlive = watch(heap, xRef);
    for (const h of [x, a, w, y]) h.release();

    expect(gc.collect()).toBe(4);
    expect(xAlive()).toBe(false);
    expect(heap.liveObjects).toBe(before);
    expect(gc.getObjects()).not.toContain(xRef);
    expectListsOnlyLiveObjects(heap, gc);
    expect(gc.collect()).toBe(0);
  });

  test('the same survivor-then-dies garbage with a list in it leaves no freed object in any generation', () => {
    // As above with a dict in the mix: x ↔ d, w ↔ y, y → x.
    const { py, heap, gc } = setup();
    const D = py.defineClass('D');
    for (const name of ['d', 'x', 'w']) heap.decref(heap.intern(name)); // interned once, for good
    const before = heap.liveObjects;
    const x = py.new(D);
    const d = py.dict();
    const w = py.list();
    const y = py.new(D);
    x.set('d', d);
    d.set('x', x);
    w.append(y);
    y.set('w', w);
    y.set('x', x);
    for (const h of [x, d, w, y]) h.release();
    expect(gc.collect()).toBe(4);
    expect(heap.liveObjects).toBe(before);
    expectListsOnlyLiveObjects(heap, gc);
    // A later collection must not trip over a stale entry, even once the freed ids are reused.
    const fresh = [py.list(), py.list(), py.list(), py.list()];
    for (const f of fresh) f.append(f);
    for (const f of fresh) f.release();
    expect(gc.collect()).toBe(4);
    expectListsOnlyLiveObjects(heap, gc);
  });
});
