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

function codeColumns(step: StepRecord, c: Colors, columns: number): string[] {
  const py = step.python.split('\n');
  const ts = step.typescript.split('\n');
  const left = Math.min(46, Math.max(8, ...py.map((l) => l.length)));
  const sideBySide = columns >= left + 50;
  if (!sideBySide) {
    return [
      c.dim('    Python'),
      ...py.map((l) => `    ${c.yellow(l)}`),
      c.dim('    TypeScript on refheap'),
      ...ts.map((l) => `    ${c.green(l)}`),
    ];
  }
  const out = [c.dim(`    ${'Python'.padEnd(left)}   TypeScript on refheap`)];
  for (let i = 0; i < Math.max(py.length, ts.length); i++) {
    const p = py[i] ?? '';
    const shown = p.length > left ? `${p.slice(0, left - 1)}…` : p.padEnd(left);
    out.push(`    ${c.yellow(shown)} ${c.dim('│')} ${c.green(ts[i] ?? '')}`);
  }
  return out;
}

export function renderStep(step: StepRecord, total: number, c: Colors, columns: number): string[] {
  const out = ['', c.bold(`  Step ${step.index + 1} of ${total}`), ...codeColumns(step, c, columns)];
  for (const line of step.printed) out.push(`    ${c.dim('out›')} ${line}`);
  for (const line of step.gcLog) out.push(`    ${c.dim(line)}`);
  const labelWidth = Math.min(44, Math.max(0, ...step.facts.map((f) => f.label.length)));
  for (const f of step.facts) {
    let check = '';
    if (f.matches === true) check = c.green(`✓ CPython 3.11: ${formatValue(f.cpython!)}`);
    if (f.matches === false) check = c.red(`✗ CPython 3.11: ${formatValue(f.cpython!)}`);
    out.push(`    ${c.cyan('»')} ${f.label.padEnd(labelWidth)}  ${c.bold(formatValue(f.value))}  ${check}`.trimEnd());
  }
  if (step.plot) out.push('', ...plotLines(step.plot, c).map((l) => `  ${l}`));
  for (const line of wrap(step.explanation, Math.max(40, Math.min(columns, 100) - 6))) out.push(`    ${line}`);
  return out;
}

export function renderHeader(record: Pick<ScenarioRecord, 'name' | 'title' | 'source'>, c: Colors, columns: number): string[] {
  const rule = '━'.repeat(Math.max(10, Math.min(columns, 100) - 4));
  return [c.cyan(`  ${rule}`), c.bold(`  ${record.title}`) + c.dim(`  (${record.name})`), c.dim(`  from: ${record.source}`)];
}

export function renderFooter(record: ScenarioRecord, c: Colors, columns: number): string[] {
  const out = ['', ...wrap(record.moral, Math.max(40, Math.min(columns, 100) - 4)).map((l) => `  ${c.italic(l)}`)];
  if (!record.ok) {
    out.push('', c.red(`  ✗ ${record.mismatches.length} number(s) differ from CPython 3.11:`));
    for (const m of record.mismatches) out.push(c.red(`    ${m}`));
  }
  out.push(c.dim(`  (${record.steps.length} steps, ${(record.durationMs / 1000).toFixed(2)} s)`), '');
  return out;
}
