/** The stack of running frames a line event sees, outermost first, as the graph and the page want it. */
import type { LineEvent } from '@refheap/python';
import type { ProgramFrame } from '../graph/program-snapshot.ts';

/** The interpreter's frame, as its line hook hands it over. */
export type HookFrame = Parameters<LineEvent>[0];

export function frameStack(innermost: HookFrame | null): ProgramFrame[] {
  const frames: ProgramFrame[] = [];
  for (let frame = innermost; frame !== null; frame = frame.back) {
    frames.push({ name: frame.code.name, lineno: frame.lineno, frame });
  }
  return frames.reverse();
}

/**
 * Whether a line event is the learner's: a step is a line of the program's own file, not of a
 * module it imports that is written in Python (contextlib's lines are the interpreter's).
 */
export const isProgramLine = (frame: HookFrame, filename: string): boolean => frame.code.filename === filename;
