/**
 * Deallocation in CPython's order: the finalizer once (PEP 442, resurrection allowed), weak
 * references cleared, untracked, children released (a list's last first, slots in order), the
 * index freed. Iterative: very deep chains unwind without a stack overflow.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  type CollectorProtocol,
  Heap,
  type HeapType,
  NULL,
  type Ref,
  type Unraisable,
  type WeakrefProtocol,
} from './index.ts';

/** A heap with a `Named` class (slot 0: its name) whose finalizer logs that name. */
function namedHeap(): { heap: Heap; Named: HeapType; log: string[]; make: (name: string) => Ref; nameOf: (r: Ref) => string } {
  const heap = new Heap();
  const log: string[] = [];
  const names = new Map<Ref, string>();
  const nameOf = (r: Ref): string => names.get(r) ?? `#${r}`;
  const Named = heap.defineClass('Named', {
    slots: ['name', 'a', 'b'],
    finalize: (h, self) => log.push(`finalize ${String(h.valueOf(h.getSlot(self, 0)))}`),
  });
  const make = (name: string): Ref => {
    const r = heap.newInstance(Named);
    const s = heap.newStr(name);
    heap.setSlot(r, 0, s);
    heap.decref(s);
    names.set(r, name);
    return r;
  };
  return { heap, Named, log, make, nameOf };
}

function fakeWeakrefs(log: string[], nameOf: (r: Ref) => string): WeakrefProtocol {
  return {
    clearAndNotify: (ref) => log.push(`weakrefs ${nameOf(ref)}`),
    clearQuietly: () => undefined,
    invokeCallback: () => undefined,
    isWeakref: () => false,
    detach: () => undefined,
  };
}

function fakeCollector(log: string[], nameOf: (r: Ref) => string): CollectorProtocol {
  return {
    youngThresholdExceeded: () => undefined,
    unlist: (ref) => log.push(`untrack ${nameOf(ref)}`),
  };
}

describe('the order of deallocation', () => {
  it('finalizer, untrack, weak references, children (slots in order), then the object is freed (as subtype_dealloc)', () => {
    const { heap, log, make, nameOf } = namedHeap();
    heap.installWeakrefs(fakeWeakrefs(log, nameOf));
    heap.installCollector(fakeCollector(log, nameOf));
    heap.addObserver({ freed: (ref) => log.push(`freed ${nameOf(ref)}`) });
    const parent = make('parent');
    const a = make('a');
    const b = make('b');
    heap.setSlot(parent, 1, a);
    heap.setSlot(parent, 2, b);
    heap.decref(a);
    heap.decref(b);
    heap.setHasWeakrefs(parent, true);
    heap.takeYoung(); // the collector lists them: untracking now calls unlist
    log.length = 0;
    heap.decref(parent);
    expect(log).toEqual([
      'finalize parent',
      'untrack parent',
      'weakrefs parent',
      'finalize a',
      'untrack a',
      'freed a',
      'finalize b',
      'untrack b',
      'freed b',
      'freed parent',
    ]);
  });

  it('a list releases its items last first (list_dealloc), and so does a tuple', () => {
    const { heap, log, make } = namedHeap();
    const items = ['x', 'y', 'z'].map(make);
    const l = heap.newList(items);
    const t = heap.newTuple(items);
    for (const r of items) heap.decref(r);
    heap.decref(t);
    expect(log).toEqual([]);
    heap.decref(l);
    expect(log).toEqual(['finalize z', 'finalize y', 'finalize x']);
  });

  it('a tuple on its own releases its items last first too, and is gone before they are', () => {
    const { heap, log, make } = namedHeap();
    const items = ['x', 'y', 'z'].map(make);
    const t = heap.newTuple(items);
    for (const r of items) heap.decref(r);
    const live = heap.liveObjects;
    heap.decref(t);
    expect(log).toEqual(['finalize z', 'finalize y', 'finalize x']);
    expect(heap.isAlive(t)).toBe(false);
    expect(heap.liveObjects).toBe(live - 4);
    heap.verify();
  });

  it('a dict releases its entries in insertion order', () => {
    const { heap, log, make } = namedHeap();
    const d = heap.newDict();
    for (const name of ['k1', 'k2', 'k3']) {
      const key = heap.newStr(name);
      const value = make(name);
      heap.dictSet(d, key, value);
      heap.decref(value);
    }
    heap.decref(d);
    expect(log).toEqual(['finalize k1', 'finalize k2', 'finalize k3']);
  });

  it('an instance releases its attributes after its slots', () => {
    const { heap, log, make } = namedHeap();
    const C = heap.defineClass('C', { slots: ['first', '__dict__'] });
    const c = heap.newInstance(C);
    const attr = make('attribute');
    const slot = make('slot');
    heap.setAttr(c, 'later', attr);
    heap.setAttr(c, 'first', slot);
    heap.decref(attr);
    heap.decref(slot);
    heap.decref(c);
    expect(log).toEqual(['finalize slot', 'finalize attribute']);
  });

  it('the finalizer sees the object intact: its slots are still set', () => {
    const heap = new Heap();
    const seen: Ref[] = [];
    const Node = heap.defineClass('Node', { slots: ['a'], finalize: (h, self) => seen.push(h.getSlot(self, 0)) });
    const n = heap.newInstance(Node);
    const x = heap.newList();
    heap.setSlot(n, 0, x);
    heap.decref(n);
    expect(seen).toEqual([x]);
    expect(heap.refcount(x)).toBe(1);
  });

  it('the observer hears of the free after it happened', () => {
    const heap = new Heap();
    const l = heap.newList();
    let aliveWhenTold: boolean | undefined;
    heap.addObserver({ freed: (ref) => (aliveWhenTold = heap.isAlive(ref)) });
    heap.decref(l);
    expect(aliveWhenTold).toBe(false);
  });
});

