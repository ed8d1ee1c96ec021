/**
 * The raw layer against CPython's Objects/weakrefobject.c: making and sharing weak
 * references, the order of an object's weakref list, clearing before callbacks, callbacks
 * that throw or reenter, hashing and equality, repr, the errors, and the protocol the
 * collector calls (exercised here by hand; with the real collector in tooling/integration).
 */
import {
  Handles,
  Heap,
  HeapCorruptionError,
  NULL,
  PyReferenceError,
  PyTypeError,
  type Ref,
  type Unraisable,
  UseAfterFreeError,
} from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { Weakrefs } from './index.ts';

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function setup(): { heap: Heap; weakrefs: Weakrefs; reports: Unraisable[]; A: ReturnType<Heap['defineClass']> } {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  const weakrefs = Weakrefs.of(heap);
  const A = heap.defineClass('A');
  return { heap, weakrefs, reports, A };
}

describe('installing', () => {
  it('Weakrefs.of installs once per heap and finds the same instance again', () => {
    const heap = new Heap();
    expect(heap.weakrefs).toBeNull();
    const weakrefs = Weakrefs.of(heap);
    expect(heap.weakrefs).toBe(weakrefs);
    expect(Weakrefs.of(heap)).toBe(weakrefs);
    expect(() => new Weakrefs(heap)).toThrow(PyTypeError);
  });

  it('defines the two weak reference types with CPython names; neither can itself be weakly referenced', () => {
    const { weakrefs } = setup();
    expect(weakrefs.referenceType.name).toBe('weakref.ReferenceType');
    expect(weakrefs.proxyType.name).toBe('weakref.ProxyType');
    expect(weakrefs.referenceType.weakrefable).toBe(false);
    expect(weakrefs.proxyType.weakrefable).toBe(false);
  });
});

describe('ref and deref', () => {
  it('deref gives the referent (borrowed) while it lives and NULL afterwards', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    expect(weakrefs.deref(r)).toBe(a);
    expect(weakrefs.isAlive(r)).toBe(true);
    expect(heap.refcount(a)).toBe(1); // a weak reference does not count
    heap.decref(a);
    expect(weakrefs.deref(r)).toBe(NULL);
    expect(weakrefs.isAlive(r)).toBe(false);
    heap.decref(r);
    heap.verify();
  });

  it('weak references are heap objects: tracked containers with ids that can sit in a list', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    expect(heap.typeOf(r)).toBe(weakrefs.referenceType);
    expect(heap.isTracked(r)).toBe(true);
    expect(heap.id(r)).not.toBe(heap.id(a));
    const list = heap.newList([r]);
    heap.decref(r);
    expect(weakrefs.deref(heap.item(list, 0))).toBe(a);
    heap.decref(a);
    expect(weakrefs.deref(heap.item(list, 0))).toBe(NULL);
    heap.decref(list);
    expect(weakrefs.count).toBe(0);
    heap.verify();
  });

  it('without a callback, every ref to an object is the same weak reference (CPython reuses it)', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r1 = weakrefs.ref(a);
    const r2 = weakrefs.ref(a, null);
    expect(r2).toBe(r1);
    expect(heap.refcount(r1)).toBe(2);
    const p1 = weakrefs.proxy(a);
    const p2 = weakrefs.proxy(a);
    expect(p2).toBe(p1);
    expect(p1).not.toBe(r1);
    const c1 = weakrefs.ref(a, () => undefined);
    const c2 = weakrefs.ref(a, () => undefined);
    expect(c1).not.toBe(c2);
    expect(c1).not.toBe(r1);
    expect(weakrefs.getWeakrefCount(a)).toBe(4);
    for (const r of [r1, r2, p1, p2, c1, c2]) heap.decref(r);
    expect(weakrefs.getWeakrefCount(a)).toBe(0);
    expect(heap.hasWeakrefs(a)).toBe(false);
    heap.decref(a);
    heap.verify();
  });

  it('a ref made again after the shared one died is a new one', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r1 = weakrefs.ref(a);
    const id1 = heap.id(r1);
    heap.decref(r1);
    const r2 = weakrefs.ref(a);
    expect(heap.isAlive(r2)).toBe(true);
    expect(weakrefs.getWeakrefCount(a)).toBe(1);
    heap.decref(r2);
    heap.decref(a);
    expect(id1).toBeGreaterThan(0);
  });

  it('a ref with data is never shared, and keeps its data', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const basic = weakrefs.ref(a);
    const keyed = weakrefs.ref(a, null, 42);
    expect(keyed).not.toBe(basic);
    expect(weakrefs.dataOf(keyed)).toBe(42);
    expect(weakrefs.dataOf(basic)).toBe(0);
    expect(() => weakrefs.ref(a, null, 1.5)).toThrow(PyTypeError);
    expect(weakrefs.getWeakrefCount(a)).toBe(2);
    heap.decref(keyed);
    heap.decref(basic);
    heap.decref(a);
    heap.verify();
  });
});

