/**
 * The ergonomic layer: Handle (one owned reference), Handles (constructors and helpers),
 * Scope (releases what was made inside it), and `using`.
 */
import { describe, expect, it } from 'vitest';
import {
  DoubleReleaseError,
  ForeignHeapError,
  type Handle,
  Handles,
  Heap,
  PyKeyError,
  PyTypeError,
  type Ref,
  Scope,
  UseAfterFreeError,
} from './index.ts';

function setup(): { heap: Heap; py: Handles } {
  const heap = new Heap();
  return { heap, py: new Handles(heap) };
}

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('using', () => {
  it('releases the handle at the end of the block', () => {
    const { heap, py } = setup();
    const live = heap.liveObjects;
    let ref: Ref;
    {
      using l = py.list([1, 2]);
      ref = l.ref;
      expect(heap.isAlive(ref)).toBe(true);
      expect(heap.liveObjects).toBe(live + 1);
    }
    expect(heap.isAlive(ref)).toBe(false);
    expect(heap.liveObjects).toBe(live);
  });

  it('releases in reverse order of declaration, even when the block throws', () => {
    const { heap, py } = setup();
    const log: string[] = [];
    const Named = heap.defineClass('Named', {
      slots: ['name'],
      finalize: (h, self) => log.push(String(h.valueOf(h.getSlot(self, 0)))),
    });
    expect(() => {
      using a = py.new(Named, { name: 'a' });
      using b = py.new(Named, { name: 'b' });
      expect(a.refcount + b.refcount).toBe(2);
      throw new Error('boom');
    }).toThrow('boom');
    expect(log).toEqual(['b', 'a']);
  });

  it('works with Symbol.dispose directly', () => {
    const { heap, py } = setup();
    const h = py.list();
    const ref = h.ref;
    h[Symbol.dispose]();
    expect(h.released).toBe(true);
    expect(heap.isAlive(ref)).toBe(false);
  });
});

describe('dup and release', () => {
  it('dup is b = a: another owned reference to the same object', () => {
    const { py } = setup();
    using a = py.list();
    const b = a.dup();
    expect(b.is(a)).toBe(true);
    expect(b).not.toBe(a);
    expect(a.refcount).toBe(2);
    b.release();
    expect(a.refcount).toBe(1);
    expect(b.released).toBe(true);
    expect(a.released).toBe(false);
  });

  it('releasing the last handle frees the object', () => {
    const { heap, py } = setup();
    const a = py.list();
    const id = a.id;
    a.release();
    expect(() => heap.objectAt(id)).toThrow('has been freed');
  });

  it('a second release raises DoubleReleaseError naming the object, and changes no count', () => {
    const { heap, py } = setup();
    using keep = py.list();
    const a = keep.dup();
    a.release();
    const before = heap.refcount(keep.ref);
    const error = thrown(() => a.release());
    expect(error).toBeInstanceOf(DoubleReleaseError);
    expect((error as Error).message).toMatch(/<list object at 0x[0-9a-f]+>/);
    expect((error as DoubleReleaseError).object).toBe(heap.describe(keep.ref));
    expect(heap.refcount(keep.ref)).toBe(before);
  });

  it('after a release, errors still name the handle’s own object even when its index now holds another', () => {
    const { py } = setup();
    const a = py.list();
    const ref = a.ref;
    a.release(); // frees the list
    using d = py.dict(); // reuses its index
    expect(d.ref).toBe(ref);
    const double = thrown(() => a.release());
    expect(double).toBeInstanceOf(DoubleReleaseError);
    expect((double as Error).message).toMatch(/<list object at 0x[0-9a-f]+>/);
    const use = thrown(() => a.ref);
    expect(use).toBeInstanceOf(UseAfterFreeError);
    expect((use as Error).message).toMatch(/<list object at 0x[0-9a-f]+>/);
  });

  it('use after release raises UseAfterFreeError, whatever the use', () => {
    const { heap, py } = setup();
    using keep = py.list();
    const a = keep.dup();
    a.release();
    const uses: (() => unknown)[] = [
      () => a.ref,
      () => a.repr(),
      () => a.refcount,
      () => a.getrefcount(),
      () => a.id,
      () => a.append(1),
      () => a.get(0),
      () => a.set(0, 1),
      () => a.dup(),
      () => a.length,
      () => py.list([a]),
    ];
    for (const use of uses) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(UseAfterFreeError);
      expect((error as Error).message).toMatch(/<list object at 0x[0-9a-f]+>/);
    }
    expect(heap.refcount(keep.ref)).toBe(1);
    expect(keep.length).toBe(0);
    expect(a.toString()).toBe('<released handle>');
  });

  it('a handle whose object an unbalanced decref freed says so, even after the index is reused', () => {
    const { heap, py } = setup();
    const a = py.list();
    heap.decref(a.ref); // someone else's bug
    expect(() => a.ref).toThrow(UseAfterFreeError);
    const other = py.dict(); // takes the same index
    expect(() => a.repr()).toThrow(UseAfterFreeError);
    expect(() => a.release()).toThrow(UseAfterFreeError);
    expect(other.refcount).toBe(1);
  });
});

