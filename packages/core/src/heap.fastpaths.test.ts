/**
 * The hot paths' shortcuts keep every observable effect of the general paths: an atom freed
 * without `_destroy` still tells observers and the sampler (it takes the general path when
 * one listens), forgets its serial, waits in the trashcan as deep as a container would; a str
 * key hashed by its text finds what hashKey's key finds; ints at the ±2**53 boundaries are held
 * as before; the kind checks refuse as before; the slot pool's size classes are unchanged. And
 * the interpreter's shortcuts: a cached dict entry position is checked on every use, and
 * `safeIntValue` answers only for an int a JS number holds.
 */
import { describe, expect, it } from 'vitest';
import { Heap, type HeapType, NULL, PyTypeError, type Ref, StaleIdError } from './index.ts';
import { SlotPool } from './slot-pool.ts';

describe('freeing an atom nothing observes', () => {
  it('still tells a free observer, and stops once it is removed', () => {
    const heap = new Heap();
    const freed: string[] = [];
    const remove = heap.addObserver({ freed: (_ref, type) => freed.push(type.name) });
    for (const make of [() => heap.newInt(1000), () => heap.newFloat(1.5), () => heap.newStr('a b', { intern: false })]) {
      heap.decref(make());
    }
    expect(freed).toEqual(['int', 'float', 'str']);
    remove();
    heap.decref(heap.newInt(1001));
    expect(freed).toEqual(['int', 'float', 'str']);
    heap.verify();
  });

  it('an observer that only hears allocations leaves frees quiet and correct', () => {
    const heap = new Heap();
    const allocated: Ref[] = [];
    heap.addObserver({ allocated: (ref) => allocated.push(ref) });
    const live = heap.liveObjects;
    const a = heap.newInt(5000);
    heap.decref(a);
    expect(heap.isAlive(a)).toBe(false);
    expect(heap.liveObjects).toBe(live);
    expect(heap.newInt(5001)).toBe(a); // the index went back on the free list
    expect(allocated).toEqual([a, a]);
    heap.verify();
  });

  it('still reports a sampled int to the sampler', () => {
    const heap = new Heap();
    const freed: Ref[] = [];
    const sampled: Ref[] = [];
    heap.installSampler({ sampled: (ref) => (sampled.push(ref), 0), freed: (ref) => freed.push(ref) }, 0);
    const a = heap.newInt(1 << 20);
    heap.decref(a);
    expect(sampled).toEqual([a]);
    expect(freed).toEqual([a]);
    heap.verify();
  });

  it('forgets a serial: the id of a freed int is stale, and a reused index is told apart', () => {
    const heap = new Heap();
    const a = heap.newInt(123456);
    const id = heap.id(a);
    heap.decref(a);
    expect(() => heap.objectAt(id)).toThrow(StaleIdError);
    const b = heap.newInt(654321);
    expect(b).toBe(a);
    expect(() => heap.objectAt(id)).toThrow(/the id now belongs to <int object/);
    expect(heap.objectAt(heap.id(b))).toBe(b);
    heap.decref(b);
    heap.verify();
  });

  it('frees ints held by a chain deeper than the trashcan, in the same order an observer sees', () => {
    const order = (observe: boolean): number[] => {
      const heap = new Heap({ tag: 7 });
      const seen: number[] = [];
      if (observe) heap.addObserver({ freed: () => undefined });
      let chain = heap.newTuple([]);
      for (let i = 0; i < 200; i++) {
        const n = heap.newInt(10_000 + i);
        const next = heap.newTuple([n, chain]);
        heap.decref(n);
        heap.decref(chain);
        chain = next;
      }
      heap.decref(chain);
      heap.verify();
      // The free list's order shows the order of the frees: the next allocations take it from its head.
      for (let i = 0; i < 400; i++) seen.push(heap.newInt(20_000 + i));
      return seen;
    };
    expect(order(false)).toEqual(order(true));
  });

  it('an int freed inside a finalizer, and a str that stays interned', () => {
    const heap = new Heap();
    let made = NULL;
    const Box = heap.defineClass('Box', {
      slots: ['x'],
      finalize: (h) => {
        made = h.newInt(99_999);
        h.decref(made);
      },
    });
    const box = heap.newInstance(Box);
    heap.decref(box);
    expect(heap.isAlive(made)).toBe(false);
    const s = heap.intern('name');
    heap.decref(s);
    expect(heap.isAlive(s)).toBe(true);
    heap.verify();
  });
});

