/**
 * weakref.ref (ReferenceType, Objects/weakrefobject.c): calling it gives the referent or None;
 * equality by referent while both live; weakref_hash's referent hash, kept once computed. */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { equals } from '../../operators.ts';
import { hashOf } from '../../builtins.ts';
import { registerType, type ModuleNames } from './support.ts';
import type { WeakMaker } from './callbacks.ts';
import type { VM } from '../../vm.ts';

export function installRef(vm: VM, names: ModuleNames, { makeWeak, callbackOf }: WeakMaker): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const refType = weakrefs.referenceType;
  const refClass = registerType(vm, 'ReferenceType', refType);
  refClass.construct = (vm, _cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('ref() takes no keyword arguments');
    if (args.length < 1) throw vm.typeError(`__new__ expected at least 1 argument, got ${args.length}`);
    if (args.length > 2) throw vm.typeError(`__new__ expected at most 2 arguments, got ${args.length}`);
    return makeWeak(args[0]!, args[1] ?? NULL, false);
  };
  vm.defineMethod(refClass, '__call__', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('weakref() takes no keyword arguments');
    if (args.length > 1) throw vm.typeError(`weakref expected 0 arguments, got ${args.length - 1}`);
    const obj = weakrefs.deref(args[0]!);
    const result = obj === NULL ? heap.None : obj;
    heap.incref(result);
    return result;
  });
  const weakEq = (vm: VM, a: Ref, b: Ref): boolean | undefined => {
    if (!weakrefs.isWeakref(b) || weakrefs.isProxy(b)) return undefined;
    const x = weakrefs.deref(a);
    const y = weakrefs.deref(b);
    if (x === NULL || y === NULL) return a === b;
    return x === y || equals(vm, x, y);
  };
  vm.defineMethod(refClass, '__eq__', (vm, args) => {
    const r = weakEq(vm, args[0]!, args[1]!);
    if (r === undefined) {
      heap.incref(vm.core.NotImplemented);
      return vm.core.NotImplemented;
    }
    return heap.newBool(r);
  });
  vm.defineMethod(refClass, '__ne__', (vm, args) => {
    const r = weakEq(vm, args[0]!, args[1]!);
    if (r === undefined) {
      heap.incref(vm.core.NotImplemented);
      return vm.core.NotImplemented;
    }
    return heap.newBool(!r);
  });
  // weakref_hash: the referent's hash, computed once and kept; a dead ref never hashed raises.
  const hashes = new Map<Ref, { serial: number; hash: bigint }>();
  vm.defineMethod(refClass, '__hash__', (vm, args) => {
    const wr = args[0]!;
    const cached = hashes.get(wr);
    if (cached !== undefined && cached.serial === heap.serialOf(wr)) return heap.newInt(cached.hash);
    const obj = weakrefs.deref(wr);
    if (obj === NULL) throw vm.typeError('weak object has gone away');
    const hash = hashOf(vm, obj);
    hashes.set(wr, { serial: heap.serialOf(wr), hash });
    return heap.newInt(hash);
  });
  refClass.getset.set('__callback__', {
    get: (_vm, self) => {
      const cb = callbackOf(self) ?? heap.None;
      heap.incref(cb);
      return cb;
    },
  });
  put('ref', refClass.object);
  put('ReferenceType', refClass.object);
}
