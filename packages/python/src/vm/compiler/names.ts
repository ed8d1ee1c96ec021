/**
 * Loads, stores and deletes of names, one closure per resolution: fast locals by index, cells
 * through their cell, globals through the module dict and then the builtins — CPython's
 * LOAD_FAST / LOAD_DEREF / LOAD_GLOBAL / LOAD_NAME, with their error messages.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Frame } from '../frame.ts';
import type { VM } from '../vm.ts';
import type { Resolution, Scope } from './scope.ts';

export type Load = (frame: Frame) => Ref;
export type Store = (frame: Frame, value: Ref) => void;
export type Delete = (frame: Frame) => void;

function unboundLocal(vm: VM, name: string): unknown {
  return vm.error('UnboundLocalError', `cannot access local variable '${name}' where it is not associated with a value`);
}

function unboundFree(vm: VM, name: string): unknown {
  return vm.error('NameError', `cannot access free variable '${name}' where it is not associated with a value in enclosing scope`);
}

function notDefined(vm: VM, name: string): unknown {
  return vm.error('NameError', `name '${name}' is not defined`);
}

/**
 * The text of the name's interned str, the very JS string its dict entries are keyed by: a
 * lookup with it finds the key by identity rather than by comparing characters. (Interning a
 * name at compile time is what CPython's compiler does with co_names.)
 */
function canonical(vm: VM, name: string): string {
  const key = vm.heap.intern(name);
  const text = vm.heap.valueOf(key) as string;
  vm.heap.decref(key);
  return text;
}

/**
 * A global name's load: the module dict and then the builtins, the module dict's entry found
 * through a cached position (CPython's LOAD_GLOBAL inline cache) checked on every use. The
 * key is the name's interned str, which the interning table keeps alive, so identity with
 * the entry's key is equality.
 */
function globalLoad(vm: VM, name: string): Load {
  const heap = vm.heap;
  const key = heap.intern(name);
  heap.decref(key);
  let at = -1;
  return (f) => {
    const globals = f.globals;
    let value = heap.dictValueAt(globals, at, key);
    if (value !== NULL) return value;
    at = heap.dictIndex(globals, key);
    value = at >= 0 ? heap.dictValueAt(globals, at, key) : NULL;
    if (value === NULL) value = heap.dictGetStr(vm.builtins, name);
    if (value === NULL) throw notDefined(vm, name);
    return value;
  };
}

function isCell(scope: Scope, index: number): boolean {
  return index < scope.varnames.length + scope.cellvars.length;
}

export function loadName(vm: VM, scope: Scope, id: string): Load {
  const heap = vm.heap;
  const name = canonical(vm, id);
  const where: Resolution = scope.resolve(name);
  switch (where.kind) {
    case 'fast': {
      const i = where.index;
      return (f) => {
        const value = f.fast[i]!;
        if (value === NULL) throw unboundLocal(vm, name);
        heap.incref(value);
        return value;
      };
    }
    case 'deref': {
      const i = where.index;
      const cell = isCell(scope, i);
      return (f) => {
        const value = heap.cellGet(f.fast[i]!);
        if (value === NULL) throw cell ? unboundLocal(vm, name) : unboundFree(vm, name);
        heap.incref(value);
        return value;
      };
    }
    case 'global': {
      const load = globalLoad(vm, name);
      return (f) => {
        const value = load(f);
        heap.incref(value);
        return value;
      };
    }
    case 'name':
      return (f) => {
        let value = f.locals === NULL ? NULL : heap.dictGetStr(f.locals, name);
        if (value === NULL) value = heap.dictGetStr(f.globals, name);
        if (value === NULL) value = heap.dictGetStr(vm.builtins, name);
        if (value === NULL) throw notDefined(vm, name);
        heap.incref(value);
        return value;
      };
    case 'classderef': {
      const i = where.index;
      return (f) => {
        let value = heap.dictGetStr(f.locals, name);
        if (value === NULL) value = heap.cellGet(f.fast[i]!);
        if (value === NULL) throw unboundFree(vm, name);
        heap.incref(value);
        return value;
      };
    }
  }
}

/**
 * Like loadName, but the value is borrowed: for a consumer that is done with it before any
 * Python code can run (an int operation, a tuple or list display taking its own references),
 * where the load's incref and the consumer's decref would cancel out.
 */
export function loadNameBorrowed(vm: VM, scope: Scope, id: string): Load {
  const heap = vm.heap;
  const name = canonical(vm, id);
  const where: Resolution = scope.resolve(name);
  switch (where.kind) {
    case 'fast': {
      const i = where.index;
      return (f) => {
        const value = f.fast[i]!;
        if (value === NULL) throw unboundLocal(vm, name);
        return value;
      };
    }
    case 'global':
      return globalLoad(vm, name);
    default: {
      const load = loadName(vm, scope, name);
      return (f) => {
        const value = load(f);
        heap.decref(value);
        return value;
      };
    }
  }
}

/** A store takes over `value`'s reference. */
export function storeName(vm: VM, scope: Scope, name: string): Store {
  const heap = vm.heap;
  const where = scope.resolve(name);
  const key = heap.intern(name);
  switch (where.kind) {
    case 'fast': {
      const i = where.index;
      return (f, value) => {
        const old = f.fast[i]!;
        f.fast[i] = value;
        if (old !== NULL) heap.decref(old);
      };
    }
    case 'deref': {
      const i = where.index;
      return (f, value) => {
        heap.cellSet(f.fast[i]!, value);
        heap.decref(value);
      };
    }
    case 'global': {
      let at = -1; // the module dict's entry for the name, cached as in globalLoad
      return (f, value) => {
        const globals = f.globals;
        if (heap.dictStoreAt(globals, at, key, value)) return;
        heap.dictSet(globals, key, value);
        heap.decref(value);
        at = heap.dictIndex(globals, key);
      };
    }
    case 'name':
    case 'classderef':
      return (f, value) => {
        heap.dictSet(f.locals === NULL ? f.globals : f.locals, key, value);
        heap.decref(value);
      };
  }
}

export function deleteName(vm: VM, scope: Scope, name: string, quiet = false): Delete {
  const heap = vm.heap;
  const where = scope.resolve(name);
  const key = heap.intern(name);
  switch (where.kind) {
    case 'fast': {
      const i = where.index;
      return (f) => {
        const old = f.fast[i]!;
        if (old === NULL) {
          if (quiet) return;
          throw unboundLocal(vm, name);
        }
        f.fast[i] = NULL;
        heap.decref(old);
      };
    }
    case 'deref': {
      const i = where.index;
      const cell = isCell(scope, i);
      return (f) => {
        if (heap.cellGet(f.fast[i]!) === NULL) {
          if (quiet) return;
          throw cell ? unboundLocal(vm, name) : unboundFree(vm, name);
        }
        heap.cellSet(f.fast[i]!, NULL);
      };
    }
    case 'global':
    case 'name':
    case 'classderef':
      return (f) => {
        const dict = where.kind === 'global' || f.locals === NULL ? f.globals : f.locals;
        if (heap.dictGet(dict, key) === NULL) {
          if (quiet) return;
          throw notDefined(vm, name);
        }
        heap.dictDelete(dict, key);
      };
  }
}

/** The fast-array slot of a cell or free variable of `scope`, for building a closure. */
export function cellSlot(scope: Scope, name: string): number {
  const cell = scope.cellvars.indexOf(name);
  if (cell >= 0) return scope.varnames.length + cell;
  const free = scope.freevars.indexOf(name);
  if (free >= 0) return scope.varnames.length + scope.cellvars.length + free;
  return -1;
}
