import { describe, expect, it } from 'vitest';
import { findALeak } from '../examples/find-a-leak.ts';

describe('examples/find-a-leak.ts (the README’s walk-through)', () => {
  it('finds the seeds’ class-level cache leak four ways', async () => {
    const lines: string[] = [];
    await findALeak((line) => lines.push(line));
    const text = lines.join('\n');
    expect(text).toMatch(/find-a-leak\.ts:\d+: size=[\d.]+ KiB, count=401, average=\d+ B/);
    expect(text).toMatch(/count=401 \(\+401\)/);
    expect(text).toContain('  LeakyContainer      200      +200');
    expect(text).toMatch(/Memory against work done: probably leaking: 2\.0 objects per unit of work/);
    expect(text).toContain('  type → dict → list → LeakyContainer');
    expect(text).toMatch(/show_backrefs as SVG: \d+ characters/);
  }, 60_000);
});
