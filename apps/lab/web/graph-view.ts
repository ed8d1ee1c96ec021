/**
 * The object graph: laid out and drawn by Graphviz (@viz-js/viz, WebAssembly)
 * from the DOT the lab writes, as SVG in the page. Clicking an object reports
 * its id (the playground uses it to pick link ends).
 */
import { instance, type Viz } from '@viz-js/viz';
import { toDot } from '../src/graph/dot.ts';
import type { HeapGraph } from '../src/graph/snapshot.ts';

export class GraphView {
  readonly #container: HTMLElement;
  #viz: Viz | undefined;
  /** How many times the graph has been drawn (tests wait on it). */
  renders = 0;
  onNodeClick: (id: string) => void = () => undefined;

  constructor(container: HTMLElement) {
    this.#container = container;
  }

  async init(): Promise<void> {
    this.#viz = await instance();
  }

  draw(graph: HeapGraph): void {
    if (!this.#viz) throw new Error('GraphView.init() has not finished');
    const svg = this.#viz.renderSVGElement(toDot(graph), { engine: 'dot' });
    svg.setAttribute('data-testid', 'heap-graph');
    for (const node of svg.querySelectorAll<SVGGElement>('g.node.obj')) {
      node.style.cursor = 'pointer';
      node.addEventListener('click', () => this.onNodeClick(node.id.replace(/^obj-/, '')));
    }
    this.#container.replaceChildren(svg);
    this.renders++;
  }
}
