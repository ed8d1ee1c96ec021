/**
 * Finalizers in cycles, both ways: PEP 442 (CPython 3.4+: finalize each object once, then
 * collect what is still unreachable) and legacy (before 3.4: a cycle that holds an object with
 * a finalizer is uncollectable and goes to gc.garbage). Ports of test_gc.py's resurrection,
 * legacy-finalizer, trashcan and callback tests, and the seeds' Node cycle. Expected numbers
 * were printed by CPython 3.11 (legacy ones with _testcapi.with_tp_del).
 */
import { type Handle, Handles, Heap, type HeapType, type Ref, type Unraisable } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { type CollectionInfo, type CollectionPhase, Collector, type CollectorOptions } from './index.ts';

function setup(options: CollectorOptions = {}) {
  const unraisable: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => unraisable.push(info) });
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false, ...options });
  gc.collect();
  return { heap, py, gc, unraisable };
}

function watch(heap: Heap, ref: Ref): () => boolean {
  const serial = heap.serialOf(ref);
  return () => heap.isAlive(ref) && heap.serialOf(ref) === serial;
}

/** gc.garbage's items, borrowed. */
function garbageOf(heap: Heap, gc: Collector): Ref[] {
  return Array.from({ length: heap.length(gc.garbage) }, (_, i) => heap.item(gc.garbage, i));
}

/** The collector lists every live tracked object once, and nothing else. */
function expectListsExactlyTheTrackedObjects(heap: Heap, gc: Collector): void {
  const tracked: Ref[] = [];
  heap.forEachObject((ref) => {
    if (heap.isTracked(ref)) tracked.push(ref);
  });
  const listed = gc.getObjects();
  expect(listed.filter((ref) => !heap.isAlive(ref))).toEqual([]);
  expect([...listed].sort((a, b) => a - b)).toEqual(tracked);
}

/** `del gc.garbage[:]`. */
function emptyGarbage(heap: Heap, gc: Collector): void {
  while (heap.length(gc.garbage) > 0) heap.decref(heap.pop(gc.garbage));
}

/** The seeds' Node: `__init__` sets value and next; `__del__` prints "Node {value} deleted". */
function defineNode(heap: Heap, log: string[]): HeapType {
  return heap.defineClass('Node', {
    finalize: (h, self) => {
      log.push(`Node ${String(h.valueOf(h.getAttr(self, 'value')))} deleted`);
    },
  });
}

/** node1 ↔ node2, both names dropped (the seed's demonstration). */
function nodeCycle(py: Handles, Node: HeapType): Ref[] {
  const node1 = py.new(Node, { value: 1, next: null });
  const node2 = py.new(Node, { value: 2, next: null });
  node1.set('next', node2);
  node2.set('next', node1);
  const refs = [node1.ref, node2.ref];
  node1.release();
  node2.release();
  return refs;
}

