/**
 * The graph view's boxes as HTML: a root box of names (the globals, a frame's locals), an
 * object's box (type, id, value, counts, marks in words), and the ghost of an object freed
 * since the last step. Each is focusable with an accessible name; graph-view.ts places them.
 */
import { describeNode, titleOf } from '../src/graph/node-text.ts';
import type { CountChange, FreedNode, ProgramEdge, ProgramNode, RootGroup } from '../src/graph/program-snapshot.ts';
import { el } from './dom.ts';

/** Rows for references to hidden objects written inside the box (`.name 'a'`), at most. */
const INLINE_ROWS = 4;

/** A name's row whose arrow is drawn (its target is shown). */
export interface RootRow {
  readonly group: string;
  readonly row: HTMLElement;
  readonly target: string;
}

/** What a box needs to know of the picture: its objects by id, and which are drawn. */
export interface Shown {
  readonly byId: ReadonlyMap<string, ProgramNode>;
  readonly shown: (id: string) => boolean;
  readonly internals: boolean;
}

/** The group's names (null for globals with nothing to show); the rows with drawn arrows go to `rows`. */
export function rootBox(group: RootGroup, { byId, shown, internals }: Shown, rows: RootRow[]): HTMLElement | null {
  const names = group.names.filter((n) => internals || !n.internal);
  if (group.kind === 'globals' && names.length === 0 && !internals) return null;
  const box = el('div', '', `gv-root gv-root-${group.kind}`);
  box.setAttribute('role', 'group');
  const title = group.kind === 'frame' ? `${group.title}() · line ${group.lineno ?? '?'}` : 'globals';
  box.setAttribute('aria-label', group.kind === 'frame' ? `frame of ${group.title}, at line ${group.lineno ?? '?'}` : 'global names');
  box.append(el('div', title, 'gv-root-title'));
  if (names.length === 0) box.append(el('div', 'no names yet', 'gv-empty'));
  for (const name of names) {
    const row = el('div', '', 'gv-name');
    const target = byId.get(name.target);
    row.tabIndex = 0;
    row.dataset['key'] = `${group.id}/${name.name}`;
    row.dataset['target'] = name.target;
    row.setAttribute('role', 'button');
    row.append(el('span', name.name, 'gv-name-text'));
    if (shown(name.target)) {
      rows.push({ group: group.id, row, target: name.target });
      row.setAttribute('aria-label', `name ${name.name}, bound to ${target ? `${titleOf(target)} ${target.id}` : name.target}`);
    } else {
      const value = target ? target.repr || titleOf(target) : name.target;
      row.append(el('span', ` = ${value}`, 'gv-inline-value'));
      row.setAttribute('aria-label', `name ${name.name}, bound to ${value}${target ? `, refcount ${target.refcount}` : ''}`);
    }
    box.append(row);
  }
  return box;
}

export interface BoxState {
  readonly added: boolean;
  readonly changed: CountChange | undefined;
  readonly selected: boolean;
  /** Drawn objects whose `__class__` this is (their arrows stand hidden behind this count). */
  readonly instances: number;
}

/** An object's box; `out` its references, those to hidden objects written as rows inside it. */
export function objectBox(node: ProgramNode, state: BoxState, out: readonly ProgramEdge[], { byId, shown }: Shown): HTMLElement {
  const text = describeNode(node, state);
  const classes = ['gv-node', `gv-gen-${node.generation}`, `gv-role-${node.role}`];
  if (node.unreachable) classes.push('gv-unreachable');
  if (node.inGarbage) classes.push('gv-garbage');
  if (node.internal) classes.push('gv-internal');
  if (state.added) classes.push('gv-new');
  if (state.changed) classes.push('gv-changed');
  if (state.selected) classes.push('gv-selected');
  const box = el('div', '', classes.join(' '));
  box.tabIndex = 0;
  box.dataset['id'] = node.id;
  box.dataset['key'] = node.id;
  box.setAttribute('role', 'button');
  box.setAttribute('aria-label', text.label);
  const head = el('div', '', 'gv-title');
  head.append(el('span', text.title, 'gv-type'), el('span', text.id, 'gv-id'));
  box.append(head);
  if (text.repr) box.append(el('div', text.repr, 'gv-repr'));
  box.append(el('div', text.counts, 'gv-counts'));
  // References to hidden objects, written in the box (not the interpreter's dunders and classes).
  const inline = out.filter((e) => !shown(e.to) && e.label !== '__class__' && !/^(\.__.*__|\['__.*__'\])$/.test(e.label));
  for (const edge of inline.slice(0, INLINE_ROWS)) {
    const target = byId.get(edge.to);
    box.append(el('div', `${edge.label || '→'} ${target ? target.repr || titleOf(target) : edge.to}`, 'gv-row'));
  }
  if (inline.length > INLINE_ROWS) box.append(el('div', `and ${inline.length - INLINE_ROWS} more`, 'gv-row gv-more'));
  // Instances' arrows to their class are drawn only when one of the two is selected: a count in the box stands for them.
  if (state.instances > 0) box.append(el('div', `← __class__ of ${state.instances} object${state.instances === 1 ? '' : 's'}`, 'gv-row gv-instances'));
  if (text.marks.length > 0) {
    const marks = el('div', '', 'gv-marks');
    for (const mark of text.marks) marks.append(el('span', mark.text, `gv-mark gv-mark-${mark.kind}`));
    box.append(marks);
  }
  return box;
}

/** Where a freed object was, marked freed in words, drawn this once. */
export function ghostBox(freed: FreedNode): HTMLElement {
  const ghost = el('div', '', 'gv-node gv-ghost');
  const marks = el('div', '', 'gv-marks');
  marks.append(el('span', 'freed', 'gv-mark gv-mark-freed'));
  ghost.append(el('div', `${freed.type} ${freed.id}`, 'gv-title'), marks);
  ghost.setAttribute('role', 'note');
  ghost.setAttribute('aria-label', `freed: ${freed.type} ${freed.id}`);
  return ghost;
}
