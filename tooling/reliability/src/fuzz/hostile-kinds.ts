/**
 * What the hostile code can be, named apart from what it does (actions.ts): the world
 * keeps the classes by these names, and actions.ts acts on the world, so both import
 * this and neither imports the other back.
 */
import type { HeapType } from '@refheap/core';

/** What a finalizer, a weak reference callback or an observer can do (see `doAction`). */
export const actions = [
  'getObjects',
  'getReferrers',
  'freeze',
  'unfreeze',
  'collect',
  'allocRelease',
  'allocStore',
  'allocKeep',
  'scope',
  'handle',
  'scopeEscape',
  'resurrect',
  'detach',
  'trim',
] as const;
export type Action = (typeof actions)[number];

/** A class with user-defined hooks (CPython's tp_traverse / tp_clear / tp_finalize / tp_repr). */
export interface HookClass {
  readonly type: HeapType;
  readonly traverse: boolean;
  readonly clear: boolean;
  readonly finalize: boolean;
  readonly repr: boolean;
}

/** The hostile classes of one heap: a finalizer class per action, a hooked class per combination of hooks. */
export interface HostileClasses {
  readonly finals: ReadonlyMap<Action, HeapType>;
  readonly hooks: readonly HookClass[];
}
