/**
 * One run of a learner's whole program with a light record per line event — counts, bytes,
 * collections, output length; no graph — for the memory plot, the step count and `lab run`.
 */
import { isProgramLine, type HookFrame } from './frames.ts';
import { collectionsOf, DEFAULT_FILENAME, DEFAULT_STEP_LIMIT, newInterpreter } from './interpreter.ts';
import { stoppedBy } from './stopped.ts';
import type { ProgramOptions, ProgramTrace, StepRecord } from './types.ts';

/**
 * Heap bytes are a scan of the whole heap (`heap.stats()`), so they are measured after each of
 * the first steps and then at every BYTES_STRIDE-th step, carrying the last measure between.
 */
const BYTES_EVERY_STEP = 2_000;
const BYTES_STRIDE = 20;

interface Pending {
  step: number;
  lineno: number;
  functionName: string;
  /** Live objects, bytes and loaded modules as the step began. */
  liveBefore: number;
  bytesBefore: number;
  modulesBefore: number;
}

export function traceProgram(source: string, options: ProgramOptions = {}): ProgramTrace {
  const stepLimit = options.stepLimit ?? DEFAULT_STEP_LIMIT;
  const filename = options.filename ?? DEFAULT_FILENAME;
  const it = newInterpreter(options, stepLimit);
  const modules = it.py.modules;
  const steps: StepRecord[] = [];
  let pending: Pending | null = null;
  let bytes = it.baselineBytes;
  // The interpreter's own objects: those it starts with, and each module the program's imports
  // load (a module is made on its first import, as CPython makes most of them at start-up).
  let ownObjects = it.baseline;
  let ownBytes = it.baselineBytes;

  const finish = (open: Pending): void => {
    const loaded = modules.size > open.modulesBefore;
    if (loaded || open.step <= BYTES_EVERY_STEP || open.step % BYTES_STRIDE === 0) bytes = it.heap.stats().bytes;
    const live = it.heap.liveObjects;
    if (loaded) {
      ownObjects += live - open.liveBefore;
      ownBytes += bytes - open.bytesBefore;
    }
    steps.push({
      step: open.step,
      lineno: open.lineno,
      functionName: open.functionName,
      liveObjects: live - ownObjects,
      heapBytes: bytes,
      programBytes: bytes - ownBytes,
      collections: collectionsOf(it.collector) - it.baselineCollections,
      stdoutLength: it.stdout().length,
    });
  };

  it.py.setLineHook((frame: HookFrame, lineno: number) => {
    if (!isProgramLine(frame, filename)) return;
    if (pending) finish(pending);
    else bytes = it.heap.stats().bytes; // the compiled program is there before its first line
    pending = {
      step: steps.length + 1,
      lineno,
      functionName: frame.code.name,
      liveBefore: it.heap.liveObjects,
      bytesBefore: bytes,
      modulesBefore: modules.size,
    };
  });
  const result = it.py.run(source, { filename });
  if (pending) finish(pending);
  it.py.setLineHook(null);
  const how = stoppedBy(result.error);
  // `python3 file.py` ends by clearing __main__ and collecting: finalizers due then print.
  // A program stopped at a budget is not shut down: its finalizers would run into the budget.
  if (how === 'end' || how === 'error') it.py.shutdown();
  return { steps, stdout: it.stdout(), stderr: it.stderr(), error: result.error, stoppedBy: how, baseline: it.baseline, baselineBytes: it.baselineBytes };
}
