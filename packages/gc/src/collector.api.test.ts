/**
 * The gc module's API in camelCase: enable/disable, thresholds, bad arguments with CPython's
 * wording, get_stats, garbage and DEBUG_SAVEALL, callbacks, get_objects, get_referrers,
 * get_referents, is_tracked, freeze. Every message and number was printed by CPython 3.11.
 */
import { Handles, Heap, PyTypeError, PyValueError, type Ref, type Unraisable } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import {
  type CollectionInfo,
  type CollectionPhase,
  Collector,
  type CollectorOptions,
  DEBUG_COLLECTABLE,
  DEBUG_LEAK,
  DEBUG_SAVEALL,
  DEBUG_STATS,
  DEBUG_UNCOLLECTABLE,
} from './index.ts';

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

/** Calls `f` and returns what it threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

function expectPyError(f: () => unknown, type: typeof PyTypeError | typeof PyValueError, message: string): void {
  const error = thrown(f);
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

/** Lets a test pass what TypeScript would refuse, as a Python caller could. */
function untyped<T>(value: unknown): T {
  return value as T;
}

function selfCycle(heap: Heap): Ref {
  const l = heap.newList();
  heap.append(l, l);
  heap.decref(l);
  return l;
}

describe('enable, disable, isEnabled', () => {
  test('a new collector is enabled unless created with enabled: false', () => {
    const heap = new Heap();
    expect(new Collector(heap).isEnabled()).toBe(true);
    expect(new Collector(new Heap(), { enabled: false }).isEnabled()).toBe(false);
  });

  test('disable and enable switch automatic collection off and on; isEnabled says which', () => {
    const { gc } = setup({ enabled: true });
    gc.disable();
    expect(gc.isEnabled()).toBe(false);
    gc.enable();
    expect(gc.isEnabled()).toBe(true);
  });

  test('a heap takes one collector only', () => {
    const heap = new Heap();
    new Collector(heap);
    expect(() => new Collector(heap)).toThrow(PyTypeError);
  });

  test('after detach, allocations never start a collection and the heap takes another collector', () => {
    const heap = new Heap();
    const gc = new Collector(heap);
    gc.setThreshold(1);
    const starts: number[] = [];
    gc.callbacks.push((phase, info) => {
      if (phase === 'start') starts.push(info.generation);
    });
    gc.detach();
    for (let i = 0; i < 20; i++) heap.decref(heap.newList());
    expect(starts).toEqual([]);
    const next = new Collector(heap, { enabled: false });
    const l = selfCycle(heap);
    const alive = watch(heap, l);
    expect(next.collect()).toBe(1);
    expect(alive()).toBe(false);
  });
});

describe('thresholds', () => {
  test('getThreshold is (700, 10, 10) by default', () => {
    const { gc } = setup();
    expect(gc.getThreshold()).toEqual([700, 10, 10]);
  });

  test('setThreshold sets one, two or three thresholds and leaves the others as they were', () => {
    const { gc } = setup();
    gc.setThreshold(5);
    expect(gc.getThreshold()).toEqual([5, 10, 10]);
    gc.setThreshold(6, 7);
    expect(gc.getThreshold()).toEqual([6, 7, 10]);
    gc.setThreshold(1000, 15, 15);
    expect(gc.getThreshold()).toEqual([1000, 15, 15]);
    gc.setThreshold(0);
    expect(gc.getThreshold()).toEqual([0, 15, 15]);
  });

  test("setThreshold() raises TypeError 'set_threshold() takes at least 1 argument (0 given)'", () => {
    const { gc } = setup();
    expectPyError(() => gc.setThreshold(), PyTypeError, 'set_threshold() takes at least 1 argument (0 given)');
  });

  test("setThreshold(1, 2, 3, 4) raises TypeError 'set_threshold() takes at most 3 arguments (4 given)'", () => {
    const { gc } = setup();
    expectPyError(() => gc.setThreshold(1, 2, 3, 4), PyTypeError, 'set_threshold() takes at most 3 arguments (4 given)');
    expect(gc.getThreshold()).toEqual([700, 10, 10]);
  });

  test("setThreshold('a') and setThreshold(1.5) raise TypeError: the value cannot be interpreted as an integer", () => {
    const { gc } = setup();
    expectPyError(() => gc.setThreshold(untyped('a')), PyTypeError, "'str' object cannot be interpreted as an integer");
    expectPyError(() => gc.setThreshold(1.5), PyTypeError, "'float' object cannot be interpreted as an integer");
    expect(gc.getThreshold()).toEqual([700, 10, 10]);
  });
});

