/**
 * Every seed example stepped line by line, its heap pictured at each line event (up to 150 a
 * program): the pictures hold together — no arrow to an object not drawn, every name's object
 * drawn, every object drawn pointed at (or unreachable, or held by the interpreter), and every object's count accounted for by the arrows and names drawn plus what the
 * interpreter holds (a library's objects, hidden, may hold more: contextlib's code in seed 11).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgramGraph } from './program-snapshot.ts';
import { snapshotLines } from './test-support/snapshots.ts';

const seeds = dirname(createRequire(import.meta.url).resolve('@refheap/python/examples/seeds/seed_01_getrefcount_list.py'));
const files = readdirSync(seeds).filter((f) => f.endsWith('.py')).sort();
/** Programs whose objects a Python-written library module's code also holds. */
const LIBRARY_CODE = new Set(['seed_11_resource_pool_weakset.py']);

/** `# snap` on every line (a line event on each), as many as the program runs up to `limit`. */
function everyLine(source: string): string {
  return source
    .split('\n')
    .map((line) => (line.trim() === '' || line.trimEnd().endsWith('\\') ? line : `${line}  # snap`))
    .join('\n');
}

function problems(graph: ProgramGraph, exact: boolean): string[] {
  const out: string[] = [];
  const ids = new Set(graph.nodes.map((n) => n.id));
  if (ids.size !== graph.nodes.length) out.push('an id drawn twice');
  for (const e of graph.edges) if (!ids.has(e.from) || !ids.has(e.to)) out.push(`arrow ${e.from} → ${e.to} to nothing`);
  const names = graph.roots.flatMap((r) => r.names);
  for (const n of names) if (!ids.has(n.target) && graph.omitted === 0) out.push(`name ${n.name} bound to nothing drawn`);
  // Every object drawn is pointed at, or drawn for a reason of its own.
  const pointedAt = new Set([...graph.edges.map((e) => e.to), ...names.map((n) => n.target)]);
  for (const node of graph.nodes) {
    if (node.internal || pointedAt.has(node.id) || node.unreachable || node.role === 'garbage-list' || node.heldElsewhere > 0) continue;
    out.push(`${node.type} ${node.id} drawn with nothing pointing at it`);
  }
  if (graph.omitted > 0 || graph.nodes.some((n) => n.omittedEdges > 0)) return out;
  for (const node of graph.nodes) {
    if (node.internal) continue;
    const shown = graph.edges.filter((e) => e.to === node.id && !e.weak).length + names.filter((n) => n.target === node.id).length;
    const accounted = shown + node.heldElsewhere;
    if (exact ? accounted !== node.refcount : accounted > node.refcount) out.push(`${node.type} ${node.id}: ${shown} drawn + ${node.heldElsewhere} held by the interpreter, refcount ${node.refcount}`);
  }
  return out;
}

describe('the seeds, pictured at every line', () => {
  it.each(files)('%s', (file) => {
    const source = readFileSync(join(seeds, file), 'utf8');
    // A comment after a line does not change what it does; a line inside a string would, and the seeds have none spanning lines.
    const marked = source.includes('"""') || source.includes("'''") ? source : everyLine(source);
    const { graphs, error } = snapshotLines(marked, 150);
    expect(error).toBeNull();
    expect(graphs.length).toBeGreaterThan(0);
    const found = graphs.flatMap((g, step) => problems(g, !LIBRARY_CODE.has(file)).map((p) => `step ${step}: ${p}`));
    expect(found).toEqual([]);
    expect(structuredClone(graphs.at(-1))).toEqual(graphs.at(-1));
  });
});
