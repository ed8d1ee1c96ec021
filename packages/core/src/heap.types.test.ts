/**
 * The object types: what each one is, how it is shared (singletons, the small-int cache,
 * interning), and the operations each supports, with CPython's answers and error wording.
 */
import { describe, expect, it } from 'vitest';
import {
  Heap,
  Kind,
  NULL,
  PyAttributeError,
  PyIndexError,
  PyKeyError,
  PyTypeError,
  type Ref,
} from './index.ts';

/** Items of a list or tuple, borrowed. */
function items(heap: Heap, seq: Ref): Ref[] {
  const out: Ref[] = [];
  for (let i = 0; i < heap.length(seq); i++) out.push(heap.item(seq, i));
  return out;
}

function values(heap: Heap, seq: Ref): unknown[] {
  return items(heap, seq).map((r) => heap.valueOf(r));
}

describe('None, True and False', () => {
  it('are singletons: every new reference is the same object', () => {
    const heap = new Heap();
    const n1 = heap.newNone();
    const n2 = heap.from(null);
    const n3 = heap.from(undefined);
    expect(n1).toBe(heap.None);
    expect(n2).toBe(heap.None);
    expect(n3).toBe(heap.None);
    expect(heap.newBool(true)).toBe(heap.True);
    expect(heap.from(true)).toBe(heap.True);
    expect(heap.newBool(false)).toBe(heap.False);
    expect(heap.True).not.toBe(heap.False);
    expect(heap.typeOf(heap.None).name).toBe('NoneType');
    expect(heap.typeOf(heap.True).name).toBe('bool');
    expect(heap.valueOf(heap.None)).toBeNull();
    expect(heap.valueOf(heap.True)).toBe(true);
    expect(heap.valueOf(heap.False)).toBe(false);
  });

  it('have a huge count in CPython 3.11 terms, and are never freed by a release', () => {
    const heap = new Heap();
    const before = heap.refcount(heap.None);
    expect(before).toBeGreaterThanOrEqual(1_000_000_000);
    const n = heap.newNone();
    expect(heap.refcount(heap.None)).toBe(before + 1);
    heap.decref(n);
    expect(heap.refcount(heap.None)).toBe(before);
    expect(heap.isAlive(heap.None)).toBe(true);
  });

  it('report 4294967295 with the PEP 683 immortal option, whatever is done to them', () => {
    const heap = new Heap({ immortal: true });
    for (const ref of [heap.None, heap.True, heap.False]) {
      expect(heap.refcount(ref)).toBe(4294967295);
      heap.incref(ref);
      expect(heap.refcount(ref)).toBe(4294967295);
      expect(heap.getrefcount(ref)).toBe(4294967295);
      heap.decref(ref);
    }
    const three = heap.newInt(3);
    expect(heap.getrefcount(three)).toBe(4294967295);
    heap.decref(three);
  });
});

