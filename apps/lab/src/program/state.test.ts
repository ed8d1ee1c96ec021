import { describe, expect, it } from 'vitest';
import { stateAt, statesAt } from './state.ts';
import { traceProgram } from './trace.ts';

const PROGRAM = `class Node:
    def __init__(self, name):
        self.name = name

def pair():
    a = Node("a")
    b = Node("b")
    a.other = b
    b.other = a
    return a

first = pair()
print(hex(id(first)))
del first
import gc
print(gc.collect())
`;

const nodes = (state: ReturnType<typeof stateAt>) => state.graph.nodes.filter((n) => n.type === 'Node');

const WITH_AND_EXCEPT = `from contextlib import contextmanager

@contextmanager
def opened(name):
    print("open", name)
    try:
        yield name
    finally:
        print("close", name)

with opened("a") as n:
    x = [n]
try:
    y = 1
except BaseException:
    y = 2
print(x, y)
`;

describe('stateAt', () => {
  it('agrees with the trace at every step, through a context manager and a try that catches everything', () => {
    const trace = traceProgram(WITH_AND_EXCEPT);
    expect(trace.stdout).toBe("open a\nclose a\n['a'] 1\n");
    const states = statesAt(WITH_AND_EXCEPT, trace.steps.map((s) => s.step));
    expect(states.map((s) => s.lineno)).toEqual(trace.steps.map((s) => s.lineno));
    expect(states.map((s) => s.stdout)).toEqual(trace.steps.map((s) => trace.stdout.slice(0, s.stdoutLength)));
    // A replay stopped inside `try: … except BaseException` is stopped, not caught.
    const inTry = trace.steps.find((s) => s.lineno === 14)!.step;
    expect(stateAt(WITH_AND_EXCEPT, inTry)).toMatchObject({ lineno: 14, finished: false, stdout: 'open a\nclose a\n' });
    const names = (step: number) => stateAt(WITH_AND_EXCEPT, step).graph.roots[0]!.names.map((n) => n.name);
    expect(names(inTry - 1)).not.toContain('y');
    expect(names(inTry)).toContain('y');
  });

  it('is before the first line at step 0', () => {
    const state = stateAt(PROGRAM, 0);
    expect(state).toMatchObject({ step: 0, lineno: null, stdout: '', finished: false, error: null });
    expect(state.frames).toEqual([{ name: '<module>', lineno: 1 }]);
  });

  it('answers the line each step ran, the frames running after it, and the output so far', () => {
    const trace = traceProgram(PROGRAM);
    for (const record of trace.steps) {
      const state = stateAt(PROGRAM, record.step);
      expect(state.lineno).toBe(record.lineno);
      expect(state.stdout).toBe(trace.stdout.slice(0, record.stdoutLength));
    }
    // After `a.other = b` in pair(), the next line of pair() is about to run.
    const inside = stateAt(PROGRAM, trace.steps.find((s) => s.lineno === 8)!.step);
    expect(inside.frames.map((f) => f.name)).toEqual(['<module>', 'pair']);
    expect(inside.graph.roots.map((r) => r.kind)).toEqual(['globals', 'frame']);
    expect(nodes(inside)).toHaveLength(2);
  });

  it('shows the cycle unreachable after del, and gone after gc.collect()', () => {
    const trace = traceProgram(PROGRAM);
    const afterDel = trace.steps.find((s) => s.lineno === 14)!.step;
    const held = stateAt(PROGRAM, afterDel);
    expect(nodes(held).map((n) => [n.refcount, n.unreachable])).toEqual([
      [1, true],
      [1, true],
    ]);
    const end = stateAt(PROGRAM, trace.steps.length);
    expect(end.finished).toBe(true);
    expect(end.frames).toEqual([]);
    expect(nodes(end)).toEqual([]);
    expect(end.stdout).toMatch(/^0x[0-9a-f]+\n2\n$/); // as python3 prints it: 3.11's instance dicts are not objects yet
  });

  it('replays deterministically: the same state, ids included, however often and in whatever order', () => {
    const total = traceProgram(PROGRAM).steps.length;
    const forward = Array.from({ length: total + 1 }, (_, step) => stateAt(PROGRAM, step));
    const backward = Array.from({ length: total + 1 }, (_, i) => stateAt(PROGRAM, total - i)).reverse();
    expect(backward).toEqual(forward);
    expect(statesAt(PROGRAM, [5, 2, 9, 2])).toEqual([forward[2], forward[5], forward[9]]);
    const ids = forward.flatMap((s) => nodes(s).map((n) => n.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(forward.at(-1)!.stdout).toContain(ids[0]!);
  });

  it('clamps a step past the end to the end', () => {
    const total = traceProgram(PROGRAM).steps.length;
    expect(stateAt(PROGRAM, total + 50)).toEqual(stateAt(PROGRAM, total));
  });

  it('ends an endless loop at the step budget, the heap still drawn', () => {
    const source = 'items = []\nwhile True:\n    items.append(len(items))\n';
    const state = stateAt(source, 10_000, { stepLimit: 300 });
    expect(state).toMatchObject({ step: 300, finished: true, stoppedBy: 'step budget' });
    expect(state.error).toMatch(/step budget of 300 statements/);
    expect(state.graph.roots[0]!.names.map((n) => n.name)).toContain('items');
    // Short of the budget, the loop is simply running.
    expect(stateAt(source, 299, { stepLimit: 300 })).toMatchObject({ step: 299, finished: false, stoppedBy: null });
  });

  it('ends at an uncaught exception with the traceback', () => {
    const state = stateAt('x = [1]\ny = x[3]\n', 5);
    expect(state).toMatchObject({ step: 2, finished: true, stoppedBy: 'error', error: 'IndexError: list index out of range' });
    expect(state.stderr).toContain('line 2, in <module>');
  });

  it('follows the collector option', () => {
    expect(stateAt('x = 1\n', 1, { gcEnabled: false }).graph.gc.enabled).toBe(false);
    expect(stateAt('x = 1\n', 1).graph.gc.enabled).toBe(true);
  });
});
