/**
 * Memory Lab's page. The heap runs here, in the browser — core, gc and the
 * scenarios are free of Node APIs — so stepping, collecting and dropping names
 * act on the very objects drawn. `window.__lab` exposes the state to tests.
 */
import { heapSnapshot } from '@refheap/monitor';
import './style.css';
import { formatValue } from '../src/format.ts';
import { snapshotGraph, type HeapGraph } from '../src/graph/snapshot.ts';
import { weakEdges } from '../src/graph/weak-edges.ts';
import { scenarios } from '../src/registry.ts';
import { runStep, sessionOptionsFor, type StepRecord } from '../src/runner.ts';
import type { FactValue, Scenario, Step } from '../src/scenario.ts';
import { Session } from '../src/session.ts';
import { MemoryChart } from './chart.ts';
import { GraphView } from './graph-view.ts';
import { Playground } from './playground.ts';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing`);
  return element as T;
};

const drawable = scenarios.filter((s) => s.drawable);
const DEBUG_COLLECTABLE = 2;

interface LabHook {
  ready: boolean;
  mode: 'scenario' | 'playground';
  scenario: string;
  step: number;
  steps: number;
  graph: HeapGraph | null;
  facts: Record<string, FactValue>;
  lastCollect: number | null;
  renders: number;
  chartPoints: number;
  error: string | null;
  scenarios: string[];
  /** The file name of the last `.heapsnapshot` saved. */
  savedSnapshot: string | null;
}

declare global {
  interface Window {
    __lab: LabHook;
  }
}

const hook: LabHook = {
  ready: false,
  mode: 'scenario',
  scenario: '',
  step: 0,
  steps: 0,
  graph: null,
  facts: {},
  lastCollect: null,
  renders: 0,
  chartPoints: 0,
  error: null,
  scenarios: drawable.map((s) => s.name),
  savedSnapshot: null,
};
window.__lab = hook;

const view = new GraphView($('graph'));
const chart = new MemoryChart($('chart'));
let scenario: Scenario = drawable[0]!;
let session = new Session();
let steps: readonly Step[] = [];
let next = 0;
let playground: Playground | null = null;

function current(): Session {
  return hook.mode === 'playground' ? playground!.session : session;
}


function cell(text: string, className = ''): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function showRecord(record: StepRecord | null): void {
  $('step-title').textContent = record ? `Step ${record.index + 1} of ${steps.length}` : `${steps.length} steps — press Step ▶`;
  $('python').textContent = record?.python ?? '';
  $('typescript').textContent = record?.typescript ?? '';
  $('printed').textContent = record ? [...record.printed, ...record.gcLog].join('\n') : '';
  $('explanation').textContent = record?.explanation ?? '';
  const table = $('facts');
  table.replaceChildren();
  for (const f of record?.facts ?? []) {
    const row = document.createElement('tr');
    row.append(cell(f.label), cell(formatValue(f.value), 'value'));
    if (f.matches !== undefined) row.append(cell(`${f.matches ? '✓' : '✗'} CPython 3.11: ${formatValue(f.cpython!)}`, f.matches ? 'ok' : 'bad'));
    table.append(row);
    hook.facts[f.key] = f.value;
  }
}

function refresh(): void {
  const s = current();
  const graph = snapshotGraph(s, weakEdges);
  hook.graph = graph;
  view.draw(graph);
  hook.renders = view.renders;
  chart.sample(graph);
  hook.chartPoints = chart.points;

  const gcTable = $('gc-table');
  gcTable.replaceChildren();
  const rows: [string, string][] = [
    ['gc.isenabled()', graph.gc.enabled ? 'True' : 'False'],
    ['gc.get_count()', `(${graph.gc.count.join(', ')})`],
    ['gc.get_threshold()', `(${graph.gc.threshold.join(', ')})`],
    ['objects per generation', graph.gc.generationSizes.join(' / ')],
    ['len(gc.garbage)', String(graph.gc.garbage)],
    ['live objects (heap)', String(graph.liveObjects)],
    ['unreachable now', String(graph.nodes.filter((n) => n.unreachable).length)],
  ];
  for (const [label, value] of rows) {
    const row = document.createElement('tr');
    row.append(cell(label), cell(value, 'value'));
    gcTable.append(row);
  }
  $('toggle-gc').textContent = graph.gc.enabled ? 'gc.disable()' : 'gc.enable()';

  const names = graph.names.map((n) => n.name);
  for (const id of ['drop-name', 'pg-from', 'pg-to']) {
    const select = $<HTMLSelectElement>(id);
    const keep = select.value;
    select.replaceChildren(...names.map((n) => new Option(n, n)));
    if (names.includes(keep)) select.value = keep;
  }
  if (id('pg-to') && names.length > 1 && $<HTMLSelectElement>('pg-to').value === $<HTMLSelectElement>('pg-from').value) {
    $<HTMLSelectElement>('pg-to').value = names.find((n) => n !== $<HTMLSelectElement>('pg-from').value)!;
  }
  $<HTMLButtonElement>('drop').disabled = names.length === 0;
  $<HTMLButtonElement>('step').disabled = hook.mode !== 'scenario' || next >= steps.length;
  hook.step = next;
  hook.steps = steps.length;
  if (playground) $('pg-log').textContent = playground.log.join('\n');
}

function id(name: string): boolean {
  return document.getElementById(name) !== null;
}

function act(action: () => void): void {
  try {
    hook.error = null;
    action();
    $('status').textContent = hook.mode === 'scenario' ? `${scenario.name}: step ${next} of ${steps.length}` : 'playground';
  } catch (error) {
    hook.error = (error as Error).message;
    $('status').textContent = `error: ${hook.error}`;
  }
  refresh();
}

/** Offers the heap as a `.heapsnapshot` download (Chrome only opens files of that name). */
function saveSnapshot(): void {
  const name = `memory-lab-${hook.mode === 'playground' ? 'playground' : `${scenario.name}-step-${next}`}.heapsnapshot`;
  const url = URL.createObjectURL(new Blob([heapSnapshot(current().heap)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  hook.savedSnapshot = name;
}

function loadScenario(name: string): void {
  scenario = drawable.find((s) => s.name === name) ?? drawable[0]!;
  session.close();
  session = new Session({ ...sessionOptionsFor(scenario), trackObjects: true });
  steps = scenario.steps();
  next = 0;
  hook.scenario = scenario.name;
  hook.facts = {};
  hook.lastCollect = null;
  $<HTMLSelectElement>('scenario').value = scenario.name;
  $('summary').textContent = `${scenario.title}. ${scenario.summary}.`;
  $('collect-result').textContent = '';
  $('gc-log').textContent = '';
  showRecord(null);
}

function setMode(mode: 'scenario' | 'playground'): void {
  hook.mode = mode;
  if (mode === 'playground' && !playground) playground = new Playground();
  $('scenario-panel').hidden = mode !== 'scenario';
  $('playground-panel').hidden = mode !== 'playground';
  $('mode-scenario').classList.toggle('active', mode === 'scenario');
  $('mode-playground').classList.toggle('active', mode === 'playground');
  history.replaceState(null, '', mode === 'playground' ? '#playground' : `#${scenario.name}`);
}

