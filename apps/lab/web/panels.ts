/** The step's text panels: output and traceback, the frames, the change since the last step, the collector. */
import type { GraphDiff, ProgramGraph } from '../src/graph/program-graph.ts';
import type { ProgramState, ProgramTrace } from '../src/program/index.ts';
import { $, el } from './dom.ts';

/** Output so far; once the program has ended, what it printed at exit as python3 does. */
export function showOutput(state: ProgramState, trace: ProgramTrace): void {
  const atExit = state.finished && trace.stdout.startsWith(state.stdout) ? trace.stdout.slice(state.stdout.length) : '';
  $('output').textContent = state.stdout + atExit;
  const traceback = $('traceback');
  const stderr = state.finished ? trace.stderr : state.stderr;
  traceback.textContent = stderr;
  traceback.hidden = stderr === '';
}

export function showFrames(state: ProgramState): void {
  const list = $('frames');
  if (state.frames.length === 0) {
    list.replaceChildren(el('li', state.finished ? 'none: the program has ended' : 'none yet: press Step', 'muted'));
    return;
  }
  // Innermost first, as a traceback reads bottom-up and a debugger's stack top-down.
  list.replaceChildren(
    ...[...state.frames].reverse().map((frame, i) => {
      const item = el('li', '', i === 0 ? 'current' : '');
      item.append(el('code', frame.name), ` line ${frame.lineno}`);
      return item;
    }),
  );
}

/** Names in a sentence: repeats counted ("3 × []"), at most a few kinds, then how many more. */
function listed(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  const kinds = [...counts].map(([name, count]) => (count > 1 ? `${count} × ${name}` : name));
  const SHOWN = 6;
  return kinds.length <= SHOWN ? kinds.join(', ') : `${kinds.slice(0, SHOWN).join(', ')} and ${kinds.length - SHOWN} more kinds`;
}

const short = (node: { readonly type: string; readonly repr: string }): string => (node.repr && node.repr.length <= 24 ? node.repr : node.type);

/** The change in words, of the objects on show (the heap's own only when they are shown). */
export function describeChange(diff: GraphDiff | null, graph: ProgramGraph, previous: ProgramGraph | null, internals: boolean): string {
  if (!diff) return '';
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const before = new Map((previous?.nodes ?? []).map((n) => [n.id, n]));
  const shown = (id: string, map = byId) => internals || map.get(id)?.internal === false;
  const name = (id: string) => {
    const node = byId.get(id);
    return node ? short(node) : id;
  };
  const added = diff.added.filter((id) => shown(id));
  const freed = diff.freed.filter((f) => shown(f.id, before));
  const changed = diff.changed.filter((c) => shown(c.id));
  const parts: string[] = [];
  if (added.length > 0) parts.push(`new: ${listed(added.map(name))}`);
  if (freed.length > 0) parts.push(`freed: ${listed(freed.map(short))}`);
  if (changed.length > 0) parts.push(`count changed: ${listed(changed.map((c) => `${name(c.id)} ${c.from}→${c.to}`))}`);
  return parts.length === 0 ? 'no change to the objects drawn' : parts.join(' · ');
}

export function showCollector(graph: ProgramGraph, live: number): void {
  const rows: [string, string][] = [
    ['gc.isenabled()', graph.gc.enabled ? 'True' : 'False'],
    ['gc.get_count()', `(${graph.gc.count.join(', ')})`],
    ['gc.get_threshold()', `(${graph.gc.threshold.join(', ')})`],
    ['len(gc.garbage)', String(graph.gc.garbage)],
    ['live objects (program)', String(live)],
    ['unreachable now', String(graph.nodes.filter((n) => n.unreachable).length)],
  ];
  $('gc-table').replaceChildren(
    ...rows.map(([label, value]) => {
      const row = el('tr');
      row.append(el('th', label), el('td', value, 'value'));
      return row;
    }),
  );
}
