/**
 * The floor's collection: CPython's algorithm over one generation list, and nothing else —
 * update (gc_refs = refcount, kept in the `prev` column as CPython keeps it in `_gc_prev`),
 * subtract (every reference from inside the list taken off), mark (everything reachable
 * from an object with gc_refs > 0, with an explicit stack), then the list relinked from the
 * survivors and the garbage freed (held, cleared, released). No finalizers, no weakref
 * handling, no resurrection check, no older-generation thresholds, no statistics.
 */
import { COLLECTING, FloorHeap, type FloorOptions, NODE, OLD, REACHABLE, TRACKED, YOUNG } from './floor-heap.ts';

const TYPE_MASK = 0xff;

/** Collects the list headed by `head`; survivors are moved to the end of `into`. Returns the objects freed. */
export function collectList(heap: FloorHeap, head: number, into: number): number {
  const { refcount, typeFlags, slotA, slotB, prev, next, stack, garbage } = heap;
  for (let x = next[head]!; x !== head; x = next[x]!) {
    prev[x] = refcount[x]!;
    typeFlags[x]! |= COLLECTING;
  }
  for (let x = next[head]!; x !== head; x = next[x]!) {
    if ((typeFlags[x]! & TYPE_MASK) !== NODE) continue;
    const a = slotA[x]!;
    const b = slotB[x]!;
    if (a !== 0 && (typeFlags[a]! & COLLECTING) !== 0) prev[a]!--;
    if (b !== 0 && (typeFlags[b]! & COLLECTING) !== 0) prev[b]!--;
  }
  for (let x = next[head]!; x !== head; x = next[x]!) {
    if (prev[x]! <= 0 || (typeFlags[x]! & REACHABLE) !== 0) continue;
    typeFlags[x]! |= REACHABLE;
    let sp = 0;
    stack[sp++] = x;
    while (sp > 0) {
      const y = stack[--sp]!;
      if ((typeFlags[y]! & TYPE_MASK) !== NODE) continue;
      const a = slotA[y]!;
      const b = slotB[y]!;
      if (a !== 0 && (typeFlags[a]! & (COLLECTING | REACHABLE)) === COLLECTING) {
        typeFlags[a]! |= REACHABLE;
        stack[sp++] = a;
      }
      if (b !== 0 && (typeFlags[b]! & (COLLECTING | REACHABLE)) === COLLECTING) {
        typeFlags[b]! |= REACHABLE;
        stack[sp++] = b;
      }
    }
  }
  let last = head === into ? head : prev[into]!;
  let found = 0;
  for (let x = next[head]!; x !== head; ) {
    const after = next[x]!;
    const flags = typeFlags[x]!;
    if ((flags & REACHABLE) !== 0) {
      typeFlags[x] = flags & ~(COLLECTING | REACHABLE);
      next[last] = x;
      prev[x] = last;
      last = x;
    } else {
      typeFlags[x] = flags & ~(COLLECTING | TRACKED);
      garbage[found++] = x;
    }
    x = after;
  }
  next[last] = into;
  prev[into] = last;
  if (head !== into) {
    next[head] = head;
    prev[head] = head;
  }
  for (let i = 0; i < found; i++) refcount[garbage[i]!]!++;
  for (let i = 0; i < found; i++) {
    const x = garbage[i]!;
    const a = slotA[x]!;
    const b = slotB[x]!;
    slotA[x] = 0;
    slotB[x] = 0;
    if (a !== 0) heap.decref(a);
    if (b !== 0) heap.decref(b);
  }
  for (let i = 0; i < found; i++) heap.decref(garbage[i]!);
  return found;
}

/** `gc.collect(0)`: the young list; survivors join the old one. */
export function collectYoung(heap: FloorHeap): number {
  heap.youngCount = 0;
  return collectList(heap, YOUNG, OLD);
}

/** `gc.collect()`: both lists as one (the young one spliced onto the old one first). */
export function collectAll(heap: FloorHeap): number {
  const { prev, next } = heap;
  if (next[YOUNG] !== YOUNG) {
    const first = next[YOUNG]!;
    const last = prev[YOUNG]!;
    const oldLast = prev[OLD]!;
    next[oldLast] = first;
    prev[first] = oldLast;
    next[last] = OLD;
    prev[OLD] = last;
    next[YOUNG] = YOUNG;
    prev[YOUNG] = YOUNG;
  }
  heap.youngCount = 0;
  return collectList(heap, OLD, OLD);
}

/** A floor heap whose automatic collections run `collectYoung`. */
export function newFloorHeap(options: FloorOptions): FloorHeap {
  const heap = new FloorHeap(options);
  heap.collectYoung = collectYoung;
  return heap;
}
