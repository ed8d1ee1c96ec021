/**
 * What the weakref module's parts share: argument parsing for its functions, JS errors turned
 * into Python ones, calls out of a deallocation (what they raise is unraisable), the weak
 * reference types' Python classes, and the module dict's writers.
 */
import type { HeapType, Ref } from '@refheap/core';
import { PyClass, type NativeFn } from '../../classes.ts';
import { PyThrow } from '../../throw.ts';
import type { VM } from '../../vm.ts';

/** Names put into the module dict: a function, or any value. */
export interface ModuleNames {
  readonly def: (name: string, fn: NativeFn) => void;
  readonly put: (name: string, value: Ref) => void;
}

export { guard, moduleArgs } from '../module-support.ts';

export function keyError(vm: VM, key: Ref): PyThrow {
  return new PyThrow(vm.newException(vm.exc.KeyError, [key]));
}

export function newRefList(vm: VM, refs: readonly Ref[]): Ref {
  return vm.heap.newList(refs);
}

/** A list of owned refs, handed over to a new list (the refs are released). */
export function ownedList(vm: VM, refs: Ref[]): Ref {
  const list = vm.heap.newList(refs);
  for (const ref of refs) vm.heap.decref(ref);
  return list;
}

/** Calls a Python callable from inside a deallocation or collection; what it raises is unraisable. */
export function callOut(vm: VM, fn: Ref, args: readonly Ref[], about: Ref): void {
  const saved = vm.frame;
  try {
    vm.heap.decref(vm.call(fn, args));
  } catch (error) {
    if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error; // budget stops pass
    vm.reportUnraisable(vm.toThrow(error), about);
  } finally {
    vm.frame = saved;
  }
}

/** A Python class for one of the weakref package's heap types (ReferenceType, ProxyType). */
export function registerType(vm: VM, name: string, type: HeapType): PyClass {
  const cls = new PyClass(name, type.object, vm.heap.attributeDict(type.object), type, false);
  vm.inherit(cls, []);
  cls.module = 'weakref';
  cls.baseAllowed = false;
  return vm.register(cls, [type]);
}
