/**
 * Model-based property test: random object graphs — instances with slots, instances with
 * attributes, lists, dicts, tuples, sets, instances with finalizers — with random external
 * holders (handles or raw increfs), built while collections (explicit, and automatic with
 * random thresholds) move objects between generations. Then `collect(2)`, checked against a
 * plain JS reachability oracle:
 *
 * - PEP 442: every finalizer of an unreachable object runs exactly once; afterwards exactly the
 *   objects reachable from the holders (and from what finalizers resurrected) are alive;
 * - legacy: unreachable objects reachable from a finalizer object stay (those a cleared
 *   cycle alone kept alive die by counting), finalizer objects among them are in gc.garbage,
 *   everything else unreachable is freed.
 *
 * Finalizers resurrect themselves or what they refer to, drop their references, allocate, or
 * raise. After the collection the heap must be consistent: every live container's count is its
 * external holds plus its references from live objects, no live object refers to a freed one,
 * and the collector lists every live tracked object exactly once. Then everything is released
 * and the heap must return to its starting point.
 */
import fc from 'fast-check';
import { type Handle, Handles, Heap, type HeapType, NULL, type Ref } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector } from './index.ts';

/** More runs on demand: REFHEAP_MODEL_SCALE=50 vitest run … (CI runs the default, a few seconds). */
const SCALE = Math.max(1, Number(process.env['REFHEAP_MODEL_SCALE'] ?? '1') || 1);

const KINDS = ['slots', 'attrs', 'list', 'dict', 'tuple', 'set', 'fin'] as const;
type NodeKind = (typeof KINDS)[number];
const MODES = ['none', 'resurrect', 'resurrectTarget', 'detach', 'allocate', 'raise'] as const;
type Mode = (typeof MODES)[number];

interface GraphSpec {
  readonly nodes: readonly { readonly kind: NodeKind; readonly mode: Mode }[];
  readonly edges: readonly (readonly [number, number])[];
  readonly holders: readonly { readonly node: number; readonly via: 'handle' | 'incref' }[];
  /** Explicit collections while the graph is built: at which step, of which generation. */
  readonly collects: readonly { readonly at: number; readonly generation: number }[];
  /** Automatic collection on, with these thresholds, while the graph is built. */
  readonly automatic: readonly [number, number, number] | null;
  /** gc.freeze() at this step of the build: what is tracked then is never examined again. */
  readonly freezeAt: number | null;
  readonly legacy: boolean;
  readonly objectKeys: boolean;
  readonly dropInReverse: boolean;
  /**
   * Instead of collect(2), an incremental cycle run to its end in slices of this many objects
   * (heap.verify() between every two): the same objects must be found, finalized and freed.
   */
  readonly incremental: number | null;
}

function graphSpec(minNodes: number, maxNodes: number, maxEdgesPerNode: number): fc.Arbitrary<GraphSpec> {
  return fc.integer({ min: minNodes, max: maxNodes }).chain((n) =>
    fc.record({
      nodes: fc.array(fc.record({ kind: fc.constantFrom(...KINDS), mode: fc.constantFrom(...MODES) }), {
        minLength: n,
        maxLength: n,
      }),
      edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { minLength: minNodes, maxLength: n * maxEdgesPerNode }),
      holders: fc.array(fc.record({ node: fc.nat(n - 1), via: fc.constantFrom('handle' as const, 'incref' as const) }), {
        maxLength: Math.max(1, Math.ceil(n / 6)),
      }),
      collects: fc.array(fc.record({ at: fc.nat(), generation: fc.integer({ min: 0, max: 2 }) }), { maxLength: 4 }),
      automatic: fc.option(
        fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
        { nil: null },
      ),
      freezeAt: fc.option(fc.nat(), { nil: null, freq: 4 }),
      legacy: fc.boolean(),
      objectKeys: fc.boolean(),
      dropInReverse: fc.boolean(),
      incremental: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
    }),
  );
}

