/**
 * The `weakref` module (Objects/weakrefobject.c, Lib/weakref.py, Lib/_weakrefset.py) over the
 * VM's @refheap/weakref Weakrefs.
 *
 * `weakref.ref(obj)` and `weakref.proxy(obj)` make the weakref package's own heap objects (types
 * `weakref.ReferenceType` and `weakref.ProxyType`), registered here with Python classes, so
 * they have ids, reprs, refcounts and show up in `gc.get_referrers`. The package clears them
 * and calls back in CPython's order (PyObject_ClearWeakRefs: the shared callback-less ref and
 * proxy first, then the others newest first; with the collector, handle_weakrefs' rules).
 *
 * Callbacks: the package takes JS callbacks, so a Python callback is held here, in a map from
 * the weak reference to an owned reference to the callable, released when the callback has
 * been called or when the weak reference is freed first (a heap observer, installed only while
 * some weak reference has a Python callback). Unlike CPython's `wr_callback` the callable is not
 * traversed by the collector: a cycle through a weak reference's callback is not collectable
 * (see the report at the end of this file's header).
 *
 * The weak containers (containers.ts) keep their entries in a real heap dict (`data`, as Lib/weakref.py does):
 * WeakValueDictionary maps key → weak reference; WeakKeyDictionary and WeakSet map the key's id
 * → weak reference (and value): their keys compare by identity, which is what CPython's
 * comparison of weakly referenceable objects with the default `__eq__` amounts to. An entry
 * goes when its object dies, from that weak reference's callback.
 *
 * Needs from the core (not available here): a way for Weakrefs to hold a heap-object callback
 * (traversed and cleared like CPython's wr_callback); attributes.ts consulting a native class's
 * `__setattr__`/`__delattr__` (so `proxy.x = 1` forwards; it raises AttributeError now).
 */
import type { Ref } from '@refheap/core';
import type { NativeFn } from '../../classes.ts';
import { moduleArgs, newRefList, type ModuleNames } from './support.ts';
import { weakMaker } from './callbacks.ts';
import { installRef } from './ref.ts';
import { installProxy } from './proxy.ts';
import { installWeakMethod } from './weak-method.ts';
import { installFinalize } from './finalize.ts';
import { installWeakValueDictionary } from './weak-value-dictionary.ts';
import { installWeakKeyDictionary } from './weak-key-dictionary.ts';
import { installWeakSet } from './weak-set.ts';
import type { VM } from '../../vm.ts';

export { runAtexitFinalizers } from './finalize.ts';

export function makeWeakrefModule(vm: VM): Ref {
  const module = vm.newModule('weakref', 'Weak reference support for Python.');
  const dict = vm.moduleDict(module);
  const names: ModuleNames = {
    def: (name: string, fn: NativeFn): void => vm.defineFunction(dict, name, fn, 'weakref'),
    put: (name: string, value: Ref): void => vm.setItemStr(dict, name, value),
  };
  const maker = weakMaker(vm);
  installRef(vm, names, maker);
  installProxy(vm, names, maker);
  // _weakref's own functions.
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  names.def('getweakrefcount', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, '_weakref.getweakrefcount', args, kw, ['object'], 1);
    return heap.newInt(weakrefs.getWeakrefCount(obj!));
  });
  names.def('getweakrefs', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, '_weakref.getweakrefs', args, kw, ['object'], 1);
    return newRefList(vm, weakrefs.getWeakrefs(obj!));
  });
  installWeakMethod(vm, names);
  installFinalize(vm, names);
  installWeakValueDictionary(vm, names);
  installWeakKeyDictionary(vm, names);
  installWeakSet(vm, names);
  return module;
}
