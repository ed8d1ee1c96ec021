/** Streams that remember what was written: for running the CLI in-process in tests. */
import type { Io, OutStream } from './io.ts';

export interface Captured extends OutStream {
  readonly text: () => string;
}

export function captureStream(isTTY = false, columns = 100): Captured {
  const chunks: string[] = [];
  return { write: (t: string) => chunks.push(t), isTTY, columns, text: () => chunks.join('') };
}

export function captureIo(options: { tty?: boolean; columns?: number; env?: Record<string, string | undefined> } = {}): Io & {
  stdout: Captured;
  stderr: Captured;
} {
  return { stdout: captureStream(options.tty, options.columns), stderr: captureStream(options.tty, options.columns), env: options.env ?? {} };
}
