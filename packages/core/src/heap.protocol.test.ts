/**
 * The protocol collectors, weak references and tracers plug into: the gen-0 count and its
 * threshold, the young buffer a collector drains, unlist, CPython's tracking rules (atoms never
 * tracked, dicts tracked once they may hold a cycle, tuples and dicts of atoms untracked),
 * observers, the allocation sampler, and per-object columns that grow with the heap.
 */
import { describe, expect, it } from 'vitest';
import {
  type AllocationSampler,
  type CollectorProtocol,
  CollectorState,
  Flag,
  Heap,
  type HeapObserver,
  type HeapType,
  HeapCorruptionError,
  PyTypeError,
  PyValueError,
  type Ref,
  type Unraisable,
  type WeakrefProtocol,
} from './index.ts';

interface FakeCollector extends CollectorProtocol {
  readonly exceeded: number[];
  readonly unlisted: Ref[];
}

function install(heap: Heap): FakeCollector {
  const collector: FakeCollector = {
    exceeded: [],
    unlisted: [],
    youngThresholdExceeded() {
      collector.exceeded.push(heap.youngCount);
    },
    unlist(ref) {
      collector.unlisted.push(ref);
    },
  };
  heap.installCollector(collector);
  return collector;
}

const drain = (heap: Heap): Ref[] => Array.from(heap.takeYoung());
const listed = (heap: Heap, ref: Ref): boolean => heap.collectorStates[ref]! >= CollectorState.Taken;

describe('the gen-0 count', () => {
  it('counts container allocations minus container frees; atoms do not count', () => {
    const heap = new Heap();
    heap.resetYoungCount();
    expect(heap.youngCount).toBe(0);
    const l = heap.newList();
    const d = heap.newDict();
    const t = heap.newTuple();
    expect(heap.youngCount).toBe(3);
    heap.newInt(1000);
    heap.newFloat(1.5);
    heap.newStr('not interned');
    expect(heap.youngCount).toBe(3);
    heap.decref(d);
    expect(heap.youngCount).toBe(2);
    heap.decref(l);
    heap.decref(t);
    expect(heap.youngCount).toBe(0);
  });

  it('never goes below zero when objects counted before a reset are freed', () => {
    const heap = new Heap();
    const l = heap.newList();
    heap.resetYoungCount();
    heap.decref(l);
    expect(heap.youngCount).toBe(0);
  });

  it('youngThresholdExceeded is called on each container allocation once the count passes the threshold', () => {
    const heap = new Heap();
    const collector = install(heap);
    heap.resetYoungCount();
    heap.youngThreshold = 3;
    expect(heap.youngThreshold).toBe(3);
    heap.newList();
    heap.newList();
    heap.newList();
    expect(collector.exceeded).toEqual([]);
    heap.newInt(5000); // atoms never trigger it
    expect(collector.exceeded).toEqual([]);
    heap.newList();
    expect(collector.exceeded).toEqual([4]);
    heap.newDict();
    expect(collector.exceeded).toEqual([4, 5]);
    heap.resetYoungCount();
    heap.newList();
    expect(collector.exceeded).toEqual([4, 5]);
  });

  it('is not called without a collector, and stops once the collector is uninstalled', () => {
    const heap = new Heap();
    heap.youngThreshold = 0;
    heap.newList(); // no collector: nothing to call, nothing thrown
    const collector: FakeCollector = {
      exceeded: [],
      unlisted: [],
      youngThresholdExceeded: () => collector.exceeded.push(1),
      unlist: () => undefined,
    };
    const uninstall = heap.installCollector(collector);
    heap.youngThreshold = 0;
    heap.newList();
    expect(collector.exceeded).toEqual([1]);
    uninstall();
    heap.newList();
    expect(collector.exceeded).toEqual([1]);
  });

  it('one collector per heap', () => {
    const heap = new Heap();
    install(heap);
    expect(() => install(heap)).toThrow(PyTypeError);
  });
});

