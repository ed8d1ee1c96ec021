/**
 * The differential harness: the same program under python3 and under refheap-python, and a
 * normalizer that makes two runs comparable when only the addresses differ.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Python } from '../index.ts';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

export const programsDir: string = fileURLToPath(new URL('./programs/', import.meta.url));
/** The seeds' own examples, shipped with the package (the lab opens them) and part of the corpus. */
export const seedExamplesDir: string = fileURLToPath(new URL('../../examples/seeds/', import.meta.url));

/** Every corpus program, by absolute path, in name order. */
export function corpusPaths(): string[] {
  return [programsDir, seedExamplesDir]
    .flatMap((dir) => readdirSync(dir).filter((name) => name.endsWith('.py')).map((name) => join(dir, name)))
    .sort((a, b) => (basename(a) < basename(b) ? -1 : 1));
}

/**
 * Runs every path under python3 — one `python3 file.py` each, two at a time, all driven by one
 * cpython_runner.py so Node waits on a single child (see the runner for why not one process).
 */
export function runCPython(paths: readonly string[]): Map<string, RunResult> {
  const runner = fileURLToPath(new URL('./cpython_runner.py', import.meta.url));
  const output = execFileSync('python3', [runner], {
    input: JSON.stringify(paths),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const parsed = JSON.parse(output) as Record<string, RunResult>;
  return new Map(paths.map((path) => [path, parsed[path]!]));
}

/** Runs one program on refheap-python, named by its base name as python3 sees it (cwd run). */
export function runRefheap(path: string): RunResult {
  return runRefheapSource(readFileSync(path, 'utf8'), basename(path));
}

export function runRefheapSource(source: string, filename: string): RunResult {
  try {
    const py = new Python();
    const result = py.runMain(source, { filename });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode };
  } catch (error) {
    // A crash of the interpreter itself is a difference, not a test-runner failure.
    return { stdout: '', stderr: `refheap crashed: ${String(error)}`, exitCode: -1 };
  }
}

/**
 * Each distinct 0x… address becomes 0xADDR1, 0xADDR2, … in order of first appearance: two runs
 * agree when the same objects are the same, whatever their addresses.
 */
export function normalize(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/0x[0-9a-fA-F]+/g, (address) => {
    const key = address.toLowerCase();
    let name = seen.get(key);
    if (name === undefined) {
      name = `0xADDR${seen.size + 1}`;
      seen.set(key, name);
    }
    return name;
  });
}

/** The last non-empty line of stderr: for an uncaught exception, `TypeError: message`. */
export function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.at(-1) ?? '';
}

/** Why two results differ, or undefined when they agree (stdout normalized, exit codes, and the
 * exception line for a program that ends with one). */
export function compare(expected: RunResult, actual: RunResult): string | undefined {
  if (normalize(expected.stdout) !== normalize(actual.stdout)) return 'stdout differs';
  if (expected.exitCode !== actual.exitCode) return `exit code ${actual.exitCode}, python3 ${expected.exitCode}`;
  if (expected.exitCode !== 0 && lastLine(expected.stderr) !== lastLine(actual.stderr)) {
    return `last stderr line ${JSON.stringify(lastLine(actual.stderr))}, python3 ${JSON.stringify(lastLine(expected.stderr))}`;
  }
  return undefined;
}