describe('collect: its argument', () => {
  test('collect() collects generation 2 and returns the number of unreachable objects', () => {
    const { heap, gc } = setup();
    const infos: CollectionInfo[] = [];
    gc.callbacks.push((phase, info) => {
      if (phase === 'stop') infos.push(info);
    });
    selfCycle(heap);
    selfCycle(heap);
    expect(gc.collect()).toBe(2);
    expect(infos).toEqual([{ generation: 2, collected: 2, uncollectable: 0 }]);
  });

  test("collect(3) and collect(-1) raise ValueError 'invalid generation'", () => {
    const { gc } = setup();
    expectPyError(() => gc.collect(3), PyValueError, 'invalid generation');
    expectPyError(() => gc.collect(-1), PyValueError, 'invalid generation');
  });

  test("collect('x') raises TypeError \"'str' object cannot be interpreted as an integer\"", () => {
    const { gc } = setup();
    expectPyError(() => gc.collect(untyped('x')), PyTypeError, "'str' object cannot be interpreted as an integer");
  });

  test('collect(None) and collect(1.5) raise TypeError naming NoneType and float', () => {
    const { gc } = setup();
    expectPyError(() => gc.collect(untyped(null)), PyTypeError, "'NoneType' object cannot be interpreted as an integer");
    expectPyError(() => gc.collect(1.5), PyTypeError, "'float' object cannot be interpreted as an integer");
  });

  test('a rejected collect changes nothing: no collection is counted', () => {
    const { gc } = setup();
    const before = gc.getStats();
    expect(() => gc.collect(3)).toThrow(PyValueError);
    expect(() => gc.collect(untyped('x'))).toThrow(PyTypeError);
    expect(gc.getStats()).toEqual(before);
    expect(gc.isCollecting).toBe(false);
  });
});

describe('getStats', () => {
  test('getStats has one entry per generation, each with collections, collected and uncollectable', () => {
    const { gc } = setup();
    const stats = gc.getStats();
    expect(stats).toHaveLength(3);
    for (const st of stats) {
      expect(Object.keys(st).sort()).toEqual(['collected', 'collections', 'uncollectable']);
      for (const value of Object.values(st)) expect(value).toBeGreaterThanOrEqual(0);
    }
  });

  test('collect(0) counts a collection of generation 0 only; collect(2) one of generation 2 only (test_get_stats)', () => {
    const { gc } = setup();
    const old = gc.getStats();
    gc.collect(0);
    let now = gc.getStats();
    expect(now[0]!.collections).toBe(old[0]!.collections + 1);
    expect(now[1]!.collections).toBe(old[1]!.collections);
    expect(now[2]!.collections).toBe(old[2]!.collections);
    gc.collect(2);
    now = gc.getStats();
    expect(now[0]!.collections).toBe(old[0]!.collections + 1);
    expect(now[1]!.collections).toBe(old[1]!.collections);
    expect(now[2]!.collections).toBe(old[2]!.collections + 1);
  });

  test('collected objects are counted in the stats of the generation that was collected', () => {
    const { heap, gc } = setup();
    const old = gc.getStats();
    selfCycle(heap);
    expect(gc.collect(1)).toBe(1);
    selfCycle(heap);
    selfCycle(heap);
    expect(gc.collect(0)).toBe(2);
    const now = gc.getStats();
    expect(now[0]!.collected - old[0]!.collected).toBe(2);
    expect(now[1]!.collected - old[1]!.collected).toBe(1);
    expect(now[2]!.collected - old[2]!.collected).toBe(0);
  });

  test('getStats returns a copy: changing it changes nothing', () => {
    const { gc } = setup();
    const stats = gc.getStats();
    (stats[0] as { collections: number }).collections = 1000;
    expect(gc.getStats()[0]!.collections).not.toBe(1000);
  });
});