function wire(): void {
  const select = $<HTMLSelectElement>('scenario');
  select.replaceChildren(...drawable.map((s) => new Option(`${s.name} — ${s.title}`, s.name)));
  select.addEventListener('change', () =>
    act(() => {
      loadScenario(select.value);
      history.replaceState(null, '', `#${scenario.name}`);
    }),
  );
  $('step').addEventListener('click', () =>
    act(() => {
      if (next >= steps.length) return;
      const record = runStep(session, steps[next]!, next);
      next++;
      showRecord(record);
    }),
  );
  $('reset').addEventListener('click', () => act(() => loadScenario(scenario.name)));
  $('collect').addEventListener('click', () =>
    act(() => {
      const s = current();
      s.gcLog = [];
      s.gc.setDebug(DEBUG_COLLECTABLE);
      const found = s.gc.collect();
      s.gc.setDebug(0);
      hook.lastCollect = found;
      $('collect-result').textContent = `gc.collect() → ${found}`;
      $('gc-log').textContent = s.gcLog.join('\n');
    }),
  );
  $('toggle-gc').addEventListener('click', () =>
    act(() => {
      const { gc } = current();
      if (gc.isEnabled()) gc.disable();
      else gc.enable();
    }),
  );
  $('drop').addEventListener('click', () =>
    act(() => {
      const name = $<HTMLSelectElement>('drop-name').value;
      if (!name) return;
      if (hook.mode === 'playground') playground!.drop(name);
      else current().drop(name);
    }),
  );
  $('save-snapshot').addEventListener('click', () => act(saveSnapshot));
  $('mode-scenario').addEventListener('click', () => act(() => setMode('scenario')));
  $('mode-playground').addEventListener('click', () => act(() => setMode('playground')));
  $('pg-new-list').addEventListener('click', () => act(() => playground!.newList()));
  $('pg-new-node').addEventListener('click', () => act(() => playground!.newNode()));
  $('pg-link').addEventListener('click', () =>
    act(() => playground!.link($<HTMLSelectElement>('pg-from').value, $<HTMLSelectElement>('pg-to').value)),
  );
  $('pg-unlink').addEventListener('click', () =>
    act(() => void playground!.unlink($<HTMLSelectElement>('pg-from').value, $<HTMLSelectElement>('pg-to').value)),
  );
  view.onNodeClick = (objectId) => {
    const name = hook.graph?.names.find((n) => n.target === objectId)?.name;
    if (!name || hook.mode !== 'playground') return;
    const from = $<HTMLSelectElement>('pg-from');
    const to = $<HTMLSelectElement>('pg-to');
    if (from.dataset.picked === 'yes') {
      to.value = name;
      from.dataset.picked = '';
    } else {
      from.value = name;
      from.dataset.picked = 'yes';
    }
  };
}

async function start(): Promise<void> {
  await view.init();
  wire();
  const wanted = location.hash.slice(1);
  loadScenario(drawable.some((s) => s.name === wanted) ? wanted : drawable[0]!.name);
  if (wanted === 'playground') setMode('playground');
  act(() => undefined);
  setInterval(() => {
    try {
      const graph = snapshotGraph(current(), weakEdges);
      chart.sample(graph);
      hook.chartPoints = chart.points;
    } catch {
      // a sample is only a picture; the next one will do
    }
  }, 500);
  hook.ready = true;
}

start().catch((error: unknown) => {
  hook.error = String(error);
  $('status').textContent = `failed to start: ${String(error)}`;
});