describe('the young buffer (drainYoung / takeYoung)', () => {
  it('an index that releaseGarbage frees gives its next occupant no state of the member it held', () => {
    const heap = new Heap();
    install(heap);
    const Node = heap.defineClass('Node', { slots: ['a'] });
    drain(heap); // the class object
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, 0, y);
    heap.setSlot(y, 0, x);
    expect(drain(heap)).toEqual([x, y]);
    expect(listed(heap, x) && listed(heap, y)).toBe(true);
    heap.decref(x);
    heap.decref(y); // a cycle now, held only by itself; the collector has not forgotten it
    expect(heap.releaseGarbage(Int32Array.of(x, y), 2)).toBe(true);
    const next = heap.newList();
    expect([x, y]).toContain(next);
    expect(listed(heap, next)).toBe(false);
    expect(drain(heap)).toEqual([next]);
    heap.verify();
  });

  it('hands over each tracked object once, in the order they were tracked, and marks it listed', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const a = heap.newList();
    const b = heap.newTuple();
    const c = heap.newSet();
    heap.newInt(100_000); // atoms are never handed over
    expect(listed(heap, a)).toBe(false);
    expect(drain(heap)).toEqual([a, b, c]);
    for (const r of [a, b, c]) expect(listed(heap, r)).toBe(true);
    expect(drain(heap)).toEqual([]);
  });

  it('takeYoungInto appends what takeYoung would hand over to the sink, after what it holds', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const a = heap.newList();
    const b = heap.newList();
    heap.decref(a); // freed before the hand-over: not handed over
    const c = heap.newSet();
    const got: Ref[] = [7];
    heap.takeYoungInto({ pushFrom: (refs, from, to) => void got.push(...refs.subarray(from, to)) });
    expect(got).toEqual([7, b, c]);
    for (const r of [b, c]) expect(listed(heap, r)).toBe(true);
    expect(drain(heap)).toEqual([]);
  });

  it('on install, hands over every object tracked so far', () => {
    const heap = new Heap();
    const a = heap.newList();
    const d = heap.newDict(); // untracked: not handed over
    const b = heap.newList();
    install(heap);
    expect(drain(heap)).toEqual([a, b]);
    expect(d).toBeGreaterThan(0);
  });

  it('leaves out objects freed or untracked before the drain', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const a = heap.newList();
    const t = heap.newTuple([heap.None]);
    const b = heap.newList();
    heap.decref(a);
    heap.untrackIfAtomic(t);
    expect(drain(heap)).toEqual([b]);
  });

  it('keeps tracking order when a freed object’s index is reused by a newer container', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const a = heap.newList();
    const b = heap.newList();
    heap.decref(a);
    const c = heap.newList();
    expect(c).toBe(a); // the index came back
    expect(drain(heap)).toEqual([b, c]);
  });

  it('keeps tracking order when an object is untracked and tracked again', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const x = heap.newList();
    const d1 = heap.newDict();
    const key = heap.newStr('k');
    heap.dictSet(d1, key, x); // tracked
    const d2 = heap.newList();
    heap.dictSet(d1, key, heap.None);
    expect(heap.untrackIfAtomic(d1)).toBe(true);
    heap.dictSet(d1, key, x); // tracked again, after d2
    const order = drain(heap);
    expect(order.filter((r) => r === d1 || r === d2)).toEqual([d2, d1]);
  });

  it('stays exact through thousands of entries (buffer growth and compaction)', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const refs = Array.from({ length: 3000 }, () => heap.newList());
    const survivors = refs.filter((_, i) => i % 3 !== 0);
    refs.forEach((r, i) => {
      if (i % 3 === 0) heap.decref(r);
    });
    expect(drain(heap)).toEqual(survivors);
  });
});

