/**
 * The graph view's arrows: an SVG under the boxes with one path per reference (names' bindings
 * blue, weak references dashed, an instance's `__class__` shown only when selected), the label
 * toward its target, and the arrows of the selected box lit. Boxes are placed by graph-view.ts;
 * `place` bends each arrow between its boxes' screen rectangles (src/graph/edge-path.ts).
 */
import { edgeCurve, type Rect } from '../src/graph/edge-path.ts';
import type { ProgramEdge } from '../src/graph/program-snapshot.ts';
import type { RootRow } from './graph-boxes.ts';

const SVG = 'http://www.w3.org/2000/svg';

export interface Arrow {
  readonly from: string;
  readonly to: string;
  /** Offset of the leaving point from the source box's top; its middle when null. */
  readonly fromOffset: number | null;
  readonly weak: boolean;
  readonly lane: number;
  readonly path: SVGPathElement;
  readonly label: SVGTextElement | null;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

function marker(id: string, className: string): SVGMarkerElement {
  const head = svg('marker', { id, class: className, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '9', markerHeight: '9', markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
  head.append(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
  return head;
}

const headOf = (on: boolean, weak: boolean): string => `url(#${on ? 'gv-head-on' : weak ? 'gv-head-weak' : 'gv-head'})`;

export class Arrows {
  /** The SVG to put under the boxes. */
  readonly surface: SVGSVGElement;
  readonly #paths: SVGGElement;
  readonly #labels: SVGGElement;
  #drawn: Arrow[] = [];

  constructor() {
    this.surface = svg('svg', { class: 'gv-arrows', 'aria-hidden': 'true' });
    const defs = svg('defs', {});
    defs.append(marker('gv-head', 'gv-head'), marker('gv-head-weak', 'gv-head gv-weak'), marker('gv-head-on', 'gv-head gv-on'));
    this.#paths = svg('g', {});
    this.#labels = svg('g', { class: 'gv-labels' });
    this.surface.append(defs, this.#paths, this.#labels);
  }

  /** The arrows drawn now, names' first. */
  get drawn(): readonly Arrow[] {
    return this.#drawn;
  }

  /** Draws the names' arrows and the references between shown objects, afresh. */
  draw(rootRows: readonly RootRow[], edges: readonly ProgramEdge[], shown: (id: string) => boolean, selected: string | null): void {
    this.#paths.replaceChildren();
    this.#labels.replaceChildren();
    this.#drawn = [];
    const lanes = new Map<string, number>();
    const add = (from: string, to: string, fromOffset: number | null, weak: boolean, text: string): void => {
      const pair = `${from}>${to}`;
      const lane = lanes.get(pair) ?? 0;
      lanes.set(pair, lane + 1);
      const on = selected !== null && (from === selected || to === selected);
      const path = svg('path', {
        class: `gv-arrow${weak ? ' gv-weak' : ''}${from.startsWith('root:') ? ' gv-binding' : ''}${text === '__class__' ? ' gv-class-ref' : ''}${on ? ' gv-on' : ''}`,
        'marker-end': headOf(on, weak),
      });
      this.#paths.append(path);
      let label: SVGTextElement | null = null;
      if (text && text !== '__class__') {
        label = svg('text', { class: `gv-label${weak ? ' gv-weak' : ''}` });
        label.textContent = text;
        this.#labels.append(label);
      }
      this.#drawn.push({ from, to, fromOffset, weak, lane, path, label });
    };
    for (const { group, row, target } of rootRows) add(group, target, row.offsetTop + row.offsetHeight / 2, false, '');
    for (const edge of edges) if (shown(edge.from) && shown(edge.to)) add(edge.from, edge.to, null, edge.weak, edge.label);
  }

  /** Bends every arrow between its boxes as they stand on screen (`compact`: boxes too small for per-row exits). */
  place(rect: (id: string) => Rect | null, compact: boolean): void {
    for (const arrow of this.#drawn) {
      const source = rect(arrow.from);
      const target = rect(arrow.to);
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

  /** Lights the arrows into and out of `id`. */
  highlight(id: string): void {
    for (const arrow of this.#drawn) {
      const on = arrow.from === id || arrow.to === id;
      arrow.path.classList.toggle('gv-on', on);
      arrow.path.setAttribute('marker-end', headOf(on, arrow.weak));
    }
  }
}
