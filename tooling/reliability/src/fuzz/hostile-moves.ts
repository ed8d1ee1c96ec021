/**
 * The hostile moves: objects whose finalizers misbehave (actions.ts), observers that do the
 * same on allocations and frees, registries and scopes that hold what hostile code kept,
 * the collector detached and replaced, the one-sweep release with an outside object dying
 * in it, tuples and closures churned while the slot pool is watched, and classes with every
 * combination of user-defined hooks.
 */
import type { Ref } from '@refheap/core';
import fc from 'fast-check';
import { hostileObserver, weakrefCallback } from './actions.ts';
import { sideEdgeAllowed, store } from './edges.ts';
import { actions } from './hostile-kinds.ts';
import { type Cmd, command, type ModelWeakref } from './world.ts';

const action = fc.constantFrom(...actions);

/** Observers a world may have at once, and scopes open at once. */
const MAX_OBSERVERS = 3;
const MAX_SCOPES = 3;

/** Churn rounds between looks at the slot pool (a leak of a word a round shows in the third look). */
const SAMPLE_EVERY = 16;

/** An object with a hostile finalizer, maybe in a cycle with a live object, maybe watched by a weakref whose callback is hostile too. */
const finalObject = fc
  .record({ action, peer: fc.option(fc.nat()), drop: fc.boolean(), watch: fc.option(action) })
  .map(({ action: act, peer, drop, watch }) =>
    command(`final(${act}, ${peer ?? 'alone'}, ${drop ? 'drop' : 'hold'}, ${watch === null ? 'unwatched' : `watched by ${watch}`})`, (w) => {
      const i = w.adopt(w.heap.newInstance(w.finalClasses.get(act)!), 'final');
      if (watch !== null) {
        const entry: ModelWeakref = { wr: 0, target: i, callback: true, fired: 0, epoch: w.epoch };
        entry.wr = w.weakrefs.ref(w.objects[i]!.ref, weakrefCallback(w, entry, watch));
        w.wrs.push(entry);
      }
      const p = peer === null ? undefined : w.pick(peer, (o) => o.kind !== 'tuple' && o.kind !== 'hooks' && o.kind !== 'cell');
      if (p !== undefined) {
        // A cycle through the new object, so a collection (not a count) is what finalizes it.
        store(w, i, '0', p);
        const o = w.objects[p]!;
        store(w, p, o.kind === 'attrs' ? 'fin' : o.kind === 'dict' ? 'kfin' : o.kind === 'list' ? String(o.next++) : '1', i);
      }
      if (drop) {
        w.objects[i]!.holders--;
        w.heap.decref(w.objects[i]!.ref);
      }
    }),
  );

const observerAdd = fc
  .record({
    hook: fc.constantFrom('freed' as const, 'allocated' as const),
    action,
    every: fc.integer({ min: 1, max: 4 }),
    budget: fc.integer({ min: 1, max: 6 }),
    keep: fc.boolean(),
  })
  .map(({ hook, action: act, every, budget, keep }) =>
    command(`observer.add(${hook}, ${act}, every ${every}, ${budget} a command, ${keep ? 'keep' : 'drop'})`, (w) => {
      if (w.observers.length >= MAX_OBSERVERS) return;
      const { observer, refill } = hostileObserver(w, hook, act, every, budget, keep);
      w.observers.push({ remove: w.heap.addObserver(observer), refill });
    }),
  );

const observerRemove = fc.nat().map((n) =>
  command(`observer.remove(${n})`, (w) => {
    if (w.observers.length === 0) return;
    w.observers.splice(n % w.observers.length, 1)[0]!.remove();
  }),
);

const registryRelease = fc.nat().map((n) =>
  command(`registry.release(${n})`, (w) => {
    if (w.registry.length === 0) return;
    const entry = w.registry.splice(n % w.registry.length, 1)[0]!;
    if (entry.index !== null) w.objects[entry.index]!.pinned--;
    entry.release();
  }),
);

const scopeOpen = fc.constant(
  command('scope.open()', (w) => {
    if (w.scopes.length < MAX_SCOPES) w.scopes.push({ scope: w.py.openScope(), pins: [] });
  }),
);

/** A handle made by a command joins the innermost open scope (none open: the registry holds it). */
const scopeBorrow = fc.nat().map((n) =>
  command(`scope.borrow(${n})`, (w) => {
    const i = w.pick(n);
    if (i === undefined) return;
    const handle = w.py.borrow(w.objects[i]!.ref);
    const top = w.scopes.at(-1);
    if (top === undefined) return w.park(i, () => handle.release());
    w.objects[i]!.pinned++;
    top.pins.push(i);
  }),
);

