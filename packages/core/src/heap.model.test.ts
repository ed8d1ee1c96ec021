/**
 * Model-based property test (fast-check `fc.commands` + `fc.modelRun`): random sequences of
 * allocate (each type) / append / set item / set slot / dict set / delete / hold and release a
 * handle / incref / decref, checked after every step against a plain JS model of external
 * holds and edges:
 *
 * - every live object's refcount equals the references the model holds to it (raw holds and
 *   handles, plus one per edge from a live object);
 * - an object is freed exactly when its model count reaches zero (`isAlive`, `liveObjects`);
 * - each finalizer runs at most once — exactly once for a freed object, never for a live one;
 * - `heap.verify()` passes, and a stand-in collector's list of taken-over objects stays exact.
 *
 * Cycles are allowed: counting alone never frees them, and the model knows it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CollectorState, type Handle, Handles, Heap, type HeapType, NULL, type Ref } from './index.ts';

const KINDS = ['list', 'dict', 'inst', 'attrs', 'tuple', 'set', 'int', 'float', 'str'] as const;
type ObjKind = (typeof KINDS)[number];

interface MObj {
  readonly id: number;
  readonly kind: ObjKind;
  alive: boolean;
  /** References held by raw increfs (the allocation's own counts as one). */
  raw: number;
  /** References held by unreleased handles. */
  handles: number;
  /** list and tuple items, set members, by model id. */
  readonly items: number[];
  /** inst slots a, b, or attrs attributes a, b: a model id or -1. */
  readonly slots: [number, number];
  /** attrs: its `__dict__` has been asked for, so a real dict object now holds the attributes. */
  materialized: boolean;
  /** dict: key value (an int 1000…1003, its own key object) → model id of the value. */
  readonly dict: Map<number, number>;
}

interface Model {
  readonly objs: MObj[];
}

interface Real {
  readonly heap: Heap;
  readonly py: Handles;
  readonly Node: HeapType;
  readonly Attrs: HeapType;
  /** Model id → ref and the serial it had when allocated. */
  readonly refs: Ref[];
  readonly serials: number[];
  /** Model id → its unreleased handles. */
  readonly handles: Handle[][];
  /** Current occupant of each ref → model id (for the finalizer's report). */
  readonly modelOf: Map<Ref, number>;
  readonly finalizerRuns: Map<number, number>;
  readonly baseline: number;
}

// ─── The model ───────────────────────────────────────────────────────────────

function edgesOf(o: MObj): number[] {
  switch (o.kind) {
    case 'list':
    case 'tuple':
    case 'set':
      return o.items;
    case 'inst':
    case 'attrs':
      return o.slots.filter((s) => s >= 0);
    case 'dict':
      return [...o.dict.values()];
    default:
      return [];
  }
}

function expectedCounts(model: Model): Map<number, number> {
  const counts = new Map<number, number>();
  for (const o of model.objs) if (o.alive) counts.set(o.id, o.raw + o.handles);
  for (const o of model.objs) {
    if (!o.alive) continue;
    for (const e of edgesOf(o)) counts.set(e, (counts.get(e) ?? 0) + 1);
  }
  return counts;
}

/** Frees (in the model) everything whose count reached zero, transitively. */
function settle(model: Model): void {
  for (;;) {
    const counts = expectedCounts(model);
    const dying = model.objs.filter((o) => o.alive && (counts.get(o.id) ?? 0) === 0);
    if (dying.length === 0) return;
    for (const o of dying) o.alive = false;
  }
}

/** Live objects we hold a reference to (only those can be used), optionally of some kinds. */
function held(model: Model, kinds?: readonly ObjKind[]): MObj[] {
  return model.objs.filter((o) => o.alive && o.raw + o.handles > 0 && (!kinds || kinds.includes(o.kind)));
}

function pickFrom<T>(list: readonly T[], pick: number): T {
  return list[pick % list.length]!;
}

