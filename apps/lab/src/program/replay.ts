/**
 * Deterministic replay: a fresh interpreter runs the program from the start, and as each wanted
 * step ends — when the line event after it comes, or the program ends — `capture` reads the
 * interpreter there. Ids are the same on every replay (see interpreter.ts). Once the last wanted
 * step is captured, the run stops at its next statement.
 */
import type { ProgramFrame } from '../graph/program-snapshot.ts';
import { frameStack, isProgramLine, type HookFrame } from './frames.ts';
import { DEFAULT_FILENAME, DEFAULT_STEP_LIMIT, newInterpreter, stopAtNextStatement, type Interpreter } from './interpreter.ts';
import { stoppedBy } from './stopped.ts';
import type { ProgramOptions, StoppedBy } from './types.ts';

export interface Moment {
  readonly it: Interpreter;
  /** The step just ended (clamped to the program's last). */
  readonly step: number;
  /** The line that step ran; null at step 0. */
  readonly lineno: number | null;
  /** The running frames, outermost first; empty once the program has ended. */
  readonly frames: ProgramFrame[];
  /** How the program ended, when it has (null while it runs). */
  readonly ended: { readonly error: string | null; readonly stoppedBy: StoppedBy } | null;
}

/** What `capture` answers at each of `steps` (sorted, deduplicated), from one run of the program. */
export function replay<T>(source: string, steps: readonly number[], options: ProgramOptions, capture: (moment: Moment) => T): T[] {
  const wanted = [...new Set(steps.map((s) => Math.max(0, Math.floor(s))))].sort((a, b) => a - b);
  if (wanted.length === 0) return [];
  const filename = options.filename ?? DEFAULT_FILENAME;
  const it = newInterpreter(options, options.stepLimit ?? DEFAULT_STEP_LIMIT);
  const captured: T[] = [];
  let events = 0;
  let previousLine: number | null = null;
  let next = 0;

  it.py.setLineHook((frame: HookFrame, lineno: number) => {
    if (!isProgramLine(frame, filename)) return;
    while (next < wanted.length && wanted[next] === events) {
      captured.push(capture({ it, step: events, lineno: previousLine, frames: frameStack(frame), ended: null }));
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
    const end = capture({ it, step: events, lineno: previousLine, frames: [], ended: { error: result.error, stoppedBy: stoppedBy(result.error) } });
    for (; next < wanted.length; next++) captured.push(end);
  }
  return captured;
}