describe('handles from another heap', () => {
  it('are refused by every method that takes a value, with ForeignHeapError, changing no count', () => {
    const { heap, py } = setup();
    const other = new Handles(new Heap());
    using foreign = other.list();
    using l = py.list();
    using d = py.dict();
    using s = py.set();
    using C = py.new(py.defineClass('C'));
    const live = heap.liveObjects;
    const uses: (() => unknown)[] = [
      () => l.append(foreign),
      () => l.set(0, foreign),
      () => d.set('k', foreign),
      () => d.set(foreign, 1),
      () => d.get(foreign),
      () => d.has(foreign),
      () => s.add(foreign),
      () => C.set('x', foreign),
      () => py.list([1, foreign]),
      () => py.tuple([foreign]),
      () => py.set([foreign]),
      () => py.of(foreign),
    ];
    for (const use of uses) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(ForeignHeapError);
      expect((error as Error).message).toMatch(/<list object at 0x[0-9a-f]+>/);
    }
    expect(heap.liveObjects).toBe(live);
    expect(foreign.refcount).toBe(1);
    expect(l.length + d.length + s.length).toBe(0);
  });

  it('py.dict refuses one and leaves no half-built dict behind', () => {
    const { heap, py } = setup();
    const other = new Handles(new Heap());
    using foreign = other.list();
    heap.decref(heap.intern('k')); // interned strs live on in the interning table
    const live = heap.liveObjects;
    expect(() => py.dict([['k', foreign]])).toThrow(ForeignHeapError);
    expect(heap.liveObjects).toBe(live);
    expect(heap.liveCount(heap.types.dict)).toBe(0);
  });

  it('are refused by the Handles helpers too (getrefcount, id, call)', () => {
    const { py } = setup();
    const other = new Handles(new Heap());
    using foreign = other.list();
    expect(() => py.getrefcount(foreign)).toThrow(ForeignHeapError);
    expect(() => py.id(foreign)).toThrow(ForeignHeapError);
    expect(() => py.call((x) => x.refcount, foreign)).toThrow(ForeignHeapError);
    expect(foreign.refcount).toBe(1);
  });
});

