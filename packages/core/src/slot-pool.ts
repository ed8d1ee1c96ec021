/**
 * Storage for object slots: one Int32Array carved into blocks. Fixed-size
 * objects (a two-slot Node) take a block of exactly their size; growable ones
 * (lists) take power-of-two blocks and move when they outgrow them. Freed
 * blocks go onto a free list per size class, so churn reuses memory instead of
 * growing the pool, and nothing here allocates a JS object per block.
 */

/** Sizes up to this get a free list of their own; larger ones round up to a power of two. */
const EXACT_CLASSES = 32;
const NO_BLOCK = -1;
/** The pool never shrinks below this many words. */
const MIN_WORDS = 64;
const NUM_CLASSES = EXACT_CLASSES + 32;

// A sort's phases (see `beginSort`).
const NOT_SORTING = 0;
const MARKING = 1;
const LINKING = 2;
/** A hop along a free list, in `sortStep`'s units: a cache miss, where a word of the map is one of a run. */
const HOP_COST = 2;
/**
 * How much further the scan looks, in `sortStep`'s units, when a class has nothing sorted yet to
 * hand out: a block in hand is worth some microseconds; a new one at the top grows the pool.
 */
const SEARCH_BUDGET = 4096;

export class SlotPool {
  /** The slots. Read and write directly; a block is `[base, base + size)`. */
  words: Int32Array;
  #top = 1; // word 0 is never handed out: a base of 0 means "no block"
  /** The free lists, a head per size class (linked through each free block's first word). */
  readonly #lists: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  /**
   * What `allocate` takes from and what `release` gives to: the free lists, except during a sort,
   * when allocation finds nothing here (`#none`) and goes to the sort's lists, and releases go to
   * `#released`, taken only when those are empty. Two fields rather than a test on either path:
   * blocks released during a sort come in whatever order the program frees them (a collector's
   * garbage, batch after batch), and taken first they scattered what was made then.
   */
  #freeHeads: Int32Array = this.#lists;
  #releaseHeads: Int32Array = this.#lists;
  readonly #none: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  readonly #released: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  #onResize: (words: Int32Array) => void;
  /** Giving memory back never takes the pool below the size it was made with. */
  readonly #minWords: number;
  /**
   * The sort's map of free blocks, a byte per word (a free block's class + 1 at its base), kept
   * from one sort to the next: made afresh it was tens of megabytes of garbage each time on a
   * big heap, and the JS engine frees such buffers inside a pause of its own, wherever the
   * program happens to be (a collector's slice, as often as not). All zeros between sorts.
   */
  #map: Uint8Array = new Uint8Array(0);
  /** The same bytes four at a time, to skip the runs of zeros (blocks in use) quickly. */
  #mapQuads: Int32Array = new Int32Array(0);
  #phase = NOT_SORTING;
  /**
   * MARKING: the lists as they were when the sort began, each from `#earlier` (where allocation
   * takes from, in list order) up to `#markAt` noted in the map, and from `#markAt` on not
   * reached by the walk yet; and the class being walked.
   */
  readonly #earlier: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  readonly #markAt: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  #markClass = 0;
  /**
   * LINKING: the sorted lists so far (heads and tails), the next word of the map (MARKING: the
   * lowest base it has noted, where the scan will begin), and where the map ends.
   */
  readonly #sortedHeads: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  readonly #sortedTails: Int32Array = new Int32Array(NUM_CLASSES).fill(NO_BLOCK);
  #scan = 0;
  #end = 0;

  constructor(initialWords: number, onResize: (words: Int32Array) => void) {
    this.#minWords = Math.max(initialWords, MIN_WORDS);
    this.words = new Int32Array(this.#minWords);
    this.#onResize = onResize;
    onResize(this.words);
  }

  /** The size a request of `size` words really gets. */
  static blockSize(size: number): number {
    if (size <= EXACT_CLASSES) return size;
    return (1 << (32 - Math.clz32(size - 1))) >>> 0; // the next power of two, in integer ops (`2 **` is a float power)
  }


  /** Allocates a zeroed block of at least `size` words and returns its base (0 for size 0). */
  allocate(size: number): number {
    if (size === 0) return 0;
    const block = size <= EXACT_CLASSES ? size : SlotPool.blockSize(size);
    const cls = classOf(block);
    const head = this.#freeHeads[cls]!;
    if (head === NO_BLOCK) return this.#allocateOffList(cls, block);
    this.#freeHeads[cls] = this.words[head]!;
    return this.#zeroed(head, block);
  }

  /** A reused block, zeroed: a loop for small ones, memset for a list's big storage. */
  #zeroed(base: number, block: number): number {
    const words = this.words;
    if (block <= 16) for (let i = base + block - 1; i >= base; i--) words[i] = 0;
    else words.fill(0, base, base + block);
    return base;
  }

