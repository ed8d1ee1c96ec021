/**
 * The raw layer's callback type, in a module of its own: the table (weakrefs.ts), the
 * handle (weak-reference.ts) and the finalizers all name it, and none of them may import
 * another that imports it back.
 */
import type { Ref } from '@refheap/core';

/** A raw-layer callback: it gets the weak reference object, borrowed for the call. */
export type RawCallback = (weakref: Ref) => void;
