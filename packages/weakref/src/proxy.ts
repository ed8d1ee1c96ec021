/**
 * `weakref.proxy` on the JS side: a JS `Proxy` that reads, writes, tests and deletes the
 * live object's attributes as if it were the object, and throws
 * `ReferenceError: weakly-referenced object no longer exists` for every use once the object
 * is dead. Behind it is a real heap proxy object (`weakref.ProxyType`), owned by the JS
 * proxy and released with `using` / `[Symbol.dispose]()`; `proxyReference(p)` gives its
 * handle (to store it in a list, compare ids, release it).
 *
 * Attribute values come out as JS values for atoms (None → null, bool, int, float, str)
 * and as new handles for everything else (release them, or read them inside a scope).
 */
import {
  Handle,
  type Heap,
  Kind,
  NULL,
  PyReferenceError,
  PyTypeError,
  type Ref,
  type Value,
  withRef,
} from '@refheap/core';
import { WeakReference, type WeakrefCallback } from './weak-reference.ts';
import { internals, Weakrefs } from './weakrefs.ts';

/** The key under which a weak proxy exposes its `WeakReference` handle. */
export const PROXY_REFERENCE: unique symbol = Symbol('refheap.weakproxy');

/** What reading an attribute through a proxy gives. */
export type ProxyValue = null | boolean | number | bigint | string | Handle;

/** A weak proxy: the object's attributes, plus disposal and the handle behind it. */
export type WeakProxy<T extends object = Record<string, ProxyValue | undefined>> = T &
  Disposable & { readonly [PROXY_REFERENCE]: WeakReference };

const TARGET: unique symbol = Symbol('refheap.weakproxy.target');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * What a JS proxy wraps. Node's `util.inspect` looks through a proxy at its target without
 * calling any trap, so the target itself knows how to print: as the proxy's repr.
 */
class ProxyTarget {
  readonly [TARGET]: WeakReference;

  /** Bound: inspect calls it on the proxy or on the target, depending on the Node version. */
  readonly [INSPECT]: () => string;

  constructor(reference: WeakReference) {
    this[TARGET] = reference;
    this[INSPECT] = () => reference.repr();
  }
}

function deadProxy(): PyReferenceError {
  return new PyReferenceError('weakly-referenced object no longer exists');
}

/** The live referent of a proxy handle, or ReferenceError. */
function referentOf(reference: WeakReference): Ref {
  const obj = reference.weakrefs.deref(reference.ref);
  if (obj === NULL) throw deadProxy();
  return obj;
}

/** An attribute value as a JS value (atoms) or a new handle (anything else). */
function toJs(heap: Heap, ref: Ref): ProxyValue {
  switch (heap.kindOf(ref)) {
    case Kind.None:
    case Kind.Bool:
    case Kind.Int:
    case Kind.Float:
    case Kind.Str:
      return heap.valueOf(ref) as null | boolean | number | bigint | string;
    default:
      heap.incref(ref);
      return new Handle(heap, ref);
  }
}

function attributeName(key: string | symbol): string {
  if (typeof key !== 'string') throw new PyTypeError(`attribute name must be string, not '${typeof key}'`);
  return key;
}

const handler: ProxyHandler<ProxyTarget> = {
  get(target, key) {
    const reference = target[TARGET];
    if (typeof key === 'symbol') {
      if (key === PROXY_REFERENCE) return reference;
      if (key === Symbol.dispose) return () => reference.release();
      if (key === Symbol.toStringTag) return 'weakproxy';
      if (key === INSPECT) return () => reference.repr();
      if (key === Symbol.toPrimitive) return () => reference.heap.repr(referentOf(reference));
      return undefined;
    }
    if (key === 'then') return undefined; // a proxy is not a promise
    const heap = reference.heap;
    const found = heap.findAttr(referentOf(reference), key);
    return found === NULL ? undefined : toJs(heap, found);
  },
  set(target, key, value) {
    const reference = target[TARGET];
    const name = attributeName(key);
    const obj = referentOf(reference);
    withRef(reference.heap, value as Value, (v) => reference.heap.setAttr(obj, name, v));
    return true;
  },
  has(target, key) {
    const reference = target[TARGET];
    if (typeof key === 'symbol') return key === PROXY_REFERENCE || key === Symbol.dispose;
    return reference.heap.findAttr(referentOf(reference), key) !== NULL;
  },
  deleteProperty(target, key) {
    const reference = target[TARGET];
    reference.heap.delAttr(referentOf(reference), attributeName(key));
    return true;
  },
  ownKeys(target) {
    const reference = target[TARGET];
    const names: string[] = [];
    reference.heap.forEachAttribute(referentOf(reference), (name) => names.push(name));
    return names;
  },
  getOwnPropertyDescriptor(target, key) {
    const reference = target[TARGET];
    if (typeof key === 'symbol') return undefined;
    if (reference.heap.findAttr(referentOf(reference), key) === NULL) return undefined;
    // An accessor, so listing keys makes no handles; reading goes through `get`.
    return {
      configurable: true,
      enumerable: true,
      get: () => handler.get!(target, key, undefined) as unknown,
      set: (value: unknown) => handler.set!(target, key, value, undefined),
    };
  },
  defineProperty() {
    throw new PyTypeError('define attributes of a weak proxy by assigning them');
  },
};

/** Wraps a handle to a heap proxy object (owned by the result) in a JS proxy. */
export function wrapProxy<T extends object>(reference: WeakReference): WeakProxy<T> {
  if (!reference.isProxy) throw new PyTypeError(`${reference.repr()} is not a weak proxy`);
  return new Proxy(new ProxyTarget(reference), handler) as unknown as WeakProxy<T>;
}

/**
 * `weakref.proxy(obj, callback)`: a JS proxy for the live object. The callback gets the
 * proxy's handle when the object dies. Raises TypeError for objects that cannot be weakly
 * referenced.
 */
export function proxy<T extends object = Record<string, ProxyValue | undefined>>(
  obj: Handle,
  callback?: WeakrefCallback | null,
): WeakProxy<T> {
  const weakrefs = Weakrefs.of(obj.heap);
  const ref = internals.create(weakrefs, obj.ref, true, callback ?? undefined, callback != null);
  return wrapProxy<T>(new WeakReference(weakrefs, ref));
}

/** The handle behind a weak proxy. */
export function proxyReference(p: object): WeakReference {
  const reference = isWeakProxy(p) ? (p as WeakProxy)[PROXY_REFERENCE] : undefined;
  if (reference === undefined) throw new PyTypeError('not a weak proxy');
  return reference;
}

/** Whether `value` is a JS proxy made by `proxy()`. */
export function isWeakProxy(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return (value as Partial<WeakProxy>)[PROXY_REFERENCE] instanceof WeakReference;
  } catch {
    return false;
  }
}
