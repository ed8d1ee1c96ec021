/**
 * The change between two pictures of a program's heap, by object identity: an id with a new
 * serial is a new object in a reused slot (the old one freed), as CPython reuses addresses.
 */
import type { CountChange, FreedNode, GraphDiff, ProgramGraph, ProgramNode } from './program-graph.ts';

export function diffGraphs(previous: ProgramGraph | null, next: ProgramGraph): GraphDiff {
  if (previous === null) return { added: next.nodes.map((n) => n.id), freed: [], changed: [] };
  const before = new Map<string, ProgramNode>(previous.nodes.map((n) => [n.id, n]));
  const after = new Map<string, ProgramNode>(next.nodes.map((n) => [n.id, n]));
  const added: string[] = [];
  const changed: CountChange[] = [];
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old || old.serial !== node.serial) added.push(node.id);
    else if (old.refcount !== node.refcount) changed.push({ id: node.id, from: old.refcount, to: node.refcount });
  }
  const freed: FreedNode[] = [];
  for (const node of previous.nodes) {
    const now = after.get(node.id);
    // Gone from the picture is not freed when the picture only stopped showing it (past the cap).
    if (now && now.serial === node.serial) continue;
    if (!now && next.omitted > 0) continue;
    // The heap's own outlive the program (an interned str, a small int): they leave the picture, not the heap.
    if (!now && node.internal) continue;
    freed.push({ id: node.id, type: node.type, repr: node.repr });
  }
  return { added, freed, changed };
}
