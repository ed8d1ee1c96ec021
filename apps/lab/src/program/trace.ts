/**
 * One run of a learner's whole program with a light record per line event — counts, bytes,
 * collections, output length; no graph — for the memory plot, the step count and `lab run`.
 */
import { frameStack, type HookFrame } from './frames.ts';
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
}

export function traceProgram(source: string, options: ProgramOptions = {}): ProgramTrace {
  const stepLimit = options.stepLimit ?? DEFAULT_STEP_LIMIT;
  const it = newInterpreter(options, stepLimit);
  const steps: StepRecord[] = [];
  let pending: Pending | null = null;
  let bytes = 0;

  const finish = (open: Pending): void => {
    if (open.step <= BYTES_EVERY_STEP || open.step % BYTES_STRIDE === 0) bytes = it.heap.stats().bytes;
    steps.push({
      ...open,
      liveObjects: it.heap.liveObjects - it.baseline,
      heapBytes: bytes,
      collections: collectionsOf(it.collector) - it.baselineCollections,
      stdoutLength: it.stdout().length,
    });
  };

  it.py.setLineHook((frame: HookFrame, lineno: number) => {
    if (pending) finish(pending);
    pending = { step: steps.length + 1, lineno, functionName: frameStack(frame).at(-1)!.name };
  });
  const result = it.py.run(source, { filename: options.filename ?? DEFAULT_FILENAME });
  if (pending) finish(pending);
  it.py.setLineHook(null);
  const how = stoppedBy(result.error);
  // `python3 file.py` ends by clearing __main__ and collecting: finalizers due then print.
  // A program stopped at a budget is not shut down: its finalizers would run into the budget.
  if (how === 'end' || how === 'error') it.py.shutdown();
  it.heap.close();
  return { steps, stdout: it.stdout(), stderr: it.stderr(), error: result.error, stoppedBy: how, baseline: it.baseline, baselineBytes: it.baselineBytes };
}