describe('int', () => {
  it('caches -5…256: equal small ints are one object', () => {
    const heap = new Heap();
    for (const v of [-5, -1, 0, 1, 3, 255, 256]) {
      const a = heap.newInt(v);
      const b = heap.newInt(v);
      const c = heap.from(v);
      expect(b).toBe(a);
      expect(c).toBe(a);
      expect(heap.valueOf(a)).toBe(v);
      expect(heap.typeOf(a).name).toBe('int');
      heap.decref(a);
      heap.decref(b);
      heap.decref(c);
    }
  });

  it('makes a distinct object for each 257 or -6 (outside the cache)', () => {
    const heap = new Heap();
    for (const v of [257, -6, 1000]) {
      const live = heap.liveObjects;
      const a = heap.newInt(v);
      const b = heap.newInt(v);
      expect(b).not.toBe(a);
      expect(heap.liveObjects).toBe(live + 2);
      expect(heap.refcount(a)).toBe(1);
      heap.decref(a);
      heap.decref(b);
      expect(heap.liveObjects).toBe(live);
    }
  });

  it('small ints are effectively immortal: getrefcount(3) is about 10⁹ (CPython 3.11: 1000000102)', () => {
    const heap = new Heap();
    const three = heap.newInt(3);
    expect(heap.getrefcount(three)).toBeGreaterThan(1_000_000_000);
    heap.decref(three);
  });

  it('holds integers beyond 2^53 exactly as bigint', () => {
    const heap = new Heap();
    const big = heap.newInt(2n ** 64n);
    expect(heap.valueOf(big)).toBe(18446744073709551616n);
    const neg = heap.newInt(-(2n ** 70n) - 1n);
    expect(heap.valueOf(neg)).toBe(-(2n ** 70n) - 1n);
    // A bigint that fits a double comes back as a number (and a small one is cached).
    const small = heap.newInt(7n);
    expect(small).toBe(heap.newInt(7));
    expect(heap.valueOf(small)).toBe(7);
    // An unsafe JS number is kept as the exact bigint of that double.
    const unsafe = heap.newInt(2 ** 60);
    expect(heap.valueOf(unsafe)).toBe(2n ** 60n);
  });

  it('rejects a non-integer number with CPython’s TypeError', () => {
    const heap = new Heap();
    expect(() => heap.newInt(1.5)).toThrow(PyTypeError);
    expect(() => heap.newInt(1.5)).toThrow("'float' object cannot be interpreted as an integer");
  });
});

describe('float', () => {
  it('is an atom holding a double; each one is a new object', () => {
    const heap = new Heap();
    const a = heap.newFloat(1.5);
    const b = heap.newFloat(1.5);
    expect(a).not.toBe(b);
    expect(heap.valueOf(a)).toBe(1.5);
    expect(heap.typeOf(a).name).toBe('float');
    expect(heap.isContainer(a)).toBe(false);
    const c = heap.from(0.25);
    expect(heap.typeOf(c).name).toBe('float');
  });
});

describe('str', () => {
  it('interns identifier-like literals: equal ones are one object', () => {
    const heap = new Heap();
    const a = heap.newStr('hello');
    const b = heap.newStr('hello');
    expect(b).toBe(a);
    const c = heap.newStr('x');
    expect(heap.newStr('x')).toBe(c);
    expect(heap.valueOf(a)).toBe('hello');
  });

  it('makes a new object for other text', () => {
    const heap = new Heap();
    const a = heap.newStr('hello world');
    const b = heap.newStr('hello world');
    expect(b).not.toBe(a);
    expect(heap.valueOf(b)).toBe('hello world');
    heap.decref(a);
    expect(heap.isAlive(a)).toBe(false);
  });

  it('intern returns the one object for a text, kept alive by the interning table', () => {
    const heap = new Heap();
    const a = heap.intern('hello world');
    const b = heap.intern('hello world');
    expect(b).toBe(a);
    expect(heap.refcount(a)).toBe(3); // the table's, and ours twice
    heap.decref(a);
    heap.decref(b);
    expect(heap.isAlive(a)).toBe(true);
    expect(heap.newStr('hello world')).not.toBe(a);
  });

  it('has a length in code points', () => {
    const heap = new Heap();
    expect(heap.length(heap.newStr('héllo wörld'))).toBe(11);
    expect(heap.length(heap.newStr('😀 x'))).toBe(3);
  });
});

describe('tuple', () => {
  it('holds a reference to each item, in order', () => {
    const heap = new Heap();
    const x = heap.newList();
    const t = heap.newTuple([heap.True, x, heap.None]);
    expect(heap.length(t)).toBe(3);
    expect(items(heap, t)).toEqual([heap.True, x, heap.None]);
    expect(heap.item(t, -1)).toBe(heap.None);
    expect(heap.refcount(x)).toBe(2);
    heap.decref(t);
    expect(heap.refcount(x)).toBe(1);
  });

  it('is read-only: setItem and append refuse it', () => {
    const heap = new Heap();
    const t = heap.newTuple([heap.None]);
    expect(() => heap.setItem(t, 0, heap.True)).toThrow(PyTypeError);
    expect(() => heap.append(t, heap.True)).toThrow(PyTypeError);
  });

  it('raises CPython’s IndexError out of range', () => {
    const heap = new Heap();
    const t = heap.newTuple([heap.None]);
    expect(() => heap.item(t, 1)).toThrow(PyIndexError);
    expect(() => heap.item(t, 1)).toThrow('tuple index out of range');
    expect(() => heap.item(t, -2)).toThrow('tuple index out of range');
  });
});