/** What the model knows of one node: its out-edges (targets, with multiplicity). */
interface ModelNode {
  readonly kind: NodeKind;
  readonly mode: Mode;
  /** slots a, b, c (slots and fin kinds); -1 when unset. */
  readonly slots: number[];
  /** Every other out-edge: list items, attributes, dict keys and values, tuple items, set members. */
  readonly others: number[];
  readonly objectKeys: Set<number>;
  readonly members: Set<number>;
}

const isInstance = (kind: NodeKind) => kind === 'slots' || kind === 'attrs' || kind === 'fin';

function outEdges(node: ModelNode): number[] {
  return [...node.slots.filter((t) => t >= 0), ...node.others];
}

/** The nodes reachable from `roots` through nodes for which `within` holds. */
function reachable(model: readonly ModelNode[], roots: Iterable<number>, within: (i: number) => boolean): Set<number> {
  const seen = new Set<number>();
  const stack = [...roots].filter(within);
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    for (const t of outEdges(model[i]!)) if (!seen.has(t) && within(t)) stack.push(t);
  }
  return seen;
}

function runGraph(spec: GraphSpec): void {
  const unraisable: unknown[] = [];
  const heap = new Heap({ unraisable: (info) => unraisable.push(info.error) });
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false, finalizers: spec.legacy ? 'legacy' : 'pep442' });
  const S = heap.defineClass('S', { slots: ['a', 'b', 'c'] });
  const D = heap.defineClass('D');
  let armed = false;
  type Phase = 'build' | 'collect' | 'cleanup';
  let phase = 'build' as Phase;
  const finalized: { id: number; phase: Phase }[] = [];
  const storageHandle = py.list();
  const storage = storageHandle.ref;
  const F: HeapType = heap.defineClass('F', {
    slots: ['a', 'b', 'c', 'extra', { name: 'mode', kind: 'int32' }, { name: 'id', kind: 'int32' }],
    finalize: (h, self) => {
      finalized.push({ id: h.getSlotInt(self, 5), phase });
      if (!armed) return;
      switch (MODES[h.getSlotInt(self, 4)]) {
        case 'resurrect':
          h.append(storage, self);
          break;
        case 'resurrectTarget': {
          const target = h.getSlot(self, 0);
          if (target !== NULL) h.append(storage, target);
          break;
        }
        case 'detach':
          for (let i = 0; i < 3; i++) h.setSlot(self, i, NULL);
          break;
        case 'allocate': {
          // New objects the garbage refers to (never back to it), and a new cycle of garbage.
          const extra = h.newInstance(S);
          const bag = h.newList();
          for (let i = 0; i < 12; i++) {
            const item = h.newList();
            h.append(bag, item);
            h.decref(item);
          }
          h.setSlot(extra, 0, bag);
          h.decref(bag);
          h.setSlot(self, 3, extra);
          h.decref(extra);
          const cycle = h.newList();
          h.append(cycle, cycle);
          h.decref(cycle);
          break;
        }
        case 'raise':
          throw new Error('finalizer failed');
        default:
          break;
      }
    },
  });
  const m = spec.edges.length;
  for (let j = 0; j < m; j++) {
    heap.decref(heap.intern(`k${j}`));
    heap.decref(heap.intern(`x${j}`));
  }
  const baselineLive = heap.liveObjects;
  const baselineListed = new Set(gc.getObjects());
  const classObjects = new Set([S.object, D.object, F.object]);

  // ─── Build ───────────────────────────────────────────────────────────────────
  if (spec.automatic) {
    gc.setThreshold(...spec.automatic);
    gc.enable();
  }
  const n = spec.nodes.length;
  const steps = n + m;
  const refs: Ref[] = [];
  const collectAt = new Map<number, number[]>();
  for (const c of spec.collects) collectAt.set(c.at % steps, [...(collectAt.get(c.at % steps) ?? []), c.generation]);
  const frozen = new Set<number>();
  const step = (s: number) => {
    for (const g of collectAt.get(s) ?? []) gc.collect(g);
    if (spec.freezeAt !== null && spec.freezeAt % steps === s) {
      gc.freeze();
      refs.forEach((ref, i) => {
        if (heap.isTracked(ref)) frozen.add(i);
      });
    }
  };

  const model: ModelNode[] = spec.nodes.map(({ kind, mode }) => ({
    kind,
    mode,
    slots: [-1, -1, -1],
    others: [],
    objectKeys: new Set(),
    members: new Set(),
  }));
  for (let i = 0; i < n; i++) {
    const { kind, mode } = spec.nodes[i]!;
    let ref: Ref;
    switch (kind) {
      case 'slots':
        ref = heap.newInstance(S);
        break;
      case 'attrs':
        ref = heap.newInstance(D);
        break;
      case 'fin':
        ref = heap.newInstance(F);
        heap.setSlotInt(ref, 4, MODES.indexOf(mode));
        heap.setSlotInt(ref, 5, i);
        break;
      case 'list':
        ref = heap.newList();
        break;
      case 'dict':
        ref = heap.newDict();
        break;
      case 'set':
        ref = heap.newSet();
        break;
      case 'tuple': {
        const items = spec.edges.filter(([from, to]) => from === i && to < i).map(([, to]) => to);
        model[i]!.others.push(...items);
        ref = heap.newTuple(items.length > 0 ? items.map((t) => refs[t]!) : [heap.True]);
        break;
      }
    }
    refs.push(ref);
    step(i);
  }
  const slotsWritten = new Array<number>(n).fill(0);
  spec.edges.forEach(([from, to], j) => {
    const node = model[from]!;
    const src = refs[from]!;
    const dst = refs[to]!;
    switch (node.kind) {
      case 'slots':
      case 'fin': {
        const slot = slotsWritten[from]!++ % 3;
        heap.setSlot(src, slot, dst);
        node.slots[slot] = to;
        break;
      }
      case 'attrs':
        heap.setAttr(src, `x${j}`, dst);
        node.others.push(to);
        break;
      case 'list':
        heap.append(src, dst);
        node.others.push(to);
        break;
      case 'dict':
        if (spec.objectKeys && j % 2 === 1 && isInstance(model[to]!.kind)) {
          if (!node.objectKeys.has(to)) {
            heap.dictSet(src, dst, heap.None);
            node.objectKeys.add(to);
            node.others.push(to);
          }
        } else {
          const key = heap.intern(`k${j}`);
          heap.dictSet(src, key, dst);
          heap.decref(key);
          node.others.push(to);
        }
        break;
      case 'set':
        if (isInstance(model[to]!.kind) && !node.members.has(to)) {
          heap.setAdd(src, dst);
          node.members.add(to);
          node.others.push(to);
        }
        break;
      case 'tuple':
        break; // items were given at creation
    }
    step(n + j);
  });

  const external = new Array<number>(n).fill(0);
  const handles: Handle[] = [];
  const increfs: Ref[] = [];
  for (const { node, via } of spec.holders) {
    external[node]!++;
    if (via === 'handle') handles.push(py.borrow(refs[node]!));
    else {
      heap.incref(refs[node]!);
      increfs.push(refs[node]!);
    }
  }
  const serials = refs.map((r) => heap.serialOf(r));
  const isAlive = (i: number) => heap.isAlive(refs[i]!) && heap.serialOf(refs[i]!) === serials[i];

  const order = [...refs.keys()];
  if (spec.dropInReverse) order.reverse();
  for (const i of order) heap.decref(refs[i]!);

  // ─── The oracle ──────────────────────────────────────────────────────────────
  const liveAtStart = [...refs.keys()].filter(isAlive);
  const holders = [...external.keys()].filter((i) => external[i]! > 0);
  for (const i of reachable(model, holders, () => true)) {
    expect(isAlive(i), `node ${i} is held but was freed by counting`).toBe(true);
  }
  for (const i of liveAtStart) {
    for (const t of outEdges(model[i]!)) expect(isAlive(t), `live node ${i} refers to freed node ${t}`).toBe(true);
  }
  // Frozen objects are never examined: what they refer to counts as referred to from outside.
  const roots = [...holders, ...[...frozen].filter(isAlive)];
  const held = reachable(model, roots, isAlive);
  const unreachable = liveAtStart.filter((i) => !held.has(i));
  const unreachableSet = new Set(unreachable);
  const finalizable = unreachable.filter((i) => model[i]!.kind === 'fin');
  // Finalizers act only under PEP 442 and without a freeze (a frozen object that counting frees
  // during the collection would run its finalizer then, which this model does not follow).
  const armedRun = !spec.legacy && spec.freezeAt === null;

  const expectedStorage: number[] = [];
  let cleared: Set<number>; // what the collection clears: everything else it found unreachable survives
  if (!spec.legacy) {
    if (armedRun) {
      for (const i of finalizable) {
        const node = model[i]!;
        if (node.mode === 'resurrect') expectedStorage.push(i);
        if (node.mode === 'resurrectTarget' && node.slots[0]! >= 0) expectedStorage.push(node.slots[0]!);
        if (node.mode === 'detach') node.slots.fill(-1);
      }
    }
    const resurrected = reachable(model, [...roots, ...expectedStorage], isAlive);
    cleared = new Set(unreachable.filter((i) => !resurrected.has(i)));
  } else {
    const uncollectable = reachable(model, finalizable, (i) => unreachableSet.has(i)); // H
    cleared = new Set(unreachable.filter((i) => !uncollectable.has(i)));
  }
  // Once the cleared objects dropped their references, counting frees whatever nothing refers to
  // any more: uncollectable objects only the cleared ones kept alive, frozen objects only garbage held.
  const expectedAlive = new Set(liveAtStart.filter((i) => !cleared.has(i)));
  for (;;) {
    const incoming = new Map<number, number>();
    const count = (t: number) => incoming.set(t, (incoming.get(t) ?? 0) + 1);
    for (const i of expectedAlive) outEdges(model[i]!).forEach(count);
    expectedStorage.forEach(count);
    const dying = [...expectedAlive].filter((i) => (incoming.get(i) ?? 0) + external[i]! === 0);
    if (dying.length === 0) break;
    for (const i of dying) expectedAlive.delete(i);
  }
  const expectedGarbage = spec.legacy
    ? finalizable.filter((i) => expectedAlive.has(i) && !cleared.has(i))
    : [];
  const expectedFinalized = armedRun
    ? finalizable
    : liveAtStart.filter((i) => model[i]!.kind === 'fin' && !expectedAlive.has(i));

  // ─── Collect ─────────────────────────────────────────────────────────────────
  armed = armedRun;
  phase = 'collect';
  if (spec.incremental === null) gc.collect(2);
  else {
    gc.setIncremental(true);
    while (!gc.collectStep(spec.incremental)) heap.verify();
  }
  armed = false;
  phase = 'cleanup';

  const aliveNow = [...refs.keys()].filter(isAlive);
  expect(aliveNow, 'alive after collect(2)').toEqual([...expectedAlive].sort((a, b) => a - b));
  const sortRefs = (list: Ref[]) => [...list].sort((a, b) => a - b);
  const storageItems = Array.from({ length: heap.length(storage) }, (_, k) => heap.item(storage, k));
  expect(sortRefs(storageItems), 'resurrected into storage').toEqual(sortRefs(expectedStorage.map((i) => refs[i]!)));
  const garbageItems = Array.from({ length: heap.length(gc.garbage) }, (_, k) => heap.item(gc.garbage, k));
  expect(sortRefs(garbageItems), 'gc.garbage').toEqual(sortRefs(expectedGarbage.map((i) => refs[i]!)));

  // PEP 442: the collection finalizes what it found unreachable; otherwise finalizers run only when
  // counting frees their object (legacy: once the rest of the garbage was cleared).
  const ranInCollect = finalized.filter((f) => f.phase === 'collect').map((f) => f.id);
  expect([...ranInCollect].sort((a, b) => a - b), 'finalizers run during the collection').toEqual(expectedFinalized);
  for (const error of unraisable) expect((error as Error).message).toBe('finalizer failed');

  // ─── Consistency ─────────────────────────────────────────────────────────────
  const externalOf = new Map<Ref, number>();
  for (let i = 0; i < n; i++) if (external[i]! > 0) externalOf.set(refs[i]!, external[i]!);
  externalOf.set(storage, 1);
  externalOf.set(gc.garbage, 1);
  for (const cls of classObjects) externalOf.set(cls, 1);
  const incoming = new Map<Ref, number>();
  const live: Ref[] = [];
  heap.forEachObject((ref) => {
    live.push(ref);
    if (!heap.isContainer(ref)) return;
    heap.traverse(ref, (child) => {
      expect(heap.isAlive(child), `${heap.describe(ref)} refers to a freed object`).toBe(true);
      incoming.set(child, (incoming.get(child) ?? 0) + 1);
    });
  });
  for (const ref of live) {
    if (!heap.isContainer(ref)) continue;
    const expected = (incoming.get(ref) ?? 0) + (externalOf.get(ref) ?? 0);
    expect(heap.refcount(ref), `count of ${heap.describe(ref)}`).toBe(expected);
  }
  const listed = gc.getObjects();
  expect(listed.filter((ref) => !heap.isAlive(ref)), 'dead objects listed').toEqual([]);
  const tracked = live.filter((ref) => heap.isTracked(ref));
  if (spec.freezeAt === null) {
    expect(sortRefs(listed), 'the collector lists every live tracked object once').toEqual(tracked);
  } else {
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.filter((ref) => !heap.isTracked(ref)), 'untracked objects listed').toEqual([]);
    expect(listed.length + gc.getFreezeCount(), 'listed plus frozen').toBe(tracked.length);
  }
  heap.verify(); // and the heap's own integrity check agrees

  // ─── Release everything: the heap returns to where it started ────────────────
  for (const h of handles) h.release();
  for (const r of increfs) heap.decref(r);
  while (heap.length(storage) > 0) heap.decref(heap.pop(storage));
  while (heap.length(gc.garbage) > 0) heap.decref(heap.pop(gc.garbage));
  gc.finalizerSemantics = 'pep442';
  gc.unfreeze();
  expect(gc.getFreezeCount()).toBe(0);
  gc.collect(2);
  expect(gc.collect(2)).toBe(0);
  expect(heap.liveObjects, 'live objects after releasing everything').toBe(baselineLive);
  expect(new Set(gc.getObjects())).toEqual(baselineListed);
  const ids = finalized.map((f) => f.id);
  expect(new Set(ids).size, 'no finalizer ran twice').toBe(ids.length);
  expect(unraisable.every((e) => (e as Error).message === 'finalizer failed')).toBe(true);
}

