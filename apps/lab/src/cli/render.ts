/**
 * A scenario record as a person reads it in a terminal: the title and where the
 * phenomenon comes from, then each step with the Python beside the TypeScript,
 * what it printed, the numbers it observed (ticked against CPython 3.11 where
 * the lab promises them) and the explanation.
 */
import { formatValue } from '../format.ts';
import type { ScenarioRecord, StepRecord } from '../runner.ts';
import type { Colors } from './colors.ts';
import { plotLines } from './terminal-plot.ts';

/** Wraps prose to `width` columns. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Continued pieces of a wrapped line start with this mark, so they do not read as new lines. */
const CONTINUED = '↪ ';

/**
 * A code line cut into rows of at most `width` characters (continuation rows
 * included, mark and all), preferring to break after a space or a comma.
 */
export function wrapCode(line: string, width: number): string[] {
  const rows: string[] = [];
  let rest = line;
  let room = width;
  while (rest.length > room) {
    const window = rest.slice(0, room);
    const soft = Math.max(window.lastIndexOf(' '), window.lastIndexOf(','));
    const cut = soft >= room / 2 ? soft + 1 : room;
    rows.push(`${rows.length ? CONTINUED : ''}${rest.slice(0, cut).trimEnd()}`);
    rest = rest.slice(cut).trimStart();
    room = Math.max(1, width - CONTINUED.length);
  }
  rows.push(`${rows.length ? CONTINUED : ''}${rest}`);
  return rows;
}

/** Paints a row, its continuation mark dim. */
function paintRow(row: string, paint: (s: string) => string, c: Colors): string {
  return row.startsWith(CONTINUED) ? `${c.dim(CONTINUED)}${paint(row.slice(CONTINUED.length))}` : paint(row);
}

const INDENT = '    ';
const GUTTER = 3; // ' │ '
/** Narrower than these, side by side would cramp either language; the two are stacked instead. */
const MIN_PYTHON = 24;
const MIN_TYPESCRIPT = 30;

/**
 * The Python beside the TypeScript, line by line, when both fit the width
 * (each whole when they can be; else the Python keeps what it needs up to two
 * thirds of the width and long lines wrap); on a narrow terminal one above the other,
 * wrapped. Nothing is cut off.
 */
function codeColumns(step: StepRecord, c: Colors, columns: number): string[] {
  const py = step.python.split('\n');
  const ts = step.typescript.split('\n');
  const pyWidest = Math.max('Python'.length, ...py.map((l) => l.length));
  const tsWidest = Math.max(...ts.map((l) => l.length));
  const room = columns - INDENT.length - GUTTER;
  // The Python is the lesson: it keeps up to two thirds of the width, the TypeScript wraps in the rest.
  const left = pyWidest + tsWidest <= room ? pyWidest : Math.min(pyWidest, Math.max(room - tsWidest, Math.floor((room * 2) / 3)));
  const right = room - left;
  if ((left < MIN_PYTHON && left < pyWidest) || right < MIN_TYPESCRIPT) {
    const width = columns - INDENT.length;
    return [
      c.dim(`${INDENT}Python`),
      ...py.flatMap((l) => wrapCode(l, width)).map((r) => INDENT + paintRow(r, c.yellow, c)),
      c.dim(`${INDENT}TypeScript on refheap`),
      ...ts.flatMap((l) => wrapCode(l, width)).map((r) => INDENT + paintRow(r, c.green, c)),
    ];
  }
  const out = [c.dim(`${INDENT}${'Python'.padEnd(left)}   TypeScript on refheap`)];
  for (let i = 0; i < Math.max(py.length, ts.length); i++) {
    const pyRows = wrapCode(py[i] ?? '', left);
    const tsRows = wrapCode(ts[i] ?? '', right);
    for (let k = 0; k < Math.max(pyRows.length, tsRows.length); k++) {
      const p = pyRows[k] ?? '';
      const shown = paintRow(p, c.yellow, c) + ' '.repeat(left - p.length);
      out.push(`${INDENT}${shown} ${c.dim('│')} ${paintRow(tsRows[k] ?? '', c.green, c)}`.trimEnd());
    }
  }
  return out;
}