describe('list', () => {
  it('append, item, setItem with positive and negative indexes', () => {
    const heap = new Heap();
    const l = heap.newList();
    for (const v of [10, 20, 30]) {
      const r = heap.newInt(v);
      heap.append(l, r);
      heap.decref(r);
    }
    expect(values(heap, l)).toEqual([10, 20, 30]);
    expect(heap.valueOf(heap.item(l, -1))).toBe(30);
    expect(heap.valueOf(heap.item(l, -3))).toBe(10);
    const x = heap.newList();
    heap.setItem(l, -2, x);
    expect(heap.item(l, 1)).toBe(x);
    expect(heap.refcount(x)).toBe(2);
    heap.setItem(l, 1, heap.None);
    expect(heap.refcount(x)).toBe(1);
  });

  it('setItem releases the item it replaces', () => {
    const heap = new Heap();
    const old = heap.newFloat(1.5);
    const l = heap.newList([old]);
    heap.decref(old);
    heap.setItem(l, 0, heap.None);
    expect(heap.isAlive(old)).toBe(false);
  });

  it('pop returns the item as a new reference (the list’s own) and shifts the rest', () => {
    const heap = new Heap();
    const a = heap.newList();
    const b = heap.newList();
    const c = heap.newList();
    const l = heap.newList([a, b, c]);
    expect(heap.refcount(b)).toBe(2);
    const popped = heap.pop(l, 1);
    expect(popped).toBe(b);
    expect(heap.refcount(b)).toBe(2); // ownership moved to the caller
    expect(items(heap, l)).toEqual([a, c]);
    const last = heap.pop(l);
    expect(last).toBe(c);
    expect(items(heap, l)).toEqual([a]);
    heap.decref(popped);
    heap.decref(last);
    expect(heap.refcount(b)).toBe(1);
  });

  it('pop of an empty list and out of range raise CPython’s IndexError', () => {
    const heap = new Heap();
    const l = heap.newList();
    expect(() => heap.pop(l)).toThrow(PyIndexError);
    expect(() => heap.pop(l)).toThrow('pop from empty list');
    heap.append(l, heap.None);
    expect(() => heap.pop(l, 5)).toThrow('pop index out of range');
    expect(() => heap.item(l, 1)).toThrow('list index out of range');
  });

  it("setItem out of range raises CPython's IndexError: list assignment index out of range", () => {
    const heap = new Heap();
    const l = heap.newList([heap.None]);
    expect(() => heap.setItem(l, 1, heap.True)).toThrow(PyIndexError);
    expect(() => heap.setItem(l, -2, heap.True)).toThrow('list assignment index out of range');
  });

  it('deleteItem removes and releases an item (negative index counts from the end)', () => {
    const heap = new Heap();
    const a = heap.newFloat(1);
    const b = heap.newFloat(2);
    const l = heap.newList([a, b]);
    heap.decref(a);
    heap.decref(b);
    heap.deleteItem(l, -1);
    expect(heap.isAlive(b)).toBe(false);
    expect(items(heap, l)).toEqual([a]);
  });

  it('grows past its capacity keeping every item and its count', () => {
    const heap = new Heap();
    const l = heap.newList();
    const sizeEmpty = heap.sizeOf(l);
    const x = heap.newList();
    for (let i = 0; i < 1000; i++) heap.append(l, i % 2 === 0 ? x : heap.None);
    expect(heap.length(l)).toBe(1000);
    expect(heap.refcount(x)).toBe(501);
    for (let i = 0; i < 1000; i++) expect(heap.item(l, i)).toBe(i % 2 === 0 ? x : heap.None);
    expect(heap.sizeOf(l)).toBeGreaterThan(sizeEmpty);
    heap.decref(l);
    expect(heap.refcount(x)).toBe(1);
  });

  it('growing one list does not disturb another list’s items', () => {
    const heap = new Heap();
    const a = heap.newList();
    const b = heap.newList();
    for (let i = 0; i < 300; i++) {
      const ia = heap.newInt(i);
      const ib = heap.newInt(-i);
      heap.append(a, ia);
      heap.append(b, ib);
      heap.decref(ia);
      heap.decref(ib);
    }
    for (let i = 0; i < 300; i++) {
      expect(heap.valueOf(heap.item(a, i))).toBe(i);
      expect(heap.valueOf(heap.item(b, i))).toBe(i === 0 ? 0 : -i);
    }
  });
});

