/**
 * The heap's constants and the shapes of what it takes and reports: object flags, limits,
 * block headers, options, statistics, the close report, and the heap tags that tell heaps apart.
 */
import type { UnraisableHook } from './protocol.ts';

export const TRACKED = 1;
export const FINALIZED = 2;
export const HAS_WEAKREFS = 4;
export const IMMORTAL = 8;
export const FREE = 16;
export const DYING = 32;
export const SAMPLED = 64;
export const NUMBERED = 128;

/** Object flags, one byte per object. (Where a tracked object stands with a collector is the collector-state column: `CollectorState`.) */
export const Flag: {
  /** Linked into a collector generation. */
  readonly Tracked: number;
  /** Its PEP 442 finalizer has run; it never runs again. */
  readonly Finalized: number;
  /** At least one weak reference points at it. */
  readonly HasWeakrefs: number;
  /** PEP 683: its count never changes and it is never freed. */
  readonly Immortal: number;
  /** The index is on the free list. */
  readonly Free: number;
  /** Its finalizer is running from deallocation: a count of one is the finalizer's own. */
  readonly Dying: number;
  /** Picked by the allocation sampler, which hears of its free. */
  readonly Sampled: number;
  /** Has a serial (`Heap.serialOf` was asked): its free forgets it. */
  readonly Numbered: number;
} = Object.freeze({
  Tracked: TRACKED,
  Finalized: FINALIZED,
  HasWeakrefs: HAS_WEAKREFS,
  Immortal: IMMORTAL,
  Free: FREE,
  Dying: DYING,
  Sampled: SAMPLED,
  Numbered: NUMBERED,
});

/** Frees between two sorts that put the free lists back in address order (`_sortStep`). */
export const SORT_AFTER_FREES = 65_536;

// The free-list sort's phases (see `_takeWhileSorting`), and the count that marks a free index
// the sort has taken off the old list and is still to link.
export const SORT_IDLE = 0;
export const SORT_MARKING = 1;
export const SORT_LINKING = 2;
export const SORT_PENDING = -1;

/**
 * A sort's work per allocation while it is under way: indexes of the table looked at (a hop
 * along the old list, a cache miss, counts SORT_HOP), and units of the slot pool's (`SlotPool.sortStep`). Some
 * 64 + 256 reads, under a microsecond; a sort is done in a small fraction of the allocations
 * between two sorts.
 */
export const SORT_STEP_INDEXES = 64;
export const SORT_HOP = 2;
export const SORT_STEP_POOL = 256;
/**
 * How much further a sort looks, per allocation, when it has no free index to hand out yet (its
 * scan is crossing a run of live objects): past that, the allocation takes a new one at the top
 * instead of stopping the program for the rest of the scan.
 */
export const SORT_SEARCH_INDEXES = 4096;

/** Deallocation recurses this deep, then queues (CPython's trashcan uses the same limit). */
export const TRASHCAN_DEPTH = 50;

/** The highest count an object can have (the count column is 32-bit; CPython's Py_ssize_t is wider). */
export const MAX_COUNT = 0x7fff_ffff;

/** A count big enough that singletons and small ints never reach zero (CPython 3.11 shows about 10⁹). */
export const SINGLETON_COUNT = 1_000_000_000;
/** What CPython 3.12+ reports for an immortal object. */
export const IMMORTAL_COUNT = 4294967295;
export const SMALL_INT_MIN = -5;
export const SMALL_INT_MAX = 256;

/** Words at the head of a tuple block (its length). */
export const TUPLE_HEADER = 1;
/** Words at the head of a list block (length, capacity). */
export const LIST_HEADER = 2;

export interface HeapOptions {
  /**
   * PEP 683 (CPython 3.12+): None, True, False and the small ints are immortal and report a count of
   * 4294967295. Off by default, which mirrors CPython 3.11 — a huge but ordinary count — so the
   * seeds' numbers make sense.
   */
  readonly immortal?: boolean;
  /** Objects the columns hold before the first doubling. */
  readonly initialCapacity?: number;
  /** Where exceptions from finalizers and callbacks go; CPython prints them to stderr. */
  readonly unraisable?: UnraisableHook;
  /**
   * The heap's number in its ids' high bits. By default the lowest no living heap holds, so an id
   * from one heap is refused by another (ForeignHeapError). Name one to give every run of a program
   * the same ids — a replay on a fresh heap while the last awaits JS's collector would otherwise
   * get the next tag; heaps sharing a tag cannot tell each other's ids apart.
   */
  readonly tag?: number;
  /**
   * When `serialOf` numbers an object. `'when-asked'`: the first time it is asked, so only the
   * objects asked about pay for a serial — but its value then depends on when that was.
   * `'at-birth'`: every object as it is allocated, so serials, like ids, depend on the
   * program's history alone and a replay on a fresh heap gives the same ones. The default is
   * `'at-birth'` on a heap that names its `tag` (it is for replays), `'when-asked'` otherwise.
   */
  readonly serials?: 'when-asked' | 'at-birth';
}

/** Per-type counts for `stats()`. */
export interface TypeStats {
  readonly type: string;
  readonly count: number;
  readonly bytes: number;
}

export interface HeapStats {
  readonly live: number;
  readonly allocations: number;
  readonly deallocations: number;
  /** Estimated bytes of every live object: its columns, slot words and payload. */
  readonly bytes: number;
  readonly byType: readonly TypeStats[];
  /** Words of the slot pool handed out so far, in use or waiting on its free lists. */
  readonly slotWords: number;
  /** Bytes of storage the heap holds, used or not: see `Heap.reservedBytes` and `Heap.trim`. */
  readonly reservedBytes: number;
}

/**
 * Tags of the heaps alive in this JS realm. A heap takes the lowest tag no living heap
 * holds, so ids of two live heaps never collide, however many heaps come and go.
 */
export const heapsByTag: (WeakRef<object> | undefined)[] = [];

/** The highest tag a caller may name: ids keep twelve hex digits, as a 64-bit CPython's do. */
const MAX_HEAP_TAG = 255;

export function takeHeapTag(heap: object, wanted?: number): number {
  if (wanted !== undefined) {
    if (!Number.isSafeInteger(wanted) || wanted < 0 || wanted > MAX_HEAP_TAG) {
      throw new RangeError(`HeapOptions.tag must be an integer from 0 to ${MAX_HEAP_TAG}, not ${String(wanted)}`);
    }
    heapsByTag[wanted] = new WeakRef(heap);
    return wanted;
  }
  let tag = heapsByTag.findIndex((entry) => entry === undefined || entry.deref() === undefined);
  if (tag < 0) tag = heapsByTag.length;
  heapsByTag[tag] = new WeakRef(heap);
  return tag;
}

/** What `Heap.close` found: objects still alive (not the heap's own), by type, and finalizers it ran. */
export interface CloseReport {
  readonly alive: readonly { readonly type: string; readonly count: number }[];
  readonly total: number;
  readonly finalized: number;
}

/** A JS value the heap converts to an object: see `Heap.from`. */
export type Convertible = null | undefined | boolean | number | bigint | string | Uint8Array;