describe('types that cannot be weakly referenced', () => {
  it("raise CPython's TypeError: cannot create weak reference to 'int' object", () => {
    const { heap, weakrefs } = setup();
    const cases: [Ref, string][] = [
      [heap.newInt(1000), 'int'],
      [heap.newStr('some text'), 'str'],
      [heap.newList(), 'list'],
      [heap.newDict(), 'dict'],
      [heap.newTuple(), 'tuple'],
      [heap.newFloat(1.5), 'float'],
      [heap.newNone(), 'NoneType'],
    ];
    for (const [obj, name] of cases) {
      expect(() => weakrefs.ref(obj)).toThrow(`cannot create weak reference to '${name}' object`);
      expect(() => weakrefs.proxy(obj, () => undefined)).toThrow(PyTypeError);
      expect(weakrefs.getWeakrefCount(obj)).toBe(0);
      expect(weakrefs.getWeakrefs(obj)).toEqual([]);
      heap.decref(obj);
    }
  });

  it("a class with __slots__ but no __weakref__ names the class: 'S' object", () => {
    const { heap, weakrefs } = setup();
    const S = heap.defineClass('S', { slots: ['a'] });
    const s = heap.newInstance(S);
    expect(thrown(() => weakrefs.ref(s))).toMatchObject({
      name: 'PyTypeError',
      pythonName: 'TypeError',
      message: "cannot create weak reference to 'S' object",
    });
    const W = heap.defineClass('W', { slots: ['a', '__weakref__'] });
    const w = heap.newInstance(W);
    const r = weakrefs.ref(w);
    expect(weakrefs.deref(r)).toBe(w);
    heap.decref(r);
    heap.decref(w);
    heap.decref(s);
  });

  it("a weak reference cannot be weakly referenced ('weakref.ReferenceType', 'weakref.ProxyType')", () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    const p = weakrefs.proxy(a);
    expect(() => weakrefs.ref(r)).toThrow("cannot create weak reference to 'weakref.ReferenceType' object");
    expect(() => weakrefs.ref(p)).toThrow("cannot create weak reference to 'weakref.ProxyType' object");
    heap.decref(p);
    heap.decref(r);
    heap.decref(a);
  });

  it('a freed object, a non-weakref and a number that is no object raise clear errors', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    heap.decref(a);
    expect(() => weakrefs.ref(a)).toThrow(UseAfterFreeError);
    const l = heap.newList();
    expect(thrown(() => weakrefs.deref(l))).toMatchObject({ name: 'PyTypeError', message: "expected a weakref, not 'list' object" });
    expect(() => weakrefs.deref(999_999)).toThrow(PyTypeError);
    heap.decref(r);
    expect(() => weakrefs.deref(r)).toThrow(UseAfterFreeError);
    heap.decref(l);
  });
});

