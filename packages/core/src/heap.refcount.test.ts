/**
 * The raw layer's verbs: incref/decref, refcount and getrefcount, id and objectAt,
 * traverse, and the statistics (live counts, allocations, bytes).
 */
import { describe, expect, it } from 'vitest';
import { ForeignHeapError, Heap, NULL, type Ref, StaleIdError, formatAddress } from './index.ts';

function visited(heap: Heap, ref: Ref): Ref[] {
  const out: Ref[] = [];
  heap.traverse(ref, (child) => out.push(child));
  return out;
}

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('incref and decref', () => {
  it('a new object starts with one reference, the caller’s', () => {
    const heap = new Heap();
    const l = heap.newList();
    expect(heap.refcount(l)).toBe(1);
    expect(heap.getrefcount(l)).toBe(2);
  });

  it('incref adds one, decref drops one; at zero the object is freed before decref returns', () => {
    const heap = new Heap();
    const live = heap.liveObjects;
    const l = heap.newList();
    heap.incref(l);
    heap.incref(l);
    expect(heap.refcount(l)).toBe(3);
    heap.decref(l);
    heap.decref(l);
    expect(heap.refcount(l)).toBe(1);
    expect(heap.isAlive(l)).toBe(true);
    heap.decref(l);
    expect(heap.isAlive(l)).toBe(false);
    expect(heap.liveObjects).toBe(live);
  });

  it('getrefcount is always refcount + 1 (sys.getrefcount’s own argument)', () => {
    const heap = new Heap();
    const l = heap.newList();
    const t = heap.newTuple([l, l]);
    expect(heap.refcount(l)).toBe(3);
    expect(heap.getrefcount(l)).toBe(4);
    heap.decref(t);
    expect(heap.getrefcount(l)).toBe(2);
  });

  it('storing in a container adds a reference; freeing the container releases it', () => {
    const heap = new Heap();
    const x = heap.newList();
    const holder = heap.newList([x, x, x]);
    expect(heap.refcount(x)).toBe(4);
    heap.decref(holder);
    expect(heap.refcount(x)).toBe(1);
  });
});

describe('id', () => {
  it('looks like an address: a multiple of 16, shown in hex by hexId', () => {
    const heap = new Heap();
    const l = heap.newList();
    const id = heap.id(l);
    expect(Number.isSafeInteger(id)).toBe(true);
    expect(id % 16).toBe(0);
    expect(heap.hexId(l)).toBe(`0x${id.toString(16)}`);
    expect(heap.hexId(l)).toMatch(/^0x7f[0-9a-f]{10}$/);
    expect(formatAddress(id)).toBe(heap.hexId(l));
  });

  it('is unique among live objects', () => {
    const heap = new Heap();
    const refs = Array.from({ length: 50 }, () => heap.newList());
    const ids = new Set(refs.map((r) => heap.id(r)));
    expect(ids.size).toBe(50);
  });

  it('is stable for the object’s life, even as the heap grows and the list moves', () => {
    const heap = new Heap();
    const l = heap.newList();
    const id = heap.id(l);
    for (let i = 0; i < 5000; i++) {
      heap.append(l, heap.None);
      heap.newDict();
    }
    expect(heap.id(l)).toBe(id);
    expect(heap.objectAt(id)).toBe(l);
  });

  it('is reused after the object is freed: the next allocation takes the same index', () => {
    const heap = new Heap();
    const a = heap.newList();
    const id = heap.id(a);
    heap.decref(a);
    const b = heap.newDict();
    expect(b).toBe(a);
    expect(heap.id(b)).toBe(id);
  });

  it('after a large structure is freed, its indexes and slot blocks are handed out again lowest address first', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    // A linked list of 100,000 Nodes, built and freed three times: LIFO reuse would hand the
    // indexes out in the reverse of the teardown's order, more scrambled each round.
    for (let round = 0; round < 3; round++) {
      const head = heap.newInstance(Node);
      let tail = head;
      for (let i = 1; i < 100_000; i++) {
        const next = heap.newInstance(Node);
        heap.setSlot(tail, 0, next);
        heap.decref(next);
        tail = next;
      }
      heap.decref(head);
      heap.verify();
    }
    const refs = Array.from({ length: 1000 }, () => heap.newInstance(Node));
    for (let i = 1; i < refs.length; i++) expect(refs[i]).toBe(refs[i - 1]! + 1);
    heap.setSlot(refs[0]!, 0, refs[1]!);
    expect(heap.getSlot(refs[0]!, 0)).toBe(refs[1]); // slot blocks relinked, not shared
    expect(heap.getSlot(refs[1]!, 0)).toBe(0);
    for (const r of refs) heap.decref(r);
    heap.verify();
  });

  it('two heaps never hand out the same id', () => {
    const h1 = new Heap();
    const h2 = new Heap();
    const a = h1.newList();
    const b = h2.newList();
    expect(a).toBe(b); // the same index in each heap…
    expect(h1.id(a)).not.toBe(h2.id(b)); // …but different ids
  });
});

