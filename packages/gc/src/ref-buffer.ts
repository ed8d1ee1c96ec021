/**
 * A growable list of object refs in an Int32Array. The collector's working
 * sets (the generation being collected, the unreachable set, callbacks to
 * call) are these: reused from one collection to the next, so a collection
 * allocates nothing per object. A removed entry becomes 0 (a tombstone) so
 * the others keep their positions and their order.
 */
import type { Ref, YoungSink } from '@refheap/core';

export class RefBuffer implements YoungSink {
  items: Int32Array;
  length = 0;

  constructor(capacity = 256) {
    this.items = new Int32Array(capacity);
  }

  /**
   * Makes room for `capacity` entries now. On an empty buffer that is an allocation and no copy
   * (the engine maps fresh zeroed pages, touched only as entries are written), where growing by
   * doubling inside a collector's slice would copy what is there at every step.
   */
  reserve(capacity: number): void {
    if (capacity <= this.items.length) return;
    const grown = new Int32Array(capacity);
    if (this.length > 0) grown.set(this.items.subarray(0, this.length));
    this.items = grown;
  }

  push(ref: Ref): number {
    if (this.length === this.items.length) this.reserve(this.items.length * 2);
    this.items[this.length] = ref;
    return this.length++;
  }

  /** Appends `refs[from, to)`, in order, without making a view of it (the heap's `YoungSink`). */
  pushFrom(refs: Int32Array, from: number, to: number): void {
    const length = to - from;
    const end = this.length + length;
    if (end > this.items.length) {
      let capacity = this.items.length * 2;
      while (capacity < end) capacity *= 2;
      this.reserve(capacity);
    }
    const items = this.items;
    // A young generation is a few hundred entries, generation 1 some thousands: a loop, where a
    // view would be an object for the JS engine's collector to sweep up after every collection.
    if (length <= 65536) for (let i = 0; i < length; i++) items[this.length + i] = refs[from + i]!;
    else items.set(from === 0 && length === refs.length ? refs : refs.subarray(from, to), this.length);
    this.length = end;
  }

  clear(): void {
    this.length = 0;
  }

  /** The live (non-tombstone) entries. */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.length; i++) if (this.items[i] !== 0) n++;
    return n;
  }

  /** The live entries, in order, as a plain array. */
  toArray(): Ref[] {
    const out: Ref[] = [];
    for (let i = 0; i < this.length; i++) if (this.items[i] !== 0) out.push(this.items[i]!);
    return out;
  }
}
