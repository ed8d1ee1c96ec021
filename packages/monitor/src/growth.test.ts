import { describe, expect, it } from 'vitest';
import { GrowthDetector, mannKendall, theilSen } from './growth.ts';

/** A deterministic noise source. */
function noise(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
}

describe('growth detection', () => {
  it('gives no verdict on too few samples', () => {
    const d = new GrowthDetector({ minSamples: 10 });
    for (let i = 0; i < 9; i++) d.add(i * 1000, 1e6 + i * 1e6);
    const r = d.report();
    expect(r.verdict).toBe('insufficient-data');
    expect(r.probablyLeaking).toBe(false);
    expect(r.summary).toBe('no verdict: 9 of the 10 samples needed');
    d.add(9000, 1e7);
    expect(d.report().verdict).toBe('growing');
  });

  it('sees a steady leak through heavy noise, with its evidence', () => {
    const rand = noise(1);
    const d = new GrowthDetector();
    // 50 MB baseline, +100 KB per second, ±2 MB of noise, one sample a second.
    for (let i = 0; i < 60; i++) d.add(i * 1000, 50e6 + i * 100e3 + rand() * 4e6);
    const r = d.report();
    expect(r.verdict).toBe('growing');
    expect(r.probablyLeaking).toBe(true);
    expect(r.rate).toBeGreaterThan(50e3);
    expect(r.rate).toBeLessThan(150e3);
    expect(r.rateUnit).toBe('per second');
    expect(r.trend.pValue).toBeLessThan(0.01);
    expect(r.floorGrowth).toBeGreaterThan(0);
    expect(r.summary).toMatch(/^probably leaking: \+\d+(\.\d)? KiB per second over 60 samples \(Mann-Kendall z=\d+\.\d\d, p<0\.001;/);
  });

  it('calls pure noise, a flat GC sawtooth and a plateau after warm-up stable', () => {
    const rand = noise(2);
    const flat = new GrowthDetector();
    for (let i = 0; i < 60; i++) flat.add(i * 1000, 50e6 + rand() * 4e6);
    expect(flat.report().verdict).toBe('stable');

    const saw = new GrowthDetector();
    for (let i = 0; i < 60; i++) saw.add(i * 1000, 50e6 + (i % 10) * 1e6); // grows, collects, grows…
    expect(saw.report().verdict).toBe('stable');

    const warm = new GrowthDetector({ window: 30 });
    for (let i = 0; i < 90; i++) warm.add(i * 1000, i < 30 ? 10e6 + i * 1e6 : 40e6 + rand() * 1e5);
    expect(warm.report().verdict).toBe('stable'); // the window has slid past the warm-up
  });

  it('ignores a significant but negligible trend', () => {
    const d = new GrowthDetector({ minRelativeGrowth: 0.01 });
    for (let i = 0; i < 60; i++) d.add(i * 1000, 100e6 + i); // +60 bytes on 100 MB
    expect(d.report().verdict).toBe('stable');
    const strict = new GrowthDetector({ minRelativeGrowth: 0, minGrowth: 0 });
    for (let i = 0; i < 60; i++) strict.add(i * 1000, 100e6 + i);
    expect(strict.report().verdict).toBe('growing');
  });

  it('measures against work done, and sees shrinking', () => {
    const d = new GrowthDetector({ by: 'work', formatValue: (v) => `${v.toFixed(0)} objects` });
    for (let i = 0; i < 20; i++) d.add(i * 100, 1000 + i * 50); // 0.5 objects per unit of work
    const r = d.report();
    expect(r.verdict).toBe('growing');
    expect(r.rate).toBeCloseTo(0.5);
    expect(r.rateUnit).toBe('per unit of work');
    expect(r.summary).toContain('1 objects per unit of work'); // 0.5 formatted by the caller's formatter
    const down = new GrowthDetector();
    for (let i = 0; i < 20; i++) down.add(i * 1000, 1e6 - i * 1e4);
    expect(down.report().verdict).toBe('shrinking');
  });

  it('rejects bad options and out-of-order samples', () => {
    expect(() => new GrowthDetector({ window: 2 })).toThrow(RangeError);
    expect(() => new GrowthDetector({ minSamples: 100, window: 50 })).toThrow(RangeError);
    expect(() => new GrowthDetector({ significance: 0 })).toThrow(RangeError);
    const d = new GrowthDetector();
    d.add(10, 1);
    expect(() => d.add(5, 1)).toThrow(/in order/);
    expect(() => d.add(20, NaN)).toThrow(RangeError);
  });

  it('keeps a sliding window', () => {
    const d = new GrowthDetector({ window: 5, minSamples: 3 });
    for (let i = 0; i < 12; i++) d.add(i, i);
    expect(d.points.map((p) => p.x)).toEqual([7, 8, 9, 10, 11]);
    d.reset();
    expect(d.points).toEqual([]);
  });

  it('computes Mann-Kendall and Theil-Sen as textbooks do', () => {
    expect(mannKendall([1, 2, 3, 4, 5]).s).toBe(10);
    expect(mannKendall([1, 2, 3, 4, 5]).tau).toBe(1);
    expect(mannKendall([5, 4, 3, 2, 1]).s).toBe(-10);
    expect(mannKendall([1, 1, 1]).z).toBe(0);
    const points = Array.from({ length: 7 }, (_, x) => ({ x, value: x === 6 ? 100 : 1 + 2 * x })); // an outlier
    const { slope, intercept } = theilSen(points);
    expect(slope).toBe(2);
    expect(intercept).toBe(1);
  });
});
