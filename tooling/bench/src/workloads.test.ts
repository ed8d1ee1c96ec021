/**
 * Smoke tests of every workload, both halves, at a tiny N: each completes and reports
 * every one of its metrics as a sane number. Nothing here is timed against anything —
 * speed is what `pnpm bench` is for, never a test.
 */
import { describe, expect, it } from 'vitest';
import { runPythonHalf } from './runner.ts';
import type { Sample, Workload } from './workload.ts';
import { workloads } from './workloads/index.ts';

const N = 1000;
const PYTHON = process.env['PYTHON'] ?? 'python3';
/** Tests that start python3; on a busy 2-core machine that can take a while. */
const SLOW = 120_000;

/**
 * Every measured metric present and finite; times and sizes positive; pauses and rates of
 * events may be 0 (no collection, no long stop at a tiny N). Derived metrics are computed
 * later, from the best values.
 */
function expectSane(workload: Workload, sample: Sample, side: 'refheap' | 'CPython'): void {
  for (const metric of workload.metrics) {
    if (metric.derived || (side === 'CPython' && metric.noCpython !== undefined)) continue;
    const value = sample[metric.name];
    expect(value, metric.name).toBeTypeOf('number');
    expect(Number.isFinite(value), metric.name).toBe(true);
    if (metric.unit === 'ms' || metric.unit === 'per s') expect(value, metric.name).toBeGreaterThanOrEqual(0);
    else expect(value, metric.name).toBeGreaterThan(0);
  }
}

describe.each(workloads.map((w) => [w.name, w] as const))('%s', (_name, workload) => {
  it('has a Python twin and metrics with units', () => {
    expect(workload.python).toMatch(/\.py$/);
    expect(workload.metrics.length).toBeGreaterThan(0);
    for (const metric of workload.metrics) expect(metric.unit).not.toBe('');
  });

  it('runs its TypeScript half at a tiny N, twice on the same heap', async () => {
    const repetition = await workload.prepare();
    if (typeof repetition !== 'function') {
      // Only the weakref workloads may be skipped, and only while @refheap/weakref is not usable here.
      expect(workload.name).toMatch(/^weak/);
      expect(repetition.skipped).toContain('@refheap/weakref');
      return;
    }
    const n = workload.size?.(N) ?? N;
    expectSane(workload, repetition(n), 'refheap');
    expectSane(workload, repetition(n), 'refheap');
  });

  it('runs its Python half at a tiny N in python3', () => {
    const n = workload.size?.(N) ?? N;
    const out = runPythonHalf(PYTHON, workload, n, 2, 1);
    expect(out.version).toMatch(/^3\.\d+/);
    expect(out.samples).toHaveLength(2);
    for (const sample of out.samples) expectSane(workload, sample, 'CPython');
  }, SLOW);
});

describe('the floors', () => {
  it('exist for every workload whose work a featureless heap can do', () => {
    expect(workloads.filter((w) => w.floor !== undefined).map((w) => w.name)).toEqual([
      'alloc-free-acyclic',
      'memory-per-object',
      'gc-cycles',
      'gc-live-scan',
      'gc-churn',
      'weakref-callback',
      'alloc-tracing',
    ]);
  });

  it.each(workloads.filter((w) => w.floor !== undefined).map((w) => [w.name, w] as const))(
    '%s: its floor runs at a tiny N, twice on the same heap, reporting only its own metrics',
    (_name, workload) => {
      const repetition = workload.floor!();
      const n = workload.size?.(N) ?? N;
      const names = new Set(workload.metrics.filter((m) => !m.derived).map((m) => m.name));
      for (const sample of [repetition(n), repetition(n)]) {
        expect(Object.keys(sample).length).toBeGreaterThan(0);
        for (const [name, value] of Object.entries(sample)) {
          expect(names.has(name), name).toBe(true);
          expect(Number.isFinite(value), name).toBe(true);
          expect(value, name).toBeGreaterThanOrEqual(0);
        }
      }
    },
  );
});

describe('alloc-tracing', () => {
  it('derives the overheads from the best times, the same way for both sides', () => {
    const tracing = workloads.find((w) => w.name === 'alloc-tracing')!;
    const derived = tracing.derive!({
      'alloc-tracing (untraced)': 100,
      'alloc-tracing (tracing off)': 101,
      'alloc-tracing (sampling 512 KiB)': 108,
    });
    expect(derived['tracing-off overhead']).toBeCloseTo(1, 9);
    expect(derived['sampling overhead']).toBeCloseTo(8, 9);
    // CPython has no sampling mode: no sampling overhead to derive.
    const cpython = tracing.derive!({ 'alloc-tracing (untraced)': 100, 'alloc-tracing (tracing off)': 99 });
    expect(Object.keys(cpython)).toEqual(['tracing-off overhead']);
    expect(cpython['tracing-off overhead']).toBeCloseTo(-1, 9);
  });
});

describe('memory-per-object', () => {
  it('counts what heap.sizeOf counts: columns plus two slot words, more with a collector attached', async () => {
    const memory = workloads.find((w) => w.name === 'memory-per-object')!;
    const repetition = await memory.prepare();
    if (typeof repetition !== 'function') throw new Error('memory-per-object is never skipped');
    const sample = repetition(N);
    const withGc = sample['memory-per-object']!;
    const without = sample['memory-per-object (no collector)']!;
    expect(Number.isInteger(without)).toBe(true);
    expect(without).toBeGreaterThanOrEqual(8); // at least the two 4-byte slot words
    expect(withGc).toBeGreaterThan(without);
  });

  it('finds CPython 3.11 at 56 bytes per object, as cpython-facts.md says', () => {
    const memory = workloads.find((w) => w.name === 'memory-per-object')!;
    const out = runPythonHalf(PYTHON, memory, 20_000, 1, 0);
    expect(out.samples[0]!['memory-per-object']).toBeCloseTo(56, 0);
  }, SLOW);
});
