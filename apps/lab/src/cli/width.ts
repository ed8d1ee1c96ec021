/**
 * How wide the narration is laid out: the terminal's own width at a TTY (so a
 * wide terminal shows long Python lines whole), a fixed width into a pipe or
 * file, so a log reads the same wherever it was made.
 */
import type { OutStream } from './io.ts';

/** The width used off a TTY, and at a TTY that does not say its width. */
export const PIPE_COLUMNS = 100;
/** Narrower than this, nothing lays out sensibly; we lay out as if this wide. */
export const MIN_COLUMNS = 40;

export function outputColumns(stream: OutStream): number {
  if (stream.isTTY !== true || !stream.columns || stream.columns <= 0) return PIPE_COLUMNS;
  return Math.max(MIN_COLUMNS, stream.columns);
}
