/**
 * Bad input gets a clear, typed error whose message names the object, and leaves every count
 * as it was: decref below zero, any use of a freed object, ids and handles from another heap,
 * a handle released twice, a slot the class lacks, a value of the wrong kind for a typed
 * field, objectAt of a free or reused id.
 */
import { describe, expect, it } from 'vitest';
import {
  DoubleReleaseError,
  ForeignHeapError,
  Handles,
  HeapCorruptionError,
  Heap,
  PyAttributeError,
  PyKeyError,
  PyReferenceError,
  PyTypeError,
  PyValueError,
  PyIndexError,
  RefcountError,
  RefheapError,
  type Ref,
  StaleIdError,
  type Unraisable,
  UseAfterFreeError,
} from './index.ts';

/** Everything a bad call must leave unchanged (and the heap's own integrity check must pass). */
function snapshot(heap: Heap, refs: readonly Ref[]): unknown {
  heap.verify();
  const stats = heap.stats();
  return {
    live: stats.live,
    allocations: stats.allocations,
    deallocations: stats.deallocations,
    bytes: stats.bytes,
    counts: refs.map((r) => heap.refcount(r)),
  };
}

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

const NODE = /<Node object at 0x[0-9a-f]+>/;

describe('the error classes', () => {
  it('all derive from RefheapError and carry the matching Python exception name', () => {
    const cases: [RefheapError, string][] = [
      [new UseAfterFreeError('m'), 'SystemError'],
      [new RefcountError('m'), 'SystemError'],
      [new ForeignHeapError('m'), 'SystemError'],
      [new DoubleReleaseError('m'), 'SystemError'],
      [new StaleIdError('m', 'freed'), 'ValueError'],
      [new PyTypeError('m'), 'TypeError'],
      [new PyValueError('m'), 'ValueError'],
      [new PyAttributeError('m'), 'AttributeError'],
      [new PyIndexError('m'), 'IndexError'],
      [new PyKeyError('m'), 'KeyError'],
      [new PyReferenceError('m'), 'ReferenceError'],
    ];
    for (const [error, pythonName] of cases) {
      expect(error).toBeInstanceOf(RefheapError);
      expect(error).toBeInstanceOf(Error);
      expect(error.pythonName).toBe(pythonName);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new UseAfterFreeError('m', '<Node object at 0x10>').object).toBe('<Node object at 0x10>');
  });
});

describe('decref below zero', () => {
  it('decref of a freed object raises UseAfterFreeError naming it, and changes nothing', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const other = heap.newList();
    const n = heap.newInstance(Node);
    heap.decref(n);
    const before = snapshot(heap, [other]);
    const error = thrown(() => heap.decref(n));
    expect(error).toBeInstanceOf(UseAfterFreeError);
    expect((error as Error).message).toMatch(NODE);
    expect((error as UseAfterFreeError).object).toMatch(NODE);
    expect(snapshot(heap, [other])).toEqual(before);
  });

  it('a finalizer over-releasing self gets RefcountError, reported as unraisable; the object is freed exactly once', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    const Node = heap.defineClass('Node', { slots: ['a'], finalize: (h, self) => h.decref(self) });
    const live = heap.liveObjects;
    const deallocations = heap.stats().deallocations;
    const n = heap.newInstance(Node);
    heap.decref(n);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.phase).toBe('finalizer');
    expect(reports[0]!.error).toBeInstanceOf(RefcountError);
    expect((reports[0]!.error as Error).message).toMatch(NODE);
    expect(reports[0]!.message.startsWith('Exception ignored in:')).toBe(true);
    expect(heap.isAlive(n)).toBe(false);
    expect(heap.liveObjects).toBe(live);
    expect(heap.stats().deallocations - deallocations).toBe(1);
    // Freed once: the index comes back for one new object, not two.
    const a = heap.newList();
    const b = heap.newList();
    expect(a).not.toBe(b);
    expect(heap.liveObjects).toBe(live + 2);
  });
});

