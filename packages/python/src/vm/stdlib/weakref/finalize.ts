/**
 * Lib/weakref.py's finalize: a call made once when an object dies, or when called, or (with
 * atexit set) at interpreter exit, newest first; detach and peek; a registry owning the live ones.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs } from '../../classes.ts';
import { truthy } from '../../operators.ts';
import { PyThrow } from '../../throw.ts';
import { guard, type ModuleNames } from './support.ts';
import type { VM } from '../../vm.ts';

const atExitHooks = new WeakMap<VM, () => void>();

/**
 * Runs the live `weakref.finalize` objects whose `atexit` is set, newest first, once: what
 * CPython's atexit does at interpreter exit, before the modules are cleared. For the
 * interpreter's shutdown to call first; does nothing when weakref was never imported.
 */
export function runAtexitFinalizers(vm: VM): void {
  atExitHooks.get(vm)?.();
}

export function installFinalize(vm: VM, names: ModuleNames): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const F_FUNC = 0;
  const F_ARGS = 1;
  const F_KWARGS = 2;
  const F_STATE = 3;
  interface FinalizeState {
    /** The weak reference to the object (owned), or 0 once dead. */
    wr: Ref;
    atexit: boolean;
  }
  /** Live finalizers, each owned (Lib/weakref.py's `_registry`), in creation order. */
  const registry = new Set<Ref>();
  const finalizeClass = vm.nativeClass('finalize', {
    slots: ['func', 'args', 'kwargs', { name: 'state', kind: 'js' }],
    weakrefable: true,
    module: 'weakref',
    repr: (heap, self) => {
      const state = heap.getSlotValue(self, F_STATE) as FinalizeState | undefined;
      const obj = state && state.wr !== NULL ? weakrefs.deref(state.wr) : NULL;
      if (obj === NULL) return `<finalize object at ${heap.hexId(self)}; dead>`;
      return `<finalize object at ${heap.hexId(self)}; for '${vm.typeName(obj)}' at ${heap.hexId(obj)}>`;
    },
  });
  const stateOf = (self: Ref): FinalizeState => heap.getSlotValue(self, F_STATE) as FinalizeState;
  /** Marks a finalizer dead; returns its (func, args, kwargs) as owned refs, or null if it was dead. */
  const kill = (self: Ref): [Ref, Ref, Ref] | null => {
    const state = stateOf(self);
    if (!registry.has(self) || state.wr === NULL) return null;
    const parts: [Ref, Ref, Ref] = [heap.getSlot(self, F_FUNC), heap.getSlot(self, F_ARGS), heap.getSlot(self, F_KWARGS)];
    for (const part of parts) heap.incref(part);
    heap.setSlot(self, F_FUNC, NULL);
    heap.setSlot(self, F_ARGS, NULL);
    heap.setSlot(self, F_KWARGS, NULL);
    const wr = state.wr;
    state.wr = NULL;
    registry.delete(self);
    heap.decref(wr);
    heap.decref(self); // the registry's reference (the caller holds another)
    return parts;
  };
  const callParts = (vm: VM, [func, args, kwargs]: [Ref, Ref, Ref]): Ref => {
    try {
      const items: Ref[] = [];
      for (let i = 0; i < heap.length(args); i++) items.push(heap.item(args, i));
      let kw: Kwargs | null = null;
      if (heap.length(kwargs) > 0) {
        const names: string[] = [];
        const values: Ref[] = [];
        heap.dictForEach(kwargs, (k, v) => {
          names.push(heap.valueOf(k) as string);
          values.push(v);
        });
        kw = { names, values };
      }
      return vm.call(func, items, kw);
    } finally {
      for (const part of [func, args, kwargs]) heap.decref(part);
    }
  };
  finalizeClass.construct = (vm, cls, args, kw) => {
    if (args.length < 2) {
      if (args.length === 1) throw vm.typeError("finalize.__init__() missing 1 required positional argument: 'func'");
      throw vm.typeError("finalize.__init__() missing 2 required positional arguments: 'obj' and 'func'");
    }
    const obj = args[0]!;
    const self = heap.newInstance(cls.instanceType!);
    const state: FinalizeState = { wr: NULL, atexit: true };
    heap.setSlotValue(self, F_STATE, state);
    try {
      state.wr = guard(vm, () =>
        weakrefs.ref(obj, () => {
          // The object died: call the finalizer (what it raises is unraisable).
          heap.incref(self);
          try {
            const parts = kill(self);
            if (parts === null) return;
            if (exited) {
              // After the atexit run, a finalizer whose object dies is marked dead but not called (_shutdown).
              for (const part of parts) heap.decref(part);
              return;
            }
            const saved = vm.frame;
            try {
              heap.decref(callParts(vm, parts));
            } catch (error) {
              if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error;
              vm.reportUnraisable(vm.toThrow(error), self);
            } finally {
              vm.frame = saved;
            }
          } finally {
            heap.decref(self);
          }
        }),
      );
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    heap.setSlot(self, F_FUNC, args[1]!);
    const rest = heap.newTuple(args.slice(2));
    heap.setSlot(self, F_ARGS, rest);
    heap.decref(rest);
    const kwargs = heap.newDict();
    if (kw) kw.names.forEach((name, i) => vm.setItemStr(kwargs, name, kw.values[i]!));
    heap.setSlot(self, F_KWARGS, kwargs);
    heap.decref(kwargs);
    heap.incref(self);
    registry.add(self);
    return self;
  };
  vm.defineMethod(finalizeClass, '__call__', (vm, args) => {
    const parts = kill(args[0]!);
    if (parts === null) return heap.newNone();
    return callParts(vm, parts);
  });
  const info = (self: Ref, detach: boolean): Ref => {
    const state = stateOf(self);
    if (!registry.has(self) || state.wr === NULL) return heap.newNone();
    const obj = weakrefs.deref(state.wr);
    if (obj === NULL) return heap.newNone();
    heap.incref(obj);
    try {
      const parts = detach ? kill(self)! : ([heap.getSlot(self, F_FUNC), heap.getSlot(self, F_ARGS), heap.getSlot(self, F_KWARGS)] as [Ref, Ref, Ref]);
      const tuple = heap.newTuple([obj, ...parts]);
      if (detach) for (const part of parts) heap.decref(part);
      return tuple;
    } finally {
      heap.decref(obj);
    }
  };
  vm.defineMethod(finalizeClass, 'detach', (_vm, args) => info(args[0]!, true));
  vm.defineMethod(finalizeClass, 'peek', (_vm, args) => info(args[0]!, false));
  finalizeClass.getset.set('alive', { get: (_vm, self) => heap.newBool(registry.has(self) && stateOf(self).wr !== NULL) });
  finalizeClass.getset.set('atexit', {
    get: (_vm, self) => heap.newBool(stateOf(self).atexit),
    set: (vm, self, value) => {
      stateOf(self).atexit = truthy(vm, value);
    },
  });
  // At exit, the live finalizers with atexit set run, newest first (Lib/weakref.py's _exitfunc,
  // an atexit hook: before the modules are torn down). Reached through `runAtexitFinalizers`
  // (for Python.shutdown) and through Heap.close's `closing` observers.
  const atExit = (): void => {
    {
      const pending = [...registry].filter((f) => stateOf(f).atexit).reverse();
      for (const f of pending) {
        if (!registry.has(f)) continue;
        heap.incref(f);
        try {
          const parts = kill(f);
          if (parts === null) continue;
          try {
            heap.decref(callParts(vm, parts));
          } catch (error) {
            if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error;
            vm.reportUnraisable(vm.toThrow(error), f);
          }
        } finally {
          heap.decref(f);
        }
      }
    }
  };
  let exited = false;
  const atExitOnce = (): void => {
    if (exited) return;
    exited = true;
    atExit();
  };
  atExitHooks.set(vm, atExitOnce);
  heap.addObserver({ closing: atExitOnce });
  put('finalize', finalizeClass.object);
}