describe('PEP 442 finalizers (the default)', () => {
  test("the seeds' Node cycle with __del__: each finalizer runs once, in allocation order, both are freed and collect returns 2", () => {
    const log: string[] = [];
    const { heap, py, gc } = setup();
    const Node = defineNode(heap, log);
    const [n1, n2] = nodeCycle(py, Node);
    const alive = [watch(heap, n1!), watch(heap, n2!)];
    expect(log).toEqual([]); // "References deleted, but objects still in memory"
    expect(heap.length(gc.garbage)).toBe(0);
    expect(gc.collect()).toBe(2);
    expect(log).toEqual(['Node 1 deleted', 'Node 2 deleted']);
    expect(alive.map((f) => f())).toEqual([false, false]);
    expect(heap.length(gc.garbage)).toBe(0);
    expect(gc.getStats()[2]).toMatchObject({ collected: 2, uncollectable: 0 });
    expect(gc.collect()).toBe(0);
    expect(log).toHaveLength(2);
  });

  test('the objects in a cycle are intact while the finalizers run: no clear has happened yet', () => {
    const seen: string[] = [];
    const { heap, py, gc } = setup();
    const Peer = heap.defineClass('Peer', {
      finalize: (h, self) => {
        const other = h.getAttr(self, 'other');
        seen.push(`${String(h.valueOf(h.getAttr(self, 'name')))} sees ${String(h.valueOf(h.getAttr(other, 'name')))}`);
      },
    });
    const x = py.new(Peer, { name: 'x' });
    const y = py.new(Peer, { name: 'y', other: x });
    x.set('other', y);
    x.release();
    y.release();
    expect(gc.collect()).toBe(2);
    expect(seen).toEqual(['x sees y', 'y sees x']);
  });

  test('a resurrecting finalizer keeps its object alive and gc.isFinalized turns true (test_is_finalized)', () => {
    const { heap, py, gc } = setup();
    const storage = py.list();
    const Lazarus = heap.defineClass('Lazarus', { finalize: (h, self) => h.append(storage.ref, self) });
    const lazarus = py.new(Lazarus);
    expect(gc.isFinalized(lazarus.ref)).toBe(false);
    lazarus.set('me', lazarus); // a cycle, so that only the collector can find it
    lazarus.release();
    gc.collect();
    const back = storage.pop();
    expect(back.type).toBe(Lazarus);
    expect(gc.isFinalized(back.ref)).toBe(true);
    expect(gc.isFinalized(heap.newInt(3))).toBe(false); // objects the collector does not track
  });

  test('resurrection happens only once per object: the second time it is simply collected', () => {
    const { heap, py, gc } = setup();
    let resurrected = 0;
    const instances = py.list();
    const Lazarus = heap.defineClass('Lazarus', {
      finalize: (h, self) => {
        resurrected++;
        h.append(instances.ref, self);
      },
    });
    const laz = py.new(Lazarus);
    laz.set('me', laz);
    expect(resurrected).toBe(0);
    laz.release();
    gc.collect();
    expect(resurrected).toBe(1);
    expect(instances.length).toBe(1);
    const survivor = watch(heap, heap.item(instances.ref, 0));

    heap.deleteItem(instances.ref, 0); // Lazarus.resurrected_instances.clear()
    expect(resurrected).toBe(1);
    expect(gc.collect()).toBe(1);
    expect(resurrected).toBe(1);
    expect(survivor()).toBe(false);
  });

  test('resurrection is transitive: what a resurrected object refers to survives intact', () => {
    const { heap, py, gc } = setup();
    const instances = py.list();
    const Cargo = heap.defineClass('Cargo');
    const Lazarus = heap.defineClass('Lazarus', { finalize: (h, self) => h.append(instances.ref, self) });
    const laz = py.new(Lazarus);
    const cargo = py.new(Cargo);
    cargo.set('me', cargo);
    const cargoId = cargo.id;
    laz.set('cargo', cargo);
    cargo.set('laz', laz);
    laz.release();
    cargo.release();

    gc.collect();
    expect(instances.length).toBe(1);
    const instance = instances.pop();
    expect(instance.has('cargo')).toBe(true);
    const again = instance.get('cargo');
    expect(again.id).toBe(cargoId);
    expect(again.get('laz').is(instance)).toBe(true);
    expect(again.get('me').is(again)).toBe(true);
  });

  test('a resurrecting finalizer does not block the collection of other garbage, and the resurrected object is not counted', () => {
    // test_resurrection_does_not_block_cleanup_of_other_objects, with CPython 3.11's numbers (no instance dicts).
    const N = 100;
    const { heap, gc } = setup();
    const zs = heap.newList();
    const A = heap.defineClass('A');
    const Z = heap.defineClass('Z', { finalize: (h, self) => h.append(zs, self) });
    const selfLoop = (type: HeapType) => {
      const o = heap.newInstance(type);
      heap.setAttr(o, 'me', o);
      heap.decref(o);
    };
    const getstats = () => {
      const s = gc.getStats()[2]!;
      return [s.collected, s.uncollectable] as const;
    };

    let [oldc, oldnc] = getstats();
    for (let i = 0; i < N; i++) selfLoop(A);
    let t = gc.collect();
    let [c, nc] = getstats();
    expect([t, c - oldc, nc - oldnc]).toEqual([N, N, 0]);

    [oldc, oldnc] = [c, nc];
    selfLoop(Z);
    t = gc.collect(); // nothing is collected: Z() is merely resurrected
    [c, nc] = getstats();
    expect([t, c - oldc, nc - oldnc]).toEqual([0, 0, 0]);

    [oldc, oldnc] = [c, nc];
    for (let i = 0; i < N; i++) selfLoop(A);
    selfLoop(Z);
    t = gc.collect();
    [c, nc] = getstats();
    expect([t, c - oldc, nc - oldnc]).toEqual([N, N, 0]);

    [oldc, oldnc] = [c, nc];
    while (heap.length(zs) > 0) heap.decref(heap.pop(zs)); // zs.clear()
    t = gc.collect();
    [c, nc] = getstats();
    expect([t, c - oldc, nc - oldnc]).toEqual([2, 2, 0]);
    expect(heap.liveCount(Z)).toBe(0);
  });

  test('a finalizer that breaks the cycle it is part of frees the garbage by counting; collect returns 0 (test_bug21435)', () => {
    // a = A(); b = B(A()); a.attr = b; b.attr = a, where B.__del__ sets self.attr = None. CPython 3.11: 0.
    const { heap, py, gc } = setup();
    const A = heap.defineClass('A');
    const B = heap.defineClass('B', { finalize: (h, self) => h.setAttr(self, 'attr', h.None) });
    const refs = py.scope(() => {
      const a = py.new(A);
      const b = py.new(B, { x: py.new(A) });
      a.set('attr', b);
      b.set('attr', a);
      return [a.ref, b.ref, heap.getAttr(b.ref, 'x')];
    });
    const alive = refs.map((r) => watch(heap, r));
    expect(alive.map((f) => f())).toEqual([true, true, true]);
    expect(gc.collect()).toBe(0);
    expect(alive.map((f) => f())).toEqual([false, false, false]);
    expect(gc.getObjects().filter((r) => refs.includes(r))).toEqual([]);
  });

  test('an older object that only young garbage keeps alive is freed by counting when the garbage is cleared, and its finalizer runs then', () => {
    // d0 (with __del__) sits in generation 2; only c1, a young self-loop, refers to it (test_bug1055820d
    // without its weak reference). Collecting generation 0 clears c1, and counting frees d0 meanwhile.
    const { heap, gc } = setup();
    const log: string[] = [];
    const D = heap.defineClass('D', {
      finalize: () => {
        log.push(`collect() inside: ${gc.collect()}`);
        heap.decref(heap.newList()); // and allocates
      },
    });
    const d0 = heap.newInstance(D);
    gc.collect();
    expect(gc.getObjects(2)).toContain(d0);
    const c1 = heap.newList([d0]);
    heap.append(c1, c1);
    heap.decref(d0);
    heap.decref(c1);
    const alive = watch(heap, d0);
    expect(gc.collect(0)).toBe(1);
    expect(alive()).toBe(false);
    expect(log).toEqual(['collect() inside: 0']);
    expect(gc.getObjects()).not.toContain(d0);
    expectListsExactlyTheTrackedObjects(heap, gc);
  });

  test('a finalizer that raises is reported as unraisable and the cycle is still freed', () => {
    const { heap, py, gc, unraisable } = setup();
    const Bad = heap.defineClass('Bad', {
      finalize: () => {
        throw new Error('boom');
      },
    });
    const a = py.new(Bad);
    const b = py.new(Bad, { a });
    a.set('b', b);
    const description = heap.describe(a.ref);
    a.release();
    b.release();
    expect(gc.collect()).toBe(2);
    expect(unraisable).toHaveLength(2);
    expect(unraisable[0]!.phase).toBe('finalizer');
    expect(unraisable[0]!.message).toBe(`Exception ignored in: <finalizer of ${description}>`);
    expect((unraisable[0]!.error as Error).message).toBe('boom');
    expect(heap.liveCount(Bad)).toBe(0);
  });

  test('collect() called from a finalizer during a collection returns 0 and changes nothing', () => {
    const { heap, py, gc } = setup();
    const phases: [CollectionPhase, CollectionInfo][] = [];
    gc.callbacks.push((phase, info) => phases.push([phase, info]));
    const inner: { result: number; same: boolean; collecting: boolean }[] = [];
    const snapshot = () =>
      JSON.stringify([gc.getStats(), gc.getCount(), gc.getPauses().length, phases.length, heap.length(gc.garbage)]);
    const R = heap.defineClass('R', {
      finalize: () => {
        const before = snapshot();
        const result = gc.collect();
        inner.push({ result, same: snapshot() === before, collecting: gc.isCollecting });
      },
    });
    const other = py.list();
    other.append(other);
    other.release();
    const r = py.new(R);
    r.set('me', r);
    r.release();
    const before = gc.getStats()[2]!.collections;
    expect(gc.collect()).toBe(2); // R() and the other list, as CPython's `outer` collection
    expect(inner).toEqual([{ result: 0, same: true, collecting: true }]);
    expect(gc.getStats()[2]!.collections).toBe(before + 1);
    expect(phases.map(([phase]) => phase)).toEqual(['start', 'stop']);
    expect(gc.isCollecting).toBe(false);
  });

  test('finalizers that call collect() while deep structures are freed by counting do no harm (test_trashcan)', () => {
    // Nested lists and dicts 150 deep, each level holding an Ouch whose __del__ calls gc.collect()
    // every 17th time; the collector is enabled, as in CPython's test.
    const { heap, py, gc, unraisable } = setup({ enabled: true });
    let n = 0;
    const Ouch = heap.defineClass('Ouch', {
      finalize: () => {
        n++;
        if (n % 17 === 0) gc.collect();
      },
    });
    const N = 150;
    let t: Handle = py.list();
    let u: Handle = py.list();
    let v: Handle = py.dict();
    const next = (old: Handle, make: (ouch: Handle) => Handle): Handle => {
      const ouch = py.new(Ouch);
      const made = make(ouch);
      ouch.release();
      old.release();
      return made;
    };
    for (let count = 0; count < 2; count++) {
      t.release();
      t = py.list();
      for (let i = 0; i < N; i++) t = next(t, (ouch) => py.list([t, ouch]));
      u.release();
      u = py.list();
      for (let i = 0; i < N; i++) u = next(u, (ouch) => py.list([u, ouch]));
      v.release();
      v = py.dict();
      for (let i = 0; i < N; i++) v = next(v, (ouch) => py.dict([[1, v], [2, ouch]]));
    }
    gc.disable();
    t.release();
    u.release();
    v.release();
    expect(unraisable.map((u) => String(u.error))).toEqual([]); // no collection failed inside a finalizer
    expect(n).toBe(900);
    expect(heap.liveCount(Ouch)).toBe(0);
    expect(gc.collect()).toBe(0);
    expectListsExactlyTheTrackedObjects(heap, gc);
  });

  test('a collection started by a finalizer while a deep structure is freed by counting ignores the objects waiting to be freed', () => {
    // Past the trashcan depth, deallocations wait their turn. CPython untracks a container before it
    // deposits it in the trashcan, so a collection started meanwhile never sees it.
    for (const shape of ['dict', 'list'] as const) {
      const { heap, py, gc, unraisable } = setup();
      const results: number[] = [];
      const Ouch = heap.defineClass('Ouch', { finalize: () => void results.push(gc.collect()) });
      let v: Handle = shape === 'dict' ? py.dict() : py.list();
      for (let i = 0; i < 150; i++) {
        const ouch = py.new(Ouch);
        const next = shape === 'dict' ? py.dict([[1, v], [2, ouch]]) : py.list([ouch, v]);
        ouch.release();
        v.release();
        v = next;
      }
      v.release();
      expect(unraisable.map((u) => String(u.error))).toEqual([]);
      expect(results).toEqual(new Array<number>(150).fill(0));
      expect(heap.liveCount(Ouch)).toBe(0);
      expectListsExactlyTheTrackedObjects(heap, gc);
    }
  });

  test('finalizers that allocate with threshold 1 trigger automatic collections safely, even deep in a deallocation (test_del)', () => {
    const { heap, py, gc, unraisable } = setup({ enabled: true });
    gc.setThreshold(1);
    let ran = 0;
    const A = heap.defineClass('A', {
      finalize: (h) => {
        ran++;
        const l = h.newList(); // dir(self)
        h.decref(h.newList([l, l]));
        h.decref(l);
      },
    });
    const a = py.new(A);
    a.release(); // del a
    expect(ran).toBe(1);

    // The same, a hundred levels deep: each A refers to the next.
    let head = py.new(A);
    for (let i = 0; i < 100; i++) {
      const outer = py.new(A, { next: head });
      head.release();
      head = outer;
    }
    head.release();
    expect(ran).toBe(102);
    expect(heap.liveCount(A)).toBe(0);
    expect(unraisable.map((u) => String(u.error))).toEqual([]);
    gc.disable();
    gc.setThreshold(700, 10, 10);
    gc.collect();
    expectListsExactlyTheTrackedObjects(heap, gc);
  });
});

