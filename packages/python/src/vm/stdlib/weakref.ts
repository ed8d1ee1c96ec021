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
 * The weak containers keep their entries in a real heap dict (`data`, as Lib/weakref.py does):
 * WeakValueDictionary maps key → weak reference; WeakKeyDictionary and WeakSet map the key's id
 * → weak reference (and value): their keys compare by identity, which is what CPython's
 * comparison of weakly referenceable objects with the default `__eq__` amounts to. An entry
 * goes when its object dies, from that weak reference's callback.
 *
 * Needs from the core (not available here): a way for Weakrefs to hold a heap-object callback
 * (traversed and cleared like CPython's wr_callback); attributes.ts consulting a native class's
 * `__setattr__`/`__delattr__` (so `proxy.x = 1` forwards; it raises AttributeError now).
 */
import { Kind, NULL } from '@refheap/core';
import type { HeapType, Ref } from '@refheap/core';
import { PyClass, type Kwargs, type NativeFn } from '../classes.ts';
import { deleteAttribute, getAttribute, setAttribute } from '../attributes.ts';
import { contains, delItem, equals, getItem, length, richCompare, setItem, truthy } from '../operators.ts';
import { getIter, listOf } from '../iteration.ts';
import { newMethod } from '../function.ts';
import { hashOf } from '../builtins.ts';
import { repr as reprOf, str as strOf } from '../repr.ts';
import { intArg, isAbsent, parseArgs } from '../types/args.ts';
import { PyThrow } from '../throw.ts';
import type { VM } from '../vm.ts';

function moduleArgs(vm: VM, fname: string, args: readonly Ref[], kw: Kwargs | null, params: readonly string[], required: number, positionalOnly = params.length): Ref[] {
  return parseArgs(vm, fname, [NULL, ...args], kw, params, required, positionalOnly);
}

function guard<T>(vm: VM, body: () => T): T {
  try {
    return body();
  } catch (error) {
    throw vm.toThrow(error);
  }
}

function keyError(vm: VM, key: Ref): PyThrow {
  return new PyThrow(vm.newException(vm.exc.KeyError, [key]));
}

function newRefList(vm: VM, refs: readonly Ref[]): Ref {
  return vm.heap.newList(refs);
}

/** A list of owned refs, handed over to a new list (the refs are released). */
function ownedList(vm: VM, refs: Ref[]): Ref {
  const list = vm.heap.newList(refs);
  for (const ref of refs) vm.heap.decref(ref);
  return list;
}

function ownedTuple(vm: VM, refs: Ref[]): Ref {
  const tuple = vm.heap.newTuple(refs);
  for (const ref of refs) vm.heap.decref(ref);
  return tuple;
}

const atExitHooks = new WeakMap<VM, () => void>();

/**
 * Runs the live `weakref.finalize` objects whose `atexit` is set, newest first, once: what
 * CPython's atexit does at interpreter exit, before the modules are cleared. For the
 * interpreter's shutdown to call first; does nothing when weakref was never imported.
 */
export function runAtexitFinalizers(vm: VM): void {
  atExitHooks.get(vm)?.();
}

export function makeWeakrefModule(vm: VM): Ref {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const module = vm.newModule('weakref', 'Weak reference support for Python.');
  const dict = vm.moduleDict(module);
  const def = (name: string, fn: NativeFn): void => vm.defineFunction(dict, name, fn, 'weakref');
  const put = (name: string, value: Ref): void => vm.setItemStr(dict, name, value);

  // ─── Python callbacks of weak references ──────────────────────────────────

  const pyCallbacks = new Map<Ref, Ref>();
  const refType: HeapType = weakrefs.referenceType;
  const proxyType: HeapType = weakrefs.proxyType;
  let removeObserver: (() => void) | null = null;
  const dropCallback = (wr: Ref): void => {
    const cb = pyCallbacks.get(wr);
    if (cb === undefined) return;
    pyCallbacks.delete(wr);
    if (pyCallbacks.size === 0 && removeObserver) {
      removeObserver();
      removeObserver = null;
    }
    heap.decref(cb);
  };
  const holdCallback = (wr: Ref, cb: Ref): void => {
    heap.incref(cb);
    pyCallbacks.set(wr, cb);
    if (removeObserver === null) {
      removeObserver = heap.addObserver({
        freed: (ref, type) => {
          if ((type === refType || type === proxyType) && pyCallbacks.has(ref)) dropCallback(ref);
        },
      });
    }
  };
  /** Calls a Python callable from inside a deallocation or collection; what it raises is unraisable. */
  const callOut = (fn: Ref, args: readonly Ref[], about: Ref): void => {
    const saved = vm.frame;
    try {
      heap.decref(vm.call(fn, args));
    } catch (error) {
      if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error; // budget stops pass
      vm.reportUnraisable(vm.toThrow(error), about);
    } finally {
      vm.frame = saved;
    }
  };
  /** The one JS callback of every weak reference with a Python callback (handle_callback). */
  const rawCallback = (wr: Ref): void => {
    const cb = pyCallbacks.get(wr);
    if (cb === undefined) return;
    pyCallbacks.delete(wr); // CPython clears wr_callback before calling it
    heap.incref(wr);
    try {
      callOut(cb, [wr], cb);
    } finally {
      heap.decref(cb);
      heap.decref(wr);
      if (pyCallbacks.size === 0 && removeObserver) {
        removeObserver();
        removeObserver = null;
      }
    }
  };
  const makeWeak = (obj: Ref, callback: Ref, proxy: boolean): Ref => {
    const withCallback = callback !== NULL && callback !== heap.None;
    const wr = guard(vm, () => (proxy ? weakrefs.proxy(obj, withCallback ? rawCallback : null) : weakrefs.ref(obj, withCallback ? rawCallback : null)));
    if (withCallback) holdCallback(wr, callback);
    return wr;
  };

  // ─── ReferenceType ─────────────────────────────────────────────────────────

  const registerType = (name: string, type: HeapType): PyClass => {
    const cls = new PyClass(name, type.object, heap.attributeDict(type.object), type, false);
    vm.inherit(cls, []);
    cls.module = 'weakref';
    cls.baseAllowed = false;
    return vm.register(cls, [type]);
  };
  const refClass = registerType('ReferenceType', refType);
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
      const cb = pyCallbacks.get(self) ?? heap.None;
      heap.incref(cb);
      return cb;
    },
  });
  put('ref', refClass.object);
  put('ReferenceType', refClass.object);

  // ─── ProxyType ─────────────────────────────────────────────────────────────

  const proxyClass = registerType('ProxyType', proxyType);
  const referent = (vm: VM, proxy: Ref): Ref => {
    const obj = weakrefs.deref(proxy);
    if (obj === NULL) throw vm.error('ReferenceError', 'weakly-referenced object no longer exists');
    return obj;
  };
  vm.defineMethod(proxyClass, '__getattr__', (vm, args) => getAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!)));
  vm.defineMethod(proxyClass, '__setattr__', (vm, args) => {
    setAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!), args[2]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__delattr__', (vm, args) => {
    deleteAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!));
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__call__', (vm, args, kw) => vm.call(referent(vm, args[0]!), args.slice(1), kw));
  vm.defineMethod(proxyClass, '__str__', (vm, args) => heap.newStr(strOf(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__len__', (vm, args) => heap.newInt(length(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__bool__', (vm, args) => heap.newBool(truthy(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__getitem__', (vm, args) => getItem(vm, referent(vm, args[0]!), args[1]!));
  vm.defineMethod(proxyClass, '__setitem__', (vm, args) => {
    setItem(vm, referent(vm, args[0]!), args[1]!, args[2]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__delitem__', (vm, args) => {
    delItem(vm, referent(vm, args[0]!), args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__contains__', (vm, args) => heap.newBool(contains(vm, referent(vm, args[0]!), args[1]!)));
  vm.defineMethod(proxyClass, '__iter__', (vm, args) => getIter(vm, referent(vm, args[0]!)));
  const unwrap = (vm: VM, ref: Ref): Ref => (weakrefs.isWeakref(ref) && weakrefs.isProxy(ref) ? referent(vm, ref) : ref);
  for (const [name, op] of [
    ['__eq__', 'Eq'],
    ['__ne__', 'NotEq'],
    ['__lt__', 'Lt'],
    ['__le__', 'LtE'],
    ['__gt__', 'Gt'],
    ['__ge__', 'GtE'],
  ] as const) {
    vm.defineMethod(proxyClass, name, (vm, args) => richCompare(vm, referent(vm, args[0]!), unwrap(vm, args[1]!), op));
  }
  vm.setItemStr(proxyClass.dict, '__hash__', heap.None);
  put('ProxyType', proxyClass.object);
  put('CallableProxyType', proxyClass.object);
  const proxyTypes = heap.newTuple([proxyClass.object, proxyClass.object]);
  put('ProxyTypes', proxyTypes);
  heap.decref(proxyTypes);

  def('proxy', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('proxy() takes no keyword arguments');
    if (args.length < 1 || args.length > 2) throw vm.typeError(`proxy expected at ${args.length < 1 ? 'least 1' : 'most 2'} argument${args.length < 1 ? '' : 's'}, got ${args.length}`);
    return makeWeak(args[0]!, args[1] ?? NULL, true);
  });
  def('getweakrefcount', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, '_weakref.getweakrefcount', args, kw, ['object'], 1);
    return heap.newInt(weakrefs.getWeakrefCount(obj!));
  });
  def('getweakrefs', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, '_weakref.getweakrefs', args, kw, ['object'], 1);
    return newRefList(vm, weakrefs.getWeakrefs(obj!));
  });

  // ─── WeakMethod ────────────────────────────────────────────────────────────

  // Lib/weakref.py's WeakMethod: weak references to a bound method's __self__ and __func__;
  // calling it makes the bound method again while both live. The callback (if any) is called
  // with the WeakMethod when either dies first.
  const WM_SELF = 0;
  const WM_FUNC = 1;
  const WM_CALLBACK = 2;
  const weakMethod = vm.nativeClass('WeakMethod', { slots: ['self_ref', 'func_ref', 'callback'], weakrefable: true, module: 'weakref' });
  weakMethod.construct = (vm, cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('WeakMethod() takes no keyword arguments');
    if (args.length < 1 || args.length > 2) throw vm.typeError(`WeakMethod expected 1 or 2 arguments, got ${args.length}`);
    const meth = args[0]!;
    if (heap.typeOf(meth) !== vm.fn.methodType) {
      throw vm.typeError(`argument should be a bound method, not ${vm.typeName(meth)}`);
    }
    const self = heap.newInstance(cls.instanceType!);
    const serial = heap.serialOf(self);
    const dead = (): void => {
      if (!heap.isAlive(self) || heap.serialOf(self) !== serial) return;
      const cb = heap.getSlot(self, WM_CALLBACK);
      if (cb === NULL) return;
      heap.incref(cb);
      heap.setSlot(self, WM_CALLBACK, NULL); // called once, for whichever dies first
      heap.incref(self);
      try {
        callOut(cb, [self], cb);
      } finally {
        heap.decref(self);
        heap.decref(cb);
      }
    };
    try {
      const selfRef = guard(vm, () => weakrefs.ref(heap.getSlot(meth, 1), dead));
      heap.setSlot(self, WM_SELF, selfRef);
      heap.decref(selfRef);
      const funcRef = guard(vm, () => weakrefs.ref(heap.getSlot(meth, 0), dead));
      heap.setSlot(self, WM_FUNC, funcRef);
      heap.decref(funcRef);
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    const cb = args[1];
    if (cb !== undefined && cb !== heap.None) heap.setSlot(self, WM_CALLBACK, cb);
    return self;
  };
  vm.defineMethod(weakMethod, '__call__', (_vm, args) => {
    const obj = weakrefs.deref(heap.getSlot(args[0]!, WM_SELF));
    const func = weakrefs.deref(heap.getSlot(args[0]!, WM_FUNC));
    if (obj === NULL || func === NULL) return heap.newNone();
    return newMethod(vm, func, obj);
  });
  put('WeakMethod', weakMethod.object);

  // ─── finalize ──────────────────────────────────────────────────────────────

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

  // ─── Weak containers ───────────────────────────────────────────────────────

  const DATA = 0;
  const dataOf = (self: Ref): Ref => heap.getSlot(self, DATA);
  const container = (name: string): PyClass => {
    const cls = vm.nativeClass(name, {
      slots: ['data'],
      weakrefable: true,
      module: 'weakref',
      baseAllowed: true,
    });
    return cls;
  };
  /** A callback that removes `dictKey` from `self`'s data when the weak reference it is given is that entry's. */
  const remover = (self: Ref, dictKey: Ref, entryRef: (entry: Ref) => Ref): ((wr: Ref) => void) => {
    const selfSerial = heap.serialOf(self);
    const keySerial = heap.serialOf(dictKey);
    return (wr: Ref) => {
      if (!heap.isAlive(self) || heap.serialOf(self) !== selfSerial) return;
      if (!heap.isAlive(dictKey) || heap.serialOf(dictKey) !== keySerial) return;
      const data = dataOf(self);
      if (data === NULL) return;
      const entry = heap.dictGet(data, dictKey);
      if (entry === NULL || entryRef(entry) !== wr) return;
      try {
        heap.dictDelete(data, dictKey);
      } catch (error) {
        heap.reportUnraisable(error, 'weakref callback', self);
      }
    };
  };
  const newContainer = (cls: PyClass): Ref => {
    const self = heap.newInstance(cls.instanceType!);
    const data = heap.newDict();
    heap.setSlot(self, DATA, data);
    heap.decref(data);
    return self;
  };
  const reprContainer = (cls: PyClass): void => {
    vm.defineMethod(cls, '__repr__', (_vm, args) => heap.newStr(`<${cls.name} at ${heap.hexId(args[0]!)}>`));
  };
  /** Key/value pairs of a mapping or an iterable of pairs, as owned refs. */
  const pairsOf = (vm: VM, source: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    if (heap.kindOf(source) === Kind.Dict) {
      heap.dictForEach(source, (k, v) => {
        heap.incref(k);
        heap.incref(v);
        out.push([k, v]);
      });
      return out;
    }
    const itemsMethod = vm.classOf(source).mro.some((c) => heap.dictGetStr(c.dict, 'items') !== NULL);
    const items = itemsMethod ? vm.callMethod(source, 'items') : (heap.incref(source), source);
    try {
      for (const pair of listOf(vm, items)) {
        try {
          const parts = listOf(vm, pair);
          if (parts.length !== 2) {
            for (const p of parts) heap.decref(p);
            throw vm.error('ValueError', `dictionary update sequence element #${out.length} has length ${parts.length}; 2 is required`);
          }
          out.push([parts[0]!, parts[1]!]);
        } finally {
          heap.decref(pair);
        }
      }
    } finally {
      heap.decref(items);
    }
    return out;
  };
  const update = (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null, set: (self: Ref, key: Ref, value: Ref) => void, fname: string): void => {
    if (args.length > 1) throw vm.typeError(`${fname} expected at most 1 argument, got ${args.length}`);
    if (args.length === 1 && !isAbsent(vm, args[0]!)) {
      for (const [k, v] of pairsOf(vm, args[0]!)) {
        try {
          set(self, k, v);
        } finally {
          heap.decref(k);
          heap.decref(v);
        }
      }
    }
    if (kw) {
      kw.names.forEach((name, i) => {
        const key = heap.newStr(name);
        try {
          set(self, key, kw.values[i]!);
        } finally {
          heap.decref(key);
        }
      });
    }
  };

  // WeakValueDictionary: data = {key: weakref(value)}.
  const wvd = container('WeakValueDictionary');
  const wvdSet = (self: Ref, key: Ref, value: Ref): void => {
    heap.hashKey(key); // unhashable keys raise before a weak reference is made
    const wr = guard(vm, () => weakrefs.ref(value, remover(self, key, (entry) => entry)));
    try {
      guard(vm, () => heap.dictSet(dataOf(self), key, wr));
    } finally {
      heap.decref(wr);
    }
  };
  /** The live value under `key`, borrowed, or NULL. */
  const wvdGet = (self: Ref, key: Ref): Ref => {
    const wr = guard(vm, () => heap.dictGet(dataOf(self), key));
    return wr === NULL ? NULL : weakrefs.deref(wr);
  };
  /** The live (key, value) pairs, borrowed, in insertion order. */
  const wvdEntries = (self: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    heap.dictForEach(dataOf(self), (k, wr) => {
      const v = weakrefs.deref(wr);
      if (v !== NULL) out.push([k, v]);
    });
    return out;
  };
  // A subclass gets an empty container from __new__ and fills it in __init__ (its own may take
  // other arguments and call super().__init__()); the class itself is filled right away.
  wvd.construct = (vm, cls, args, kw) => {
    const self = newContainer(cls);
    if (cls !== wvd) return self;
    try {
      update(vm, self, args, kw, wvdSet, 'WeakValueDictionary');
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    return self;
  };

  // WeakKeyDictionary: data = {id(key): (weakref(key), value)}; WeakSet: data = {id(item): weakref(item)}.
  const idKey = (vm: VM, obj: Ref): Ref => {
    if (!weakrefs.isWeakrefable(obj)) throw vm.typeError(`cannot create weak reference to '${heap.typeOf(obj).name}' object`);
    return heap.newInt(heap.id(obj));
  };
  const wkd = container('WeakKeyDictionary');
  const wkdSet = (self: Ref, key: Ref, value: Ref): void => {
    const id = idKey(vm, key);
    try {
      const existing = heap.dictGet(dataOf(self), id);
      let wr: Ref;
      if (existing !== NULL && weakrefs.deref(heap.item(existing, 0)) === key) {
        wr = heap.item(existing, 0);
        heap.incref(wr);
      } else {
        wr = guard(vm, () => weakrefs.ref(key, remover(self, id, (entry) => heap.item(entry, 0))));
      }
      const entry = heap.newTuple([wr, value]);
      heap.decref(wr);
      try {
        heap.dictSet(dataOf(self), id, entry);
      } finally {
        heap.decref(entry);
      }
    } finally {
      heap.decref(id);
    }
  };
  /** The entry (a (weakref, value) tuple or a weakref), borrowed, for a live key; NULL otherwise. */
  const byId = (vm: VM, self: Ref, key: Ref, entryRef: (entry: Ref) => Ref): Ref => {
    // CPython looks the key up as ref(key): one that cannot be weakly referenced is a TypeError.
    if (!weakrefs.isWeakrefable(key)) throw vm.typeError(`cannot create weak reference to '${heap.typeOf(key).name}' object`);
    const id = heap.newInt(heap.id(key));
    try {
      const entry = heap.dictGet(dataOf(self), id);
      if (entry === NULL || weakrefs.deref(entryRef(entry)) !== key) return NULL;
      return entry;
    } finally {
      heap.decref(id);
    }
  };
  const deleteById = (self: Ref, key: Ref): void => {
    const id = heap.newInt(heap.id(key));
    try {
      heap.dictDelete(dataOf(self), id);
    } finally {
      heap.decref(id);
    }
  };
  const wkdEntries = (self: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    heap.dictForEach(dataOf(self), (_id, entry) => {
      const k = weakrefs.deref(heap.item(entry, 0));
      if (k !== NULL) out.push([k, heap.item(entry, 1)]);
    });
    return out;
  };
  wkd.construct = (vm, cls, args, kw) => {
    const self = newContainer(cls);
    if (cls !== wkd) return self;
    try {
      update(vm, self, args, kw, wkdSet, 'WeakKeyDictionary');
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    return self;
  };

  // The mapping methods both dictionaries share, over `entries`, `lookup`, `store` and `remove`.
  const mappingMethods = (
    cls: PyClass,
    entries: (self: Ref) => [Ref, Ref][],
    lookup: (vm: VM, self: Ref, key: Ref) => Ref,
    store: (self: Ref, key: Ref, value: Ref) => void,
    remove: (vm: VM, self: Ref, key: Ref) => void,
  ): void => {
    const pair = (k: Ref, v: Ref): Ref => heap.newTuple([k, v]);
    vm.defineMethod(cls, '__init__', (vm, args, kw) => {
      update(vm, args[0]!, args.slice(1), kw, store, cls.name);
      return heap.newNone();
    });
    vm.defineMethod(cls, '__len__', (_vm, args) => heap.newInt(entries(args[0]!).length));
    vm.defineMethod(cls, '__contains__', (vm, args) => {
      // WeakKeyDictionary.__contains__: a key that cannot be weakly referenced is simply not in it.
      if (cls !== wvd && !weakrefs.isWeakrefable(args[1]!)) return heap.newBool(false);
      return heap.newBool(lookup(vm, args[0]!, args[1]!) !== NULL);
    });
    vm.defineMethod(cls, '__getitem__', (vm, args) => {
      const v = lookup(vm, args[0]!, args[1]!);
      if (v === NULL) throw keyError(vm, args[1]!);
      heap.incref(v);
      return v;
    });
    vm.defineMethod(cls, '__setitem__', (_vm, args) => {
      store(args[0]!, args[1]!, args[2]!);
      return heap.newNone();
    });
    vm.defineMethod(cls, '__delitem__', (vm, args) => {
      if (lookup(vm, args[0]!, args[1]!) === NULL) throw keyError(vm, args[1]!);
      remove(vm, args[0]!, args[1]!);
      return heap.newNone();
    });
    vm.defineMethod(cls, 'get', (vm, args, kw) => {
      const [key, fallback] = parseArgs(vm, 'get', args, kw, ['key', 'default'], 1);
      const v = lookup(vm, args[0]!, key!);
      const result = v !== NULL ? v : fallback !== NULL ? fallback! : heap.None;
      heap.incref(result);
      return result;
    });
    vm.defineMethod(cls, 'setdefault', (vm, args, kw) => {
      const [key, fallback] = parseArgs(vm, 'setdefault', args, kw, ['key', 'default'], 1);
      const v = lookup(vm, args[0]!, key!);
      if (v !== NULL) {
        heap.incref(v);
        return v;
      }
      const value = fallback === NULL ? heap.None : fallback!;
      store(args[0]!, key!, value);
      heap.incref(value);
      return value;
    });
    vm.defineMethod(cls, 'pop', (vm, args, kw) => {
      const [key, fallback] = parseArgs(vm, 'pop', args, kw, ['key', 'default'], 1);
      const v = lookup(vm, args[0]!, key!);
      if (v === NULL) {
        if (fallback === NULL) throw keyError(vm, key!);
        heap.incref(fallback!);
        return fallback!;
      }
      heap.incref(v);
      remove(vm, args[0]!, key!);
      return v;
    });
    vm.defineMethod(cls, 'popitem', (vm, args) => {
      const all = entries(args[0]!);
      const last = all[all.length - 1];
      if (last === undefined) throw vm.error('KeyError', 'popitem(): dictionary is empty');
      const result = pair(last[0], last[1]);
      remove(vm, args[0]!, last[0]);
      return result;
    });
    vm.defineMethod(cls, 'update', (vm, args, kw) => {
      update(vm, args[0]!, args.slice(1), kw, store, 'update');
      return heap.newNone();
    });
    vm.defineMethod(cls, 'clear', (_vm, args) => {
      const data = heap.newDict();
      heap.setSlot(args[0]!, DATA, data);
      heap.decref(data);
      return heap.newNone();
    });
    vm.defineMethod(cls, 'keys', (_vm, args) => newRefList(vm, entries(args[0]!).map(([k]) => k)));
    vm.defineMethod(cls, 'values', (_vm, args) => newRefList(vm, entries(args[0]!).map(([, v]) => v)));
    vm.defineMethod(cls, 'items', (_vm, args) => ownedList(vm, entries(args[0]!).map(([k, v]) => pair(k, v))));
    vm.defineMethod(cls, '__iter__', (vm, args) => {
      const keys = newRefList(vm, entries(args[0]!).map(([k]) => k));
      try {
        return getIter(vm, keys);
      } finally {
        heap.decref(keys);
      }
    });
    vm.defineMethod(cls, 'copy', (_vm, args) => {
      const copy = newContainer(cls);
      for (const [k, v] of entries(args[0]!)) store(copy, k, v);
      return copy;
    });
    reprContainer(cls);
  };
  mappingMethods(
    wvd,
    wvdEntries,
    (_vm, self, key) => wvdGet(self, key),
    wvdSet,
    (_vm, self, key) => guard(vm, () => heap.dictDelete(dataOf(self), key)),
  );
  vm.defineMethod(wvd, 'valuerefs', (_vm, args) => {
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_k, wr) => {
      if (weakrefs.deref(wr) !== NULL) refs.push(wr);
    });
    return newRefList(vm, refs);
  });
  mappingMethods(
    wkd,
    wkdEntries,
    (vm, self, key) => {
      const entry = byId(vm, self, key, (e) => heap.item(e, 0));
      return entry === NULL ? NULL : heap.item(entry, 1);
    },
    wkdSet,
    (_vm, self, key) => deleteById(self, key),
  );
  vm.defineMethod(wkd, 'keyrefs', (_vm, args) => {
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_id, entry) => {
      if (weakrefs.deref(heap.item(entry, 0)) !== NULL) refs.push(heap.item(entry, 0));
    });
    return newRefList(vm, refs);
  });
  put('WeakValueDictionary', wvd.object);
  put('WeakKeyDictionary', wkd.object);

  // WeakSet.
  const ws = container('WeakSet');
  const wsItems = (self: Ref): Ref[] => {
    const out: Ref[] = [];
    heap.dictForEach(dataOf(self), (_id, wr) => {
      const item = weakrefs.deref(wr);
      if (item !== NULL) out.push(item);
    });
    return out;
  };
  const wsHas = (self: Ref, item: Ref): boolean => byId(vm, self, item, (e) => e) !== NULL;
  const wsAdd = (self: Ref, item: Ref): void => {
    if (wsHas(self, item)) return;
    const id = idKey(vm, item);
    try {
      const wr = guard(vm, () => weakrefs.ref(item, remover(self, id, (entry) => entry)));
      try {
        heap.dictSet(dataOf(self), id, wr);
      } finally {
        heap.decref(wr);
      }
    } finally {
      heap.decref(id);
    }
  };
  const wsInit = (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null): void => {
    if (kw && kw.names.length > 0) throw vm.typeError('WeakSet() takes no keyword arguments');
    if (args.length > 1) throw vm.typeError(`WeakSet expected at most 1 argument, got ${args.length}`);
    if (args.length === 1 && !isAbsent(vm, args[0]!)) {
      const items = listOf(vm, args[0]!);
      try {
        for (const item of items) wsAdd(self, item);
      } finally {
        for (const item of items) heap.decref(item);
      }
    }
  };
  vm.defineMethod(ws, '__init__', (vm, args, kw) => {
    wsInit(vm, args[0]!, args.slice(1), kw);
    return heap.newNone();
  });
  ws.construct = (vm, cls, args, kw) => {
    const self = newContainer(cls);
    if (cls !== ws) return self;
    try {
      wsInit(vm, self, args, kw);
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    return self;
  };
  vm.defineMethod(ws, '__len__', (_vm, args) => heap.newInt(wsItems(args[0]!).length));
  vm.defineMethod(ws, '__contains__', (_vm, args) => heap.newBool(weakrefs.isWeakrefable(args[1]!) && wsHas(args[0]!, args[1]!)));
  vm.defineMethod(ws, '__iter__', (vm, args) => {
    const items = newRefList(vm, wsItems(args[0]!));
    try {
      return getIter(vm, items);
    } finally {
      heap.decref(items);
    }
  });
  vm.defineMethod(ws, 'add', (_vm, args) => {
    wsAdd(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'discard', (_vm, args) => {
    if (wsHas(args[0]!, args[1]!)) deleteById(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'remove', (vm, args) => {
    if (!wsHas(args[0]!, args[1]!)) throw keyError(vm, args[1]!);
    deleteById(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'pop', (vm, args) => {
    const items = wsItems(args[0]!);
    const item = items[items.length - 1];
    if (item === undefined) throw vm.error('KeyError', 'pop from empty WeakSet');
    heap.incref(item);
    deleteById(args[0]!, item);
    return item;
  });
  vm.defineMethod(ws, 'clear', (_vm, args) => {
    const data = heap.newDict();
    heap.setSlot(args[0]!, DATA, data);
    heap.decref(data);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'update', (vm, args) => {
    for (const other of args.slice(1)) {
      const items = listOf(vm, other);
      try {
        for (const item of items) wsAdd(args[0]!, item);
      } finally {
        for (const item of items) heap.decref(item);
      }
    }
    return heap.newNone();
  });
  vm.defineMethod(ws, 'copy', (_vm, args) => {
    const copy = newContainer(ws);
    for (const item of wsItems(args[0]!)) wsAdd(copy, item);
    return copy;
  });
  // Set algebra (Lib/_weakrefset.py), by identity of the live items.
  /** The items of any iterable, owned; for a WeakSet, its live items. */
  const itemsOf = (vm: VM, other: Ref): Ref[] => {
    if (vm.isInstance(other, ws)) {
      const items = wsItems(other);
      for (const item of items) heap.incref(item);
      return items;
    }
    return listOf(vm, other);
  };
  const withItems = <T>(vm: VM, other: Ref, body: (items: Ref[]) => T): T => {
    const items = itemsOf(vm, other);
    try {
      return body(items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  };
  const fromItems = (items: readonly Ref[]): Ref => {
    const out = newContainer(ws);
    for (const item of items) wsAdd(out, item);
    return out;
  };
  const notImplemented = (): Ref => {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  };
  type SetOp = (mine: Ref[], theirs: Set<Ref>, theirList: Ref[]) => Ref[];
  const union: SetOp = (mine, theirs, theirList) => [...mine, ...theirList.filter((x) => !mine.includes(x))];
  const intersection: SetOp = (mine, theirs) => mine.filter((x) => theirs.has(x));
  const difference: SetOp = (mine, theirs) => mine.filter((x) => !theirs.has(x));
  const symmetric: SetOp = (mine, theirs, theirList) => [...mine.filter((x) => !theirs.has(x)), ...theirList.filter((x) => !mine.includes(x))];
  for (const [named, operator, inplace, op, updateName] of [
    ['union', '__or__', '__ior__', union, 'update'],
    ['intersection', '__and__', '__iand__', intersection, 'intersection_update'],
    ['difference', '__sub__', '__isub__', difference, 'difference_update'],
    ['symmetric_difference', '__xor__', '__ixor__', symmetric, 'symmetric_difference_update'],
  ] as const) {
    const compute = (vm: VM, self: Ref, other: Ref): Ref[] => withItems(vm, other, (theirs) => op(wsItems(self), new Set(theirs), theirs));
    vm.defineMethod(ws, named, (vm, args) => fromItems(compute(vm, args[0]!, args[1]!)));
    vm.defineMethod(ws, operator, (vm, args) => (vm.isInstance(args[1]!, ws) ? fromItems(compute(vm, args[0]!, args[1]!)) : notImplemented()));
    const assign = (vm: VM, self: Ref, other: Ref): void => {
      const result = compute(vm, self, other);
      for (const item of result) heap.incref(item);
      try {
        const data = heap.newDict();
        heap.setSlot(self, DATA, data);
        heap.decref(data);
        for (const item of result) wsAdd(self, item);
      } finally {
        for (const item of result) heap.decref(item);
      }
    };
    if (updateName !== 'update') {
      vm.defineMethod(ws, updateName, (vm, args) => {
        assign(vm, args[0]!, args[1]!);
        return heap.newNone();
      });
    }
    vm.defineMethod(ws, inplace, (vm, args) => {
      if (!vm.isInstance(args[1]!, ws)) return notImplemented();
      assign(vm, args[0]!, args[1]!);
      heap.incref(args[0]!);
      return args[0]!;
    });
  }
  const subset = (vm: VM, self: Ref, other: Ref, strict: boolean): boolean =>
    withItems(vm, other, (theirs) => {
      const mine = wsItems(self);
      const set = new Set(theirs);
      return mine.every((x) => set.has(x)) && (!strict || set.size > mine.length);
    });
  const superset = (vm: VM, self: Ref, other: Ref, strict: boolean): boolean =>
    withItems(vm, other, (theirs) => {
      const mine = new Set(wsItems(self));
      const set = new Set(theirs);
      return [...set].every((x) => mine.has(x)) && (!strict || mine.size > set.size);
    });
  vm.defineMethod(ws, 'issubset', (vm, args) => heap.newBool(subset(vm, args[0]!, args[1]!, false)));
  vm.defineMethod(ws, 'issuperset', (vm, args) => heap.newBool(superset(vm, args[0]!, args[1]!, false)));
  vm.defineMethod(ws, 'isdisjoint', (vm, args) => heap.newBool(withItems(vm, args[1]!, (theirs) => intersection(wsItems(args[0]!), new Set(theirs), theirs).length === 0)));
  for (const [name, test] of [
    ['__le__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, false)],
    ['__lt__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, true)],
    ['__ge__', (vm: VM, a: Ref, b: Ref) => superset(vm, a, b, false)],
    ['__gt__', (vm: VM, a: Ref, b: Ref) => superset(vm, a, b, true)],
    ['__eq__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, false) && superset(vm, a, b, false)],
    ['__ne__', (vm: VM, a: Ref, b: Ref) => !(subset(vm, a, b, false) && superset(vm, a, b, false))],
  ] as const) {
    vm.defineMethod(ws, name, (vm, args) => (vm.isInstance(args[1]!, ws) ? heap.newBool(test(vm, args[0]!, args[1]!)) : notImplemented()));
  }
  vm.setItemStr(ws.dict, '__hash__', heap.None);

  vm.defineMethod(ws, '__repr__', (vm, args) => {
    // Lib/_weakrefset.py: repr(self.data), a set of weak references.
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_id, wr) => {
      if (weakrefs.deref(wr) !== NULL) refs.push(wr);
    });
    if (refs.length === 0) return heap.newStr('set()');
    return heap.newStr(`{${refs.map((r) => reprOf(vm, r)).join(', ')}}`);
  });
  put('WeakSet', ws.object);

  void intArg;
  void ownedTuple;
  return module;
}