describe('garbage and DEBUG_SAVEALL', () => {
  test('garbage is a heap list, empty while nothing is uncollectable', () => {
    const { heap, gc } = setup();
    expect(heap.typeOf(gc.garbage)).toBe(heap.types.list);
    selfCycle(heap);
    gc.collect();
    expect(heap.length(gc.garbage)).toBe(0);
  });

  test('with DEBUG_SAVEALL cyclic garbage is appended to gc.garbage instead of freed (test_saveall)', () => {
    const { heap, gc } = setup();
    const L = heap.newList();
    heap.append(L, L);
    const idL = heap.id(L);
    const debug = gc.getDebug();
    gc.setDebug(debug | DEBUG_SAVEALL);
    heap.decref(L);
    expect(gc.collect()).toBe(1);
    gc.setDebug(debug);
    expect(gc.getStats()[2]!.collected).toBe(1);

    expect(heap.length(gc.garbage)).toBe(1);
    const obj = heap.pop(gc.garbage);
    expect(heap.id(obj)).toBe(idL);
    expect(heap.item(obj, 0)).toBe(obj); // not cleared: still the same self-nesting list
    heap.decref(obj);
    expect(gc.collect()).toBe(1); // garbage again, and this time freed
    expect(heap.length(gc.garbage)).toBe(0);
  });
});

describe('callbacks', () => {
  test("callbacks are called with 'start' then 'stop', each once per collection, with generation, collected and uncollectable (test_collect)", () => {
    const { heap, gc } = setup();
    const visit: [number, CollectionPhase, CollectionInfo][] = [];
    gc.callbacks.push((phase, info) => visit.push([1, phase, info]));
    gc.callbacks.push((phase, info) => visit.push([2, phase, info]));
    selfCycle(heap);
    gc.collect();
    expect(visit).toEqual([
      [1, 'start', { generation: 2, collected: 0, uncollectable: 0 }],
      [2, 'start', { generation: 2, collected: 0, uncollectable: 0 }],
      [1, 'stop', { generation: 2, collected: 1, uncollectable: 0 }],
      [2, 'stop', { generation: 2, collected: 1, uncollectable: 0 }],
    ]);
  });

  test('callbacks see the generation being collected (test_collect_generation)', () => {
    const { gc } = setup();
    const generations: number[] = [];
    gc.callbacks.push((_phase, info) => generations.push(info.generation));
    gc.collect(2);
    gc.collect(0);
    gc.collect(1);
    expect(generations).toEqual([2, 2, 0, 0, 1, 1]);
  });

  test('a callback that raises is reported as unraisable; the other callbacks and the collection go on', () => {
    const { heap, gc, unraisable } = setup();
    const seen: CollectionPhase[] = [];
    gc.callbacks.push(() => {
      throw new Error('callback failed');
    });
    gc.callbacks.push((phase) => seen.push(phase));
    selfCycle(heap);
    expect(gc.collect()).toBe(1);
    expect(seen).toEqual(['start', 'stop']);
    expect(unraisable).toHaveLength(2);
    expect(unraisable[0]!.phase).toBe('gc callback');
    expect((unraisable[0]!.error as Error).message).toBe('callback failed');
  });

  test('collect() from a callback during a collection returns 0 and changes nothing', () => {
    const { heap, gc } = setup();
    const inner: number[] = [];
    const phases: CollectionPhase[] = [];
    gc.callbacks.push((phase) => {
      phases.push(phase);
      const stats = JSON.stringify(gc.getStats());
      inner.push(gc.collect(), JSON.stringify(gc.getStats()) === stats ? 1 : -1);
    });
    selfCycle(heap);
    expect(gc.collect()).toBe(1);
    expect(inner).toEqual([0, 1, 0, 1]);
    expect(phases).toEqual(['start', 'stop']);
    expect(gc.getStats()[2]!.collections).toBe(2); // setup's and this one
  });

  test('a callback removed from the list is no longer called', () => {
    const { gc } = setup();
    const calls: string[] = [];
    const cb = (phase: CollectionPhase) => calls.push(phase);
    gc.callbacks.push(cb);
    gc.collect();
    gc.callbacks.splice(gc.callbacks.indexOf(cb), 1);
    gc.collect();
    expect(calls).toEqual(['start', 'stop']);
  });
});

