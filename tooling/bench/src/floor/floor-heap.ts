/**
 * The floor: the least a typed-array heap can do and still run the bench's programs — a
 * refcount column, one type-and-flags column, two slot columns, a LIFO free list threaded
 * through the first slot column, and (with a collector) CPython's doubly linked generation
 * lists: two circular lists with sentinel heads, `prev`/`next` columns. No checks, no
 * errors, no observers, no sampler, no trashcan, no size classes, no JS values, no
 * attributes: only what the work itself needs. The bench's "floor" column runs the same
 * programs on this, so that refheap's cost is seen against what the work costs at least.
 * The collection itself is in floor-gc.ts.
 */

/** Type ids (the low byte of `typeFlags`). 0 is a free entry. */
export const NODE = 1;
export const WEAKREF = 2;
const TYPE_MASK = 0xff;
/** In a generation list. */
export const TRACKED = 1 << 8;
/** Has a weak reference (its id is in the `weak` column). */
export const HAS_WEAKREF = 1 << 9;
/** Set on the objects of the list being collected, for the collection's duration. */
export const COLLECTING = 1 << 10;
/** Found reachable by the collection. */
export const REACHABLE = 1 << 11;

/** Sentinel heads of the two generation lists; objects start after them (0 is NULL). */
export const YOUNG = 1;
export const OLD = 2;
const FIRST_OBJECT = 3;

export interface FloorOptions {
  /** Link every object into a generation list and collect the young one past a threshold (CPython's gc). */
  readonly collector: boolean;
  /** Collect the young generation automatically when its count passes 700 (`gc.enable()`). */
  readonly automatic?: boolean;
  /** Keep a per-object weak-reference column (one weakref per object at most). */
  readonly weakrefs?: boolean;
}

type Callback = (ref: number) => void;

export class FloorHeap {
  refcount = new Int32Array(0);
  typeFlags = new Int32Array(0);
  slotA = new Int32Array(0);
  slotB = new Int32Array(0);
  /** Generation-list links; during a collection `prev` holds gc_refs, as CPython's `_gc_prev` does. */
  prev = new Int32Array(0);
  next = new Int32Array(0);
  /** The weak reference of an object that has one. */
  weak = new Int32Array(0);
  /** A weak reference's callback, by the weakref's id. */
  readonly callbacks: (Callback | undefined)[] = [];
  /** The collection's scratch: its mark stack and its garbage. */
  stack = new Int32Array(0);
  garbage = new Int32Array(0);
  capacity = 0;
  top = FIRST_OBJECT;
  freeHead = 0;
  live = 0;
  /** Allocations minus deallocations of tracked objects since the last young collection (CPython's gen-0 count). */
  youngCount = 0;
  readonly threshold = 700;
  readonly collector: boolean;
  readonly automatic: boolean;
  readonly weakrefs: boolean;
  /** Called for a young collection; floor-gc.ts installs it (kept out of this file). */
  collectYoung: (heap: FloorHeap) => unknown = () => undefined;

  constructor(options: FloorOptions) {
    this.collector = options.collector;
    this.automatic = options.automatic ?? false;
    this.weakrefs = options.weakrefs ?? false;
    this.grow(1024);
    for (const head of [YOUNG, OLD]) {
      this.prev[head] = head;
      this.next[head] = head;
    }
  }

  /** Bytes every live object costs in the columns. */
  bytesPerObject(): number {
    return 4 + 4 + 8 + (this.collector ? 8 : 0) + (this.weakrefs ? 4 : 0);
  }

  alloc(type: number): number {
    let id = this.freeHead;
    if (id !== 0) this.freeHead = this.slotA[id]!;
    else {
      id = this.top++;
      if (id >= this.capacity) this.grow(this.capacity * 2);
    }
    this.refcount[id] = 1;
    this.slotA[id] = 0;
    this.slotB[id] = 0;
    this.live++;
    if (!this.collector) {
      this.typeFlags[id] = type;
      return id;
    }
    // As CPython's gc_alloc: counted, and the collection run, before the new object is tracked.
    if (++this.youngCount > this.threshold && this.automatic) this.collectYoung(this);
    this.typeFlags[id] = type | TRACKED;
    const last = this.prev[YOUNG]!;
    this.next[last] = id;
    this.prev[id] = last;
    this.next[id] = YOUNG;
    this.prev[YOUNG] = id;
    return id;
  }

  incref(id: number): void {
    this.refcount[id]!++;
  }

  decref(id: number): void {
    if (--this.refcount[id]! === 0) this.dealloc(id);
  }

  /** `obj.a = value` (slot 0) or `obj.b = value` (slot 1): the new value held, the old one released. */
  setSlot(id: number, slot: 0 | 1, value: number): void {
    this.refcount[value]!++;
    const column = slot === 0 ? this.slotA : this.slotB;
    const old = column[id]!;
    column[id] = value;
    if (old !== 0) this.decref(old);
  }

  /** A weak reference to `target` with a callback; the target keeps it in its `weak` entry. */
  newWeakref(target: number, callback: Callback): number {
    const ref = this.alloc(WEAKREF);
    this.slotA[ref] = target; // not a counted reference
    this.callbacks[ref] = callback;
    this.weak[target] = ref;
    this.typeFlags[target]! |= HAS_WEAKREF;
    return ref;
  }

  dealloc(id: number): void {
    const flags = this.typeFlags[id]!;
    if ((flags & TRACKED) !== 0) {
      const before = this.prev[id]!;
      const after = this.next[id]!;
      this.next[before] = after;
      this.prev[after] = before;
      if (this.youngCount > 0) this.youngCount--;
    }
    if ((flags & TYPE_MASK) === WEAKREF) {
      const target = this.slotA[id]!;
      if (target !== 0) {
        this.weak[target] = 0;
        this.typeFlags[target]! &= ~HAS_WEAKREF;
      }
      this.callbacks[id] = undefined;
    } else {
      if ((flags & HAS_WEAKREF) !== 0) this.clearWeakref(id);
      const a = this.slotA[id]!;
      const b = this.slotB[id]!;
      if (a !== 0) this.decref(a);
      if (b !== 0) this.decref(b);
    }
    this.typeFlags[id] = 0;
    this.slotA[id] = this.freeHead;
    this.freeHead = id;
    this.live--;
  }

  /** The referent dies: its weak reference is cleared and the callback called with it, held for the call. */
  private clearWeakref(id: number): void {
    const ref = this.weak[id]!;
    this.weak[id] = 0;
    this.slotA[ref] = 0;
    const callback = this.callbacks[ref];
    this.callbacks[ref] = undefined;
    if (callback === undefined) return;
    this.refcount[ref]!++;
    try {
      callback(ref);
    } catch (error) {
      console.error('floor: a weakref callback raised', error);
    }
    this.decref(ref);
  }

  private grow(capacity: number): void {
    const wider = (old: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const column = new Int32Array(capacity);
      column.set(old);
      return column;
    };
    this.refcount = wider(this.refcount);
    this.typeFlags = wider(this.typeFlags);
    this.slotA = wider(this.slotA);
    this.slotB = wider(this.slotB);
    this.stack = new Int32Array(capacity);
    this.garbage = new Int32Array(capacity);
    if (this.collector) {
      this.prev = wider(this.prev);
      this.next = wider(this.next);
    } else if (this.prev.length === 0) {
      this.prev = new Int32Array(FIRST_OBJECT);
      this.next = new Int32Array(FIRST_OBJECT);
    }
    if (this.weakrefs) this.weak = wider(this.weak);
    this.capacity = capacity;
  }
}
