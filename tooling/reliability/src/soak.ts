/**
 * The soak: the churn workload (pairs of objects in a cycle, made and dropped)
 * with automatic collection on, for as long as asked. Live objects and resident
 * memory are sampled as it runs and handed to the monitor's growth detector —
 * against work done, so a slow machine is judged by the same yardstick — which
 * must say "not leaking" for both.
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { GrowthDetector, type GrowthReport } from '@refheap/monitor';
import { sample } from '@refheap/monitor/node';

export interface SoakPoint {
  readonly seconds: number;
  readonly iterations: number;
  readonly liveObjects: number;
  /** Bytes the managed heap's live objects take (its own estimate). */
  readonly heapBytes: number;
  readonly rss: number;
}

export interface SoakResult {
  readonly seconds: number;
  readonly iterations: number;
  readonly collections: number;
  readonly points: readonly SoakPoint[];
  readonly live: GrowthReport;
  readonly heapBytes: GrowthReport;
  readonly rss: GrowthReport;
}

/** Runs the churn for `seconds`, sampling every `sampleMs`; the first `warmup` share of samples is not judged. */
export function soak(seconds: number, sampleMs = 250, warmup = 0.25): SoakResult {
  const heap = new Heap();
  const gc = new Collector(heap);
  const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
  const points: SoakPoint[] = [];
  const started = performance.now();
  let iterations = 0;
  let nextSample = started;
  while (performance.now() - started < seconds * 1000) {
    for (let i = 0; i < 2000; i++) {
      const x = heap.newInstance(Node);
      const y = heap.newInstance(Node);
      heap.setSlot(x, 0, y);
      heap.setSlot(y, 0, x);
      heap.decref(x);
      heap.decref(y);
    }
    iterations += 2000;
    const now = performance.now();
    if (now >= nextSample) {
      points.push({
        seconds: (now - started) / 1000,
        iterations,
        liveObjects: heap.liveObjects,
        heapBytes: heap.stats().bytes,
        rss: sample().rss,
      });
      nextSample = now + sampleMs;
    }
  }
  const judged = points.slice(Math.floor(points.length * warmup));
  const live = new GrowthDetector({ by: 'work', window: judged.length, minSamples: 10, formatValue: String });
  const heapBytes = new GrowthDetector({ by: 'work', window: judged.length, minSamples: 10 });
  const rss = new GrowthDetector({ by: 'work', window: judged.length, minSamples: 10, minRelativeGrowth: 0.05 });
  for (const p of judged) {
    live.add(p.iterations, p.liveObjects);
    heapBytes.add(p.iterations, p.heapBytes);
    rss.add(p.iterations, p.rss);
  }
  const collections = gc.getStats().reduce((sum, s) => sum + s.collections, 0);
  return {
    seconds,
    iterations,
    collections,
    points,
    live: live.report(),
    heapBytes: heapBytes.report(),
    rss: rss.report(),
  };
}

/** A one-line picture of a series, for the terminal. */
export function sparkline(values: readonly number[], width = 60): string {
  if (values.length === 0) return '';
  const bars = '▁▂▃▄▅▆▇█';
  const step = Math.max(1, values.length / width);
  const picked: number[] = [];
  for (let i = 0; i < values.length && picked.length < width; i += step) picked.push(values[Math.floor(i)]!);
  const min = Math.min(...picked);
  const span = Math.max(...picked) - min || 1;
  return picked.map((v) => bars[Math.min(bars.length - 1, Math.floor(((v - min) / span) * bars.length))]).join('');
}
