/**
 * Prometheus text exposition (format 0.0.4) for the managed heap and its
 * collector: `refheap_objects{type}`, the collector's `gc.get_stats()` as
 * counters per generation, and its pauses as a histogram. The collector comes
 * in through a small structural interface (`CollectorMetricsSource`) that
 * `@refheap/gc`'s `Collector` satisfies, so this package never depends on it.
 * Node's process and runtime metrics, under prom-client's default names, are
 * in `@refheap/monitor/node`; this part runs anywhere.
 */
import type { Heap } from '@refheap/core';
import type { Tracemalloc } from './tracemalloc.ts';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** One sample line: `name{labels} value`. `name` defaults to the family's. */
export interface MetricSample {
  readonly name?: string;
  readonly labels?: Readonly<Record<string, string | number>>;
  readonly value: number;
}

/** A metric family: its `# HELP`, `# TYPE` and samples. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly samples: readonly MetricSample[];
}

/** Where metric families come from: called at each scrape. */
export type MetricSource = () => readonly MetricFamily[] | Promise<readonly MetricFamily[]>;

/** The content type of the text format, as prom-client sends it. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** A sample value as Prometheus writes it: `+Inf`, `-Inf`, `NaN`, or the number. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** The text exposition of `families`; names and label names are checked. */
export function formatPrometheus(families: readonly MetricFamily[]): string {
  let out = '';
  const seen = new Set<string>();
  for (const family of families) {
    if (!METRIC_NAME.test(family.name)) throw new RangeError(`invalid Prometheus metric name: ${JSON.stringify(family.name)}`);
    if (seen.has(family.name)) throw new RangeError(`metric family ${family.name} appears twice`);
    seen.add(family.name);
    out += `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) {
      const name = sample.name ?? family.name;
      if (!METRIC_NAME.test(name)) throw new RangeError(`invalid Prometheus metric name: ${JSON.stringify(name)}`);
      const labels = Object.entries(sample.labels ?? {});
      let labelText = '';
      if (labels.length > 0) {
        labelText = `{${labels
          .map(([k, v]) => {
            if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new RangeError(`invalid Prometheus label name: ${JSON.stringify(k)}`);
            return `${k}="${escapeLabelValue(String(v))}"`;
          })
          .join(',')}}`;
      }
      out += `${name}${labelText} ${formatValue(sample.value)}\n`;
    }
    out += '\n';
  }
  return out;
}

/** A cumulative histogram (per label set), written as `_bucket{le}`, `_sum` and `_count`. */
export class Histogram {
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { labels: Record<string, string>; counts: number[]; sum: number; count: number }>();

  constructor(name: string, help: string, buckets: readonly number[]) {
    const sorted = [...buckets].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((b, i) => !Number.isFinite(b) || (i > 0 && b === sorted[i - 1]))) {
      throw new RangeError(`histogram ${name} needs distinct finite buckets, got ${JSON.stringify(buckets)}`);
    }
    this.name = name;
    this.help = help;
    this.buckets = sorted;
  }

  observe(value: number, labels: Record<string, string> = {}): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    let series = this.#series.get(key);
    if (!series) {
      series = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(key, series);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) series.counts[i]!++;
    series.sum += value;
    series.count++;
  }

  /** Starts a series at zero so it is exported before its first observation. */
  declare(labels: Record<string, string>): void {
    const key = JSON.stringify(Object.entries(labels).sort());
    if (!this.#series.has(key)) this.#series.set(key, { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 });
  }

  family(): MetricFamily {
    const samples: MetricSample[] = [];
    for (const series of this.#series.values()) {
      this.buckets.forEach((le, i) => samples.push({ name: `${this.name}_bucket`, labels: { ...series.labels, le: formatValue(le) }, value: series.counts[i]! }));
      samples.push({ name: `${this.name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count });
      samples.push({ name: `${this.name}_sum`, labels: series.labels, value: series.sum });
      samples.push({ name: `${this.name}_count`, labels: series.labels, value: series.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}

/**
 * What the exporter needs from a cycle collector. `@refheap/gc`'s `Collector` has exactly
 * these methods; any object with them will do.
 */
export interface CollectorMetricsSource {
  /** `gc.get_stats()`: per generation, cumulative collections, collected and uncollectable. */
  getStats(): readonly { readonly collections: number; readonly collected: number; readonly uncollectable: number }[];
  /**
   * Recent pauses, oldest first: generation, duration in milliseconds, and when it started
   * (milliseconds, any monotonic clock). Optional: without it there is no pause histogram.
   */
  getPauses?(): readonly { readonly generation: number; readonly duration: number; readonly startedAt?: number }[];
}

/** Pause buckets in seconds: refheap's collections take microseconds to a few hundred milliseconds. */
export const GC_PAUSE_BUCKETS: readonly number[] = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

export interface RefheapMetricsOptions {
  readonly heap: Heap;
  readonly collector?: CollectorMetricsSource;
  readonly tracer?: Tracemalloc;
  /** Buckets of `refheap_gc_pause_seconds`. Default `GC_PAUSE_BUCKETS`. */
  readonly pauseBuckets?: readonly number[];
}

/**
 * The `refheap_*` metrics as a source. It keeps the pause histogram cumulative across scrapes,
 * taking in only pauses it has not seen (a collector keeps just its recent ones).
 */
export function refheapMetrics(options: RefheapMetricsOptions): MetricSource {
  const { heap, collector, tracer } = options;
  const pauses = new Histogram('refheap_gc_pause_seconds', 'Cycle collection pauses in seconds, by generation.', options.pauseBuckets ?? GC_PAUSE_BUCKETS);
  let lastStartedAt = -Infinity;
  let lastSeenCount = 0;
  return () => {
    const stats = heap.stats();
    const families: MetricFamily[] = [
      {
        name: 'refheap_objects',
        help: 'Live objects in the refheap heap, by type.',
        type: 'gauge',
        samples: stats.byType.map((t) => ({ labels: { type: t.type }, value: t.count })),
      },
      {
        name: 'refheap_object_bytes',
        help: 'Estimated bytes of live objects in the refheap heap, by type.',
        type: 'gauge',
        samples: stats.byType.map((t) => ({ labels: { type: t.type }, value: t.bytes })),
      },
      { name: 'refheap_allocations_total', help: 'Objects allocated by the refheap heap.', type: 'counter', samples: [{ value: stats.allocations }] },
      { name: 'refheap_deallocations_total', help: 'Objects freed by the refheap heap.', type: 'counter', samples: [{ value: stats.deallocations }] },
    ];
    if (collector) {
      const gens = collector.getStats();
      const perGen = (pick: (g: (typeof gens)[number]) => number) => gens.map((g, i) => ({ labels: { generation: String(i) }, value: pick(g) }));
      families.push(
        { name: 'refheap_gc_collections_total', help: "Collections of each generation (gc.get_stats() 'collections').", type: 'counter', samples: perGen((g) => g.collections) },
        { name: 'refheap_gc_collected_total', help: "Objects collected in each generation (gc.get_stats() 'collected').", type: 'counter', samples: perGen((g) => g.collected) },
        { name: 'refheap_gc_uncollectable_total', help: "Uncollectable objects found in each generation (gc.get_stats() 'uncollectable').", type: 'counter', samples: perGen((g) => g.uncollectable) },
      );
      if (collector.getPauses) {
        gens.forEach((_, i) => pauses.declare({ generation: String(i) }));
        const recent = collector.getPauses();
        const hasTimes = recent.every((p) => typeof p.startedAt === 'number');
        // New pauses: those after the last one taken in (by start time), or by count when there are no times.
        const fresh = hasTimes ? recent.filter((p) => p.startedAt! > lastStartedAt) : recent.slice(Math.max(0, Math.min(lastSeenCount, recent.length)));
        for (const p of fresh) pauses.observe(p.duration / 1000, { generation: String(p.generation) });
        if (hasTimes && recent.length > 0) lastStartedAt = Math.max(lastStartedAt, ...recent.map((p) => p.startedAt!));
        lastSeenCount = recent.length;
        families.push(pauses.family());
      }
    }
    if (tracer) {
      const [current, peak] = tracer.getTracedMemory();
      families.push(
        { name: 'refheap_traced_memory_bytes', help: 'Bytes of objects traced by tracemalloc (tracemalloc.get_traced_memory()[0]).', type: 'gauge', samples: [{ value: current }] },
        { name: 'refheap_traced_memory_peak_bytes', help: 'Peak bytes of objects traced by tracemalloc (tracemalloc.get_traced_memory()[1]).', type: 'gauge', samples: [{ value: peak }] },
      );
    }
    return families;
  };
}

/** Gathers metric families from sources and writes them in the text format. */
export class PrometheusExporter {
  readonly #sources: MetricSource[];
  readonly contentType: string = PROMETHEUS_CONTENT_TYPE;

  constructor(sources: readonly MetricSource[] = []) {
    this.#sources = [...sources];
  }

  /** Adds a source; returns a function that removes it. */
  addSource(source: MetricSource): () => void {
    this.#sources.push(source);
    return () => {
      const at = this.#sources.indexOf(source);
      if (at >= 0) this.#sources.splice(at, 1);
    };
  }

  /** Every family from every source, in source order. */
  async collect(): Promise<MetricFamily[]> {
    const all: MetricFamily[] = [];
    for (const source of this.#sources) all.push(...(await source()));
    return all;
  }

  /** The text exposition, as `/metrics` serves it. */
  async metrics(): Promise<string> {
    return formatPrometheus(await this.collect());
  }
}
