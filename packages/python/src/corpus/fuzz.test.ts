/**
 * The fuzzer's own health, while refheap-python is not ready: twenty generated programs all run
 * under python3, and the report counts them. Tighten to `differences === 0` once it is.
 */
import { describe, expect, test } from 'vitest';
import { fuzz, generate, rng, source } from './fuzz.ts';

describe('fuzz', () => {
  test('the generator is seeded: the same seed, the same programs', () => {
    expect(source(generate(rng(7)))).toBe(source(generate(rng(7))));
  });

  test('20 programs with a fixed seed run under python3 and are counted', () => {
    const report = fuzz({ count: 20, seed: 20261204, refheap: false });
    expect(report.run).toBe(20);
    expect(report.failedUnderCPython).toBe(0);
    expect(report.differences).toBe(0);
  }, 120_000);
});
