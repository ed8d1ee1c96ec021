/**
 * The handle layer's one ownership rule: it never takes a handle over. Passing a handle to a
 * constructor or setter stores a new reference and the caller still owns theirs; temporaries
 * are JS values (nested arrays and plain objects too), owned by the container alone. Plus the
 * rest of what a user relies on: `scope.keep` with nowhere to go raises, `await using`
 * releases, and bad input is a typed error that names the object and leaves the heap sound.
 */
import { describe, expect, it } from 'vitest';
import {
  DoubleReleaseError,
  ForeignHeapError,
  type Handle,
  Handles,
  Heap,
  PyRecursionError,
  PyTypeError,
  PyValueError,
  type Ref,
  ScopeError,
  UseAfterFreeError,
  type Value,
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

/** Everything a rejected call must leave as it was; the heap's own check must pass too. */
function snapshot(heap: Heap): unknown {
  heap.verify();
  const { live, allocations, deallocations } = heap.stats();
  return { live, allocations, deallocations };
}

interface Store {
  readonly name: string;
  /** Stores `value` in a new container (or a class) and returns the handle to release. */
  readonly store: (value: Value) => Handle;
  /** Where `value` becomes a set item or dict key: it must be hashable. */
  readonly key?: true;
  /** Gives back what releasing the handle would not: a class outlives its class object's handles. */
  readonly undo?: (made: Handle) => void;
}

/** Every constructor and setter of the handle layer, given one value to store. */
function stores(py: Handles): Store[] {
  const Slotted = py.defineClass('Slotted', { slots: ['a'] });
  const Plain = py.defineClass('Plain');
  const Holder = py.defineClass('Holder');
  return [
    { name: 'py.list([v])', store: (v) => py.list([v]) },
    { name: 'py.tuple([v])', store: (v) => py.tuple([v]) },
    { name: 'py.set([v])', store: (v) => py.set([v]), key: true },
    { name: 'py.dict([[v, 1]])', store: (v) => py.dict([[v, 1]]), key: true },
    { name: "py.dict([['k', v]])", store: (v) => py.dict([['k', v]]) },
    { name: 'py.dict({ k: v })', store: (v) => py.dict({ k: v }) },
    { name: 'py.new(Slotted, { a: v })', store: (v) => py.new(Slotted, { a: v }) },
    { name: 'py.new(Plain, { a: v })', store: (v) => py.new(Plain, { a: v }) },
    { name: 'py.of([v])', store: (v) => py.of([v]) },
    { name: 'list.append(v)', store: (v) => py.list().append(v) },
    { name: 'list.set(0, v)', store: (v) => py.list([0]).set(0, v) },
    { name: 'set.add(v)', store: (v) => py.set().add(v), key: true },
    { name: "dict.set('k', v)", store: (v) => py.dict().set('k', v) },
    { name: 'dict.set(v, 1)', store: (v) => py.dict().set(v, 1), key: true },
    { name: "slotted.set('a', v)", store: (v) => py.new(Slotted).set('a', v) },
    { name: "instance.set('a', v)", store: (v) => py.new(Plain).set('a', v) },
    { name: "classObject.set('a', v)", store: (v) => py.classObject(Holder).set('a', v), undo: (c) => c.delete('a') },
  ];
}

describe('the rule: the handle layer never takes a handle over', () => {
  it('every constructor and setter stores a new reference; the caller still owns theirs', () => {
    const { heap, py } = setup();
    const Item = py.defineClass('Item'); // hashable, so it can be a set item and a dict key
    for (const { name, store, undo } of stores(py)) {
      using item = py.new(Item);
      const container = store(item);
      heap.verify();
      expect({ name, count: item.refcount, released: item.released }).toEqual({ name, count: 2, released: false });
      undo?.(container);
      container.release();
      heap.verify();
      expect({ name, count: item.refcount }).toEqual({ name, count: 1 });
    }
    expect(heap.liveCount(Item)).toBe(0);
  });

  it('a handle nested in a JS array or object is stored by reference the same way', () => {
    const { heap, py } = setup();
    using a = py.list();
    const outer = py.list([[a], { k: [a] }]);
    expect(a.refcount).toBe(3); // a's own, and one for each inner container that holds it
    expect(outer.repr()).toBe("[[[]], {'k': [[]]}]");
    outer.release();
    heap.verify();
    expect(a.refcount).toBe(1);
  });

  it('py.of(handle) is b = a: a second handle, the first still the caller’s', () => {
    const { py } = setup();
    using a = py.list();
    using b = py.of(a);
    expect(b.is(a)).toBe(true);
    expect(b).not.toBe(a);
    expect(a.refcount).toBe(2);
  });

  it('a temporary written as a JS value belongs to the container alone: every constructor and setter', () => {
    const { heap, py } = setup();
    const containers = (): number => heap.liveCount(heap.types.list) + heap.liveCount(heap.types.dict);
    for (const { name, store, key, undo } of stores(py)) {
      if (key) continue; // a list is no key
      const before = containers();
      const container = store([[], { nested: [1] }]);
      heap.verify();
      undo?.(container);
      container.release();
      heap.verify();
      expect({ name, left: containers() }).toEqual({ name, left: before });
    }
  });

  it('the inner list of py.list([[]]) and py.dict({ a: [] }) has the container’s reference only', () => {
    const { heap, py } = setup();
    using l = py.list([[]]);
    using inner = l.get(0);
    expect(inner.refcount).toBe(2); // l's, and the handle `get` just made
    using d = py.dict({ a: [] });
    using value = d.get('a');
    expect(value.refcount).toBe(2);
    heap.verify();
  });
});

describe('JS values converted, nested', () => {
  it('arrays become lists and plain objects dicts, at any depth', () => {
    const { py } = setup();
    using l = py.list([[1, [2.5]], { a: [3], b: null, c: { d: 'x y' } }, undefined, true, 10n ** 20n]);
    expect(l.repr()).toBe("[[1, [2.5]], {'a': [3], 'b': None, 'c': {'d': 'x y'}}, None, True, 100000000000000000000]");
    using o = py.of({ xs: [] });
    expect(o.repr()).toBe("{'xs': []}");
    using t = py.tuple([[], {}]);
    expect(t.repr()).toBe('([], {})');
  });

  it('each occurrence of a JS array is a new list: the conversion copies, as JSON does', () => {
    const { py } = setup();
    const shared = [1];
    using l = py.list([shared, shared]);
    using first = l.get(0);
    using second = l.get(1);
    expect(first.is(second)).toBe(false);
    expect(l.repr()).toBe('[[1], [1]]');
  });

  it('a JS array that contains itself is a PyValueError, and nothing is made', () => {
    const { heap, py } = setup();
    const loop: unknown[] = [1];
    loop.push([loop]);
    const object: Record<string, unknown> = {};
    object.self = object;
    using l = py.list();
    const before = snapshot(heap);
    for (const use of [() => py.list(loop as Value[]), () => l.append(loop as Value[]), () => py.dict({ o: object as Value })]) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(PyValueError);
      expect((error as Error).message).toMatch(/^cannot convert a JS (array|object) that contains itself$/);
    }
    expect(snapshot(heap)).toEqual(before);
  });

  it('nesting past the recursion limit is a PyRecursionError, never a JS RangeError, and nothing is made', () => {
    const { heap, py } = setup();
    const nest = (depth: number): Value => {
      let value: Value = [];
      for (let i = 1; i < depth; i++) value = [value];
      return value;
    };
    using deep = py.of(nest(1000));
    expect(deep.length).toBe(1);
    const before = snapshot(heap);
    for (const depth of [1001, 100_000]) {
      const error = thrown(() => py.of(nest(depth)));
      expect(error).toBeInstanceOf(PyRecursionError);
      expect((error as Error).message).toBe('maximum recursion depth exceeded while converting a JS value');
    }
    expect(snapshot(heap)).toEqual(before);
  });

  it('a JS value Python has no object for is a PyTypeError naming it, and nothing is made', () => {
    const { heap, py } = setup();
    using l = py.list();
    const before = snapshot(heap);
    const cases: [unknown, string][] = [
      [new Map(), 'cannot convert a JS Map to a heap object'],
      [[new Date(0)], 'cannot convert a JS Date to a heap object'],
      [{ f: () => 1 }, 'cannot convert a JS function to a heap object'],
      [[Symbol('s')], 'cannot convert a JS symbol to a heap object'],
    ];
    for (const [value, message] of cases) {
      for (const use of [() => py.list([value as Value]), () => l.append(value as Value), () => py.dict({ k: value as Value })]) {
        const error = thrown(use);
        expect(error).toBeInstanceOf(PyTypeError);
        expect((error as Error).message).toBe(message);
      }
    }
    expect(snapshot(heap)).toEqual(before);
  });

  it('a JS array or object as a dict key is unhashable, as [] and {} are in Python, and nothing is left', () => {
    const { heap, py } = setup();
    using d = py.dict();
    using s = py.set();
    const before = heap.liveObjects;
    const uses: [() => unknown, string][] = [
      [() => py.dict([[[1], 2]]), "unhashable type: 'list'"],
      [() => py.dict([[{}, 2]]), "unhashable type: 'dict'"],
      [() => d.set([1], 2), "unhashable type: 'list'"],
      [() => s.add({}), "unhashable type: 'dict'"],
      [() => py.set([[]]), "unhashable type: 'list'"],
    ];
    for (const [use, message] of uses) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(PyTypeError);
      expect((error as Error).message).toBe(message);
    }
    heap.verify();
    expect(heap.liveObjects).toBe(before);
    expect(d.length + s.length).toBe(0);
  });

  it('a released or foreign handle deep inside a JS value is refused before anything is made', () => {
    const { heap, py } = setup();
    using keep = py.list();
    const gone = keep.dup();
    gone.release();
    using foreign = new Handles(new Heap()).list();
    const N = py.defineClass('N', { slots: ['a'] });
    heap.decref(heap.intern('k')); // interned strs live on in the interning table
    const before = snapshot(heap);
    expect(() => py.list([[1, { k: [gone] }]])).toThrow(UseAfterFreeError);
    expect(() => py.dict({ k: [[foreign]] })).toThrow(ForeignHeapError);
    expect(() => py.new(N, { a: [gone] })).toThrow(UseAfterFreeError);
    expect(snapshot(heap)).toEqual(before);
    expect(keep.refcount).toBe(1);
    expect(foreign.refcount).toBe(1);
  });

  it('a bad value for py.new runs no finalizer: the instance is never made', () => {
    const { heap, py } = setup();
    const finalized: string[] = [];
    const R = py.defineClass('R', { slots: ['a', 'b'], finalize: () => void finalized.push('R') });
    const before = snapshot(heap);
    expect(() => py.new(R, { a: [1], b: [new Map()] as unknown as Value })).toThrow(PyTypeError);
    expect(finalized).toEqual([]);
    expect(snapshot(heap)).toEqual(before);
  });
});

