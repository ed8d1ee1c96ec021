/**
 * A model-based fuzzer over one heap with the collector and weak references live. The
 * model is plain: objects, their outgoing edges, which are held from outside, and the weak
 * references (each held from outside, so its callback is due when its object dies — CPython
 * calls a callback only if its weak reference is itself reachable). After every command the
 * heap verifies itself; after every full collection the live objects must be exactly those
 * reachable from the holders, each callback must have fired once per dead object and never
 * for a live one, and the weak containers must hold exactly the live entries. A tracer
 * (tracemalloc, through core's allocation sampler) starts and stops along the way: tracing
 * everything, every object made while it traces has a traceback and no other does; sampled
 * or not, its traced memory is the sum of its snapshot's traces.
 */
import { Heap, type HeapType, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Tracemalloc } from '@refheap/monitor';
import { WeakSet, WeakValueMap, Weakrefs } from '@refheap/weakref';
import fc from 'fast-check';

type ObjKind = 'slots' | 'attrs' | 'list' | 'dict' | 'tuple';

interface ModelObject {
  ref: Ref;
  kind: ObjKind;
  /** Made while the tracer traced every allocation. */
  traced: boolean;
  /** Outgoing edges by slot name, attribute, dict key or list index. */
  out: Map<string, number>;
  holders: number;
  dead: boolean;
  next: number;
}

interface ModelWeakref {
  wr: Ref;
  target: number;
  callback: boolean;
  fired: number;
}

export class World {
  readonly heap = new Heap();
  readonly gc = new Collector(this.heap, { enabled: false });
  readonly weakrefs = Weakrefs.of(this.heap);
  readonly tracer = new Tracemalloc(this.heap);
  /** The sampling interval while tracing (0: every allocation), or null when not tracing. */
  tracing: number | null = null;
  readonly Slotted: HeapType;
  readonly Plain: HeapType;
  readonly objects: ModelObject[] = [];
  readonly wrs: ModelWeakref[] = [];
  readonly map = new WeakValueMap<number>(this.heap);
  readonly set = new WeakSet(this.heap);
  /** Model index of each object put in the map (by key) and the set. */
  readonly inMap = new Map<number, number>();
  readonly inSet = new Set<number>();
  frozen = false;
  nextKey = 0;
  commands = 0;

  constructor() {
    this.Slotted = this.heap.defineClass('Slotted', { slots: ['a', 'b', '__weakref__'] });
    this.Plain = this.heap.defineClass('Plain');
    this.heap.unraisable = (info) => {
      throw info.error;
    };
  }

