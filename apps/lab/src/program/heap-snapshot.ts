/**
 * The program's heap after a step as a Chrome DevTools heap snapshot (`@refheap/monitor`'s
 * `heapSnapshot`): DevTools → Memory → Load profile shows the same objects grouped by Python
 * type, with retainers and retained sizes. A replay to the step, like stateAt.
 */
import { heapSnapshot } from '@refheap/monitor';
import { replay } from './replay.ts';
import type { ProgramOptions } from './types.ts';

export function heapSnapshotAt(source: string, step: number, options: ProgramOptions = {}): string {
  return replay(source, [step], options, ({ it }) => heapSnapshot(it.heap))[0]!;
}
