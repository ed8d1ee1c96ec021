/**
 * Python callbacks of weak references: the weakref package takes JS callbacks, so a Python
 * callable is held here, owned, in a map from the weak reference, and released when it has been
 * called or when the weak reference is freed first (a heap observer, installed only while some
 * weak reference has a Python callback).
 */
import { NULL } from '@refheap/core';
import type { HeapType, Ref } from '@refheap/core';
import { callOut, guard } from './support.ts';
import type { VM } from '../../vm.ts';

export interface WeakMaker {
  /** A new weak reference (a proxy when `proxy`) to obj, calling `callback` (None or NULL: none) when it dies. */
  readonly makeWeak: (obj: Ref, callback: Ref, proxy: boolean) => Ref;
  /** The Python callback a weak reference holds, borrowed. */
  readonly callbackOf: (wr: Ref) => Ref | undefined;
}

export function weakMaker(vm: VM): WeakMaker {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
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
  /** The one JS callback of every weak reference with a Python callback (handle_callback). */
  const rawCallback = (wr: Ref): void => {
    const cb = pyCallbacks.get(wr);
    if (cb === undefined) return;
    pyCallbacks.delete(wr); // CPython clears wr_callback before calling it
    heap.incref(wr);
    try {
      callOut(vm, cb, [wr], cb);
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
  return { makeWeak, callbackOf: (wr) => pyCallbacks.get(wr) };
}