function newMObj(model: Model, kind: ObjKind): MObj {
  const o: MObj = {
    id: model.objs.length,
    kind,
    alive: true,
    raw: 1,
    handles: 0,
    items: [],
    slots: [-1, -1],
    materialized: false,
    dict: new Map(),
  };
  model.objs.push(o);
  return o;
}

// ─── The invariants ──────────────────────────────────────────────────────────

function check(model: Model, real: Real): void {
  const { heap } = real;
  heap.verify(); // the heap's own integrity check: no reference to a freed object, free list, columns
  const counts = expectedCounts(model);
  let live = 0;
  let dictKeys = 0;
  for (const o of model.objs) {
    const ref = real.refs[o.id]!;
    const same = heap.isAlive(ref) && heap.serialOf(ref) === real.serials[o.id];
    const runs = real.finalizerRuns.get(o.id) ?? 0;
    if (o.alive) {
      live++;
      if (o.kind === 'dict') dictKeys += o.dict.size;
      if (o.materialized) dictKeys++; // the attribute dict is an object of its own
      expect(same, `object ${o.id} (${o.kind}) should be alive`).toBe(true);
      expect(heap.refcount(ref), `refcount of object ${o.id} (${o.kind})`).toBe(counts.get(o.id));
      if (o.kind === 'inst' || o.kind === 'attrs') expect(runs, `finalizer of live object ${o.id}`).toBe(0);
    } else {
      expect(same, `object ${o.id} (${o.kind}) should be freed`).toBe(false);
      if (o.kind === 'inst' || o.kind === 'attrs') expect(runs, `finalizer runs of freed object ${o.id}`).toBe(1);
    }
    expect(real.handles[o.id]!.length).toBe(o.handles);
  }
  expect(heap.liveObjects).toBe(real.baseline + live + dictKeys);
  for (const runs of real.finalizerRuns.values()) expect(runs).toBeLessThanOrEqual(1);
}

// ─── Commands ────────────────────────────────────────────────────────────────

type Cmd = fc.Command<Model, Real>;

class Alloc implements Cmd {
  constructor(
    readonly kind: ObjKind,
    readonly picks: readonly number[],
  ) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    const { heap } = real;
    const sources =
      this.kind === 'tuple' ? held(model) : this.kind === 'set' ? held(model, ['int', 'float', 'str']) : [];
    let items = sources.length === 0 ? [] : this.picks.map((p) => pickFrom(sources, p).id);
    if (this.kind === 'set') items = [...new Set(items)];
    const o = newMObj(model, this.kind);
    o.items.push(...items);
    const itemRefs = items.map((id) => real.refs[id]!);
    let ref: Ref;
    switch (this.kind) {
      case 'list':
        ref = heap.newList();
        break;
      case 'dict':
        ref = heap.newDict();
        break;
      case 'inst':
        ref = heap.newInstance(real.Node);
        break;
      case 'attrs':
        ref = heap.newInstance(real.Attrs);
        break;
      case 'tuple':
        ref = heap.newTuple(itemRefs);
        break;
      case 'set':
        ref = heap.newSet(itemRefs);
        break;
      case 'int':
        ref = heap.newInt(100_000 + o.id);
        break;
      case 'float':
        ref = heap.newFloat(o.id + 0.5);
        break;
      case 'str':
        ref = heap.newStr(`str number ${o.id}`);
        break;
    }
    real.refs.push(ref);
    real.serials.push(heap.serialOf(ref));
    real.handles.push([]);
    real.modelOf.set(ref, o.id);
    check(model, real);
  }
  toString(): string {
    return `Alloc(${this.kind}${this.kind === 'tuple' || this.kind === 'set' ? `, [${this.picks.join(', ')}]` : ''})`;
  }
}

class Hold implements Cmd {
  constructor(readonly pick: number) {}
  check(model: Model): boolean {
    return held(model).length > 0;
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(held(model), this.pick);
    o.handles++;
    real.handles[o.id]!.push(real.py.borrow(real.refs[o.id]!));
    check(model, real);
  }
  toString(): string {
    return `Hold(${this.pick})`;
  }
}

