/**
 * A heap graph as Graphviz DOT, for the page to lay out and draw with
 * @viz-js/viz: names as plain labels on the left, objects as boxes labelled with
 * type, id and count, filled by generation; unreachable objects red, objects in
 * gc.garbage dark red; weak references dashed.
 */
import type { GraphNode, HeapGraph } from './snapshot.ts';

export const COLORS = {
  gen0: '#cfe8ff',
  gen1: '#d4f0c8',
  gen2: '#fff0b8',
  permanent: '#e2e2ea',
  untracked: '#f4f4f5',
  atom: '#ffffff',
  unreachable: '#ff9c9c',
  unreachableBorder: '#c81e1e',
  garbage: '#8b1c1c',
  border: '#52525b',
  name: '#1d4ed8',
} as const;

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

function fill(node: GraphNode): string {
  if (node.inGarbage) return COLORS.garbage;
  if (node.unreachable) return COLORS.unreachable;
  switch (node.generation) {
    case 0:
      return COLORS.gen0;
    case 1:
      return COLORS.gen1;
    case 2:
      return COLORS.gen2;
    default:
      return COLORS[node.generation];
  }
}

function nodeLine(node: GraphNode): string {
  const lines = [node.type, node.id, `refcount ${node.refcount}`];
  if (node.repr) lines.splice(1, 0, node.repr);
  const attrs = [
    `id=${quote(`obj-${node.id}`)}`,
    `label=${quote(lines.join('\n'))}`,
    `fillcolor=${quote(fill(node))}`,
    `class=${quote(['obj', node.unreachable ? 'unreachable' : '', node.inGarbage ? 'garbage' : '', `gen-${node.generation}`].filter(Boolean).join(' '))}`,
  ];
  if (node.generation === 'atom') attrs.push('shape=ellipse', 'style=filled', `color=${quote('#a1a1aa')}`);
  if (node.unreachable) attrs.push(`color=${quote(COLORS.unreachableBorder)}`, 'penwidth=2.2');
  if (node.inGarbage) attrs.push(`fontcolor=${quote('#ffffff')}`, 'penwidth=2.2');
  return `  ${quote(node.id)} [${attrs.join(', ')}];`;
}

export function toDot(graph: HeapGraph): string {
  const out = [
    'digraph heap {',
    '  graph [rankdir=LR, bgcolor="transparent", nodesep=0.3, ranksep=0.55, fontname="Helvetica"];',
    `  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10, color=${quote(COLORS.border)}];`,
    '  edge [fontname="Helvetica", fontsize=9, color="#3f3f46", arrowsize=0.7];',
  ];
  for (const { name } of graph.names) {
    out.push(`  ${quote(`name:${name}`)} [id=${quote(`name-${name}`)}, class="name", shape=plaintext, style="", fontsize=13, fontcolor=${quote(COLORS.name)}, label=${quote(name)}];`);
  }
  for (const node of graph.nodes) out.push(nodeLine(node));
  for (const { name, target } of graph.names) {
    out.push(`  ${quote(`name:${name}`)} -> ${quote(target)} [color=${quote(COLORS.name)}, class="binding"];`);
  }
  graph.edges.forEach((edge, i) => {
    const attrs = [`id=${quote(`edge-${i}`)}`, `class=${quote(edge.weak ? 'ref weak' : 'ref')}`];
    if (edge.label) attrs.push(`label=${quote(edge.label)}`);
    if (edge.weak) attrs.push('style=dashed', `color=${quote('#7c3aed')}`, `fontcolor=${quote('#7c3aed')}`);
    out.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${attrs.join(', ')}];`);
  });
  if (graph.nodes.length === 0 && graph.names.length === 0) out.push('  empty [shape=plaintext, style="", label="(no objects yet)"];');
  out.push('}');
  return out.join('\n');
}
