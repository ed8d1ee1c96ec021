/**
 * @refheap/weakref — CPython's weak references for a refheap heap: `ref` and `proxy` with
 * callbacks, `finalize`, `getWeakrefCount` / `getWeakrefs`, `WeakValueMap`, `WeakKeyMap`,
 * `WeakSet` and `WeakCache`, cleared the moment their object dies, in CPython's order.
 *
 * Two layers, like core: `Weakrefs` works on raw refs (what interpreters, the collector's
 * tests and benchmarks use; it allocates no JS object per weak reference), and the
 * functions and classes on handles are for application code.
 */
export { Weakrefs } from './weakrefs.ts';
export type { RawCallback } from './raw-callback.ts';
export { WeakReference } from './weak-reference.ts';
export type { WeakrefCallback } from './weak-reference.ts';
export { ref, getWeakrefCount, getWeakrefs, finalize } from './api.ts';
export { proxy, proxyReference, isWeakProxy, PROXY_REFERENCE } from './proxy.ts';
export type { WeakProxy, ProxyValue } from './proxy.ts';
export { Finalizer } from './finalize.ts';
export type { FinalizeCallback, FinalizerInfo } from './finalize.ts';
export { WeakValueMap } from './weak-value-map.ts';
export { WeakKeyMap } from './weak-key-map.ts';
export { WeakSet } from './weak-set.ts';
export { WeakCache } from './weak-cache.ts';
export type { WeakCacheStats } from './weak-cache.ts';
export type { MapKey } from './keys.ts';
