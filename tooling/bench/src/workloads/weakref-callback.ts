/**
 * weakref-callback — an object with a weak reference and a callback, created and dropped,
 * N times: dropping the object clears the reference and runs the callback (which counts
 * calls), then the weak reference is dropped too. Reported per object: total / N.
 *
 * The refheap half needs @refheap/weakref. Until that package is a dependency here with
 * a usable API, this workload reports "skipped: @refheap/weakref not available" on the
 * refheap side; the program to write, line for line, is weakref-callback.py:
 *
 *     for (let i = 0; i < n; i++) {
 *       const x = heap.newInstance(Node);
 *       const r = weakrefs.ref(x, callback); // a new reference to the weakref object
 *       heap.decref(x);                      // x dies: r is cleared, callback(r) runs
 *       heap.decref(r);
 *     }
 */
import { besideModule, type Workload } from '../workload.ts';
import { isSkipped, loadWeakref } from './weakref-support.ts';

export const workload: Workload = {
  name: 'weakref-callback',
  description: 'an object with a weakref and a callback, created and dropped, N times (ns per object)',
  metrics: [{ name: 'weakref-callback', unit: 'ns/object' }],
  python: besideModule(import.meta.url, './weakref-callback.py'),
  prepare: async () => {
    const module = await loadWeakref();
    if (isSkipped(module)) return module;
    return { skipped: '@refheap/weakref is installed but this workload has no adapter for its API yet' };
  },
};
