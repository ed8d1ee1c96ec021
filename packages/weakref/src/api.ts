/**
 * The `weakref` module's functions on handles, so the seeds' Python reads line for line:
 *
 *     import * as weakref from '@refheap/weakref';
 *     const r = weakref.ref(a);          // r = weakref.ref(a)
 *     r.deref();                         // r()  — a new handle, or undefined once a is gone
 *     weakref.getWeakrefCount(a);        // weakref.getweakrefcount(a)
 *
 * Each finds (or installs) the heap's `Weakrefs` through the handle.
 */
import type { Handle } from '@refheap/core';
import type { FinalizeCallback, Finalizer } from './finalize.ts';
import { WeakReference, type WeakrefCallback } from './weak-reference.ts';
import { internals, refOf, Weakrefs } from './weakrefs.ts';

/**
 * `weakref.ref(obj, callback)`: a weak reference to the object (an owned handle). The
 * callback gets the weak reference, as a handle valid during the call, when the object
 * dies. Without a callback, every call returns the same weak reference object.
 */
export function ref(obj: Handle, callback?: WeakrefCallback | null): WeakReference {
  const weakrefs = Weakrefs.of(obj.heap);
  const wr = internals.create(weakrefs, refOf(obj.heap, obj), false, callback ?? undefined, callback != null);
  return new WeakReference(weakrefs, wr);
}

/** `weakref.getweakrefcount(obj)`. */
export function getWeakrefCount(obj: Handle): number {
  return Weakrefs.of(obj.heap).getWeakrefCount(obj.ref);
}

/** `weakref.getweakrefs(obj)`: new handles to every weak reference and proxy to `obj`, in CPython's order. */
export function getWeakrefs(obj: Handle): WeakReference[] {
  const weakrefs = Weakrefs.of(obj.heap);
  return weakrefs.getWeakrefs(obj.ref).map((wr) => {
    weakrefs.heap.incref(wr);
    return new WeakReference(weakrefs, wr);
  });
}

/**
 * `weakref.finalize(obj, fn, *args)`: `fn(...args)` is called once — when `obj` dies, when
 * `finalizer.call()` is called, or when the heap is closed (newest first). TypeError for
 * objects that cannot be weakly referenced.
 */
export function finalize<A extends unknown[], R>(obj: Handle, fn: FinalizeCallback<A, R>, ...args: A): Finalizer<A, R> {
  return Weakrefs.of(obj.heap).finalize(obj.ref, fn, ...args);
}
