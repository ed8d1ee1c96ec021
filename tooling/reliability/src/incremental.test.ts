/**
 * Incremental cycles with weak references and the metrics: what a slice-by-slice cycle does
 * to the same garbage must be what a stop-the-world collection does — the same weakref
 * callbacks and finalizers, in the same order — on twin heaps built alike; hostile
 * callbacks that resurrect and relink during a cycle leave a consistent heap; and every slice
 * reaches the Prometheus pause histogram.
 */
import { Heap, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { refheapMetrics } from '@refheap/monitor';
import { Weakrefs } from '@refheap/weakref';
import { describe, expect, test } from 'vitest';

/** A heap with garbage cycles whose members have finalizers and weak references with callbacks; returns what ran, in order. */
function twin(incremental: boolean) {
  const heap = new Heap();
  const gc = new Collector(heap, { enabled: false, incremental });
  const weakrefs = Weakrefs.of(heap);
  const log: string[] = [];
  const Fin = heap.defineClass('Fin', {
    slots: ['a', 'b', 'name', '__weakref__'],
    finalize: (h, self) => void log.push(`del ${String(h.valueOf(h.getSlot(self, 2)))}`),
  });
  const Plain = heap.defineClass('Plain', { slots: ['a', 'b', 'name', '__weakref__'] });
  const held: Ref[] = [];
  const objs: Ref[] = [];
  for (let i = 0; i < 40; i++) {
    const o = heap.newInstance(i % 3 === 0 ? Fin : Plain);
    const name = heap.newStr(`o${i}`);
    heap.setSlot(o, 2, name);
    heap.decref(name);
    objs.push(o);
    // A weak reference held from outside (its callback is due), or none.
    if (i % 2 === 0) held.push(weakrefs.ref(o, () => void log.push(`cb o${i}`)));
    if (i === 15) gc.collect(0);
    if (i === 30) gc.collect(1);
  }
  for (let i = 0; i < 40; i++) {
    heap.setSlot(objs[i]!, 0, objs[(i * 11 + 5) % 40]!);
    if (i % 5 === 0) heap.setSlot(objs[i]!, 1, objs[(i + 2) % 40]!);
  }
  const kept = objs[7]!; // keeps whatever it reaches
  for (const o of objs) if (o !== kept) heap.decref(o);
  return { heap, gc, log, held, kept };
}

describe('incremental cycles with weak references', () => {
  test('weakref callbacks and finalizers run in the order a stop-the-world collection runs them, on twin heaps', () => {
    for (const work of [1, 7, 1000]) {
      const stw = twin(false);
      const inc = twin(true);
      stw.gc.collect();
      let slices = 0;
      while (!inc.gc.collectStep(work)) {
        inc.heap.verify();
        slices++;
      }
      expect(slices).toBeGreaterThan(work === 1000 ? -1 : 3);
      expect(stw.log.some((l) => l.startsWith('cb'))).toBe(true);
      expect(stw.log.some((l) => l.startsWith('del'))).toBe(true);
      expect(inc.log).toEqual(stw.log);
      expect(inc.heap.liveObjects).toBe(stw.heap.liveObjects);
      expect(inc.gc.getStats()[2]!.collected).toBe(stw.gc.getStats()[2]!.collected);
    }
  });

  test('hostile callbacks during a cycle — resurrecting through the weak reference, relinking, dropping — leave a consistent heap and free the rest', () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false, incremental: true });
    const weakrefs = Weakrefs.of(heap);
    const keep = heap.newList();
    const Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] });
    const wrs: Ref[] = [];
    const pair = (): [Ref, Ref] => {
      const x = heap.newInstance(Node);
      const y = heap.newInstance(Node);
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      return [x, y];
    };
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 4; i++) {
        const [x, y] = pair();
        // Between slices the program brings one back through a weak reference; the callbacks of
        // those collected link new objects in and drop old ones.
        wrs.push(
          weakrefs.ref(x, () => {
            const [p, q] = pair();
            heap.append(keep, p);
            heap.decref(p);
            heap.decref(q);
            if (heap.length(keep) > 3) heap.deleteItem(keep, 0);
          }),
        );
        heap.decref(x);
        heap.decref(y);
      }
      let step = 0;
      while (!gc.collectStep(2)) {
        if (step++ === 3) {
          const back = weakrefs.deref(wrs[wrs.length - 1]!);
          if (back !== 0) heap.append(keep, back);
        }
        heap.verify();
      }
      heap.verify();
    }
    for (const wr of wrs) heap.decref(wr);
    heap.decref(keep);
    gc.collect();
    expect(gc.collect()).toBe(0);
    heap.verify();
  });

  test('every slice reaches the Prometheus pause histogram (generation 2)', async () => {
    const heap = new Heap();
    const gc = new Collector(heap, { enabled: false, incremental: true });
    const metrics = refheapMetrics({ heap, collector: gc });
    const Node = heap.defineClass('Node', { slots: ['a'] });
    for (let i = 0; i < 50; i++) {
      const x = heap.newInstance(Node);
      heap.setSlot(x, 0, x);
      heap.decref(x);
    }
    await metrics(); // the histogram takes in only pauses it has not seen
    let slices = 0;
    do slices++;
    while (!gc.collectStep(5));
    const family = (await metrics()).find((f) => f.name === 'refheap_gc_pause_seconds')!;
    const count = family.samples.find((s) => s.name === 'refheap_gc_pause_seconds_count' && s.labels?.['generation'] === '2');
    expect(count?.value).toBe(slices);
    expect(gc.getPauses().filter((p) => p.slice)).toHaveLength(slices);
  });
});