describe('unlist', () => {
  it('is called when a listed object is freed or untracked, and not before it is listed', () => {
    const heap = new Heap();
    const collector = install(heap);
    drain(heap);
    const young = heap.newList();
    heap.decref(young); // still in the young buffer, never listed
    expect(collector.unlisted).toEqual([]);
    const a = heap.newList();
    const t = heap.newTuple([heap.None]);
    drain(heap);
    heap.decref(a);
    expect(collector.unlisted).toEqual([a]);
    heap.untrackIfAtomic(t);
    expect(collector.unlisted).toEqual([a, t]);
    expect(listed(heap, t)).toBe(false);
    heap.decref(t);
    expect(collector.unlisted).toEqual([a, t]);
  });

  it('is called for a listed tuple freed by its count, not for one still buffered, and either leaves the buffer clean', () => {
    const heap = new Heap();
    const collector = install(heap);
    drain(heap);
    const item = heap.newList();
    const listedTuple = heap.newTuple([item, item]);
    drain(heap);
    const buffered = heap.newTuple([item]);
    expect(heap.refcount(item)).toBe(4);
    heap.decref(listedTuple);
    heap.decref(buffered);
    expect(collector.unlisted).toEqual([listedTuple]);
    expect(heap.refcount(item)).toBe(1); // each tuple gave back what it held
    expect(drain(heap)).toEqual([]); // the buffered tuple's entry went stale with it
    heap.decref(item);
    expect(collector.unlisted).toEqual([listedTuple, item]);
    heap.verify();
  });

  it('is not called for an object the collector already dropped (unlisted)', () => {
    const heap = new Heap();
    const collector = install(heap);
    drain(heap);
    const a = heap.newList();
    drain(heap);
    heap.unlisted(a);
    expect(listed(heap, a)).toBe(false);
    heap.decref(a);
    expect(collector.unlisted).toEqual([]);
  });

  it('is called for each listed instance of a plain class freed in a chain', () => {
    const heap = new Heap();
    const collector = install(heap);
    const Node = heap.defineClass('Node', { slots: ['next'] });
    drain(heap);
    const a = heap.newInstance(Node);
    const b = heap.newInstance(Node);
    heap.setSlot(a, 0, b);
    heap.decref(b);
    drain(heap);
    heap.decref(a);
    expect(collector.unlisted).toEqual([a, b]);
  });
});

describe('tracking (gc.is_tracked)', () => {
  it('atoms are never tracked', () => {
    const heap = new Heap();
    for (const atom of [heap.None, heap.True, heap.newInt(1), heap.newInt(10 ** 9), heap.newFloat(0.5), heap.newStr('a b')]) {
      expect(heap.isTracked(atom)).toBe(false);
      expect(heap.mayBeTracked(atom)).toBe(false);
    }
  });

  it('lists, sets, tuples, instances, functions and cells are tracked from birth', () => {
    const heap = new Heap();
    const C = heap.defineClass('C');
    const containers = [heap.newList(), heap.newSet(), heap.newTuple(), heap.newInstance(C), heap.newFunction('f'), heap.newCell()];
    for (const ref of [...containers, C.object]) {
      expect(heap.isTracked(ref)).toBe(true);
    }
  });

  it('a dict starts untracked, stays so with atoms, and is tracked once a container is inserted (MAINTAIN_TRACKING)', () => {
    const heap = new Heap();
    const d = heap.newDict();
    expect(heap.isTracked(d)).toBe(false); // gc.is_tracked({}) → False
    heap.dictSet(d, heap.newStr('a'), heap.newInt(1));
    expect(heap.isTracked(d)).toBe(false); // gc.is_tracked({'a': 1}) → False
    const asValue = heap.newDict();
    heap.dictSet(asValue, heap.newStr('a'), heap.newList());
    expect(heap.isTracked(asValue)).toBe(true); // gc.is_tracked({'a': []}) → True
    const withDict = heap.newDict();
    heap.dictSet(withDict, heap.newStr('inner'), heap.newDict());
    expect(heap.isTracked(withDict)).toBe(true); // a dict may become a cycle later
    const asKey = heap.newDict();
    const C = heap.defineClass('C');
    heap.dictSet(asKey, heap.newInstance(C), heap.None);
    expect(heap.isTracked(asKey)).toBe(true);
  });

  it('a dict given a tracked tuple is tracked; one given an untracked tuple is not', () => {
    const heap = new Heap();
    const atomsOnly = heap.newTuple([heap.True]);
    const d1 = heap.newDict();
    heap.dictSet(d1, atomsOnly, heap.None);
    expect(heap.isTracked(d1)).toBe(true);
    heap.untrackIfAtomic(atomsOnly);
    const d2 = heap.newDict();
    heap.dictSet(d2, atomsOnly, heap.None);
    expect(heap.isTracked(d2)).toBe(false);
  });

  it('a dict becoming tracked enters the young buffer', () => {
    const heap = new Heap();
    install(heap);
    drain(heap);
    const d = heap.newDict();
    const l = heap.newList();
    expect(drain(heap)).toEqual([l]);
    heap.dictSet(d, heap.newStr('k'), l);
    expect(drain(heap)).toEqual([d]);
  });

  it('untrackIfAtomic untracks tuples and dicts of atoms only (_PyTuple_MaybeUntrack, _PyDict_MaybeUntrack)', () => {
    const heap = new Heap();
    const atoms = heap.newTuple([heap.newInt(1), heap.newStr('x'), heap.None]);
    expect(heap.untrackIfAtomic(atoms)).toBe(true);
    expect(heap.isTracked(atoms)).toBe(false);
    const holdsList = heap.newTuple([heap.newList()]);
    expect(heap.untrackIfAtomic(holdsList)).toBe(false);
    expect(heap.isTracked(holdsList)).toBe(true);
    const nested = heap.newTuple([atoms]); // holds only an untracked tuple
    expect(heap.untrackIfAtomic(nested)).toBe(true);
    const d = heap.newDict();
    const k = heap.newStr('k');
    const l = heap.newList();
    heap.dictSet(d, k, l);
    expect(heap.untrackIfAtomic(d)).toBe(false);
    heap.dictSet(d, k, heap.None);
    expect(heap.untrackIfAtomic(d)).toBe(true);
    expect(heap.isTracked(d)).toBe(false);
    expect(heap.untrackIfAtomic(l)).toBe(false); // lists are never untracked this way
    expect(heap.isTracked(l)).toBe(true);
  });
});

