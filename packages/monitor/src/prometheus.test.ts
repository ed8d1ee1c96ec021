import { Heap } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { formatPrometheus, Histogram, PrometheusExporter, refheapMetrics, type CollectorMetricsSource } from './prometheus.ts';
import { parsePrometheus } from './test-support/prometheus-parse.ts';
import { Tracemalloc } from './tracemalloc.ts';

/** A stand-in with the shape of @refheap/gc's Collector (monitor may not depend on gc). */
class FakeCollector implements CollectorMetricsSource {
  stats = [0, 1, 2].map(() => ({ collections: 0, collected: 0, uncollectable: 0 }));
  pauses: { generation: number; duration: number; startedAt: number; automatic: boolean }[] = [];
  #clock = 0;
  collect(generation: number, collected: number, durationMs: number): void {
    for (let g = 0; g <= generation; g++) this.stats[g]!.collections += g === generation ? 1 : 0;
    this.stats[generation]!.collected += collected;
    this.pauses.push({ generation, duration: durationMs, startedAt: ++this.#clock, automatic: false });
    if (this.pauses.length > 4) this.pauses.shift(); // a ring of recent pauses, like the real one
  }
  getStats(): { collections: number; collected: number; uncollectable: number }[] {
    return this.stats.map((s) => ({ ...s }));
  }
  getPauses(): { generation: number; duration: number; startedAt: number }[] {
    return [...this.pauses];
  }
}

/** Sample lines of the exposition as {name, labels, value}, read independently of the npm parser. */
function samples(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    out.push({ name: m[1]!, labels, value: m[3] === '+Inf' ? Infinity : Number(m[3]) });
  }
  return out;
}

describe('Prometheus text exposition', () => {
  it('writes HELP, TYPE and samples that the npm parser reads back, escapes included', () => {
    const text = formatPrometheus([
      { name: 'a_total', help: 'A counter.\nWith a second line and a \\ backslash.', type: 'counter', samples: [{ value: 3 }] },
      { name: 'b', help: 'A gauge.', type: 'gauge', samples: [{ labels: { path: 'C:\\DIR\\FILE', msg: 'say "hi"\n' }, value: 1.5 }, { labels: { path: 'x' }, value: -Infinity }] },
      { name: 'c', help: 'NaN.', type: 'gauge', samples: [{ value: NaN }] },
    ]);
    const parsed = parsePrometheus(text);
    expect(parsed.map((f) => [f.name, f.type])).toEqual([
      ['a_total', 'COUNTER'],
      ['b', 'GAUGE'],
      ['c', 'GAUGE'],
    ]);
    expect(parsed[0]!.help).toBe('A counter.\nWith a second line and a \\ backslash.');
    expect(parsed[1]!.metrics[0]).toEqual({ value: '1.5', labels: { path: 'C:\\DIR\\FILE', msg: 'say "hi"\n' } });
    expect(parsed[1]!.metrics[1]!.value).toBe('-Inf');
    expect(parsed[2]!.metrics[0]!.value).toBe('NaN');
  });

  it('refuses invalid names rather than writing text scrapers reject', () => {
    expect(() => formatPrometheus([{ name: '1bad', help: '', type: 'gauge', samples: [] }])).toThrow(RangeError);
    expect(() => formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { 'bad-label': 'x' }, value: 1 }] }])).toThrow(RangeError);
    expect(() => formatPrometheus([{ name: 'ok', help: '', type: 'gauge', samples: [{ labels: { __reserved: 'x' }, value: 1 }] }])).toThrow(RangeError);
    const twice = { name: 'dup', help: '', type: 'gauge' as const, samples: [] };
    expect(() => formatPrometheus([twice, twice])).toThrow(/twice/);
  });

  it('writes cumulative histograms', () => {
    const h = new Histogram('lat_seconds', 'Latency.', [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const text = formatPrometheus([h.family()]);
    const [family] = parsePrometheus(text);
    expect(family!.type).toBe('HISTOGRAM');
    expect(family!.metrics[0]).toEqual({ buckets: { '0.1': '1', '1': '2', '+Inf': '3' }, count: '3', sum: '5.55' });
    expect(() => new Histogram('x', '', [])).toThrow(RangeError);
    expect(() => new Histogram('x', '', [1, 1])).toThrow(RangeError);
  });
});

