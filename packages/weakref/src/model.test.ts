/**
 * A model-based property test: random programs of making, sharing and dropping objects,
 * weak references and proxies (with and without callbacks), and a WeakValueMap over them,
 * checked after every step against a plain JS model of CPython's rules — which weak
 * reference is shared, the order of each object's list, which callbacks run and in what
 * order, what a map still holds — and against `heap.verify()`.
 */
import { Heap, type HeapType, type Ref } from '@refheap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WeakValueMap, Weakrefs } from './index.ts';

interface ModelObject {
  readonly weakrefable: boolean;
  refs: number;
  /** Weak reference ids, in CPython's list order. */
  list: number[];
}

interface ModelWeakref {
  readonly proxy: boolean;
  readonly callback: boolean;
  readonly obj: number;
  held: number;
  cleared: boolean;
}

interface Model {
  readonly objects: ModelObject[];
  readonly weakrefs: ModelWeakref[];
  /** Expected callback calls, by weak reference id. */
  readonly calls: number[];
  /** Map key → object id. */
  readonly map: Map<number, number>;
}

interface Real {
  readonly heap: Heap;
  readonly weakrefable: HeapType;
  readonly notWeakrefable: HeapType;
  readonly weakrefs: Weakrefs;
  readonly objects: Ref[];
  readonly wrs: Ref[];
  readonly calls: number[];
  readonly map: WeakValueMap<number>;
}

const alive = (o: ModelObject): boolean => o.refs > 0;
const isBasic = (w: ModelWeakref): boolean => !w.callback;

/** Where CPython inserts a new weak reference in an object's list. */
function insert(model: Model, obj: ModelObject, id: number): void {
  const w = model.weakrefs[id]!;
  const first = obj.list[0] === undefined ? undefined : model.weakrefs[obj.list[0]]!;
  const hasBasicRef = first !== undefined && isBasic(first) && !first.proxy;
  const basics = obj.list.filter((x) => isBasic(model.weakrefs[x]!)).length;
  if (isBasic(w) && !w.proxy) obj.list.unshift(id);
  else if (isBasic(w)) obj.list.splice(hasBasicRef ? 1 : 0, 0, id);
  else obj.list.splice(basics, 0, id);
}

function dropObject(model: Model, id: number): void {
  const obj = model.objects[id]!;
  obj.refs--;
  if (obj.refs > 0) return;
  for (const w of obj.list) {
    const wr = model.weakrefs[w]!;
    wr.cleared = true;
    if (wr.callback) model.calls.push(w);
  }
  obj.list = [];
  for (const [key, target] of model.map) if (target === id) model.map.delete(key);
}

function dropWeakref(model: Model, id: number): void {
  const w = model.weakrefs[id]!;
  w.held--;
  if (w.held > 0) return;
  const obj = model.objects[w.obj]!;
  obj.list = obj.list.filter((x) => x !== id);
}

type Command = fc.Command<Model, Real>;

class NewObject implements Command {
  constructor(readonly weakrefable: boolean) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    model.objects.push({ weakrefable: this.weakrefable, refs: 1, list: [] });
    real.objects.push(real.heap.newInstance(this.weakrefable ? real.weakrefable : real.notWeakrefable));
  }
  toString(): string {
    return `NewObject(${this.weakrefable})`;
  }
}

class DupObject implements Command {
  constructor(readonly pick: number) {}
  #id(model: Model): number | undefined {
    const live = model.objects.map((o, i) => (alive(o) ? i : -1)).filter((i) => i >= 0);
    return live.length === 0 ? undefined : live[this.pick % live.length];
  }
  check(model: Model): boolean {
    return this.#id(model) !== undefined;
  }
  run(model: Model, real: Real): void {
    const id = this.#id(model)!;
    model.objects[id]!.refs++;
    real.heap.incref(real.objects[id]!);
  }
  toString(): string {
    return `DupObject(${this.pick})`;
  }
}

