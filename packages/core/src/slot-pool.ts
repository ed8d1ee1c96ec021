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

export class SlotPool {
  /** The slots. Read and write directly; a block is `[base, base + size)`. */
  words: Int32Array;
  #top = 1; // word 0 is never handed out: a base of 0 means "no block"
  readonly #freeHeads: Int32Array = new Int32Array(EXACT_CLASSES + 32).fill(NO_BLOCK);
  #onResize: (words: Int32Array) => void;
  /** Giving memory back never takes the pool below the size it was made with. */
  readonly #minWords: number;
  /**
   * `sortFreeLists`'s map of free blocks, a byte per word, kept from one sort to the next: made
   * afresh it was tens of megabytes of garbage each time on a big heap, and the JS engine frees
   * such buffers inside a pause of its own, wherever the program happens to be (a collector's
   * slice, as often as not).
   */
  #blockClasses: Uint8Array = new Uint8Array(0);

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
    const words = this.words;
    if (head !== NO_BLOCK) {
      this.#freeHeads[cls] = words[head]!;
      // A reused block is zeroed; a loop for small ones, memset for a list's big storage.
      if (block <= 16) for (let i = head + block - 1; i >= head; i--) words[i] = 0;
      else words.fill(0, head, head + block);
      return head;
    }
    const base = this.#top;
    const end = base + block;
    if (end > words.length) this.#grow(end);
    this.#top = end;
    return base;
  }

  /** Returns a block of `size` words (the size it was allocated with) to its free list. */
  release(base: number, size: number): void {
    if (base === 0) return;
    const cls = classOf(size <= EXACT_CLASSES ? size : SlotPool.blockSize(size));
    this.words[base] = this.#freeHeads[cls]!;
    this.#freeHeads[cls] = base;
  }

  /** Words in use or on free lists. */
  get usedWords(): number {
    return this.#top;
  }

  /** Words the pool holds, in use, free, or not handed out yet. */
  get capacityWords(): number {
    return this.words.length;
  }

  /**
   * Relinks every free list in address order. LIFO reuse scatters blocks a little more each
   * time a large structure is freed and built again, until neighbours in a structure sit
   * megabytes apart; handing blocks out lowest address first keeps what is built together
   * together, as a fresh pool does. One pass over the pool's words.
   *
   * With `giveBack`, free blocks that reach the top of the pool leave the free lists and the
   * top comes down to the last block in use (pymalloc's empty arenas going back to the
   * system); the pool's array shrinks once a quarter of it or less is in use.
   */
  sortFreeLists(giveBack = false): void {
    const words = this.words;
    const classOfBlock = this.#blockClassesFor(this.#top); // free block base → its class + 1
    const heads = this.#freeHeads;
    for (let cls = 0; cls < heads.length; cls++) {
      for (let at = heads[cls]!; at !== NO_BLOCK; at = words[at]!) classOfBlock[at] = cls + 1;
      heads[cls] = NO_BLOCK;
    }
    if (giveBack) this.#lowerTop(classOfBlock);
    for (let at = this.#top - 1; at > 0; at--) {
      const cls = classOfBlock[at]! - 1;
      if (cls < 0) continue;
      words[at] = heads[cls]!;
      heads[cls] = at;
    }
  }

  /** The kept map, zeroed over `[0, top)`; grown to the pool's size when it is shorter than `top`. */
  #blockClassesFor(top: number): Uint8Array {
    if (this.#blockClasses.length < top) this.#blockClasses = new Uint8Array(this.words.length);
    else this.#blockClasses.fill(0, 0, top);
    return this.#blockClasses;
  }

  /** Calls `visit(base, size)` for every block on a free list (for `Heap.verify`). */
  forEachFreeBlock(visit: (base: number, size: number) => void): void {
    const heads = this.#freeHeads;
    for (let cls = 0; cls < heads.length; cls++) {
      const size = sizeOfClass(cls);
      let steps = 0;
      for (let at = heads[cls]!; at !== NO_BLOCK; at = this.words[at]!) {
        if (++steps > this.#top) throw new RangeError(`the free list of ${size}-word blocks has a cycle`);
        visit(at, size);
      }
    }
  }

  /**
   * Brings the top down past the free blocks that end at it. Blocks tile the pool, so the
   * first free base found below the top either ends exactly there (free all the way up) or
   * ends below it (a block in use lies between) and the walk stops.
   */
  #lowerTop(classOfBlock: Uint8Array): void {
    const oldTop = this.#top;
    let top = oldTop;
    for (let at = top - 1; at > 0; at--) {
      const cls = classOfBlock[at]! - 1;
      if (cls < 0) continue;
      if (at + sizeOfClass(cls) !== top) break;
      top = at;
    }
    if (top !== oldTop) this.#setTop(top);
  }

  /**
   * Gives back every word from `top` up and remakes the free lists from what stays: each word
   * below `top` that `live` does not mark is free, carved into blocks of the pool's sizes. For
   * when most of the pool has emptied — one pass over the words that stay, instead of a walk
   * along every free block (a million freed objects are a million hops through memory).
   */
  rebuild(top: number, live: Uint8Array): void {
    this.#freeHeads.fill(NO_BLOCK);
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
      if (this.#blockClasses.length > length) this.#blockClasses = new Uint8Array(0); // made again, smaller, by the next sort
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
