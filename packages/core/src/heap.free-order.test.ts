/**
 * Putting the free lists back in address order, a step per allocation: the slot pool's sort and
 * the object table's, with blocks and indexes allocated and freed while it is under way. What a
 * user relies on: nothing is handed out twice or lost, `verify` passes at every point of a sort,
 * a sort is never done all at once inside one allocation, and once it is done a rebuilt
 * structure gets its storage lowest address first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SORT_IDLE, SORT_MARKING } from './heap-definitions.ts';
import { Heap } from './heap.ts';
import type { Ref } from './ref.ts';
import { SlotPool } from './slot-pool.ts';

const SIZES = [1, 3, 5, 40, 100] as const;

/** Checks that the live blocks and the free ones tile the pool's words exactly. */
function expectTiled(pool: SlotPool, live: ReadonlyMap<number, number>): void {
  const owner = new Int8Array(pool.usedWords);
  const overlaps: number[] = [];
  const claim = (base: number, size: number, by: number): void => {
    for (let at = base; at < base + size; at++) {
      if (owner[at] !== 0) overlaps.push(at);
      owner[at] = by;
    }
  };
  for (const [base, size] of live) claim(base, SlotPool.blockSize(size), 1);
  pool.forEachFreeBlock((base, size) => claim(base, size, -1));
  expect(overlaps).toEqual([]);
  expect(owner.indexOf(0, 1)).toBe(-1); // no word belongs to nobody
}

