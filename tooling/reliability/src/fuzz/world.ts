/**
 * The fuzzer's world: one heap with the collector, weak references and the tracer live,
 * and the plain model it is judged against — objects, their outgoing edges, how often each
 * is held from outside (by the commands, or pinned by a registry or an open scope), and the
 * weak references (each held from outside, so its callback is due when its object dies —
 * CPython calls a callback only if its weak reference is itself reachable).
 *
 * Two oracles. After every command, without collecting: every object reachable in the model
 * is alive with the edges the model says, and every weak reference agrees with its object.
 * After a full collection (`check`): besides, every unreachable object is freed, every
 * finalizer of a freed object ran exactly once, and the weak containers hold exactly the
 * live entries. Hostile code (finalizers, callbacks, observers; see actions.ts) keeps the
 * model exact by telling it what it did, and reports what it finds wrong to `fail`.
 */
import { Handles, Heap, type HeapType, PyRuntimeError, type Ref, type Scope } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Tracemalloc } from '@refheap/monitor';
import { WeakSet, WeakValueMap, Weakrefs } from '@refheap/weakref';
import type fc from 'fast-check';
import { emptyCounts, type Counts } from './counts.ts';
import type { Action, HookClass, HostileClasses } from './hostile-kinds.ts';

export type ObjKind = 'slots' | 'attrs' | 'list' | 'dict' | 'tuple' | 'cell' | 'bare' | 'final' | 'hooks';

export interface ModelObject {
  ref: Ref;
  /** The heap's serial for `ref` when made: a freed and reused index has another. */
  serial: number;
  kind: ObjKind;
  /** Hooked objects: their class (which hooks it has). */
  hooks: HookClass | undefined;
  /** Made while the tracer traced every allocation. */
  traced: boolean;
  /** Outgoing edges by slot index, attribute, dict key, list index, 'c' (cell) or 's' (side table). */
  out: Map<string, number>;
  /** References the commands hold. */
  holders: number;
  /** References a registry entry or an open scope's handle holds. */
  pinned: number;
  dead: boolean;
  next: number;
  /** Its class has a finalizer, which must run exactly once before it is freed. */
  finalizes: boolean;
  finalized: number;
  /** Bumped when a collection may have cleared its weak references and then seen it resurrected. */
  clearedEpoch: number;
}

export interface ModelWeakref {
  wr: Ref;
  target: number;
  callback: boolean;
  fired: number;
  /** `World.epoch` when made (see `clearedEpoch`). */
  epoch: number;
}

/** A reference hostile code or a command parked outside the heap, released by a later command. */
export interface RegistryEntry {
  /** The model object it pins, or null (a weak reference, say). */
  index: number | null;
  release: () => void;
}

/** Each collector install costs the heap two columns: a world reinstalls only so often. */
const MAX_REINSTALLS = 4;

export class World {
  readonly heap = new Heap();
  /** Replaced when hostile code detaches it and installs a new one. */
  gc = new Collector(this.heap, { enabled: false });
  gcEnabled = false;
  threshold: number[] | null = null;
  readonly weakrefs = Weakrefs.of(this.heap);
  readonly tracer = new Tracemalloc(this.heap);
  readonly py = new Handles(this.heap);
  /** The sampling interval while tracing (0: every allocation), or null when not tracing. */
  tracing: number | null = null;
  readonly Slotted: HeapType;
  readonly Plain: HeapType;
  /** Plain slotted instances (no `__weakref__`): what the one-sweep release takes. */
  readonly Bare: HeapType;
  readonly finalClasses: ReadonlyMap<Action, HeapType>;
  readonly hookClasses: readonly HookClass[];
  /** The hooked classes' side table: the one reference each object holds outside its slots. */
  readonly side = new Map<Ref, Ref>();
  readonly objects: ModelObject[] = [];
  readonly wrs: ModelWeakref[] = [];
  readonly map = new WeakValueMap<number>(this.heap);
  readonly set = new WeakSet(this.heap);
  /** Model index of each object put in the map (by key), and `epoch` when put there. */
  readonly inMap = new Map<number, { index: number; epoch: number }>();
  /** Model index of each object put in the set → `epoch` when put there. */
  readonly inSet = new Map<number, number>();
  readonly registry: RegistryEntry[] = [];
  /** Scopes the commands opened, innermost last, with the model objects their handles pin. */
  readonly scopes: { scope: Scope; pins: number[] }[] = [];
  /** Observers the commands added: how to remove each, and to refill its per-command budget. */
  readonly observers: { remove: () => void; refill: () => void }[] = [];
  readonly failures: string[] = [];
  readonly counts: Counts = emptyCounts();
  frozen = false;
  /** Set while a collector is being replaced: hostile code stays out of the way. */
  reinstalling = false;
  /** Set while an observer runs, so what it allocates does not call it again. */
  inObserver = false;
  reinstalls = 0;
  epoch = 0;
  nextKey = 0;
  commands = 0;