describe("an object's weakref list, in CPython's order", () => {
  it('basic ref first, basic proxy second, then the others newest first', () => {
    // CPython 3.11: getweakrefs(a) after r1(cb), r2(cb), p1(cb), ref, proxy
    // → [ref, proxy, p1, r2, r1]
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r1 = weakrefs.ref(a, () => undefined);
    const r2 = weakrefs.ref(a, () => undefined);
    const p1 = weakrefs.proxy(a, () => undefined);
    const basic = weakrefs.ref(a);
    const basicProxy = weakrefs.proxy(a);
    expect(weakrefs.getWeakrefs(a)).toEqual([basic, basicProxy, p1, r2, r1]);
    expect(weakrefs.getWeakrefCount(a)).toBe(5);
    for (const r of [r1, r2, p1, basic, basicProxy]) heap.decref(r);
    heap.decref(a);
    heap.verify();
  });

  it('a basic proxy made before the basic ref still ends up after it', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const c = weakrefs.ref(a, () => undefined);
    const p = weakrefs.proxy(a);
    const r = weakrefs.ref(a);
    const c2 = weakrefs.ref(a, () => undefined);
    expect(weakrefs.getWeakrefs(a)).toEqual([r, p, c2, c]);
    heap.decref(p);
    expect(weakrefs.getWeakrefs(a)).toEqual([r, c2, c]);
    const c3 = weakrefs.proxy(a, () => undefined);
    expect(weakrefs.getWeakrefs(a)).toEqual([r, c3, c2, c]);
    for (const x of [c, r, c2, c3]) heap.decref(x);
    heap.decref(a);
    heap.verify();
  });

  it('dropping weak references from the middle, head and tail keeps the list whole', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const refs = Array.from({ length: 6 }, () => weakrefs.ref(a, () => undefined));
    const order = [...refs].reverse();
    expect(weakrefs.getWeakrefs(a)).toEqual(order);
    for (const at of [2, 0, 3]) {
      const wr = order[at]!;
      heap.decref(wr);
      order.splice(at, 1);
      expect(weakrefs.getWeakrefs(a)).toEqual(order);
      heap.verify();
    }
    for (const wr of order) heap.decref(wr);
    expect(heap.hasWeakrefs(a)).toBe(false);
    heap.decref(a);
    heap.verify();
  });
});

