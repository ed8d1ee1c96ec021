/** How a run ended, read from the interpreter's answer, and the sentence the lab shows for it. */
import type { StoppedBy } from './types.ts';

export function stoppedBy(error: string | null): StoppedBy {
  if (error === null) return 'end';
  if (/stopped the program: it ran past its step budget/.test(error)) return 'step budget';
  if (/stopped the program: its heap passed the memory budget/.test(error)) return 'memory budget';
  return 'error';
}

/** A learner-facing line for a run that did not simply end; null for one that did. */
export function stopMessage(how: StoppedBy, error: string | null, stepLimit: number): string | null {
  switch (how) {
    case 'end':
      return null;
    case 'step budget':
      return `Stopped after ${stepLimit.toLocaleString('en')} steps, the step budget: the program may loop forever (or raise the budget).`;
    case 'memory budget':
      return 'Stopped: the program\'s heap passed its memory budget.';
    case 'error':
      return error;
  }
}
