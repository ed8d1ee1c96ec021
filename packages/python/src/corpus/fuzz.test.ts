/**
 * Twenty generated memory programs with a fixed seed: refheap-python prints what python3 prints
 * up to each program's end (what shutdown prints after it is a known difference, README).
 */
import { describe, expect, test } from 'vitest';
import { fuzz, generate, rng, source } from './fuzz.ts';

describe('fuzz', () => {
  test('the generator is seeded: the same seed, the same programs', () => {
    expect(source(generate(rng(7)))).toBe(source(generate(rng(7))));
  });

  test('20 programs with a fixed seed print the same under python3 and refheap-python', () => {
    const report = fuzz({ count: 20, seed: 20261204, untilExit: true });
    expect(report.run).toBe(20);
    expect(report.failedUnderCPython).toBe(0);
    expect(report.differences).toBe(0);
  }, 120_000);
});