describe('when the referent dies (PyObject_ClearWeakRefs)', () => {
  it('callbacks run in list order, newest first, each with its own weak reference', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const calls: [string, Ref][] = [];
    const r1 = weakrefs.ref(a, (wr) => calls.push(['cb1', wr]));
    const r2 = weakrefs.ref(a, (wr) => calls.push(['cb2', wr]));
    const p = weakrefs.proxy(a, (wr) => calls.push(['pcb', wr]));
    const basic = weakrefs.ref(a);
    heap.decref(a);
    expect(calls).toEqual([
      ['pcb', p],
      ['cb2', r2],
      ['cb1', r1],
    ]);
    for (const r of [r1, r2, p, basic]) heap.decref(r);
    heap.verify();
  });

  it('every weak reference is cleared before the first callback runs', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const seen: Ref[][] = [];
    const basic = weakrefs.ref(a);
    const r1 = weakrefs.ref(a, () => seen.push([weakrefs.deref(basic), weakrefs.deref(r1), weakrefs.deref(r2)]));
    const r2 = weakrefs.ref(a, () => seen.push([weakrefs.deref(basic), weakrefs.deref(r1), weakrefs.deref(r2)]));
    heap.decref(a);
    expect(seen).toEqual([
      [NULL, NULL, NULL],
      [NULL, NULL, NULL],
    ]);
    for (const r of [basic, r1, r2]) heap.decref(r);
  });

  it('with one weak reference the callback runs too, and sees it dead', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    let seen: Ref = -1;
    const r = weakrefs.ref(a, (wr) => (seen = weakrefs.deref(wr)));
    heap.decref(a);
    expect(seen).toBe(NULL);
    expect(weakrefs.callbackOf(r)).toBeUndefined(); // the deallocation took it (wr_callback = NULL)
    heap.decref(r);
  });

  it('callbacks run after the finalizer, before the children are released', () => {
    const { heap, weakrefs } = setup();
    const order: string[] = [];
    const Child = heap.defineClass('Child', { finalize: () => order.push('child finalized') });
    const Parent = heap.defineClass('Parent', { slots: ['child', '__weakref__'], finalize: () => order.push('parent finalized') });
    const parent = heap.newInstance(Parent);
    const child = heap.newInstance(Child);
    heap.setSlot(parent, 0, child);
    heap.decref(child);
    const r = weakrefs.ref(parent, () => order.push('callback'));
    heap.decref(parent);
    expect(order).toEqual(['parent finalized', 'callback', 'child finalized']);
    heap.decref(r);
  });

  it('a weak reference that dies first never calls back', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    let called = 0;
    const r = weakrefs.ref(a, () => called++);
    heap.decref(r);
    heap.decref(a);
    expect(called).toBe(0);
  });

  it('a callback that throws is reported as unraisable and the others still run', () => {
    const { heap, weakrefs, reports, A } = setup();
    const a = heap.newInstance(A);
    const calls: string[] = [];
    const r1 = weakrefs.ref(a, () => calls.push('first'));
    const r2 = weakrefs.ref(a, function explodes() {
      calls.push('explodes');
      throw new Error('boom');
    });
    const r3 = weakrefs.ref(a, () => calls.push('last'));
    heap.decref(a);
    expect(calls).toEqual(['last', 'explodes', 'first']);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.phase).toBe('weakref callback');
    expect(reports[0]!.message).toBe('Exception ignored in: <function explodes>');
    expect((reports[0]!.error as Error).message).toBe('boom');
    for (const r of [r1, r2, r3]) heap.decref(r);
    heap.verify();
  });

  it('a single callback that throws is reported too', () => {
    const { heap, weakrefs, reports, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a, () => {
      throw new TypeError('bad');
    });
    heap.decref(a);
    expect(reports.map((x) => x.phase)).toEqual(['weakref callback']);
    heap.decref(r);
  });

  it('a callback may drop its own weak reference (the last reference to it)', () => {
    const { heap, weakrefs, A } = setup();
    for (const count of [1, 3]) {
      const a = heap.newInstance(A);
      const refs: Ref[] = [];
      for (let i = 0; i < count; i++) refs.push(weakrefs.ref(a, (wr) => heap.decref(wr)));
      heap.decref(a);
      for (const r of refs) expect(heap.isAlive(r)).toBe(false);
      expect(weakrefs.count).toBe(0);
      heap.verify();
    }
  });

  it('a callback may drop other weak references to the same object, whose callbacks still run (they were already due)', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const calls: string[] = [];
    const r1 = weakrefs.ref(a, () => calls.push('r1'));
    const r2 = weakrefs.ref(a, () => {
      calls.push('r2');
      heap.decref(r1);
    });
    heap.decref(a);
    // CPython holds every cleared weakref (and its callback) in a tuple before calling any.
    expect(calls).toEqual(['r2', 'r1']);
    expect(heap.isAlive(r1)).toBe(false);
    heap.decref(r2);
    heap.verify();
  });

  it('a callback may make new weak references, to other objects and to nothing dead', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const b = heap.newInstance(A);
    const made: Ref[] = [];
    const r = weakrefs.ref(a, (wr) => {
      made.push(weakrefs.ref(b, () => undefined));
      expect(() => weakrefs.ref(wr)).toThrow(PyTypeError);
    });
    heap.decref(a);
    expect(made).toHaveLength(1);
    expect(weakrefs.deref(made[0]!)).toBe(b);
    heap.decref(made[0]!);
    heap.decref(r);
    heap.decref(b);
    heap.verify();
  });

  it('a callback may drop another object with weak references: its callbacks run inside, in order', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const b = heap.newInstance(A);
    const calls: string[] = [];
    const rb1 = weakrefs.ref(b, () => calls.push('b1'));
    const rb2 = weakrefs.ref(b, () => calls.push('b2'));
    const ra1 = weakrefs.ref(a, () => calls.push('a1'));
    const ra2 = weakrefs.ref(a, () => {
      calls.push('a2 drops b');
      heap.decref(b);
    });
    heap.decref(a);
    expect(calls).toEqual(['a2 drops b', 'b2', 'b1', 'a1']);
    for (const r of [rb1, rb2, ra1, ra2]) heap.decref(r);
    heap.verify();
  });

  it('lone weak references dying one inside another: each callback gets its own, one callout deeper, a raise inside stays inside', () => {
    const { heap, weakrefs, reports, A } = setup();
    const [a, b, c] = [heap.newInstance(A), heap.newInstance(A), heap.newInstance(A)];
    const seen: [string, Ref, number][] = [];
    const rc = weakrefs.ref(c, function inner(wr) {
      seen.push(['c', wr, heap.calloutDepth]);
      throw new Error('inner');
    });
    const rb = weakrefs.ref(b, (wr) => {
      heap.decref(c);
      seen.push(['b', wr, heap.calloutDepth]);
    });
    const ra = weakrefs.ref(a, (wr) => {
      heap.decref(b);
      seen.push(['a', wr, heap.calloutDepth]);
    });
    heap.decref(a);
    expect(seen).toEqual([
      ['c', rc, 3],
      ['b', rb, 2],
      ['a', ra, 1],
    ]);
    expect(heap.calloutDepth).toBe(0);
    expect(reports.map((x) => x.message)).toEqual(['Exception ignored in: <function inner>']);
    for (const r of [ra, rb, rc]) heap.decref(r);
    heap.verify();
  });

  it('a callback that resurrects nothing can still read other live objects and allocate', () => {
    const { heap, weakrefs, A } = setup();
    const keep = heap.newList();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a, () => {
      for (let i = 0; i < 100; i++) {
        const x = heap.newInstance(A);
        heap.append(keep, x);
        heap.decref(x);
      }
    });
    heap.decref(a);
    expect(heap.length(keep)).toBe(100);
    heap.decref(r);
    heap.decref(keep);
    heap.verify();
  });

  it('freeing a long chain whose every node has a weak reference with a callback stays off the JS stack', () => {
    const { heap, weakrefs } = setup();
    const Node = heap.defineClass('Node', { slots: ['next', '__weakref__'] });
    const n = 100_000;
    let died = 0;
    const refs: Ref[] = [];
    const callback = (): void => {
      died++;
    };
    const head = heap.newInstance(Node);
    let tail = head;
    refs.push(weakrefs.ref(head, callback));
    for (let i = 1; i < n; i++) {
      const node = heap.newInstance(Node);
      refs.push(weakrefs.ref(node, callback));
      heap.setSlot(tail, 0, node);
      heap.decref(node);
      tail = node;
    }
    heap.decref(head);
    expect(died).toBe(n);
    for (const r of refs) heap.decref(r);
    expect(weakrefs.count).toBe(0);
    heap.verify();
  });

  it('a weak reference made by the dying object\'s own finalizer is cleared with the rest (bug #1377858)', () => {
    const { heap, weakrefs } = setup();
    const made: Ref[] = [];
    let called = 0;
    const Target = heap.defineClass('Target', {
      finalize: (_h, self) => {
        made.push(weakrefs.ref(self), weakrefs.ref(self, () => called++));
      },
    });
    heap.decref(heap.newInstance(Target));
    expect(made.map((r) => weakrefs.deref(r))).toEqual([NULL, NULL]);
    expect(called).toBe(1);
    for (const r of made) heap.decref(r);
    heap.verify();
  });

  it('a resurrecting finalizer keeps the weak references (they are cleared only when the object really goes)', () => {
    const { heap, weakrefs } = setup();
    const saved = heap.newList();
    const Phoenix = heap.defineClass('Phoenix', { finalize: (h, self) => h.append(saved, self) });
    const p = heap.newInstance(Phoenix);
    let called = 0;
    const r = weakrefs.ref(p, () => called++);
    heap.decref(p);
    expect(weakrefs.deref(r)).toBe(p); // resurrected, still weakly referenced
    expect(called).toBe(0);
    heap.deleteItem(saved, 0); // the finalizer does not run twice
    expect(weakrefs.deref(r)).toBe(NULL);
    expect(called).toBe(1);
    heap.decref(r);
    heap.decref(saved);
  });
});