const scopeClose = fc.constant(
  command('scope.close()', (w) => {
    const top = w.scopes.pop();
    if (top === undefined) return;
    for (const i of top.pins) w.objects[i]!.pinned--;
    top.scope.close();
  }),
);

const reinstall = fc.constant(command('gc.detach() + new Collector(heap)', (w) => w.reinstall('command')));

type Member = 'bare' | 'list' | 'cell' | 'tuple';

/**
 * A cycle of plain containers (what `releaseGarbage` frees in one sweep) whose only outside
 * reference is to an object with a hostile finalizer that nothing else holds. The outside
 * object is first aged past the generation collected, so it is not in the set: it dies in
 * the sweep, and its finalizer runs while the sweep is in hand. (Generation 2 takes it into
 * the set: the ordinary path.)
 */
const sweep = fc
  .record({
    action,
    members: fc.array(fc.constantFrom<Member>('bare', 'list', 'cell', 'tuple'), { maxLength: 4 }),
    generation: fc.constantFrom(0, 1, 2),
    extra: fc.option(fc.nat()),
  })
  .map(({ action: act, members, generation, extra }) =>
    command(`sweep(${act}, [${members.join(', ')}], collect(${generation}), ${extra ?? 'no extra'})`, (w) => {
      const { heap } = w;
      w.counts.sweeps++;
      const f = w.adopt(heap.newInstance(w.finalClasses.get(act)!), 'final');
      const x = extra === null ? undefined : w.pick(extra);
      if (x !== undefined) store(w, f, '1', x);
      w.gc.collect(Math.min(generation + 1, 2));
      // Built from the last member back, each holding the one after it; the last (mutable) closes the cycle.
      const last = w.adopt(heap.newInstance(w.Bare), 'bare');
      const made = [f, last];
      let next = last;
      for (const kind of [...members].reverse()) {
        const target = w.objects[next]!.ref;
        if (kind === 'bare') {
          const i = w.adopt(heap.newInstance(w.Bare), 'bare');
          store(w, i, '0', next);
          next = i;
        } else if (kind === 'list') next = w.adopt(heap.newList([target]), 'list', new Map([['0', next]]));
        else if (kind === 'cell') next = w.adopt(heap.newCell(target), 'cell', new Map([['c', next]]));
        else next = w.adopt(heap.newTuple([target]), 'tuple', new Map([['0', next]]));
        made.push(next);
      }
      store(w, last, '0', next);
      store(w, last, '1', f);
      for (const i of made) {
        w.objects[i]!.holders--;
        heap.decref(w.objects[i]!.ref);
      }
      w.gc.collect(generation);
      if (generation < 2 && w.objects[f]!.finalized > 0) w.counts.outsideDeaths++;
    }),
  );

/**
 * Tuples, cells and functions made and dropped in a loop (acyclic: each dies by its count).
 * Every object of a round must be gone at its end. Each round needs the same blocks, so once
 * the first has run the slot pool must not grow at all: in any window of rounds where
 * nothing but churn allocated (a finalizer or observer may), `stats().slotWords` and the
 * index range stay put.
 * (A tuple that gives back less than its block leaks a few words a round.)
 */
