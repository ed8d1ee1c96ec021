/**
 * tracemalloc's Snapshot and filters. A snapshot is a frozen copy of the traces
 * alive when it was taken (size, count and traceback per traced object), so it
 * can be grouped, compared and filtered after the heap has moved on, exactly
 * like CPython's: `statistics('lineno' | 'filename' | 'traceback', cumulative)`,
 * `compareTo(old, keyType)`, `filterTraces([Filter, DomainFilter])`.
 */
import { PyTypeError, PyValueError, strRepr } from '@refheap/core';
import { pythonTypeName } from './errors.ts';
import { translate } from './fnmatch.ts';
import {
  byStatistic,
  byStatisticDiff,
  Frame,
  Statistic,
  StatisticDiff,
  Traceback,
  type Trace,
} from './traceback.ts';

/** How statistics group traces. */
export type KeyType = 'lineno' | 'filename' | 'traceback';

/** CPython's `tracemalloc.Filter`: keep or drop traces by file name pattern (fnmatch) and line. */
export class Filter {
  readonly inclusive: boolean;
  readonly filenamePattern: string;
  readonly lineno: number | null;
  /** Match any frame of the traceback rather than only the most recent one. */
  readonly allFrames: boolean;
  readonly domain: number | null;
  readonly #regexp: RegExp;

  constructor(inclusive: boolean, filenamePattern: string, lineno: number | null = null, allFrames = false, domain: number | null = null) {
    if (typeof filenamePattern !== 'string') {
      throw new PyTypeError(`expected str, bytes or os.PathLike object, not ${pythonTypeName(filenamePattern)}`);
    }
    if (lineno !== null && !Number.isInteger(lineno)) {
      throw new PyTypeError(`lineno must be an integer or null, not ${pythonTypeName(lineno)}`);
    }
    if (domain !== null && !Number.isInteger(domain)) {
      throw new PyTypeError(`domain must be an integer or null, not ${pythonTypeName(domain)}`);
    }
    this.inclusive = Boolean(inclusive);
    this.filenamePattern = filenamePattern;
    this.lineno = lineno;
    this.allFrames = Boolean(allFrames);
    this.domain = domain;
    this.#regexp = translate(filenamePattern);
  }

  #matchFrame(frame: Frame): boolean {
    if (!this.#regexp.test(frame.filename)) return false;
    return this.lineno === null || frame.lineno === this.lineno;
  }

  /** CPython's `Filter._match`: true when the trace is kept by this filter. */
  match(trace: Trace): boolean {
    let result: boolean;
    if (this.allFrames) {
      let any = false;
      for (const frame of trace.traceback) {
        if (this.#matchFrame(frame)) {
          any = true;
          break;
        }
      }
      result = any ? this.inclusive : !this.inclusive;
    } else {
      result = (this.#matchFrame(trace.traceback.mostRecent)) !== !this.inclusive;
    }
    if (this.domain !== null) {
      return this.inclusive ? result && trace.domain === this.domain : result || trace.domain !== this.domain;
    }
    return result;
  }
}

/** CPython's `tracemalloc.DomainFilter`: keep or drop traces of one address-space domain. */
export class DomainFilter {
  readonly inclusive: boolean;
  readonly domain: number;

  constructor(inclusive: boolean, domain: number) {
    if (!Number.isInteger(domain)) throw new PyTypeError(`domain must be an integer, not ${pythonTypeName(domain)}`);
    this.inclusive = Boolean(inclusive);
    this.domain = domain;
  }

  match(trace: Trace): boolean {
    return (trace.domain === this.domain) !== !this.inclusive;
  }
}

/** What a snapshot stores per trace (shared with the tracer that takes it). */
export interface TraceTable {
  readonly tracebacks: readonly Traceback[];
  /** Index into `tracebacks`, per trace. */
  readonly tracebackIds: Int32Array;
  readonly sizes: Float64Array;
  readonly counts: Float64Array;
}

let snapshotOwners = 0;

/** A token naming the heap a snapshot came from, so snapshots of different heaps are never compared. */
export interface SnapshotOrigin {
  readonly heapTag: number;
  readonly token: object;
}

/** Traces alive at one moment. */
export class Snapshot {
  /** The traceback limit tracing used (`start(nframe)`). */
  readonly tracebackLimit: number;
  readonly #table: TraceTable;
  readonly #origin: SnapshotOrigin;
  #traces: Trace[] | undefined;

