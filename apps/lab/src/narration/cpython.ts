/**
 * Asks python3 (3.11, the judge) what a scenario's facts are: evaluates the same expressions at
 * the same points of the same program as the
 * lab's runner — the program itself runs as `python3 file.py`, the observing done by
 * cpython-site/sitecustomize.py. Node only (the recorder and the tests use it; the page reads the recorded
 * answers).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FactValue, printedKey, type Scenario } from '../scenario.ts';
import { buildProgram } from './program-text.ts';

const SITE = fileURLToPath(new URL('./cpython-site/', import.meta.url));

export interface CpythonAnswer {
  /** Every fact's value, by key (all facts, not only the checked ones), and each step's output as `printed.<n>`. */
  readonly answers: Readonly<Record<string, FactValue>>;
  /** Facts whose expression raised under python3. */
  readonly errors: Readonly<Record<string, string>>;
  /** The program's uncaught exception under python3, or null. */
  readonly error: string | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function askCpython(scenario: Scenario): CpythonAnswer {
  const program = buildProgram(scenario);
  const dir = mkdtempSync(join(tmpdir(), 'lab-cpython-'));
  try {
    const file = join(dir, program.filename);
    writeFileSync(file, program.source);
    const spec = {
      program: file,
      lastLines: program.steps.map((s) => s.lastLine),
      facts: scenario.steps.map((step) => step.facts.map((f) => ({ key: f.key, expr: f.expr }))),
    };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const out = join(dir, 'answers.json');
    const env = { ...process.env, PYTHONPATH: SITE, LAB_FACTS_SPEC: join(dir, 'spec.json'), LAB_FACTS_OUT: out };
    const ran = spawnSync('python3', [file], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (ran.error || !existsSync(out)) throw new Error(`python3 failed on ${scenario.name}: ${ran.stderr || ran.error?.message}`);
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as Omit<CpythonAnswer, 'stdout' | 'stderr'>;
    return { ...parsed, stdout: ran.stdout, stderr: ran.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The answers the lab records: only the facts marked `cpython`, by scenario then key. */
export function checkedAnswers(scenario: Scenario, answer: CpythonAnswer): Record<string, FactValue> {
  const checked: Record<string, FactValue> = {};
  scenario.steps.forEach((step, i) => {
    const key = printedKey(i + 1);
    if (step.checkPrinted && key in answer.answers) checked[key] = answer.answers[key]!;
    for (const f of step.facts) if (f.cpython && f.key in answer.answers) checked[f.key] = answer.answers[f.key]!;
  });
  return checked;
}