describe('dict', () => {
  it('keeps insertion order and replaces values in place', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const keys = ['b', 'a', 'c'].map((k) => heap.newStr(k));
    keys.forEach((k, i) => {
      const v = heap.newInt(i);
      heap.dictSet(d, k, v);
      heap.decref(v);
    });
    const v9 = heap.newInt(9);
    heap.dictSet(d, keys[0]!, v9);
    const seen: [unknown, unknown][] = [];
    heap.dictForEach(d, (k, v) => seen.push([heap.valueOf(k), heap.valueOf(v)]));
    expect(seen).toEqual([
      ['b', 9],
      ['a', 1],
      ['c', 2],
    ]);
    expect(heap.length(d)).toBe(3);
  });

  it('treats 1, 1.0 and True as one key, keeping the first key object (CPython: {1: \'c\'})', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const one = heap.newInt(1);
    const oneFloat = heap.newFloat(1.0);
    const a = heap.newStr('a');
    const b = heap.newStr('b');
    const c = heap.newStr('c');
    heap.dictSet(d, one, a);
    heap.dictSet(d, oneFloat, b);
    heap.dictSet(d, heap.True, c);
    expect(heap.length(d)).toBe(1);
    expect(heap.repr(d)).toBe("{1: 'c'}");
    expect(heap.dictGet(d, oneFloat)).toBe(c);
    expect(heap.refcount(oneFloat)).toBe(1); // not stored
  });

  it('tuple keys match by value: (1, 2) finds the entry stored under another (1.0, 2)', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const one = heap.newInt(1);
    const two = heap.newInt(2);
    const oneF = heap.newFloat(1);
    const k1 = heap.newTuple([one, two]);
    const k2 = heap.newTuple([oneF, two]);
    const x = heap.newStr('x');
    heap.dictSet(d, k1, x);
    expect(heap.dictGet(d, k2)).toBe(x);
    const k3 = heap.newTuple([two, one]);
    expect(heap.dictGet(d, k3)).toBe(NULL);
  });

  it('str keys and int keys with the same text are different keys', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const s = heap.newStr('1');
    const i = heap.newInt(1);
    heap.dictSet(d, s, heap.True);
    heap.dictSet(d, i, heap.False);
    expect(heap.length(d)).toBe(2);
    expect(heap.dictGet(d, s)).toBe(heap.True);
    expect(heap.dictGet(d, i)).toBe(heap.False);
  });

  it('rejects an unhashable key: TypeError: unhashable type: \'list\' (also inside a tuple)', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const l = heap.newList();
    expect(() => heap.dictSet(d, l, heap.None)).toThrow(PyTypeError);
    expect(() => heap.dictSet(d, l, heap.None)).toThrow("unhashable type: 'list'");
    const t = heap.newTuple([heap.True, l]);
    expect(() => heap.dictSet(d, t, heap.None)).toThrow("unhashable type: 'list'");
    const inner = heap.newDict();
    expect(() => heap.dictSet(d, inner, heap.None)).toThrow("unhashable type: 'dict'");
    expect(heap.length(d)).toBe(0);
    expect(heap.refcount(l)).toBe(2); // ours and the tuple's
  });

  it('dictDelete releases key and value; a missing key raises KeyError with the key’s repr', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const k = heap.newStr('some key');
    const v = heap.newList();
    heap.dictSet(d, k, v);
    expect(heap.refcount(k)).toBe(2);
    expect(heap.refcount(v)).toBe(2);
    heap.dictDelete(d, k);
    expect(heap.refcount(k)).toBe(1);
    expect(heap.refcount(v)).toBe(1);
    expect(() => heap.dictDelete(d, k)).toThrow(PyKeyError);
    expect(() => heap.dictDelete(d, k)).toThrow("'some key'");
  });

  it('dictGetStr finds str keys by text without making an object', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const k = heap.newStr('name');
    heap.dictSet(d, k, heap.True);
    const live = heap.liveObjects;
    expect(heap.dictGetStr(d, 'name')).toBe(heap.True);
    expect(heap.dictGetStr(d, 'other')).toBe(NULL);
    expect(heap.liveObjects).toBe(live);
  });

  it('survives many deletions (compaction) with order and lookups intact', () => {
    const heap = new Heap();
    const d = heap.newDict();
    const keys: Ref[] = [];
    for (let i = 0; i < 100; i++) {
      const k = heap.newInt(1000 + i);
      const v = heap.newInt(i);
      heap.dictSet(d, k, v);
      heap.decref(v);
      keys.push(k);
    }
    for (let i = 0; i < 100; i++) if (i % 3 !== 0) heap.dictDelete(d, keys[i]!);
    const seen: unknown[] = [];
    heap.dictForEach(d, (_k, v) => seen.push(heap.valueOf(v)));
    expect(seen).toEqual(Array.from({ length: 34 }, (_, i) => i * 3));
    for (let i = 0; i < 100; i += 3) expect(heap.valueOf(heap.dictGet(d, keys[i]!))).toBe(i);
  });
});

