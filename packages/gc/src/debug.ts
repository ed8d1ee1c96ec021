/**
 * The gc module's debugging flags and the lines it prints, worded as
 * CPython 3.11 words them ("gc: collecting generation 2...").
 */

export const DEBUG_STATS = 1;
export const DEBUG_COLLECTABLE = 2;
export const DEBUG_UNCOLLECTABLE = 4;
export const DEBUG_SAVEALL = 32;
export const DEBUG_LEAK: number = DEBUG_COLLECTABLE | DEBUG_UNCOLLECTABLE | DEBUG_SAVEALL;

/** Receives each debug line (without a newline). CPython writes them to stderr. */
export type DebugSink = (line: string) => void;

export const stderrSink: DebugSink = (line) => {
  (globalThis as { console?: { error(text: string): void } }).console?.error(line);
};

export function collectingLine(generation: number): string {
  return `gc: collecting generation ${generation}...`;
}

export function generationsLine(sizes: readonly number[]): string {
  return `gc: objects in each generation: ${sizes.join(' ')}`;
}

export function permanentLine(size: number): string {
  return `gc: objects in permanent generation: ${size}`;
}

/** `gc: collectable <list 0x7f…>` (CPython's debug_cycle). */
export function cycleLine(kind: 'collectable' | 'uncollectable', typeName: string, address: string): string {
  return `gc: ${kind} <${typeName} ${address}>`;
}

export function doneLine(unreachable: number, uncollectable: number, seconds: number): string {
  return `gc: done, ${unreachable} unreachable, ${uncollectable} uncollectable, ${seconds.toFixed(4)}s elapsed`;
}
