/** The report's formats, the option parser and the shared statistics, without running anything. */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseOptions, selectWorkloads, SMOKE } from './options.ts';
import { formatValue, toJson, toTable } from './report.ts';
import { type Row, sideOrder, warmupFor } from './runner.ts';
import { best, percentile } from './stats.ts';
import { workloads } from './workloads/index.ts';

const rows: Row[] = [
  {
    workload: 'gc-cycles',
    unit: 'ns/object',
    refheap: 24.123456789,
    cpython: 120.5,
    ratio: 120.5 / 24.123456789,
    floor: 8,
    overFloor: 24.123456789 / 8,
  },
  {
    workload: 'gc-pause-max',
    unit: 'ms',
    refheap: 0.0123456789,
    cpython: 0.2,
    ratio: 0.2 / 0.0123456789,
    floor: null,
    overFloor: null,
  },
  {
    workload: 'weakref-callback',
    unit: 'ns/object',
    refheap: null,
    cpython: 450,
    ratio: null,
    floor: 40,
    overFloor: null,
    note: 'skipped: @refheap/weakref not available',
  },
];

describe('toJson', () => {
  it('is one array of {workload, unit, refheap, cpython, ratio, floor, overFloor}, numbers to six significant digits, null kept', () => {
    const parsed = JSON.parse(toJson(rows)) as Record<string, unknown>[];
    expect(parsed).toEqual([
      { workload: 'gc-cycles', unit: 'ns/object', refheap: 24.1235, cpython: 120.5, ratio: 4.99514, floor: 8, overFloor: 3.01543 },
      { workload: 'gc-pause-max', unit: 'ms', refheap: 0.0123457, cpython: 0.2, ratio: 16.2, floor: null, overFloor: null },
      { workload: 'weakref-callback', unit: 'ns/object', refheap: null, cpython: 450, ratio: null, floor: 40, overFloor: null },
    ]);
    for (const row of parsed) {
      expect(Object.keys(row)).toEqual(['workload', 'unit', 'refheap', 'cpython', 'ratio', 'floor', 'overFloor']);
    }
  });
});

describe('toTable', () => {
  const table = toTable(rows, { n: 1_000_000, rounds: 3, reps: 2, node: '20.20.2', python: '3.11.7' });
  const lines = table.split('\n');

  it('says how it measured, then aligned columns', () => {
    expect(lines[0]).toBe(
      'refheap vs CPython — N = 1,000,000; best of 6 (3 interleaved rounds × 2) on each side; Node 20.20.2, Python 3.11.7',
    );
    expect(lines[2]).toMatch(/^workload\s+unit\s+refheap\s+CPython\s+ratio\s+floor\s+÷ floor$/);
    const ratioEnds = lines.slice(4, 7).map((l) => l.length);
    expect(new Set(ratioEnds).size).toBe(1); // right-aligned numbers end in one column
  });

  it('names the CPU the timed threads had, under --cpu', () => {
    const pinned = toTable(rows, { n: 1_000_000, rounds: 1, reps: 2, node: '20.20.2', python: '3.11.7', cpu: 1 });
    expect(pinned.split('\n')[0]).toMatch(/; Node 20\.20\.2, Python 3\.11\.7; timed threads alone on CPU 1$/);
  });

  it('shows ratios with ×, and why a row has no refheap number', () => {
    expect(table).toMatch(/gc-cycles\s+ns\/object\s+24\.12\s+120\.5\s+5\.00×/);
    expect(table).toMatch(/weakref-callback\s+ns\/object\s+skipped: @refheap\/weakref not available\s+450\.0\s+—/);
  });

  it('shows the floor and refheap ÷ floor, a dash where a row has none, and says what ÷ floor means', () => {
    expect(table).toMatch(/gc-cycles\s+ns\/object\s+24\.12\s+120\.5\s+5\.00×\s+8\.000\s+3\.02×$/m);
    expect(table).toMatch(/gc-pause-max\s+ms\s+0\.012\s+0\.200\s+16\.20×\s+—\s+—$/m);
    expect(table).toMatch(/weakref-callback\s+.*450\.0\s+—\s+40\.00\s+—$/m);
    expect(table).toContain('÷ floor = refheap / floor');
  });
});

describe('formatValue', () => {
  it('keeps about four significant digits, at most three decimals', () => {
    expect(formatValue(0.0123)).toBe('0.012');
    expect(formatValue(0.512)).toBe('0.512');
    expect(formatValue(12.345)).toBe('12.35');
    expect(formatValue(123.45)).toBe('123.5');
    expect(formatValue(4096.4)).toBe('4096');
    expect(formatValue(56)).toBe('56.00');
    expect(formatValue(0)).toBe('0');
  });
});

