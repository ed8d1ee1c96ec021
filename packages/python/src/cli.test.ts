/**
 * The refheap-python command, run as a user runs it: a file, -c, --json, and the REPL through a
 * pipe, each compared with what python3 does with the same input.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = ['--conditions=@refheap/source', '--import', 'tsx', 'src/cli.ts'];

function refheap(args: string[], input = ''): { stdout: string; stderr: string; status: number } {
  const result = spawnSync('node', [...cli, ...args], { cwd: root, input, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

function cpython(args: string[], input = ''): { stdout: string; stderr: string; status: number } {
  const result = spawnSync('python3', args, { cwd: root, input, encoding: 'utf8' });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
}

describe('refheap-python', () => {
  test('runs a file as python3 does', () => {
    expect(refheap(['examples/lesson.py']).stdout).toBe(execFileSync('python3', ['examples/lesson.py'], { cwd: root, encoding: 'utf8' }));
  });

  test('-c runs a string, and an uncaught exception exits 1 with the traceback', () => {
    const source = 'print(1)\nraise KeyError("k")';
    const ours = refheap(['-c', source]);
    const theirs = cpython(['-c', source]);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(1);
    expect(ours.stderr).toBe(theirs.stderr);
  });

  test('--json reports the run for a program to read', () => {
    const report = JSON.parse(refheap(['--json', '-c', 'print("hi")']).stdout) as { stdout: string; exitCode: number; heap: { live: number } };
    expect(report.stdout).toBe('hi\n');
    expect(report.exitCode).toBe(0);
    expect(report.heap.live).toBeGreaterThan(0);
  });

  test('the REPL echoes values as python3 -i does', () => {
    const session = 'x = 5\nx\n[1, 2]\ndef f():\n    return x * 2\n\nf()\nNone\n';
    expect(refheap([], session).stdout).toBe(cpython(['-i', '-q'], session).stdout);
  });
});
