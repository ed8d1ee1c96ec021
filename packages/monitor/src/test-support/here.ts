/** The file and line of the caller, read from the stack the same way the tracer reads it. */
import { parseStack } from '../frames.ts';

export function here(): { filename: string; lineno: number } {
  const frames = parseStack(new Error().stack ?? '');
  const caller = frames[1]!;
  return { filename: caller.filename, lineno: caller.lineno };
}