  /** `hostile` makes the classes whose hooks act on the world (actions.ts's `defineHostileClasses`). */
  constructor(hostile: (world: World) => HostileClasses) {
    this.Slotted = this.heap.defineClass('Slotted', { slots: ['a', 'b', '__weakref__'] });
    this.Plain = this.heap.defineClass('Plain');
    this.Bare = this.heap.defineClass('Bare', { slots: ['a', 'b'] });
    const { finals, hooks } = hostile(this);
    this.finalClasses = finals;
    this.hookClasses = hooks;
    this.heap.unraisable = (info) => this.fail(`${info.message}: ${errorText(info.error)}`);
    // The dealloc of hooked classes without a clear hook: their side reference goes when they do.
    this.heap.addObserver({
      freed: (ref) => {
        const held = this.side.get(ref);
        if (held === undefined) return;
        this.side.delete(ref);
        this.heap.decref(held);
      },
    });
  }

  /** Records what hostile code or an oracle found wrong; the command that ran it throws it. */
  fail(message: string): void {
    this.failures.push(message);
  }

  /** Model indices of the objects reachable from the holders and pins. */
  reachable(): Set<number> {
    const seen = new Set<number>();
    const stack: number[] = [];
    this.objects.forEach((o, i) => {
      if (!o.dead && o.holders + o.pinned > 0) stack.push(i);
    });
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (seen.has(i)) continue;
      seen.add(i);
      for (const j of this.objects[i]!.out.values()) stack.push(j);
    }
    return seen;
  }

  pick(n: number, filter: (o: ModelObject) => boolean = () => true): number | undefined {
    const live = [...this.reachable()].filter((i) => filter(this.objects[i]!)).sort((a, b) => a - b);
    return live.length === 0 ? undefined : live[n % live.length];
  }

  /** Whether the object the model knows as `o` still occupies its index. */
  occupies(o: ModelObject): boolean {
    return this.heap.isAlive(o.ref) && this.heap.serialOf(o.ref) === o.serial;
  }

  /** The model index of a live heap object, or undefined when the model does not know it. */
  indexOf(ref: Ref): number | undefined {
    const serial = this.heap.serialOf(ref);
    for (let i = this.objects.length - 1; i >= 0; i--) {
      const o = this.objects[i]!;
      if (!o.dead && o.ref === ref && o.serial === serial) return i;
    }
    return undefined;
  }

  adopt(ref: Ref, kind: ObjKind, out: Map<string, number> = new Map(), holders = 1): number {
    const type = this.heap.typeOf(ref);
    this.objects.push({
      ref,
      serial: this.heap.serialOf(ref),
      kind,
      hooks: this.hookClasses.find((h) => h.type === type),
      traced: this.tracing === 0,
      out,
      holders,
      pinned: 0,
      dead: false,
      next: out.size,
      finalizes: type.finalize !== undefined,
      finalized: 0,
      clearedEpoch: 0,
    });
    return this.objects.length - 1;
  }

  weakrefable(o: ModelObject): boolean {
    return o.kind === 'slots' || o.kind === 'attrs' || o.kind === 'final' || o.kind === 'hooks';
  }

  /** Parks a reference in the registry; `index` is the model object it pins (already counted by the caller's incref). */
  park(index: number | null, release: () => void): void {
    if (index !== null) this.objects[index]!.pinned++;
    this.registry.push({ index, release });
  }

  /**
   * A finalizer is about to keep its object. In a collection the weak references to all the
   * garbage were cleared before any finalizer ran (handle_weakrefs), so everything the model
   * holds unreachable now may come back with its weak references dead.
   */
  resurrecting(): void {
    this.counts.resurrections++;
    if (!this.gc.isCollecting) return;
    const reach = this.reachable();
    this.epoch++;
    this.objects.forEach((o, i) => {
      if (!o.dead && !reach.has(i)) o.clearedEpoch = this.epoch;
    });
  }

  /** Detaches the collector and installs a new one with the same settings. */
  reinstall(from: string): void {
    if (this.reinstalls >= MAX_REINSTALLS || this.reinstalling) return;
    const old = this.gc;
    const collecting = old.isCollecting;
    try {
      old.detach();
    } catch (error) {
      if (collecting && error instanceof PyRuntimeError) {
        this.counts.detachRefused++;
        return;
      }
      throw error;
    }
    if (collecting) this.fail(`gc.detach() from a ${from} returned during a collection; expected a PyRuntimeError`);
    this.reinstalls++;
    this.counts.reinstalls++;
    this.reinstalling = true;
    try {
      const gc = new Collector(this.heap, { enabled: this.gcEnabled });
      if (this.threshold !== null) gc.setThreshold(...this.threshold);
      this.gc = gc;
    } finally {
      this.reinstalling = false;
    }
    this.heap.decref(old.garbage); // nothing else holds the old collector's gc.garbage
  }

  /** The heap's references out of `o` agree with the model's. */
  checkEdges(i: number): void {
    const o = this.objects[i]!;
    const { heap } = this;
    for (const [key, j] of o.out) {
      const want = this.objects[j]!.ref;
      let got: Ref;
      if (key === 's') got = this.side.get(o.ref) ?? 0;
      else if (key === 'c') got = heap.cellGet(o.ref);
      else if (o.kind === 'attrs') got = heap.findAttr(o.ref, key);
      else if (o.kind === 'dict') got = heap.dictGetStr(o.ref, key);
      else if (o.kind === 'list' || o.kind === 'tuple') got = heap.item(o.ref, Number(key));
      else got = heap.getSlot(o.ref, Number(key));
      if (got !== want) throw new Error(`object ${i} (${o.kind}) edge ${key} refers to ${got}, the model says ${j} (${want})`);
    }
  }

  /** What holds without a collection: run after every command. */
  checkLive(): void {
    const reach = this.reachable();
    for (const i of reach) {
      const o = this.objects[i]!;
      if (!this.occupies(o)) throw new Error(`object ${i} (${o.kind}) is reachable but was freed`);
      this.checkEdges(i);
    }
    for (const [index, w] of this.wrs.entries()) {
      const target = this.objects[w.target]!;
      const seen = this.weakrefs.deref(w.wr);
      if (w.fired > 1) throw new Error(`weakref ${index}'s callback fired ${w.fired} times`);
      if (w.callback && (seen === 0) !== (w.fired === 1)) {
        throw new Error(`weakref ${index} is ${seen === 0 ? 'dead' : 'alive'} but its callback fired ${w.fired} times`);
      }
      if (target.dead || !this.occupies(target)) {
        if (seen !== 0) throw new Error(`weakref ${index} still sees its freed object`);
      } else if (seen !== target.ref) {
        if (seen !== 0) throw new Error(`weakref ${index} sees ${seen}, not its object ${target.ref}`);
        if (target.clearedEpoch <= w.epoch) throw new Error(`weakref ${index} lost its live object`);
      }
    }
  }

  /** The full check, after unfreezing (frozen objects are never collected) and a full collection. */
  /** The full oracle, after `collect` (a full collection by default; or incremental cycles run to their ends). */
  check(collect: () => void = () => void this.gc.collect(2)): void {
    if (this.frozen) {
      this.gc.unfreeze();
      this.frozen = false;
    }
    collect();
    this.throwFailures('the full collection');
    this.checkLive();
    const reach = this.reachable();
    this.objects.forEach((o, i) => {
      if (o.dead || reach.has(i)) return;
      if (this.occupies(o)) throw new Error(`object ${i} (${o.kind}) is unreachable but still alive after a full collection`);
      if (o.finalizes && o.finalized !== 1) throw new Error(`object ${i} (${o.kind}) was freed after its finalizer ran ${o.finalized} times`);
      o.dead = true;
    });
    for (const [index, w] of this.wrs.entries()) {
      const target = this.objects[w.target]!;
      if (!target.dead) continue;
      if (this.weakrefs.deref(w.wr) !== 0) throw new Error(`weakref ${index} still sees its dead object`);
      if (w.callback && w.fired !== 1) throw new Error(`weakref ${index}'s callback fired ${w.fired} times for a dead object`);
    }
    // An object a collection resurrected may have lost its entries (see `resurrecting`).
    const lost = (i: number, epoch: number): boolean => this.objects[i]!.clearedEpoch > epoch;
    for (const [key, { index: i, epoch }] of [...this.inMap]) {
      const alive = !this.objects[i]!.dead;
      const has = this.map.has(key);
      if (alive && !has && lost(i, epoch)) this.inMap.delete(key);
      else if (has !== alive) throw new Error(`WeakValueMap entry ${key}: has() is ${has}, object alive: ${alive}`);
      else if (alive && this.map.getRef(key) !== this.objects[i]!.ref) throw new Error(`WeakValueMap entry ${key} maps elsewhere`);
      else if (!alive) this.inMap.delete(key);
    }
    if (this.map.size !== this.inMap.size) throw new Error(`WeakValueMap has ${this.map.size} entries, expected ${this.inMap.size}`);
    for (const [i, epoch] of [...this.inSet]) {
      const alive = !this.objects[i]!.dead;
      const has = alive && this.set.has(this.objects[i]!.ref);
      if (alive && !has && !lost(i, epoch)) throw new Error(`WeakSet lost live member ${i}`);
      if (!has) this.inSet.delete(i);
    }
    if (this.set.size !== this.inSet.size) throw new Error(`WeakSet has ${this.set.size} members, expected ${this.inSet.size}`);
    this.checkTracer();
  }

  /** What the tracer says agrees with the model and with its own snapshot. */
  checkTracer(): void {
    const { tracer } = this;
    if (this.tracing === null) {
      if (tracer.isTracing()) throw new Error('the tracer traces after stop()');
      return;
    }
    const snapshot = tracer.takeSnapshot();
    let sum = 0;
    for (const trace of snapshot.traces) sum += trace.size;
    const [current, peak] = tracer.getTracedMemory();
    if (Math.abs(current - sum) > 1 + sum * 1e-9) throw new Error(`traced memory ${current} but the snapshot's traces sum to ${sum}`);
    if (peak < current) throw new Error(`peak ${peak} below current ${current}`);
    if (tracer.traceCount > this.heap.liveObjects) throw new Error(`${tracer.traceCount} traces for ${this.heap.liveObjects} live objects`);
    if (this.tracing !== 0) return; // sampled: which objects were picked is chance
    for (const i of this.reachable()) {
      const o = this.objects[i]!; // (an unreachable one may be freed, its index reused)
      const traced = tracer.getObjectTraceback(o.ref) !== null;
      if (traced !== o.traced) throw new Error(`object ${i} made ${o.traced ? 'while' : 'before'} tracing has ${traced ? 'a' : 'no'} traceback`);
    }
  }

  /** Throws what hostile code or an oracle recorded while `what` ran. */
  throwFailures(what: string, cause?: unknown): void {
    if (this.failures.length === 0) {
      if (cause !== undefined) throw cause instanceof Error ? cause : new Error(errorText(cause));
      return;
    }
    const found = this.failures.splice(0);
    const also = cause === undefined ? '' : `; then it threw ${errorText(cause)}`;
    throw new Error(`during ${what}: ${found[0]}${found.length > 1 ? ` (and ${found.length - 1} more: ${found.slice(1, 3).join(' | ')})` : ''}${also}`);
  }

  /** Releases everything, collects, and checks the heap is back where it started. */
  teardown(): void {
    for (const o of this.observers.splice(0)) o.remove();
    while (this.scopes.length > 0) {
      const { scope, pins } = this.scopes.pop()!;
      for (const i of pins) this.objects[i]!.pinned--;
      scope.close();
    }
    // A finalizer may resurrect during the full collection: let go again (each runs once, so this ends).
    for (let round = 0; round === 0 || this.registry.length > 0; round++) {
      if (round > 10) throw new Error(`the registry still holds ${this.registry.length} references after ${round} teardown collections`);
      for (const entry of this.registry.splice(0)) {
        if (entry.index !== null) this.objects[entry.index]!.pinned--;
        entry.release();
      }
      for (const o of this.objects) {
        while (!o.dead && o.holders > 0) {
          o.holders--;
          this.heap.decref(o.ref);
        }
      }
      this.check();
    }
    for (const w of this.wrs) this.heap.decref(w.wr);
    this.wrs.length = 0;
    this.map.clear();
    this.set.clear();
    this.gc.collect(2);
    this.tracer.stop();
    this.throwFailures('teardown');
    this.heap.verify();
    if (this.side.size !== 0) throw new Error(`${this.side.size} side-table references outlived their objects`);
  }
}

export type Cmd = fc.Command<object, World>;

/** A command: runs, then what hostile code reported is thrown, the heap verifies itself and the live oracle runs. */
export function command(name: string, run: (w: World) => void): Cmd {
  return {
    check: () => true,
    run: (_model, w) => {
      for (const o of w.observers) o.refill();
      try {
        run(w);
      } catch (error) {
        w.throwFailures(name, error);
      }
      w.throwFailures(name);
      w.commands++;
      w.heap.verify();
      w.checkLive();
    },
    toString: () => name,
  };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
