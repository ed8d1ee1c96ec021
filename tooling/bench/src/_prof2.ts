import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { buildTree } from './workloads/gc-live-scan.ts';
const N = 1_000_000;
const fresh = process.argv[2] === 'fresh';
let heap = new Heap(); let Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] }); let gc = new Collector(heap, { enabled: false });
const c: string[] = [], b: string[] = [], f: string[] = [];
for (let r = 0; r < 10; r++) {
  if (fresh) { heap = new Heap(); Node = heap.defineClass('Node', { slots: ['a', 'b', '__weakref__'] }); gc = new Collector(heap, { enabled: false }); }
  gc.collect();
  let t = process.hrtime.bigint();
  const root = buildTree(heap, Node, N);
  b.push((Number(process.hrtime.bigint() - t) / N).toFixed(0));
  t = process.hrtime.bigint();
  gc.collect();
  c.push((Number(process.hrtime.bigint() - t) / N).toFixed(0));
  t = process.hrtime.bigint();
  heap.decref(root);
  f.push((Number(process.hrtime.bigint() - t) / N).toFixed(0));
}
console.log(fresh ? 'fresh ' : 'reused', 'build', b.join(' '), '| collect', c.join(' '), '| free', f.join(' '));