describe('scope.keep', () => {
  it('with no enclosing scope raises ScopeError naming the object; the handle stays in the scope and goes with it', () => {
    const { heap, py } = setup();
    let ref: Ref | undefined;
    const error = thrown(() =>
      py.scope((scope) => {
        const l = py.list([1]);
        ref = l.ref;
        scope.keep(l);
      }),
    );
    expect(error).toBeInstanceOf(ScopeError);
    expect((error as Error).message).toMatch(
      /^cannot keep <list object at 0x[0-9a-f]+>: no scope encloses this one to take it \(return it from py\.scope\(\) to own it yourself\)$/,
    );
    expect((error as ScopeError).object).toMatch(/^<list object at 0x[0-9a-f]+>$/);
    expect(heap.isAlive(ref!)).toBe(false);
    heap.verify();
  });

  it('in a scope opened by a finalizer, the scope around the deallocation is not its to pass to', () => {
    const { heap, py } = setup();
    const errors: unknown[] = [];
    heap.unraisable = (info) => errors.push(info.error);
    const R = py.defineClass('R', { finalize: () => py.scope((scope) => scope.keep(py.list())) });
    py.scope(() => py.new(R).release());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ScopeError);
    expect(heap.liveCount(heap.types.list)).toBe(0);
    heap.verify();
  });

  it('with an enclosing scope passes the handle on, as before', () => {
    const { heap, py } = setup();
    py.scope(() => {
      const kept = py.scope((inner) => {
        const l = inner.keep(py.list([7]));
        py.list([8]);
        return l.length;
      });
      expect(kept).toBe(1);
      expect(heap.liveCount(heap.types.list)).toBe(1);
    });
    expect(heap.liveCount(heap.types.list)).toBe(0);
  });

  it('after the scope closed: its own handles are released (UseAfterFreeError), any other is ScopeError', () => {
    const { heap, py } = setup();
    using outside = py.list();
    let made: Handle | undefined;
    py.scope(() => {
      const scope = py.openScope();
      made = py.list();
      scope.close();
      expect(() => scope.keep(made!)).toThrow(UseAfterFreeError);
      const error = thrown(() => scope.keep(outside));
      expect(error).toBeInstanceOf(ScopeError);
      expect((error as Error).message).toMatch(/^cannot keep <list object at 0x[0-9a-f]+>: this scope has closed$/);
    });
    expect(outside.refcount).toBe(1);
    heap.verify();
  });

  it('a handle py.scope returns at top level is the caller’s: nothing orphans it silently', () => {
    const { heap, py } = setup();
    const l = py.scope(() => py.list([1]));
    expect(l.released).toBe(false);
    expect(l.refcount).toBe(1);
    l.release();
    expect(heap.liveCount(heap.types.list)).toBe(0);
  });
});

