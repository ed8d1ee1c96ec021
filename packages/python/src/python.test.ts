/**
 * The embedding API: output gathered per run, the interpreter reusable after any error, ids
 * that repeat from run to run, and the line hook that the lab's stepper is built on.
 */
import { describe, expect, test } from 'vitest';
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Python } from './index.ts';

describe('Python', () => {
  test('run gathers what the program printed, and globals stay for the next run', () => {
    const py = new Python();
    expect(py.run('x = [1, 2]\nprint(len(x))\n').stdout).toBe('2\n');
    expect(py.run('x.append(3)\nprint(x)\n').stdout).toBe('[1, 2, 3]\n');
  });

  test('an uncaught exception is reported as python3 prints it, and the interpreter goes on', () => {
    const py = new Python();
    const failed = py.run('def f():\n    raise ValueError("no")\nf()\n', { filename: 'lesson.py' });
    expect(failed.exitCode).toBe(1);
    expect(failed.error).toBe('ValueError: no');
    expect(failed.stderr).toBe(
      'Traceback (most recent call last):\n  File "lesson.py", line 3, in <module>\n    f()\n  File "lesson.py", line 2, in f\n    raise ValueError("no")\nValueError: no\n',
    );
    expect(py.run('print("still here")\n').stdout).toBe('still here\n');
    py.heap.verify();
  });

  test('ids are the same from one interpreter to the next, but for the heap tag in their high bits', () => {
    const source = 'a = []\nb = {}\nprint(hex(id(a)), hex(id(b)))\n';
    const untagged = (text: string) => text.replace(/0x7f[0-9a-f]{2}/g, '0x7f..');
    expect(untagged(new Python().run(source).stdout)).toBe(untagged(new Python().run(source).stdout));
  });

  test('interpreters alive at once keep their own built-in classes (range, frozenset, set iterators, list[int])', () => {
    const program = `
r = range(3)
print(list(r), list(iter(r)), sorted(frozenset({2, 1})), [x for x in {3}], list[int], int | None)
`;
    const first = new Python();
    const second = new Python();
    const expected = '[0, 1, 2] [0, 1, 2] [1, 2] [3] list[int] int | None\n';
    expect(second.run(program).stdout).toBe(expected);
    expect(first.run(program)).toMatchObject({ stdout: expected, error: null });
    expect(second.run(program)).toMatchObject({ stdout: expected, error: null });
  });

  test('a line hook that lowers stepLimit to steps ends the program at its next statement, past except', () => {
    const py = new Python();
    let seen = 0;
    py.setLineHook(() => {
      if (++seen === 3) py.stepLimit = py.steps;
    });
    const result = py.run('try:\n    a = 1\n    b = 2\n    c = 3\nexcept BaseException:\n    print("caught")\n');
    expect(result.stdout).toBe('');
    expect(result.error).toMatch(/step budget/);
    expect(py.modules.has('__main__')).toBe(true);
    expect(() => (py.stepLimit = -1)).toThrow(/stepLimit must be a number of statements/);
  });

  test('a heap and collector of your own are the ones the program uses', () => {
    const heap = new Heap();
    const collector = new Collector(heap);
    const py = new Python({ heap, collector });
    py.run('import gc\ngc.disable()\nclass N:\n    pass\na = N()\nb = N()\na.b = b\nb.a = a\ndel a, b\n');
    const before = heap.liveObjects;
    expect(collector.collect()).toBe(2);
    expect(heap.liveObjects).toBe(before - 2);
  });

  test('the line hook sees each line before it runs, with the frame and its locals', () => {
    const py = new Python();
    const seen: string[] = [];
    py.setLineHook((frame, lineno) => {
      const names = frame.code.varnames.filter((_, i) => frame.fast[i] !== 0);
      seen.push(`${frame.code.name}:${lineno}:${names.join(',')}`);
    });
    py.run('def f(a):\n    b = a + 1\n    return b\nf(1)\n', { filename: 'steps.py' });
    py.setLineHook(null);
    expect(seen).toEqual(['<module>:1:', '<module>:4:', 'f:2:a', 'f:3:a,b']);
  });

  test('int arithmetic makes no intermediate ints while nothing observes allocations, and all of them when tracemalloc does', () => {
    const py = new Python();
    const loop = 'x = 0\nfor i in range(300, 1300):\n    x += i * 2 + 1\nprint(x)\n';
    const allocationsOf = (source: string): { stdout: string; made: number } => {
      const before = py.heap.stats().allocations;
      const { stdout } = py.run(source);
      return { stdout, made: py.heap.stats().allocations - before };
    };
    allocationsOf(loop); // compiled and warm: the names exist
    const unobserved = allocationsOf(loop);
    // Per iteration: range's int and x's new value; `i * 2` and `i * 2 + 1` are never made.
    expect(unobserved.stdout).toBe('1600000\n');
    expect(unobserved.made).toBeGreaterThanOrEqual(2000);
    expect(unobserved.made).toBeLessThan(2100);
    py.run('import tracemalloc\ntracemalloc.start()\n');
    const traced = allocationsOf(loop);
    py.run('tracemalloc.stop()\n');
    expect(traced.stdout).toBe('1600000\n');
    expect(traced.made).toBeGreaterThanOrEqual(4000); // as CPython makes them: four ints an iteration
    py.heap.verify();
  });

  test('runMain shuts down as python3 does: finalizers due at exit run', () => {
    const result = new Python().runMain('class R:\n    def __del__(self):\n        print("bye")\nr = R()\nprint("end")\n');
    expect(result.stdout).toBe('end\nbye\n');
  });
});
