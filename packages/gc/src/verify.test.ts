import { Handles, Heap, HeapCorruptionError } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector } from './index.ts';

describe('Heap.verify with a collector installed', () => {
  test('a consistent heap passes, before and after collections of every generation', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const gc = new Collector(heap, { enabled: false });
    const Node = py.defineClass('Node', { slots: ['next'] });
    const keep = py.list();
    for (let i = 0; i < 50; i++) {
      const a = py.new(Node);
      const b = py.new(Node, { next: a });
      a.set('next', b);
      if (i % 3 === 0) keep.append(a);
      a.release();
      b.release();
    }
    heap.verify();
    for (const generation of [0, 1, 2, 0, 2]) {
      gc.collect(generation);
      heap.verify();
    }
    gc.freeze();
    heap.verify();
    gc.unfreeze();
    heap.verify();
  });

  test('a count below the references the heap itself holds is reported, naming the object', () => {
    const heap = new Heap();
    new Collector(heap, { enabled: false });
    const inner = heap.newList();
    const a = heap.newList([inner]);
    const b = heap.newList([inner]);
    heap.decref(inner); // now only a and b hold it: count 2
    heap.verify();
    heap.refcounts[inner] = 1; // what an unbalanced decref in a native type would leave behind
    expect(() => heap.verify()).toThrow(HeapCorruptionError);
    expect(() => heap.verify()).toThrow(/<list object at 0x[0-9a-f]+>: has a count of 1 but the heap itself holds 2/);
    heap.refcounts[inner] = 2;
    heap.verify();
    heap.decref(a);
    heap.decref(b);
    heap.verify();
  });
});