describe('newInt at the safe-integer boundaries', () => {
  const heap = new Heap();
  const held = (value: number | bigint): unknown => {
    const r = heap.newInt(value);
    const v = heap.valueOf(r);
    heap.decref(r);
    return v;
  };

  it('keeps safe integers as numbers, whether given as number or bigint', () => {
    expect(held(Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(held(Number.MIN_SAFE_INTEGER)).toBe(Number.MIN_SAFE_INTEGER);
    expect(held(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(held(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    expect(held(-0)).toBe(0);
    expect(held(256n)).toBe(256);
  });

  it('holds integers past 2**53 as bigints, exactly', () => {
    expect(held(2 ** 53)).toBe(2n ** 53n);
    expect(held(-(2 ** 53))).toBe(-(2n ** 53n));
    expect(held(2n ** 53n)).toBe(2n ** 53n);
    expect(held(-(2n ** 53n))).toBe(-(2n ** 53n));
    expect(held(2n ** 53n + 1n)).toBe(2n ** 53n + 1n);
    expect(held(1e300)).toBe(BigInt(1e300));
  });

  it('takes small ints from the cache either way', () => {
    const a = heap.newInt(-5);
    const b = heap.newInt(-5n);
    expect(a).toBe(b);
    heap.decref(a);
    heap.decref(b);
  });

  it('refuses what is not an integer, with the same messages', () => {
    expect(() => heap.newInt(1.5)).toThrow("'float' object cannot be interpreted as an integer");
    expect(() => heap.newInt(Number.NaN)).toThrow("'float' object cannot be interpreted as an integer");
    expect(() => heap.newInt(Infinity)).toThrow("'float' object cannot be interpreted as an integer");
    expect(() => heap.newInt('7' as unknown as number)).toThrow("'str' object cannot be interpreted as an integer");
    heap.verify();
  });
});

describe('dictSet with a str key', () => {
  it('finds what hashKey finds: an equal str, a str starting with NUL, a key class hashing as a str', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const k1 = heap.newStr('a key', { intern: false });
    const k2 = heap.newStr('a key', { intern: false });
    const nul = heap.newStr('\u0000x', { intern: false });
    const v = heap.newInt(1);
    heap.dictSet(d, k1, v);
    heap.dictSet(d, nul, v);
    expect(heap.dictGet(d, k2)).toBe(v);
    expect(heap.dictGetStr(d, 'a key')).toBe(v);
    expect(heap.dictGetStr(d, '\u0000x')).toBe(v);
    // A str subclass stands in as a class whose hashKey hook gives its text's key.
    const S: HeapType = heap.defineClass('S', { slots: [], hashKey: () => 'a key' });
    const s = heap.newInstance(S);
    const w = heap.newInt(2);
    heap.dictSet(d, s, w); // replaces the entry for 'a key', keeping the first key
    expect(heap.dictGet(d, k1)).toBe(w);
    expect(heap.length(d)).toBe(2);
    const keys: Ref[] = [];
    heap.dictForEach(d, (k) => keys.push(k));
    expect(keys).toEqual([k1, nul]);
    for (const r of [k1, k2, nul, v, s, w, d]) heap.decref(r);
    heap.verify();
  });

  it('non-str keys go through hashKey: 1, 1.0 and True are one key; a list is unhashable', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const one = heap.newInt(1);
    const oneF = heap.newFloat(1);
    const v = heap.newStr('v');
    heap.dictSet(d, oneF, v);
    expect(heap.dictGet(d, one)).toBe(v);
    expect(heap.dictGet(d, heap.True)).toBe(v);
    const l = heap.newList();
    expect(() => heap.dictSet(d, l, v)).toThrow("unhashable type: 'list'");
    for (const r of [one, oneF, v, l, d]) heap.decref(r);
    heap.verify();
  });

  it('refuses a freed key as before', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const k = heap.newStr('gone key', { intern: false });
    heap.decref(k);
    expect(() => heap.dictSet(d, k, heap.None)).toThrow(/cannot use <.* object at 0x[0-9a-f]+>: it has been freed/);
    heap.decref(d);
    heap.verify();
  });
});

describe('a cached dict entry position', () => {
  it('a cached entry position reads and stores while it holds, and misses (never lies) once it is stale', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const names = Array.from({ length: 20 }, (_, i) => heap.intern(`name${i}`));
    for (const k of names) heap.dictSet(d, k, heap.None);
    const k = names[15]!;
    const at = heap.dictIndex(d, k);
    expect(at).toBeGreaterThanOrEqual(0);
    expect(heap.dictIndex(d, heap.intern('absent'))).toBe(-1);
    expect(heap.dictValueAt(d, at, k)).toBe(heap.None);
    expect(heap.dictValueAt(d, at, names[3]!)).toBe(NULL); // another key's position
    expect(heap.dictValueAt(d, -1, k)).toBe(NULL);
    expect(heap.dictValueAt(d, 1000, k)).toBe(NULL);

    // A store at the position takes over the caller's reference and drops the old value's.
    const v = heap.newList();
    expect(heap.dictStoreAt(d, at, k, v)).toBe(true);
    expect(heap.refcount(v)).toBe(1);
    expect(heap.dictGet(d, k)).toBe(v);
    const w = heap.newList();
    expect(heap.dictStoreAt(d, at, k, w)).toBe(true);
    expect(heap.isAlive(v)).toBe(false);
    expect(heap.dictValueAt(d, at, k)).toBe(w);

    // Deleting the entries before it compacts the table: the old position no longer holds k.
    for (let i = 0; i < 14; i++) heap.dictDelete(d, names[i]!);
    expect(heap.dictValueAt(d, at, k)).toBe(NULL);
    const u = heap.newList();
    expect(heap.dictStoreAt(d, at, k, u)).toBe(false);
    expect(heap.refcount(u)).toBe(1); // still the caller's
    expect(heap.dictGet(d, k)).toBe(w);
    const moved = heap.dictIndex(d, k);
    expect(moved).not.toBe(at);
    expect(heap.dictValueAt(d, moved, k)).toBe(w);

    // A deleted entry's position, asked about with NULL as the key, is no match either.
    heap.dictDelete(d, k);
    expect(heap.dictValueAt(d, moved, NULL)).toBe(NULL);
    expect(heap.dictStoreAt(d, moved, NULL, u)).toBe(false);
    heap.decref(u);
    expect(() => heap.dictValueAt(heap.None, 0, k)).toThrow(PyTypeError);
    heap.verify();
  });
});

describe('safeIntValue', () => {
  it('is the value of an int a JS number holds, and undefined for a bigint, a bool, another kind or a dead int', () => {
    const heap = new Heap();
    const ints = [heap.newInt(5), heap.newInt(-(2 ** 53) + 1), heap.newInt(2n ** 53n - 1n)];
    expect(ints.map((r) => heap.safeIntValue(r))).toEqual([5, -(2 ** 53) + 1, 2 ** 53 - 1]);
    const others = [heap.newInt(2n ** 53n), heap.True, heap.newFloat(2), heap.newStr('5')];
    const dead = heap.newInt(123456);
    heap.decref(dead); // (and nothing allocated after it, so its index stays free)
    expect([...others, dead].map((r) => heap.safeIntValue(r))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('kind checks by the kind column', () => {
  it('refuse a dead object first, then one of another kind, with the same messages', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const l = heap.newList();
    const t = heap.newTuple([]);
    expect(() => heap.append(d, heap.None)).toThrow(/descriptor 'append' for 'list' objects doesn't apply to a 'dict' object/);
    expect(() => heap.dictSet(l, heap.None, heap.None)).toThrow(
      /descriptor '__setitem__' for 'dict' objects doesn't apply to a 'list' object/,
    );
    expect(() => heap.item(d, 0)).toThrow("'dict' object is not subscriptable");
    expect(() => heap.item(t, 0)).toThrow('tuple index out of range');
    expect(() => heap.item(l, 0.5)).toThrow('list indices must be integers or slices, not float');
    expect(() => heap.setItem(l, 0, heap.None)).toThrow('list assignment index out of range');
    heap.decref(l);
    expect(() => heap.append(l, heap.None)).toThrow(/it has been freed/);
    expect(() => heap.item(l, 0)).toThrow(/it has been freed/);
    expect(() => heap.append(123456, heap.None)).toThrow('123456 is not an object reference of this heap (cannot use it)');
    heap.decref(d);
    heap.decref(t);
    heap.verify();
  });
});

describe('slot pool size classes', () => {
  it('rounds past 32 words up to the next power of two', () => {
    const cases: [number, number][] = [[1, 1], [32, 32], [33, 64], [64, 64], [65, 128], [1000, 1024], [1024, 1024], [1025, 2048], [2 ** 20 + 1, 2 ** 21]];
    for (const [size, block] of cases) expect(SlotPool.blockSize(size)).toBe(block);
  });

  it('reuses a released large block for the next request of its class', () => {
    const pool = new SlotPool(64, () => undefined);
    const a = pool.allocate(100);
    pool.release(a, 100);
    expect(pool.allocate(128)).toBe(a);
    const b = pool.allocate(129);
    pool.release(b, 129);
    expect(pool.allocate(256)).toBe(b);
  });
});
