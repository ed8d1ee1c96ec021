/**
 * What the graph view writes on an object's box and reads out for it: type and id, value,
 * count and generation, the marks (new, count changed, unreachable, in gc.garbage, held by the
 * interpreter — a running loop, a code object's constants, its class table —, references left out) as words — never colour alone — and one accessible name
 * holding all of it, e.g. "list 0x7f0000005a90, refcount 2, generation 0, unreachable".
 */
import type { CountChange, Generation, ProgramNode } from './program-graph.ts';

export type MarkKind = 'new' | 'changed' | 'unreachable' | 'garbage' | 'outside' | 'omitted' | 'freed';

export interface Mark {
  readonly kind: MarkKind;
  readonly text: string;
}

export interface NodeText {
  readonly title: string;
  readonly id: string;
  readonly repr: string;
  readonly counts: string;
  readonly marks: readonly Mark[];
  readonly label: string;
}

const generationText = (generation: Generation): string =>
  typeof generation === 'number' ? `gen ${generation}` : generation === 'atom' ? 'not tracked (atom)' : generation;

const generationSpoken = (generation: Generation): string =>
  typeof generation === 'number' ? `generation ${generation}` : generation === 'atom' ? 'an atom, not tracked' : generation;

export function titleOf(node: ProgramNode): string {
  if (node.role === 'garbage-list') return 'gc.garbage';
  if (node.role === 'class') return node.repr.replace(/^<class '(.*)'>$/, 'class $1');
  return node.type;
}

export function describeNode(node: ProgramNode, change: { added: boolean; changed: CountChange | undefined }): NodeText {
  const marks: Mark[] = [];
  if (change.added) marks.push({ kind: 'new', text: 'new' });
  if (change.changed) marks.push({ kind: 'changed', text: `refcount ${change.changed.from} → ${change.changed.to}` });
  if (node.unreachable) marks.push({ kind: 'unreachable', text: 'unreachable' });
  if (node.inGarbage) marks.push({ kind: 'garbage', text: 'in gc.garbage' });
  if (node.heldElsewhere > 0 && !node.internal) {
    marks.push({ kind: 'outside', text: `+${node.heldElsewhere} held by the interpreter` });
  }
  if (node.omittedEdges > 0) marks.push({ kind: 'omitted', text: `and ${node.omittedEdges} more references` });
  const title = titleOf(node);
  const repr = node.role === 'class' || node.role === 'garbage-list' ? '' : node.repr;
  const counts = `refcount ${node.refcount} · ${generationText(node.generation)}`;
  const spoken = [
    `${title} ${node.id}`,
    repr ? `value ${repr}` : '',
    `refcount ${node.refcount}`,
    generationSpoken(node.generation),
    ...marks.map((m) => m.text.replace('→', 'to')),
    node.internal ? "the heap's own object" : '',
  ].filter(Boolean);
  return { title, id: node.id, repr, counts, marks, label: spoken.join(', ') };
}
