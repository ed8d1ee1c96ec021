/**
 * The weak references a session's heap holds, as (weak reference object, referent)
 * pairs for `snapshotGraph`: drawn as dashed edges. A heap that never made a weak
 * reference has no weakref implementation installed, and none is installed here.
 */
import type { Ref } from '@refheap/core';
import { Weakrefs } from '@refheap/weakref';
import type { Session } from '../session.ts';
import type { WeakEdgeSource } from './snapshot.ts';

export const weakEdges: WeakEdgeSource = (session: Session) => {
  const installed = session.heap.weakrefs;
  if (!(installed instanceof Weakrefs)) return [];
  const pairs: (readonly [Ref, Ref])[] = [];
  for (const ref of session.bornObjects()) {
    if (!installed.isWeakref(ref)) continue;
    const referent = installed.deref(ref);
    if (referent !== 0) pairs.push([ref, referent]);
  }
  return pairs;
};
