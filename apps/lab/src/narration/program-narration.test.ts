/**
 * A learner's program narrated from its trace: each line event's change in objects and the
 * collections in it, a per-line summary that adds up, the closing paragraph written from the
 * numbers, and a stopped or failing program said so.
 */
import { describe, expect, it } from 'vitest';
import { traceProgram } from '../program/index.ts';
import { nameCountsAfter } from './name-counts.ts';
import { narrateProgram } from './program-narration.ts';

const narrate = (source: string, limit?: number, stepLimit = 100_000) =>
  narrateProgram(source, 'p.py', traceProgram(source, { filename: 'p.py', stepLimit }), {
    ...(limit === undefined ? {} : { eventLimit: limit }),
    names: nameCountsAfter(source, 'p.py', limit ?? 200),
  });

describe('narrateProgram', () => {
  it('gives each line event its change in objects, the collections in it and what it printed', () => {
    const n = narrate('import gc\na = [1]\nb = [a]\na.append(b)\ndel a, b\nprint(gc.collect())\n');
    expect(n.events.map((e) => e.code)).toEqual(['import gc', 'a = [1]', 'b = [a]', 'a.append(b)', 'del a, b', 'print(gc.collect())']);
    expect(n.events.slice(1).map((e) => [e.delta, e.collected])).toEqual([[1, 0], [1, 0], [0, 0], [0, 0], [-2, 1]]);
    expect(n.events.at(-1)!.printed).toBe('2\n');
    expect(n.events[1]!.text).toMatch(/^line 2: 1 more object, \d+ live objects; counts: a 1 \(new\)\.$/);
    expect(n.events.slice(2).map((e) => e.counts)).toEqual([['a 1 → 2', 'b 1 (new)'], ['b 1 → 2'], ['a deleted', 'b deleted'], []]);
    expect(n.summary).toContain('The collector ran 1 time');
    expect(n.ok).toBe(true);
  });

  it('sums a loop per line and keeps only the first events', () => {
    const n = narrate('keep = []\nfor i in range(200):\n    keep.append([i])\n', 50);
    expect(n.events).toHaveLength(50);
    expect(n.totalEvents).toBeGreaterThan(200);
    const body = n.lines.find((l) => l.lineno === 3)!;
    expect(body.runs).toBe(200);
    // A list per run (small ints are shared); the loop's iterator, freed as the loop ends, is
    // counted against the body's last run, the step that was running then.
    expect(body.delta).toBe(199);
    expect(n.summary).toContain('Line 3 added the most: 199 objects over 200 runs');
  });

  it('says when the program raised or was stopped at its budget', () => {
    const raised = narrate('x = []\nx[1]\n');
    expect(raised.ok).toBe(false);
    expect(raised.summary).toContain('It ended with IndexError: list index out of range.');
    const looped = narrate('while True:\n    pass\n', 10, 500);
    expect(looped.stoppedBy).toBe('step budget');
    expect(looped.summary).toContain('stopped at its step budget');
  });
});
