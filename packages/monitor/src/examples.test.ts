import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findALeak } from '../examples/find-a-leak.ts';

describe('examples/find-a-leak.ts (the README’s walk-through)', () => {
  it('finds the seeds’ class-level cache leak four ways, and writes a snapshot with allocation stacks', async () => {
    const lines: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'refheap-example-'));
    const path = join(dir, 'leak.heaptimeline');
    await findALeak((line) => lines.push(line), path);
    const text = lines.join('\n');
    expect(text).toMatch(/find-a-leak\.ts:\d+: size=[\d.]+ KiB, count=401, average=\d+ B/);
    expect(text).toMatch(/count=401 \(\+401\)/);
    expect(text).toContain('  LeakyContainer      200      +200');
    expect(text).toMatch(/Memory against work done: probably leaking: 2\.0 objects per unit of work/);
    expect(text).toContain('  type → dict → list → LeakyContainer');
    expect(text).toMatch(/show_backrefs as SVG: \d+ characters/);
    expect(text).toMatch(/Heap snapshot: \d+ nodes, \d+ with allocation stacks, in .*leak\.heaptimeline/);
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as { snapshot: { trace_function_count: number } };
    expect(snapshot.snapshot.trace_function_count).toBeGreaterThan(1);
    rmSync(dir, { recursive: true });
  }, 60_000);
});
