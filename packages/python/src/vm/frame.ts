/**
 * Code and frames. A Code is a compiled function body (CPython's code object, minus bytecode:
 * the body is a tree of JS closures). A Frame is one activation: its fast locals — plain locals,
 * then cells, then free variables, each slot an owned reference or 0 — and the line it is on.
 * A frame becomes a heap object only when something must hold it (a traceback, a generator,
 * sys._getframe), as CPython 3.11 materializes its frame objects lazily; until then the locals
 * are counted as the frame's and nothing else.
 */
import type { Ref } from '@refheap/core';
import type { Scope } from './compiler/scope.ts';

/** How a statement ended: normally, or by break, continue or return (the value in `frame.retval`). */
export const enum Completion {
  Normal = 0,
  Break = 1,
  Continue = 2,
  Return = 3,
}

export type Block = (frame: Frame) => Completion;
/** A generator body: yields owned references out, receives owned sent values back. */
export type GeneratorBody = (frame: Frame) => Generator<Ref, Completion, Ref>;

export interface Parameters {
  /** Positional-or-keyword and positional-only parameters, in order. */
  readonly positional: readonly string[];
  readonly positionalOnly: number;
  readonly keywordOnly: readonly string[];
  readonly varargs: string | null;
  readonly varkw: string | null;
}

export class Code {
  /** Parameters that are also cells, as [parameter slot, cell slot]: filled into their cells at entry. */
  readonly parameterCells: readonly (readonly [number, number])[];
  /** Only positional-or-keyword parameters (no `*args`, `**kw`, keyword-only): a call giving each one positionally just moves them in. */
  readonly plainPositional: boolean;
  body: Block | null = null;
  /** Positional parameters without a default in the `def` (for "takes from 1 to 2 positional arguments"). */
  requiredPositional = 0;
  generatorBody: GeneratorBody | null = null;

  constructor(
    readonly name: string,
    readonly qualname: string,
    readonly filename: string,
    readonly firstlineno: number,
    readonly scope: Scope,
    readonly parameters: Parameters,
    readonly docstring: string | null,
  ) {
    const cells: [number, number][] = [];
    scope.cellvars.forEach((name, i) => {
      const slot = scope.varnames.indexOf(name);
      if (slot >= 0) cells.push([slot, scope.varnames.length + i]);
    });
    this.parameterCells = cells;
    this.plainPositional = parameters.varargs === null && parameters.varkw === null && parameters.keywordOnly.length === 0;
  }

  get isGenerator(): boolean {
    return this.scope.isGenerator;
  }

  get varnames(): readonly string[] {
    return this.scope.varnames;
  }

  get frameSize(): number {
    return this.scope.frameSize;
  }
}

export class Frame {
  readonly fast: Ref[];
  lineno: number;
  /** The frame object, once one exists (a counted reference the running frame holds). */
  object: Ref = 0;
  /** The value of a `return` on its way out. */
  retval: Ref = 0;
  /** Set once the frame has returned or raised: its locals belong to its frame object, if any. */
  finished = false;
  /** On the JS stack now: its locals are in use, and a collector must not clear them. */
  executing = false;
  /** A generator's frame: its frame object belongs to the generator, not to the frame. */
  generator = false;

  constructor(
    readonly code: Code,
    /** The globals dict (borrowed from the function or module, which outlives the call). */
    readonly globals: Ref,
    /** The locals dict of a module or class body (its names are not fast); 0 in a function. */
    readonly locals: Ref,
    /** The calling frame, for tracebacks and sys._getframe. */
    public back: Frame | null,
  ) {
    // Filled by pushing, so the array is a packed one (faster to index than new Array(n)'s holes).
    const size = code.frameSize;
    const fast: Ref[] = [];
    for (let i = 0; i < size; i++) fast.push(0);
    this.fast = fast;
    this.lineno = code.firstlineno;
  }
}
