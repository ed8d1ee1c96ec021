/**
 * A generation: the tracked objects it holds, in the order they joined, with
 * each object's position kept in the collector's slot column so untracking
 * one is O(1). Order matters: CPython walks a generation in list order, and
 * that order decides which finalizer and which weakref callback runs first.
 */
import type { Ref } from '@refheap/core';
import { RefBuffer } from './ref-buffer.ts';

export class Generation {
  readonly members: RefBuffer = new RefBuffer();
  /** Live members (entries minus tombstones). */
  size = 0;
  /** CPython's per-generation count: collections of the next younger generation since this one was collected. */
  count = 0;
  threshold: number;
  /**
   * Set in incremental mode: `add` never squeezes out tombstones, since that is a pass over
   * every member inside an automatic pause (an incremental cycle compacts in slices instead).
   */
  pinned = false;

  constructor(threshold: number) {
    this.threshold = threshold;
  }

  /**
   * Appends `ref`, recording its position in `slots`. Tombstones are squeezed out here, when
   * the buffer is full and mostly tombstones — never in `remove`, which runs while the
   * collector walks the members by position.
   */
  add(ref: Ref, slots: Int32Array): void {
    const members = this.members;
    if (!this.pinned && members.length === members.items.length && this.size * 2 < members.length) this.#compact(slots);
    slots[ref] = members.push(ref);
    this.size++;
  }

  /** Removes `ref`, whose position `slots` holds, leaving a tombstone. */
  remove(ref: Ref, slots: Int32Array): void {
    this.members.items[slots[ref]!] = 0;
    this.size--;
  }

  /** Moves every member, in order, to the end of `into` (gc_list_merge) and empties this generation. */
  drainInto(into: RefBuffer): void {
    const { items, length } = this.members;
    if (this.size === length) into.pushFrom(items, 0, length);
    else for (let i = 0; i < length; i++) if (items[i] !== 0) into.push(items[i]!);
    this.members.clear();
    this.size = 0;
  }

  /** Squeezes out tombstones now (positions change: callers must not be walking the members). */
  compact(slots: Int32Array): void {
    if (this.size < this.members.length) this.#compact(slots);
  }

  #compact(slots: Int32Array): void {
    const items = this.members.items;
    let kept = 0;
    for (let i = 0; i < this.members.length; i++) {
      const ref = items[i]!;
      if (ref === 0) continue;
      items[kept] = ref;
      slots[ref] = kept++;
    }
    this.members.length = kept;
  }
}
