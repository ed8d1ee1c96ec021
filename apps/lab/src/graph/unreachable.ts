/**
 * What a full collection would find right now, without collecting: CPython's
 * own test, run read-only. Copy each tracked object's count, subtract the
 * references tracked objects hold to one another, and whatever is not
 * reachable from an object with something left over is unreachable.
 * One int per heap slot, so it runs over a big heap without a map.
 */
import type { Heap, Ref } from '@refheap/core';

export function findUnreachable(heap: Heap, tracked: readonly Ref[]): Set<Ref> {
  // gcRefs[ref] - 1 is the count left; 0 means not in the tracked set.
  const gcRefs = new Int32Array(heap.highWater);
  for (const ref of tracked) gcRefs[ref] = heap.refcount(ref) + 1;
  for (const ref of tracked) {
    heap.traverse(ref, (child) => {
      if (gcRefs[child]! > 1) gcRefs[child]!--;
    });
  }
  const reachable = new Uint8Array(heap.highWater);
  const stack = tracked.filter((ref) => gcRefs[ref]! > 1);
  for (const ref of stack) reachable[ref] = 1;
  while (stack.length > 0) {
    const ref = stack.pop()!;
    heap.traverse(ref, (child) => {
      if (gcRefs[child]! > 0 && reachable[child] === 0) {
        reachable[child] = 1;
        stack.push(child);
      }
    });
  }
  return new Set(tracked.filter((ref) => reachable[ref] === 0));
}
