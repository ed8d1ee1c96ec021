/**
 * A learner's own program as the terminal narrates it: a row per line event — the step, the
 * line, the program's own live objects after it and the change, the collections that ran in
 * it, the code — with how the names' counts changed and what it printed beneath; past the first events, a row per source line
 * instead (how often it ran, what it added, collections); then the closing paragraph and, if
 * it failed, the traceback.
 */
import type { ProgramNarration } from '../narration/program-narration.ts';
import type { Colors } from './colors.ts';
import { paintRow, printedLines, PROSE, wrap, wrapCode } from './render.ts';

const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => cell.padStart(widths[i]!)).join('  ');
}

export function renderProgram(narration: ProgramNarration, c: Colors, columns: number): string[] {
  const width = Math.min(columns, PROSE) - 2;
  const out = [
    c.cyan(`  ${'━'.repeat(width - 2)}`),
    `  ${c.bold(narration.filename)}  ${c.dim('(run on refheap-python, narrated line by line)')}`,
    '',
  ];
  const widths = [5, 5, 7, 6, 3];
  const codeWidth = Math.max(10, columns - 2 - widths.reduce((a, b) => a + b + 2, 0));
  const codeRows = (code: string): string[] => wrapCode(code, codeWidth);
  out.push(c.dim(`  ${row(['step', 'line', 'live', 'Δ', 'gc'], widths)}  code`));
  for (const e of narration.events) {
    const [first, ...rest] = codeRows(e.code);
    const cells = row([String(e.step), String(e.lineno), String(e.liveObjects), e.delta ? signed(e.delta) : '·', e.collected ? String(e.collected) : ''], widths);
    out.push(`  ${e.collected ? c.magenta(cells) : cells}  ${c.yellow(first ?? '')}`.trimEnd());
    const pad = ' '.repeat(2 + widths.reduce((a, b) => a + b + 2, 0));
    for (const r of rest) out.push(`${pad}${paintRow(r, c.yellow, c)}`);
    if (e.counts.length > 0) out.push(...wrap(`counts: ${e.counts.join(', ')}`, Math.max(20, columns - pad.length)).map((l) => `${pad}${c.cyan(l)}`));
    out.push(...printedLines(e.printed, 'out›', c, columns));
  }
  if (narration.totalEvents > narration.events.length) {
    out.push(
      c.dim(`  … ${(narration.totalEvents - narration.events.length).toLocaleString('en')} more line events; by line:`),
      '',
      c.dim(`  ${row(['line', 'runs', 'Δ', 'gc'], [5, 8, 8, 4])}  code`),
    );
    for (const l of narration.lines) {
      out.push(`  ${row([String(l.lineno), String(l.runs), signed(l.delta), l.collected ? String(l.collected) : ''], [5, 8, 8, 4])}  ${c.yellow(l.code)}`.trimEnd());
    }
  }
  // What was printed after the last row shown: by the later steps, or by finalizers at shutdown.
  const rest = narration.stdout.slice(narration.events.reduce((n, e) => n + e.printed.length, 0));
  if (rest) {
    if (narration.totalEvents > narration.events.length) out.push('', c.dim(`  printed after step ${narration.events.length}:`));
    out.push(...printedLines(rest, 'out›', c, columns));
  }
  out.push('', ...wrap(narration.summary, width).map((l) => `  ${l}`));
  if (narration.stderr) out.push('', ...printedLines(narration.stderr, 'err›', c, columns).map((l) => (narration.ok ? c.dim(l) : c.red(l))));
  out.push('');
  return out;
}
