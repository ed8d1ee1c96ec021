/**
 * A scenario opened as Python: its lesson beside the editor. Each step of the lesson covers a
 * range of the program's lines; once stepping has passed the last of them (the program is about
 * to run a later line of the module, or has ended), the step's narration and its CPython 3.11
 * checks (✓/✗) appear, as runScenario recorded them for the same program.
 */
import { formatValue } from '../src/format.ts';
import type { ProgramTrace } from '../src/program/index.ts';
import type { ScenarioRun } from '../src/runner.ts';
import { $, el } from './dom.ts';
import type { ScenarioStepShown } from './hook.ts';

/** For each lesson step, the program step after which it is complete. */
export function completionSteps(run: ScenarioRun, trace: ProgramTrace): number[] {
  return run.steps.map((lesson) => {
    const next = trace.steps.find((s) => s.functionName === '<module>' && s.lineno > lesson.lastLine);
    return next ? next.step - 1 : trace.steps.length;
  });
}

export function showScenario(run: ScenarioRun | null, done: readonly number[], current: number): ScenarioStepShown[] {
  const panel = $('scenario');
  panel.hidden = run === null;
  if (!run) return [];
  const shown: ScenarioStepShown[] = [];
  const items = run.steps.map((lesson, i) => {
    const reached = current >= done[i]!;
    shown.push({ title: lesson.title, lastLine: lesson.lastLine, reached, checks: reached ? lesson.checks.map((c) => ({ key: c.key, ok: c.ok })) : [] });
    const item = el('li', '', reached ? 'reached' : 'ahead');
    item.append(el('strong', lesson.title), el('span', ` lines ${lesson.firstLine}–${lesson.lastLine}`, 'muted'));
    if (!reached) return item;
    item.append(el('p', lesson.narration, 'narration'));
    if (lesson.checks.length > 0) {
      const table = el('table', '', 'facts');
      for (const check of lesson.checks) {
        const row = el('tr');
        row.append(el('th', check.label), el('td', check.error ?? formatValue(check.value), 'value'));
        const verdict =
          check.cpython === undefined ? (check.ok ? '' : '✗ failed') : check.ok ? `✓ as CPython 3.11: ${formatValue(check.cpython)}` : `✗ CPython 3.11 gives ${formatValue(check.cpython)}`;
        row.append(el('td', verdict, check.ok ? 'ok' : 'bad'));
        table.append(row);
      }
      item.append(table);
    }
    return item;
  });
  $('scenario-steps').replaceChildren(...items);
  if (done.every((d) => current >= d)) $('scenario-steps').append(el('li', run.moral, 'moral'));
  return shown;
}