describe('the slot pool’s sort in steps', () => {
  it('hands no block out twice and loses none, whatever is allocated and released while it runs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(SIZES.length - 1), { minLength: 50, maxLength: 400 }),
        fc.array(fc.tuple(fc.constantFrom('allocate', 'release', 'step'), fc.nat(SIZES.length - 1), fc.nat()), { maxLength: 300 }),
        fc.integer({ min: 1, max: 64 }),
        (initial, ops, budget) => {
          const pool = new SlotPool(64, () => undefined);
          const live = new Map<number, number>();
          for (const s of initial) live.set(pool.allocate(SIZES[s]!), SIZES[s]!);
          for (const [base, size] of [...live].filter((_, i) => i % 2 === 0)) {
            pool.release(base, size);
            live.delete(base);
          }
          pool.beginSort();
          for (const [op, s, pick] of ops) {
            if (op === 'allocate') {
              const base = pool.allocate(SIZES[s]!);
              expect(live.has(base)).toBe(false);
              live.set(base, SIZES[s]!);
            } else if (op === 'release' && live.size > 0) {
              const [base, size] = [...live][pick % live.size]!;
              pool.release(base, size);
              live.delete(base);
            } else pool.sortStep(budget);
          }
          expectTiled(pool, live);
          pool.finishSort();
          expect(pool.sorting).toBe(false);
          expectTiled(pool, live);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('once done, hands each class’s blocks out lowest address first', () => {
    const pool = new SlotPool(64, () => undefined);
    const bases = Array.from({ length: 3000 }, (_, i) => pool.allocate(i % 3 === 0 ? 40 : 3));
    // Released in a scrambled order: LIFO reuse would hand them out in that order.
    const order = bases.map((base, i) => ({ base, i, key: (i * 7919) % 3001 })).sort((a, b) => a.key - b.key);
    for (const { base, i } of order) pool.release(base, i % 3 === 0 ? 40 : 3);
    pool.beginSort();
    let steps = 0;
    while (pool.sorting) {
      pool.sortStep(16);
      steps++;
    }
    expect(steps).toBeGreaterThan(10); // in steps, not at once
    const small = bases.filter((_, i) => i % 3 !== 0);
    expect(Array.from(small, () => pool.allocate(3))).toEqual(small);
    const large = bases.filter((_, i) => i % 3 === 0);
    expect(Array.from(large, () => pool.allocate(40))).toEqual(large);
  });

  it('gives the top back in a whole sort with giveBack, with blocks released mid-sort kept', () => {
    const pool = new SlotPool(64, () => undefined);
    const bases = Array.from({ length: 1000 }, () => pool.allocate(5));
    const keep = bases[99]!;
    for (const base of bases) if (base !== keep) pool.release(base, 5);
    pool.beginSort();
    pool.sortStep(8);
    pool.sortFreeLists(true);
    expect(pool.sorting).toBe(false);
    expect(pool.usedWords).toBe(keep + 5);
    expectTiled(pool, new Map([[keep, 5]]));
  });
});

describe('the heap’s free-list sort', () => {
  /** A heap with `n` Nodes freed in a scrambled order below a live sentinel (so nothing trims them). */
  function scrambled(n: number): { heap: Heap; Node: ReturnType<Heap['defineClass']>; sentinel: Ref } {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const refs = Array.from({ length: n }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = 0; i < n; i++) heap.decref(refs[(i * 7919) % n]!);
    return { heap, Node, sentinel };
  }

  it('is spread over allocations: the first one after the frees does a step of it, not all', () => {
    const { heap, Node } = scrambled(200_000);
    const internals = heap as unknown as { _sortPhase: number };
    heap.newInstance(Node);
    expect(internals._sortPhase).toBe(SORT_MARKING);
    heap.verify(); // mid-sort
    let allocations = 1;
    while (internals._sortPhase !== SORT_IDLE) {
      heap.newInstance(Node);
      if (++allocations === 5000) heap.verify(); // further in
    }
    expect(allocations).toBeGreaterThan(5000);
    heap.verify();
  });

  it('hands out what it set aside in the list’s own order while it walks it, so objects made then lie together', () => {
    // Freed highest first: the free list runs upward from the lowest index, and so do the pool's blocks.
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const refs = Array.from({ length: 200_000 }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = refs.length - 1; i >= 0; i--) heap.decref(refs[i]!);
    const internals = heap as unknown as { _sortPhase: number; _base: Int32Array };
    const made: Ref[] = [];
    do made.push(heap.newInstance(Node));
    while (internals._sortPhase === SORT_MARKING && made.length < 5000);
    expect(made.length).toBe(5000); // all of them made while the walk went on
    // Each next to the last, in the table and in the pool: taken at the walk's front instead,
    // each was some thirty entries of the list further on.
    const gaps = made.slice(1).map((ref, i) => ref - made[i]!);
    expect(new Set(gaps)).toEqual(new Set([1]));
    const blockGaps = made.slice(1).map((ref, i) => internals._base[ref]! - internals._base[made[i]!]!);
    expect(new Set(blockGaps)).toEqual(new Set([SlotPool.blockSize(1)]));
    heap.verify();
    for (const ref of made) heap.decref(ref);
    heap.decref(sentinel);
    heap.verify();
  });

  it('hands out what is freed while it runs only after what it set aside, so frees elsewhere do not scatter what is made', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const baseline = heap.liveObjects;
    const others = Array.from({ length: 20_000 }, () => heap.newInstance(Node)); // freed during the sort, scattered
    const refs = Array.from({ length: 200_000 }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = refs.length - 1; i >= 0; i--) heap.decref(refs[i]!);
    const internals = heap as unknown as { _sortPhase: number; _base: Int32Array; _pool: SlotPool };
    const made: Ref[] = [];
    let freed = 0;
    do {
      made.push(heap.newInstance(Node));
      if (made.length % 2 === 0) heap.decref(others[(freed++ * 7919) % others.length]!); // (7919 is prime to 20,000)
    } while (internals._sortPhase === SORT_MARKING && internals._pool.sorting && made.length < 2000);
    expect(made.length).toBe(2000); // all made while both parts of the sort went on
    const gaps = made.slice(1).map((ref, i) => ref - made[i]!);
    expect(new Set(gaps)).toEqual(new Set([1]));
    const blockGaps = made.slice(1).map((ref, i) => internals._base[ref]! - internals._base[made[i]!]!);
    expect(new Set(blockGaps)).toEqual(new Set([SlotPool.blockSize(1)]));
    heap.verify();
    // …and none is lost: verify() counts every free index on exactly one list, mid-sort and after.
    while (internals._sortPhase !== SORT_IDLE || internals._pool.sorting) made.push(heap.newInstance(Node));
    heap.verify();
    for (const ref of [...made, sentinel]) heap.decref(ref);
    for (let i = freed; i < others.length; i++) heap.decref(others[(i * 7919) % others.length]!);
    heap.verify();
    expect(heap.liveObjects).toBe(baseline);
  });

  it('sorts again at once what so much was freed while it ran, so that too is handed out lowest first', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const others = Array.from({ length: 100_000 }, () => heap.newInstance(Node));
    const refs = Array.from({ length: 200_000 }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = refs.length - 1; i >= 0; i--) heap.decref(refs[i]!);
    const internals = heap as unknown as { _sortPhase: number; _pool: SlotPool; _top: number };
    const made: Ref[] = [];
    let freed = 0;
    do {
      made.push(heap.newInstance(Node));
      // Frees while it runs, scattered (7919 is prime to 100,000), more than a sort waits for.
      for (let k = 0; k < 8 && freed < others.length; k++) heap.decref(others[(freed++ * 7919) % others.length]!);
    } while (internals._sortPhase !== SORT_IDLE || internals._pool.sorting);
    expect(freed).toBeGreaterThan(65_536);
    heap.newInstance(Node); // the next allocation begins the next sort…
    expect(internals._sortPhase).toBe(SORT_MARKING);
    do made.push(heap.newInstance(Node));
    while (internals._sortPhase !== SORT_IDLE || internals._pool.sorting);
    // …after which every free index, however it was freed, comes lowest first.
    const free = internals._top - 1 - heap.liveObjects;
    expect(free).toBeGreaterThan(200_000);
    const next = Array.from({ length: free }, () => heap.newInstance(Node));
    let descents = 0;
    for (let i = 1; i < next.length; i++) if (next[i]! < next[i - 1]!) descents++;
    expect(descents).toBe(0);
    heap.verify();
    for (const ref of [...made, ...next, sentinel]) heap.decref(ref);
    for (let i = freed; i < others.length; i++) heap.decref(others[(i * 7919) % others.length]!);
    heap.verify();
  });

  it('follows a sort at once with another only once in a row, however fast the program frees meanwhile', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const others = Array.from({ length: 400_000 }, () => heap.newInstance(Node));
    const refs = Array.from({ length: 200_000 }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = refs.length - 1; i >= 0; i--) heap.decref(refs[i]!);
    const internals = heap as unknown as { _sortDueAt: number };
    // Eight frees for every allocation: every sort sees more frees than it waits for.
    const atOnce: boolean[] = []; // for each sort begun: whether it began right as the last one ended
    let underWay = false;
    let endedAt = -2;
    let freed = 0;
    for (let i = 0; freed < others.length; i++) {
      heap.newInstance(Node);
      for (let k = 0; k < 8; k++) heap.decref(others[freed++]!);
      const now = internals._sortDueAt < 0; // (-1 while a sort is under way)
      if (!underWay && now) atOnce.push(endedAt === i - 1);
      if (underWay && !now) endedAt = i;
      underWay = now;
    }
    expect(atOnce.length).toBeGreaterThanOrEqual(3);
    expect(atOnce).toContain(true); // some follow at once…
    expect(atOnce.some((flag, i) => flag && atOnce[i - 1] === true)).toBe(false); // …never two in a row
    heap.verify();
    heap.decref(sentinel);
  });

  it('begins its scan at the lowest index it set aside, so a stretch in use below costs no new storage', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const kept = Array.from({ length: 400_000 }, () => heap.newInstance(Node));
    const refs = Array.from({ length: 100_000 }, () => heap.newInstance(Node));
    const sentinel = heap.newInstance(Node);
    for (let i = 0; i < refs.length; i++) heap.decref(refs[(i * 7919) % refs.length]!);
    const internals = heap as unknown as { _sortPhase: number; _top: number; _pool: SlotPool };
    const top = internals._top;
    const words = internals._pool.usedWords;
    const made: Ref[] = [];
    do made.push(heap.newInstance(Node));
    while (internals._sortPhase !== SORT_IDLE || internals._pool.sorting);
    // Scanned from the bottom, the first allocations would find nothing sorted and take new storage at the top.
    expect(internals._top).toBe(top);
    expect(internals._pool.usedWords).toBe(words);
    heap.verify();
    for (const ref of [...made, ...kept, sentinel]) heap.decref(ref);
  });

  it('does not begin the table’s part again while the pool’s goes on', () => {
    // Objects of 40 slots (64-word blocks), most of them live: the pool has far more to scan
    // than the table, whose part ends first.
    const heap = new Heap();
    const Wide = heap.defineClass('Wide', { slots: Array.from({ length: 40 }, (_, i) => `s${i}`) });
    const refs = Array.from({ length: 270_000 }, () => heap.newInstance(Wide));
    for (let i = 0; i < 70_000; i++) heap.decref(refs[(i * 7919) % refs.length]!); // (7919 is prime to 270,000)
    const internals = heap as unknown as { _sortPhase: number; _pool: SlotPool };
    let allocations = 0;
    do {
      heap.newInstance(Wide);
      allocations++;
    } while (internals._sortPhase !== SORT_IDLE);
    expect(internals._pool.sorting).toBe(true); // the pool's part is longer
    // …and the pool's goes on to its end, a step per allocation.
    const tableDone = allocations;
    while (internals._pool.sorting && allocations < tableDone + 100_000) {
      heap.newInstance(Wide);
      expect(internals._sortPhase).toBe(SORT_IDLE);
      if (++allocations % 4000 === 0) heap.verify();
    }
    expect(internals._pool.sorting).toBe(false);
    heap.verify();
  });

  it('keeps every check passing while objects are made and freed mid-sort, and ends lowest first', () => {
    const { heap, Node, sentinel } = scrambled(150_000);
    const internals = heap as unknown as { _sortPhase: number };
    const live: Ref[] = [];
    let seed = 1;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    let ops = 0;
    const step = (): void => {
      if (live.length > 0 && random() < 0.4) heap.decref(live.splice(Math.floor(random() * live.length), 1)[0]!);
      else live.push(heap.newInstance(Node));
      if (++ops % 2500 === 0) heap.verify();
    };
    step();
    expect(internals._sortPhase).not.toBe(SORT_IDLE);
    while (internals._sortPhase !== SORT_IDLE) step();
    for (let i = 0; i < 2500; i++) step();
    expect(internals._sortPhase).toBe(SORT_IDLE); // done
    heap.verify();
    for (const ref of live) heap.decref(ref);
    // Once a sort is done, what is left of the free list is handed out lowest first.
    const fresh = scrambled(100_000);
    const freshInternals = fresh.heap as unknown as { _sortPhase: number };
    do fresh.heap.newInstance(fresh.Node);
    while (freshInternals._sortPhase !== SORT_IDLE);
    const refs = Array.from({ length: 1000 }, () => fresh.heap.newInstance(fresh.Node));
    for (let i = 1; i < refs.length; i++) expect(refs[i]).toBeGreaterThan(refs[i - 1]!);
    fresh.heap.verify();
    heap.decref(sentinel);
  });

  it('is finished, not lost, by a trim in the middle of it', () => {
    const { heap, Node, sentinel } = scrambled(100_000);
    const internals = heap as unknown as { _sortPhase: number; _top: number };
    const before = heap.liveObjects - 1; // all but the sentinel
    const made = Array.from({ length: 100 }, () => heap.newInstance(Node));
    for (const ref of made) heap.decref(ref);
    expect(internals._sortPhase).not.toBe(SORT_IDLE); // under way
    heap.decref(sentinel); // the top empties: the release trims
    expect(internals._sortPhase).toBe(SORT_IDLE);
    heap.verify();
    expect(heap.liveObjects).toBe(before);
    expect(internals._top).toBeLessThan(1000); // given back
  });
});
