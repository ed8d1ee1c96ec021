/** `window.__lab`: the page's state for the browser tests, plain data read with page.evaluate. */
import type { GraphDiff, ProgramGraph } from '../src/graph/program-graph.ts';

/** What the memory plot (chart.ts) last drew. */
export interface ChartDrawn {
  steps: number[];
  objects: number[];
  /** A dashed line across the plot per collection, or a short tick each along its top when they crowd. */
  markers: 'lines' | 'rug';
}

export interface ScenarioStepShown {
  readonly title: string;
  readonly lastLine: number;
  /** The stepping has passed the step's last line. */
  readonly reached: boolean;
  readonly checks: readonly { readonly key: string; readonly ok: boolean }[];
}

export interface LabHook {
  ready: boolean;
  /** Work is under way (a trace or a replay); the next state is not shown yet. */
  busy: boolean;
  /** What the editor holds now. */
  source: string;
  /** The program menu's choice: `seed:NAME`, `scenario:NAME`, or `own` for typed or shared code. */
  program: string;
  step: number;
  steps: number;
  lineno: number | null;
  finished: boolean;
  stoppedBy: string | null;
  error: string | null;
  /** The sentence shown when the run stopped early (an exception, a budget). */
  stopMessage: string | null;
  stdout: string;
  stderr: string;
  frames: { name: string; lineno: number }[];
  graph: ProgramGraph | null;
  diff: GraphDiff | null;
  renders: number;
  /** Points in the memory plot, and the steps marked as collections. */
  chartPoints: number;
  collectionMarkers: number[];
  /** What the memory plot last drew: its step and live-objects ticks, how it marked collections. */
  chartDrawn: ChartDrawn;
  showInternals: boolean;
  scenario: string | null;
  scenarioSteps: ScenarioStepShown[];
  /** The page's own failure (a bug, not the program's): null when none. */
  pageError: string | null;
  seeds: string[];
  scenarios: string[];
  /** The file name of the last `.heapsnapshot` saved. */
  savedSnapshot: string | null;
}

declare global {
  interface Window {
    __lab: LabHook;
  }
}

export function newHook(): LabHook {
  return {
    ready: false,
    busy: false,
    source: '',
    program: 'own',
    step: 0,
    steps: 0,
    lineno: null,
    finished: false,
    stoppedBy: null,
    error: null,
    stopMessage: null,
    stdout: '',
    stderr: '',
    frames: [],
    graph: null,
    diff: null,
    renders: 0,
    chartPoints: 0,
    collectionMarkers: [],
    chartDrawn: { steps: [], objects: [], markers: 'lines' },
    showInternals: false,
    scenario: null,
    scenarioSteps: [],
    pageError: null,
    seeds: [],
    scenarios: [],
    savedSnapshot: null,
  };
}
