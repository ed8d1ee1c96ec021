/**
 * How the runner observes a scenario's program: each step's facts are read after its last line
 * and before the next step's first, in the module's own namespace; what a step printed is its
 * own; a fact that raises, a program that raises and a step budget are reported, not hidden.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from './runner.ts';
import { fact, type Scenario, type Step } from './scenario.ts';

const step = (code: string, facts: Step['facts'], title = 'a step'): Step => ({
  title,
  code,
  facts,
  explain: (f) => facts.map((x) => `${x.key}=${f(x.key)}`).join(' '),
});

const scenario = (steps: Step[]): Scenario => ({
  name: 'probe',
  title: 'A probe',
  summary: 'the runner, observed',
  source: 'the tests',
  drawable: true,
  moral: 'none',
  steps,
});

describe('runScenario', () => {
  it("reads each step's facts between its last line and the next step's first", () => {
    const run = runScenario(
      scenario([
        step('import sys\na = []\nprint("one")', [fact('count', 'sys.getrefcount(a)')]),
        step('b = a\nprint("two")', [fact('count.b', 'sys.getrefcount(a)'), fact('has.c', '"c" in globals()')]),
        step('c = [a]\ndel b', [fact('count.c', 'sys.getrefcount(a)')]),
      ]),
    );
    expect(run.error).toBeNull();
    expect(run.steps.map((s) => s.checks.map((c) => c.value))).toEqual([[2], [3, false], [3]]);
    expect(run.steps.map((s) => s.printed)).toEqual(['one\n', 'two\n', '']);
    expect(run.steps[1]!.narration).toBe('count.b=3 has.c=False');
    expect(run.facts).toEqual({ count: 2, 'count.b': 3, 'has.c': false, 'count.c': 3 });
    expect(run.steps.map((s) => [s.firstLine, s.lastLine])).toEqual([[5, 7], [10, 11], [14, 15]]);
    expect(run.program.split('\n')[9]).toBe('b = a');
  });

  it('observes a step that ends inside a loop or a function only when the module moves on', () => {
    const run = runScenario(
      scenario([
        step('def make(n):\n    return [[] for _ in range(n)]\n\nkeep = []\nfor i in range(3):\n    keep.append(make(i))', [
          fact('sizes', '[len(k) for k in keep]'),
        ]),
        step('total = sum(len(k) for k in keep)', [fact('total', 'total')]),
      ]),
    );
    expect(run.facts).toEqual({ sizes: [0, 1, 2], total: 3 });
  });

  it('reports a fact that raises as a failed check, and a program that raises as an error, keeping the steps before it', () => {
    const run = runScenario(
      scenario([
        step('x = 1', [fact('missing', 'y')]),
        step('z = [][1]', [fact('never', 'z')]),
      ]),
    );
    expect(run.steps).toHaveLength(1);
    expect(run.steps[0]!.checks[0]).toMatchObject({ ok: false, error: "NameError: name 'y' is not defined" });
    expect(run.error).toBe('IndexError: list index out of range');
    expect(run.ok).toBe(false);
    expect(run.mismatches).toEqual(["y: raised NameError: name 'y' is not defined", 'the program stopped: IndexError: list index out of range']);
  });

  it('stops an endless loop at the step budget', () => {
    const run = runScenario(scenario([step('n = 0', [fact('n', 'n')]), step('while True:\n    n += 1', [])]), { stepLimit: 1000 });
    expect(run.steps).toHaveLength(1);
    expect(run.error).toMatch(/step budget of 1000 statements/);
  });

  it('a fact marked cpython without a recorded answer is not taken as agreeing', () => {
    const run = runScenario(scenario([step('a = 1', [fact('a', 'a', { cpython: true })])]));
    expect(run.steps[0]!.checks[0]!.ok).toBe(false);
    expect(run.mismatches).toEqual(['a: no CPython answer recorded (run the recorder)']);
  });
});
