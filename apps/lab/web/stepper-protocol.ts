/** The messages between the page and its stepping worker (stepper-worker.ts): plain data both ways. */
import type { ProgramState, ProgramTrace } from '../src/program/index.ts';
import type { ScenarioRun } from '../src/runner.ts';

export type StepperRequest =
  | { readonly kind: 'open'; readonly source: string; readonly scenario: string | null; readonly stepLimit: number }
  | { readonly kind: 'goTo'; readonly step: number }
  | { readonly kind: 'snapshot' };

export interface Opened {
  readonly trace: ProgramTrace;
  /** A scenario's lesson, run on its own interpreter: its steps' narration and checks. */
  readonly lesson: ScenarioRun | null;
}

export interface Moved {
  readonly state: ProgramState;
  /** The state before the step's line ran (null at step 0): what the step changed is the difference. */
  readonly before: ProgramState | null;
}

export type Envelope<T> = { readonly id: number } & T;
export type StepperReply = Envelope<{ readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string }>;
