/**
 * The seeds' examples, run as tests: the reference-count walk-through (Chris Barker's
 * "Playing with References"), a function call's parameter, the two self-nesting lists,
 * and the A ↔ B classes that keep each other alive.
 */
import { describe, expect, it } from 'vitest';
import { Handles, Heap } from './index.ts';

describe('the reference-count walk-through', () => {
  it('a = [] → 2; b = a → 3; l = [1, 2, 3, a] → 4; del b → 3; del l → 2', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const live = heap.liveObjects;
    const a = py.list(); // a = []
    expect(py.getrefcount(a)).toBe(2);
    const b = a.dup(); // b = a
    expect(py.getrefcount(a)).toBe(3);
    expect(b.is(a)).toBe(true);
    const l = py.list([1, 2, 3, a]); // l = [1, 2, 3, a]
    expect(py.getrefcount(a)).toBe(4);
    b.release(); // del b
    expect(py.getrefcount(a)).toBe(3);
    l.release(); // del l
    expect(py.getrefcount(a)).toBe(2);
    a.release();
    expect(heap.liveObjects).toBe(live);
  });

  it('the same walk-through on the raw layer', () => {
    const heap = new Heap();
    const a = heap.newList();
    expect(heap.getrefcount(a)).toBe(2);
    heap.incref(a); // b = a
    expect(heap.getrefcount(a)).toBe(3);
    const l = heap.newList([heap.newInt(1), heap.newInt(2), heap.newInt(3), a]);
    expect(heap.getrefcount(a)).toBe(4);
    heap.decref(a); // del b
    expect(heap.getrefcount(a)).toBe(3);
    heap.decref(l); // del l
    expect(heap.getrefcount(a)).toBe(2);
  });

  it('inside def test(x), getrefcount(x) is 3 (CPython 3.11: name, parameter, argument), and 2 again after', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    using a = py.list();
    expect(py.getrefcount(a)).toBe(2);
    const inside = py.call((x) => py.getrefcount(x), a);
    expect(inside).toBe(3);
    expect(py.getrefcount(a)).toBe(2);
  });

  it('x = 3: a small int is shared, so its count is huge', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    using x = py.int(3);
    expect(py.getrefcount(x)).toBeGreaterThan(1_000_000);
    using y = py.int(3);
    expect(y.is(x)).toBe(true);
  });
});

describe('circular references', () => {
  it('l1 = [1]; l2 = [2]; l1.append(l2); l2.append(l1) prints [1, [2, [...]]] and [2, [1, [...]]]', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const l1 = py.list([1]);
    const l2 = py.list([2]);
    l1.append(l2);
    l2.append(l1);
    expect(l1.repr()).toBe('[1, [2, [...]]]');
    expect(l2.repr()).toBe('[2, [1, [...]]]');
    using l1_1 = l1.get(1);
    expect(l1_1.repr()).toBe('[2, [1, [...]]]');
    using x = l2.get(1);
    using y = x.get(1);
    using z = y.get(1);
    expect(z.repr()).toBe('[1, [2, [...]]]');
    expect(z.is(l1)).toBe(true);
  });

  it('after del l1, l2 both lists stay alive with a count of one each (counting alone cannot free them)', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const live = heap.liveObjects;
    const l1 = py.list([1]);
    const l2 = py.list([2]);
    l1.append(l2);
    l2.append(l1);
    const id1 = l1.id;
    const id2 = l2.id;
    l1.release();
    l2.release();
    expect(heap.refcount(heap.objectAt(id1))).toBe(1);
    expect(heap.refcount(heap.objectAt(id2))).toBe(1);
    expect(heap.liveObjects).toBe(live + 2);
  });

  it('A() with self.b = B(self): A has 2 (my_var and b.a), B has 1 (a.b); after my_var = None, 1 and 1', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const A = py.defineClass('A');
    const B = py.defineClass('B');
    /** class A: def __init__(self): self.b = B(self) — class B: def __init__(self, obj): self.a = obj */
    const newA = (): ReturnType<typeof py.new> =>
      py.scope(() => {
        const self = py.new(A);
        const b = py.new(B, { a: self }); // B(self): b.a = obj
        self.set('b', b); // self.b = …; the temporary b goes with the scope
        return self;
      });
    const myVar = newA();
    const idA = myVar.id;
    const b = myVar.get('b');
    const idB = b.id;
    b.release();
    expect(heap.refcount(heap.objectAt(idA))).toBe(2);
    expect(heap.refcount(heap.objectAt(idB))).toBe(1);
    expect(heap.getAttr(heap.objectAt(idB), 'a')).toBe(heap.objectAt(idA));
    myVar.release(); // my_var = None
    expect(heap.refcount(heap.objectAt(idA))).toBe(1);
    expect(heap.refcount(heap.objectAt(idB))).toBe(1);
  });
});
