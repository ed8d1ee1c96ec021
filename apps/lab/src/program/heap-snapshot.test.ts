import { expect, it } from 'vitest';
import { heapSnapshotAt } from './heap-snapshot.ts';
import { stateAt } from './state.ts';
import { traceProgram } from './trace.ts';

interface Snapshot {
  snapshot: { node_count: number; meta: { node_fields: string[] } };
  nodes: number[];
  strings: string[];
}

const SOURCE = 'class A:\n    pass\n\nclass B:\n    pass\n\na = A()\na.b = B()\na.b.a = a\ndel a\n';

/** Nodes by name (an instance is named by its type; the class object by its name too). */
function named(text: string, name: string): number {
  const snapshot = JSON.parse(text) as Snapshot;
  const fields = snapshot.snapshot.meta.node_fields.length;
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields) if (snapshot.strings[snapshot.nodes[i + 1]!] === name) count++;
  return count;
}

it('holds the objects the program has at that step, and not those it has not made yet', () => {
  const after = (line: number) => traceProgram(SOURCE).steps.find((s) => s.lineno === line)!.step;
  const before = named(heapSnapshotAt(SOURCE, after(7)), 'B'); // a = A(): no B instance yet
  expect(named(heapSnapshotAt(SOURCE, after(8)), 'B')).toBe(before + 1);
  // After `del a` the pair is garbage but not collected: still in the snapshot, as in the graph.
  expect(named(heapSnapshotAt(SOURCE, after(10)), 'B')).toBe(before + 1);
  expect(named(heapSnapshotAt(SOURCE, after(10)), 'A')).toBe(named(heapSnapshotAt(SOURCE, after(5)), 'A') + 1);
  expect(stateAt(SOURCE, after(10)).graph.nodes.filter((n) => n.type === 'A' || n.type === 'B').every((n) => n.unreachable)).toBe(true);
});
