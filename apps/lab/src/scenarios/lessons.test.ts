/**
 * The lesson texts that used to say more than the code did: each narration now follows the
 * facts its run observed (the values themselves are checked against python3 in
 * scenarios.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { formatValue } from '../format.ts';
import { runScenario, type ScenarioRun } from '../runner.ts';
import type { FactReader, FactValue } from '../scenario.ts';
import { leakyCache } from './leaky-cache.ts';
import { refcount } from './refcount.ts';
import { resourcePool } from './resource-pool.ts';
import { thresholds } from './thresholds.ts';

const value = (run: ScenarioRun, key: string): FactValue => {
  const check = run.steps.flatMap((s) => s.checks).find((c) => c.key === key);
  if (!check) throw new Error(`no fact ${key}`);
  return check.value;
};

function reader(facts: Record<string, FactValue>): FactReader {
  const raw = (key: string): FactValue => facts[key]!;
  return Object.assign((key: string) => formatValue(raw(key)), { raw });
}

describe('refcount: 257 twice in a file', () => {
  it('is one constant, so x is y, and the narration says why the REPL differs', () => {
    const run = runScenario(refcount);
    expect(value(run, 'big.int.same')).toBe(true);
    const step = run.steps.at(-1)!;
    expect(step.printed).toBe('True\n');
    expect(step.narration).toContain('x is y is True');
    expect(step.narration).toMatch(/REPL.*False/);
  });
});

describe('thresholds: why generation 2 did not run', () => {
  const step3 = thresholds.steps[2]!;
  it('blames the threshold when generation 1 was collected too few times', () => {
    const run = runScenario(thresholds);
    const count = value(run, 'count.20000') as number[];
    expect(count[2]).toBeLessThanOrEqual(10);
    const text = run.steps[2]!.narration;
    expect(text).toContain(`only ${count[2]} times`);
    expect(text).toContain('threshold of 10');
    expect(text).not.toContain('quarter');
  });

  it('names the quarter rule only when the threshold was passed', () => {
    const text = step3.explain(reader({ 'ran.20000': [26, 2, 0], 'count.20000': [12, 3, 12], 'threshold.20000': [700, 10, 10] }));
    expect(text).toContain('quarter');
    const ran = step3.explain(reader({ 'ran.20000': [26, 2, 1], 'count.20000': [12, 3, 0], 'threshold.20000': [700, 10, 10] }));
    expect(ran).toContain('1 of generation 2');
  });
});

describe('resource-pool: the megabyte', () => {
  it('is a bytearray made at run time, held inside the block and freed by close()', () => {
    const run = runScenario(resourcePool);
    expect(value(run, 'mb.inside')).toBe(1);
    expect(value(run, 'mb.module')).toBe(0);
    expect(value(run, 'closed.module')).toBe(true);
    expect(value(run, 'active.module')).toBe(1);
    expect(resourcePool.steps[0]!.code).toContain('bytearray(1024 * 1024)');
  });
});

describe('leaky-cache: the holders', () => {
  it('are the class cache list, a dict and the class itself, all real objects', () => {
    const run = runScenario(leakyCache);
    expect(value(run, 'is.cache')).toBe(true);
    expect(value(run, 'owners')).toEqual(['LeakyContainer']);
  });
});
