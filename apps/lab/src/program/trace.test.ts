import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { traceProgram } from './trace.ts';

function python3(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lab-trace-'));
  const file = join(dir, 'program.py');
  writeFileSync(file, source);
  return execFileSync('python3', [file], { encoding: 'utf8' });
}

describe('traceProgram', () => {
  it('records one step per line event, with the line and the function that ran it', () => {
    const source = 'def f(x):\n    y = [x]\n    return y\n\na = f(1)\nprint(len(a))\n';
    const trace = traceProgram(source);
    expect(trace.steps.map((s) => [s.lineno, s.functionName])).toEqual([
      [1, '<module>'],
      [5, '<module>'],
      [2, 'f'],
      [3, 'f'],
      [6, '<module>'],
    ]);
    expect(trace.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5]);
    expect(trace.stdout).toBe(python3(source));
    expect(trace.error).toBeNull();
    expect(trace.stoppedBy).toBe('end');
  });

  it('counts the program\'s own live objects, not the interpreter\'s', () => {
    const trace = traceProgram('a = []\nb = [a, a]\ndel a, b\nx = 1\n');
    expect(trace.baseline).toBeGreaterThan(500);
    const live = trace.steps.map((s) => s.liveObjects);
    // Two lists appear, then both go; what stays is the program's own code and constants.
    expect(live[1]! - live[0]!).toBe(1);
    expect(live[2]! - live[0]!).toBe(-1);
    expect(live[0]!).toBeLessThan(40);
    expect(trace.steps.every((s) => s.heapBytes > 0)).toBe(true);
  });

  it('steps only through the program\'s own lines, and leaves the modules it imports out of its counts', () => {
    const source = 'import sys\nimport weakref\nfrom contextlib import contextmanager\nx = [1]\n';
    const trace = traceProgram(source);
    // contextlib is Python source run by the interpreter: its lines are not the learner's steps.
    expect(trace.steps.map((s) => s.lineno)).toEqual([1, 2, 3, 4]);
    const live = trace.steps.map((s) => s.liveObjects);
    expect(live.slice(0, 3)).toEqual([live[0], live[0], live[0]]);
    expect(live[3]! - live[2]!).toBe(1); // the list; its 1 is a small int the interpreter keeps
    expect(trace.steps[3]!.programBytes).toBeGreaterThan(trace.steps[2]!.programBytes);
    expect(trace.steps[2]!.heapBytes - trace.steps[2]!.programBytes).toBeGreaterThan(trace.baselineBytes);
  });

  it('counts collections cumulatively and output as it grows', () => {
    const trace = traceProgram('import gc\nprint("a")\ngc.collect()\nprint("bb")\ngc.collect()\n');
    expect(trace.steps.map((s) => s.collections)).toEqual([0, 0, 1, 1, 2]);
    expect(trace.steps.map((s) => s.stdoutLength)).toEqual([0, 2, 2, 5, 5]);
  });

  it('sees automatic collections, and none with the collector disabled', () => {
    const source = 'keep = []\nfor i in range(800):\n    keep.append([i])\n';
    expect(traceProgram(source).steps.at(-1)!.collections).toBeGreaterThan(0);
    expect(traceProgram(source, { gcEnabled: false }).steps.at(-1)!.collections).toBe(0);
  });

  it('stops an endless loop at the step budget and says so', () => {
    const trace = traceProgram('n = 0\nwhile True:\n    n += 1\n', { stepLimit: 500 });
    expect(trace.stoppedBy).toBe('step budget');
    expect(trace.steps).toHaveLength(500);
    expect(trace.error).toMatch(/step budget of 500 statements/);
  });

  it('ends at an uncaught exception with its traceback, as python3 prints it', () => {
    const source = 'def f():\n    return 1 / 0\n\nprint("before")\nf()\n';
    const trace = traceProgram(source);
    expect(trace.stoppedBy).toBe('error');
    expect(trace.error).toBe('ZeroDivisionError: division by zero');
    expect(trace.stderr).toContain('File "program.py", line 2, in f');
    expect(trace.stdout).toBe('before\n');
  });

  it('answers a syntax error with no steps', () => {
    const trace = traceProgram('x = (\n');
    expect(trace.steps).toEqual([]);
    expect(trace.stoppedBy).toBe('error');
    expect(trace.error).toMatch(/^SyntaxError/);
  });

  it('prints what finalizers print at exit, as python3 does', () => {
    const source = 'class A:\n    def __del__(self):\n        print("bye")\n\na = A()\nprint("end")\n';
    expect(traceProgram(source).stdout).toBe(python3(source));
  });

  it('gives the same ids on every run of a program', () => {
    const source = 'a = [1]\nb = {"k": a}\nprint(hex(id(a)), hex(id(b)))\n';
    const first = traceProgram(source).stdout;
    expect(first).toMatch(/^0x[0-9a-f]+ 0x[0-9a-f]+\n$/);
    for (let i = 0; i < 3; i++) expect(traceProgram(source).stdout).toBe(first);
  });
});