describe('set', () => {
  it('holds each distinct member once; 1 and True are the same member', () => {
    const heap = new Heap();
    const one = heap.newInt(1);
    const s = heap.newSet([one, heap.True, one]);
    expect(heap.length(s)).toBe(1);
    const x = heap.newStr('x y');
    heap.setAdd(s, x);
    heap.setAdd(s, x);
    expect(heap.length(s)).toBe(2);
    expect(heap.refcount(x)).toBe(2);
    expect(heap.setHas(s, x)).toBe(true);
    expect(heap.setHas(s, heap.True)).toBe(true);
    expect(heap.setDiscard(s, x)).toBe(true);
    expect(heap.setDiscard(s, x)).toBe(false);
    expect(heap.refcount(x)).toBe(1);
    const members: Ref[] = [];
    heap.setForEach(s, (m) => members.push(m));
    expect(members).toEqual([one]);
  });

  it('rejects unhashable members', () => {
    const heap = new Heap();
    const s = heap.newSet();
    const l = heap.newList();
    expect(() => heap.setAdd(s, l)).toThrow("unhashable type: 'list'");
    expect(() => heap.setAdd(s, s)).toThrow("unhashable type: 'set'");
    expect(heap.length(s)).toBe(0);
  });
});

describe('class instances with __slots__', () => {
  it('get and set slots by name and by index', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a', 'b'] });
    expect(S.slots.map((s) => s.name)).toEqual(['a', 'b']);
    expect(S.hasDict).toBe(false);
    const s = heap.newInstance(S);
    expect(heap.typeOf(s)).toBe(S);
    const x = heap.newList();
    heap.setAttr(s, 'b', x);
    expect(heap.getSlot(s, 1)).toBe(x);
    expect(heap.getAttr(s, 'b')).toBe(x);
    expect(heap.refcount(x)).toBe(2);
    heap.setSlot(s, 0, heap.None);
    expect(heap.getAttr(s, 'a')).toBe(heap.None);
    heap.setSlot(s, 1, NULL);
    expect(heap.refcount(x)).toBe(1);
    expect(heap.getSlot(s, 1)).toBe(NULL);
  });

  it('an unknown slot name raises AttributeError: \'S\' object has no attribute \'b\'', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a'] });
    const s = heap.newInstance(S);
    expect(() => heap.setAttr(s, 'b', heap.None)).toThrow(PyAttributeError);
    expect(() => heap.setAttr(s, 'b', heap.None)).toThrow("'S' object has no attribute 'b'");
    expect(() => heap.getAttr(s, 'b')).toThrow("'S' object has no attribute 'b'");
    expect(() => heap.delAttr(s, 'b')).toThrow("'S' object has no attribute 'b'");
  });

  it('an unset slot raises AttributeError on get and del, as in CPython', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a'] });
    const s = heap.newInstance(S);
    expect(() => heap.getAttr(s, 'a')).toThrow("'S' object has no attribute 'a'");
    expect(heap.findAttr(s, 'a')).toBe(NULL);
    expect(() => heap.delAttr(s, 'a')).toThrow("'S' object has no attribute 'a'");
    heap.setAttr(s, 'a', heap.True);
    heap.delAttr(s, 'a');
    expect(heap.getSlot(s, 0)).toBe(NULL);
  });

  it('a slot index the class lacks raises AttributeError', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a'] });
    const s = heap.newInstance(S);
    expect(() => heap.getSlot(s, 1)).toThrow(PyAttributeError);
    expect(() => heap.setSlot(s, 1, heap.None)).toThrow(PyAttributeError);
  });

  it('__weakref__ and __dict__ in __slots__ decide weakref support and an attribute dict', () => {
    const heap = new Heap();
    const Plain = heap.defineClass('Plain', { slots: ['a'] });
    const Weak = heap.defineClass('Weak', { slots: ['a', '__weakref__'] });
    const WithDict = heap.defineClass('WithDict', { slots: ['a', '__dict__'] });
    const NoSlots = heap.defineClass('NoSlots');
    expect(Plain.weakrefable).toBe(false);
    expect(Weak.weakrefable).toBe(true);
    expect(Weak.slots.map((s) => s.name)).toEqual(['a']);
    expect(WithDict.hasDict).toBe(true);
    expect(WithDict.weakrefable).toBe(false);
    expect(NoSlots.hasDict).toBe(true);
    expect(NoSlots.weakrefable).toBe(true);
    const w = heap.newInstance(WithDict);
    heap.setAttr(w, 'a', heap.True);
    heap.setAttr(w, 'other', heap.False);
    expect(heap.getSlot(w, 0)).toBe(heap.True);
    expect(heap.getAttr(w, 'other')).toBe(heap.False);
  });

  it('duplicate slot names are refused', () => {
    const heap = new Heap();
    expect(() => heap.defineClass('D', { slots: ['a', 'a'] })).toThrow(PyTypeError);
  });
});

