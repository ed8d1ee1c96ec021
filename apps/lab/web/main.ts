/**
 * Memory Lab's page: the learner's Python in an editor, run on @refheap/python right here in
 * the browser (in a worker, so the controls never freeze), stepped forward and back (a step
 * back is a replay to the step before), with the heap's graph, the output, the frames and a
 * memory plot at every step. `window.__lab` exposes the state to the browser tests.
 */
import './style.css';
import { diffGraphs } from '../src/graph/graph-diff.ts';
import { stopMessage, DEFAULT_STEP_LIMIT, type ProgramState } from '../src/program/index.ts';
import type { ScenarioRun } from '../src/runner.ts';
import { MemoryChart } from './chart.ts';
import { $ } from './dom.ts';
import { ProgramEditor } from './editor.ts';
import { GraphView } from './graph-view.ts';
import { newHook } from './hook.ts';
import { describeChange, showCollector, showFrames, showOutput } from './panels.ts';
import { choiceValue, fillMenu, findChoice, scenarioNames, seedNames, STARTER, type Choice } from './programs.ts';
import { completionSteps, showScenario } from './scenario-panel.ts';
import { RemoteStepper, SteppingWorker } from './remote-stepper.ts';
import { readHash, shareHash } from './share.ts';
import type { Moved } from './stepper-protocol.ts';

const hook = newHook();
hook.seeds = seedNames();
hook.scenarios = scenarioNames();
window.__lab = hook;

const view = new GraphView($('graph'), {});
const chart = new MemoryChart($('chart'));
const menu = $<HTMLSelectElement>('program');
let choice: Choice = { kind: 'own' };
const worker = new SteppingWorker();
let stepper: RemoteStepper | null = null;
/** Counts the programs the editor has held: a trace that comes back for an older one is dropped. */
let generation = 0;
let shown: ProgramState | null = null;
let lesson: { run: ScenarioRun; done: number[] } | null = null;
/** True while the page itself replaces the editor's text (not the learner's edit). */
let loading = false;
let cursorLine = 1;

const editor = new ProgramEditor($('editor'), {
  doc: '',
  onChange: (source) => {
    hook.source = source;
    if (!loading) edited();
  },
  onGutterLine: (line) => void act(() => runToLine(line)),
  onCursorLine: (line) => {
    cursorLine = line;
    $('run-to-line').textContent = `Run to line ${line}`;
  },
});

function announce(text: string): void {
  $('status').textContent = text;
}

/** The learner changed the program: what was shown belongs to the old one. */
function edited(): void {
  generation++;
  stepper = null;
  shown = null;
  lesson = null;
  if (choice.kind !== 'own') {
    choice = { kind: 'own' };
    menu.value = 'own';
    hook.program = 'own';
    $('program-summary').textContent = 'Your own program: edited from the example.';
  }
  editor.showRanLine(null);
  showScenario(null, [], 0);
  hook.scenario = null;
  hook.scenarioSteps = [];
  $('step-count').textContent = 'edited';
  announce('Edited: press Step or Run to run the new program.');
}

/** The stepper of the program in the editor, traced afresh after an edit or a new choice. */
async function current(): Promise<RemoteStepper> {
  if (stepper) return stepper;
  const asked = generation;
  const opened = await RemoteStepper.open(worker, editor.source, choice.kind === 'scenario' ? choice.name : null, DEFAULT_STEP_LIMIT);
  if (asked !== generation) return opened; // edited meanwhile: shown by nobody (see move)
  stepper = opened;
  view.newProgram();
  shown = null;
  lesson = opened.lesson ? { run: opened.lesson, done: completionSteps(opened.lesson, opened.trace) } : null;
  return stepper;
}

/** Moves the program to another step and shows it, unless the program changed meanwhile. */
async function move(how: (s: RemoteStepper) => Promise<Moved>): Promise<void> {
  const s = await current();
  const moved = await how(s);
  if (s === stepper) show(s, moved);
}

