/**
 * Incremental mode on a big heap: a kept tree of 300,000 objects and a program that makes
 * two-cycles, keeps each a while and drops it, run once with stop-the-world automatic
 * collection and once in 1 ms slices. Prints each run's longest stop, how many collections
 * of the oldest generation ran, and the most objects alive at once.
 *
 *     npx tsx --conditions=@refheap/source packages/gc/examples/incremental.ts
 */
import { Heap, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';

function run(incremental: boolean): void {
  const heap = new Heap();
  const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
  const gc = new Collector(heap, { enabled: false, incremental: incremental && { budgetMs: 1 } });

  // The kept tree: node i's children are 2i+1 and 2i+2.
  const n = 300_000;
  const nodes: Ref[] = [];
  for (let i = 0; i < n; i++) nodes.push(heap.newInstance(Node));
  for (let i = 1; i < n; i++) {
    heap.setSlot(nodes[(i - 1) >> 1]!, (i - 1) & 1, nodes[i]!);
    heap.decref(nodes[i]!);
  }
  gc.collect(); // the tree now sits in the oldest generation
  gc.enable();

  // The churn: 300,000 two-cycles, each kept for the next 5,000 and then dropped.
  const window: Ref[] = [];
  let peak = 0;
  for (let i = 0; i < 300_000; i++) {
    const x = heap.newInstance(Node);
    const y = heap.newInstance(Node);
    heap.setSlot(x, 0, y);
    heap.setSlot(y, 0, x);
    heap.decref(y);
    window.push(x);
    if (window.length > 5000) heap.decref(window.shift()!);
    if (i % 1000 === 0) peak = Math.max(peak, heap.liveObjects);
  }

  const pauses = gc.getPauses().filter((p) => p.automatic);
  const longest = Math.max(...pauses.map((p) => p.duration));
  const slices = pauses.filter((p) => p.slice).length;
  const mode = incremental ? 'incremental   ' : 'stop-the-world';
  console.log(
    `${mode}: longest stop ${longest.toFixed(2)} ms, ${gc.getStats()[2]!.collections} collections of generation 2` +
      `${incremental ? ` in ${slices} slices` : ''}, at most ${peak.toLocaleString('en-US')} objects alive`,
  );
  heap.verify(); // the heap and the collector agree with each other

  for (const x of window) heap.decref(x);
  heap.decref(nodes[0]!);
  gc.collect();
}

run(false);
run(true);