describe('scopes', () => {
  it('py.scope releases every handle made inside it', () => {
    const { heap, py } = setup();
    heap.decref(heap.intern('k')); // interned strs live on in the interning table
    const live = heap.liveObjects;
    const refs: Ref[] = [];
    const result = py.scope(() => {
      const a = py.list([1, 2]);
      const b = py.dict({ k: a });
      const c = b.get('k');
      refs.push(a.ref, b.ref);
      expect(c.is(a)).toBe(true);
      return 42;
    });
    expect(result).toBe(42);
    for (const r of refs) expect(heap.isAlive(r)).toBe(false);
    expect(heap.liveObjects).toBe(live);
  });

  it('the handle a scope returns survives it', () => {
    const { heap, py } = setup();
    const live = heap.liveObjects;
    const kept = py.scope(() => {
      const a = py.list([1]);
      const tmp = py.list([a]);
      expect(tmp.length).toBe(1);
      return a;
    });
    expect(kept.released).toBe(false);
    expect(kept.refcount).toBe(1);
    expect(kept.repr()).toBe('[1]');
    expect(heap.liveObjects).toBe(live + 1);
    kept.release();
    expect(heap.liveObjects).toBe(live);
  });

  it('the handle an inner scope returns belongs to the outer scope, and goes when that closes', () => {
    const { heap, py } = setup();
    const live = heap.liveObjects;
    let inner: Handle | undefined;
    py.scope(() => {
      inner = py.scope(() => py.list([1]));
      expect(inner.released).toBe(false);
      expect(heap.liveObjects).toBe(live + 1);
    });
    expect(inner!.released).toBe(true);
    expect(heap.liveObjects).toBe(live);
  });

  it('scope.keep saves a handle; it passes to the enclosing scope', () => {
    const { heap, py } = setup();
    let kept: Handle | undefined;
    py.scope(() => {
      py.scope((inner) => {
        kept = inner.keep(py.list([7]));
        py.list([8]);
      });
      expect(kept!.released).toBe(false);
      expect(kept!.repr()).toBe('[7]');
    });
    expect(kept!.released).toBe(true);
    expect(heap.liveCount(heap.types.list)).toBe(0);
  });

  it('a scope opened for using releases on block exit; handles released early are skipped', () => {
    const { heap, py } = setup();
    const live = heap.liveObjects;
    {
      using _scope = py.openScope();
      const a = py.list();
      const b = py.list();
      a.release();
      expect(b.released).toBe(false);
    }
    expect(heap.liveObjects).toBe(live);
  });

  it('closes newest first, and still closes when the body throws', () => {
    const { heap, py } = setup();
    const log: string[] = [];
    const Named = heap.defineClass('Named', {
      slots: ['name'],
      finalize: (h, self) => log.push(String(h.valueOf(h.getSlot(self, 0)))),
    });
    expect(() =>
      py.scope(() => {
        py.new(Named, { name: 'first' });
        py.new(Named, { name: 'second' });
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(log).toEqual(['second', 'first']);
    expect(heap.liveCount(Named)).toBe(0);
  });

  it('a Scope closed twice does nothing the second time', () => {
    const { heap, py } = setup();
    const scope = new Scope(heap);
    py.list();
    scope.close();
    const live = heap.liveObjects;
    scope.close();
    expect(heap.liveObjects).toBe(live);
  });
});

describe('py.call models a Python function call', () => {
  it('the parameter holds a reference for the call and gives it back', () => {
    const { py } = setup();
    using a = py.list();
    const counts = py.call((x, y) => [x.refcount, y.refcount, x.getrefcount()], a, a);
    expect(counts).toEqual([3, 3, 4]);
    expect(a.refcount).toBe(1);
  });

  it('parameters are released even when the body throws', () => {
    const { py } = setup();
    using a = py.list();
    expect(() =>
      py.call((_x: Handle) => {
        throw new Error('raised in f');
      }, a),
    ).toThrow('raised in f');
    expect(a.refcount).toBe(1);
  });
});

describe('reading and writing through handles', () => {
  it('lists: get, read, set, delete, pop, append and negative indexes', () => {
    const { py } = setup();
    using l = py.list([1, 2, 3]);
    expect(l.read(-1)).toBe(3);
    l.set(0, 'a b').append(4.5);
    expect(l.repr()).toBe("['a b', 2, 3, 4.5]");
    l.delete(1);
    using popped = l.pop();
    expect(popped.value).toBe(4.5);
    using first = l.get(0);
    expect(first.value).toBe('a b');
    expect(l.length).toBe(2);
  });

  it('dicts: any hashable key, has, delete; missing keys raise KeyError with the key’s repr', () => {
    const { py } = setup();
    using d = py.dict([
      [1, 'one'],
      ['k', null],
    ]);
    using key = py.tuple([1, 2]);
    d.set(key, true);
    expect(d.read(1)).toBe('one');
    expect(d.read(key)).toBe(true);
    expect(d.has('k')).toBe(true);
    d.delete('k');
    expect(d.has('k')).toBe(false);
    expect(d.repr()).toBe("{1: 'one', (1, 2): True}");
    expect(() => d.get('missing')).toThrow(PyKeyError);
    expect(() => d.delete('missing')).toThrow(PyKeyError);
  });

  it("a missing key's KeyError message is the key's repr, as CPython prints it", () => {
    const { py } = setup();
    using d = py.dict();
    const cases: [Parameters<Handle['get']>[0], string][] = [
      ['missing', "'missing'"],
      [null, 'None'],
      [true, 'True'],
      [10n ** 30n, '1000000000000000000000000000000'],
      [2.5, '2.5'],
    ];
    for (const [key, message] of cases) {
      const error = thrown(() => d.get(key));
      expect(error).toBeInstanceOf(PyKeyError);
      expect((error as Error).message).toBe(message);
    }
  });

  it('instances: attributes by name; sets: add and has', () => {
    const { py } = setup();
    const Node = py.defineClass('Node', { slots: ['value', 'next'] });
    using n = py.new(Node, { value: 1 });
    using m = py.new(Node, { value: 2, next: n });
    expect(m.read('value')).toBe(2);
    using next = m.get('next');
    expect(next.is(n)).toBe(true);
    expect(n.refcount).toBe(3);
    expect(m.has('next')).toBe(true);
    expect(n.has('next')).toBe(false);
    m.delete('next');
    expect(n.refcount).toBe(2);
    using s = py.set([1, 2]);
    s.add(2).add(3);
    expect(s.length).toBe(3);
    expect(s.has(3)).toBe(true);
  });

  it('the wrong kind of key is a TypeError', () => {
    const { py } = setup();
    using l = py.list([1]);
    using C = py.new(py.defineClass('C'));
    expect(() => l.get('x')).toThrow(PyTypeError);
    expect(() => C.get(0)).toThrow(PyTypeError);
  });

  it('adopt takes over a new reference; borrow makes one', () => {
    const { heap, py } = setup();
    const raw = heap.newList();
    const h = py.adopt(raw);
    expect(heap.refcount(raw)).toBe(1);
    const b = py.borrow(raw);
    expect(heap.refcount(raw)).toBe(2);
    b.release();
    h.release();
    expect(heap.isAlive(raw)).toBe(false);
  });

  it('py.objectAt gives a new handle to the object with an id', () => {
    const { py } = setup();
    using l = py.list();
    using again = py.objectAt(l.id);
    expect(again.is(l)).toBe(true);
    expect(l.refcount).toBe(2);
  });

  it('py.classObject is the class, and its attributes are visible through instances', () => {
    const { py } = setup();
    const C = py.defineClass('C');
    using cls = py.classObject(C);
    expect(cls.repr()).toBe("<class 'C'>");
    cls.set('greeting', 'hello there');
    using c = py.new(C);
    expect(c.read('greeting')).toBe('hello there');
  });
});