class DropObject implements Command {
  constructor(readonly pick: number) {}
  #id(model: Model): number | undefined {
    const live = model.objects.map((o, i) => (alive(o) ? i : -1)).filter((i) => i >= 0);
    return live.length === 0 ? undefined : live[this.pick % live.length];
  }
  check(model: Model): boolean {
    return this.#id(model) !== undefined;
  }
  run(model: Model, real: Real): void {
    const id = this.#id(model)!;
    dropObject(model, id);
    real.heap.decref(real.objects[id]!);
    expect(real.calls).toEqual(model.calls);
  }
  toString(): string {
    return `DropObject(${this.pick})`;
  }
}

class NewWeakref implements Command {
  constructor(
    readonly pick: number,
    readonly proxy: boolean,
    readonly callback: boolean,
  ) {}
  #id(model: Model): number | undefined {
    const live = model.objects.map((o, i) => (alive(o) ? i : -1)).filter((i) => i >= 0);
    return live.length === 0 ? undefined : live[this.pick % live.length];
  }
  check(model: Model): boolean {
    return this.#id(model) !== undefined;
  }
  run(model: Model, real: Real): void {
    const objId = this.#id(model)!;
    const obj = model.objects[objId]!;
    const ref = real.objects[objId]!;
    const make = (): Ref => {
      const id = real.wrs.length; // the id this weak reference gets if it is new
      const callback = this.callback ? (wr: Ref): void => void real.calls.push(real.wrs.indexOf(wr, id)) : null;
      return this.proxy ? real.weakrefs.proxy(ref, callback) : real.weakrefs.ref(ref, callback);
    };
    if (!obj.weakrefable) {
      expect(make).toThrow('cannot create weak reference');
      return;
    }
    const shared = this.callback ? undefined : obj.list.find((x) => isBasic(model.weakrefs[x]!) && model.weakrefs[x]!.proxy === this.proxy);
    const wr = make();
    if (shared !== undefined) {
      model.weakrefs[shared]!.held++;
      expect(wr).toBe(real.wrs[shared]);
      return;
    }
    expect(real.wrs.includes(wr) && model.weakrefs[real.wrs.indexOf(wr)]!.held > 0).toBe(false);
    const id = model.weakrefs.length;
    model.weakrefs.push({ proxy: this.proxy, callback: this.callback, obj: objId, held: 1, cleared: false });
    insert(model, obj, id);
    real.wrs.push(wr);
  }
  toString(): string {
    return `NewWeakref(${this.pick}, proxy=${this.proxy}, callback=${this.callback})`;
  }
}

class DropWeakref implements Command {
  constructor(readonly pick: number) {}
  #id(model: Model): number | undefined {
    const held = model.weakrefs.map((w, i) => (w.held > 0 ? i : -1)).filter((i) => i >= 0);
    return held.length === 0 ? undefined : held[this.pick % held.length];
  }
  check(model: Model): boolean {
    return this.#id(model) !== undefined;
  }
  run(model: Model, real: Real): void {
    const id = this.#id(model)!;
    dropWeakref(model, id);
    real.heap.decref(real.wrs[id]!);
  }
  toString(): string {
    return `DropWeakref(${this.pick})`;
  }
}

class MapSet implements Command {
  constructor(
    readonly key: number,
    readonly pick: number,
  ) {}
  #id(model: Model): number | undefined {
    const live = model.objects.map((o, i) => (alive(o) && o.weakrefable ? i : -1)).filter((i) => i >= 0);
    return live.length === 0 ? undefined : live[this.pick % live.length];
  }
  check(model: Model): boolean {
    return this.#id(model) !== undefined;
  }
  run(model: Model, real: Real): void {
    const id = this.#id(model)!;
    model.map.set(this.key, id);
    real.map.set(this.key, real.objects[id]!);
  }
  toString(): string {
    return `MapSet(${this.key}, ${this.pick})`;
  }
}