  /** With its class's list empty: a block a sort under way holds, or a new one at the top (zeroed already). */
  #allocateOffList(cls: number, block: number): number {
    if (this.#phase !== NOT_SORTING) {
      const held = this.#takeWhileSorting(cls);
      if (held !== NO_BLOCK) return this.#zeroed(held, block);
    }
    const base = this.#top;
    const end = base + block;
    if (end > this.words.length) this.#grow(end);
    this.#top = end;
    return base;
  }

  /** Returns a block of `size` words (the size it was allocated with) to its free list. */
  release(base: number, size: number): void {
    if (base === 0) return;
    const cls = classOf(size <= EXACT_CLASSES ? size : SlotPool.blockSize(size));
    const heads = this.#releaseHeads;
    this.words[base] = heads[cls]!;
    heads[cls] = base;
  }

  /** Words in use or on free lists. */
  get usedWords(): number {
    return this.#top;
  }

  /** Words the pool holds, in use, free, or not handed out yet. */
  get capacityWords(): number {
    return this.words.length;
  }

  /** Whether a sort begun by `beginSort` is still under way. */
  get sorting(): boolean {
    return this.#phase !== NOT_SORTING;
  }

  /**
   * Starts relinking every free list in address order, to be done a little at a time by
   * `sortStep` while blocks are allocated and released. LIFO reuse scatters blocks a little
   * more each time a large structure is freed and built again, until neighbours in a structure
   * sit megabytes apart; handing blocks out lowest address first keeps what is built together
   * together, as a fresh pool does. In steps because on a big pool the whole pass is tens of
   * milliseconds, a stop of the program as long as the collections that incremental collection
   * cuts into slices.
   *
   * The lists as they stand are set aside and walked first (MARKING), each block's class noted
   * in the map at its base; allocation can still take from them, from the front, behind the walk
   * (a block taken has its note cleared), so what it gets lies together as the list has it. Then
   * the map is scanned upward (LINKING), each noted block appended to its class's sorted list. A
   * block released meanwhile goes on a list of its own (`#released`), never into the map, so no
   * block is on two lists; allocation takes from it only when the set-aside and sorted blocks of
   * its class are gone. At the end each sorted list goes first, what was released after it.
   */
  beginSort(): void {
    if (this.#phase !== NOT_SORTING) return;
    this.#ensureMap(this.#top);
    this.#earlier.set(this.#lists);
    this.#markAt.set(this.#lists);
    this.#lists.fill(NO_BLOCK);
    this.#freeHeads = this.#none;
    this.#releaseHeads = this.#released;
    this.#markClass = 0;
    this.#end = this.#top;
    this.#scan = this.#top;
    this.#phase = MARKING;
  }

  /** Does about `budget` units of the sort's work: a look at the map is one, a hop along a list HOP_COST. */
  sortStep(budget: number): void {
    if (this.#phase === MARKING) budget = this.#mark(budget);
    if (this.#phase === LINKING && budget > 0) this.#link(budget);
  }

  /** Does the rest of a sort under way. */
  finishSort(): void {
    this.sortStep(Infinity);
  }

  /**
   * A whole sort at once. With `giveBack`, free blocks that reach the top of the pool leave the
   * free lists and the top comes down to the last block in use (pymalloc's empty arenas going
   * back to the system); the pool's array shrinks once a quarter of it or less is in use.
   */
  sortFreeLists(giveBack = false): void {
    this.finishSort();
    this.beginSort();
    this.#mark(Infinity);
    if (giveBack) this.#lowerTop();
    this.#link(Infinity);
    if (this.#map.length > this.words.length) this.#setMap(new Uint8Array(0)); // the pool shrank: made again, smaller, by the next sort
  }

  /** The kept map is all zeros (the linking clears what it reads); made anew, the pool's size, when shorter than `top`. */
  #ensureMap(top: number): void {
    if (this.#map.length < top) this.#setMap(new Uint8Array(this.words.length));
  }

  #setMap(map: Uint8Array): void {
    this.#map = map;
    this.#mapQuads = new Int32Array(map.buffer, 0, map.length >>> 2);
  }

  /** MARKING: walks the set-aside lists, noting each block's class (+ 1) in the map; at their end they are left to the scan. */
  #mark(budget: number): number {
    const words = this.words;
    const map = this.#map;
    const markAt = this.#markAt;
    while (this.#markClass < markAt.length) {
      const cls = this.#markClass;
      let at = markAt[cls]!;
      let lowest = this.#scan;
      while (at !== NO_BLOCK && budget > 0) {
        map[at] = cls + 1;
        if (at < lowest) lowest = at;
        at = words[at]!;
        budget -= HOP_COST;
      }
      markAt[cls] = at;
      this.#scan = lowest;
      if (at !== NO_BLOCK) return 0;
      this.#markClass++;
    }
    // What allocation has not taken is noted in the map, and the scan's links overwrite the lists'.
    this.#earlier.fill(NO_BLOCK);
    this.#phase = LINKING;
    return budget;
  }

  /** LINKING: appends the blocks noted in the map, lowest first, to the sorted lists; joins them to the lists at the end. */
  #link(budget: number): void {
    const words = this.words;
    const map = this.#map;
    const heads = this.#sortedHeads;
    const tails = this.#sortedTails;
    const end = this.#end;
    let at = this.#scan;
    // The map is mostly zeros (blocks in use): four of its bytes at a time where they are.
    const quads = this.#mapQuads;
    while (at < end && budget > 0) {
      budget--;
      if ((at & 3) === 0 && quads[at >>> 2] === 0) {
        at += 4;
        continue;
      }
      const mark = map[at]!;
      if (mark === 0) {
        at++;
        continue;
      }
      map[at] = 0;
      const cls = mark - 1;
      words[at] = NO_BLOCK;
      if (tails[cls] === NO_BLOCK) heads[cls] = at;
      else words[tails[cls]!] = at;
      tails[cls] = at;
      at += sizeOfClass(cls);
    }
    this.#scan = at;
    if (at < end) return;
    // Done: each sorted list goes before what was released while it was made.
    const lists = this.#lists;
    const released = this.#released;
    for (let cls = 0; cls < lists.length; cls++) {
      if (heads[cls] === NO_BLOCK) {
        lists[cls] = released[cls]!;
        continue;
      }
      words[tails[cls]!] = released[cls]!;
      lists[cls] = heads[cls]!;
    }
    heads.fill(NO_BLOCK);
    tails.fill(NO_BLOCK);
    released.fill(NO_BLOCK);
    this.#freeHeads = lists;
    this.#releaseHeads = lists;
    this.#phase = NOT_SORTING;
  }

  /**
   * During a sort: a class's sorted blocks, then its set-aside ones; with neither, a look further
   * on for sorted ones; then what was released since the sort began (NO_BLOCK: none of these).
   */
  #takeWhileSorting(cls: number): number {
    let at = this.#takeHeld(cls);
    if (at !== NO_BLOCK) return at;
    if (this.#phase === LINKING) {
      this.#link(SEARCH_BUDGET);
      if (this.#phase === LINKING) at = this.#takeHeld(cls);
      else return this.#pop(this.#lists, cls); // the scan ended: the sorted lists are the free lists now
      if (at !== NO_BLOCK) return at;
    }
    return this.#pop(this.#released, cls);
  }

  #pop(heads: Int32Array, cls: number): number {
    const at = heads[cls]!;
    if (at !== NO_BLOCK) heads[cls] = this.words[at]!;
    return at;
  }

  /** A class's sorted blocks, then its set-aside ones (NO_BLOCK: neither holds one). */
  #takeHeld(cls: number): number {
    const words = this.words;
    let at = this.#sortedHeads[cls]!;
    if (at !== NO_BLOCK) {
      this.#sortedHeads[cls] = words[at]!;
      if (at === this.#sortedTails[cls]) this.#sortedTails[cls] = NO_BLOCK;
      return at;
    }
    at = this.#earlier[cls]!; // (NO_BLOCK once LINKING has begun)
    if (at === NO_BLOCK) return NO_BLOCK;
    const next = words[at]!;
    if (at === this.#markAt[cls]) this.#markAt[cls] = next; // not reached by the walk: not in the map
    else this.#map[at] = 0; // noted: the scan must pass it by
    this.#earlier[cls] = next;
    return at;
  }

  /** Calls `visit(base, size)` for every block on a free list (for `Heap.verify`). */
  forEachFreeBlock(visit: (base: number, size: number) => void): void {
    // (Mid-sort, a set-aside list's front, up to where its walk has got, is in the map.)
    if (this.#phase === MARKING) this.#checkMarkedFronts();
    const lists = this.#phase === NOT_SORTING ? [this.#lists] : [this.#released, this.#sortedHeads, this.#markAt];
    for (const heads of lists) {
      for (let cls = 0; cls < heads.length; cls++) {
        const size = sizeOfClass(cls);
        let steps = 0;
        for (let at = heads[cls]!; at !== NO_BLOCK; at = this.words[at]!) {
          if (++steps > this.#top) throw new RangeError(`the free list of ${size}-word blocks has a cycle`);
          visit(at, size);
        }
      }
    }
    // Mid-sort, the blocks noted in the map and not linked yet.
    if (this.#phase === NOT_SORTING) return;
    for (let at = this.#phase === LINKING ? this.#scan : 1; at < this.#end; at++) {
      if (this.#map[at] !== 0) visit(at, sizeOfClass(this.#map[at]! - 1));
    }
  }

  /** Every block on a set-aside list's front, up to where the walk has got, is noted in the map as of its class. */
  #checkMarkedFronts(): void {
    for (let cls = 0; cls < NUM_CLASSES; cls++) {
      let steps = 0;
      for (let at = this.#earlier[cls]!; at !== this.#markAt[cls]; at = this.words[at]!) {
        if (at === NO_BLOCK || this.#map[at] !== cls + 1) {
          throw new RangeError(`the set-aside list of ${sizeOfClass(cls)}-word blocks holds a block the sort has not noted`);
        }
        if (++steps > this.#top) throw new RangeError(`the set-aside list of ${sizeOfClass(cls)}-word blocks has a cycle`);
      }
    }
  }

  /**
   * Brings the top down past the free blocks that end at it (with every free block noted in the
   * map, before linking). Blocks tile the pool, so the first free base found below the top either
   * ends exactly there (free all the way up) or ends below it (a block in use lies between) and
   * the walk stops.
   */
  #lowerTop(): void {
    const map = this.#map;
    const oldTop = this.#top;
    let top = oldTop;
    for (let at = top - 1; at > 0; at--) {
      const cls = map[at]! - 1;
      if (cls < 0) continue;
      if (at + sizeOfClass(cls) !== top) break;
      map[at] = 0; // given back: not linked
      top = at;
    }
    this.#end = top;
    if (top !== oldTop) this.#setTop(top);
  }

  /**
   * Gives back every word from `top` up and remakes the free lists from what stays: each word
   * below `top` that `live` does not mark is free, carved into blocks of the pool's sizes. For
   * when most of the pool has emptied — one pass over the words that stay, instead of a walk
   * along every free block (a million freed objects are a million hops through memory).
   */
  rebuild(top: number, live: Uint8Array): void {
    this.finishSort();
    this.#lists.fill(NO_BLOCK);
    // Downwards, so the lowest blocks end up at the heads of the lists: lowest address first.
    let end = top;
    for (let at = top - 1; at > 0; at--) {
      if (live[at] === 0) continue;
      this.#carve(at + 1, end);
      end = at;
    }
    this.#carve(1, end);
    this.#setTop(top);
  }

  /** Frees `[start, end)` as blocks of the pool's sizes, highest first. */
  #carve(start: number, end: number): void {
    while (end > start) {
      const length = end - start;
      const size = length > EXACT_CLASSES ? (length >= 64 ? 2 ** Math.floor(Math.log2(length)) : EXACT_CLASSES) : length;
      end -= size;
      this.release(end, size);
    }
  }

  /** Moves the top down to `top`, and shrinks the array once a quarter of it or less is in use. */
  #setTop(top: number): void {
    const oldTop = this.#top;
    this.#top = top;
    let length = this.words.length;
    while (length > this.#minWords && top * 4 <= length) length /= 2;
    if (length !== this.words.length) {
      this.words = this.words.slice(0, length);
      this.#onResize(this.words);
      if (this.#map.length > length && this.#phase === NOT_SORTING) this.#setMap(new Uint8Array(0)); // made again, smaller, by the next sort
    }
    // Allocation at the top assumes zeroed words (a fresh array's); free blocks are not.
    this.words.fill(0, top, Math.min(oldTop, this.words.length));
  }

  #grow(minimum: number): void {
    let length = this.words.length;
    while (length < minimum) length *= 2;
    const next = new Int32Array(length);
    next.set(this.words);
    this.words = next;
    this.#onResize(next);
  }
}

/** The words of a block on free list `cls`. */
function sizeOfClass(cls: number): number {
  return cls <= EXACT_CLASSES ? cls : 2 ** (cls - EXACT_CLASSES + 5);
}

/** The free list a block of `blockSize` words belongs to. */
function classOf(blockSize: number): number {
  // A power of two past EXACT_CLASSES: 2^k has 31 - k leading zeros.
  return blockSize <= EXACT_CLASSES ? blockSize : EXACT_CLASSES + (31 - Math.clz32(blockSize)) - 5;
}