describe('observers', () => {
  it('see every allocation (with its type) and every free, until removed', () => {
    const heap = new Heap();
    const allocated: [Ref, string][] = [];
    const freed: [Ref, string][] = [];
    const remove = heap.addObserver({
      allocated: (ref, type: HeapType) => allocated.push([ref, type.name]),
      freed: (ref, type) => freed.push([ref, type.name]),
    });
    const l = heap.newList();
    const f = heap.newFloat(2.5);
    const small = heap.newInt(5); // cached: no allocation
    heap.decref(small);
    heap.decref(l);
    heap.decref(f);
    expect(allocated).toEqual([
      [l, 'list'],
      [f, 'float'],
    ]);
    expect(freed).toEqual([
      [l, 'list'],
      [f, 'float'],
    ]);
    remove();
    heap.decref(heap.newList());
    expect(allocated).toHaveLength(2);
    expect(freed).toHaveLength(2);
  });

  it('allocationsObserved says whether a sampler, an allocation or a free observer is there (a closing-only observer is not one)', () => {
    const heap = new Heap();
    expect(heap.allocationsObserved).toBe(false);
    const removeClosing = heap.addObserver({ closing: () => undefined });
    expect(heap.allocationsObserved).toBe(false);
    const removeFreed = heap.addObserver({ freed: () => undefined });
    expect(heap.allocationsObserved).toBe(true);
    removeFreed();
    const removeAllocated = heap.addObserver({ allocated: () => undefined });
    expect(heap.allocationsObserved).toBe(true);
    removeAllocated();
    expect(heap.allocationsObserved).toBe(false);
    const uninstall = heap.installSampler({ sampled: () => 1 << 20, freed: () => undefined }, 1 << 20);
    expect(heap.allocationsObserved).toBe(true);
    uninstall();
    expect(heap.allocationsObserved).toBe(false);
    removeClosing();
  });

  it('an observer that throws is reported (phase observer) and the heap carries on', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    const seen: Ref[] = [];
    heap.addObserver({
      allocated: () => {
        throw new Error('observer bug');
      },
    });
    heap.addObserver({ allocated: (ref) => seen.push(ref) });
    const l = heap.newList();
    expect(heap.isAlive(l)).toBe(true);
    expect(seen).toEqual([l]);
    expect(reports.map((r) => r.phase)).toEqual(['observer']);
  });

  it('close() calls each observer’s closing hook once', () => {
    const heap = new Heap();
    let closing = 0;
    const observer: HeapObserver = { closing: () => closing++ };
    heap.addObserver(observer);
    expect(heap.closed).toBe(false);
    heap.close();
    heap.close();
    expect(closing).toBe(1);
    expect(heap.closed).toBe(true);
  });
});

interface RecordingSampler extends AllocationSampler {
  readonly picked: [Ref, string, number][];
  readonly freedRefs: Ref[];
  next: number;
}

