/**
 * The state of a learner's program after a given step, by deterministic replay (replay.ts):
 * stepping back is a replay to step k−1. `statesAt` captures several steps in one replay.
 */
import { snapshotProgram } from '../graph/program-snapshot.ts';
import { replay, type Moment } from './replay.ts';
import type { ProgramOptions, ProgramState } from './types.ts';

export function stateAt(source: string, step: number, options: ProgramOptions = {}): ProgramState {
  return statesAt(source, [step], options)[0]!;
}

/** The states after each of `steps` (sorted, deduplicated, clamped to the program's end), from one replay. */
export function statesAt(source: string, steps: readonly number[], options: ProgramOptions = {}): ProgramState[] {
  return replay(source, steps, options, capture);
}

function capture({ it, step, lineno, frames, ended }: Moment): ProgramState {
  return {
    step,
    lineno,
    stdout: it.stdout(),
    stderr: it.stderr(),
    frames: frames.map(({ name, lineno: at }) => ({ name, lineno: at })),
    graph: snapshotProgram(it.py, frames, { collector: it.collector, weakrefs: it.weakrefs }),
    finished: ended !== null,
    error: ended?.error ?? null,
    stoppedBy: ended?.stoppedBy ?? null,
  };
}
