/**
 * The heap graph of a running program, drawn as HTML boxes over an SVG of arrows. Boxes and
 * text stay one size at every zoom (pan and zoom move and spread them: wheel, pinch, drag, the
 * + − fit buttons, or + − 0 keys), objects keep their places from one step to the next
 * (src/graph/layout.ts), and every box is reachable by keyboard: Tab in order, arrow keys along
 * the references (→ what it holds, ← what holds it, ↑ ↓ the column), Enter selects.
 *
 * `new GraphView(container, { onSelect })`, `await view.init()`, `view.draw(graph, diff)`,
 * `view.showInternals(on)`; `view.renders` counts draws for tests.
 */
import './graph.css';
import { edgeCurve, type Rect } from '../src/graph/edge-path.ts';
import { columnX, StableLayout, type LayoutLink, type LayoutNode, type Placement } from '../src/graph/layout.ts';
import { describeNode, titleOf } from '../src/graph/node-text.ts';
import type { CountChange, GraphDiff, ProgramEdge, ProgramGraph, ProgramNode, RootGroup } from '../src/graph/program-snapshot.ts';
import { Viewport } from '../src/graph/viewport.ts';

export interface GraphViewOptions {
  /** An object's id, when it is clicked or chosen with Enter. */
  readonly onSelect?: ((id: string) => void) | undefined;
}

const SVG = 'http://www.w3.org/2000/svg';
/** The names' column (root boxes are at most this wide) and the gap after it, in screen pixels; narrower on a phone. */
const ROOT_COLUMN = { wide: 190 + 50, narrow: 140 + 40 };
/** Rows for references to hidden objects written inside the box (`.name 'a'`), at most. */
const INLINE_ROWS = 4;

interface Arrow {
  readonly from: string;
  readonly to: string;
  /** Offset of the leaving point from the source box's top; its middle when null. */
  readonly fromOffset: number | null;
  readonly weak: boolean;
  readonly lane: number;
  readonly path: SVGPathElement;
  readonly label: SVGTextElement | null;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

export class GraphView {
  /** How many times the graph has been drawn (tests wait on it). */
  renders = 0;
  readonly #container: HTMLElement;
  readonly #onSelect: (id: string) => void;
  readonly #layout = new StableLayout();
  readonly #viewport = new Viewport();
  #frame: HTMLElement | null = null;
  #arrows: SVGGElement | null = null;
  #labels: SVGGElement | null = null;
  #boxes: HTMLElement | null = null;
  #note: HTMLElement | null = null;
  #zoomText: HTMLElement | null = null;
  #graph: ProgramGraph | null = null;
  #diff: GraphDiff | undefined;
  #internals = false;
  #selected: string | null = null;
  #placed = new Map<string, Placement>();
  #elements = new Map<string, HTMLElement>();
  /** Box sizes as drawn now (compact boxes are smaller than the layout's). */
  #sizes = new Map<string, { width: number; height: number }>();
  /** Screen pixels the names' column and its gap take, left of the first column of objects (drawn unscaled). */
  #rootColumn = ROOT_COLUMN.wide;
  #drawn: Arrow[] = [];
  #pending = 0;

  constructor(container: HTMLElement, options: GraphViewOptions = {}) {
    this.#container = container;
    this.#onSelect = options.onSelect ?? (() => undefined);
  }