describe('objectAt (the seeds’ ref_by_id, made safe)', () => {
  it('returns the live object an id names, borrowed', () => {
    const heap = new Heap();
    const l = heap.newList();
    const id = heap.id(l);
    expect(heap.objectAt(id)).toBe(l);
    expect(heap.refcount(l)).toBe(1);
  });

  it('an id whose object was freed raises StaleIdError, reason freed', () => {
    const heap = new Heap();
    const l = heap.newList();
    const id = heap.id(l);
    heap.decref(l);
    const error = thrown(() => heap.objectAt(id));
    expect(error).toBeInstanceOf(StaleIdError);
    expect((error as StaleIdError).reason).toBe('freed');
    expect((error as StaleIdError).message).toContain(formatAddress(id));
    expect((error as StaleIdError).message).toContain('list');
  });

  it('an id freed and reused by another object raises StaleIdError, reason reused, naming the new occupant', () => {
    const heap = new Heap();
    const C = heap.defineClass('Node', { slots: ['a'] });
    const l = heap.newList();
    const id = heap.id(l);
    heap.decref(l);
    const n = heap.newInstance(C);
    expect(n).toBe(l); // same index
    const error = thrown(() => heap.objectAt(id));
    expect(error).toBeInstanceOf(StaleIdError);
    expect((error as StaleIdError).reason).toBe('reused');
    expect((error as StaleIdError).message).toMatch(/<Node object at 0x[0-9a-f]+>/);
    expect((error as StaleIdError).object).toBe(heap.describe(n));
    // Once the new object's own id has been taken, the id names it.
    expect(heap.objectAt(heap.id(n))).toBe(n);
  });

  it('an id read from a repr (<Node object at 0x…>) is checked for reuse just the same', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const n = heap.newInstance(Node);
    const shown = /0x([0-9a-f]+)/.exec(heap.repr(n))![1]!;
    const id = Number.parseInt(shown, 16);
    heap.decref(n);
    const l = heap.newList(); // takes n's index
    expect(l).toBe(n);
    const error = thrown(() => heap.objectAt(id));
    expect(error).toBeInstanceOf(StaleIdError);
    expect((error as StaleIdError).reason).toBe('reused');
  });

  it('a number that was never an id raises StaleIdError, reason never', () => {
    const heap = new Heap();
    const l = heap.newList();
    const id = heap.id(l);
    for (const bogus of [0, 12345, -1, 1.5, Number.NaN, id + 8, id + 16 * 100_000]) {
      const error = thrown(() => heap.objectAt(bogus));
      expect(error).toBeInstanceOf(StaleIdError);
      expect((error as StaleIdError).reason).toBe('never');
    }
  });

  it('an id from another heap raises ForeignHeapError', () => {
    const h1 = new Heap();
    const h2 = new Heap();
    const l = h2.newList();
    expect(() => h1.objectAt(h2.id(l))).toThrow(ForeignHeapError);
  });
});

describe('traverse visits exactly the references an object holds', () => {
  it('tuple and list: every item, last first (list_traverse, tupletraverse), duplicates included', () => {
    const heap = new Heap();
    const x = heap.newList();
    const one = heap.newInt(1);
    expect(visited(heap, heap.newTuple([x, one, one]))).toEqual([one, one, x]);
    expect(visited(heap, heap.newList([one, x]))).toEqual([x, one]);
    expect(visited(heap, heap.newList())).toEqual([]);
  });

  it('dict: only values while every key is a str, else each value then its key; set: each member', () => {
    const heap = new Heap();
    const k = heap.newStr('k');
    const v = heap.newList();
    const d = heap.newDict();
    heap.dictSet(d, k, v);
    expect(visited(heap, d)).toEqual([v]);
    const one = heap.newInt(1);
    heap.dictSet(d, one, heap.None);
    expect(visited(heap, d)).toEqual([v, k, heap.None, one]);
    heap.clearReferences(d); // emptied, it is a str-keyed dict again (dict.clear())
    heap.dictSet(d, k, v);
    expect(visited(heap, d)).toEqual([v]);
    const s = heap.newSet([k, heap.True]);
    expect(visited(heap, s)).toEqual([k, heap.True]);
  });

  it('instance: set slots (not unset ones), attribute values, then its class', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a', 'b', 'c'] });
    const s = heap.newInstance(S);
    const x = heap.newList();
    heap.setSlot(s, 2, x);
    heap.setSlot(s, 0, heap.None);
    expect(visited(heap, s)).toEqual([heap.None, x, S.object]);
    const C = heap.defineClass('C');
    const c = heap.newInstance(C);
    heap.setAttr(c, 'x', x);
    expect(visited(heap, c)).toEqual([x, C.object]);
    heap.attributeDict(c);
    expect(visited(heap, c)).toEqual([heap.attributeDict(c), C.object]);
  });

  it('cell: its value; function: its closure tuple; class: its attribute dict', () => {
    const heap = new Heap();
    const x = heap.newList();
    const cell = heap.newCell(x);
    expect(visited(heap, cell)).toEqual([x]);
    expect(visited(heap, heap.newCell())).toEqual([]);
    const f = heap.newFunction('f', [cell]);
    const [closure] = visited(heap, f);
    expect(visited(heap, closure!)).toEqual([cell]);
    const C = heap.defineClass('C');
    expect(visited(heap, C.object)).toEqual([heap.attributeDict(C.object)]);
  });

  it('atoms visit nothing', () => {
    const heap = new Heap();
    for (const a of [heap.None, heap.True, heap.newInt(1000), heap.newFloat(2.5), heap.newStr('a b')]) {
      expect(visited(heap, a)).toEqual([]);
    }
  });

  it('children() agrees with traverse', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a', 'b'] });
    const s = heap.newInstance(S);
    const x = heap.newList([heap.None, heap.True]);
    heap.setSlot(s, 1, x);
    for (const ref of [s, x]) {
      const n = heap.children(ref);
      expect(Array.from(heap.childBuffer.subarray(0, n))).toEqual(visited(heap, ref));
    }
  });
});