describe('getObjects', () => {
  test('a surviving list is listed in generation 0, then 1, then 2, and stays in 2 (test_get_objects)', () => {
    const { heap, gc } = setup();
    const l = heap.newList();
    heap.append(l, l);
    const where = () => [0, 1, 2].map((g) => gc.getObjects(g).includes(l));
    expect(where()).toEqual([true, false, false]);
    gc.collect(0);
    expect(where()).toEqual([false, true, false]);
    gc.collect(1);
    expect(where()).toEqual([false, false, true]);
    gc.collect(2);
    expect(where()).toEqual([false, false, true]);
    heap.decref(l);
    expect(gc.collect()).toBe(1);
  });

  test('getObjects() lists every generation: the same objects as generations 0, 1 and 2 together', () => {
    const { heap, gc } = setup();
    const keep = [heap.newList(), heap.newList(), heap.newList()];
    gc.collect(0);
    gc.collect(1);
    keep.push(heap.newList());
    gc.collect(0);
    keep.push(heap.newList());
    const all = gc.getObjects();
    const byGeneration = [0, 1, 2].flatMap((g) => gc.getObjects(g));
    expect([...all].sort((a, b) => a - b)).toEqual([...byGeneration].sort((a, b) => a - b));
    for (const ref of keep) expect(all).toContain(ref);
  });

  test('getObjects lists containers only, never atoms nor untracked dicts', () => {
    const { heap, gc } = setup();
    const n = heap.newInt(12345);
    const s = heap.newStr('not interned!');
    const d = heap.newDict();
    const all = gc.getObjects();
    expect(all).not.toContain(n);
    expect(all).not.toContain(s);
    expect(all).not.toContain(d);
  });

  test('getObjects(null) lists every generation, as get_objects(None) does', () => {
    const { heap, gc } = setup();
    heap.newList();
    expect(gc.getObjects(untyped(null))).toEqual(gc.getObjects());
  });

  test("getObjects(3) raises ValueError 'generation parameter must be less than the number of available generations (3)'", () => {
    const { gc } = setup();
    const message = 'generation parameter must be less than the number of available generations (3)';
    expectPyError(() => gc.getObjects(3), PyValueError, message);
    expectPyError(() => gc.getObjects(1000), PyValueError, message);
  });

  test("getObjects(-1000) raises ValueError 'generation parameter cannot be negative'", () => {
    const { gc } = setup();
    expectPyError(() => gc.getObjects(-1000), PyValueError, 'generation parameter cannot be negative');
    expectPyError(() => gc.getObjects(-2), PyValueError, 'generation parameter cannot be negative');
  });

  test("getObjects('1') and getObjects(1.234) raise TypeError \"argument should be integer or None, not '…'\"", () => {
    const { gc } = setup();
    expectPyError(() => gc.getObjects(untyped('1')), PyTypeError, "argument should be integer or None, not 'str'");
    expectPyError(() => gc.getObjects(1.234), PyTypeError, "argument should be integer or None, not 'float'");
  });
});

describe('getReferents and getReferrers', () => {
  const values = (heap: Heap, refs: Ref[]) => refs.map((r) => heap.valueOf(r) as number).sort((a, b) => a - b);

  test('getReferents of a list, a tuple and a dict are their items, keys and values (test_get_referents)', () => {
    const { heap, py, gc } = setup();
    py.scope(() => {
      const alist = py.list([1, 3, 5]);
      expect(values(heap, gc.getReferents(alist.ref))).toEqual([1, 3, 5]);
      const atuple = py.tuple([1, 3, 5]);
      expect(values(heap, gc.getReferents(atuple.ref))).toEqual([1, 3, 5]);
      const adict = py.dict([
        [1, 3],
        [5, 7],
      ]);
      expect(values(heap, gc.getReferents(adict.ref))).toEqual([1, 3, 5, 7]);
      const many = gc.getReferents(py.list([1, 2]).ref, py.dict([[3, 4]]).ref, py.tuple([0, 0, 0]).ref);
      expect(values(heap, many)).toEqual([0, 0, 0, 1, 2, 3, 4]);
    });
  });

  test('getReferents of atoms is empty', () => {
    const { py, gc } = setup();
    py.scope(() => {
      expect(gc.getReferents(py.int(1).ref, py.str('a').ref, py.float(4.0).ref)).toEqual([]);
    });
  });

  test("getReferents of an instance include its attributes' values and its set slots", () => {
    // CPython 3.11 lists the class too ([[], 7, <class 'C'>]); a refheap instance holds no reference to it.
    const { heap, py, gc } = setup();
    py.scope(() => {
      const C = py.defineClass('C');
      const S = py.defineClass('S', { slots: ['x', 'y'] });
      const target = py.list();
      const c = py.new(C, { a: target, n: 7 });
      const s = py.new(S, { x: target });
      expect(gc.getReferents(c.ref).map((r) => heap.repr(r))).toEqual(expect.arrayContaining(['[]', '7']));
      expect(gc.getReferents(s.ref)).toContain(target.ref);
      expect(gc.getReferents(s.ref).filter((r) => r !== C.object && r !== S.object)).toEqual([target.ref]);
    });
  });

  test('getReferrers finds the tracked containers that refer to an object, and nothing else', () => {
    const { py, gc } = setup();
    py.scope(() => {
      const a = py.list();
      const b = py.list([a]);
      const c = py.dict({ k: a });
      const C = py.defineClass('C');
      const inst = py.new(C, { a });
      const unrelated = py.list([1, 2]);
      const referrers = gc.getReferrers(a.ref);
      expect([...referrers].sort((x, y) => x - y)).toEqual([b.ref, c.ref, inst.ref].sort((x, y) => x - y));
      expect(referrers).not.toContain(unrelated.ref);
      expect(gc.getReferrers(a.ref, unrelated.ref)).toHaveLength(3);
    });
  });
});

