/**
 * A scenario run as a person reads it in a terminal: the title and where the phenomenon comes
 * from, then each step — its lines of the program, numbered as in the program the page shows,
 * what it printed, the facts it observed (ticked against CPython 3.11 where CPython fixes
 * them) and the narration written from them. Long lines wrap (continuation rows start with
 * `↪`), never cut.
 */
import { formatValue } from '../format.ts';
import type { Check, ScenarioRun, StepRun } from '../runner.ts';
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
export function paintRow(row: string, paint: (s: string) => string, c: Colors): string {
  return row.startsWith(CONTINUED) ? `${c.dim(CONTINUED)}${paint(row.slice(CONTINUED.length))}` : paint(row);
}

export const INDENT = '    ';
/** Prose is easiest to read at no more than this width, however wide the terminal. */
export const PROSE = 100;

/** The step's code with the program's line numbers in a gutter; wrapped rows keep the gutter blank. */
function codeLines(step: StepRun, c: Colors, columns: number): string[] {
  const gutter = String(step.lastLine).length;
  const width = Math.max(10, columns - INDENT.length - gutter - 3);
  return step.code.split('\n').flatMap((line, i) =>
    wrapCode(line, width).map((row, k) => {
      const number = k === 0 ? String(step.firstLine + i).padStart(gutter) : ' '.repeat(gutter);
      return `${INDENT}${c.dim(`${number} │`)} ${paintRow(row, c.yellow, c)}`.trimEnd();
    }),
  );
}

/** The check beside a value: ✓ or ✗ and CPython's answer, or the error the expression raised. */
function checkText(f: Check): { text: string; good: boolean } | null {
  if (f.error !== undefined) return { text: `✗ raised ${f.error}`, good: false };
  if (f.cpython === undefined) return f.ok ? null : { text: '✗ no CPython answer recorded', good: false };
  return { text: `${f.ok ? '✓' : '✗'} CPython 3.11: ${formatValue(f.cpython)}`, good: f.ok };
}

/** A step's printed-output check reads as a verdict: the text itself is shown above as `out›` rows. */
function printedCheck(f: Check): { value: string; check: { text: string; good: boolean } } {
  const value = f.value === '' ? '(nothing)' : '(as above)';
  if (f.cpython === undefined) return { value, check: { text: '✗ no CPython answer recorded', good: false } };
  if (f.ok) return { value, check: { text: '✓ CPython 3.11 prints the same', good: true } };
  return { value, check: { text: `✗ CPython 3.11 prints ${JSON.stringify(f.cpython)}`, good: false } };
}

/** One observed fact: label, value and the CPython check, the check on its own row when the line would overflow. */
function factLines(f: Check, labelWidth: number, c: Colors, columns: number): string[] {
  const printed = f.key.startsWith('printed.') ? printedCheck(f) : null;
  const value = printed?.value ?? (f.error !== undefined ? '—' : formatValue(f.value));
  const check = printed?.check ?? checkText(f);
  const paint = check?.good === false ? c.red : c.green;
  const checkText_ = check?.text ?? '';
  // Aligned with the other facts if that fits, else unaligned, else label, value and check on rows of their own.
  for (const pad of [labelWidth, 0]) {
    const label = f.label.padEnd(pad);
    if (`${INDENT}» ${label}  ${value}  ${checkText_}`.trimEnd().length <= columns) {
      return [`${INDENT}${c.cyan('»')} ${label}  ${c.bold(value)}  ${checkText_ ? paint(checkText_) : ''}`.trimEnd()];
    }
  }
  const width = columns - INDENT.length - 2;
  return [
    ...wrapCode(f.label, width).map((r, i) => `${INDENT}${i === 0 ? c.cyan('»') : ' '} ${paintRow(r, String, c)}`),
    ...wrapCode(value, width).map((r) => `${INDENT}  ${paintRow(r, c.bold, c)}`),
    ...(checkText_ ? wrapCode(checkText_, width).map((r) => `${INDENT}  ${paintRow(r, paint, c)}`) : []),
  ];
}

/** Printed text as `out›` (or `err›`) rows. */
export function printedLines(text: string, mark: string, c: Colors, columns: number): string[] {
  if (text === '') return [];
  const width = columns - INDENT.length - mark.length - 1;
  return text
    .replace(/\n$/, '')
    .split('\n')
    .flatMap((line) => wrapCode(line, width).map((r) => `${INDENT}${c.dim(mark)} ${paintRow(r, String, c)}`.trimEnd()));
}

export function renderStep(step: StepRun, total: number, c: Colors, columns: number): string[] {
  const lines = step.firstLine === step.lastLine ? `line ${step.firstLine}` : `lines ${step.firstLine}–${step.lastLine}`;
  const heading = wrap(`Step ${step.index + 1} of ${total}: ${step.title}  (${lines})`, Math.min(columns, PROSE) - 2);
  const out = ['', ...heading.map((l) => `  ${c.bold(l)}`), ...codeLines(step, c, columns)];
  out.push(...printedLines(step.printed, 'out›', c, columns));
  out.push(...printedLines(step.printedErr, 'err›', c, columns).map((l) => c.dim(l)));
  // A fact whose value is a long series (a plot's points) is drawn, not listed.
  const plotted = new Set(step.plot ? step.checks.filter((f) => Array.isArray(f.value) && f.value.length > 12).map((f) => f.key) : []);
  const shown = step.checks.filter((f) => !plotted.has(f.key));
  const labelWidth = Math.min(44, Math.max(0, ...shown.map((f) => f.label.length)));
  for (const f of shown) out.push(...factLines(f, labelWidth, c, columns));
  if (step.plot) out.push('', ...plotLines(step.plot, c).map((l) => `  ${l}`), '');
  for (const line of wrap(step.narration, Math.min(columns, PROSE) - INDENT.length)) out.push(`${INDENT}${line}`);
  return out;
}

export function renderHeader(record: { name: string; title: string; source: string }, c: Colors, columns: number): string[] {
  const width = Math.min(columns, PROSE) - 2;
  const rule = '━'.repeat(width - 2);
  return [
    c.cyan(`  ${rule}`),
    ...wrap(`${record.title}  (${record.name})`, width).map((l) => `  ${c.bold(l)}`),
    ...wrap(`from: ${record.source}`, width).map((l) => `  ${c.dim(l)}`),
  ];
}

export function renderFooter(record: ScenarioRun, c: Colors, columns: number): string[] {
  const out = ['', ...wrap(record.moral, Math.min(columns, PROSE) - 2).map((l) => `  ${c.italic(l)}`)];
  if (record.error !== null) out.push('', ...printedLines(record.stderr, 'err›', c, columns).map((l) => c.red(l)));
  if (!record.ok) {
    out.push('', c.red(`  ✗ ${record.mismatches.length} check(s) failed:`));
    for (const m of record.mismatches) out.push(c.red(`    ${m}`));
  }
  const closing = `(${record.steps.length} steps, ${(record.durationMs / 1000).toFixed(2)} s; as one Python file: refheap-lab program ${record.name})`;
  out.push(...wrap(closing, Math.min(columns, PROSE) - 2).map((l) => c.dim(`  ${l}`)), '');
  return out;
}
