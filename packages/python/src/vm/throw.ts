/**
 * A Python exception in flight. The JS stack unwinds Python frames, so a `raise` is a JS throw of
 * this: it owns one reference to the exception object, which the handler that catches it takes
 * over (or releases). Not an Error: capturing a JS stack on every raise would make exceptions
 * used for control flow (StopIteration, KeyError in a cache) cost microseconds.
 */
import type { Ref } from '@refheap/core';

export class PyThrow {
  /** The last frame a traceback entry was added for: a frame adds one entry, however it unwinds. */
  frame: unknown = null;
  /** The last frame this exception's arrival was reported in to a tracer ('exception' events, see VM.traceException). */
  tracedIn: unknown = null;
  constructor(readonly exc: Ref) {}
}

/** Out of steps or memory: stops the program from any depth, past every `except`. */
export class BudgetExceeded {
  constructor(readonly exc: Ref) {}
}
