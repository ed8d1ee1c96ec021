/**
 * A model-based fuzzer over one heap with the collector and weak references live (the
 * world and its oracles: world.ts). The plain moves are here: allocate, link, unlink, hold
 * and release, weak references and weak containers, the collector's switches, the tracer
 * (tracemalloc, through core's allocation sampler) starting and stopping. The hostile moves
 * — finalizers, callbacks and observers that misbehave, the one-sweep release, churn, hooked
 * classes — are in hostile-moves.ts. After every command the heap verifies itself and the
 * live oracle runs; the full oracle runs after full collections and at the end.
 */
import fc from 'fast-check';
import { defineHostileClasses, weakrefCallback } from './actions.ts';
import { addCounts, type Counts, emptyCounts } from './counts.ts';
import { sideEdgeAllowed, slotted, store } from './edges.ts';
import { actions } from './hostile-kinds.ts';
import { hostileArbitraries } from './hostile-moves.ts';
import { type Cmd, command, type ModelWeakref, type ObjKind, World } from './world.ts';

const kinds: ObjKind[] = ['slots', 'attrs', 'list', 'dict', 'tuple', 'cell', 'bare'];

export const baseArbitraries: fc.Arbitrary<Cmd>[] = [
  fc.record({ kind: fc.constantFrom(...kinds), a: fc.nat(), b: fc.nat() }).map(({ kind, a, b }) =>
    command(`alloc(${kind}, ${a}, ${b})`, (w) => {
      const { heap } = w;
      switch (kind) {
        case 'slots':
          return void w.adopt(heap.newInstance(w.Slotted), kind);
        case 'attrs':
          return void w.adopt(heap.newInstance(w.Plain), kind);
        case 'bare':
          return void w.adopt(heap.newInstance(w.Bare), kind);
        case 'list':
          return void w.adopt(heap.newList(), kind);
        case 'dict':
          return void w.adopt(heap.newDict(), kind);
        case 'cell':
          return void w.adopt(heap.newCell(), kind);
        case 'tuple': {
          const items = [a, b].map((n) => w.pick(n)).filter((i): i is number => i !== undefined);
          const out = new Map(items.map((i, k) => [String(k), i]));
          return void w.adopt(heap.newTuple(items.map((i) => w.objects[i]!.ref)), kind, out);
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
      let key: string;
      if (o.kind === 'hooks' && to % 3 === 2 && sideEdgeAllowed(o, w.objects[t]!)) key = 's';
      else if (slotted(o.kind)) key = String(to % 2);
      else if (o.kind === 'attrs') key = `x${to % 3}`;
      else if (o.kind === 'dict') key = `k${to % 3}`;
      else if (o.kind === 'cell') key = 'c';
      else key = String(o.next++);
      store(w, f, key, t);
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
      if (key === 's') {
        const held = w.side.get(o.ref)!;
        w.side.delete(o.ref);
        heap.decref(held);
      } else if (key === 'c') heap.cellSet(o.ref, 0);
      else if (slotted(o.kind)) heap.setSlot(o.ref, Number(key), heap.None);
      else if (o.kind === 'attrs') heap.delAttr(o.ref, key);
      else if (o.kind === 'list') heap.setItem(o.ref, Number(key), heap.None);
      else if (o.kind === 'dict') {
        const k = heap.newStr(key);
        heap.dictSet(o.ref, k, heap.None);
        heap.decref(k);
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
  fc
    .record({ n: fc.nat(), callback: fc.boolean(), action: fc.option(fc.constantFrom(...actions), { freq: 2 }) })
    .map(({ n, callback, action }) =>
      command(`weakref(${n}, ${!callback ? 'none' : (action ?? 'count')})`, (w) => {
        const i = w.pick(n, (o) => w.weakrefable(o));
        if (i === undefined) return;
        const entry: ModelWeakref = { wr: 0, target: i, callback, fired: 0, epoch: w.epoch };
        entry.wr = w.weakrefs.ref(w.objects[i]!.ref, callback ? weakrefCallback(w, entry, action) : undefined);
        w.wrs.push(entry);
      }),
    ),
  fc.nat().map((n) =>
    command(`weakValueMap.set(${n})`, (w) => {
      const i = w.pick(n, (o) => w.weakrefable(o));
      if (i === undefined) return;
      const key = w.nextKey++;
      w.map.set(key, w.objects[i]!.ref);
      w.inMap.set(key, { index: i, epoch: w.epoch });
    }),
  ),
  fc.nat().map((n) =>
    command(`weakSet.add(${n})`, (w) => {
      const i = w.pick(n, (o) => w.weakrefable(o));
      if (i === undefined) return;
      w.set.add(w.objects[i]!.ref);
      if (!w.inSet.has(i)) w.inSet.set(i, w.epoch);
    }),
  ),
  fc.boolean().map((on) =>
    command(on ? 'gc.enable()' : 'gc.disable()', (w) => {
      w.gcEnabled = on;
      if (on) w.gc.enable();
      else w.gc.disable();
    }),
  ),
  fc.constantFrom(0, 1).map((g) => command(`gc.collect(${g})`, (w) => void w.gc.collect(g))),
  fc.constant(command('gc.collect(2) + full check', (w) => w.check())),
  // Incremental mode: slices of a cycle between any two commands, automatic ones too when on.
  fc.boolean().map((on) => command(`gc.setIncremental(${on})`, (w) => w.gc.setIncremental(on))),
  fc.constantFrom(1, 3, 10, 50, Infinity).map((work) => command(`gc.collectStep(${work})`, (w) => void w.gc.collectStep(work))),
  fc.constant(
    command('incremental: the cycle in progress and one more to their ends + full check', (w) =>
      w.check(() => {
        // Garbage there when the second cycle begins (and staying garbage) must be gone at its end.
        // A finalizer or callback that froze the heap took objects out of the collector's sight
        // (as in CPython): thaw them and start counting again.
        let cycles = 0;
        for (let ended = 0; cycles < 2 || w.frozen; ) {
          if (w.frozen) {
            w.gc.unfreeze();
            w.frozen = false;
            cycles = 0;
          }
          if (!w.gc.collectStep()) continue;
          if (++ended > 1000) throw new Error('incremental cycles never stopped freezing the heap');
          cycles++;
        }
      }),
    ),
  ),
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
  fc.constant(
    command('heap.trim()', (w) => {
      // Gives back whatever is free at the top; every object the model knows must be untouched (the full check after each command).
      if (w.heap.trim() < 0) w.fail('heap.trim() gave back a negative number of bytes');
    }),
  ),
  fc.boolean().map((on) =>
    command(on ? 'gc.freeze()' : 'gc.unfreeze()', (w) => {
      if (on) w.gc.freeze();
      else w.gc.unfreeze();
      w.frozen = on;
    }),
  ),
  fc
    .tuple(fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 700 })), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }))
    .map(([a, b, c]) =>
      command(`gc.setThreshold(${a}, ${b}, ${c})`, (w) => {
        w.threshold = [a, b, c];
        w.gc.setThreshold(a, b, c);
      }),
    ),
];

export const commandArbitraries: fc.Arbitrary<Cmd>[] = [...baseArbitraries, ...hostileArbitraries];

/** What every world counted, summed over this process (run.ts prints it). */
export const totals: Counts = emptyCounts();

/** One run: the commands, then a final full check and teardown. Returns how many commands ran. */
export function runCommands(cmds: Iterable<Cmd>): number {
  const world = new World(defineHostileClasses);
  try {
    fc.modelRun(() => ({ model: {}, real: world }), cmds);
    world.check();
    world.teardown();
  } finally {
    addCounts(totals, world.counts);
  }
  return world.commands;
}

export const program = fc.commands(commandArbitraries, { maxCommands: 80, size: 'max' });