describe('legacy finalizers (before Python 3.4)', () => {
  test("the seeds' Node cycle with __del__ is uncollectable: both land in gc.garbage, no finalizer runs, collect returns 2", () => {
    const log: string[] = [];
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    const Node = defineNode(heap, log);
    const [n1, n2] = nodeCycle(py, Node);
    expect(heap.length(gc.garbage)).toBe(0);
    expect(gc.collect()).toBe(2);
    expect(log).toEqual([]);
    expect(garbageOf(heap, gc)).toEqual([n1, n2]);
    expect(gc.getStats()[2]).toMatchObject({ collected: 0, uncollectable: 2 });
    // Alive, each held by the other and by gc.garbage.
    expect(heap.refcount(n1!)).toBe(2);
    expect(heap.refcount(n2!)).toBe(2);
    expect(heap.valueOf(heap.getAttr(n1!, 'value'))).toBe(1);
    expect(heap.getAttr(n1!, 'next')).toBe(n2);
  });

  test('a cycle with a finalizer goes to gc.garbage while a cycle without one beside it is collected; breaking it by hand frees it (test_legacy_finalizer)', () => {
    const log: string[] = [];
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    const A = heap.defineClass('A', { finalize: () => log.push('A del') });
    const B = heap.defineClass('B');
    const a = py.new(A);
    a.set('a', a);
    const idA = a.id;
    const b = py.new(B);
    b.set('b', b);
    const bAlive = watch(heap, b.ref);
    gc.collect();
    a.release();
    b.release();
    expect(gc.collect()).toBe(2); // CPython 3.11 with with_tp_del: 2 (collected 1, uncollectable 1)
    expect(bAlive()).toBe(false);
    const garbage = garbageOf(heap, gc);
    expect(garbage.map((r) => heap.id(r))).toEqual([idA]);

    const obj = garbage[0]!;
    const objAlive = watch(heap, obj);
    heap.delAttr(obj, 'a'); // del obj.a
    expect(objAlive()).toBe(true); // gc.garbage still holds it
    heap.deleteItem(gc.garbage, 0); // gc.garbage.remove(obj)
    expect(objAlive()).toBe(false);
    expect(log).toEqual(['A del']); // counting frees it, and its finalizer runs then, once
  });

  test('objects reachable from a legacy finalizer are uncollectable too, but only objects with finalizers go to gc.garbage', () => {
    // l = L(); p = P(); l.p = p; p.l = l; q = P(); q.q = q; q.l = l → 3 (1 collected, 2 uncollectable), garbage [l]
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    const L = heap.defineClass('L', { finalize: () => undefined });
    const P = heap.defineClass('P');
    const info: CollectionInfo[] = [];
    gc.callbacks.push((phase, i) => {
      if (phase === 'stop') info.push(i);
    });
    const refs = py.scope(() => {
      const l = py.new(L);
      const p = py.new(P, { l });
      l.set('p', p);
      const q = py.new(P, { l });
      q.set('q', q);
      return { l: l.ref, p: p.ref, q: watch(heap, q.ref) };
    });
    expect(gc.collect()).toBe(3);
    expect(info).toEqual([{ generation: 2, collected: 1, uncollectable: 2 }]);
    expect(garbageOf(heap, gc)).toEqual([refs.l]);
    expect(refs.q()).toBe(false);
    expect(heap.getAttr(refs.l, 'p')).toBe(refs.p);
    expect(heap.refcount(refs.p)).toBe(1);
  });

  test('gc callbacks report the collected and uncollectable counts, and a stop callback can clean gc.garbage up (GCCallbackTests.test_collect_garbage)', () => {
    const { heap, gc } = setup({ finalizers: 'legacy' });
    // class Uncollectable: a pair of partners with a legacy finalizer; C1055820: a plain self-loop.
    const Uncollectable = heap.defineClass('Uncollectable', { finalize: () => undefined });
    const C1055820 = heap.defineClass('C1055820');
    const uncollectable = () => {
      const x = heap.newInstance(Uncollectable);
      const partner = heap.newInstance(Uncollectable);
      heap.setAttr(x, 'partner', partner);
      heap.setAttr(partner, 'partner', x);
      heap.decref(partner);
      heap.decref(x);
    };
    const visit: [CollectionPhase, CollectionInfo][] = [];
    let cleanup = false;
    gc.callbacks.push((phase, info) => visit.push([phase, info]));
    gc.callbacks.push((phase) => {
      if (phase !== 'stop' || !cleanup) return;
      const found: Ref[] = [];
      for (let i = heap.length(gc.garbage) - 1; i >= 0; i--) {
        if (heap.typeOf(heap.item(gc.garbage, i)) === Uncollectable) found.push(heap.pop(gc.garbage, i));
      }
      for (const e of found) {
        heap.setAttr(e, 'partner', heap.None);
        heap.decref(e);
      }
    });

    uncollectable();
    uncollectable();
    const c = heap.newInstance(C1055820);
    const i666 = heap.newInt(666);
    heap.setAttr(c, 'i', i666);
    heap.decref(i666);
    heap.setAttr(c, 'loop', c);
    heap.decref(c);
    expect(gc.collect()).toBe(5);
    expect(visit).toEqual([
      ['start', { generation: 2, collected: 0, uncollectable: 0 }],
      ['stop', { generation: 2, collected: 1, uncollectable: 4 }],
    ]);
    const garbage = garbageOf(heap, gc);
    expect(garbage).toHaveLength(4);
    for (const e of garbage) expect(heap.typeOf(e)).toBe(Uncollectable);

    cleanup = true;
    visit.length = 0;
    emptyGarbage(heap, gc); // gc.garbage[:] = []
    expect(gc.collect()).toBe(4);
    expect(visit).toEqual([
      ['start', { generation: 2, collected: 0, uncollectable: 0 }],
      ['stop', { generation: 2, collected: 0, uncollectable: 4 }],
    ]);
    expect(heap.length(gc.garbage)).toBe(0);
    expect(heap.liveCount(Uncollectable)).toBe(0);
  });

  test('with DEBUG_SAVEALL every uncollectable object goes to gc.garbage, finalizer objects first', () => {
    // Two pairs l ↔ p: CPython 3.11 prints ['L', 'L', 'P', 'P'] and collect returns 4.
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    const L = heap.defineClass('L', { finalize: () => undefined });
    const P = heap.defineClass('P');
    const pairs = [0, 1].map(() =>
      py.scope(() => {
        const l = py.new(L);
        const p = py.new(P, { l });
        l.set('p', p);
        return [l.ref, p.ref] as const;
      }),
    );
    gc.setDebug(32); // DEBUG_SAVEALL
    expect(gc.collect()).toBe(4);
    expect(garbageOf(heap, gc)).toEqual([pairs[0]![0], pairs[1]![0], pairs[0]![1], pairs[1]![1]]);
  });

  test('an object with a legacy finalizer that only collectable garbage refers to is freed by counting, its finalizer runs, and it is not uncollectable', () => {
    // g = G(); g.g = g; g.f = F(); del g → 1, and F's finalizer runs (CPython 3.11 with with_tp_del).
    const log: string[] = [];
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    const F = heap.defineClass('F', { finalize: () => log.push('F del') });
    const G = heap.defineClass('G');
    py.scope(() => {
      const g = py.new(G, { f: py.new(F) });
      g.set('g', g);
    });
    expect(gc.collect()).toBe(1);
    expect(log).toEqual(['F del']);
    expect(heap.length(gc.garbage)).toBe(0);
    expect(gc.getStats()[2]).toMatchObject({ collected: 1, uncollectable: 0 });
    expect(heap.liveCount(F)).toBe(0);
  });

  test('switching to PEP 442 at run time lets the next collection finalize and free what legacy semantics kept', () => {
    const log: string[] = [];
    const { heap, py, gc } = setup({ finalizers: 'legacy' });
    expect(gc.finalizerSemantics).toBe('legacy');
    const Node = defineNode(heap, log);
    nodeCycle(py, Node);
    expect(gc.collect()).toBe(2);
    emptyGarbage(heap, gc);
    expect(gc.collect()).toBe(2); // still legacy: back to gc.garbage
    expect(heap.length(gc.garbage)).toBe(2);
    emptyGarbage(heap, gc);
    gc.finalizerSemantics = 'pep442';
    expect(gc.collect()).toBe(2);
    expect(log).toEqual(['Node 1 deleted', 'Node 2 deleted']);
    expect(heap.liveCount(Node)).toBe(0);
  });
});
