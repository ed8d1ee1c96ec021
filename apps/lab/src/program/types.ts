/**
 * What running a learner's program step by step answers. A step is one line event (the
 * interpreter's sys.settrace 'line' event, before each statement): step k ran the statement
 * that line event k announced, and the state "after step k" is what the heap holds when the
 * next line event comes (or when the program ends). Step 0 is before the first statement.
 */
import type { ProgramGraph } from '../graph/program-snapshot.ts';

export interface ProgramOptions {
  /** The name tracebacks show; `program.py` unless given. */
  readonly filename?: string | undefined;
  /** Line events the program may run before it is stopped (an endless loop ends here). */
  readonly stepLimit?: number | undefined;
  /** Whether the collector starts enabled, as in CPython (true unless given). */
  readonly gcEnabled?: boolean | undefined;
}

export type StoppedBy = 'end' | 'error' | 'step budget' | 'memory budget';

/** One line event's light record: what step `step` ran and what the heap held after it. */
export interface StepRecord {
  readonly step: number;
  /** The line this step ran. */
  readonly lineno: number;
  /** The function whose frame ran it (`<module>` at top level). */
  readonly functionName: string;
  /**
   * Live objects after the step, the interpreter's own left out: those it starts with (types,
   * builtins, interned strings) and those of each module an import loaded.
   */
  readonly liveObjects: number;
  /** Estimated bytes of every live heap object after the step (the interpreter's included). */
  readonly heapBytes: number;
  /** The same, the interpreter's own objects left out as for `liveObjects`. */
  readonly programBytes: number;
  /** Collections the collector had run by the end of the step, in all generations, since the program began. */
  readonly collections: number;
  /** How much of the program's stdout had been printed by the end of the step. */
  readonly stdoutLength: number;
}

export interface ProgramTrace {
  readonly steps: StepRecord[];
  /** Everything the program printed, as `python3 file.py` prints it (exit-time finalizers too). */
  readonly stdout: string;
  /** The traceback of an uncaught exception, warnings, `gc: …` debug lines. */
  readonly stderr: string;
  /** The uncaught exception's `Type: message` line, or the budget's; null when it ran to its end. */
  readonly error: string | null;
  readonly stoppedBy: StoppedBy;
  /** Live objects of the interpreter alone, before the program: subtracted from each count. */
  readonly baseline: number;
  /** Heap bytes of the interpreter alone, before the program. */
  readonly baselineBytes: number;
}

export interface ProgramState {
  /** The step this is the state after (at most the program's last). */
  readonly step: number;
  /** The line the step ran; null at step 0. */
  readonly lineno: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The running frames, outermost first, each on the line it is at; empty once the program ended. */
  readonly frames: { readonly name: string; readonly lineno: number }[];
  readonly graph: ProgramGraph;
  /** Whether the program had ended (normally, by an exception or at a budget) by this step. */
  readonly finished: boolean;
  readonly error: string | null;
  readonly stoppedBy: StoppedBy | null;
}