describe('hash and equality (weakref_hash, weakref_richcompare)', () => {
  it('refs to the same live object are equal and hash alike; refs to different objects are not equal', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const b = heap.newInstance(A);
    const r1 = weakrefs.ref(a, () => undefined);
    const r2 = weakrefs.ref(a, () => undefined);
    const rb = weakrefs.ref(b);
    expect(weakrefs.equals(r1, r2)).toBe(true);
    expect(weakrefs.hash(r1)).toBe(weakrefs.hash(r2));
    expect(weakrefs.equals(r1, rb)).toBe(false);
    for (const r of [r1, r2, rb]) heap.decref(r);
    heap.decref(a);
    heap.decref(b);
  });

  it('once dead, a ref equals only itself; its hash survives if taken while alive', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r1 = weakrefs.ref(a, () => undefined);
    const r2 = weakrefs.ref(a, () => undefined);
    const h = weakrefs.hash(r1);
    heap.decref(a);
    expect(weakrefs.equals(r1, r2)).toBe(false);
    expect(weakrefs.equals(r1, r1)).toBe(true);
    expect(weakrefs.hash(r1)).toBe(h);
    expect(thrown(() => weakrefs.hash(r2))).toMatchObject({ name: 'PyTypeError', message: 'weak object has gone away' });
    heap.decref(r1);
    heap.decref(r2);
  });

  it("proxies are unhashable; comparing a dead proxy raises ReferenceError", () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const p = weakrefs.proxy(a);
    const q = weakrefs.proxy(a, () => undefined);
    expect(() => weakrefs.hash(p)).toThrow("unhashable type: 'weakref.ProxyType'");
    expect(weakrefs.equals(p, q)).toBe(true);
    heap.decref(a);
    expect(() => weakrefs.equals(p, q)).toThrow(PyReferenceError);
    heap.decref(p);
    heap.decref(q);
  });
});

