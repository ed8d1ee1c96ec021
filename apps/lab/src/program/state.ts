/**
 * The state of a learner's program after a given step, by deterministic replay: a fresh
 * interpreter runs the program from the start and the line hook captures the heap as the step
 * after the wanted one is announced. Ids are the same on every replay (see interpreter.ts),
 * so stepping back is a replay to step k−1. `statesAt` captures several steps in one replay.
 */
import { snapshotProgram } from '../graph/program-snapshot.ts';
import { frameStack, isProgramLine, type HookFrame } from './frames.ts';
import { DEFAULT_FILENAME, DEFAULT_STEP_LIMIT, newInterpreter, stopAtNextStatement, type Interpreter } from './interpreter.ts';
import { stoppedBy } from './stopped.ts';
import type { ProgramOptions, ProgramState } from './types.ts';

export function stateAt(source: string, step: number, options: ProgramOptions = {}): ProgramState {
  return statesAt(source, [step], options)[0]!;
}

/** The states after each of `steps` (sorted, deduplicated, clamped to the program's end), from one replay. */
export function statesAt(source: string, steps: readonly number[], options: ProgramOptions = {}): ProgramState[] {
  const wanted = [...new Set(steps.map((s) => Math.max(0, Math.floor(s))))].sort((a, b) => a - b);
  if (wanted.length === 0) return [];
  const budget = options.stepLimit ?? DEFAULT_STEP_LIMIT;
  const filename = options.filename ?? DEFAULT_FILENAME;
  const it = newInterpreter(options, budget);
  const states: ProgramState[] = [];
  let events = 0;
  let previousLine: number | null = null;
  let next = 0;

  it.py.setLineHook((frame: HookFrame, lineno: number) => {
    if (!isProgramLine(frame, filename)) return;
    while (next < wanted.length && wanted[next] === events) {
      const frames = frameStack(frame);
      states.push(capture(it, wanted[next]!, previousLine, frames, false));
      next++;
    }
    // Everything wanted is captured: the run stops at its next statement, past any `except`.
    if (next === wanted.length) stopAtNextStatement(it);
    events++;
    previousLine = lineno;
  });
  const result = it.py.run(source, { filename });
  it.py.setLineHook(null);
  if (next < wanted.length) {
    // The program ended (or met its real budget) before the rest of the wanted steps.
    const how = stoppedBy(result.error);
    const end = capture(it, events, previousLine, [], true);
    while (next < wanted.length) {
      states.push({ ...end, error: result.error, stoppedBy: how });
      next++;
    }
  }
  return states;
}

function capture(it: Interpreter, step: number, lineno: number | null, frames: ReturnType<typeof frameStack>, finished: boolean): ProgramState {
  return {
    step,
    lineno,
    stdout: it.stdout(),
    stderr: it.stderr(),
    frames: frames.map(({ name, lineno: at }) => ({ name, lineno: at })),
    graph: snapshotProgram(it.py, frames, { collector: it.collector, weakrefs: it.weakrefs }),
    finished,
    error: null,
    stoppedBy: null,
  };
}