describe('class instances with an attribute dict', () => {
  it('set, get, replace and delete attributes, counting references', () => {
    const heap = new Heap();
    const C = heap.defineClass('C');
    const c = heap.newInstance(C);
    const x = heap.newList();
    heap.setAttr(c, 'x', x);
    expect(heap.getAttr(c, 'x')).toBe(x);
    expect(heap.refcount(x)).toBe(2);
    heap.setAttr(c, 'x', heap.None);
    expect(heap.refcount(x)).toBe(1);
    heap.setAttr(c, 'x', x);
    heap.delAttr(c, 'x');
    expect(heap.refcount(x)).toBe(1);
    expect(() => heap.getAttr(c, 'x')).toThrow("'C' object has no attribute 'x'");
    expect(() => heap.delAttr(c, 'x')).toThrow(PyAttributeError);
  });

  it('class attributes are visible through instances, and instance attributes shadow them', () => {
    const heap = new Heap();
    const C = heap.defineClass('C');
    const kind = heap.newStr('class value');
    heap.setAttr(C.object, 'kind', kind);
    const c = heap.newInstance(C);
    expect(heap.getAttr(c, 'kind')).toBe(kind);
    expect(heap.getAttr(C.object, 'kind')).toBe(kind);
    heap.setAttr(c, 'kind', heap.None);
    expect(heap.getAttr(c, 'kind')).toBe(heap.None);
    expect(heap.getAttr(C.object, 'kind')).toBe(kind);
    expect(() => heap.getAttr(C.object, 'zz')).toThrow("type object 'C' has no attribute 'zz'");
    // A slotted class sees class attributes too.
    const S = heap.defineClass('S', { slots: ['a'] });
    heap.setAttr(S.object, 'k', heap.True);
    expect(heap.getAttr(heap.newInstance(S), 'k')).toBe(heap.True);
  });

  it('attributeDict materializes a real dict holding the attributes, and later sets go to it', () => {
    const heap = new Heap();
    const C = heap.defineClass('C');
    const c = heap.newInstance(C);
    const x = heap.newList();
    heap.setAttr(c, 'x', x);
    const d = heap.attributeDict(c);
    expect(heap.typeOf(d).name).toBe('dict');
    expect(heap.attributeDict(c)).toBe(d);
    expect(heap.dictGetStr(d, 'x')).toBe(x);
    expect(heap.refcount(x)).toBe(2);
    heap.setAttr(c, 'y', heap.True);
    expect(heap.dictGetStr(d, 'y')).toBe(heap.True);
    expect(heap.getAttr(c, 'y')).toBe(heap.True);
    heap.decref(c);
    expect(heap.refcount(x)).toBe(1);
  });

  it('an instance of a __slots__ class has no __dict__', () => {
    const heap = new Heap();
    const S = heap.defineClass('S', { slots: ['a'] });
    expect(() => heap.attributeDict(heap.newInstance(S))).toThrow("'S' object has no attribute '__dict__'");
  });
});