  /** Model indices of the objects reachable from the external holders. */
  reachable(): Set<number> {
    const seen = new Set<number>();
    const stack: number[] = [];
    this.objects.forEach((o, i) => {
      if (!o.dead && o.holders > 0) stack.push(i);
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

  weakrefable(o: ModelObject): boolean {
    return o.kind === 'slots' || o.kind === 'attrs';
  }

  /** The full check, after unfreezing (frozen objects are never collected) and a full collection. */
  check(): void {
    if (this.frozen) {
      this.gc.unfreeze();
      this.frozen = false;
    }
    this.gc.collect(2);
    const reach = this.reachable();
    const { heap, weakrefs } = this;
    this.objects.forEach((o, i) => {
      if (o.dead) return;
      if (reach.has(i)) {
        if (!heap.isAlive(o.ref)) throw new Error(`object ${i} (${o.kind}) is reachable but was freed`);
      } else {
        o.dead = true;
      }
    });
    for (const [index, w] of this.wrs.entries()) {
      const target = this.objects[w.target]!;
      if (target.dead) {
        if (weakrefs.deref(w.wr) !== 0) throw new Error(`weakref ${index} still sees its dead object`);
        if (w.callback && w.fired !== 1) throw new Error(`weakref ${index}'s callback fired ${w.fired} times for a dead object`);
      } else {
        if (weakrefs.deref(w.wr) !== target.ref) throw new Error(`weakref ${index} lost its live object`);
        if (w.fired !== 0) throw new Error(`weakref ${index}'s callback fired for a live object`);
      }
    }
    for (const [key, i] of [...this.inMap]) {
      const alive = !this.objects[i]!.dead;
      if (this.map.has(key) !== alive) throw new Error(`WeakValueMap entry ${key}: has() is ${!alive}, object alive: ${alive}`);
      if (alive && this.map.getRef(key) !== this.objects[i]!.ref) throw new Error(`WeakValueMap entry ${key} maps elsewhere`);
      if (!alive) this.inMap.delete(key);
    }
    if (this.map.size !== this.inMap.size) throw new Error(`WeakValueMap has ${this.map.size} entries, expected ${this.inMap.size}`);
    for (const i of [...this.inSet]) {
      const alive = !this.objects[i]!.dead;
      if (alive && !this.set.has(this.objects[i]!.ref)) throw new Error(`WeakSet lost live member ${i}`);
      if (!alive) this.inSet.delete(i);
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

  /** Releases everything, collects, and checks the heap is back where it started. */
  teardown(): void {
    for (const o of this.objects) {
      while (!o.dead && o.holders > 0) {
        o.holders--;
        this.heap.decref(o.ref);
      }
    }
    this.check();
    for (const w of this.wrs) this.heap.decref(w.wr);
    this.wrs.length = 0;
    this.map.clear();
    this.set.clear();
    this.gc.collect(2);
    this.tracer.stop();
    this.heap.verify();
  }
}

type Cmd = fc.Command<object, World>;

function command(name: string, run: (w: World) => void): Cmd {
  return {
    check: () => true,
    run: (_m, w) => {
      run(w);
      w.commands++;
      w.heap.verify();
    },
    toString: () => name,
  };
}

function adopt(w: World, ref: Ref, kind: ObjKind, out: Map<string, number> = new Map()): void {
  w.objects.push({ ref, kind, traced: w.tracing === 0, out, holders: 1, dead: false, next: out.size });
}

const kinds: ObjKind[] = ['slots', 'attrs', 'list', 'dict', 'tuple'];

export const commandArbitraries: fc.Arbitrary<Cmd>[] = [
  fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat(), b: fc.nat() }).map(({ kind, a, b }) =>
    command(`alloc(${kind}, ${a}, ${b})`, (w) => {
      const { heap } = w;
      switch (kind) {
        case 'slots':
          return adopt(w, heap.newInstance(w.Slotted), kind);
        case 'attrs':
          return adopt(w, heap.newInstance(w.Plain), kind);
        case 'list':
          return adopt(w, heap.newList(), kind);
        case 'dict':
          return adopt(w, heap.newDict(), kind);
        case 'tuple': {
          const items = [a, b].map((n) => w.pick(n)).filter((i): i is number => i !== undefined);
          const out = new Map(items.map((i, k) => [String(k), i]));
          return adopt(w, heap.newTuple(items.map((i) => w.objects[i]!.ref)), kind, out);
        }
      }
    }),
  ),
  fc.record({ from: fc.nat(), to: fc.nat() }).map(({ from, to }) =>
    command(`link(${from}, ${to})`, (w) => {
      const f = w.pick(from, (o) => o.kind !== 'tuple');
      const t = w.pick(to);
      if (f === undefined || t === undefined) return;
      const o = w.objects[f]!;
      const target = w.objects[t]!.ref;
      const { heap } = w;
      switch (o.kind) {
        case 'slots': {
          const slot = to % 2;
          heap.setSlot(o.ref, slot, target);
          o.out.set(String(slot), t);
          break;
        }
        case 'attrs': {
          const name = `x${to % 3}`;
          heap.setAttr(o.ref, name, target);
          o.out.set(name, t);
          break;
        }
        case 'list':
          heap.append(o.ref, target);
          o.out.set(String(o.next++), t);
          break;
        case 'dict': {
          const name = `k${to % 3}`;
          const key = heap.newStr(name);
          heap.dictSet(o.ref, key, target);
          heap.decref(key);
          o.out.set(name, t);
          break;
        }
        default:
      }
    }),
  ),
  fc.record({ from: fc.nat(), edge: fc.nat() }).map(({ from, edge }) =>
    command(`unlink(${from}, ${edge})`, (w) => {
      const f = w.pick(from, (o) => o.kind !== 'tuple' && o.out.size > 0);
      if (f === undefined) return;
      const o = w.objects[f]!;
      const keys = [...o.out.keys()];
      const key = keys[edge % keys.length]!;
      const { heap } = w;
      o.out.delete(key);
      switch (o.kind) {
        case 'slots':
          heap.setSlot(o.ref, Number(key), heap.None);
          break;
        case 'attrs':
          heap.delAttr(o.ref, key);
          break;
        case 'list':
          heap.setItem(o.ref, Number(key), heap.None);
          break;
        case 'dict': {
          const k = heap.newStr(key);
          heap.dictSet(o.ref, k, heap.None);
          heap.decref(k);
          break;
        }
        default:
      }
    }),
  ),
  fc.nat().map((n) =>
    command(`hold(${n})`, (w) => {
      const i = w.pick(n);
      if (i === undefined) return;
      w.heap.incref(w.objects[i]!.ref);
      w.objects[i]!.holders++;
    }),
  ),
  fc.nat().map((n) =>
    command(`release(${n})`, (w) => {
      const i = w.pick(n, (o) => o.holders > 0);
      if (i === undefined) return;
      w.objects[i]!.holders--;
      w.heap.decref(w.objects[i]!.ref);
    }),
  ),
  fc.record({ n: fc.nat(), callback: fc.boolean() }).map(({ n, callback }) =>
    command(`weakref(${n}, ${callback ? 'callback' : 'none'})`, (w) => {
      const i = w.pick(n, (o) => w.weakrefable(o));
      if (i === undefined) return;
      const entry: ModelWeakref = { wr: 0, target: i, callback, fired: 0 };
      entry.wr = w.weakrefs.ref(
        w.objects[i]!.ref,
        callback
          ? (wr) => {
              if (w.weakrefs.deref(wr) !== 0) throw new Error('a callback saw its object alive');
              entry.fired++;
            }
          : undefined,
      );
      w.wrs.push(entry);
    }),
  ),
  fc.nat().map((n) =>
    command(`weakValueMap.set(${n})`, (w) => {
      const i = w.pick(n, (o) => w.weakrefable(o));
      if (i === undefined) return;
      const key = w.nextKey++;
      w.map.set(key, w.objects[i]!.ref);
      w.inMap.set(key, i);
    }),
  ),
  fc.nat().map((n) =>
    command(`weakSet.add(${n})`, (w) => {
      const i = w.pick(n, (o) => w.weakrefable(o));
      if (i === undefined) return;
      w.set.add(w.objects[i]!.ref);
      w.inSet.add(i);
    }),
  ),
  fc.boolean().map((on) => command(on ? 'gc.enable()' : 'gc.disable()', (w) => (on ? w.gc.enable() : w.gc.disable()))),
  fc.constantFrom(0, 1).map((g) => command(`gc.collect(${g})`, (w) => void w.gc.collect(g))),
  fc.constant(command('gc.collect(2) + full check', (w) => w.check())),
  fc.record({ nframe: fc.integer({ min: 1, max: 4 }), interval: fc.constantFrom(0, 64, 4096) }).map(({ nframe, interval }) =>
    command(`tracemalloc.start(${nframe}, { samplingInterval: ${interval} })`, (w) => {
      if (w.tracing !== null) return;
      w.tracer.start(nframe, { samplingInterval: interval, seed: nframe });
      w.tracing = interval;
    }),
  ),
  fc.constant(
    command('tracemalloc.stop()', (w) => {
      w.tracer.stop();
      w.tracing = null;
      for (const o of w.objects) o.traced = false;
    }),
  ),
  fc.constant(
    command('tracemalloc.clearTraces()', (w) => {
      w.tracer.clearTraces();
      for (const o of w.objects) o.traced = false;
    }),
  ),
  fc.constant(command('tracemalloc check', (w) => w.checkTracer())),
  fc.boolean().map((on) =>
    command(on ? 'gc.freeze()' : 'gc.unfreeze()', (w) => {
      if (on) w.gc.freeze();
      else w.gc.unfreeze();
      w.frozen = on;
    }),
  ),
  fc
    .tuple(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 700 })), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
    .map(([a, b, c]) => command(`gc.setThreshold(${a}, ${b}, ${c})`, (w) => w.gc.setThreshold(a, b, c))),
];

/** One run: the commands, then a final full check and teardown. Returns how many commands ran. */
export function runCommands(cmds: Iterable<Cmd>): number {
  const world = new World();
  fc.modelRun(() => ({ model: {}, real: world }), cmds);
  world.check();
  world.teardown();
  return world.commands;
}

export const program = fc.commands(commandArbitraries, { maxCommands: 80, size: 'max' });
