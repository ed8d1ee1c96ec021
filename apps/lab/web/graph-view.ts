/**
 * The heap graph of a running program, drawn as HTML boxes (graph-boxes.ts) over an SVG of
 * arrows (graph-arrows.ts). Boxes and text stay one size at every zoom (pan and zoom move and
 * spread them: graph-pointer.ts, the + − Fit buttons, graph-keys.ts), objects keep their places
 * from one step to the next (src/graph/layout.ts), and every box is reachable by keyboard.
 *
 * A program's picture opens at 100% with the names at the left edge; while the learner has not
 * moved the view since (`newProgram()`), a picture wider than the view is zoomed out to fit it,
 * no further than boxes keep their full text (COMPACT_BELOW) and do not cover each other
 * (src/graph/readable-zoom.ts). Once the learner pans or zooms,
 * later steps keep their view.
 *
 * `new GraphView(container, { onSelect })`, `await view.init()`, `view.draw(graph, diff)`,
 * `view.showInternals(on)`, `view.newProgram()`; `view.renders` counts draws for tests.
 */
import './graph.css';
import type { Rect } from '../src/graph/edge-path.ts';
import { columnX, StableLayout, type LayoutLink, type LayoutNode, type Placement } from '../src/graph/layout.ts';
import type { CountChange, GraphDiff, ProgramEdge, ProgramGraph } from '../src/graph/program-snapshot.ts';
import { leastReadableZoom } from '../src/graph/readable-zoom.ts';
import { COMPACT_BELOW, Viewport, type Bounds } from '../src/graph/viewport.ts';
import { el } from './dom.ts';
import { Arrows } from './graph-arrows.ts';
import { ghostBox, objectBox, rootBox, type RootRow, type Shown } from './graph-boxes.ts';
import { listenKeys, neighbour } from './graph-keys.ts';
import { listenPointer } from './graph-pointer.ts';

export interface GraphViewOptions {
  /** An object's id, when it is clicked or chosen with Enter. */
  readonly onSelect?: ((id: string) => void) | undefined;
}

/** The names' column (root boxes are at most this wide) and the gap after it, in screen pixels; narrower on a phone. */
const ROOT_COLUMN = { wide: 190 + 50, narrow: 140 + 40 };
/** Narrower than this, the view is a phone's. */
const NARROW = 520;

export class GraphView {
  /** How many times the graph has been drawn (tests wait on it). */
  renders = 0;
  readonly #container: HTMLElement;
  readonly #onSelect: (id: string) => void;
  readonly #layout = new StableLayout();
  readonly #viewport = new Viewport();
  readonly #arrows = new Arrows();
  #frame: HTMLElement | null = null;
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
  /** The next draw is a program's first: the view starts at 100%, the names at its left edge. */
  #fresh = true;
  /** The learner has moved the view (pan, zoom, Fit) since the program's first draw. */
  #moved = false;
  #pending = 0;

  constructor(container: HTMLElement, options: GraphViewOptions = {}) {
    this.#container = container;
    this.#onSelect = options.onSelect ?? (() => undefined);
  }