describe('finalizers (PEP 442)', () => {
  it('run exactly once when the object dies', () => {
    const { heap, log, make } = namedHeap();
    const n = make('n');
    heap.incref(n);
    heap.decref(n);
    expect(log).toEqual([]);
    heap.decref(n);
    expect(log).toEqual(['finalize n']);
    expect(heap.isAlive(n)).toBe(false);
  });

  it('may resurrect the object: it survives, and its finalizer never runs again when it dies later', () => {
    const heap = new Heap();
    const graveyard = heap.newList();
    let runs = 0;
    const Phoenix = heap.defineClass('Phoenix', {
      slots: ['payload'],
      finalize: (h, self) => {
        runs++;
        h.append(graveyard, self); // a new reference: self lives on
      },
    });
    const p = heap.newInstance(Phoenix);
    const payload = heap.newList();
    heap.setSlot(p, 0, payload);
    heap.decref(payload);
    const live = heap.liveObjects;
    heap.decref(p);
    expect(runs).toBe(1);
    expect(heap.isAlive(p)).toBe(true);
    expect(heap.refcount(p)).toBe(1); // the graveyard's
    expect(heap.isFinalized(p)).toBe(true);
    expect(heap.isAlive(payload)).toBe(true);
    expect(heap.liveObjects).toBe(live);
    heap.deleteItem(graveyard, 0);
    expect(runs).toBe(1);
    expect(heap.isAlive(p)).toBe(false);
    expect(heap.isAlive(payload)).toBe(false);
    expect(heap.liveObjects).toBe(live - 2);
  });

  it('a resurrecting finalizer that keeps a raw reference: the object lives until that is released', () => {
    const heap = new Heap();
    let saved: Ref = NULL;
    let runs = 0;
    const T = heap.defineClass('T', {
      slots: [],
      finalize: (h, self) => {
        runs++;
        h.incref(self);
        saved = self;
      },
    });
    const t = heap.newInstance(T);
    heap.decref(t);
    expect(heap.isAlive(t)).toBe(true);
    expect(heap.refcount(saved)).toBe(1);
    heap.decref(saved);
    expect(heap.isAlive(t)).toBe(false);
    expect(runs).toBe(1);
  });

  it('weak references are not cleared when the finalizer resurrects, and are when it finally dies', () => {
    const heap = new Heap();
    const log: string[] = [];
    heap.installWeakrefs(fakeWeakrefs(log, (r) => `#${r}`));
    const keep = heap.newList();
    const W = heap.defineClass('W', { finalize: (h, self) => h.append(keep, self) });
    const w = heap.newInstance(W);
    heap.setHasWeakrefs(w, true);
    heap.decref(w);
    expect(log).toEqual([]);
    expect(heap.hasWeakrefs(w)).toBe(true);
    heap.deleteItem(keep, 0);
    expect(log).toEqual([`weakrefs #${w}`]);
  });

  it('the weakref hook is called only for objects marked as having weak references', () => {
    const heap = new Heap();
    const log: string[] = [];
    heap.installWeakrefs(fakeWeakrefs(log, (r) => `#${r}`));
    const S = heap.defineClass('S', { slots: ['a', '__weakref__'] });
    const plain = heap.newInstance(S);
    const marked = heap.newInstance(S);
    const list = heap.newList();
    heap.setHasWeakrefs(marked, true);
    heap.setHasWeakrefs(list, true);
    heap.setHasWeakrefs(list, false);
    heap.decref(plain);
    heap.decref(list);
    expect(log).toEqual([]);
    heap.decref(marked);
    expect(log).toEqual([`weakrefs #${marked}`]);
  });

  it('callFinalizer runs a finalizer at most once (what a collector uses)', () => {
    const { heap, log, make } = namedHeap();
    const n = make('n');
    expect(heap.hasFinalizer(n)).toBe(true);
    expect(heap.isFinalized(n)).toBe(false);
    heap.callFinalizer(n);
    heap.callFinalizer(n);
    expect(log).toEqual(['finalize n']);
    expect(heap.isFinalized(n)).toBe(true);
    heap.decref(n);
    expect(log).toEqual(['finalize n']);
    expect(heap.isAlive(n)).toBe(false);
  });

  it('a finalizer that raises is reported and the object is still freed', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    const boom = new Error('boom');
    const Bad = heap.defineClass('Node', {
      slots: ['child'],
      finalize: () => {
        throw boom;
      },
    });
    const live = heap.liveObjects;
    const n = heap.newInstance(Bad);
    const child = heap.newList();
    heap.setSlot(n, 0, child);
    heap.decref(child);
    const described = heap.describe(n);
    heap.decref(n);
    expect(heap.isAlive(n)).toBe(false);
    expect(heap.isAlive(child)).toBe(false);
    expect(heap.liveObjects).toBe(live);
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report!.error).toBe(boom);
    expect(report!.phase).toBe('finalizer');
    expect(report!.object).toBe(described);
    expect(report!.object).toMatch(/^<Node object at 0x[0-9a-f]+>$/);
    expect(report!.message.startsWith('Exception ignored in:')).toBe(true);
    expect(report!.message).toContain(described);
  });

  it('an unraisable hook that itself throws does not stop the deallocation (the report falls back to stderr)', () => {
    const heap = new Heap({
      unraisable: () => {
        throw new Error('hook bug');
      },
    });
    const printed: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((text: unknown) => {
      printed.push(String(text));
      return true;
    });
    try {
      const Bad = heap.defineClass('Bad', {
        slots: ['a'],
        finalize: () => {
          throw new Error('x');
        },
      });
      const live = heap.liveObjects;
      const b = heap.newInstance(Bad);
      const child = heap.newList();
      heap.setSlot(b, 0, child);
      heap.decref(child);
      heap.decref(b);
      expect(heap.isAlive(b)).toBe(false);
      expect(heap.isAlive(child)).toBe(false);
      expect(heap.liveObjects).toBe(live);
      expect(printed).toHaveLength(1);
      expect(printed[0]!.startsWith('Exception ignored in:')).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('the unraisable hook can be replaced after construction', () => {
    const heap = new Heap();
    const reports: Unraisable[] = [];
    heap.unraisable = (info) => reports.push(info);
    const Bad = heap.defineClass('Bad', {
      slots: [],
      finalize: () => {
        throw new Error('x');
      },
    });
    heap.decref(heap.newInstance(Bad));
    expect(reports.map((r) => r.phase)).toEqual(['finalizer']);
  });

  it('a clear hook that raises is reported (phase clear) and the object is still freed', () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    const T = heap.defineClass('T', {
      slots: ['a'],
      clear: () => {
        throw new Error('clear failed');
      },
    });
    const live = heap.liveObjects;
    const t = heap.newInstance(T);
    const x = heap.newList();
    heap.setSlot(t, 0, x);
    heap.decref(x);
    heap.decref(t);
    expect(heap.liveObjects).toBe(live);
    expect(reports.map((r) => r.phase)).toEqual(['clear']);
  });

  it('finalizers that allocate (and move the slot pool) while a parent is being freed do not lose its other children', () => {
    const heap = new Heap();
    const Alloc = heap.defineClass('Alloc', {
      slots: [],
      finalize: (h) => {
        const big = h.newList();
        for (let i = 0; i < 20_000; i++) h.append(big, h.None);
        const more = Array.from({ length: 200 }, () => h.newTuple([h.None, h.None, h.None]));
        for (const m of more) h.decref(m);
        h.decref(big);
      },
    });
    const Node = heap.defineClass('Node', { slots: ['a', 'b', 'c'] });
    const live = heap.liveObjects;
    const parent = heap.newInstance(Node);
    const kids = [heap.newInstance(Alloc), heap.newList(), heap.newInstance(Alloc)];
    kids.forEach((k, i) => {
      heap.setSlot(parent, i, k);
      heap.decref(k);
    });
    const l = heap.newList();
    for (let i = 0; i < 10; i++) {
      const a = heap.newInstance(Alloc);
      heap.append(l, a);
      heap.decref(a);
    }
    heap.decref(parent);
    heap.decref(l);
    for (const k of kids) expect(heap.isAlive(k)).toBe(false);
    expect(heap.liveObjects).toBe(live);
  });
});