describe('await using', () => {
  it('releases a handle at the end of the block', async () => {
    const { heap, py } = setup();
    let ref: Ref | undefined;
    {
      await using l = py.list([1]);
      ref = l.ref;
      await Promise.resolve();
      expect(heap.isAlive(ref)).toBe(true);
    }
    expect(heap.isAlive(ref)).toBe(false);
    heap.verify();
  });

  it('closes a scope at the end of the block, releasing what was made in it', async () => {
    const { heap, py } = setup();
    heap.decref(heap.intern('a')); // interned strs live on in the interning table
    const live = heap.liveObjects;
    {
      await using _scope = py.openScope();
      py.list();
      py.dict({ a: py.list() }); // the inner handle is the scope's too: the rule, with a scope to catch it
      await Promise.resolve();
    }
    expect(heap.liveObjects).toBe(live);
    heap.verify();
  });

  it('a release that fails rejects: the block ends with the DoubleReleaseError, counts untouched', async () => {
    const { heap, py } = setup();
    using keep = py.list();
    await expect(
      (async () => {
        await using twice = keep.dup();
        twice.release();
      })(),
    ).rejects.toThrow(DoubleReleaseError);
    expect(keep.refcount).toBe(1);
    heap.verify();
  });

  it('Symbol.asyncDispose is a method returning a promise, on Handle and Scope', async () => {
    const { heap, py } = setup();
    const scope = py.openScope();
    const l = py.list();
    const ref = l.ref;
    const released = l[Symbol.asyncDispose]();
    expect(released).toBeInstanceOf(Promise);
    expect(heap.isAlive(ref)).toBe(false); // a release never waits
    await released;
    await scope[Symbol.asyncDispose]();
    await expect(l[Symbol.asyncDispose]()).rejects.toBeInstanceOf(DoubleReleaseError);
  });
});

