/**
 * What a full collection would find right now, without collecting: CPython's
 * own test, run read-only. Copy each tracked object's count, subtract the
 * references tracked objects hold to one another, and whatever is not
 * reachable from an object with something left over is unreachable.
 */
import type { Heap, Ref } from '@refheap/core';

export function findUnreachable(heap: Heap, tracked: readonly Ref[]): Set<Ref> {
  const inSet = new Set(tracked);
  const gcRefs = new Map<Ref, number>();
  for (const ref of tracked) gcRefs.set(ref, heap.refcount(ref));
  for (const ref of tracked) {
    heap.traverse(ref, (child) => {
      if (inSet.has(child)) gcRefs.set(child, gcRefs.get(child)! - 1);
    });
  }
  const reachable = new Set<Ref>();
  const stack = tracked.filter((ref) => gcRefs.get(ref)! > 0);
  for (const ref of stack) reachable.add(ref);
  while (stack.length > 0) {
    const ref = stack.pop()!;
    heap.traverse(ref, (child) => {
      if (inSet.has(child) && !reachable.has(child)) {
        reachable.add(child);
        stack.push(child);
      }
    });
  }
  return new Set(tracked.filter((ref) => !reachable.has(ref)));
}