describe('any use of a freed object', () => {
  it('raises UseAfterFreeError naming the object, and changes no count', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const n = heap.newInstance(Node);
    const l = heap.newList();
    const d = heap.newDict();
    const s = heap.newSet();
    const keep = heap.newInstance(Node);
    const x = heap.newList();
    heap.setSlot(keep, 0, x);
    heap.decref(n);
    const watched = [l, d, s, keep, x];
    const before = snapshot(heap, watched);
    const uses: [string, () => unknown][] = [
      ['incref', () => heap.incref(n)],
      ['refcount', () => heap.refcount(n)],
      ['getrefcount', () => heap.getrefcount(n)],
      ['id', () => heap.id(n)],
      ['hexId', () => heap.hexId(n)],
      ['repr', () => heap.repr(n)],
      ['typeOf', () => heap.typeOf(n)],
      ['getAttr', () => heap.getAttr(n, 'a')],
      ['setAttr', () => heap.setAttr(n, 'a', x)],
      ['delAttr', () => heap.delAttr(n, 'a')],
      ['getSlot', () => heap.getSlot(n, 0)],
      ['setSlot', () => heap.setSlot(n, 0, x)],
      ['sizeOf', () => heap.sizeOf(n)],
      ['isTracked', () => heap.isTracked(n)],
      ['isFinalized', () => heap.isFinalized(n)],
      ['setHasWeakrefs', () => heap.setHasWeakrefs(n, true)],
      ['clearReferences', () => heap.clearReferences(n)],
      ['hashKey', () => heap.hashKey(n)],
      ['store in a slot', () => heap.setSlot(keep, 0, n)],
      ['append it', () => heap.append(l, n)],
      ['newList of it', () => heap.newList([x, n])],
      ['newTuple of it', () => heap.newTuple([n])],
      ['newSet of it', () => heap.newSet([n])],
      ['dict value', () => heap.dictSet(d, x, n)],
      ['dict key', () => heap.dictSet(d, n, x)],
      ['set member', () => heap.setAdd(s, n)],
      ['cell of it', () => heap.newCell(n)],
    ];
    for (const [what, use] of uses) {
      const error = thrown(use);
      expect(error, what).toBeInstanceOf(UseAfterFreeError);
      expect((error as Error).message, what).toMatch(NODE);
      expect(snapshot(heap, watched), what).toEqual(before);
    }
    expect(heap.getSlot(keep, 0)).toBe(x);
  });

  it('a freed list, dict or str refuses its own operations too', () => {
    const heap = new Heap();
    const l = heap.newList();
    const d = heap.newDict();
    const str = heap.newStr('not interned');
    heap.decref(l);
    heap.decref(d);
    heap.decref(str);
    const uses: (() => unknown)[] = [
      () => heap.append(l, heap.None),
      () => heap.item(l, 0),
      () => heap.length(l),
      () => heap.pop(l),
      () => heap.dictSet(d, heap.None, heap.None),
      () => heap.dictGet(d, heap.None),
      () => heap.valueOf(str),
      () => heap.repr(d),
    ];
    for (const use of uses) expect(use).toThrow(UseAfterFreeError);
  });

  it('traverse of a freed object raises UseAfterFreeError instead of visiting garbage', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
    const n = heap.newInstance(Node);
    heap.setSlot(n, 0, heap.None);
    heap.decref(n);
    heap.decref(heap.newList()); // the free list now threads through n's columns
    const seen: Ref[] = [];
    expect(() => heap.traverse(n, (c) => seen.push(c))).toThrow(UseAfterFreeError);
    expect(seen).toEqual([]);
  });

  it('a number that was never an object is a TypeError, not a crash', () => {
    const heap = new Heap();
    for (const bogus of [0, -1, 10_000_000, 1.5]) {
      expect(() => heap.incref(bogus)).toThrow(PyTypeError);
      expect(() => heap.decref(bogus)).toThrow(RefheapError);
      expect(() => heap.repr(bogus)).toThrow(RefheapError);
    }
  });
});