function recordingSampler(next: number): RecordingSampler {
  const sampler: RecordingSampler = {
    picked: [],
    freedRefs: [],
    next,
    sampled(ref, type, bytes) {
      sampler.picked.push([ref, type.name, bytes]);
      return sampler.next;
    },
    freed(ref) {
      sampler.freedRefs.push(ref);
    },
  };
  return sampler;
}

describe('the allocation sampler', () => {
  it('picks the allocation that empties the countdown, counting each object’s size in bytes', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
    const probe = heap.newInstance(Node);
    const size = heap.sizeOf(probe);
    heap.decref(probe);
    const sampler = recordingSampler(3 * size);
    heap.installSampler(sampler, 2.5 * size); // the third instance empties it
    const refs = Array.from({ length: 7 }, () => heap.newInstance(Node));
    // After the third, the countdown is 3·size: the sixth is next.
    expect(sampler.picked).toEqual([
      [refs[2], 'Node', size],
      [refs[5], 'Node', size],
    ]);
    for (const r of refs) heap.decref(r);
  });

  it('reports the free of sampled objects only, and hands over each object complete', () => {
    const heap = new Heap();
    const sampler = recordingSampler(0); // every allocation
    heap.installSampler(sampler, 0);
    const items = [heap.newInt(1000), heap.newInt(1001), heap.newInt(1002)];
    sampler.next = Infinity; // the list is the last sample
    const list = heap.newList(items);
    const bytes = sampler.picked.at(-1)![2];
    expect(sampler.picked.at(-1)![0]).toBe(list);
    expect(bytes).toBe(heap.sizeOf(list)); // measured with its items in place
    const unsampled = heap.newList();
    heap.decref(unsampled);
    expect(sampler.freedRefs).toEqual([]);
    for (const r of items) heap.decref(r);
    heap.decref(list);
    // list_dealloc releases the items, last first, and then frees the list itself.
    expect(sampler.freedRefs).toEqual([items[2], items[1], items[0], list]);
  });

  it('sees sizes change when a plugin attaches or detaches a column', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const sampler = recordingSampler(0);
    heap.installSampler(sampler, 0);
    heap.decref(heap.newInstance(Node));
    const column = heap.columns.attach(Float64Array);
    heap.decref(heap.newInstance(Node));
    heap.columns.detach(column);
    heap.decref(heap.newInstance(Node));
    const sizes = sampler.picked.map(([, , bytes]) => bytes);
    expect(sizes[1]).toBe(sizes[0]! + 8);
    expect(sizes[2]).toBe(sizes[0]);
  });

  it('one sampler per heap; uninstalling frees the slot and forgets which objects were sampled', () => {
    const heap = new Heap();
    const first = recordingSampler(0);
    const uninstall = heap.installSampler(first, 0);
    expect(() => heap.installSampler(recordingSampler(0), 0)).toThrow(
      new PyTypeError('this heap already has an allocation sampler'),
    );
    const kept = heap.newList();
    expect(heap.flags[kept]! & Flag.Sampled).not.toBe(0);
    uninstall();
    uninstall(); // twice: nothing
    expect(heap.flags[kept]! & Flag.Sampled).toBe(0);
    heap.verify();
    const second = recordingSampler(Infinity);
    heap.installSampler(second, Infinity);
    heap.decref(kept);
    expect(first.freedRefs).toEqual([]);
    expect(second.freedRefs).toEqual([]); // sampled by the first, not this one
  });

  it('a sampler that throws is reported (phase observer), is offered the next allocation, and the heap stays whole', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    let calls = 0;
    heap.installSampler(
      {
        sampled: () => {
          if (calls++ === 0) throw new Error('sampler bug');
          return Infinity;
        },
        freed: () => {
          throw new Error('sampler bug on free');
        },
      },
      0,
    );
    const a = heap.newList();
    const b = heap.newList();
    expect(calls).toBe(2);
    heap.decref(a);
    heap.decref(b);
    expect(reports.map((r) => [r.phase, (r.error as Error).message])).toEqual([
      ['observer', 'sampler bug'],
      ['observer', 'sampler bug on free'],
      ['observer', 'sampler bug on free'],
    ]);
    expect(heap.isAlive(a)).toBe(false);
    heap.verify();
  });

  it('does not sample what the sampler itself allocates, and counts down again after it returns', () => {
    const heap = new Heap();
    const made: Ref[] = [];
    const picked: Ref[] = [];
    heap.installSampler(
      {
        sampled: (ref) => {
          picked.push(ref);
          made.push(heap.newList()); // a sampler that keeps records on the heap
          return 0;
        },
        freed: () => undefined,
      },
      0,
    );
    const a = heap.newList();
    const b = heap.newList();
    expect(picked).toEqual([a, b]);
    expect(made.map((r) => heap.flags[r]! & Flag.Sampled)).toEqual([0, 0]);
    for (const r of [a, b, ...made]) heap.decref(r);
    heap.verify();
  });

  it('a countdown that is not a number of bytes is refused at install, and reported when a sampler returns one', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    expect(() => heap.installSampler(recordingSampler(0), Number.NaN)).toThrow(PyValueError);
    expect(() => heap.installSampler(recordingSampler(0), -1)).toThrow("a sampler's countdown is a number of bytes >= 0, not -1");
    const sampler = recordingSampler(Number.NaN);
    heap.installSampler(sampler, 0);
    const a = heap.newList();
    const b = heap.newList(); // offered again: the NaN was not taken as "never"
    expect(sampler.picked.map(([ref]) => ref)).toEqual([a, b]);
    expect(reports.map((r) => (r.error as Error).message)).toEqual([
      "a sampler's countdown is a number of bytes >= 0, not NaN",
      "a sampler's countdown is a number of bytes >= 0, not NaN",
    ]);
    heap.decref(a);
    heap.decref(b);
    heap.verify();
  });

  it('verify() finds an object marked sampled on a heap with no sampler', () => {
    const heap = new Heap();
    const l = heap.newList();
    heap.flags[l] = heap.flags[l]! | Flag.Sampled;
    expect(() => heap.verify()).toThrow(HeapCorruptionError);
    expect(() => heap.verify()).toThrow(/is marked as sampled but the heap has no sampler/);
  });
});