describe('isTracked', () => {
  test('atoms are never tracked: None, True, False, ints, floats, strs', () => {
    const { heap, py, gc } = setup();
    py.scope(() => {
      for (const atom of [heap.None, heap.True, heap.False]) expect(gc.isTracked(atom)).toBe(false);
      for (const h of [py.int(1), py.int(2n ** 100n), py.float(1.0), py.str('a'), py.str(''), py.str('hello world')]) {
        expect(gc.isTracked(h.ref)).toBe(false);
      }
    });
  });

  test('lists, sets, instances (with or without __slots__) and class objects are tracked', () => {
    const { py, gc } = setup();
    py.scope(() => {
      const UserClass = py.defineClass('UserClass');
      const UserClassSlots = py.defineClass('UserClassSlots', { slots: [] }); // tracked in CPython 3.11
      for (const h of [py.list(), py.set(), py.new(UserClass), py.new(UserClassSlots), py.classObject(UserClass)]) {
        expect(gc.isTracked(h.ref)).toBe(true);
      }
    });
  });

  test("{} and {'a': 1} are not tracked; {'a': []} is", () => {
    const { py, gc } = setup();
    py.scope(() => {
      expect(gc.isTracked(py.dict().ref)).toBe(false);
      expect(gc.isTracked(py.dict({ a: 1 }).ref)).toBe(false);
      expect(gc.isTracked(py.dict({ a: py.list() }).ref)).toBe(true);
    });
  });

  test('a dict starts being tracked when a container is stored in it', () => {
    const { py, gc } = setup();
    py.scope(() => {
      const d = py.dict({ a: 1 });
      expect(gc.isTracked(d.ref)).toBe(false);
      d.set('b', py.list());
      expect(gc.isTracked(d.ref)).toBe(true);
    });
  });

  test("a dict holding another dict is tracked, even an empty one ({'a': {}})", () => {
    // _PyObject_GC_MAY_BE_TRACKED excepts only untracked tuples: any dict may be part of a cycle.
    const { py, gc } = setup();
    py.scope(() => {
      expect(gc.isTracked(py.dict({ a: py.dict() }).ref)).toBe(true);
      const d = py.dict();
      d.set(1, d); // d[1] = d
      expect(gc.isTracked(d.ref)).toBe(true);
    });
  });

  test('a tuple of atoms is tracked when made and untracked by the next collection, even of generation 0', () => {
    const { py, gc } = setup();
    py.scope(() => {
      const t = py.tuple([1, 2, 3]);
      expect(gc.isTracked(t.ref)).toBe(true);
      gc.collect(0);
      expect(gc.isTracked(t.ref)).toBe(false);
      const holdsList = py.tuple([py.list()]);
      gc.collect(0);
      expect(gc.isTracked(holdsList.ref)).toBe(true);
    });
  });

  test('every surviving tuple of atoms is untracked by the collection that finds it, however many there are', () => {
    const { py, gc } = setup();
    py.scope(() => {
      const tuples = Array.from({ length: 200 }, (_, i) => py.tuple([i, i + 1]));
      gc.collect(0);
      expect(tuples.filter((t) => gc.isTracked(t.ref))).toHaveLength(0);
    });
  });

  test('a dict that holds only atoms again is untracked by a full collection only (untrack_dicts)', () => {
    // dd = {'a': []}; dd['a'] = 1 → tracked after collect(0) and collect(1), untracked after collect(2)
    const { py, gc } = setup();
    py.scope(() => {
      const dd = py.dict({ a: py.list() });
      dd.set('a', 1);
      expect(gc.isTracked(dd.ref)).toBe(true);
      gc.collect(0);
      expect(gc.isTracked(dd.ref)).toBe(true);
      gc.collect(1);
      expect(gc.isTracked(dd.ref)).toBe(true);
      gc.collect(2);
      expect(gc.isTracked(dd.ref)).toBe(false);
    });
  });
});