describe('ids and handles from another heap', () => {
  it('objectAt of another heap’s id raises ForeignHeapError and changes nothing', () => {
    const h1 = new Heap();
    const h2 = new Heap();
    const l2 = h2.newList();
    const before1 = snapshot(h1, []);
    const before2 = snapshot(h2, [l2]);
    expect(() => h1.objectAt(h2.id(l2))).toThrow(ForeignHeapError);
    expect(snapshot(h1, [])).toEqual(before1);
    expect(snapshot(h2, [l2])).toEqual(before2);
  });

  it('ids stay foreign however many heaps a program makes (more than 256)', () => {
    const first = new Heap();
    const idInFirst = first.id(first.newList());
    let collided = 0;
    for (let i = 0; i < 300; i++) {
      const other = new Heap();
      const ref = other.newList();
      try {
        other.objectAt(idInFirst);
        collided++;
      } catch (error) {
        expect(error).toBeInstanceOf(ForeignHeapError);
      }
      other.decref(ref);
    }
    expect(collided).toBe(0);
  });

  it('a handle from another heap raises ForeignHeapError naming the object, and changes no count on either heap', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const otherHeap = new Heap();
    const other = new Handles(otherHeap);
    const Node = otherHeap.defineClass('Node', { slots: ['a'] });
    const foreign = other.new(Node);
    const l = py.list([1]);
    const before = snapshot(heap, [l.ref]);
    const beforeOther = snapshot(otherHeap, [foreign.ref]);
    const error = thrown(() => l.append(foreign));
    expect(error).toBeInstanceOf(ForeignHeapError);
    expect((error as Error).message).toMatch(NODE);
    expect(snapshot(heap, [l.ref])).toEqual(before);
    expect(snapshot(otherHeap, [foreign.ref])).toEqual(beforeOther);
  });
});

describe('a handle released twice', () => {
  it('raises DoubleReleaseError naming the object, and changes no count', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const Node = py.defineClass('Node', { slots: ['a'] });
    const a = py.new(Node);
    const b = a.dup();
    b.release();
    const before = snapshot(heap, [a.ref]);
    const error = thrown(() => b.release());
    expect(error).toBeInstanceOf(DoubleReleaseError);
    expect((error as Error).message).toMatch(NODE);
    expect(snapshot(heap, [a.ref])).toEqual(before);
    a.release();
    expect(() => a.release()).toThrow(DoubleReleaseError);
  });
});

describe('a released handle passed as an argument', () => {
  it('py.call raises UseAfterFreeError and takes no reference to the other arguments', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const good = py.list();
    const gone = py.list();
    gone.release();
    const before = snapshot(heap, [good.ref]);
    let called = false;
    expect(() =>
      py.call(
        (_a, _b) => {
          called = true;
        },
        good,
        gone,
      ),
    ).toThrow(UseAfterFreeError);
    expect(called).toBe(false);
    expect(snapshot(heap, [good.ref])).toEqual(before);
  });
});

describe('a slot name the class lacks', () => {
  it('raw setAttr raises CPython’s AttributeError and keeps the value’s count', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a'] });
    const s = heap.newInstance(S);
    const v = heap.newList();
    const before = snapshot(heap, [s, v]);
    const error = thrown(() => heap.setAttr(s, 'b', v));
    expect(error).toBeInstanceOf(PyAttributeError);
    expect((error as Error).message).toBe("'S' object has no attribute 'b'");
    expect((error as PyAttributeError).object).toBe(heap.describe(s));
    expect(snapshot(heap, [s, v])).toEqual(before);
  });

  it('py.new(S, { b: … }) raises AttributeError and leaves no half-built instance behind', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const S = py.defineClass('S', { slots: ['a'] });
    using v = py.list();
    const before = snapshot(heap, [v.ref]);
    expect(() => py.new(S, { a: v, b: 1 })).toThrow("'S' object has no attribute 'b'");
    expect(snapshot(heap, [v.ref])).toEqual(before);
    expect(heap.liveCount(S)).toBe(0);
  });
});

