/**
 * Which objects a picture of a program's heap holds, in the order it meets them: breadth first
 * from the roots (walking through the program's objects, never into the heap's own), then the
 * seeds (gc.garbage, the unreachable), then what only holders outside the heap keep (a for loop's
 * iterator, a callback the interpreter holds) and the interpreter's own objects do not reach.
 * Marks live in one byte per heap slot, so a heap of 100,000 objects costs a few milliseconds.
 */
import { Kind, type Heap, type Ref } from '@refheap/core';
import type { Weakrefs } from '@refheap/weakref';
import { isHeapOwn } from './heap-own.ts';
import { classDict, forEachReference, functionGlobals } from './labelled-references.ts';

const DUNDER = /^__.*__$/;
const REACHED = 1;
/** Stands for a root box (the globals dict, a namespace, a frame object) or is a class's own dict. */
const HIDDEN = 2;
const FURNITURE = 4;
const OWN_KNOWN = 8;
const OWN = 16;
/** Met only past some object's first MAX_EDGES references: counted, never drawn. */
const BEYOND = 32;

/** References of one object the picture follows (and draws); the rest are only counted. */
export const MAX_EDGES = 40;

export interface SelectionInput {
  readonly heap: Heap;
  readonly weakrefs: Weakrefs | null;
  /** The program's module globals. */
  readonly globals: Ref;
  /** What root boxes stand for: never objects of the picture. */
  readonly rootObjects: readonly Ref[];
  /** What the names are bound to. */
  readonly rootTargets: readonly Ref[];
  /** Objects to draw though no name reaches them (gc.garbage, the unreachable). */
  readonly seeds: readonly Ref[];
  /** References each object has from inside the heap and from running frames' locals. */
  readonly inside: Int32Array;
  /** The collector's gc.garbage list (held from outside, yet never a program's own data). */
  readonly garbageList: Ref;
}

export interface Selection {
  /** The objects to draw from, in the order met (each met through one of the first MAX_EDGES references of one before it). */
  readonly order: readonly Ref[];
  /** The program's objects met only past an object's first MAX_EDGES references. */
  readonly beyond: number;
  readonly isOwn: (ref: Ref) => boolean;
  readonly isHidden: (ref: Ref) => boolean;
}

/** A function a library module defined (contextlib's contextmanager): its globals are not the program's. */
function isLibraryFunction(heap: Heap, ref: Ref, globals: Ref): boolean {
  const own = functionGlobals(heap, ref);
  return own !== 0 && own !== globals;
}

export function selectObjects(input: SelectionInput): Selection {
  const { heap, weakrefs, globals, inside, garbageList } = input;
  const marks = new Uint8Array(heap.highWater);
  for (const ref of [globals, ...input.rootObjects]) marks[ref]! |= HIDDEN;
  const isOwn = (ref: Ref): boolean => {
    const m = marks[ref]!;
    if (m & OWN_KNOWN) return (m & OWN) !== 0;
    const own = isHeapOwn(heap, ref) || isLibraryFunction(heap, ref, globals);
    marks[ref] = m | OWN_KNOWN | (own ? OWN : 0);
    return own;
  };
  const setOwn = (ref: Ref): void => {
    marks[ref]! |= OWN_KNOWN | OWN;
  };
  const order: Ref[] = [];
  const later: Ref[] = [];
  let head = 0;
  let laterHead = 0;
  const reach = (ref: Ref): void => {
    if (ref === 0 || marks[ref]! & (HIDDEN | REACHED)) return;
    marks[ref]! |= REACHED;
    order.push(ref);
  };
  const reachLater = (ref: Ref): void => {
    if (ref === 0 || marks[ref]! & (HIDDEN | REACHED | BEYOND)) return;
    marks[ref]! |= BEYOND;
    later.push(ref);
  };
  const follow = (ref: Ref, visit: (child: Ref) => void, past: (child: Ref) => void): void => {
    let index = 0;
    forEachReference(heap, ref, (child) => {
      if (marks[child]! & HIDDEN) return;
      if (index++ < MAX_EDGES) visit(child);
      else past(child);
    });
  };
  // What lies past the first MAX_EDGES references, walked to be counted (and kept from the steps below).
  const walkLater = (): void => {
    for (; laterHead < later.length; laterHead++) {
      const ref = later[laterHead]!;
      if (marks[ref]! & REACHED || isOwn(ref)) continue;
      follow(ref, reachLater, reachLater);
      if (weakrefs?.isWeakref(ref)) reachLater(weakrefs.deref(ref));
    }
  };
  const walk = (): void => {
    for (; head < order.length; head++) {
      const ref = order[head]!;
      if (isOwn(ref)) continue;
      if (heap.kindOf(ref) === Kind.Type) {
        // A class's dict is drawn as the class's own arrows, unless something else holds it too.
        const dict = classDict(heap, ref);
        if (dict !== 0 && heap.refcount(dict) === 1) marks[dict]! |= HIDDEN;
      }
      const foreign = functionGlobals(heap, ref);
      if (foreign !== 0 && foreign !== globals) setOwn(foreign); // a library's module globals
      if (foreign !== 0 || heap.kindOf(ref) === Kind.Type) {
        // A function's or class's __doc__, __module__, __qualname__ strings: the code's metadata, not the program's data.
        heap.forEachAttribute(ref, (name, value) => {
          if (DUNDER.test(name) && !heap.isContainer(value)) setOwn(value);
        });
      }
      follow(ref, reach, reachLater);
      if (weakrefs?.isWeakref(ref)) reach(weakrefs.deref(ref));
    }
    walkLater();
  };
  for (const ref of input.rootTargets) reach(ref);
  walk();
  for (const ref of input.seeds) reach(ref);
  walk();

  // The interpreter's furniture: its own objects the walk did not meet, and all they hold.
  const stack: Ref[] = [];
  heap.forEachObject((ref) => {
    if (!(marks[ref]! & (REACHED | BEYOND)) && isOwn(ref)) {
      marks[ref]! |= FURNITURE;
      stack.push(ref);
    }
  });
  while (stack.length > 0) {
    const ref = stack.pop()!;
    if (!heap.isContainer(ref)) continue;
    heap.traverse(ref, (child) => {
      if (!(marks[child]! & (REACHED | BEYOND | FURNITURE))) {
        marks[child]! |= FURNITURE;
        stack.push(child);
      }
    });
  }
  // Held from outside the heap and by nothing of the interpreter's: the running code's.
  const outside: Ref[] = [];
  heap.forEachObject((ref) => {
    if (ref === garbageList || marks[ref]! & (REACHED | BEYOND | FURNITURE | HIDDEN)) return;
    if (heap.refcount(ref) > inside[ref]!) outside.push(ref);
  });
  // What only the running code holds and the collector cannot see (a code object's constants) is the code's, not the program's data.
  for (const ref of outside) if (!heap.isTracked(ref)) setOwn(ref);
  for (const ref of outside) reach(ref);
  walk();
  let beyond = 0;
  for (const ref of later) if (!(marks[ref]! & REACHED) && !isOwn(ref)) beyond++;
  return { order, beyond, isOwn, isHidden: (ref) => (marks[ref]! & HIDDEN) !== 0 };
}
