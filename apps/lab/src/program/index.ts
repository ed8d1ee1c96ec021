/**
 * Running a learner's Python step by step on @refheap/python, in the page and in Node alike
 * (no Node API): `traceProgram` runs it once and records each line event lightly, `stateAt`
 * replays it to a step and answers the frames, the output and the heap's graph there.
 */
export { traceProgram } from './trace.ts';
export { stateAt, statesAt } from './state.ts';
export { Stepper } from './stepper.ts';
export { heapSnapshotAt } from './heap-snapshot.ts';
export { stopMessage } from './stopped.ts';
export { DEFAULT_STEP_LIMIT, DEFAULT_FILENAME } from './interpreter.ts';
export type { ProgramOptions, ProgramState, ProgramTrace, StepRecord, StoppedBy } from './types.ts';