class ReleaseHandle implements Cmd {
  constructor(readonly pick: number) {}
  check(model: Model): boolean {
    return model.objs.some((o) => o.alive && o.handles > 0);
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(
      model.objs.filter((x) => x.alive && x.handles > 0),
      this.pick,
    );
    o.handles--;
    settle(model);
    real.handles[o.id]!.pop()!.release();
    check(model, real);
  }
  toString(): string {
    return `ReleaseHandle(${this.pick})`;
  }
}

class Incref implements Cmd {
  constructor(readonly pick: number) {}
  check(model: Model): boolean {
    return held(model).length > 0;
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(held(model), this.pick);
    o.raw++;
    real.heap.incref(real.refs[o.id]!);
    check(model, real);
  }
  toString(): string {
    return `Incref(${this.pick})`;
  }
}

class Decref implements Cmd {
  constructor(readonly pick: number) {}
  check(model: Model): boolean {
    return model.objs.some((o) => o.alive && o.raw > 0);
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(
      model.objs.filter((x) => x.alive && x.raw > 0),
      this.pick,
    );
    o.raw--;
    settle(model);
    real.heap.decref(real.refs[o.id]!);
    check(model, real);
  }
  toString(): string {
    return `Decref(${this.pick})`;
  }
}

class Append implements Cmd {
  constructor(
    readonly list: number,
    readonly value: number,
  ) {}
  check(model: Model): boolean {
    return held(model, ['list']).length > 0;
  }
  run(model: Model, real: Real): void {
    const l = pickFrom(held(model, ['list']), this.list);
    const v = pickFrom(held(model), this.value);
    l.items.push(v.id);
    real.heap.append(real.refs[l.id]!, real.refs[v.id]!);
    check(model, real);
  }
  toString(): string {
    return `Append(${this.list}, ${this.value})`;
  }
}

class SetItem implements Cmd {
  constructor(
    readonly list: number,
    readonly index: number,
    readonly value: number,
  ) {}
  check(model: Model): boolean {
    return held(model, ['list']).some((l) => l.items.length > 0);
  }
  run(model: Model, real: Real): void {
    const l = pickFrom(
      held(model, ['list']).filter((x) => x.items.length > 0),
      this.list,
    );
    const v = pickFrom(held(model), this.value);
    const index = this.index % l.items.length;
    l.items[index] = v.id;
    settle(model);
    real.heap.setItem(real.refs[l.id]!, -(l.items.length - index), real.refs[v.id]!);
    check(model, real);
  }
  toString(): string {
    return `SetItem(${this.list}, ${this.index}, ${this.value})`;
  }
}

class SetSlot implements Cmd {
  constructor(
    readonly inst: number,
    readonly slot: 0 | 1,
    readonly value: number | null,
  ) {}
  check(model: Model): boolean {
    return held(model, ['inst', 'attrs']).length > 0;
  }
  run(model: Model, real: Real): void {
    const n = pickFrom(held(model, ['inst', 'attrs']), this.inst);
    const v = this.value === null ? null : pickFrom(held(model), this.value);
    const wasSet = n.slots[this.slot] >= 0;
    n.slots[this.slot] = v === null ? -1 : v.id;
    settle(model);
    const ref = real.refs[n.id]!;
    const name = this.slot === 0 ? 'a' : 'b';
    if (v !== null) real.heap.setAttr(ref, name, real.refs[v.id]!);
    else if (n.kind === 'inst') real.heap.setSlot(ref, this.slot, NULL);
    else if (wasSet) real.heap.delAttr(ref, name);
    check(model, real);
  }
  toString(): string {
    return `SetSlot(${this.inst}, ${this.slot}, ${this.value ?? 'NULL'})`;
  }
}

