/**
 * The two ways a run is printed: a table for people and, with `--json`, one JSON array
 * of `{workload, unit, refheap, cpython, ratio, floor, overFloor}` for programs. The JSON carries the
 * numbers as measured (rounded to six significant digits); the table rounds for reading.
 */
import type { Row } from './runner.ts';

/** The fields of one JSON row, in order. */
export interface JsonRow {
  readonly workload: string;
  readonly unit: string;
  readonly refheap: number | null;
  readonly cpython: number | null;
  readonly ratio: number | null;
  readonly floor: number | null;
  readonly overFloor: number | null;
}

/** The `--json` output: exactly one array, one line. */
export function toJson(rows: readonly Row[]): string {
  const out: JsonRow[] = rows.map((row) => ({
    workload: row.workload,
    unit: row.unit,
    refheap: round(row.refheap),
    cpython: round(row.cpython),
    ratio: round(row.ratio),
    floor: round(row.floor),
    overFloor: round(row.overFloor),
  }));
  return JSON.stringify(out);
}

/** What the table says about how the numbers were taken. */
export interface TableContext {
  readonly n: number;
  readonly rounds: number;
  readonly reps: number;
  readonly node: string;
  readonly python: string;
  /** `--cpu`: the CPU each side's timed thread had to itself. */
  readonly cpu?: number | null;
}

/** Below this N a table is a smoke run (JIT not warm, fixed costs dominate), and says so. */
const TINY_N = 100_000;

/** The table for people: aligned columns, a header line on how it was measured, notes for skipped rows. */
export function toTable(rows: readonly Row[], context: TableContext): string {
  const header = ['workload', 'unit', 'refheap', 'CPython', 'ratio', 'floor', '÷ floor'];
  const body = rows.map((row) => [
    row.workload,
    row.unit,
    row.refheap === null ? (row.note ?? '—') : formatValue(row.refheap),
    row.cpython === null ? (row.cpythonNote === undefined ? '—' : 'n/a') : formatValue(row.cpython),
    row.ratio === null ? '—' : `${row.ratio.toFixed(2)}×`,
    row.floor === null ? '—' : formatValue(row.floor),
    row.overFloor === null ? '—' : `${row.overFloor.toFixed(2)}×`,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const repetitions = context.rounds * context.reps;
  const rounds = `${context.rounds} interleaved round${context.rounds === 1 ? '' : 's'}`;
  const tiny = context.n < TINY_N ? ' — a smoke run: at this N the numbers mean nothing' : '';
  const cpu = context.cpu == null ? '' : `; timed threads alone on CPU ${context.cpu}`;
  return [
    `refheap vs CPython — N = ${context.n.toLocaleString('en-US')}; best of ${repetitions} ` +
      `(${rounds} × ${context.reps}) on each side; Node ${context.node}, Python ${context.python}${cpu}${tiny}`,
    '',
    line(header),
    rule,
    ...body.map(line),
    '',
    'ratio = CPython / refheap: above 1 means refheap is better (faster or smaller).',
    '÷ floor = refheap / floor: how many times the cost of the featureless floor program refheap pays (1 is the floor).',
    ...rows.filter((row) => row.cpythonNote !== undefined).map((row) => `n/a: ${row.workload}: ${row.cpythonNote}.`),
  ].join('\n');
}

/** Four significant digits, at most three decimals: 0.512, 12.34, 123.4, 4096. */
export function formatValue(value: number): string {
  if (value === 0) return '0';
  const digits = Math.max(0, Math.min(3, 3 - Math.floor(Math.log10(Math.abs(value)))));
  return value.toFixed(digits);
}

function round(value: number | null): number | null {
  return value === null ? null : Number(value.toPrecision(6));
}