describe('freeze, unfreeze, getFreezeCount', () => {
  test('freeze moves every tracked object to the permanent generation; unfreeze moves them back into the oldest (test_freeze)', () => {
    const { heap, gc } = setup();
    const keep = [heap.newList(), heap.newList()];
    gc.collect(0);
    keep.push(heap.newList());
    const listed = gc.getObjects().length;
    gc.freeze();
    expect(gc.getFreezeCount()).toBe(listed);
    expect(gc.getFreezeCount()).toBeGreaterThan(0);
    expect(gc.getObjects()).toEqual([]);
    expect(gc.getCount()[0]).toBe(0);
    gc.unfreeze();
    expect(gc.getFreezeCount()).toBe(0);
    expect(gc.getObjects(2)).toHaveLength(listed);
    for (const ref of keep) expect(gc.getObjects(2)).toContain(ref);
  });

  test('a frozen cycle is not collected until it is unfrozen', () => {
    const { heap, gc } = setup();
    const l = heap.newList();
    heap.append(l, l);
    gc.freeze();
    heap.decref(l);
    const alive = watch(heap, l);
    expect(gc.collect()).toBe(0);
    expect(alive()).toBe(true);
    gc.unfreeze();
    expect(gc.collect()).toBe(1);
    expect(alive()).toBe(false);
  });

  test('a frozen object freed by counting leaves the permanent generation', () => {
    const { heap, gc } = setup();
    const l = heap.newList();
    gc.freeze();
    const frozen = gc.getFreezeCount();
    heap.decref(l);
    expect(gc.getFreezeCount()).toBe(frozen - 1);
  });

  test('objects made after a freeze are collected as usual', () => {
    const { heap, gc } = setup();
    gc.freeze();
    const l = selfCycle(heap);
    const alive = watch(heap, l);
    expect(gc.collect()).toBe(1);
    expect(alive()).toBe(false);
  });
});

describe('debug flags', () => {
  test('the DEBUG_* flags have CPython values: 1, 2, 4, 32 and DEBUG_LEAK = 38', () => {
    expect([DEBUG_STATS, DEBUG_COLLECTABLE, DEBUG_UNCOLLECTABLE, DEBUG_SAVEALL, DEBUG_LEAK]).toEqual([1, 2, 4, 32, 38]);
    expect(DEBUG_LEAK).toBe(DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL);
  });

  test("setDebug and getDebug round-trip; setDebug('a') raises TypeError", () => {
    const { gc } = setup();
    expect(gc.getDebug()).toBe(0);
    gc.setDebug(DEBUG_LEAK);
    expect(gc.getDebug()).toBe(38);
    expectPyError(() => gc.setDebug(untyped('a')), PyTypeError, "'str' object cannot be interpreted as an integer");
    expect(gc.getDebug()).toBe(38);
  });
});

describe('CPython 3.11 corner cases', () => {
  test('getObjects(-1) lists every generation, as get_objects(-1) does in 3.11; -2 is rejected', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    const list = heap.newList();
    expect(gc.getObjects(-1)).toEqual(gc.getObjects());
    expect(gc.getObjects(-1)).toContain(list);
    expect(() => gc.getObjects(-2)).toThrow('generation parameter cannot be negative');
  });

  test("setThreshold(5, 'a') sets the first threshold before raising, as CPython does", () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false });
    expect(() => gc.setThreshold(5, 'a' as unknown as number)).toThrow("'str' object cannot be interpreted as an integer");
    expect(gc.getThreshold()).toEqual([5, 10, 10]);
  });
});