describe('per-object columns', () => {
  it('an attached column grows with the heap, keeping its values and filling new entries', () => {
    const heap = new Heap();
    let current: Int32Array | undefined;
    let resizes = 0;
    const column = heap.columns.attach(Int32Array, -1, (a) => {
      current = a;
      resizes++;
    });
    expect(resizes).toBe(1);
    const first = heap.newList();
    current![first] = 42;
    const capacity = heap.columns.capacity;
    const refs: Ref[] = [];
    while (heap.highWater <= capacity * 2) refs.push(heap.newList());
    expect(heap.columns.capacity).toBeGreaterThan(capacity);
    expect(resizes).toBeGreaterThan(1);
    expect(column.array).toBe(current);
    expect(current!.length).toBe(heap.columns.capacity);
    expect(current!.length).toBeGreaterThanOrEqual(heap.highWater);
    expect(current![first]).toBe(42);
    expect(current![refs.at(-1)!]).toBe(-1);
    expect(current![current!.length - 1]).toBe(-1);
  });

  it('a column’s bytes count in every object’s size until it is detached', () => {
    const heap = new Heap();
    const l = heap.newList();
    const size = heap.sizeOf(l);
    const column = heap.columns.attach(Float64Array);
    expect(column.bytesPerObject).toBe(8);
    expect(heap.sizeOf(l)).toBe(size + 8);
    heap.columns.detach(column);
    expect(heap.sizeOf(l)).toBe(size);
  });
});

describe('the weakref slot', () => {
  it('holds one implementation at a time; uninstalling frees the slot', () => {
    const heap = new Heap();
    const impl: WeakrefProtocol = {
      clearAndNotify: () => undefined,
      clearQuietly: () => undefined,
      invokeCallback: () => undefined,
      isWeakref: () => false,
      detach: () => undefined,
    };
    const uninstall = heap.installWeakrefs(impl);
    expect(heap.weakrefs).toBe(impl);
    expect(() => heap.installWeakrefs(impl)).toThrow(PyTypeError);
    uninstall();
    expect(heap.weakrefs).toBeNull();
    heap.installWeakrefs(impl);
    expect(heap.weakrefs).toBe(impl);
  });
});
