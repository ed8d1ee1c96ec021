/**
 * CPython's traversal order and the instance → class reference, checked against python3:
 * twins/traversal-order.py prints what CPython does, this file runs the same program on
 * refheap and compares. Lists and tuples are traversed last item first, a dict whose keys
 * are all str visits its values only, and instances refer to (and count) their class.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Handles, Heap, type Ref } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector } from './index.ts';

const cpython = JSON.parse(
  execFileSync('python3', [fileURLToPath(new URL('./twins/traversal-order.py', import.meta.url))], { encoding: 'utf8' }),
) as Record<string, unknown>;

function refheap(): Record<string, unknown> {
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false });
  const out: Record<string, unknown> = {};

  const order: string[] = [];
  const N = py.defineClass('N', { finalize: (h, self) => void order.push(String(h.valueOf(h.getAttr(self, 'name')))) });
  // The nodes' handles close with the scope: the list alone holds them, as in the twin.
  const root = py.scope(() => py.list(['a', 'b', 'c'].map((name) => py.new(N, { name }))));
  gc.collect(0);
  root.append(root);
  root.release();
  gc.collect();
  out.finalizers = order;

  const A = py.defineClass('A');
  const S = py.defineClass('S', { slots: ['p', 'q'] });
  const [x, y, z] = [py.list(), py.list(), py.list()];
  const names = new Map<Ref, string>([
    [x.ref, 'x'],
    [y.ref, 'y'],
    [z.ref, 'z'],
    [A.object, 'A'],
    [S.object, 'S'],
  ]);
  const labels = (ref: Ref): string[] => gc.getReferents(ref).map((r) => names.get(r) ?? heap.repr(r));

  out.list = py.scope(() => labels(py.list([x, y, z]).ref));
  out.tuple = py.scope(() => labels(py.tuple([x, y, z]).ref));
  out.strKeyedDict = py.scope(() => labels(py.dict([['k', x], ['j', y]]).ref));
  out.mixedKeyDict = py.scope(() => labels(py.dict([[1, x], ['j', y]]).ref));
  const a = py.new(A);
  a.set('p', x).set('q', y);
  out.instance = labels(a.ref);
  const s = py.new(S);
  s.set('q', y);
  out.slotsInstance = labels(s.ref);

  const before = heap.refcount(A.object);
  const three = [py.new(A), py.new(A), py.new(A)];
  out.classRefcountDelta = heap.refcount(A.object) - before;
  out.instancesReferringToClass = gc.getReferrers(A.object).filter((r) => heap.typeOf(r) === A).length;
  for (const h of three) h.release();
  heap.verify();
  return out;
}

describe('traversal order and class references, as python3 prints them', () => {
  const ours = refheap();
  for (const key of Object.keys(cpython)) {
    test(key, () => expect(ours[key]).toEqual(cpython[key]));
  }
});