  async init(): Promise<void> {
    await Promise.resolve();
    const frame = element('div', 'gv');
    frame.setAttribute('role', 'group');
    frame.setAttribute('aria-label', 'Heap graph');
    frame.dataset['testid'] = 'heap-graph';
    const surface = svg('svg', { class: 'gv-arrows', 'aria-hidden': 'true' });
    surface.append(svg('defs', {}));
    surface.firstChild!.appendChild(this.#marker('gv-head', 'gv-head'));
    surface.firstChild!.appendChild(this.#marker('gv-head-weak', 'gv-head gv-weak'));
    surface.firstChild!.appendChild(this.#marker('gv-head-on', 'gv-head gv-on'));
    this.#arrows = svg('g', {});
    this.#labels = svg('g', { class: 'gv-labels' });
    surface.append(this.#arrows, this.#labels);
    this.#boxes = element('div', 'gv-boxes');
    const tools = element('div', 'gv-tools');
    tools.setAttribute('role', 'toolbar');
    tools.setAttribute('aria-label', 'Zoom the heap graph');
    const button = (text: string, label: string, act: () => void): HTMLButtonElement => {
      const b = element('button', 'gv-tool', text);
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.title = label;
      b.addEventListener('click', act);
      return b;
    };
    this.#zoomText = element('span', 'gv-zoom', '100%');
    this.#zoomText.setAttribute('aria-live', 'polite');
    tools.append(
      button('−', 'Zoom out', () => this.#zoomBy(1 / 1.25)),
      this.#zoomText,
      button('+', 'Zoom in', () => this.#zoomBy(1.25)),
      button('Fit', 'Fit the whole graph', () => this.fit()),
      button('Tidy', 'Lay the graph out afresh', () => this.tidy()),
    );
    this.#note = element('p', 'gv-note');
    frame.append(surface, this.#boxes, tools, this.#note);
    this.#container.replaceChildren(frame);
    this.#frame = frame;
    this.#listen(frame);
    // Drawn while hidden (boxes measured as 0) or moved across the phone width: draw again at the new size.
    let width = frame.clientWidth;
    new ResizeObserver(() => {
      const now = frame.clientWidth;
      const crossed = (width < 520) !== (now < 520);
      const appeared = width === 0 && now > 0;
      width = now;
      if (appeared) this.#layout.reset(); // places measured at size 0 mean nothing
      if (this.#graph && (crossed || appeared)) this.#render();
    }).observe(frame);
  }

  draw(graph: ProgramGraph, diff?: GraphDiff): void {
    if (!this.#frame) throw new Error('GraphView.draw: await view.init() first');
    this.#graph = graph;
    this.#diff = diff;
    this.#render();
  }

  showInternals(on: boolean): void {
    this.#internals = on;
    if (this.#graph) this.#render();
  }

  /** The whole graph in view (zooming out no further than the view's minimum). */
  fit(): void {
    const frame = this.#frame;
    if (!frame) return;
    let left = columnX(1);
    let top = 0;
    let right = left;
    let bottom = 0;
    let box = { width: 0, height: 0 };
    for (const [id, p] of this.#placed) {
      if (id.startsWith('root:') || id.startsWith('ghost:')) continue;
      left = Math.min(left, p.x);
      top = Math.min(top, p.y);
      right = Math.max(right, p.x + p.width);
      bottom = Math.max(bottom, p.y + p.height);
      box = { width: Math.max(box.width, p.width), height: Math.max(box.height, p.height) };
    }
    this.#viewport.fit({ left, top, right, bottom }, box, frame.clientWidth, frame.clientHeight, this.#rootColumn);
    this.#schedule();
  }

  /** Lays everything out afresh (places are otherwise kept for as long as the objects live). */
  tidy(): void {
    this.#layout.reset();
    if (this.#graph) this.#render();
  }

  /** The zoom now (1 is the layout's own spacing). */
  get zoom(): number {
    return this.#viewport.zoom;
  }

  #marker(id: string, className: string): SVGMarkerElement {
    const marker = svg('marker', { id, class: className, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
    return marker;
  }

  #render(): void {
    const graph = this.#graph!;
    const boxes = this.#boxes!;
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset['key'];
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const shown = (id: string): boolean => {
      const node = byId.get(id);
      return node !== undefined && (this.#internals || !node.internal);
    };
    const visible = graph.nodes.filter((n) => shown(n.id));
    const added = new Set(this.#diff?.added ?? []);
    const changed = new Map<string, CountChange>((this.#diff?.changed ?? []).map((c) => [c.id, c]));

    this.#elements = new Map();
    const fragment = document.createDocumentFragment();
    const layoutNodes: LayoutNode[] = [];
    const links: LayoutLink[] = [];
    const rootRows: { group: string; row: HTMLElement; target: string }[] = [];
    for (const group of graph.roots) {
      const box = this.#rootBox(group, byId, shown, rootRows);
      if (!box) continue;
      fragment.append(box);
      this.#elements.set(group.id, box);
    }
    const outgoing = new Map<string, ProgramEdge[]>();
    for (const edge of graph.edges) {
      const list = outgoing.get(edge.from);
      if (list) list.push(edge);
      else outgoing.set(edge.from, [edge]);
    }
    const instances = new Map<string, number>();
    for (const edge of graph.edges) if (edge.label === '__class__' && shown(edge.from)) instances.set(edge.to, (instances.get(edge.to) ?? 0) + 1);
    for (const node of visible) {
      const box = this.#objectBox(node, { added: added.has(node.id), changed: changed.get(node.id) }, outgoing.get(node.id) ?? [], byId, shown);
      const held = instances.get(node.id) ?? 0;
      // Instances' arrows to their class are drawn only when one of the two is selected: a count in the box stands for them.
      if (held > 0) box.insertBefore(element('div', 'gv-row gv-instances', `← __class__ of ${held} object${held === 1 ? '' : 's'}`), box.querySelector('.gv-marks'));
      fragment.append(box);
      this.#elements.set(node.id, box);
    }
    // Freed since the last step: a ghost where the object was, this once.
    const ghosts: [HTMLElement, Placement][] = [];
    for (const freed of this.#diff?.freed ?? []) {
      const at = this.#layout.last(freed.id);
      if (!at || byId.has(freed.id)) continue;
      const ghost = element('div', 'gv-node gv-ghost');
      ghost.append(element('div', 'gv-title', `${freed.type} ${freed.id}`), element('div', 'gv-marks'));
      ghost.lastElementChild!.append(element('span', 'gv-mark gv-mark-freed', 'freed'));
      ghost.setAttribute('role', 'note');
      ghost.setAttribute('aria-label', `freed: ${freed.type} ${freed.id}`);
      fragment.append(ghost);
      ghosts.push([ghost, at]);
    }
    boxes.replaceChildren(fragment);
    this.#frame!.classList.toggle('gv-compact', false);
    const narrow = this.#frame!.clientWidth < 520;
    this.#frame!.classList.toggle('gv-narrow', narrow);
    const column = narrow ? ROOT_COLUMN.narrow : ROOT_COLUMN.wide;
    // The first picture starts with the names at the view's left edge (and so does a change of width class).
    if (this.renders === 0 || column !== this.#rootColumn) this.#viewport.panX = 10 + column - columnX(1) * this.#viewport.zoom;
    this.#rootColumn = column;

    // Measure at full size, then place.
    for (const group of graph.roots) {
      const box = this.#elements.get(group.id);
      if (box) layoutNodes.push({ id: group.id, key: group.id, width: box.offsetWidth, height: box.offsetHeight, root: true });
    }
    for (const node of visible) {
      const box = this.#elements.get(node.id)!;
      layoutNodes.push({ id: node.id, key: `${node.id}:${node.serial}`, width: box.offsetWidth, height: box.offsetHeight });
    }
    for (const { group, row, target } of rootRows) links.push({ from: group, to: target, fromOffset: row.offsetTop + row.offsetHeight / 2 });
    // An instance's arrow to its class says nothing about where either belongs.
    for (const edge of graph.edges) if (shown(edge.from) && shown(edge.to) && edge.label !== '__class__') links.push({ from: edge.from, to: edge.to });
    this.#placed = this.#layout.place(layoutNodes, links, ghosts.map(([, at]) => at));
    for (const [ghost, at] of ghosts) {
      this.#elements.set(`ghost:${ghost.getAttribute('aria-label')}`, ghost);
      this.#placed.set(`ghost:${ghost.getAttribute('aria-label')}`, at);
    }

    // Keyboard order: column by column, top to bottom.
    const order = [...this.#elements.entries()]
      .filter(([id]) => !id.startsWith('ghost:'))
      .sort(([a], [b]) => this.#placed.get(a)!.x - this.#placed.get(b)!.x || this.#placed.get(a)!.y - this.#placed.get(b)!.y);
    for (const [, box] of order) boxes.append(box);

    this.#drawArrows(graph, rootRows, shown);
    this.#note!.textContent = this.#noteText(graph);
    this.#applyCompact();
    this.#reposition();
    if (focusedKey) boxes.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus({ preventScroll: true });
    this.renders++;
  }

  #rootBox(group: RootGroup, byId: Map<string, ProgramNode>, shown: (id: string) => boolean, rows: { group: string; row: HTMLElement; target: string }[]): HTMLElement | null {
    const names = group.names.filter((n) => this.#internals || !n.internal);
    if (group.kind === 'globals' && names.length === 0 && !this.#internals) return null;
    const box = element('div', `gv-root gv-root-${group.kind}`);
    box.setAttribute('role', 'group');
    const title = group.kind === 'frame' ? `${group.title}() · line ${group.lineno ?? '?'}` : 'globals';
    box.setAttribute('aria-label', group.kind === 'frame' ? `frame of ${group.title}, at line ${group.lineno ?? '?'}` : 'global names');
    box.append(element('div', 'gv-root-title', title));
    if (names.length === 0) box.append(element('div', 'gv-empty', 'no names yet'));
    for (const name of names) {
      const row = element('div', 'gv-name');
      const target = byId.get(name.target);
      row.tabIndex = 0;
      row.dataset['key'] = `${group.id}/${name.name}`;
      row.dataset['target'] = name.target;
      row.setAttribute('role', 'button');
      row.append(element('span', 'gv-name-text', name.name));
      if (shown(name.target)) {
        rows.push({ group: group.id, row, target: name.target });
        row.setAttribute('aria-label', `name ${name.name}, bound to ${target ? `${titleOf(target)} ${target.id}` : name.target}`);
      } else {
        const value = target ? target.repr || titleOf(target) : name.target;
        row.append(element('span', 'gv-inline-value', ` = ${value}`));
        row.setAttribute('aria-label', `name ${name.name}, bound to ${value}${target ? `, refcount ${target.refcount}` : ''}`);
      }
      box.append(row);
    }
    return box;
  }

  #objectBox(node: ProgramNode, change: { added: boolean; changed: CountChange | undefined }, out: readonly ProgramEdge[], byId: Map<string, ProgramNode>, shown: (id: string) => boolean): HTMLElement {
    const text = describeNode(node, change);
    const classes = ['gv-node', `gv-gen-${node.generation}`, `gv-role-${node.role}`];
    if (node.unreachable) classes.push('gv-unreachable');
    if (node.inGarbage) classes.push('gv-garbage');
    if (node.internal) classes.push('gv-internal');
    if (change.added) classes.push('gv-new');
    if (change.changed) classes.push('gv-changed');
    if (node.id === this.#selected) classes.push('gv-selected');
    const box = element('div', classes.join(' '));
    box.tabIndex = 0;
    box.dataset['id'] = node.id;
    box.dataset['key'] = node.id;
    box.setAttribute('role', 'button');
    box.setAttribute('aria-label', text.label);
    const head = element('div', 'gv-title');
    head.append(element('span', 'gv-type', text.title), element('span', 'gv-id', text.id));
    box.append(head);
    if (text.repr) box.append(element('div', 'gv-repr', text.repr));
    box.append(element('div', 'gv-counts', text.counts));
    // References to hidden objects, written in the box (not the interpreter's dunders and classes).
    const inline = out.filter((e) => !shown(e.to) && e.label !== '__class__' && !/^(\.__.*__|\['__.*__'\])$/.test(e.label));
    for (const edge of inline.slice(0, INLINE_ROWS)) {
      const target = byId.get(edge.to);
      box.append(element('div', 'gv-row', `${edge.label || '→'} ${target ? target.repr || titleOf(target) : edge.to}`));
    }
    if (inline.length > INLINE_ROWS) box.append(element('div', 'gv-row gv-more', `and ${inline.length - INLINE_ROWS} more`));
    if (text.marks.length > 0) {
      const marks = element('div', 'gv-marks');
      for (const mark of text.marks) marks.append(element('span', `gv-mark gv-mark-${mark.kind}`, mark.text));
      box.append(marks);
    }
    return box;
  }

  #drawArrows(graph: ProgramGraph, rootRows: readonly { group: string; row: HTMLElement; target: string }[], shown: (id: string) => boolean): void {
    const arrows = this.#arrows!;
    const labels = this.#labels!;
    arrows.replaceChildren();
    labels.replaceChildren();
    this.#drawn = [];
    const lanes = new Map<string, number>();
    const add = (from: string, to: string, fromOffset: number | null, weak: boolean, text: string): void => {
      const pair = `${from}>${to}`;
      const lane = lanes.get(pair) ?? 0;
      lanes.set(pair, lane + 1);
      const on = this.#selected !== null && (from === this.#selected || to === this.#selected);
      const path = svg('path', {
        class: `gv-arrow${weak ? ' gv-weak' : ''}${from.startsWith('root:') ? ' gv-binding' : ''}${text === '__class__' ? ' gv-class-ref' : ''}${on ? ' gv-on' : ''}`,
        'marker-end': `url(#${on ? 'gv-head-on' : weak ? 'gv-head-weak' : 'gv-head'})`,
      });
      arrows.append(path);
      let label: SVGTextElement | null = null;
      if (text && text !== '__class__') {
        label = svg('text', { class: `gv-label${weak ? ' gv-weak' : ''}` });
        label.textContent = text;
        labels.append(label);
      }
      this.#drawn.push({ from, to, fromOffset, weak, lane, path, label });
    };
    for (const { group, row, target } of rootRows) add(group, target, row.offsetTop + row.offsetHeight / 2, false, '');
    for (const edge of graph.edges) if (shown(edge.from) && shown(edge.to)) add(edge.from, edge.to, null, edge.weak, edge.label);
  }

  #noteText(graph: ProgramGraph): string {
    const parts: string[] = [];
    if (graph.omitted > 0) parts.push(`and ${graph.omitted} more objects not drawn`);
    const hidden = graph.nodes.filter((n) => n.internal).length;
    if (!this.#internals && hidden > 0) parts.push(`${hidden} of the heap's own objects hidden`);
    if (graph.nodes.length === 0 && graph.roots.every((r) => r.names.every((n) => n.internal))) parts.push('no objects yet');
    return parts.join(' · ');
  }

  #applyCompact(): void {
    const compact = this.#viewport.compact;
    this.#frame!.classList.toggle('gv-compact', compact);
    this.#sizes = new Map();
    for (const [id, box] of this.#elements) this.#sizes.set(id, { width: box.offsetWidth, height: box.offsetHeight });
    this.#zoomText!.textContent = `${Math.round(this.#viewport.zoom * 100)}%`;
  }

  #rect(id: string): Rect | null {
    const at = this.#placed.get(id);
    const size = this.#sizes.get(id);
    if (!at || !size) return null;
    // The names stay their own size beside the objects at any zoom: stacked down from the objects' top, left of their first column.
    if (id.startsWith('root:')) {
      const x = this.#viewport.screenX(columnX(1)) - this.#rootColumn;
      return { x, y: this.#viewport.screenY(0) + at.y, width: size.width, height: size.height };
    }
    return { x: this.#viewport.screenX(at.x), y: this.#viewport.screenY(at.y), width: size.width, height: size.height };
  }

  #reposition(): void {
    this.#pending = 0;
    for (const [id, box] of this.#elements) {
      const r = this.#rect(id);
      if (r) box.style.transform = `translate(${Math.round(r.x)}px, ${Math.round(r.y)}px)`;
    }
    const compact = this.#viewport.compact;
    for (const arrow of this.#drawn) {
      const source = this.#rect(arrow.from);
      const target = this.#rect(arrow.to);
      if (!source || !target) continue;
      const fromY = source.y + (arrow.fromOffset === null || compact ? source.height / 2 : arrow.fromOffset);
      const c = edgeCurve(source, target, fromY, arrow.from === arrow.to, arrow.lane);
      arrow.path.setAttribute('d', c.d);
      if (arrow.label) {
        arrow.label.setAttribute('x', c.labelX.toFixed(1));
        arrow.label.setAttribute('y', (c.labelY - 3).toFixed(1));
      }
    }
  }

  #schedule(): void {
    const wasCompact = this.#frame?.classList.contains('gv-compact');
    if (wasCompact !== this.#viewport.compact) this.#applyCompact();
    this.#zoomText!.textContent = `${Math.round(this.#viewport.zoom * 100)}%`;
    if (this.#pending === 0) this.#pending = requestAnimationFrame(() => this.#reposition());
  }

  #zoomBy(factor: number): void {
    const frame = this.#frame!;
    this.#viewport.zoomAt(factor, frame.clientWidth / 2, frame.clientHeight / 2);
    this.#schedule();
  }

  #select(id: string): void {
    this.#selected = id;
    for (const box of this.#boxes!.querySelectorAll('.gv-selected')) box.classList.remove('gv-selected');
    this.#elements.get(id)?.classList.add('gv-selected');
    for (const arrow of this.#drawn) {
      const on = arrow.from === id || arrow.to === id;
      arrow.path.classList.toggle('gv-on', on);
      arrow.path.setAttribute('marker-end', `url(#${on ? 'gv-head-on' : arrow.weak ? 'gv-head-weak' : 'gv-head'})`);
    }
    this.#onSelect(id);
  }

  /** The box to go to from `from` with an arrow key, or null. */
  #neighbour(from: HTMLElement, key: string): HTMLElement | null {
    const id = from.dataset['id'];
    if (key === 'ArrowRight') {
      if (from.classList.contains('gv-name')) return this.#elements.get(from.dataset['target'] ?? '') ?? null;
      const next = this.#drawn.find((a) => a.from === id && a.to !== id);
      return next ? (this.#elements.get(next.to) ?? null) : null;
    }
    if (key === 'ArrowLeft') {
      if (id === undefined) return null;
      const back = this.#drawn.find((a) => a.to === id && a.from !== id);
      if (!back) return null;
      if (back.from.startsWith('root:')) {
        return this.#boxes!.querySelector<HTMLElement>(`.gv-name[data-target="${CSS.escape(back.to)}"]`);
      }
      return this.#elements.get(back.from) ?? null;
    }
    const all = [...this.#boxes!.querySelectorAll<HTMLElement>('.gv-node[tabindex], .gv-name')];
    const at = all.indexOf(from);
    const step = key === 'ArrowDown' ? 1 : -1;
    return all[at + step] ?? null;
  }

  #listen(frame: HTMLElement): void {
    const pointers = new Map<number, { x: number; y: number }>();
    let moved = 0;
    let pinch = 0;
    frame.addEventListener('pointerdown', (event) => {
      if ((event.target as HTMLElement).closest('.gv-tools')) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      frame.setPointerCapture(event.pointerId);
      moved = 0;
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
        pinch = Math.hypot(a.x - b.x, a.y - b.y);
      }
    });
    frame.addEventListener('pointermove', (event) => {
      const last = pointers.get(event.pointerId);
      if (!last) return;
      const now = { x: event.clientX, y: event.clientY };
      if (pointers.size === 1) {
        this.#viewport.pan(now.x - last.x, now.y - last.y);
        moved += Math.abs(now.x - last.x) + Math.abs(now.y - last.y);
      } else if (pointers.size === 2) {
        pointers.set(event.pointerId, now);
        const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
        const distance = Math.hypot(a.x - b.x, a.y - b.y);
        const bounds = frame.getBoundingClientRect();
        if (pinch > 0) this.#viewport.zoomAt(distance / pinch, (a.x + b.x) / 2 - bounds.left, (a.y + b.y) / 2 - bounds.top);
        pinch = distance;
        moved += 10;
      }
      pointers.set(event.pointerId, now);
      this.#schedule();
    });
    const release = (event: PointerEvent): void => {
      if (!pointers.delete(event.pointerId)) return;
      if (pointers.size < 2) pinch = 0;
      if (event.type === 'pointerup' && moved < 5) {
        const box = (event.target as HTMLElement).closest<HTMLElement>('.gv-node[data-id]');
        if (box) {
          box.focus({ preventScroll: true });
          this.#select(box.dataset['id']!);
        }
      }
    };
    frame.addEventListener('pointerup', release);
    frame.addEventListener('pointercancel', release);
    frame.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        const bounds = frame.getBoundingClientRect();
        const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
        this.#viewport.zoomAt(Math.exp(-delta * (event.ctrlKey ? 0.01 : 0.0015)), event.clientX - bounds.left, event.clientY - bounds.top);
        this.#schedule();
      },
      { passive: false },
    );
    frame.addEventListener('keydown', (event) => {
      const target = event.target as HTMLElement;
      if (target.closest('.gv-tools')) return;
      if (event.key === '+' || event.key === '=') this.#zoomBy(1.25);
      else if (event.key === '-' || event.key === '_') this.#zoomBy(1 / 1.25);
      else if (event.key === '0') this.fit();
      else if (event.key.startsWith('Arrow')) {
        const next = this.#neighbour(target, event.key);
        if (!next) return;
        next.focus({ preventScroll: true });
      } else if ((event.key === 'Enter' || event.key === ' ') && target.dataset['id']) this.#select(target.dataset['id']);
      else return;
      event.preventDefault();
    });
    // A box focused off screen is panned into view.
    frame.addEventListener('focusin', (event) => {
      const box = (event.target as HTMLElement).closest<HTMLElement>('.gv-node, .gv-root');
      if (!box) return;
      const r = box.getBoundingClientRect();
      const f = frame.getBoundingClientRect();
      const before = [this.#viewport.panX, this.#viewport.panY];
      this.#viewport.reveal(r.left - f.left, r.top - f.top, r.right - f.left, r.bottom - f.top, f.width, f.height);
      if (before[0] !== this.#viewport.panX || before[1] !== this.#viewport.panY) this.#reposition();
    });
  }
}