describe('repr', () => {
  it("ref: <weakref at 0x…; to 'A' at 0x…>, then <weakref at 0x…; dead>", () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    expect(heap.repr(r)).toBe(`<weakref at ${heap.hexId(r)}; to 'A' at ${heap.hexId(a)}>`);
    heap.decref(a);
    expect(heap.repr(r)).toBe(`<weakref at ${heap.hexId(r)}; dead>`);
    expect(heap.describe(r)).toBe(`<weakref.ReferenceType object at ${heap.hexId(r)}>`);
    heap.decref(r);
  });

  it('proxy: <weakproxy at 0x… to A at 0x…>, then to the NoneType it holds (CPython 3.11)', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const p = weakrefs.proxy(a);
    expect(heap.repr(p)).toBe(`<weakproxy at ${heap.hexId(p)} to A at ${heap.hexId(a)}>`);
    heap.decref(a);
    expect(heap.repr(p)).toBe(`<weakproxy at ${heap.hexId(p)} to NoneType at ${heap.hexId(heap.None)}>`);
    heap.decref(p);
  });

  it('a list of weak references prints them', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    const l = heap.newList([r]);
    expect(heap.repr(l)).toBe(`[<weakref at ${heap.hexId(r)}; to 'A' at ${heap.hexId(a)}>]`);
    for (const x of [l, r, a]) heap.decref(x);
  });
});