function show(s: RemoteStepper, { state, before }: Moved): void {
  // What the step just run changed, whichever way the learner came: the state before its line.
  const previous = before?.graph ?? null;
  const diff = previous ? diffGraphs(previous, state.graph) : null;
  view.draw(state.graph, diff ?? undefined);
  shown = state;
  editor.showRanLine(state.lineno);
  showOutput(state, s.trace);
  showFrames(state);
  const record = state.step > 0 ? s.trace.steps[state.step - 1] : undefined;
  showCollector(state.graph, record?.liveObjects ?? 0);
  chart.show(s.trace, state.step);
  $('chart-summary').textContent = record
    ? `${record.liveObjects} live objects of the program's own after step ${state.step}; ${chart.collectionMarkers.length} collections so far.`
    : 'No steps run yet.';

  const stopped = state.finished ? stopMessage(state.stoppedBy ?? 'end', state.error, s.stepLimit) : null;
  const stop = $('stop-message');
  stop.hidden = stopped === null;
  stop.textContent = stopped === null ? '' : state.stoppedBy === 'error' ? `The program raised ${stopped} — the traceback is under Output.` : stopped;
  stop.className = `stop-message ${state.stoppedBy === 'error' ? 'raised' : 'budget'}`;

  const change = describeChange(diff, state.graph, previous, hook.showInternals);
  $('change').textContent = state.step === 0 ? 'Before the first line.' : `Line ${state.lineno ?? '?'}: ${change}`;
  $('step-count').textContent = `step ${state.step} of ${s.total}`;
  $<HTMLButtonElement>('back').disabled = state.step === 0;
  $<HTMLButtonElement>('step').disabled = state.step >= s.total;
  $<HTMLButtonElement>('run').disabled = state.step >= s.total;

  const where = record ? `ran line ${record.lineno}${record.functionName === '<module>' ? '' : ` in ${record.functionName}()`}` : 'before the first line';
  const end = state.finished ? (stopped === null ? ' The program has ended.' : ` ${stopped}`) : '';
  announce(`Step ${state.step} of ${s.total}: ${where}.${state.step > 0 && change ? ` ${change}.` : ''}${end}`);

  const reachedBefore = hook.scenarioSteps.filter((l) => l.reached).length;
  hook.scenarioSteps = lesson ? showScenario(lesson.run, lesson.done, state.step) : showScenario(null, [], 0);
  const reached = hook.scenarioSteps.filter((l) => l.reached);
  if (reached.length > reachedBefore && lesson) {
    const newest = reached.at(-1)!;
    announce(`${$('status').textContent ?? ''} Lesson step ${reached.length}: ${newest.title}.`);
    // The lesson scrolls within its own box (side by side), so the editor's line stays in view.
    const box = $('scenario');
    const item = document.querySelectorAll<HTMLElement>('#scenario-steps li.reached').item(reached.length - 1);
    if (item && box.scrollHeight > box.clientHeight) box.scrollTop = item.offsetTop - 8;
  }
  Object.assign(hook, {
    step: state.step,
    steps: s.total,
    lineno: state.lineno,
    finished: state.finished,
    stoppedBy: state.stoppedBy,
    error: state.error,
    stopMessage: stopped,
    stdout: $('output').textContent ?? '',
    stderr: $('traceback').textContent ?? '',
    frames: state.frames,
    graph: state.graph,
    diff,
    renders: view.renders,
    chartPoints: chart.points,
    collectionMarkers: [...chart.collectionMarkers],
    chartDrawn: chart.drawn, // the plot draws a moment later: the hook reads it live
  });
}

async function runToLine(line: number): Promise<void> {
  const s = await current();
  const target = s.nextStepOnLine(line);
  if (target === null) {
    if (!shown) await move((t) => t.goTo(t.current));
    announce(`Line ${line} does not run after step ${s.current}: nothing to run to.`);
    return;
  }
  await move((t) => t.goTo(target));
}

let queue: Promise<void> = Promise.resolve();

/** Runs page work one piece at a time, after the browser has painted "working…". */
function act(work: () => void | Promise<void>): Promise<void> {
  queue = queue.then(async () => {
    hook.busy = true;
    $('status').setAttribute('aria-busy', 'true');
    document.body.classList.add('busy');
    await new Promise((resolve) => setTimeout(resolve, 0));
    try {
      await work();
      hook.pageError = null;
    } catch (error) {
      hook.pageError = error instanceof Error ? (error.stack ?? error.message) : String(error);
      announce(`The lab failed: ${error instanceof Error ? error.message : String(error)}`);
      console.error(error);
    } finally {
      hook.busy = false;
      $('status').removeAttribute('aria-busy');
      document.body.classList.remove('busy');
    }
  });
  return queue;
}

