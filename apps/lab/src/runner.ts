/**
 * Runs a scenario from start to end and records what happened: for each step
 * the code, what it printed, the facts it observed (checked against CPython's
 * numbers where the scenario promises them) and the narration. The record is
 * plain data — the terminal renders it, `--json` prints it, tests assert on it.
 */
import { formatValue } from './format.ts';
import type { Fact, FactReader, FactValue, Plot, Scenario, Step } from './scenario.ts';
import { Session, type SessionOptions } from './session.ts';

export interface StepRecord {
  readonly index: number;
  readonly python: string;
  readonly typescript: string;
  readonly printed: readonly string[];
  readonly gcLog: readonly string[];
  readonly facts: readonly (Fact & { readonly matches?: boolean })[];
  readonly explanation: string;
  readonly plot?: Plot;
}

export interface ScenarioRecord {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly source: string;
  readonly steps: readonly StepRecord[];
  /** Every fact of every step, by key (a later step's fact of the same key wins). */
  readonly facts: Readonly<Record<string, FactValue>>;
  readonly moral: string;
  /** Whether every fact with a CPython value matched it. */
  readonly ok: boolean;
  readonly mismatches: readonly string[];
  readonly durationMs: number;
}

/** Runs one step in a session and records it. */
export function runStep(session: Session, step: Step, index: number): StepRecord {
  session.printed = [];
  session.gcLog = [];
  const outcome = step.run(session) ?? {};
  const facts = (outcome.facts ?? []).map((f) =>
    f.cpython === undefined ? f : { ...f, matches: JSON.stringify(f.value) === JSON.stringify(f.cpython) },
  );
  const byKey = new Map(facts.map((f) => [f.key, f.value]));
  const raw = (key: string): FactValue => {
    if (!byKey.has(key)) throw new Error(`step ${index + 1} explains with a fact it did not record: ${key}`);
    return byKey.get(key)!;
  };
  const read: FactReader = Object.assign((key: string) => formatValue(raw(key)), { raw });
  return {
    index,
    python: step.python,
    typescript: step.typescript,
    printed: session.printed,
    gcLog: session.gcLog,
    facts,
    explanation: step.explain(read),
    ...(outcome.plot ? { plot: outcome.plot } : {}),
  };
}

export function sessionOptionsFor(scenario: Scenario): SessionOptions {
  return {
    gcEnabled: scenario.session?.gcEnabled ?? true,
    finalizers: scenario.session?.finalizers ?? 'pep442',
  };
}

/** Runs every step of `scenario` in a fresh session; `onStep` hears of each as it finishes. */
export function runScenario(
  scenario: Scenario,
  options: Omit<SessionOptions, 'gcEnabled' | 'finalizers'> = {},
  onStep?: (record: StepRecord) => void,
): ScenarioRecord {
  const session = new Session({ ...sessionOptionsFor(scenario), ...options });
  const started = session.platform.now();
  const steps: StepRecord[] = [];
  try {
    scenario.steps().forEach((step, index) => {
      const record = runStep(session, step, index);
      steps.push(record);
      onStep?.(record);
    });
  } finally {
    session.close();
  }
  const facts: Record<string, FactValue> = {};
  const mismatches: string[] = [];
  for (const record of steps) {
    for (const f of record.facts) {
      facts[f.key] = f.value;
      if (f.matches === false) mismatches.push(`${f.label}: refheap ${JSON.stringify(f.value)}, CPython ${JSON.stringify(f.cpython)}`);
    }
  }
  return {
    name: scenario.name,
    title: scenario.title,
    summary: scenario.summary,
    source: scenario.source,
    steps,
    facts,
    moral: scenario.moral,
    ok: mismatches.length === 0,
    mismatches,
    durationMs: session.platform.now() - started,
  };
}