describe('functions and cells', () => {
  it('a function holds its closure cells; a cell holds its value', () => {
    const heap = new Heap();
    const v = heap.newList();
    const cell = heap.newCell(v);
    expect(heap.cellGet(cell)).toBe(v);
    expect(heap.refcount(v)).toBe(2);
    const f = heap.newFunction('f', [cell]);
    expect(heap.functionName(f)).toBe('f');
    expect(heap.typeOf(f).name).toBe('function');
    expect(heap.refcount(cell)).toBe(2);
    heap.decref(cell);
    const other = heap.newList();
    heap.cellSet(cell, other);
    expect(heap.refcount(v)).toBe(1);
    heap.cellSet(cell, NULL);
    expect(heap.cellGet(cell)).toBe(NULL);
    expect(heap.refcount(other)).toBe(1);
    heap.cellSet(cell, other);
    heap.decref(f);
    expect(heap.isAlive(cell)).toBe(false);
    expect(heap.refcount(other)).toBe(1);
  });

  it('an empty cell is allowed', () => {
    const heap = new Heap();
    const cell = heap.newCell();
    expect(heap.cellGet(cell)).toBe(NULL);
    expect(heap.typeOf(cell).name).toBe('cell');
  });
});

describe('user-defined types', () => {
  it('traverse and clear hooks cover references held in a side table', () => {
    const heap = new Heap();
    const side = new Map<Ref, Ref[]>();
    const Holder = heap.defineClass('Holder', {
      slots: ['a'],
      traverse: (_h, self, visit) => side.get(self)?.forEach(visit),
      clear: (h, self) => {
        const held = side.get(self) ?? [];
        side.delete(self);
        for (const r of held) h.decref(r);
      },
    });
    const h = heap.newInstance(Holder);
    const x = heap.newList();
    const y = heap.newList();
    heap.incref(x);
    side.set(h, [x]);
    heap.setSlot(h, 0, y);
    const seen: Ref[] = [];
    heap.traverse(h, (c) => seen.push(c));
    expect(seen).toEqual([y, Holder.object, x]); // slots, the class, then what the hook adds
    heap.clearReferences(h);
    expect(heap.isAlive(h)).toBe(true);
    expect(heap.refcount(x)).toBe(1);
    expect(heap.refcount(y)).toBe(1);
    expect(heap.getSlot(h, 0)).toBe(NULL);
    heap.incref(x);
    side.set(h, [x]);
    heap.decref(h);
    expect(heap.refcount(x)).toBe(1);
    expect(side.size).toBe(0);
  });

  it('int32 slots hold plain integers that are not counted', () => {
    const heap = new Heap();
    const T = heap.defineClass('T', { slots: [{ name: 'n', kind: 'int32' }, 'obj'] });
    const t = heap.newInstance(T);
    expect(heap.getSlotInt(t, 0)).toBe(0);
    heap.setSlotInt(t, 0, -123456);
    expect(heap.getSlotInt(t, 0)).toBe(-123456);
    heap.setSlotInt(t, 0, 2 ** 31 - 1);
    expect(heap.getSlotInt(t, 0)).toBe(2 ** 31 - 1);
    const seen: Ref[] = [];
    heap.traverse(t, (c) => seen.push(c));
    expect(seen).toEqual([T.object]);
    seen.length = 0;
    heap.setSlot(t, 1, heap.None);
    heap.traverse(t, (c) => seen.push(c));
    expect(seen).toEqual([heap.None, T.object]);
  });

  it('a value of the wrong kind for an int32 slot raises TypeError naming the slot', () => {
    const heap = new Heap();
    const T = heap.defineClass('T', { slots: [{ name: 'n', kind: 'int32' }, 'obj'] });
    const t = heap.newInstance(T);
    for (const bad of [1.5, 2 ** 31, -(2 ** 31) - 1, Number.NaN]) {
      expect(() => heap.setSlotInt(t, 0, bad)).toThrow(PyTypeError);
      expect(() => heap.setSlotInt(t, 0, bad)).toThrow(/slot 'n' of <T object at 0x[0-9a-f]+>/);
    }
    expect(() => heap.setSlot(t, 0, heap.None)).toThrow(/slot 'n' of <T object at 0x[0-9a-f]+> holds a 32-bit integer/);
    expect(() => heap.setSlotInt(t, 1, 5)).toThrow(/slot 'obj' of <T object at 0x[0-9a-f]+> holds an object/);
    expect(() => heap.getSlot(t, 0)).toThrow(PyTypeError);
    expect(heap.getSlotInt(t, 0)).toBe(0);
  });

  it('setting an int32 slot by name with an object raises TypeError naming the slot, not AttributeError', () => {
    const heap = new Heap();
    const T = heap.defineClass('T', { slots: [{ name: 'n', kind: 'int32' }] });
    const t = heap.newInstance(T);
    const l = heap.newList();
    expect(() => heap.setAttr(t, 'n', l)).toThrow(PyTypeError);
    expect(() => heap.setAttr(t, 'n', l)).toThrow(/'n'/);
    expect(heap.refcount(l)).toBe(1);
  });

  it('a repr hook replaces the default repr', () => {
    const heap = new Heap();
    const P = heap.defineClass('Point', { slots: ['x'], repr: () => 'Point(…)' });
    expect(heap.repr(heap.newInstance(P))).toBe('Point(…)');
  });
});

describe('kinds and containers', () => {
  it('atoms are not containers; everything that can refer to objects is', () => {
    const heap = new Heap();
    const C = heap.defineClass('C');
    const atoms = [heap.None, heap.True, heap.newInt(5), heap.newInt(10 ** 6), heap.newFloat(1.5), heap.newStr('a b')];
    for (const a of atoms) expect(heap.isContainer(a)).toBe(false);
    const containers = [
      heap.newTuple(),
      heap.newList(),
      heap.newDict(),
      heap.newSet(),
      heap.newInstance(C),
      C.object,
      heap.newFunction('f'),
      heap.newCell(),
    ];
    for (const c of containers) expect(heap.isContainer(c)).toBe(true);
    expect(containers.map((c) => heap.kindOf(c))).toEqual([
      Kind.Tuple,
      Kind.List,
      Kind.Dict,
      Kind.Set,
      Kind.Instance,
      Kind.Type,
      Kind.Function,
      Kind.Cell,
    ]);
  });

  it('len() of an atom raises CPython’s TypeError', () => {
    const heap = new Heap();
    expect(() => heap.length(heap.newInt(1))).toThrow("object of type 'int' has no len()");
  });
});
