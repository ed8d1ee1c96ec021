/**
 * The seeds' leak hunt, run on refheap: a class-level cache that keeps every
 * instance alive, found three ways — tracemalloc's top allocations and
 * snapshot comparison, objgraph's growth and back-reference chain, and the
 * "coarse" process-memory check, made trustworthy by growth detection — and
 * written as a Chrome DevTools heap snapshot that shows where each object was
 * allocated.
 *
 *     npx tsx --conditions=@refheap/source packages/monitor/examples/find-a-leak.ts
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Handles, Heap } from '@refheap/core';
import { Filter, GrowthDetector, ObjGraph, Tracemalloc, renderDot } from '@refheap/monitor';
import { writeHeapSnapshot } from '@refheap/monitor/node';

export async function findALeak(
  print: (line: string) => void = console.log,
  snapshotPath = join(tmpdir(), 'find-a-leak.heaptimeline'),
): Promise<void> {
  const heap = new Heap();
  const py = new Handles(heap);

  // class LeakyContainer:
  //     cache = []
  //     def __init__(self, data):
  //         self.data = data
  //         LeakyContainer.cache.append(self)   # Leak: never removed
  const LeakyContainer = py.defineClass('LeakyContainer');
  const cls = LeakyContainer.object;
  py.scope(() => heap.setAttr(cls, 'cache', py.list().ref));
  const make = (data: string): void => {
    using obj = py.new(LeakyContainer, { data });
    heap.append(heap.getAttr(cls, 'cache'), obj.ref);
  }; // del obj

  const tracer = new Tracemalloc(heap);
  const og = new ObjGraph(heap);
  const growth = new GrowthDetector({ by: 'work', minSamples: 10, formatValue: (n) => `${n.toFixed(1)} objects` });
  tracer.start(3);
  og.growth(); // objgraph's baseline

  const before = tracer.takeSnapshot();
  for (let request = 1; request <= 200; request++) {
    make(`request ${request}`);
    if (request % 10 === 0) growth.add(request, heap.liveObjects);
  }
  const after = tracer.takeSnapshot();

  print('Top allocations (tracemalloc, key "lineno"):');
  const top = after.filterTraces([new Filter(false, '<unknown>')]).statistics('lineno');
  for (const stat of top.slice(0, 3)) print(`  ${String(stat)}`);

  print('\nWhat changed (compare_to):');
  for (const diff of after.compareTo(before, 'lineno').slice(0, 2)) print(`  ${String(diff)}`);

  print('\nGrowth since the last call (objgraph.show_growth):');
  print(og.showGrowth().trimEnd().replace(/^/gm, '  '));

  print(`\nMemory against work done: ${growth.report().summary}`);

  const [leaked] = og.byType('LeakyContainer');
  const chain = og.findBackrefChain(leaked!);
  print(`\nWhat keeps ${heap.describe(leaked!)} alive (find_backref_chain):`);
  print(`  ${chain.map((ref) => heap.typeOf(ref).name).join(' → ')}`);
  print('Where it was allocated (get_object_traceback, oldest frame first):');
  for (const line of tracer.getObjectTraceback(leaked!)!.format()) print(line);

  const svg = await renderDot(og.showBackrefs(leaked!, { maxDepth: 4 }));
  print(`\nshow_backrefs as SVG: ${svg.length} characters of <svg>, drawn by Graphviz`);

  // With the tracer, every traced object carries its allocation stack into the snapshot.
  const written = await writeHeapSnapshot(heap, snapshotPath, { tracer });
  print(`\nHeap snapshot: ${written.nodes} nodes, ${tracer.traceCount} with allocation stacks, in ${written.path}`);
  print('  (Chrome DevTools → Memory: tick "Allocation stack traces" under "Allocations on timeline", then');
  print('   Load profile; select a LeakyContainer in the Summary and open its "Allocation stack" tab)');
  tracer.stop();
}

if (import.meta.url === `file://${process.argv[1]}`) await findALeak();
