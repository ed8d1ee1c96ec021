/**
 * verify() — every invariant of the columns, pool and counts checked — and the statistics.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { HeapCorruptionError } from './errors.ts';
import { FREE, type HeapStats, LIST_HEADER, SAMPLED, SORT_PENDING, TRACKED, TUPLE_HEADER } from './heap-definitions.ts';
import { HeapPlugins } from './heap-plugins.ts';
import { CollectorState } from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { SlotPool } from './slot-pool.ts';
import { type HeapTypeOf, Kind } from './types.ts';

export abstract class HeapIntegrity extends HeapPlugins {

  /**
   * Walks the whole heap and throws a HeapCorruptionError naming the object on the first
   * broken invariant: a reference to a freed object, a count below the references the heap
   * itself holds, a tracked atom, a free list that lies, a column out of step with the table,
   * a young buffer that lost a tracked object — then asks the collector and the weakref
   * implementation to check their own structures. O(objects + references); meant for tests
   * and fuzzing after every step on small heaps.
   */
  verify(): void {
    const fail = (message: string, ref?: Ref): never => {
      throw new HeapCorruptionError(ref === undefined ? message : `${this.describe(ref)}: ${message}`, ref === undefined ? undefined : this.describe(ref));
    };
    if (this._depth !== 0) fail('verify() called while a deallocation is in progress');
    if (!this.columns.inStep()) fail('a per-object column is shorter than the object table');
    const top = this._top;
    const internal = new Int32Array(top);
    let live = 0;
    let pending = 0; // free, marked by a sort under way, on no list until its scan links them
    let visiting: Ref = NULL;
    const count = (child: Ref): void => {
      if (!(child > 0 && child < top) || !(this._rc[child]! > 0)) {
        fail(`refers to ${child > 0 && child < top ? this.describe(child) : String(child)}, which is not a live object`, visiting);
      }
      internal[child]!++;
    };
    for (let ref = 1; ref < top; ref++) {
      const f = this._flags[ref]!;
      const state = this._states[ref]!;
      const rc = this._rc[ref]!;
      if (f & FREE) {
        if (rc === SORT_PENDING) pending++;
        else if (rc !== 0) fail(`is on the free list with a count of ${rc}`, ref);
        if (f & TRACKED || state !== CollectorState.Unlisted) fail('is free but still tracked', ref);
        continue;
      }
      if (rc <= 0) fail(`has a count of ${rc} but is not free`, ref);
      live++;
      const type = this._typeTable[this._type[ref]!];
      if (type === undefined) fail(`has an unknown type id ${this._type[ref]}`, ref);
      if (!type!.isContainer && f & TRACKED) fail('is an atom, yet tracked by the collector', ref);
      if (state !== CollectorState.Unlisted && !(f & TRACKED)) fail('is listed by the collector but not tracked', ref);
      if (f & SAMPLED && this._sampler === null) fail('is marked as sampled but the heap has no sampler', ref);
      if (this._collector !== null && f & TRACKED && state === CollectorState.Unlisted) {
        fail('is tracked but neither in the young buffer nor in a generation', ref);
      }
      visiting = ref;
      if (type!.isContainer) this.traverse(ref, count);
    }
    if (live !== this.liveObjects) fail(`${live} objects are live but the heap counts ${this.liveObjects}`);
    for (let ref = 1; ref < top; ref++) {
      if (this._rc[ref]! > 0 && internal[ref]! > this._rc[ref]!) {
        fail(`has a count of ${this._rc[ref]} but the heap itself holds ${internal[ref]} references to it`, ref);
      }
    }
    // Mid-sort, a free index is on the free list, the sorted list or the set-aside one, or pending
    // (the set-aside list's front, up to where its walk has got, is pending too).
    let free = pending;
    let steps = 0;
    for (let ref = this._earlierHead; ref !== this._markHead; ref = this._base[ref]!) {
      if (ref === NULL || !(this._flags[ref]! & FREE) || this._rc[ref] !== SORT_PENDING) {
        fail(`the set-aside list's front holds ${ref === NULL ? 'an end' : this.describe(ref)}, not an index marked pending`);
      }
      if (++steps > top) fail('the set-aside list has a cycle');
    }
    for (const head of [this._freeHead, this._sortedHead, this._markHead]) {
      for (let ref = head; ref !== NULL; ref = this._base[ref]!) {
        if (!(this._flags[ref]! & FREE)) fail('is on the free list but not free', ref);
        if (++free > top) fail('the free list has a cycle');
      }
    }
    if (free !== top - 1 - live) fail(`the free lists hold ${free} indexes; ${top - 1 - live} are free`);
    this._verifyPool(fail);
    if (this._collector !== null) {
      const seen = new Uint8Array(top);
      for (let i = 0; i < this._youngTop; i++) seen[this._young[i]!] = 1; // (an index's last entry is its live one)
      for (let ref = 1; ref < top; ref++) {
        if (this._states[ref] === CollectorState.Buffered && seen[ref] === 0) fail('is marked as in the young buffer but is not there', ref);
      }
    }
    this._collector?.verify?.();
    this._weakrefs?.verify?.();
  }

  /**
   * Every word of the slot pool belongs to exactly one block: a live object's (of the size its
   * layout says) or a free one. A block released with the wrong size shows as words nobody owns.
   */
  protected _verifyPool(fail: (message: string, ref?: Ref) => never): void {
    const used = this._pool.usedWords;
    const owner = new Int32Array(used); // word → owning object, or -1 for a free block
    let owned = 0;
    const claim = (base: number, size: number, by: Ref): void => {
      if (base + size > used) fail(`its slot block [${base}, ${base + size}) runs past the pool's end`, by > 0 ? by : undefined);
      for (let at = base; at < base + size; at++) {
        if (owner[at] !== 0) fail(`its slot block overlaps ${owner[at]! > 0 ? this.describe(owner[at]!) : 'a free block'}`, by > 0 ? by : undefined);
        owner[at] = by;
      }
      owned += size;
    };
    for (let ref = 1; ref < this._top; ref++) {
      if (!(this._rc[ref]! > 0)) continue;
      const size = this._blockWordsOf(ref);
      if (size > 0) claim(this._base[ref]!, size, ref);
    }
    this._pool.forEachFreeBlock((base, size) => claim(base, size, -1));
    if (owned !== used - 1) fail(`${used - 1 - owned} words of the slot pool belong to no object and to no free block`);
  }

  /** The words of an object's slot block, as its layout decides (0: it has none). */
  protected override _blockWordsOf(ref: Ref): number {
    const type = this._typeTable[this._type[ref]!]!;
    const base = this._base[ref]!;
    switch (type.kind) {
      case Kind.Tuple:
        return SlotPool.blockSize(TUPLE_HEADER + this._words[base]!);
      case Kind.List:
        return LIST_HEADER + this._words[base + 1]!;
      case Kind.Instance:
        return SlotPool.blockSize(type.blockWords);
      case Kind.Type:
      case Kind.Function:
      case Kind.Cell:
        return 1;
      default:
        return 0;
    }
  }

  /** Live objects, allocation counts, and estimated bytes by type. */
  stats(): HeapStats {
    const perObject = this.columns.bytesPerObject();
    const counts = new Map<number, { count: number; bytes: number }>();
    for (let ref = 1; ref < this._top; ref++) {
      if (!(this._rc[ref]! > 0)) continue;
      const typeId = this._type[ref]!;
      const entry = counts.get(typeId) ?? { count: 0, bytes: 0 };
      entry.count++;
      entry.bytes += perObject + this._contentBytes(ref);
      counts.set(typeId, entry);
    }
    const byType = [...counts].map(([id, c]) => ({ type: this._typeTable[id]!.name, count: c.count, bytes: c.bytes }));
    byType.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    return {
      live: this.liveObjects,
      allocations: this._allocations,
      deallocations: this._deallocations,
      bytes: byType.reduce((sum, t) => sum + t.bytes, 0),
      byType,
      slotWords: this._pool.usedWords,
      reservedBytes: this.reservedBytes,
    };
  }

  /** Live objects right now. */
  override get liveObjects(): number {
    return this._allocations - this._deallocations;
  }

  /** Live objects of a type (a scan of the object table). */
  liveCount(type: HeapTypeOf<this>): number {
    let count = 0;
    const column = this._type;
    for (let ref = 1; ref < this._top; ref++) if (column[ref] === type.id && this._rc[ref]! > 0) count++;
    return count;
  }

  /** Estimated bytes one object takes: its column entries, slot words and payload. */
  sizeOf(ref: Ref): number {
    this._checkLive(ref);
    return this.columns.bytesPerObject() + this._contentBytes(ref);
  }
}