class DictSet implements Cmd {
  constructor(
    readonly dict: number,
    readonly key: number,
    readonly value: number,
  ) {}
  check(model: Model): boolean {
    return held(model, ['dict']).length > 0;
  }
  run(model: Model, real: Real): void {
    const d = pickFrom(held(model, ['dict']), this.dict);
    const v = pickFrom(held(model), this.value);
    d.dict.set(1000 + this.key, v.id);
    settle(model);
    const { heap } = real;
    const key = heap.newInt(1000 + this.key);
    heap.dictSet(real.refs[d.id]!, key, real.refs[v.id]!);
    heap.decref(key);
    check(model, real);
  }
  toString(): string {
    return `DictSet(${this.dict}, ${1000 + this.key}, ${this.value})`;
  }
}

/** `del l[i]`, `del d[k]`, or `del n.a`: whichever the picked container supports. */
class Delete implements Cmd {
  constructor(
    readonly target: number,
    readonly at: number,
  ) {}
  static candidates(model: Model): MObj[] {
    return held(model, ['list', 'dict', 'inst', 'attrs']).filter((o) =>
      o.kind === 'list' ? o.items.length > 0 : o.kind === 'dict' ? o.dict.size > 0 : o.slots.some((s) => s >= 0),
    );
  }
  check(model: Model): boolean {
    return Delete.candidates(model).length > 0;
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(Delete.candidates(model), this.target);
    const { heap } = real;
    const ref = real.refs[o.id]!;
    if (o.kind === 'list') {
      const index = this.at % o.items.length;
      o.items.splice(index, 1);
      settle(model);
      heap.deleteItem(ref, index);
    } else if (o.kind === 'dict') {
      const k = pickFrom([...o.dict.keys()], this.at);
      o.dict.delete(k);
      settle(model);
      const key = heap.newInt(k);
      heap.dictDelete(ref, key);
      heap.decref(key);
    } else {
      const slot = pickFrom(
        [0, 1].filter((s) => o.slots[s]! >= 0),
        this.at,
      );
      o.slots[slot] = -1;
      settle(model);
      heap.delAttr(ref, slot === 0 ? 'a' : 'b');
    }
    check(model, real);
  }
  toString(): string {
    return `Delete(${this.target}, ${this.at})`;
  }
}

/** `obj.__dict__`: the attributes move into a real dict object that the instance holds. */
class Materialize implements Cmd {
  constructor(readonly pick: number) {}
  check(model: Model): boolean {
    return held(model, ['attrs']).length > 0;
  }
  run(model: Model, real: Real): void {
    const o = pickFrom(held(model, ['attrs']), this.pick);
    o.materialized = true;
    const ref = real.refs[o.id]!;
    const d = real.heap.attributeDict(ref);
    expect(real.heap.refcount(d)).toBe(1);
    expect(real.heap.length(d)).toBe(o.slots.filter((x) => x >= 0).length);
    check(model, real);
  }
  toString(): string {
    return `Materialize(${this.pick})`;
  }
}

const pick = fc.nat(1000);

const alloc = fc.tuple(fc.constantFrom(...KINDS), fc.array(pick, { maxLength: 3 })).map(([k, p]) => new Alloc(k, p));

const commands = fc.commands(
  [
    // Allocation three times as likely as any other command, so graphs get big enough to be interesting.
    alloc,
    alloc,
    alloc,
    pick.map((p) => new Hold(p)),
    pick.map((p) => new ReleaseHandle(p)),
    pick.map((p) => new Incref(p)),
    pick.map((p) => new Decref(p)),
    fc.tuple(pick, pick).map(([l, v]) => new Append(l, v)),
    fc.tuple(pick, pick, pick).map(([l, i, v]) => new SetItem(l, i, v)),
    fc
      .tuple(pick, fc.constantFrom(0 as const, 1 as const), fc.option(pick, { nil: null }))
      .map(([n, s, v]) => new SetSlot(n, s, v)),
    fc.tuple(pick, fc.nat(3), pick).map(([d, k, v]) => new DictSet(d, k, v)),
    fc.tuple(pick, pick).map(([t, a]) => new Delete(t, a)),
    pick.map((p) => new Materialize(p)),
  ],
  { maxCommands: 60, size: 'max' },
);

