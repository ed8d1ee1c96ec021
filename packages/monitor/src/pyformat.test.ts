import { describe, expect, it } from 'vitest';
import { formatSize, padRight, pyFixed, pyG } from './pyformat.ts';

describe("tracemalloc's _format_size", () => {
  // Each pair printed by CPython 3.11: tracemalloc._format_size(v, False), (v, True).
  const cpython: [number, string, string][] = [
    [0, '0 B', '+0 B'],
    [1, '1 B', '+1 B'],
    [2.5, '2 B', '+2 B'],
    [99.5, '100 B', '+100 B'],
    [1023, '1023 B', '+1023 B'],
    [10239, '10239 B', '+10239 B'],
    [10240, '10.0 KiB', '+10.0 KiB'],
    [102399, '100.0 KiB', '+100.0 KiB'],
    [102400, '100 KiB', '+100 KiB'],
    [0.25, '0 B', '+0 B'],
    [-3.5, '-4 B', '-4 B'],
    [104857600, '100 MiB', '+100 MiB'],
    [10239.5, '10240 B', '+10240 B'],
    [-11776, '-11.5 KiB', '-11.5 KiB'],
    [4855 * 1024, '4855 KiB', '+4855 KiB'],
  ];
  for (const [value, plain, sign] of cpython) {
    it(`${value} → ${plain} / ${sign}`, () => {
      expect(formatSize(value)).toBe(plain);
      expect(formatSize(value, true)).toBe(sign);
    });
  }
});

describe('Python number formatting', () => {
  it("rounds exact ties to even, as '%.Nf' does (toFixed would not)", () => {
    expect(pyFixed(0.5, 0)).toBe('0');
    expect(pyFixed(1.5, 0)).toBe('2');
    expect(pyFixed(2.5, 0)).toBe('2');
    expect(pyFixed(0.25, 1)).toBe('0.2');
    expect(pyFixed(0.35, 1)).toBe('0.3'); // 0.35 is 0.34999… in binary
    expect(pyFixed(0.75, 1)).toBe('0.8');
    expect(pyFixed(-0.25, 0)).toBe('-0');
    expect(pyFixed(9.96, 1)).toBe('10.0');
    expect(pyFixed(1e22, 0)).toBe('10000000000000000000000');
  });

  it("prints '%g' like CPython", () => {
    expect(pyG(0.766666666)).toBe('0.766667');
    expect(pyG(1)).toBe('1');
    expect(pyG(0.3)).toBe('0.3');
    expect(pyG(0)).toBe('0');
    expect(pyG(0.0001234)).toBe('0.0001234');
    expect(pyG(1234567)).toBe('1.23457e+06');
    expect(pyG(0.65)).toBe('0.65');
  });

  it("pads like '%-*s'", () => {
    expect(padRight('dict', 10) + '|').toBe('dict      |');
    expect(padRight('toolong', 3)).toBe('toolong');
  });
});