describe('refheap_* metrics', () => {
  it('exports objects by type, collector stats by generation, a pause histogram and traced memory', async () => {
    const heap = new Heap();
    const collector = new FakeCollector();
    const tracer = new Tracemalloc(heap);
    tracer.start();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const nodes = Array.from({ length: 5 }, () => heap.newInstance(Node));
    collector.collect(0, 10, 0.2);
    collector.collect(2, 7, 3);
    const exporter = new PrometheusExporter([refheapMetrics({ heap, collector, tracer })]);
    const text = await exporter.metrics();
    const parsed = parsePrometheus(text);
    const family = (name: string) => parsed.find((f) => f.name === name)!;
    expect(family('refheap_objects').type).toBe('GAUGE');
    expect(family('refheap_objects').metrics.find((m) => m.labels?.type === 'Node')?.value).toBe('5');
    expect(family('refheap_gc_collections_total').type).toBe('COUNTER');
    expect(family('refheap_gc_collections_total').metrics).toEqual([
      { value: '1', labels: { generation: '0' } },
      { value: '0', labels: { generation: '1' } },
      { value: '1', labels: { generation: '2' } },
    ]);
    expect(family('refheap_gc_collected_total').metrics.map((m) => m.value)).toEqual(['10', '0', '7']);
    expect(family('refheap_gc_uncollectable_total').metrics.map((m) => m.value)).toEqual(['0', '0', '0']);
    expect(family('refheap_gc_pause_seconds').type).toBe('HISTOGRAM');
    expect(family('refheap_traced_memory_bytes').metrics[0]!.value).toBe(String(tracer.getTracedMemory()[0]));
    expect(family('refheap_traced_memory_peak_bytes').type).toBe('GAUGE');
    // Per series (the npm parser folds labelled histograms together, so read these lines directly).
    const pause = samples(text).filter((s) => s.name.startsWith('refheap_gc_pause_seconds'));
    const gen = (g: string, name: string, le?: string) =>
      pause.find((s) => s.name === name && s.labels.generation === g && (le === undefined || s.labels.le === le))!.value;
    expect(gen('0', 'refheap_gc_pause_seconds_count')).toBe(1);
    expect(gen('0', 'refheap_gc_pause_seconds_bucket', '0.00025')).toBe(1); // 0.2 ms
    expect(gen('0', 'refheap_gc_pause_seconds_bucket', '0.0001')).toBe(0);
    expect(gen('2', 'refheap_gc_pause_seconds_sum')).toBeCloseTo(0.003);
    expect(gen('1', 'refheap_gc_pause_seconds_count')).toBe(0);
    expect(gen('2', 'refheap_gc_pause_seconds_bucket', '+Inf')).toBe(1);
    for (const r of nodes) heap.decref(r);
    tracer.stop();
  });

  it('keeps the pause histogram cumulative across scrapes, counting each pause once', async () => {
    const heap = new Heap();
    const collector = new FakeCollector();
    const source = refheapMetrics({ heap, collector });
    const exporter = new PrometheusExporter([source]);
    const count = async () =>
      samples(await exporter.metrics())
        .filter((s) => s.name === 'refheap_gc_pause_seconds_count')
        .reduce((a, s) => a + s.value, 0);
    expect(await count()).toBe(0);
    collector.collect(0, 1, 0.1);
    collector.collect(0, 1, 0.1);
    expect(await count()).toBe(2);
    expect(await count()).toBe(2); // no new pauses: nothing added
    for (let i = 0; i < 3; i++) collector.collect(1, 0, 0.1); // the ring (4) drops the oldest
    expect(await count()).toBe(5);
  });

  it('works without a collector, and with sources added and removed', async () => {
    const heap = new Heap();
    const exporter = new PrometheusExporter();
    const remove = exporter.addSource(refheapMetrics({ heap }));
    const names = parsePrometheus(await exporter.metrics()).map((f) => f.name);
    expect(names).toContain('refheap_objects');
    expect(names).not.toContain('refheap_gc_collections_total');
    remove();
    expect(await exporter.metrics()).toBe('');
    expect(exporter.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