describe('the protocol the collector calls', () => {
  it('isWeakref and isProxy tell weak reference objects apart from everything else', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    const p = weakrefs.proxy(a);
    expect([weakrefs.isWeakref(r), weakrefs.isWeakref(p), weakrefs.isWeakref(a), weakrefs.isWeakref(heap.None)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect([weakrefs.isProxy(r), weakrefs.isProxy(p), weakrefs.isProxy(a)]).toEqual([false, true, false]);
    for (const x of [r, p, a]) heap.decref(x);
    expect(weakrefs.isWeakref(r)).toBe(false);
  });

  it('clearQuietly clears every weak reference without calling anything, reporting those with callbacks', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const calls: Ref[] = [];
    const basic = weakrefs.ref(a);
    const r1 = weakrefs.ref(a, (wr) => calls.push(wr));
    const r2 = weakrefs.ref(a, (wr) => calls.push(wr));
    const reported: Ref[] = [];
    weakrefs.clearQuietly(a, (wr) => reported.push(wr));
    expect(reported).toEqual([r2, r1]);
    expect(calls).toEqual([]);
    expect(heap.hasWeakrefs(a)).toBe(false);
    expect([weakrefs.deref(basic), weakrefs.deref(r1), weakrefs.deref(r2)]).toEqual([NULL, NULL, NULL]);
    // The callback stays until the collector calls it (and is called once, by invokeCallback).
    expect(weakrefs.callbackOf(r1)).toBeTypeOf('function');
    for (const wr of reported) weakrefs.invokeCallback(wr);
    expect(calls).toEqual([r2, r1]);
    heap.decref(a); // nothing left to clear: no callback runs again
    expect(calls).toEqual([r2, r1]);
    for (const x of [basic, r1, r2]) heap.decref(x);
    heap.verify();
  });

  it('detach clears a weak reference so its callback never runs; the referent loses its flag with its last one', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    let called = 0;
    const r = weakrefs.ref(a, () => called++);
    weakrefs.detach(r);
    expect(weakrefs.deref(r)).toBe(NULL);
    expect(heap.hasWeakrefs(a)).toBe(false);
    heap.decref(a);
    expect(called).toBe(0);
    weakrefs.detach(r); // twice is harmless
    heap.decref(r);
    heap.verify();
  });

  it("the type's clear (tp_clear) unlinks and drops the callback, and the weak reference lives on dead", () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    let called = 0;
    const r = weakrefs.ref(a, () => called++);
    heap.clearReferences(r);
    expect(heap.isAlive(r)).toBe(true);
    expect(weakrefs.deref(r)).toBe(NULL);
    expect(weakrefs.callbackOf(r)).toBeUndefined();
    heap.clearReferences(r); // a second clear finds nothing to do
    heap.decref(a);
    expect(called).toBe(0);
    heap.decref(r);
    heap.verify();
  });

  it('verify catches a referent whose weakref flag was cleared behind the table', () => {
    const { heap, weakrefs, A } = setup();
    const a = heap.newInstance(A);
    const r = weakrefs.ref(a);
    heap.verify();
    heap.setHasWeakrefs(a, false);
    expect(() => heap.verify()).toThrow(HeapCorruptionError);
    heap.setHasWeakrefs(a, true);
    heap.verify();
    heap.decref(r);
    heap.decref(a);
  });
});

describe('with handles', () => {
  it('the raw layer takes refs borrowed from handles', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const weakrefs = Weakrefs.of(heap);
    const A = py.defineClass('A');
    const a = py.new(A);
    const r = weakrefs.ref(a.ref);
    expect(weakrefs.deref(r)).toBe(a.ref);
    a.release();
    expect(weakrefs.deref(r)).toBe(NULL);
    heap.decref(r);
  });
});