/**
 * A stand-in collector that never collects but takes young objects over every few container
 * allocations, as a generational collector does, and keeps its own set of listed objects. Its
 * `verify` (run by `heap.verify()` after every step) checks that set against the heap: every
 * listed object is live with a listed state, and every object with a listed state is in the set — so
 * `unlist` was called exactly when a listed object was freed.
 */
function installListingCollector(heap: Heap): void {
  const listed = new Set<Ref>();
  heap.installCollector({
    youngThresholdExceeded() {
      for (const ref of heap.takeYoung()) {
        expect(listed.has(ref), `object ${ref} handed over twice`).toBe(false);
        listed.add(ref);
      }
      heap.resetYoungCount();
    },
    unlist(ref) {
      expect(listed.delete(ref), `unlist of ${ref}, which was not listed`).toBe(true);
    },
    verify() {
      for (const ref of listed) {
        expect(heap.isAlive(ref), `listed object ${ref} is freed`).toBe(true);
        expect(heap.collectorStates[ref]).toBe(CollectorState.Taken);
      }
      heap.forEachObject((ref) => {
        if (heap.collectorStates[ref]! >= CollectorState.Taken) expect(listed.has(ref), `object ${ref} listed`).toBe(true);
      });
    },
  });
  heap.youngThreshold = 4;
}

function setup(): { model: Model; real: Real } {
  const heap = new Heap();
  const finalizerRuns = new Map<number, number>();
  const modelOf = new Map<Ref, number>();
  const Node = heap.defineClass('Node', {
    slots: ['a', 'b'],
    finalize: (_h, self) => {
      const id = modelOf.get(self)!;
      finalizerRuns.set(id, (finalizerRuns.get(id) ?? 0) + 1);
    },
  });
  const Attrs = heap.defineClass('Attrs', {
    finalize: (_h, self) => {
      const id = modelOf.get(self)!;
      finalizerRuns.set(id, (finalizerRuns.get(id) ?? 0) + 1);
    },
  });
  heap.decref(heap.intern('a'));
  heap.decref(heap.intern('b'));
  installListingCollector(heap);
  const real: Real = {
    heap,
    py: new Handles(heap),
    Node,
    Attrs,
    refs: [],
    serials: [],
    handles: [],
    modelOf,
    finalizerRuns,
    baseline: heap.liveObjects,
  };
  return { model: { objs: [] }, real };
}

describe('the heap against a plain model of references', () => {
  it('after every step: counts equal the model’s references, frees happen exactly at zero, finalizers run at most once', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        fc.modelRun(setup, cmds);
      }),
      { numRuns: 150 },
    );
  });

  it('releasing every external reference at the end frees everything but the cycles, as the model says', () => {
    fc.assert(
      fc.property(commands, (cmds) => {
        const { model, real } = setup();
        fc.modelRun(() => ({ model, real }), cmds);
        const raw = model.objs.map((o) => (o.alive ? o.raw : 0));
        for (const o of model.objs) {
          o.raw = 0;
          o.handles = 0;
        }
        settle(model);
        for (const hs of real.handles) for (const h of hs.splice(0)) h.release();
        raw.forEach((n, id) => {
          for (let i = 0; i < n; i++) real.heap.decref(real.refs[id]!);
        });
        check(model, real);
        // What survives is exactly garbage cycles: every survivor is referenced from a survivor.
        const survivors = model.objs.filter((o) => o.alive);
        const referenced = new Set(survivors.flatMap(edgesOf));
        for (const o of survivors) expect(referenced.has(o.id)).toBe(true);
      }),
      { numRuns: 75 },
    );
  });
});