describe('a value of the wrong kind for a typed field', () => {
  it('an int32 slot refuses a non-integer or out-of-range number, keeping its value', () => {
    const heap = new Heap();
    const T = heap.defineClass('Counter', { slots: [{ name: 'count', kind: 'int32' }, 'obj'] });
    const t = heap.newInstance(T);
    heap.setSlotInt(t, 0, 41);
    const before = snapshot(heap, [t]);
    const error = thrown(() => heap.setSlotInt(t, 0, 0.5));
    expect(error).toBeInstanceOf(PyTypeError);
    expect((error as Error).message).toMatch(/slot 'count' of <Counter object at 0x[0-9a-f]+>/);
    expect(heap.getSlotInt(t, 0)).toBe(41);
    expect(snapshot(heap, [t])).toEqual(before);
  });

  it('an int32 slot refuses an object, and the object keeps its count', () => {
    const heap = new Heap();
    const T = heap.defineClass('Counter', { slots: [{ name: 'count', kind: 'int32' }] });
    const t = heap.newInstance(T);
    const x = heap.newList();
    const before = snapshot(heap, [t, x]);
    const error = thrown(() => heap.setSlot(t, 0, x));
    expect(error).toBeInstanceOf(PyTypeError);
    expect((error as Error).message).toMatch(/slot 'count' of <Counter object at 0x[0-9a-f]+>/);
    expect((error as PyTypeError).object).toBe(heap.describe(t));
    expect(snapshot(heap, [t, x])).toEqual(before);
  });

  it('an unhashable key or member leaves dict and set, and every count, as they were', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const s = heap.newSet();
    const l = heap.newList();
    const v = heap.newList();
    const before = snapshot(heap, [d, s, l, v]);
    expect(() => heap.dictSet(d, l, v)).toThrow("unhashable type: 'list'");
    expect(() => heap.setAdd(s, l)).toThrow("unhashable type: 'list'");
    expect(snapshot(heap, [d, s, l, v])).toEqual(before);
  });

  it('newSet with an unhashable item raises and leaves no half-built set behind', () => {
    const heap = new Heap();
    const one = heap.newInt(1000);
    const l = heap.newList();
    const before = snapshot(heap, [one, l]);
    expect(() => heap.newSet([one, l])).toThrow("unhashable type: 'list'");
    expect(snapshot(heap, [one, l])).toEqual(before);
  });

  it('py.dict with an unhashable key raises and leaves no half-built dict behind', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    using key = py.list();
    const before = snapshot(heap, [key.ref]);
    expect(() => py.dict([[key, 1]])).toThrow("unhashable type: 'list'");
    expect(snapshot(heap, [key.ref])).toEqual(before);
  });
});

describe('objectAt of an id that is free or reused', () => {
  it('says which, and changes nothing', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const l = heap.newList();
    const id = heap.id(l);
    heap.decref(l);
    let before = snapshot(heap, []);
    const freed = thrown(() => heap.objectAt(id));
    expect(freed).toBeInstanceOf(StaleIdError);
    expect((freed as StaleIdError).reason).toBe('freed');
    expect((freed as Error).message).toContain(`list object at 0x${id.toString(16)}`);
    expect(snapshot(heap, [])).toEqual(before);
    const n = heap.newInstance(Node);
    before = snapshot(heap, [n]);
    const reused = thrown(() => heap.objectAt(id));
    expect(reused).toBeInstanceOf(StaleIdError);
    expect((reused as StaleIdError).reason).toBe('reused');
    expect((reused as Error).message).toMatch(NODE);
    expect(snapshot(heap, [n])).toEqual(before);
  });
});

describe('heap.verify()', () => {
  it('passes on a heap after ordinary work, cycles included', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const Node = py.defineClass('Node', { slots: ['next'] });
    const a = py.new(Node);
    const b = py.new(Node, { next: a });
    a.set('next', b);
    using d = py.dict({ k: py.list([a, 1.5, 'x y']) });
    a.release();
    b.release();
    expect(d.length).toBe(1);
    expect(() => heap.verify()).not.toThrow();
  });

  it('names a container that refers to an object an unbalanced decref freed', () => {
    const heap = new Heap();
    const item = heap.newList();
    const holder = heap.newList([item]);
    heap.decref(item);
    heap.decref(item); // one too many: the holder's reference is gone
    const error = thrown(() => heap.verify());
    expect(error).toBeInstanceOf(HeapCorruptionError);
    expect((error as Error).message).toContain(heap.describe(holder));
  });
});
