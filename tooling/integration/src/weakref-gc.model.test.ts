/**
 * A property test over random object graphs with cycles, weak references held from outside
 * and weak references stored inside the graph: after a full collection, exactly what is
 * reachable from the held handles is alive; every outside weak reference is dead exactly
 * when its referent is, and has called back exactly once then, never otherwise; no callback
 * ever runs twice; a weak reference kept by a live object calls back when its referent dies; and
 * the heap, the collector and the weakref table all verify.
 */
import { Heap, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Weakrefs } from '@refheap/weakref';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

interface Program {
  readonly objects: number;
  readonly edges: readonly (readonly [number, number])[];
  readonly outside: readonly number[];
  readonly inside: readonly (readonly [number, number])[];
  readonly dropped: readonly number[];
  readonly collectEvery: number;
}

const program = fc.integer({ min: 2, max: 24 }).chain((objects) =>
  fc.record({
    objects: fc.constant(objects),
    edges: fc.array(fc.tuple(fc.nat(objects - 1), fc.nat(objects - 1)), { maxLength: objects * 2 }),
    outside: fc.array(fc.nat(objects - 1), { maxLength: objects }),
    inside: fc.array(fc.tuple(fc.nat(objects - 1), fc.nat(objects - 1)), { maxLength: objects }),
    dropped: fc.shuffledSubarray(Array.from({ length: objects }, (_, i) => i)),
    collectEvery: fc.integer({ min: 1, max: 8 }),
  }),
);

function reachable(p: Program): Set<number> {
  const out = new Map<number, number[]>();
  for (const [from, to] of p.edges) out.set(from, [...(out.get(from) ?? []), to]);
  const dropped = new Set(p.dropped);
  const seen = new Set<number>();
  const stack = Array.from({ length: p.objects }, (_, i) => i).filter((i) => !dropped.has(i));
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (seen.has(i)) continue;
    seen.add(i);
    stack.push(...(out.get(i) ?? []));
  }
  return seen;
}

describe('weak references over random graphs, with the collector', () => {
  it('after a full collection, weak references agree with reachability and callbacks ran exactly once', () => {
    fc.assert(
      fc.property(program, (p) => {
        const heap = new Heap({
          unraisable: (info) => {
            throw info.error;
          },
        });
        const gc = new Collector(heap, { enabled: false });
        const weakrefs = Weakrefs.of(heap);
        const A = heap.defineClass('A');
        const objs: Ref[] = Array.from({ length: p.objects }, () => heap.newInstance(A));
        const serials = objs.map((o) => heap.serialOf(o));
        p.edges.forEach(([from, to], k) => heap.setAttr(objs[from]!, `e${k}`, objs[to]!));
        const outsideCalls = p.outside.map(() => 0);
        const outside = p.outside.map((target, k) => weakrefs.ref(objs[target]!, () => outsideCalls[k]!++));
        const insideCalls = p.inside.map(() => 0);
        p.inside.forEach(([holder, target], k) => {
          // (Its holder may be mid-deallocation when it calls back: a holder freed by counting
          // releases its attributes in order, and the target may go first — as in CPython.)
          const wr = weakrefs.ref(objs[target]!, () => insideCalls[k]!++);
          heap.setAttr(objs[holder]!, `w${k}`, wr);
          heap.decref(wr);
        });
        p.dropped.forEach((i, step) => {
          heap.decref(objs[i]!);
          if (step % p.collectEvery === 0) gc.collect(step % 3);
        });
        gc.collect();
        heap.verify();
        const live = reachable(p);
        const isAlive = (i: number): boolean => heap.isAlive(objs[i]!) && heap.serialOf(objs[i]!) === serials[i];
        for (let i = 0; i < p.objects; i++) expect(isAlive(i)).toBe(live.has(i));
        p.outside.forEach((target, k) => {
          expect(weakrefs.deref(outside[k]!)).toBe(live.has(target) ? objs[target] : 0);
          expect(outsideCalls[k]).toBe(live.has(target) ? 0 : 1);
        });
        for (const calls of insideCalls) expect(calls).toBeLessThanOrEqual(1);
        p.inside.forEach(([holder, target], k) => {
          if (live.has(target)) expect(insideCalls[k]).toBe(0);
          if (live.has(holder) && !live.has(target)) expect(insideCalls[k]).toBe(1);
        });
        for (const wr of outside) heap.decref(wr);
        for (let i = 0; i < p.objects; i++) if (live.has(i) && !p.dropped.includes(i)) heap.decref(objs[i]!);
        gc.collect();
        expect(weakrefs.count).toBe(0);
        heap.verify();
      }),
      { numRuns: 200 },
    );
  });
});
