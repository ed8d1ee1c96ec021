/**
 * The graph view alone on a page, for its browser test (src/graph/graph-view.e2e.test.ts):
 * the test hands pictures made in Node to `window.__graph.draw` and looks at the result.
 */
import type { GraphDiff, ProgramGraph } from '../src/graph/program-snapshot.ts';
import { GraphView } from './graph-view.ts';

interface GraphTestHook {
  ready: boolean;
  selected: string[];
  draw(graph: ProgramGraph, diff?: GraphDiff): number;
  showInternals(on: boolean): number;
  zoom(): number;
}

declare global {
  interface Window {
    __graph: GraphTestHook;
  }
}

const selected: string[] = [];
const view = new GraphView(document.getElementById('graph')!, { onSelect: (id) => selected.push(id) });
await view.init();
window.__graph = {
  ready: true,
  selected,
  draw(graph, diff) {
    view.draw(graph, diff);
    return view.renders;
  },
  showInternals(on) {
    view.showInternals(on);
    return view.renders;
  },
  zoom: () => view.zoom,
};