  async init(): Promise<void> {
    await Promise.resolve();
    const frame = el('div', '', 'gv');
    frame.setAttribute('role', 'group');
    frame.setAttribute('aria-label', 'Heap graph');
    frame.dataset['testid'] = 'heap-graph';
    this.#boxes = el('div', '', 'gv-boxes');
    this.#note = el('p', '', 'gv-note');
    frame.append(this.#arrows.surface, this.#boxes, this.#toolbar(), this.#note);
    this.#container.replaceChildren(frame);
    this.#frame = frame;
    const byLearner = (): void => {
      this.#moved = true;
      this.#schedule();
    };
    listenPointer(frame, this.#viewport, { moved: byLearner, select: (id) => this.#select(id) });
    listenKeys(frame, this.#viewport, {
      zoomBy: (factor) => this.#zoomBy(factor),
      fit: () => this.fit(),
      select: (id) => this.#select(id),
      neighbour: (from, key) => neighbour(from, key, this.#boxes!, this.#elements, this.#arrows.drawn),
      moved: () => {
        this.#moved = true;
        this.#reposition();
      },
    });
    // Drawn while hidden (boxes measured as 0) or moved across the phone width: draw again at the new size.
    let width = frame.clientWidth;
    new ResizeObserver(() => {
      const now = frame.clientWidth;
      const crossed = (width < NARROW) !== (now < NARROW);
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

  /** The next draw is another program's: it opens at 100% (fitted if wider than the view), whatever the last one's view was. */
  newProgram(): void {
    this.#fresh = true;
  }

  /** The whole graph in view (zooming out no further than the view's minimum). */
  fit(): void {
    const frame = this.#frame;
    if (!frame) return;
    const { bounds, box } = this.#extent();
    this.#viewport.fit(bounds, box, frame.clientWidth, frame.clientHeight, this.#rootColumn);
    this.#moved = true;
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

  #toolbar(): HTMLElement {
    const tools = el('div', '', 'gv-tools');
    tools.setAttribute('role', 'toolbar');
    tools.setAttribute('aria-label', 'Zoom the heap graph');
    const button = (text: string, label: string, act: () => void): HTMLButtonElement => {
      const b = el('button', text, 'gv-tool');
      b.type = 'button';
      b.setAttribute('aria-label', label);
      b.title = label;
      b.addEventListener('click', act);
      return b;
    };
    this.#zoomText = el('span', '100%', 'gv-zoom');
    this.#zoomText.setAttribute('aria-live', 'polite');
    tools.append(
      button('−', 'Zoom out', () => this.#zoomBy(1 / 1.25)),
      this.#zoomText,
      button('+', 'Zoom in', () => this.#zoomBy(1.25)),
      button('Fit', 'Fit the whole graph', () => this.fit()),
      button('Tidy', 'Lay the graph out afresh', () => this.tidy()),
    );
    return tools;
  }

  /** The world corners of the objects' boxes (not the names', drawn unscaled) and the largest box. */
  #extent(): { bounds: Bounds; box: { width: number; height: number } } {
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
    return { bounds: { left, top, right, bottom }, box };
  }

  #render(): void {
    const graph = this.#graph!;
    const boxes = this.#boxes!;
    const frame = this.#frame!;
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset['key'];
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const shown = (id: string): boolean => {
      const node = byId.get(id);
      return node !== undefined && (this.#internals || !node.internal);
    };
    const picture: Shown = { byId, shown, internals: this.#internals };
    const visible = graph.nodes.filter((n) => shown(n.id));
    const added = new Set(this.#diff?.added ?? []);
    const changed = new Map<string, CountChange>((this.#diff?.changed ?? []).map((c) => [c.id, c]));

    this.#elements = new Map();
    const fragment = document.createDocumentFragment();
    const rootRows: RootRow[] = [];
    for (const group of graph.roots) {
      const box = rootBox(group, picture, rootRows);
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
      const state = { added: added.has(node.id), changed: changed.get(node.id), selected: node.id === this.#selected, instances: instances.get(node.id) ?? 0 };
      const box = objectBox(node, state, outgoing.get(node.id) ?? [], picture);
      fragment.append(box);
      this.#elements.set(node.id, box);
    }
    // Freed since the last step: a ghost where the object was, this once.
    const ghosts: [HTMLElement, Placement][] = [];
    for (const freed of this.#diff?.freed ?? []) {
      const at = this.#layout.last(freed.id);
      if (!at || byId.has(freed.id)) continue;
      const ghost = ghostBox(freed);
      fragment.append(ghost);
      ghosts.push([ghost, at]);
    }
    boxes.replaceChildren(fragment);
    frame.classList.toggle('gv-compact', false);
    const narrow = frame.clientWidth < NARROW;
    frame.classList.toggle('gv-narrow', narrow);
    const column = narrow ? ROOT_COLUMN.narrow : ROOT_COLUMN.wide;
    if (this.#fresh) {
      this.#viewport.zoom = 1;
      this.#viewport.panY = 16;
      this.#moved = false;
    }
    // A program's first picture starts with the names at the view's left edge (and so does a change of width class).
    if (this.#fresh || column !== this.#rootColumn) this.#viewport.panX = 10 + column - columnX(1) * this.#viewport.zoom;
    this.#fresh = false;
    this.#rootColumn = column;

    // Measure at full size, then place.
    const layoutNodes: LayoutNode[] = [];
    for (const group of graph.roots) {
      const box = this.#elements.get(group.id);
      if (box) layoutNodes.push({ id: group.id, key: group.id, width: box.offsetWidth, height: box.offsetHeight, root: true });
    }
    for (const node of visible) {
      const box = this.#elements.get(node.id)!;
      layoutNodes.push({ id: node.id, key: `${node.id}:${node.serial}`, width: box.offsetWidth, height: box.offsetHeight });
    }
    const links: LayoutLink[] = rootRows.map(({ group, row, target }) => ({ from: group, to: target, fromOffset: row.offsetTop + row.offsetHeight / 2 }));
    // An instance's arrow to its class says nothing about where either belongs.
    for (const edge of graph.edges) if (shown(edge.from) && shown(edge.to) && edge.label !== '__class__') links.push({ from: edge.from, to: edge.to });
    this.#placed = this.#layout.place(layoutNodes, links, ghosts.map(([, at]) => at));
    for (const [ghost, at] of ghosts) {
      this.#elements.set(`ghost:${ghost.getAttribute('aria-label')}`, ghost);
      this.#placed.set(`ghost:${ghost.getAttribute('aria-label')}`, at);
    }
    if (!this.#moved) this.#fitWidth();

    // Keyboard order: column by column, top to bottom.
    const order = [...this.#elements.entries()]
      .filter(([id]) => !id.startsWith('ghost:'))
      .sort(([a], [b]) => this.#placed.get(a)!.x - this.#placed.get(b)!.x || this.#placed.get(a)!.y - this.#placed.get(b)!.y);
    for (const [, box] of order) boxes.append(box);

    this.#arrows.draw(rootRows, graph.edges, shown, this.#selected);
    this.#note!.textContent = this.#noteText(graph);
    this.#applyCompact();
    this.#reposition();
    if (focusedKey) boxes.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusedKey)}"]`)?.focus({ preventScroll: true });
    this.renders++;
  }

  /**
   * A picture the learner has not moved: at 100% when it fits across the view, else zoomed out
   * until it does, as far as boxes keep their full text and do not cover each other. A zoom at
   * which the picture still fits and reads is kept; boxes added to a column that would cover
   * each other at it zoom it back in.
   */
  #fitWidth(): void {
    const width = this.#frame!.clientWidth;
    if (width === 0) return;
    const objects = [...this.#placed].filter(([id]) => !id.startsWith('root:') && !id.startsWith('ghost:')).map(([, p]) => p);
    const floor = Math.min(1, Math.max(COMPACT_BELOW, leastReadableZoom(objects)));
    // Still across the view and readable at this zoom: kept, so boxes do not shift from step to step.
    const right = Math.max(0, ...objects.map((p) => this.#viewport.screenX(p.x) + p.width));
    if (this.#viewport.zoom >= floor && right <= width) return;
    const { bounds, box } = this.#extent();
    this.#viewport.fitWidth(bounds, box, width, this.#rootColumn, floor, 10);
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
    this.#frame!.classList.toggle('gv-compact', this.#viewport.compact);
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
    this.#arrows.place((id) => this.#rect(id), this.#viewport.compact);
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
    this.#moved = true;
    this.#schedule();
  }

  #select(id: string): void {
    this.#selected = id;
    for (const box of this.#boxes!.querySelectorAll('.gv-selected')) box.classList.remove('gv-selected');
    this.#elements.get(id)?.classList.add('gv-selected');
    this.#arrows.highlight(id);
    this.#onSelect(id);
  }
}
