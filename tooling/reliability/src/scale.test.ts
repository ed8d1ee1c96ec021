import { describe, expect, test } from 'vitest';
import { scaleScenarios } from './scale.ts';

/** CI runs the scale scenarios at a reduced size; `pnpm stress` runs them at full size. */
const REDUCED = 200_000;

describe('scale, at a reduced size', () => {
  for (const scenario of scaleScenarios) {
    test(`${scenario.name}: completes without a stack overflow, leaves nothing behind and gives its storage back`, () => {
      const result = scenario.run(Math.min(REDUCED, scenario.fullSize));
      expect(result.liveAfter).toBe(result.liveBefore);
      expect(result.bytesPerObject).toBeGreaterThan(0);
      expect(result.bytesPerObject).toBeLessThanOrEqual(64);
      // The storage the structure needed goes back with it (pymalloc returns empty arenas).
      expect(result.reservedPeak).toBeGreaterThan(result.reservedBefore);
      expect(result.reservedAfter).toBeLessThanOrEqual(result.reservedBefore * 1.25);
    });
  }
});
