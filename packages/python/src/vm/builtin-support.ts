/**
 * Argument checking with CPython's messages (bltinmodule.c's METH_O, _PyArg_CheckPositional,
 * Argument Clinic) and the small reference helpers shared by the builtin functions and the
 * builtin types (types/enumerate.ts, types/super.ts, …) they construct.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, PyClass } from './classes.ts';
import { lookupMethod } from './attributes.ts';
import { intOf } from './operators.ts';
import type { PyThrow } from './throw.ts';
import type { VM } from './vm.ts';

export function noKeywords(vm: VM, fname: string, kw: Kwargs | null): void {
  if (kw !== null && kw.names.length > 0) throw vm.typeError(`${fname}() takes no keyword arguments`);
}

/** METH_O: `len() takes exactly one argument (2 given)`. */
export function exactlyOne(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null): Ref {
  noKeywords(vm, fname, kw);
  if (args.length !== 1) throw vm.typeError(`${fname}() takes exactly one argument (${args.length} given)`);
  return args[0]!;
}

/** _PyArg_CheckPositional: `divmod expected 2 arguments, got 1`. */
export function positional(vm: VM, fname: string, args: readonly Ref[], min: number, max: number): void {
  const n = args.length;
  if (n >= min && n <= max) return;
  const plural = (k: number) => (k === 1 ? '' : 's');
  if (min === max) throw vm.typeError(`${fname} expected ${min} argument${plural(min)}, got ${n}`);
  if (n < min) throw vm.typeError(`${fname} expected at least ${min} argument${plural(min)}, got ${n}`);
  throw vm.typeError(`${fname} expected at most ${max} argument${plural(max)}, got ${n}`);
}

/** Keyword-only arguments by name; `'x' is an invalid keyword argument for print()` otherwise. */
export function keywords(vm: VM, fname: string, kw: Kwargs | null, allowed: readonly string[]): Map<string, Ref> {
  const out = new Map<string, Ref>();
  if (kw === null) return out;
  kw.names.forEach((name, i) => {
    if (!allowed.includes(name)) throw vm.typeError(`'${name}' is an invalid keyword argument for ${fname}()`);
    out.set(name, kw.values[i]!);
  });
  return out;
}

/** Argument Clinic parsing (parseArgs wants a self first). */
export function clinic(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null, params: readonly string[], required: number, positionalOnly = 0): Ref[] {
  const params2 = params;
  if (kw === null || kw.names.length === 0) {
    if (args.length > params.length) {
      throw vm.typeError(`${fname}() takes at most ${params.length} argument${params.length === 1 ? '' : 's'} (${args.length} given)`);
    }
  }
  const out: Ref[] = params2.map((_, i) => (i < args.length ? args[i]! : NULL));
  if (args.length > params.length) throw vm.typeError(`${fname}() takes at most ${params.length} arguments (${args.length} given)`);
  if (kw !== null) {
    kw.names.forEach((name, k) => {
      const at = params.indexOf(name);
      if (at < positionalOnly) throw vm.typeError(`${fname}() got an unexpected keyword argument '${name}'`);
      if (out[at] !== NULL) throw vm.typeError(`argument for ${fname}() given by name ('${name}') and position (${at + 1})`);
      out[at] = kw.values[k]!;
    });
  }
  for (let i = 0; i < required; i++) {
    if (out[i] === NULL) throw vm.typeError(`${fname}() missing required argument '${params[i]}' (pos ${i + 1})`);
  }
  return out;
}

export function isNone(vm: VM, ref: Ref): boolean {
  return ref === NULL || ref === vm.heap.None;
}

export function newRef(vm: VM, ref: Ref): Ref {
  vm.heap.incref(ref);
  return ref;
}

export function isExceptionOf(vm: VM, thrown: PyThrow, cls: PyClass): boolean {
  return vm.classOf(thrown.exc).isSubclassOf(cls);
}

/** An int argument's value (int, bool or `__index__`), exact. */
export function indexOf(vm: VM, ref: Ref): number | bigint {
  const i = intOf(vm, ref);
  if (i !== undefined) return i;
  const method = lookupMethod(vm, ref, '__index__');
  if (method === NULL) throw vm.typeError(`'${vm.typeName(ref)}' object cannot be interpreted as an integer`);
  const result = vm.call(method, [ref]);
  try {
    const value = intOf(vm, result);
    if (value === undefined) throw vm.typeError(`__index__ returned non-int (type ${vm.typeName(result)})`);
    return value;
  } finally {
    vm.heap.decref(result);
  }
}

export function attrName(vm: VM, ref: Ref): string {
  if (vm.heap.kindOf(ref) !== Kind.Str) throw vm.typeError(`attribute name must be string, not '${vm.typeName(ref)}'`);
  return vm.heap.valueOf(ref) as string;
}

/** A new int reference for a bigint, as a number when it is safe. */
export function fromBig(vm: VM, v: bigint): Ref {
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? vm.heap.newInt(Number(v)) : vm.heap.newInt(v);
}

/** A getset getter for an object slot: None when the slot is empty. */
export function slotOrNone(index: number) {
  return (vm: VM, self: Ref): Ref => {
    const value = vm.heap.getSlot(self, index);
    return newRef(vm, value === NULL ? vm.heap.None : value);
  };
}
