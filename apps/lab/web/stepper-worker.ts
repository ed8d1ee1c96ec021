/**
 * The stepping, off the page's thread: a worker holds the Stepper of the program being stepped
 * (traces, replays, graphs) and answers the page's requests in order, so a long trace or a
 * costly replay never freezes the page's controls.
 */
import { heapSnapshotAt, Stepper } from '../src/program/index.ts';
import { scenarios } from '../src/registry.ts';
import { runScenario } from '../src/runner.ts';
import type { Envelope, Moved, Opened, StepperReply, StepperRequest } from './stepper-protocol.ts';

let stepper: Stepper | null = null;

function answer(request: StepperRequest): Opened | Moved | string {
  switch (request.kind) {
    case 'open': {
      stepper = new Stepper(request.source, { stepLimit: request.stepLimit });
      const scenario = request.scenario === null ? undefined : scenarios.find((s) => s.name === request.scenario);
      // Traced first, then the lesson: an interpreter is used to its end before the next is made.
      return { trace: stepper.trace, lesson: scenario ? runScenario(scenario, { stepLimit: request.stepLimit }) : null };
    }
    case 'goTo': {
      const s = opened();
      const state = s.goTo(request.step);
      return { state, before: s.before };
    }
    case 'snapshot': {
      const s = opened();
      return heapSnapshotAt(s.source, s.current, s.options);
    }
  }
}

function opened(): Stepper {
  if (!stepper) throw new Error('the stepping worker has no program open');
  return stepper;
}

addEventListener('message', (event: MessageEvent<Envelope<StepperRequest>>) => {
  const { id } = event.data;
  let reply: StepperReply;
  try {
    reply = { id, ok: true, result: answer(event.data) };
  } catch (error) {
    reply = { id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  postMessage(reply);
});