  /** @internal Snapshots come from `Tracemalloc.takeSnapshot` and `filterTraces`. */
  constructor(table: TraceTable, tracebackLimit: number, origin: SnapshotOrigin = { heapTag: -1, token: { id: snapshotOwners++ } }) {
    this.#table = table;
    this.tracebackLimit = tracebackLimit;
    this.#origin = origin;
  }

  /** Which heap it describes. */
  get origin(): SnapshotOrigin {
    return this.#origin;
  }

  /** The traces, one per traced live object (or per sample). */
  get traces(): readonly Trace[] {
    if (!this.#traces) {
      const { tracebacks, tracebackIds, sizes, counts } = this.#table;
      this.#traces = Array.from(tracebackIds, (id, i) =>
        Object.freeze({ domain: 0, size: sizes[i]!, count: counts[i]!, traceback: tracebacks[id]! }),
      );
    }
    return this.#traces;
  }

  /** Number of traces. */
  get length(): number {
    return this.#table.tracebackIds.length;
  }

  /** Sum of the traced sizes. */
  get totalSize(): number {
    let total = 0;
    for (const size of this.#table.sizes) total += size;
    return total;
  }

  /**
   * `Snapshot.filter_traces(filters)`: a new snapshot with the traces that pass. With include
   * filters a trace must match at least one; it must match no exclude filter.
   */
  filterTraces(filters: Iterable<Filter | DomainFilter>): Snapshot {
    if (filters === null || typeof filters !== 'object' || typeof (filters as Partial<Iterable<unknown>>)[Symbol.iterator] !== 'function') {
      throw new PyTypeError(`filters must be a list of filters, not ${pythonTypeName(filters)}`);
    }
    const list = [...filters];
    for (const f of list) {
      if (!(f instanceof Filter) && !(f instanceof DomainFilter)) {
        throw new PyTypeError(`filters must contain Filter or DomainFilter objects, not ${pythonTypeName(f)}`);
      }
    }
    const include = list.filter((f) => f.inclusive);
    const exclude = list.filter((f) => !f.inclusive);
    const traces = this.traces;
    const kept: number[] = [];
    for (let i = 0; i < traces.length; i++) {
      const trace = traces[i]!;
      if (include.length > 0 && !include.some((f) => f.match(trace))) continue;
      if (exclude.some((f) => !f.match(trace))) continue;
      kept.push(i);
    }
    const { tracebacks, tracebackIds, sizes, counts } = this.#table;
    const table: TraceTable = {
      tracebacks,
      tracebackIds: Int32Array.from(kept, (i) => tracebackIds[i]!),
      sizes: Float64Array.from(kept, (i) => sizes[i]!),
      counts: Float64Array.from(kept, (i) => counts[i]!),
    };
    return new Snapshot(table, this.tracebackLimit, this.#origin);
  }

  #groupBy(keyType: KeyType, cumulative: boolean): Map<string, { traceback: Traceback; size: number; count: number }> {
    if (keyType !== 'traceback' && keyType !== 'filename' && keyType !== 'lineno') {
      const shown = typeof keyType === 'string' ? strRepr(keyType) : String(keyType);
      throw new PyValueError(`unknown key_type: ${shown}`);
    }
    if (cumulative && keyType === 'traceback') {
      throw new PyValueError(`cumulative mode cannot by used with key type 'traceback'`);
    }
    const { tracebacks, tracebackIds, sizes, counts } = this.#table;
    const stats = new Map<string, { traceback: Traceback; size: number; count: number }>();
    const keyed = new Map<string, Traceback>();
    const add = (traceback: Traceback, size: number, count: number): void => {
      const stat = stats.get(traceback.key);
      if (stat) {
        stat.size += size;
        stat.count += count;
      } else stats.set(traceback.key, { traceback, size, count });
    };
    const single = (frame: Frame): Traceback => {
      const f = keyType === 'filename' ? new Frame(frame.filename, 0) : frame;
      const key = `${f.filename}\u0000${f.lineno}`;
      let tb = keyed.get(key);
      if (!tb) {
        tb = new Traceback([f]);
        keyed.set(key, tb);
      }
      return tb;
    };
    for (let i = 0; i < tracebackIds.length; i++) {
      const traceback = tracebacks[tracebackIds[i]!]!;
      if (!cumulative) {
        add(keyType === 'traceback' ? traceback : single(traceback.mostRecent), sizes[i]!, counts[i]!);
      } else {
        for (const frame of traceback) add(single(frame), sizes[i]!, counts[i]!);
      }
    }
    for (const stat of stats.values()) {
      stat.size = Math.round(stat.size);
      stat.count = Math.round(stat.count);
    }
    return stats;
  }

  /** `Snapshot.statistics(key_type, cumulative=False)`: grouped, biggest first. */
  statistics(keyType: KeyType, cumulative = false): Statistic[] {
    const grouped = this.#groupBy(keyType, cumulative);
    return [...grouped.values()].map((s) => new Statistic(s.traceback, s.size, s.count)).sort(byStatistic);
  }

  /**
   * `Snapshot.compare_to(old_snapshot, key_type, cumulative=False)`: what changed since `old`,
   * biggest change first. Both snapshots must come from the same heap.
   */
  compareTo(old: Snapshot, keyType: KeyType, cumulative = false): StatisticDiff[] {
    if (!(old instanceof Snapshot)) throw new PyTypeError(`compareTo() expects a Snapshot, not ${pythonTypeName(old)}`);
    if (old.#origin.token !== this.#origin.token) {
      throw new PyValueError(
        `cannot compare snapshots of different heaps (heap tag ${old.#origin.heapTag} and heap tag ${this.#origin.heapTag})`,
      );
    }
    const newGroup = this.#groupBy(keyType, cumulative);
    const oldGroup = old.#groupBy(keyType, cumulative);
    const out: StatisticDiff[] = [];
    for (const [key, stat] of newGroup) {
      const previous = oldGroup.get(key);
      if (previous) {
        oldGroup.delete(key);
        out.push(new StatisticDiff(stat.traceback, stat.size, stat.size - previous.size, stat.count, stat.count - previous.count));
      } else out.push(new StatisticDiff(stat.traceback, stat.size, stat.size, stat.count, stat.count));
    }
    for (const stat of oldGroup.values()) out.push(new StatisticDiff(stat.traceback, 0, -stat.size, 0, -stat.count));
    return out.sort(byStatisticDiff);
  }

  /** A plain-JSON form (CPython's `dump`): load it back with `Snapshot.fromJSON`. */
  toJSON(): SnapshotJSON {
    const { tracebacks, tracebackIds, sizes, counts } = this.#table;
    return {
      format: 'refheap-tracemalloc-snapshot/1',
      tracebackLimit: this.tracebackLimit,
      heapTag: this.#origin.heapTag,
      tracebacks: tracebacks.map((tb) => tb.frames.map((f) => [f.filename, f.lineno, f.functionName] as const)),
      traces: Array.from(tracebackIds, (id, i) => [id, sizes[i]!, counts[i]!] as const),
    };
  }

  /**
   * CPython's `Snapshot.load`: a snapshot from `toJSON()` output. Loaded snapshots compare only
   * with snapshots loaded from the same `origin` (pass the first one's `origin` to the next).
   */
  static fromJSON(json: SnapshotJSON, origin?: SnapshotOrigin): Snapshot {
    if (json?.format !== 'refheap-tracemalloc-snapshot/1') {
      throw new PyValueError('not a refheap tracemalloc snapshot (missing format "refheap-tracemalloc-snapshot/1")');
    }
    const tracebacks = json.tracebacks.map((frames) => new Traceback(frames.map(([f, l, fn]) => new Frame(f, l, fn))));
    const table: TraceTable = {
      tracebacks,
      tracebackIds: Int32Array.from(json.traces, (t) => t[0]),
      sizes: Float64Array.from(json.traces, (t) => t[1]),
      counts: Float64Array.from(json.traces, (t) => t[2]),
    };
    return new Snapshot(table, json.tracebackLimit, origin ?? { heapTag: json.heapTag, token: { loaded: true } });
  }
}

/** The JSON form of a snapshot. */
export interface SnapshotJSON {
  readonly format: 'refheap-tracemalloc-snapshot/1';
  readonly tracebackLimit: number;
  readonly heapTag: number;
  readonly tracebacks: readonly (readonly (readonly [string, number, string])[])[];
  readonly traces: readonly (readonly [number, number, number])[];
}
