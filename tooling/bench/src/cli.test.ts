/**
 * The command as people and programs use it: `--smoke --json` prints exactly one JSON
 * array of {workload, unit, refheap, cpython, ratio, floor, overFloor} on stdout and nothing else; the
 * table, `--filter`, `--list`, and bad arguments.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from './runner.ts';
import { workloads } from './workloads/index.ts';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
/** Each test starts node and python3 processes; on a busy 2-core machine that can take a while. */
const SLOW = 180_000;

function bench(...args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, [...NODE_FLAGS, CLI, ...args], { cwd: PACKAGE_DIR, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

describe('bench --smoke --json', () => {
  it('prints one JSON array with a row for every metric of every workload, and nothing else', () => {
    const stdout = execFileSync(process.execPath, [...NODE_FLAGS, CLI, '--smoke', '--json'], {
      cwd: PACKAGE_DIR,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const rows = JSON.parse(stdout) as unknown;
    expect(Array.isArray(rows)).toBe(true);
    const expected = workloads.flatMap((w) => w.metrics);
    expect((rows as unknown[]).length).toBe(expected.length);
    (rows as Record<string, unknown>[]).forEach((row, i) => {
      const metric = expected[i]!;
      expect(Object.keys(row)).toEqual(['workload', 'unit', 'refheap', 'cpython', 'ratio', 'floor', 'overFloor']);
      expect(row['workload']).toBe(metric.name);
      expect(row['unit']).toBe(metric.unit);
      // CPython runs every workload; it lacks a number only where it lacks the feature.
      if (metric.noCpython === undefined) expect(Number.isFinite(row['cpython'])).toBe(true);
      else expect(row['cpython']).toBeNull();
      // refheap lacks a number only while @refheap/weakref is missing.
      if (row['refheap'] === null) expect(row['workload']).toMatch(/^weak/);
      else expect(Number.isFinite(row['refheap'])).toBe(true);
      if (metric.unit !== '%' && row['refheap'] !== null) expect(row['refheap'] as number).toBeGreaterThanOrEqual(0);
      // The ratio is CPython / refheap, when both are costs that were measured.
      if (row['refheap'] === null || row['cpython'] === null || metric.derived) expect(row['ratio']).toBeNull();
      else if (row['ratio'] !== null) expect(row['ratio']).toBeCloseTo((row['cpython'] as number) / (row['refheap'] as number), 3);
    });
    type JsonRow = { workload: string; refheap: number | null; floor: number | null; overFloor: number | null };
    const byName = new Map((rows as JsonRow[]).map((r) => [r.workload, r]));
    for (const name of ['alloc-free-acyclic', 'memory-per-object', 'gc-cycles', 'gc-live-scan', 'gc-churn']) {
      expect(byName.get(name)?.refheap, name).toBeGreaterThan(0);
    }
    // The floor ran as a third side for the rows that have one, and overFloor is refheap / floor.
    for (const name of ['alloc-free-acyclic', 'memory-per-object', 'gc-cycles', 'gc-live-scan', 'gc-churn', 'weakref-callback']) {
      const row = byName.get(name)!;
      expect(row.floor, name).toBeGreaterThan(0);
      expect(row.overFloor, name).toBeCloseTo(row.refheap! / row.floor!, 3);
    }
    for (const row of rows as JsonRow[]) if (row.floor === null) expect(row.overFloor).toBeNull();
    expect(byName.get('memory-per-object')?.floor).toBe(24);
  }, SLOW);
});

describe('bench options', () => {
  it('prints the table for people, with one line per metric of the filtered workloads', () => {
    const { stdout, status } = bench('--smoke', '--filter', 'memory');
    expect(status).toBe(0);
    expect(stdout).toMatch(/^refheap vs CPython — N = 1,000/);
    expect(stdout).toMatch(/workload\s+unit\s+refheap\s+CPython\s+ratio\s+floor\s+÷ floor/);
    expect(stdout).toMatch(/^memory-per-object\s+bytes\/object\s+\d.*\s24\.00\s+\d+\.\d\d×$/m);
    expect(stdout).toMatch(/^memory-per-object \(no collector\)\s+bytes\/object/m);
    expect(stdout).not.toMatch(/gc-cycles/);
    expect(stdout).toContain('above 1 means refheap is better');
  }, SLOW);

  it('--n sets N; --filter takes a comma list', () => {
    const { stdout, status } = bench('--json', '--n', '2000', '--rounds', '1', '--reps', '1', '--warmup', '0', '--filter', 'gc-cycles,memory');
    expect(status).toBe(0);
    const rows = JSON.parse(stdout) as { workload: string }[];
    expect(rows.map((r) => r.workload)).toEqual(['memory-per-object', 'memory-per-object (no collector)', 'gc-cycles']);
  }, SLOW);

  it('--list names every workload', () => {
    const { stdout, status } = bench('--list');
    expect(status).toBe(0);
    for (const w of workloads) expect(stdout).toContain(w.name);
  }, SLOW);

  it('rejects an unknown option, a bad N and a filter that matches nothing, with status 2 and usage on stderr', () => {
    for (const args of [['--bogus'], ['--n', 'many'], ['--n', '0'], ['--filter', 'no-such-workload']]) {
      const { stdout, stderr, status } = bench(...args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Usage: pnpm bench');
    }
  }, SLOW);
});
