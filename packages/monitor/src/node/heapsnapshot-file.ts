/**
 * Writes the managed heap's `.heapsnapshot` to a file, streaming the chunks as
 * they are produced and waiting for the disk when it falls behind. DevTools
 * loads a file by its name: `.heapsnapshot` as a heap snapshot, `.heaptimeline`
 * as an allocation timeline — the one view that shows allocation stacks. Other
 * names are rejected up front rather than producing a file DevTools will not open.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Heap } from '@refheap/core';
import { heapSnapshotChunks, type HeapSnapshotOptions, type HeapSnapshotSummary } from '../heapsnapshot.ts';

/** Writes `heap` to `path` (ending in `.heapsnapshot` or `.heaptimeline`); resolves with what was written. */
export async function writeHeapSnapshot(heap: Heap, path: string, options: HeapSnapshotOptions = {}): Promise<HeapSnapshotSummary & { path: string }> {
  if (typeof path !== 'string' || !(path.endsWith('.heapsnapshot') || path.endsWith('.heaptimeline'))) {
    throw new TypeError(
      `a heap snapshot file must end in .heapsnapshot or .heaptimeline (Chrome refuses to load it otherwise), got ${String(path)}`,
    );
  }
  const chunks = heapSnapshotChunks(heap, options);
  const out = createWriteStream(path, { encoding: 'utf8' });
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => undefined);
  try {
    let step = chunks.next();
    while (!step.done) {
      if (!out.write(step.value)) await Promise.race([once(out, 'drain'), failed]);
      step = chunks.next();
    }
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
    return { ...step.value, path };
  } catch (error) {
    out.destroy();
    throw error;
  }
}