describe('bad input: a typed error naming the object, and a sound heap after', () => {
  const LIST = /<list object at 0x[0-9a-f]+>/;

  it('a handle released twice: DoubleReleaseError', () => {
    const { heap, py } = setup();
    const l = py.list();
    l.release();
    const error = thrown(() => l.release());
    expect(error).toBeInstanceOf(DoubleReleaseError);
    expect((error as Error).message).toMatch(LIST);
    heap.verify();
  });

  it('a handle used after release — by itself or passed to a constructor or setter: UseAfterFreeError', () => {
    const { heap, py } = setup();
    using holder = py.list();
    const l = py.list();
    l.release();
    const before = snapshot(heap);
    for (const use of [() => l.append(1), () => py.list([l]), () => py.dict({ k: [l] }), () => holder.append(l)]) {
      const error = thrown(use);
      expect(error).toBeInstanceOf(UseAfterFreeError);
      expect((error as Error).message).toMatch(LIST);
    }
    expect(snapshot(heap)).toEqual(before);
  });

  it('a handle kept outside any scope: ScopeError', () => {
    const { heap, py } = setup();
    const scope = py.openScope();
    const l = py.list();
    const error = thrown(() => scope.keep(l));
    expect(error).toBeInstanceOf(ScopeError);
    expect((error as Error).message).toMatch(LIST);
    scope.close();
    expect(l.released).toBe(true);
    heap.verify();
  });
});
