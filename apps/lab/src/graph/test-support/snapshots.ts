/**
 * For the graph's tests: runs a Python program on @refheap/python and pictures its heap at each
 * line whose text ends with `# snap` (just before that line runs), as the page's stepping does.
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Python, type LineEvent } from '@refheap/python';
import { Weakrefs } from '@refheap/weakref';
import { snapshotProgram, type ProgramFrame, type ProgramGraph } from '../program-snapshot.ts';

type Frame = Parameters<LineEvent>[0];

export interface Snapshots {
  readonly graphs: ProgramGraph[];
  readonly stdout: string;
  readonly error: string | null;
}

/** `limit`: pictures at most this many (a loop's line events are many). */
export function snapshotLines(source: string, limit = Infinity): Snapshots {
  const heap = new Heap();
  const collector = new Collector(heap);
  const weakrefs = new Weakrefs(heap);
  const py = new Python({ heap, collector, weakrefs });
  const lines = source.split('\n');
  const graphs: ProgramGraph[] = [];
  py.setLineHook((frame, lineno) => {
    if (graphs.length >= limit || frame.globals !== py.globals || !lines[lineno - 1]!.trimEnd().endsWith('# snap')) return;
    const frames: ProgramFrame[] = [];
    for (let f: Frame | null = frame; f; f = f.back) frames.unshift({ name: f.code.name, lineno: f.lineno, frame: f });
    graphs.push(snapshotProgram(py, frames, { collector, weakrefs }));
  });
  const { stdout, error } = py.run(source, { filename: 'snap.py' });
  py.setLineHook(null);
  heap.close();
  return { graphs, stdout, error };
}