const churn = fc
  .record({ rounds: fc.integer({ min: 40, max: 300 }), width: fc.integer({ min: 0, max: 3 }), n: fc.nat(), nest: fc.boolean() })
  .map(({ rounds, width, n, nest }) =>
    command(`churn(${rounds} rounds, ${width} items, ${n}, ${nest ? 'nested' : 'flat'})`, (w) => {
      const { heap } = w;
      const items: Ref[] = [];
      for (let k = 0; k < width; k++) {
        const i = w.pick(n + k);
        if (i !== undefined) items.push(w.objects[i]!.ref);
      }
      const x = items[0] ?? heap.None;
      let ours = 0; // allocations churn itself made
      const look = () => {
        const stats = heap.stats();
        return { slotWords: stats.slotWords, others: stats.allocations - ours, highWater: heap.highWater };
      };
      let before = look();
      let warm = false;
      for (let round = 0; round < rounds; round++) {
        const c1 = heap.newCell(x);
        const c2 = heap.newCell();
        const t = heap.newTuple([...items, c1]);
        const f = heap.newFunction('f', [c1, c2]);
        const made = [c1, c2, t, f, heap.newTuple([])];
        if (nest) {
          const c3 = heap.newCell(f);
          const g = heap.newFunction('g', [c3, t]);
          made.push(c3, g, heap.newTuple([g, t, f, ...items]));
        }
        ours += made.length + (nest ? 2 : 1); // (and each function's closure tuple)
        if (round % 2 === 0) made.reverse(); // makers first, or parts first
        const serials = made.map((ref) => heap.serialOf(ref));
        for (const ref of made) heap.decref(ref);
        made.forEach((ref, k) => {
          if (heap.isAlive(ref) && heap.serialOf(ref) === serials[k]) {
            throw new Error(`churn round ${round}: a ${heap.typeOf(ref).name} outlived its round (count ${heap.refcount(ref)})`);
          }
        });
        if (round % SAMPLE_EVERY !== 0) continue;
        const now = look();
        // Round 0 warms the free lists up, and so does the window after one where something else
        // allocated (it may have taken a freed index or block churn used); then none may grow.
        const quiet = round > 0 && now.others === before.others;
        if (quiet && warm && (now.slotWords !== before.slotWords || now.highWater !== before.highWater)) {
          throw new Error(
            `churn rounds ${round - SAMPLE_EVERY + 1}..${round} freed all they made, yet the slot pool grew from ${before.slotWords} to ${now.slotWords} words and the index range from ${before.highWater} to ${now.highWater}`,
          );
        }
        before = now;
        warm = quiet;
      }
      w.counts.churnRounds += rounds;
      const stats = heap.stats();
      if (stats.live !== heap.liveObjects || stats.allocations - stats.deallocations !== stats.live) {
        throw new Error(`heap.stats() says ${stats.live} live of ${stats.allocations} - ${stats.deallocations}; liveObjects ${heap.liveObjects}`);
      }
    }),
  );

/** An object of the class with hooks `mask` (1 traverse, 2 clear, 4 finalize, 8 repr), maybe with a side reference. */
const hooked = fc.record({ mask: fc.integer({ min: 0, max: 15 }), side: fc.option(fc.nat()) }).map(({ mask, side }) =>
  command(`hooks(${mask}, ${side ?? 'no side'})`, (w) => {
    const i = w.adopt(w.heap.newInstance(w.hookClasses[mask]!.type), 'hooks');
    w.counts.hookedObjects++;
    const t = side === null ? undefined : w.pick(side, (o) => sideEdgeAllowed(w.objects[i]!, o));
    if (t !== undefined) store(w, i, 's', t);
  }),
);

/** A cycle whose only way back is the traverse hook: hooked → (side table) → partner → (slot or item) → hooked. */
const hookCycle = fc
  .record({ mask: fc.integer({ min: 0, max: 15 }), partner: fc.constantFrom('bare' as const, 'list' as const, 'slots' as const), collect: fc.boolean() })
  .map(({ mask, partner, collect }) =>
    command(`hookCycle(${mask | 1}, ${partner}, ${collect ? 'collect(0)' : 'no collect'})`, (w) => {
      const { heap } = w;
      const a = w.adopt(heap.newInstance(w.hookClasses[mask | 1]!.type), 'hooks');
      const b =
        partner === 'list'
          ? w.adopt(heap.newList(), 'list')
          : w.adopt(heap.newInstance(partner === 'bare' ? w.Bare : w.Slotted), partner);
      store(w, b, partner === 'list' ? String(w.objects[b]!.next++) : '0', a);
      store(w, a, 's', b);
      for (const i of [a, b]) {
        w.objects[i]!.holders--;
        heap.decref(w.objects[i]!.ref);
      }
      w.counts.hookedObjects++;
      w.counts.hookCycles++;
      if (collect) w.gc.collect(0);
    }),
  );

const repr = fc.nat().map((n) =>
  command(`repr(${n})`, (w) => {
    const i = w.pick(n);
    if (i === undefined) return;
    const o = w.objects[i]!;
    const text = w.heap.repr(o.ref);
    if (o.hooks?.repr) {
      const want = `<${o.hooks.type.name} ${o.out.has('0') ? 'linked' : 'empty'}>`;
      if (text !== want) throw new Error(`repr of object ${i} is ${text}, its hook says ${want}`);
    }
  }),
);

export const hostileArbitraries: fc.Arbitrary<Cmd>[] = [
  finalObject,
  finalObject, // twice as likely: the finalizers are what the other moves act on
  observerAdd,
  observerRemove,
  registryRelease,
  scopeOpen,
  scopeBorrow,
  scopeClose,
  reinstall,
  sweep,
  churn,
  hooked,
  hookCycle,
  repr,
];