describe('percentile and best', () => {
  it('uses the nearest rank, as gc-churn.py does', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1); // 1…200
    expect(percentile(values, 0.99)).toBe(198);
    expect(percentile([5], 0.99)).toBe(5);
    expect(percentile([], 0.99)).toBe(0);
    expect(percentile([3, 1, 2], 0.5)).toBe(2);
  });

  it('best is the lowest', () => {
    expect(best([3, 1.5, 2])).toBe(1.5);
  });
});

describe('parseOptions', () => {
  it('defaults to N = 1,000,000 and 5 rounds × 2 repetitions, each round after a warm-up', () => {
    expect(parseOptions([], {})).toMatchObject({ ...DEFAULTS, json: false, python: 'python3', filters: [] });
  });

  it('--smoke makes everything tiny; explicit flags still win', () => {
    expect(parseOptions(['--smoke'], {})).toMatchObject(SMOKE);
    expect(parseOptions(['--smoke', '--n', '5000'], {})).toMatchObject({ ...SMOKE, n: 5000 });
  });

  it('reads --json, --filter (repeated or a,b), --n with underscores, and $PYTHON', () => {
    const options = parseOptions(['--json', '--filter', 'gc-c,alloc', '--filter', 'memory', '--n', '200_000'], {
      PYTHON: '/usr/bin/python3.11',
    });
    expect(options).toMatchObject({ json: true, n: 200_000, python: '/usr/bin/python3.11' });
    expect(options.filters).toEqual(['gc-c', 'alloc', 'memory']);
  });

  it('rejects what is not a count', () => {
    expect(() => parseOptions(['--n', '1e3.5'], {})).toThrow(/--n wants an integer/);
    expect(() => parseOptions(['--reps', '0'], {})).toThrow(/--reps wants an integer of at least 1/);
    expect(() => parseOptions(['--warmup', '-1'], {})).toThrow();
  });

  it('reads --cpu as a CPU number, and none without it', () => {
    expect(parseOptions([], {}).cpu).toBeNull();
    expect(parseOptions(['--cpu', '1'], {}).cpu).toBe(1);
    expect(parseOptions(['--cpu', '0'], {}).cpu).toBe(0);
    expect(() => parseOptions(['--cpu', 'one'], {})).toThrow(/--cpu wants an integer/);
    expect(() => parseOptions(['--cpu=-1'], {})).toThrow(/--cpu wants an integer/);
  });
});

describe('warmupFor', () => {
  const byName = (name: string) => workloads.find((w) => w.name === name)!;

  it('gives the interpreter rows the warm-up V8 needs to settle, and any workload more when asked', () => {
    expect(warmupFor(byName('interp-listcomp'), DEFAULTS.warmup)).toBe(4);
    expect(warmupFor(byName('interp-hot-loop'), 0)).toBe(4);
    expect(warmupFor(byName('interp-linked-list'), 6)).toBe(6);
    expect(warmupFor(byName('gc-cycles'), DEFAULTS.warmup)).toBe(DEFAULTS.warmup);
    expect(warmupFor(byName('gc-cycles'), 0)).toBe(0);
    expect(warmupFor(byName('memory-per-object'), 3)).toBe(0); // counted, not timed: once
  });
});

describe('selectWorkloads', () => {
  it('matches by substring, keeps the report order, and names the choices when nothing matches', () => {
    expect(selectWorkloads(workloads, ['gc-']).map((w) => w.name)).toEqual(['gc-cycles', 'gc-live-scan', 'gc-rebuild', 'gc-churn', 'gc-incremental']);
    expect(selectWorkloads(workloads, []).length).toBe(workloads.length);
    expect(() => selectWorkloads(workloads, ['nope'])).toThrow(/no workload matches nope; the workloads are alloc-free-acyclic/);
  });
});

describe('sideOrder', () => {
  it('rotates refheap, CPython and the floor by one each round, so each goes first, second and last in turn', () => {
    expect([0, 1, 2, 3].map((round) => sideOrder(round, true))).toEqual([
      ['refheap', 'CPython', 'floor'],
      ['CPython', 'floor', 'refheap'],
      ['floor', 'refheap', 'CPython'],
      ['refheap', 'CPython', 'floor'],
    ]);
  });

  it('alternates the two sides of a workload without a floor, as before', () => {
    expect([0, 1, 2].map((round) => sideOrder(round, false))).toEqual([
      ['refheap', 'CPython'],
      ['CPython', 'refheap'],
      ['refheap', 'CPython'],
    ]);
  });
});
