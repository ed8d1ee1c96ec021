/**
 * What the stdlib modules written in TypeScript share: a module function's argument parsing
 * (no self), the "takes no arguments" check, and JS errors from the heap's packages turned into
 * Python exceptions.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs } from '../classes.ts';
import { parseArgs } from '../types/args.ts';
import type { VM } from '../vm.ts';

/** parseArgs for a module function: the arguments after a NULL stand-in for self. */
export function moduleArgs(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null, params: readonly string[], required: number, positionalOnly: number = params.length): Ref[] {
  return parseArgs(vm, fname, [NULL, ...args], kw, params, required, positionalOnly);
}

/** `time.perf_counter(1)`: `perf_counter() takes no arguments (1 given)`. */
export function noArguments(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null): void {
  if (kw !== null && kw.names.length > 0) throw vm.typeError(`${fname}() takes no keyword arguments`);
  if (args.length > 0) throw vm.typeError(`${fname}() takes no arguments (${args.length} given)`);
}

/** Runs a call into core, gc, weakref or monitor, turning their Py* errors into Python exceptions. */
export function guard<T>(vm: VM, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw vm.toThrow(error);
  }
}
