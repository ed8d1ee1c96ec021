/**
 * A progress line on stderr for runs whose narration the learner is not watching: `--json`, or
 * stdout sent to a file or pipe while stderr is a terminal. It redraws one line in place (a
 * carriage return, no cursor control) and erases itself at the end, so nothing of it lands in
 * what the run printed. Off a terminal it draws nothing.
 */
import type { OutStream } from './io.ts';

export interface Progress {
  /** The job about to run, the `done`-th of the total (from 0). */
  start(done: number, label: string): void;
  finish(): void;
}

const silent: Progress = { start: () => undefined, finish: () => undefined };
const BAR = 24;

/** A progress line when stderr is a terminal and stdout is not showing the narration. */
export function runProgress(stdout: OutStream, stderr: OutStream, total: number, json: boolean): Progress {
  if (stderr.isTTY !== true || (stdout.isTTY === true && !json) || total < 1) return silent;
  const width = Math.max(40, (stderr.columns ?? 80) - 1);
  let drawn = 0;
  const draw = (text: string): void => {
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    stderr.write(`\r${line.padEnd(drawn)}`);
    drawn = line.length;
  };
  return {
    start(done, label) {
      const filled = Math.round((done / total) * BAR);
      draw(`  [${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${done}/${total}  ${label}`);
    },
    finish() {
      if (drawn > 0) stderr.write(`\r${' '.repeat(drawn)}\r`);
      drawn = 0;
    },
  };
}