/** Opens a program in the editor and shows it before its first line. */
async function open(next: Choice, source: string): Promise<void> {
  choice = next;
  hook.program = choiceValue(next);
  menu.value = hook.program;
  hook.scenario = next.kind === 'scenario' ? next.name : null;
  $('program-summary').textContent =
    next.kind === 'scenario'
      ? `${next.scenario.title}. ${next.scenario.summary}.`
      : next.kind === 'seed'
        ? `From the seeds: ${next.title} (${next.name}.py).`
        : 'Your own program: type or paste Python, then Step through it.';
  loading = true;
  editor.setSource(source);
  loading = false;
  hook.source = source;
  generation++;
  stepper = null;
  lesson = null;
  await move((s) => s.restart());
}

async function openFromHash(): Promise<void> {
  let wanted;
  let problem: string | null = null;
  try {
    wanted = readHash(location.hash);
  } catch (error) {
    problem = `This link's program could not be read (${error instanceof Error ? error.message : String(error)}); here is the starter program instead.`;
    wanted = null;
  }
  if (wanted?.kind === 'code') return open({ kind: 'own' }, wanted.source);
  if (wanted) {
    const found = findChoice(`${wanted.kind === 'example' ? 'seed' : 'scenario'}:${wanted.name}`);
    if (found && found.kind !== 'own') return open(found, found.source);
    problem = `No ${wanted.kind} is called "${wanted.name}"; here is the starter program instead.`;
  }
  await open({ kind: 'own' }, STARTER);
  if (problem) announce(problem);
}

/** Offers the heap at this step as a `.heapsnapshot` download (DevTools opens only files of that name). */
async function saveSnapshot(): Promise<void> {
  const s = await current();
  const name = `memory-lab-${hook.program.replace(/[^a-z0-9_-]+/gi, '-')}-step-${s.current}.heapsnapshot`;
  const url = URL.createObjectURL(new Blob([await s.snapshot()], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  hook.savedSnapshot = name;
  announce(`Saved ${name}: open it in Chrome DevTools → Memory → Load profile.`);
}

function share(): void {
  const hash = shareHash(editor.source);
  history.replaceState(null, '', hash);
  const url = location.href;
  const field = $<HTMLInputElement>('share-url');
  field.hidden = false;
  field.value = url;
  field.select();
  announce('The link to this program is in the address bar and in the box beside Share link.');
  navigator.clipboard?.writeText(url).then(
    () => announce('Link copied: it opens this program.'),
    () => undefined,
  );
}

function wire(): void {
  fillMenu(menu);
  menu.addEventListener('change', () =>
    void act(async () => {
      const next = findChoice(menu.value);
      if (!next) return;
      if (next.kind === 'own') {
        choice = next;
        hook.program = 'own';
        hook.scenario = null;
        return;
      }
      history.replaceState(null, '', `#${next.kind === 'seed' ? 'example' : 'scenario'}=${next.name}`);
      await open(next, next.source);
    }),
  );
  $('run').addEventListener('click', () => void act(() => move((s) => s.toEnd())));
  $('step').addEventListener('click', () => void act(() => move((s) => s.step())));
  $('back').addEventListener('click', () => void act(() => move((s) => s.back())));
  $('restart').addEventListener('click', () => void act(() => move((s) => s.restart())));
  $('run-to-line').addEventListener('click', () => void act(() => runToLine(cursorLine)));
  $('share').addEventListener('click', share);
  $('save-snapshot').addEventListener('click', () => void act(saveSnapshot));
  $<HTMLInputElement>('internals').addEventListener('change', (event) => {
    hook.showInternals = (event.target as HTMLInputElement).checked;
    view.showInternals(hook.showInternals);
    hook.renders = view.renders;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'F10') {
      event.preventDefault();
      void act(() => move((s) => (event.shiftKey ? s.back() : s.step())));
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void act(() => move((s) => s.toEnd()));
    }
  });
  window.addEventListener('hashchange', () => {
    if (location.hash !== shareHash(editor.source)) void act(openFromHash);
  });
}

async function start(): Promise<void> {
  await view.init();
  wire();
  await act(openFromHash);
  hook.ready = true;
}

start().catch((error: unknown) => {
  hook.pageError = String(error);
  announce(`The lab failed to start: ${String(error)}`);
});