describe('deep and wide structures', () => {
  it('one decref of the head of a 10-million-node linked list frees it all, without a stack overflow', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const baseline = heap.liveObjects;
    const deallocations = heap.stats().deallocations;
    const N = 10_000_000;
    let head = heap.newInstance(Node);
    for (let i = 1; i < N; i++) {
      const n = heap.newInstance(Node);
      heap.setSlot(n, 0, head);
      heap.decref(head);
      head = n;
    }
    expect(heap.liveObjects).toBe(baseline + N);
    heap.decref(head);
    expect(heap.liveObjects).toBe(baseline);
    expect(heap.stats().deallocations - deallocations).toBe(N);
  }, 60_000);

  it('a million nested lists (l = [l]) and a chain of finalizer objects unwind iteratively too', () => {
    const heap = new Heap();
    const baseline = heap.liveObjects;
    let l = heap.newList();
    for (let i = 0; i < 1_000_000; i++) {
      const outer = heap.newList([l]);
      heap.decref(l);
      l = outer;
    }
    heap.decref(l);
    expect(heap.liveObjects).toBe(baseline);

    const order: number[] = [];
    const F = heap.defineClass('F', {
      slots: ['next', { name: 'i', kind: 'int32' }],
      finalize: (h, self) => order.push(h.getSlotInt(self, 1)),
    });
    const start = heap.liveObjects;
    let head = heap.newInstance(F);
    for (let i = 1; i < 100_000; i++) {
      const n = heap.newInstance(F);
      heap.setSlotInt(n, 1, i);
      heap.setSlot(n, 0, head);
      heap.decref(head);
      head = n;
    }
    heap.decref(head);
    expect(heap.liveObjects).toBe(start);
    expect(order).toHaveLength(100_000);
    // Each finalizer ran once, head first, as CPython's recursive deallocation would.
    expect(order.every((v, i) => v === 99_999 - i)).toBe(true);
  }, 60_000);

  it('a list holding a million children frees them all', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const baseline = heap.liveObjects;
    const l = heap.newList();
    for (let i = 0; i < 1_000_000; i++) {
      const n = heap.newInstance(Node);
      heap.append(l, n);
      heap.decref(n);
    }
    expect(heap.liveObjects).toBe(baseline + 1_000_001);
    heap.decref(l);
    expect(heap.liveObjects).toBe(baseline);
    expect(heap.liveCount(Node)).toBe(0);
  }, 60_000);
});
