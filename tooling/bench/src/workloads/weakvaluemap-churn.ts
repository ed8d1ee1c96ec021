/**
 * weakvaluemap-churn — WeakValueMap set / get churn: each iteration makes a Node, stores
 * it under one of 1024 keys, reads it back and drops it, so its entry vanishes. Against
 * CPython's `weakref.WeakValueDictionary`. Reported per iteration: total / N.
 *
 * The refheap half needs @refheap/weakref. Until that package is a dependency here with
 * a usable API, this workload reports "skipped: @refheap/weakref not available" on the
 * refheap side; the program to write, line for line, is weakvaluemap-churn.py:
 *
 *     for (let i = 0; i < n; i++) {
 *       const key = i & (KEYS - 1);
 *       const x = heap.newInstance(Node);
 *       map.set(key, x);
 *       if (map.get(key) === x) hits++;
 *       heap.decref(x); // x dies: its entry leaves the map
 *     }
 */
import { besideModule, type Workload } from '../workload.ts';
import { isSkipped, loadWeakref } from './weakref-support.ts';

export const workload: Workload = {
  name: 'weakvaluemap-churn',
  description: 'WeakValueMap set/get churn vs weakref.WeakValueDictionary (ns per iteration)',
  metrics: [{ name: 'weakvaluemap-churn', unit: 'ns/iteration' }],
  python: besideModule(import.meta.url, './weakvaluemap-churn.py'),
  prepare: async () => {
    const module = await loadWeakref();
    if (isSkipped(module)) return module;
    return { skipped: '@refheap/weakref is installed but this workload has no adapter for its API yet' };
  },
};