describe('statistics', () => {
  it('a fresh heap holds None, True, False and the 262 small ints', () => {
    const heap = new Heap();
    const stats = heap.stats();
    expect(stats.live).toBe(265);
    expect(stats.allocations).toBe(265);
    expect(stats.deallocations).toBe(0);
    const byName = new Map(stats.byType.map((t) => [t.type, t.count]));
    expect(byName.get('int')).toBe(262);
    expect(byName.get('bool')).toBe(2);
    expect(byName.get('NoneType')).toBe(1);
  });

  it('counts allocations, deallocations and live objects by type', () => {
    const heap = new Heap();
    const before = heap.stats();
    const Node = heap.defineClass('Node', { slots: ['a'] });
    const afterClass = heap.stats();
    const lists = [heap.newList(), heap.newList(), heap.newList()];
    const nodes = [heap.newInstance(Node), heap.newInstance(Node)];
    heap.decref(lists[0]!);
    const stats = heap.stats();
    expect(stats.allocations - afterClass.allocations).toBe(5);
    expect(stats.deallocations - before.deallocations).toBe(1);
    expect(stats.live).toBe(stats.allocations - stats.deallocations);
    expect(stats.live).toBe(heap.liveObjects);
    const byName = new Map(stats.byType.map((t) => [t.type, t.count]));
    expect(byName.get('list')).toBe(2);
    expect(byName.get('Node')).toBe(2);
    expect(heap.liveCount(Node)).toBe(2);
    expect(heap.liveCount(heap.types.list)).toBe(2);
    // Sorted by count, most numerous first.
    const counts = stats.byType.map((t) => t.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    heap.decref(nodes[0]!);
    expect(heap.liveCount(Node)).toBe(1);
  });

  it('bytes are the sum of sizeOf over every live object, by type and in total', () => {
    const heap = new Heap();
    const l = heap.newList();
    for (let i = 0; i < 100; i++) heap.append(l, heap.None);
    const d = heap.newDict();
    heap.dictSet(d, heap.newStr('k'), l);
    heap.newStr('a longer string, not interned');
    let total = 0;
    const perType = new Map<string, number>();
    heap.forEachObject((ref) => {
      const size = heap.sizeOf(ref);
      total += size;
      const name = heap.typeOf(ref).name;
      perType.set(name, (perType.get(name) ?? 0) + size);
    });
    const stats = heap.stats();
    expect(stats.bytes).toBe(total);
    for (const t of stats.byType) expect(t.bytes).toBe(perType.get(t.type));
  });

  it('sizeOf grows with a list’s capacity and a string’s length', () => {
    const heap = new Heap();
    const l = heap.newList();
    const empty = heap.sizeOf(l);
    for (let i = 0; i < 100; i++) heap.append(l, heap.None);
    expect(heap.sizeOf(l)).toBeGreaterThan(empty);
    expect(heap.sizeOf(heap.newStr('a b c d e f g h'))).toBeGreaterThan(heap.sizeOf(heap.newStr('a b')));
    expect(heap.sizeOf(l)).toBeGreaterThan(0);
  });

  it('a two-slot instance costs at most 32 bytes (issue target; CPython: 56)', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
    expect(heap.sizeOf(heap.newInstance(Node))).toBeLessThanOrEqual(32);
  });

  it('forEachObject visits every live object once, in index order', () => {
    const heap = new Heap();
    const a = heap.newList();
    const b = heap.newList();
    heap.decref(a);
    const seen: Ref[] = [];
    heap.forEachObject((r) => seen.push(r));
    expect(seen.length).toBe(heap.liveObjects);
    expect(seen).toContain(b);
    expect(seen).not.toContain(a);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen).not.toContain(NULL);
  });
});
