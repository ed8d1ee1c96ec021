/**
 * tracemalloc's value types: Frame, Traceback, Trace, Statistic and
 * StatisticDiff, with CPython's ordering, equality and text. A traceback is
 * ordered oldest frame first (CPython 3.7+), prints as its first frame, and
 * formats as `  File "x.ts", line 3` lines; statistics print as
 * `x.ts:3: size=4855 KiB, count=39328, average=126 B`.
 */
import { formatSize, signed } from './pyformat.ts';

/** One frame: where the allocation's JavaScript code was. */
export class Frame {
  readonly filename: string;
  readonly lineno: number;
  /** The JavaScript function (not part of CPython's Frame; not used for equality). */
  readonly functionName: string;

  constructor(filename: string, lineno: number, functionName = '') {
    this.filename = filename;
    this.lineno = lineno;
    this.functionName = functionName;
  }

  /** `"%s:%s" % (filename, lineno)`. */
  toString(): string {
    return `${this.filename}:${this.lineno}`;
  }

  equals(other: Frame): boolean {
    return this.filename === other.filename && this.lineno === other.lineno;
  }
}

function compareFrames(a: Frame, b: Frame): number {
  if (a.filename !== b.filename) return a.filename < b.filename ? -1 : 1;
  return a.lineno - b.lineno;
}

/** Frames of one allocation, oldest first; `traceback[traceback.length - 1]` is where it happened. */
export class Traceback implements Iterable<Frame> {
  readonly #frames: readonly Frame[];
  /** Frames the stack had before it was cut to the limit, when known; CPython's `total_nframe`. */
  readonly totalNframe: number | null;
  /** A string equal for equal tracebacks (frames' file and line), for grouping. */
  readonly key: string;

  /** `frames` oldest first. */
  constructor(frames: readonly Frame[], totalNframe: number | null = null) {
    if (frames.length === 0) throw new RangeError('a traceback needs at least one frame');
    this.#frames = Object.freeze([...frames]);
    this.totalNframe = totalNframe;
    this.key = frames.map((f) => `${f.filename}\u0000${f.lineno}`).join('\u0001');
  }

  get length(): number {
    return this.#frames.length;
  }

  /** Frame `index` (negative counts from the end), like `traceback[index]`. */
  at(index: number): Frame | undefined {
    return this.#frames.at(index);
  }

  /** The frames, oldest first. */
  get frames(): readonly Frame[] {
    return this.#frames;
  }

  /** The frame that allocated (the most recent one). */
  get mostRecent(): Frame {
    return this.#frames[this.#frames.length - 1]!;
  }

  [Symbol.iterator](): Iterator<Frame> {
    return this.#frames[Symbol.iterator]();
  }

  equals(other: Traceback): boolean {
    return this.key === other.key;
  }

  /** CPython's `str(traceback)`: its first (oldest) frame. */
  toString(): string {
    return this.#frames[0]!.toString();
  }

  /**
   * `Traceback.format(limit, most_recent_first)`: `  File "x.ts", line 3` per frame, oldest
   * first unless `mostRecentFirst`. A positive `limit` keeps the most recent frames, a negative
   * one the oldest. `sourceLine`, when given, adds the code line beneath (CPython's linecache).
   */
  format(limit: number | null = null, mostRecentFirst = false, sourceLine?: (frame: Frame) => string | undefined): string[] {
    let slice: Frame[] = [...this.#frames];
    if (limit !== null) slice = limit > 0 ? slice.slice(-limit) : slice.slice(0, limit);
    if (mostRecentFirst) slice.reverse();
    const lines: string[] = [];
    for (const frame of slice) {
      lines.push(`  File "${frame.filename}", line ${frame.lineno}`);
      const line = sourceLine?.(frame)?.trim();
      if (line) lines.push(`    ${line}`);
    }
    return lines;
  }
}

/** Orders tracebacks as CPython compares their frame tuples. */
export function compareTracebacks(a: Traceback, b: Traceback): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareFrames(a.at(i)!, b.at(i)!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** One traced block: an object allocated while tracing, still alive at the snapshot. */
export interface Trace {
  /** Always 0: the managed heap is one address space (CPython's domain for Python objects). */
  readonly domain: number;
  /** Bytes (in sampling mode, the scaled estimate this sample stands for). */
  readonly size: number;
  /** Objects this trace stands for: 1, or in sampling mode the scale factor. */
  readonly count: number;
  readonly traceback: Traceback;
}

/** `Snapshot.statistics()` rows: size and count of the traces grouped under one traceback. */
export class Statistic {
  readonly traceback: Traceback;
  readonly size: number;
  readonly count: number;

  constructor(traceback: Traceback, size: number, count: number) {
    this.traceback = traceback;
    this.size = size;
    this.count = count;
  }

  /** `size / count`, or 0 when the count is 0. */
  get average(): number {
    return this.count === 0 ? 0 : this.size / this.count;
  }

  /** `x.ts:3: size=4855 KiB, count=39328, average=126 B`, exactly as tracemalloc prints. */
  toString(): string {
    let text = `${this.traceback.toString()}: size=${formatSize(this.size)}, count=${this.count}`;
    if (this.count) text += `, average=${formatSize(this.size / this.count)}`;
    return text;
  }
}

/** `Snapshot.compareTo()` rows: the new size and count, and how they changed. */
export class StatisticDiff {
  readonly traceback: Traceback;
  readonly size: number;
  readonly sizeDiff: number;
  readonly count: number;
  readonly countDiff: number;

  constructor(traceback: Traceback, size: number, sizeDiff: number, count: number, countDiff: number) {
    this.traceback = traceback;
    this.size = size;
    this.sizeDiff = sizeDiff;
    this.count = count;
    this.countDiff = countDiff;
  }

  /** `x.ts:3: size=7272 B (+7272 B), count=102 (+102), average=71 B`. */
  toString(): string {
    let text =
      `${this.traceback.toString()}: size=${formatSize(this.size)} (${formatSize(this.sizeDiff, true)}), ` +
      `count=${this.count} (${signed(this.countDiff)})`;
    if (this.count) text += `, average=${formatSize(this.size / this.count)}`;
    return text;
  }
}

/** CPython's `Statistic._sort_key`, descending. */
export function byStatistic(a: Statistic, b: Statistic): number {
  return b.size - a.size || b.count - a.count || compareTracebacks(b.traceback, a.traceback);
}

/** CPython's `StatisticDiff._sort_key`, descending. */
export function byStatisticDiff(a: StatisticDiff, b: StatisticDiff): number {
  return (
    Math.abs(b.sizeDiff) - Math.abs(a.sizeDiff) ||
    b.size - a.size ||
    Math.abs(b.countDiff) - Math.abs(a.countDiff) ||
    b.count - a.count ||
    compareTracebacks(b.traceback, a.traceback)
  );
}
