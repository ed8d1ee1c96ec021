import { describe, expect, test } from 'vitest';
import { scaleScenarios } from './scale.ts';

/** CI runs the scale scenarios at a reduced size; `pnpm stress` runs them at full size. */
const REDUCED = 200_000;

describe('scale, at a reduced size', () => {
  for (const scenario of scaleScenarios) {
    test(`${scenario.name}: completes without a stack overflow and leaves nothing behind`, () => {
      const result = scenario.run(Math.min(REDUCED, scenario.fullSize));
      expect(result.liveAfter).toBe(result.liveBefore);
      expect(result.bytesPerObject).toBeGreaterThan(0);
      expect(result.bytesPerObject).toBeLessThanOrEqual(64);
    });
  }
});
