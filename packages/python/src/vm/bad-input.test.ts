/**
 * Misuse gets CPython's exception, word for word, and costs nothing else: after each failing
 * program the heap verifies and the same interpreter runs the next program correctly.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { Python } from '../index.ts';

const CASES: Record<string, string> = {
  'malformed source': 'def f(:\n    pass\n',
  'print statement': 'print "x"\n',
  'unknown name': 'print(undefined_name)\n',
  'wrong argument count': 'def f(a, b):\n    return a\nf(1)\n',
  'too many arguments': 'def f(a, b=2):\n    return a\nf(1, 2, 3)\n',
  'unexpected keyword': 'def f(a):\n    return a\nf(a=1, b=2)\n',
  'wrong argument type': 'len(5)\n',
  'bad operand types': 'x = 1 + "a"\n',
  'del a name twice': 'x = 1\ndel x\ndel x\n',
  'unbound local': 'def f():\n    print(y)\n    y = 1\nf()\n',
  'unhashable key': 'd = {}\nd[[1, 2]] = 3\n',
  'missing key': 'd = {"a": 1}\nd["b"]\n',
  'index out of range': '[1, 2][5]\n',
  'attribute error': 'class C:\n    pass\nC().missing\n',
  'not callable': 'x = 5\nx()\n',
  'endless recursion': 'def f(n):\n    return f(n + 1)\nf(0)\n',
  'init returns a value': 'class C:\n    def __init__(self):\n        return 1\nC()\n',
  'division by zero': 'def f():\n    return 1 // 0\nf()\n',
  'return outside function': 'return 5\n',
  'break outside loop': 'break\n',
  'nonlocal at module level': 'nonlocal x\n',
  'raise a non-exception': 'raise 5\n',
  'unpacking': 'a, b = [1, 2, 3]\n',
};

/** The last line python3 prints for each program (its exception), or '' if it exits cleanly. */
function cpythonLastLines(): Record<string, string> {
  const driver = `
import json, subprocess, sys
cases = json.load(sys.stdin)
out = {}
for name, source in cases.items():
    r = subprocess.run([sys.executable, '-c', source], capture_output=True, text=True)
    lines = r.stderr.strip().splitlines()
    out[name] = lines[-1] if lines else ''
print(json.dumps(out))
`;
  return JSON.parse(execFileSync('python3', ['-c', driver], { input: JSON.stringify(CASES), encoding: 'utf8' })) as Record<string, string>;
}

describe('bad input', () => {
  const expected = cpythonLastLines();
  const py = new Python();
  for (const [name, source] of Object.entries(CASES)) {
    test(name, () => {
      const result = py.run(source, { filename: '<string>' });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.trim().split('\n').pop()).toBe(expected[name]);
      py.heap.verify();
      const after = py.run('print(sum([1, 2, 3]))\n', { filename: '<string>' });
      expect(after.stdout).toBe('6\n');
    });
  }

  test('an endless loop stops at the step budget, and the interpreter goes on', () => {
    const bounded = new Python({ stepLimit: 100_000 });
    const result = bounded.run('while True:\n    x = [1]\n', { filename: 'loop.py' });
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(/step budget of 100000 statements/);
    bounded.heap.verify();
    expect(bounded.run('print(2 + 2)\n').stdout).toBe('4\n');
  });

  test('a program past its memory budget stops with MemoryError', () => {
    const bounded = new Python({ memoryLimit: 4 * 1024 * 1024 });
    const result = bounded.run('keep = []\nwhile True:\n    keep.append([0] * 1000)\n', { filename: 'grow.py' });
    expect(result.error).toMatch(/^MemoryError: .*memory budget/);
    bounded.heap.verify();
  });

  test('the memory budget is measured again from the start of every run, and stops a run soon past it', () => {
    const limit = 8 * 1024 * 1024;
    const bounded = new Python({ memoryLimit: limit });
    // A long first run under the budget pushes the next measurement far along in its steps.
    expect(bounded.run('n = 0\nfor i in range(300000):\n    n += 1\n').exitCode).toBe(0);
    const grow = 'keep = []\nwhile True:\n    keep.append([0] * 100)\n';
    const result = bounded.run(grow, { filename: 'grow.py' });
    expect(result.error).toMatch(/^MemoryError: .*memory budget/);
    // Stopped within a quarter of the heap's objects in statements: well short of twice the budget.
    expect(bounded.heap.stats().bytes).toBeLessThan(2 * limit);
    bounded.heap.verify();
  });
});
