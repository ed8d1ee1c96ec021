/**
 * Serials: what tells an index's occupants apart (handles, ids, the lab's graph). Given out
 * when first asked, or at birth on a heap for replays; never the same for two occupants.
 */
import { describe, expect, it } from 'vitest';
import { Flag, Heap } from './index.ts';

describe('serialOf', () => {
  it('numbers an object when first asked, keeps the number for its life, and never gives it to the next occupant', () => {
    const heap = new Heap();
    const a = heap.newList();
    expect(heap.flags[a]! & Flag.Numbered).toBe(0);
    const serial = heap.serialOf(a);
    expect(heap.flags[a]! & Flag.Numbered).not.toBe(0);
    expect(heap.serialOf(a)).toBe(serial);
    heap.decref(a);
    expect(heap.serialOf(a)).toBe(0); // a free index has none
    const b = heap.newList();
    expect(b).toBe(a);
    expect(heap.flags[b]! & Flag.Numbered).toBe(0);
    expect(heap.serialOf(b)).toBeGreaterThan(serial);
    heap.decref(b);
    heap.verify();
  });

  it('on a heap for replays, numbers every object at birth: the numbers do not depend on when they are asked', () => {
    const run = (askEarly: boolean): number[] => {
      const heap = new Heap({ tag: 7 });
      const made = [heap.newList(), heap.newDict()];
      if (askEarly) heap.serialOf(made[1]!);
      made.push(heap.newTuple([made[0]!]));
      heap.decref(made[0]!); // still held by the tuple
      made.push(heap.newList());
      return [heap.serialOf(heap.None), ...made.map((ref) => heap.serialOf(ref))];
    };
    expect(run(true)).toEqual(run(false));
    expect(new Set(run(false)).size).toBe(5);
  });

  it('the mode can be named either way, whatever the tag', () => {
    const lazy = new Heap({ tag: 8, serials: 'when-asked' });
    expect(lazy.flags[lazy.newList()]! & Flag.Numbered).toBe(0);
    const eager = new Heap({ serials: 'at-birth' });
    expect(eager.flags[eager.newList()]! & Flag.Numbered).not.toBe(0);
  });
});
