/**
 * The ergonomic weak reference: a `Handle` to a weak reference object (so it is released
 * with `using`, `release()` or its scope, can be stored in a list, has an id), whose
 * `deref()` hands out a new handle to the referent — or undefined once it is dead, where
 * Python's `r()` gives None.
 */
import { Handle, type Heap, type Ref } from '@refheap/core';
import type { RawCallback } from './raw-callback.ts';

/** An ergonomic callback: it gets a handle to the weak reference, released when it returns (`dup()` it to keep it). */
export type WeakrefCallback = (weakref: WeakReference) => void;

/**
 * What a `WeakReference` asks of its heap's `Weakrefs`, by shape: `Weakrefs` makes these
 * handles (a callback's), so naming the class here would import it back in a circle.
 */
export interface WeakReferenceTable {
  readonly heap: Heap;
  deref(wr: Ref): Ref;
  isAlive(wr: Ref): boolean;
  callbackOf(wr: Ref): RawCallback | WeakrefCallback | undefined;
  isProxy(ref: Ref): boolean;
  equals(a: Ref, b: Ref): boolean;
  hash(wr: Ref): number;
}

export class WeakReference extends Handle {
  /** The heap's `Weakrefs`. */
  readonly weakrefs: WeakReferenceTable;

  /** Takes ownership of a new reference `ref` to a weak reference object. */
  constructor(weakrefs: WeakReferenceTable, ref: Ref) {
    super(weakrefs.heap, ref);
    this.weakrefs = weakrefs;
  }

  /** `r()`: a new handle to the referent, or undefined once it is dead. */
  deref(): Handle | undefined {
    const obj = this.weakrefs.deref(this.ref);
    if (obj === 0) return undefined;
    this.heap.incref(obj);
    return new Handle(this.heap, obj);
  }

  /** Whether the referent is still alive (`r() is not None`). */
  get alive(): boolean {
    return this.weakrefs.isAlive(this.ref);
  }

  /** `r.__callback__`: the callback, or undefined (none, or already called by a deallocation). */
  get callback(): RawCallback | WeakrefCallback | undefined {
    return this.weakrefs.callbackOf(this.ref);
  }

  /** Whether this is a proxy object (`weakref.ProxyType`). */
  get isProxy(): boolean {
    return this.weakrefs.isProxy(this.ref);
  }

  /** `r1 == r2`: equal referents while both are alive; afterwards, only the same weak reference. */
  equals(other: Handle): boolean {
    return this.weakrefs.equals(this.ref, other.ref);
  }

  /** `hash(r)`: the referent's hash, kept once computed; `TypeError: weak object has gone away` if never hashed before it died. */
  hash(): number {
    return this.weakrefs.hash(this.ref);
  }

  /** Another owned reference to the same weak reference object. */
  override dup(): WeakReference {
    const ref = this.ref;
    this.heap.incref(ref);
    return new WeakReference(this.weakrefs, ref);
  }
}
