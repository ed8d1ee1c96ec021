/**
 * Per-object columns. An object is an index; each of its properties lives in a
 * typed array indexed by it. The heap owns the capacity: when it doubles, every
 * column doubles with it, including the ones other packages attach (the
 * collector's generation links, the weakref list head, the tracer's trace id),
 * and when the top of the table empties, every column shrinks with it.
 * A column's owner caches the array and refreshes it from `onResize`, so hot
 * paths read a plain typed array with no indirection.
 */

/** The typed-array kinds a column may be. */
export type ColumnArray = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

type ColumnConstructor<A extends ColumnArray> = new (length: number) => A;

/** A column attached to the heap's object table. */
export interface Column<A extends ColumnArray> {
  /** The current array; replaced when the table grows or shrinks. */
  readonly array: A;
  /** Bytes this column costs per object. */
  readonly bytesPerObject: number;
}

interface ColumnRecord {
  array: ColumnArray;
  readonly create: (length: number) => ColumnArray;
  readonly fill: number;
  readonly onResize: ((array: ColumnArray) => void) | undefined;
  readonly bytesPerObject: number;
}

/** The set of columns that grow together. */
export class ColumnTable {
  #capacity: number;
  readonly #columns: ColumnRecord[] = [];
  #bytesPerObject = 0;
  readonly #onLayoutChange: (() => void) | undefined;

  /** `onLayoutChange` hears of every attach and detach (the bytes per object changed). */
  constructor(capacity: number, onLayoutChange?: () => void) {
    this.#capacity = capacity;
    this.#onLayoutChange = onLayoutChange;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Adds a column. `fill` is the value of every unused entry, now and after each
   * growth; `onResize` receives the new array whenever the table grows or shrinks.
   */
  attach<A extends ColumnArray>(
    kind: ColumnConstructor<A>,
    fill = 0,
    onResize?: (array: A) => void,
  ): Column<A> {
    const create = (length: number): A => new kind(length);
    const array = create(this.#capacity);
    if (fill !== 0) array.fill(fill);
    const record: ColumnRecord = {
      array,
      create,
      fill,
      onResize: onResize as ((array: ColumnArray) => void) | undefined,
      bytesPerObject: array.BYTES_PER_ELEMENT,
    };
    this.#columns.push(record);
    this.#bytesPerObject += record.bytesPerObject;
    onResize?.(array);
    this.#onLayoutChange?.();
    return record as unknown as Column<A>;
  }

  /** Removes a column (a plugin detaching). */
  detach(column: Column<ColumnArray>): void {
    const at = this.#columns.indexOf(column as unknown as ColumnRecord);
    if (at < 0) return;
    this.#columns.splice(at, 1);
    this.#bytesPerObject -= (column as unknown as ColumnRecord).bytesPerObject;
    this.#onLayoutChange?.();
  }

  /** Grows every column to at least `minimum` entries, by doubling. */
  grow(minimum: number): void {
    let capacity = this.#capacity;
    while (capacity < minimum) capacity *= 2;
    if (capacity === this.#capacity) return;
    const old = this.#capacity;
    this.#capacity = capacity;
    for (const record of this.#columns) {
      const next = record.create(capacity);
      next.set(record.array);
      if (record.fill !== 0) next.fill(record.fill, old);
      record.array = next;
    }
    for (const record of this.#columns) record.onResize?.(record.array);
  }

  /**
   * Gives storage back: entries `[from, to)` are no longer used (a heap lowered its top from
   * `to`), so each column's entries there return to the column's fill, and when the used part is a quarter
   * of the capacity or less, every column is copied into arrays half as long, or shorter —
   * never below `floor`. The hysteresis keeps a heap that frees and rebuilds the same
   * structure from copying its columns every time.
   */
  release(from: number, to: number, floor: number): void {
    let capacity = this.#capacity;
    while (capacity > floor && from * 4 <= capacity) capacity /= 2;
    if (capacity !== this.#capacity) {
      this.#capacity = capacity;
      for (const record of this.#columns) record.array = record.array.slice(0, capacity);
      for (const record of this.#columns) record.onResize?.(record.array);
    }
    const end = Math.min(to, capacity);
    for (const record of this.#columns) record.array.fill(record.fill, from, end);
  }

  /** Whether every column still has the table's length (none was left behind by a growth). */
  inStep(): boolean {
    return this.#columns.every((record) => record.array.length === this.#capacity);
  }

  /** Bytes per object summed over every column. */
  bytesPerObject(): number {
    return this.#bytesPerObject;
  }
}