/** Prose is easiest to read at no more than this width, however wide the terminal. */
const PROSE = 100;

/** One observed number: label, value and the CPython check, the check on its own row when the line would overflow. */
function factLines(f: StepRecord['facts'][number], labelWidth: number, c: Colors, columns: number): string[] {
  const value = formatValue(f.value);
  const check = f.matches === undefined ? '' : `${f.matches ? '✓' : '✗'} CPython 3.11: ${formatValue(f.cpython!)}`;
  const paint = f.matches === false ? c.red : c.green;
  // Aligned with the other facts if that fits, else unaligned, else label, value and check on rows of their own.
  for (const pad of [labelWidth, 0]) {
    const label = f.label.padEnd(pad);
    if (`${INDENT}» ${label}  ${value}  ${check}`.trimEnd().length <= columns) {
      return [`${INDENT}${c.cyan('»')} ${label}  ${c.bold(value)}  ${check ? paint(check) : ''}`.trimEnd()];
    }
  }
  const width = columns - INDENT.length - 2;
  return [
    ...wrapCode(f.label, width).map((r, i) => `${INDENT}${i === 0 ? c.cyan('»') : ' '} ${paintRow(r, String, c)}`),
    ...wrapCode(value, width).map((r) => `${INDENT}  ${paintRow(r, c.bold, c)}`),
    ...(check ? wrapCode(check, width).map((r) => `${INDENT}  ${paintRow(r, paint, c)}`) : []),
  ];
}

export function renderStep(step: StepRecord, total: number, c: Colors, columns: number): string[] {
  const out = ['', c.bold(`  Step ${step.index + 1} of ${total}`), ...codeColumns(step, c, columns)];
  const printedWidth = columns - INDENT.length - 'out› '.length;
  for (const line of step.printed) out.push(...wrapCode(line, printedWidth).map((r) => `${INDENT}${c.dim('out›')} ${paintRow(r, String, c)}`));
  for (const line of step.gcLog) out.push(...wrapCode(line, columns - INDENT.length).map((r) => INDENT + paintRow(r, c.dim, c)));
  const labelWidth = Math.min(44, Math.max(0, ...step.facts.map((f) => f.label.length)));
  for (const f of step.facts) out.push(...factLines(f, labelWidth, c, columns));
  if (step.plot) out.push('', ...plotLines(step.plot, c).map((l) => `  ${l}`));
  for (const line of wrap(step.explanation, Math.min(columns, PROSE) - INDENT.length)) out.push(`${INDENT}${line}`);
  return out;
}

export function renderHeader(record: Pick<ScenarioRecord, 'name' | 'title' | 'source'>, c: Colors, columns: number): string[] {
  const width = Math.min(columns, PROSE) - 2;
  const rule = '━'.repeat(width - 2);
  return [
    c.cyan(`  ${rule}`),
    ...wrap(`${record.title}  (${record.name})`, width).map((l) => `  ${c.bold(l)}`),
    ...wrap(`from: ${record.source}`, width).map((l) => `  ${c.dim(l)}`),
  ];
}

export function renderFooter(record: ScenarioRecord, c: Colors, columns: number): string[] {
  const out = ['', ...wrap(record.moral, Math.min(columns, PROSE) - 2).map((l) => `  ${c.italic(l)}`)];
  if (!record.ok) {
    out.push('', c.red(`  ✗ ${record.mismatches.length} number(s) differ from CPython 3.11:`));
    for (const m of record.mismatches) out.push(c.red(`    ${m}`));
  }
  out.push(c.dim(`  (${record.steps.length} steps, ${(record.durationMs / 1000).toFixed(2)} s)`), '');
  return out;
}
