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
