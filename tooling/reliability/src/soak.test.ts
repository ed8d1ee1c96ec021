import { expect, test } from 'vitest';
import { soak } from './soak.ts';

/**
 * A few seconds are enough to judge the heap's own numbers; resident memory needs the
 * minutes `pnpm stress` gives it (V8 is still growing its own heap this early), so here
 * it is only measured, not judged.
 */
test('a short soak of the churn workload with automatic collection: live objects and the heap’s bytes stay flat', () => {
  const result = soak(4, 100);
  expect(result.collections).toBeGreaterThan(10);
  expect(result.live.verdict).not.toBe('insufficient-data');
  expect(result.live.probablyLeaking).toBe(false);
  expect(result.heapBytes.probablyLeaking).toBe(false);
  expect(result.rss.samples).toBeGreaterThan(10);
  const live = result.points.map((p) => p.liveObjects);
  expect(Math.max(...live)).toBeLessThan(5_000); // at most a few thresholds' worth of garbage waits
});