class MapIterateAndDrop implements Command {
  constructor(readonly pick: number) {}
  check(): boolean {
    return true;
  }
  run(model: Model, real: Real): void {
    // Iterate the keys; at the first one, drop a random live object (perhaps a value).
    let expected = [...model.map.keys()];
    const live = model.objects.map((o, i) => (alive(o) ? i : -1)).filter((i) => i >= 0);
    const victim = live.length === 0 ? undefined : live[this.pick % live.length];
    const seen: number[] = [];
    let first = true;
    for (const key of real.map.keys()) {
      seen.push(key);
      if (first && victim !== undefined) {
        first = false;
        const removed = new Set(model.map.keys());
        dropObject(model, victim);
        real.heap.decref(real.objects[victim]!);
        for (const k of model.map.keys()) removed.delete(k);
        // The entries of a value that died are not visited any more; the current one was.
        expected = expected.filter((k) => k === key || !removed.has(k));
        expect(real.map.size).toBe(model.map.size);
      }
    }
    expect(seen).toEqual(expected);
  }
  toString(): string {
    return `MapIterateAndDrop(${this.pick})`;
  }
}

function checkAll(model: Model, real: Real): void {
  real.heap.verify();
  expect(real.calls).toEqual(model.calls);
  // The map's own weak references are in the lists too; compare the ones the program made.
  const made = new Set(model.weakrefs.flatMap((w, i) => (w.held > 0 ? [real.wrs[i]!] : [])));
  model.objects.forEach((obj, i) => {
    if (!alive(obj)) return;
    const list = real.weakrefs.getWeakrefs(real.objects[i]!).filter((wr) => made.has(wr));
    expect(list).toEqual(obj.list.map((w) => real.wrs[w]));
  });
  model.weakrefs.forEach((w, i) => {
    if (w.held === 0) return;
    expect(real.weakrefs.deref(real.wrs[i]!)).toBe(w.cleared ? 0 : real.objects[w.obj]);
  });
  expect(real.map.size).toBe(model.map.size);
  for (const [key, id] of model.map) expect(real.map.getRef(key)).toBe(real.objects[id]);
}

/** Runs a command, then checks everything against the model. */
class Checked implements Command {
  constructor(readonly command: Command) {}
  check(model: Readonly<Model>): boolean {
    return this.command.check(model);
  }
  run(model: Model, real: Real): void {
    this.command.run(model, real);
    checkAll(model, real);
  }
  toString(): string {
    return this.command.toString();
  }
}

const commands = [
  fc.boolean().map((w) => new NewObject(w)),
  fc.nat().map((p) => new DupObject(p)),
  fc.nat().map((p) => new DropObject(p)),
  fc.tuple(fc.nat(), fc.boolean(), fc.boolean()).map(([p, proxy, cb]) => new NewWeakref(p, proxy, cb)),
  fc.nat().map((p) => new DropWeakref(p)),
  fc.tuple(fc.nat({ max: 5 }), fc.nat()).map(([k, p]) => new MapSet(k, p)),
  fc.nat().map((p) => new MapIterateAndDrop(p)),
].map((arbitrary) => arbitrary.map((command: Command) => new Checked(command)));

describe('model-based: weak references behave as CPython says, step by step', () => {
  it('random programs agree with the model', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 80, size: 'large' }), (cmds) => {
        const heap = new Heap({
          unraisable: (info) => {
            throw info.error;
          },
        });
        const weakrefs = Weakrefs.of(heap);
        const model: Model = { objects: [], weakrefs: [], calls: [], map: new Map() };
        const real: Real = {
          heap,
          weakrefable: heap.defineClass('W'),
          notWeakrefable: heap.defineClass('S', { slots: ['x'] }),
          weakrefs,
          objects: [],
          wrs: [],
          calls: [],
          map: new WeakValueMap(weakrefs),
        };
        // Three weakly referenceable objects and one that is not, to start with.
        for (const weakrefable of [true, true, true, false]) {
          model.objects.push({ weakrefable, refs: 1, list: [] });
          real.objects.push(heap.newInstance(weakrefable ? real.weakrefable : real.notWeakrefable));
        }
        fc.modelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: 150 },
    );
  });
});
