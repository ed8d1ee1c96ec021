/**
 * Runs a scenario's program on @refheap/python and records what happened. The program runs
 * once, whole, as one module (so constants, frames and counts are those of `python3 file.py`);
 * a line hook watches the module's own frame, and when it is about to run a line past a step's
 * last line — or the program has ended — that step's facts are evaluated in `__main__`. The
 * record is plain data: the terminal renders it, `--json` prints it, the page shows a step's
 * narration and checks as its stepping passes the step's lastLine. No Node APIs: the page runs
 * this too.
 */
import { Python } from '@refheap/python';
import { formatValue } from './format.ts';
import { cpythonAnswers } from './narration/cpython-answers.ts';
import { observe } from './narration/observe.ts';
import { buildProgram } from './narration/program-text.ts';
import { type FactReader, type FactValue, type Plot, printedKey, type Scenario } from './scenario.ts';

export { scenarioProgram } from './narration/program-text.ts';

export interface Check {
  readonly key: string;
  readonly label: string;
  /** The Python expression that was evaluated. */
  readonly expr: string;
  readonly value: FactValue;
  /** What python3 (3.11) answered for the same expression at the same point, when CPython fixes it. */
  readonly cpython?: FactValue;
  /** Whether the value agrees with CPython's (true when there is nothing to compare), and the expression did not fail. */
  readonly ok: boolean;
  /** The expression raised this (`Type: message`) instead of giving a value. */
  readonly error?: string;
  readonly varies?: boolean;
}

export interface StepRun {
  readonly index: number;
  readonly title: string;
  /** 1-based lines of the step's code in scenarioProgram(s). */
  readonly firstLine: number;
  readonly lastLine: number;
  readonly code: string;
  /** What the program printed while this step ran (stdout), and on stderr (gc debug lines, ignored exceptions). */
  readonly printed: string;
  readonly printedErr: string;
  readonly narration: string;
  readonly checks: readonly Check[];
  readonly plot?: Plot;
}

export interface ScenarioRun {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly source: string;
  readonly moral: string;
  readonly program: string;
  /** The steps that ran to their end (all of them unless the program failed). */
  readonly steps: readonly StepRun[];
  /** Every fact of every step that ran, by key: what scripts reading `--json` look up. */
  readonly facts: Readonly<Record<string, FactValue>>;
  readonly stdout: string;
  readonly stderr: string;
  /** The program's uncaught exception (`Type: message`), or null. */
  readonly error: string | null;
  /** Every check agreed with CPython and the program ran to its end. */
  readonly ok: boolean;
  readonly mismatches: readonly string[];
  readonly durationMs: number;
}

export interface RunScenarioOptions {
  /** Statements the program may run (the page's budget); unlimited unless told. */
  readonly stepLimit?: number;
  /** Hears of each step as its facts are in (the terminal prints as it goes). */
  readonly onStep?: (step: StepRun) => void;
}

const same = (a: FactValue, b: FactValue): boolean => JSON.stringify(a) === JSON.stringify(b);

export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioRun {
  const started = performance.now();
  const program = buildProgram(scenario);
  const answers = cpythonAnswers[scenario.name] ?? {};
  let stdout = '';
  let stderr = '';
  let stepOut = 0;
  let stepErr = 0;
  const py = new Python({
    stepLimit: options.stepLimit,
    onStdout: (text) => void (stdout += text),
    onStderr: (text) => void (stderr += text),
  });
  const steps: StepRun[] = [];

  const finishStep = (index: number): void => {
    const spec = scenario.steps[index]!;
    const lines = program.steps[index]!;
    const printed = stdout.slice(stepOut);
    const printedErr = stderr.slice(stepErr);
    const checks: Check[] = spec.facts.map((f) => {
      const { value, error } = observe(py, f.expr);
      const cpython = f.cpython ? answers[f.key] : undefined;
      const ok = error === null && (!f.cpython || (cpython !== undefined && same(value, cpython)));
      return {
        key: f.key,
        label: f.label,
        expr: f.expr,
        value,
        ...(cpython !== undefined ? { cpython } : {}),
        ok,
        ...(error !== null ? { error } : {}),
        ...(f.varies ? { varies: true } : {}),
      };
    });
    if (spec.checkPrinted) {
      const key = printedKey(index + 1);
      const cpython = answers[key];
      checks.unshift({ key, label: 'what it printed', expr: '(what the step printed)', value: printed, ...(cpython !== undefined ? { cpython } : {}), ok: cpython !== undefined && same(printed, cpython) });
    }
    // What the facts' own evaluation printed (nothing, normally) is not the step's.
    stepOut = stdout.length;
    stepErr = stderr.length;
    const byKey = new Map(checks.map((c) => [c.key, c.value]));
    const raw = (key: string): FactValue => {
      if (!byKey.has(key)) throw new Error(`${scenario.name} step ${index + 1} explains with a fact it does not observe: ${key}`);
      return byKey.get(key)!;
    };
    const read: FactReader = Object.assign((key: string) => formatValue(raw(key)), { raw });
    const plot: Plot | undefined = spec.plot && {
      title: spec.plot.title,
      unit: spec.plot.unit,
      series: spec.plot.series.map((s) => ({ name: s.name, points: (raw(s.fact) as number[]).map(Number) })),
    };
    const failed = checks.find((c) => c.error !== undefined);
    const record: StepRun = {
      index,
      title: spec.title,
      firstLine: lines.firstLine,
      lastLine: lines.lastLine,
      code: spec.code,
      printed,
      printedErr,
      narration: failed ? `(${failed.expr} raised ${failed.error})` : spec.explain(read),
      checks,
      ...(plot ? { plot } : {}),
    };
    steps.push(record);
    options.onStep?.(record);
  };

  let next = 0;
  py.setLineHook((frame, lineno) => {
    if (frame.code.name !== '<module>' || frame.code.filename !== program.filename) return;
    while (next < program.steps.length && lineno > program.steps[next]!.lastLine) finishStep(next++);
  });
  const result = py.run(program.source, { filename: program.filename });
  if (result.error === null) while (next < program.steps.length) finishStep(next++);
  py.setLineHook(null);

  const mismatches: string[] = [];
  for (const step of steps) {
    for (const c of step.checks) {
      if (c.error !== undefined) mismatches.push(`${c.label}: raised ${c.error}`);
      else if (!c.ok && c.cpython === undefined) mismatches.push(`${c.label}: no CPython answer recorded (run the recorder)`);
      else if (!c.ok) mismatches.push(`${c.label}: refheap ${formatValue(c.value)}, CPython ${formatValue(c.cpython!)}`);
    }
  }
  if (result.error !== null) mismatches.push(`the program stopped: ${result.error}`);
  const facts = Object.fromEntries(steps.flatMap((s) => s.checks.map((c) => [c.key, c.value] as const)));
  return {
    name: scenario.name,
    title: scenario.title,
    summary: scenario.summary,
    source: scenario.source,
    moral: scenario.moral,
    program: program.source,
    steps,
    facts,
    stdout,
    stderr,
    error: result.error,
    ok: mismatches.length === 0,
    mismatches,
    durationMs: performance.now() - started,
  };
}