describe('collect(2) against a reachability oracle', () => {
  test('small random graphs: exactly the objects unreachable from the holders are freed, and the heap stays consistent', () => {
    fc.assert(
      fc.property(graphSpec(1, 14, 3), (spec) => runGraph(spec)),
      { numRuns: 400 * SCALE },
    );
  });

  test('larger random graphs spread over the generations', () => {
    fc.assert(
      fc.property(graphSpec(100, 400, 3), (spec) => runGraph(spec)),
      { numRuns: 25 * SCALE },
    );
  });

  test('the oracle itself: a hand-made graph with every kind of finalizer', () => {
    runGraph({
      nodes: [
        { kind: 'fin', mode: 'resurrect' },
        { kind: 'fin', mode: 'resurrectTarget' },
        { kind: 'list', mode: 'none' },
        { kind: 'fin', mode: 'detach' },
        { kind: 'dict', mode: 'none' },
        { kind: 'fin', mode: 'allocate' },
        { kind: 'attrs', mode: 'none' },
        { kind: 'fin', mode: 'raise' },
        { kind: 'tuple', mode: 'none' },
        { kind: 'slots', mode: 'none' },
      ],
      edges: [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [4, 5],
        [5, 6],
        [6, 7],
        [7, 0],
        [8, 6],
        [9, 8],
        [2, 9],
      ],
      holders: [],
      collects: [{ at: 3, generation: 0 }],
      automatic: null,
      freezeAt: null,
      legacy: false,
      objectKeys: false,
      dropInReverse: false,
      incremental: null,
    });
  });
});
