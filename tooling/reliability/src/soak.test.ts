import { expect, test } from 'vitest';
import { soak } from './soak.ts';

test('a short soak of the churn workload with automatic collection: live objects and resident memory stay flat', () => {
  const result = soak(4, 100);
  expect(result.collections).toBeGreaterThan(10);
  expect(result.live.verdict).not.toBe('insufficient-data');
  expect(result.live.probablyLeaking).toBe(false);
  expect(result.rss.probablyLeaking).toBe(false);
  const live = result.points.map((p) => p.liveObjects);
  expect(Math.max(...live)).toBeLessThan(5_000); // at most a few thresholds' worth of garbage waits
});
