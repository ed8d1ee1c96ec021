/**
 * Every scenario, run for real on refheap-python and under python3 (3.11, the judge): the
 * program runs to its end on both, every checked fact agrees with what python3 answers now
 * (not a belief written down: cpython-answers.ts must equal python3's fresh answers), and the
 * program the learner reads is the one that ran, step by step.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { askCpython, checkedAnswers } from '../narration/cpython.ts';
import { cpythonAnswers } from '../narration/cpython-answers.ts';
import { buildProgram } from '../narration/program-text.ts';
import { renderAnswers } from '../narration/render-answers.ts';
import { scenarios } from '../registry.ts';
import { runScenario } from '../runner.ts';

describe.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, scenario) => {
  it('runs on refheap-python to its end, every check agreeing with CPython 3.11', () => {
    const run = runScenario(scenario);
    expect(run.error).toBeNull();
    expect(run.mismatches).toEqual([]);
    expect(run.steps).toHaveLength(scenario.steps.length);
    for (const step of run.steps) expect(step.narration.length).toBeGreaterThan(20);
    expect(run.steps.flatMap((s) => s.checks).filter((c) => c.cpython !== undefined).length).toBeGreaterThan(0);
  });

  it("records python3's current answers for its checked facts", () => {
    const answer = askCpython(scenario);
    expect(answer.error).toBeNull();
    expect(answer.errors).toEqual({});
    const checked = checkedAnswers(scenario, answer);
    // Every fact marked `cpython` got an answer, and the recording is python3's, not stale.
    const marked = scenario.steps.flatMap((step, i) => [
      ...(step.checkPrinted ? [`printed.${i + 1}`] : []),
      ...step.facts.filter((f) => f.cpython).map((f) => f.key),
    ]);
    expect(Object.keys(checked).sort()).toEqual([...marked].sort());
    expect(cpythonAnswers[scenario.name]).toEqual(checked);
  });

  it('is one program whose steps are its lines, runnable as it is under python3', () => {
    const program = buildProgram(scenario);
    const lines = program.source.split('\n');
    scenario.steps.forEach((step, i) => {
      const { firstLine, lastLine } = program.steps[i]!;
      expect(lines.slice(firstLine - 1, lastLine).join('\n')).toBe(step.code);
    });
    const keys = scenario.steps.flatMap((s) => s.facts.map((f) => f.key));
    expect(new Set(keys).size).toBe(keys.length);
    const dir = mkdtempSync(join(tmpdir(), 'lab-program-'));
    try {
      writeFileSync(join(dir, program.filename), program.source);
      const ran = spawnSync('python3', [program.filename], { cwd: dir, encoding: 'utf8' });
      expect(ran.stderr).toBe('');
      expect(ran.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('cpython-answers.ts is in the form the recorder writes, one entry per scenario', () => {
  const text = readFileSync(fileURLToPath(new URL('../narration/cpython-answers.ts', import.meta.url)), 'utf8');
  expect(text).toBe(renderAnswers(cpythonAnswers));
  expect(Object.keys(cpythonAnswers)).toEqual(scenarios.map((s) => s.name));
});
