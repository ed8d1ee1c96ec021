import { describe, expect, it } from 'vitest';
import type { MemorySample } from './process-memory.ts';
import { MemoryWatch, watch } from './watch.ts';

function fakeSampler(values: number[]): () => MemorySample {
  let i = 0;
  return () => {
    const rss = values[Math.min(i, values.length - 1)]!;
    i++;
    return {
      time: i * 1000,
      rss,
      peakRss: rss,
      virtual: null,
      data: null,
      heapUsed: 1,
      heapTotal: 1,
      external: 1,
      arrayBuffers: 0,
      managed: null,
      sources: { rss: 'process.memoryUsage', peakRss: null },
      missing: ['virtual', 'data'],
      warnings: [],
    };
  };
}

describe('watch', () => {
  it('rejects an interval of zero, negative, not a number or too long', () => {
    for (const bad of [0, -5, NaN, Infinity, 2 ** 31, '100' as unknown as number, undefined as unknown as number]) {
      expect(() => watch({ intervalMs: bad })).toThrow(RangeError);
    }
    expect(() => watch({ intervalMs: 0 })).toThrow('intervalMs must be a positive number of milliseconds up to 2147483647, got 0');
    expect(() => watch({ intervalMs: 10, bufferSize: 0 })).toThrow(RangeError);
  });

  it('never keeps the process alive: its timer is unref’d', () => {
    const w = watch({ intervalMs: 60_000 });
    expect(w.hasRef()).toBe(false);
    w.stop();
  });

  it('is an async iterator of samples that ends when stopped', async () => {
    const w = watch({ intervalMs: 5 });
    const seen: MemorySample[] = [];
    for await (const s of w) {
      seen.push(s);
      if (seen.length === 3) w.stop();
    }
    expect(seen).toHaveLength(3);
    expect(seen[0]!.rss).toBeGreaterThan(0);
    expect(w.stopped).toBe(true);
  });

  it('stops when the loop breaks, and emits sample and stop events', async () => {
    const w = new MemoryWatch({ intervalMs: 5 });
    const events: string[] = [];
    w.on('sample', () => events.push('sample'));
    w.on('stop', () => events.push('stop'));
    for await (const _ of w) break;
    expect(w.stopped).toBe(true);
    expect(events).toEqual(['sample', 'stop']);
    w.stop(); // again: nothing
    expect(events).toEqual(['sample', 'stop']);
  });

  it('stops on an abort signal', async () => {
    const controller = new AbortController();
    const w = watch({ intervalMs: 5, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    let n = 0;
    for await (const _ of w) n++;
    expect(w.stopped).toBe(true);
    expect(n).toBeGreaterThanOrEqual(0);
    expect(watch({ intervalMs: 5, signal: AbortSignal.abort() }).stopped).toBe(true);
  });

  it('emits growth once when the verdict turns to probably leaking, with the evidence', () => {
    const values = Array.from({ length: 30 }, (_, i) => 10e6 + i * 1e6);
    const w = watch({ intervalMs: 1_000_000, sampler: fakeSampler(values), growth: { minSamples: 10 } });
    const reports: string[] = [];
    w.on('growth', (r) => reports.push(r.summary));
    for (let i = 0; i < 9; i++) w.sampleNow();
    expect(w.report!.verdict).toBe('insufficient-data');
    for (let i = 0; i < 21; i++) w.sampleNow();
    expect(w.report!.probablyLeaking).toBe(true);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/^probably leaking: /);
    w.stop();
    expect(w.sampleNow()).toBeUndefined();
  });

  it('measures growth against work when told how much was done', () => {
    let work = 0;
    const values = Array.from({ length: 20 }, (_, i) => 1000 + i * 100);
    const w = watch({ intervalMs: 1_000_000, sampler: fakeSampler(values), work: () => (work += 10), growth: { minSamples: 10, formatValue: String } });
    for (let i = 0; i < 20; i++) w.sampleNow();
    expect(w.report!.by).toBe('work');
    expect(w.report!.rate).toBeCloseTo(10);
    w.stop();
  });

  it('delivers sampler errors to error listeners and iterators', async () => {
    const w = watch({
      intervalMs: 5,
      sampler: () => {
        throw new Error('no memory today');
      },
    });
    const errors: unknown[] = [];
    w.on('error', (e) => errors.push(e));
    await expect(w[Symbol.asyncIterator]().next()).rejects.toThrow('no memory today');
    expect(errors.length).toBeGreaterThan(0);
    w.stop();
  });
});
