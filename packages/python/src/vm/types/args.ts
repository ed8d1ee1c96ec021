/**
 * Argument parsing for the natives of built-in types: positional and keyword arguments to
 * parameters by name, with CPython's messages for too many, too few, duplicated and unknown
 * arguments, and converters for the common kinds (str, int index, optional None).
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs } from '../classes.ts';
import type { VM } from '../vm.ts';

/**
 * The arguments after self, one per parameter (NULL when not given). Parameters before
 * `positionalOnly` cannot be passed by keyword (a `/` in the signature).
 */
export function parseArgs(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null, params: readonly string[], required: number, positionalOnly: number = params.length): Ref[] {
  const given = args.length - 1;
  if (positionalOnly >= params.length && (kw === null || kw.names.length === 0)) {
    // Argument Clinic's _PyArg_CheckPositional wording for positional-only methods.
    if (given < required || given > params.length) {
      if (required === params.length && required === 1) throw vm.typeError(`${fname}() takes exactly one argument (${given} given)`);
      const [bound, count] = given < required ? ['least', required] : ['most', params.length];
      throw vm.typeError(`${fname} expected at ${bound} ${count} argument${count === 1 ? '' : 's'}, got ${given}`);
    }
  }
  if (given > params.length) {
    if (params.length === 0) throw vm.typeError(`${fname}() takes no arguments (${given} given)`);
    throw vm.typeError(`${fname}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${given} given)`);
  }
  const out: Ref[] = params.map((_, i) => (i < given ? args[i + 1]! : NULL));
  if (kw && kw.names.length > 0) {
    if (positionalOnly >= params.length) throw vm.typeError(`${fname}() takes no keyword arguments`);
    kw.names.forEach((name, k) => {
      const at = params.indexOf(name);
      if (at < positionalOnly) throw vm.typeError(`${fname}() got an unexpected keyword argument '${name}'`);
      if (out[at] !== NULL) throw vm.typeError(`argument for ${fname}() given by name ('${name}') and position (${at + 1})`);
      out[at] = kw.values[k]!;
    });
  }
  for (let i = 0; i < required; i++) {
    if (out[i] === NULL) {
      if (required === params.length && required === 1) throw vm.typeError(`${fname}() takes exactly one argument (0 given)`);
      throw vm.typeError(`${fname}() missing required argument '${params[i]}' (pos ${i + 1})`);
    }
  }
  return out;
}

/** No arguments besides self (METH_NOARGS). */
export function noArgs(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null): void {
  if (kw && kw.names.length > 0) throw vm.typeError(`${fname}() takes no keyword arguments`);
  if (args.length > 1) throw vm.typeError(`${fname}() takes no arguments (${args.length - 1} given)`);
}

/** The text of a str argument, or CPython's TypeError naming the function and argument. */
export function strArg(vm: VM, ref: Ref, what: string): string {
  if (vm.heap.kindOf(ref) !== Kind.Str) throw vm.typeError(`${what} must be str, not ${vm.typeName(ref)}`);
  return vm.heap.valueOf(ref) as string;
}

/** An int argument (int, bool, or __index__) as a JS number, clamped to a safe range. */
export function intArg(vm: VM, ref: Ref): number {
  const heap = vm.heap;
  const kind = heap.kindOf(ref);
  let value: unknown;
  if (kind === Kind.Int || kind === Kind.Bool) value = heap.valueOf(ref);
  else if (heap.dictGetStr(vm.classOf(ref).dict, '__index__') !== NULL || vm.classOf(ref).mro.some((c) => heap.dictGetStr(c.dict, '__index__') !== NULL)) {
    const result = vm.callMethod(ref, '__index__');
    try {
      value = heap.valueOf(result);
    } finally {
      heap.decref(result);
    }
  } else throw vm.typeError(`'${vm.typeName(ref)}' object cannot be interpreted as an integer`);
  const n = typeof value === 'boolean' ? Number(value) : Number(value);
  return Math.max(-Number.MAX_SAFE_INTEGER, Math.min(Number.MAX_SAFE_INTEGER, n));
}

/** Whether a parameter was left out or passed None. */
export function isAbsent(vm: VM, ref: Ref): boolean {
  return ref === NULL || ref === vm.heap.None;
}
