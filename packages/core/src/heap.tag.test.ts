/**
 * A heap's tag is the high part of every id it hands out. By default each living heap has its
 * own, so ids never collide; naming one makes every fresh heap built the same way give the same
 * ids — what a replayed program needs when the last run's heap is still awaiting JS's collector.
 */
import { describe, expect, it } from 'vitest';
import { Heap } from './index.ts';

describe('HeapOptions.tag', () => {
  it('gives two heaps alive at once different tags by default', () => {
    const a = new Heap();
    const b = new Heap();
    expect(a.tag).not.toBe(b.tag);
    expect(a.hexId(a.newList())).not.toBe(b.hexId(b.newList()));
  });

  it('gives the same ids to the same allocations on heaps that name the same tag', () => {
    const build = (): string[] => {
      const heap = new Heap({ tag: 7 });
      const list = heap.newList();
      const dict = heap.newDict();
      return [heap.hexId(list), heap.hexId(dict)];
    };
    const first = build();
    expect(build()).toEqual(first);
    expect(first[0]).toMatch(/^0x7f07/);
  });

  it('refuses a tag that is not a small non-negative integer, naming the option', () => {
    for (const tag of [-1, 256, 1.5, Number.NaN]) {
      expect(() => new Heap({ tag })).toThrow(/HeapOptions\.tag must be an integer from 0 to 255/);
    }
  });
});
