/**
 * The page's side of the stepping worker: the same moves as a Stepper, answered asynchronously.
 * The trace comes back once per program, so the step count, the memory plot and "run to line"
 * need no round trip.
 */
import type { ProgramTrace } from '../src/program/index.ts';
import type { ScenarioRun } from '../src/runner.ts';
import type { Envelope, Moved, Opened, StepperReply, StepperRequest } from './stepper-protocol.ts';

export class SteppingWorker {
  readonly #worker = new Worker(new URL('./stepper-worker.ts', import.meta.url), { type: 'module' });
  readonly #waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 0;

  constructor() {
    this.#worker.addEventListener('message', (event: MessageEvent<StepperReply>) => {
      const reply = event.data;
      const waiting = this.#waiting.get(reply.id);
      this.#waiting.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.result);
      else waiting?.reject(new Error(`the stepping worker failed: ${reply.error}`));
    });
    this.#worker.addEventListener('error', (event) => {
      for (const waiting of this.#waiting.values()) waiting.reject(new Error(`the stepping worker failed: ${event.message}`));
      this.#waiting.clear();
    });
  }

  ask<T>(request: StepperRequest): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ id, ...request } satisfies Envelope<StepperRequest>);
    });
  }
}

export class RemoteStepper {
  readonly source: string;
  readonly stepLimit: number;
  readonly trace: ProgramTrace;
  readonly lesson: ScenarioRun | null;
  readonly #worker: SteppingWorker;
  #current = 0;

  private constructor(worker: SteppingWorker, source: string, stepLimit: number, opened: Opened) {
    this.#worker = worker;
    this.source = source;
    this.stepLimit = stepLimit;
    this.trace = opened.trace;
    this.lesson = opened.lesson;
  }

  static async open(worker: SteppingWorker, source: string, scenario: string | null, stepLimit: number): Promise<RemoteStepper> {
    const opened = await worker.ask<Opened>({ kind: 'open', source, scenario, stepLimit });
    return new RemoteStepper(worker, source, stepLimit, opened);
  }

  get total(): number {
    return this.trace.steps.length;
  }

  get current(): number {
    return this.#current;
  }

  async goTo(step: number): Promise<Moved> {
    const moved = await this.#worker.ask<Moved>({ kind: 'goTo', step });
    this.#current = moved.state.step;
    return moved;
  }

  step(): Promise<Moved> {
    return this.goTo(this.#current + 1);
  }

  back(): Promise<Moved> {
    return this.goTo(this.#current - 1);
  }

  restart(): Promise<Moved> {
    return this.goTo(0);
  }

  toEnd(): Promise<Moved> {
    return this.goTo(this.total);
  }

  /** The first step after the current one that runs `line`, or null when none does. */
  nextStepOnLine(line: number): number | null {
    return this.trace.steps.find((s) => s.step > this.#current && s.lineno === line)?.step ?? null;
  }

  /** The heap at the current step as a `.heapsnapshot` (DevTools' format). */
  snapshot(): Promise<string> {
    return this.#worker.ask<string>({ kind: 'snapshot' });
  }
}
