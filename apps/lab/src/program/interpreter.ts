/**
 * A fresh interpreter for one run of a learner's program, on a heap, collector and weak
 * references the lab makes itself so the graph can read them. Every replay of a program makes
 * a new one, and the ids it hands out must be the same each time (stepping back replays).
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Python } from '@refheap/python';
import { Weakrefs } from '@refheap/weakref';
import type { ProgramOptions } from './types.ts';

/** What a learner's program may run unless told otherwise: enough for the seeds' loops, short for an endless one. */
export const DEFAULT_STEP_LIMIT = 20_000;
export const DEFAULT_FILENAME = 'program.py';

/**
 * The heap tag the lab's program heaps share. By default core gives a new heap the lowest tag
 * no living heap holds; the replay before this one stays alive until the JS collector gets to
 * it, so ids would shift with JS GC timing. A program heap is dropped when its run ends and
 * never meets another heap's ids, so naming one tag for all keeps `hex(id(x))` the same on
 * every replay. (It is not closed: closing
 * runs pending `weakref.finalize` callbacks, which a replay stopped midway must not.)
 */
const PROGRAM_HEAP_TAG = 0;

export interface Interpreter {
  readonly py: Python;
  readonly heap: Heap;
  readonly collector: Collector;
  readonly weakrefs: Weakrefs;
  /** Live objects before the program: the interpreter's own. */
  readonly baseline: number;
  /** Estimated bytes of the interpreter's own objects, before the program. */
  readonly baselineBytes: number;
  /** Collections the interpreter's own start-up triggered (it allocates past the first threshold). */
  readonly baselineCollections: number;
  /** Everything printed so far (stdout), including output after `run` returns (shutdown). */
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function newInterpreter(options: ProgramOptions, stepLimit: number): Interpreter {
  let stdout = '';
  let stderr = '';
  // What the heap itself cannot raise (a finalizer's failure below the interpreter) is the
  // program's stderr, as CPython's unraisable hook writes to sys.stderr — not the page's console.
  const heap = new Heap({
    tag: PROGRAM_HEAP_TAG,
    unraisable: (info) => (stderr += `${info.message}\n${info.error instanceof Error ? info.error.message : String(info.error)}\n`),
  });
  const collector = new Collector(heap);
  const weakrefs = new Weakrefs(heap);
  const py = new Python({
    heap,
    collector,
    weakrefs,
    stepLimit,
    onStdout: (text) => (stdout += text),
    onStderr: (text) => (stderr += text),
  });
  if (options.gcEnabled === false) collector.disable();
  return { py, heap, collector, weakrefs, baseline: heap.liveObjects, baselineBytes: heap.stats().bytes, baselineCollections: collectionsOf(collector), stdout: () => stdout, stderr: () => stderr };
}

/** Collections run so far, all generations together. */
export function collectionsOf(collector: Collector): number {
  let total = 0;
  for (const generation of collector.getStats()) total += generation.collections;
  return total;
}

/**
 * Ends a replay once it has captured what it wanted: the interpreter's step budget is lowered to
 * the steps run so far, so the next statement stops the program from any depth, past every
 * `except` (a replay's own stop, which the caller knows from an error it raised for a budget).
 */
export function stopAtNextStatement(it: Interpreter): void {
  it.py.stepLimit = it.py.steps;
}
