/**
 * Snippet tests: the same Python source run by python3 (twins/snippets.py, one process for
 * all) and by refheap-python, comparing stdout. An exception that escapes a snippet counts as
 * its traceback's last line, "Name: message", written after the output.
 * Until the package exports `Python`, the tests are skipped rather than failed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import * as library from '../index.ts';

export interface Snippet {
  readonly name: string;
  readonly source: string;
  /** Why refheap-python cannot yet print what python3 does: the test expects the difference (test.fails). */
  readonly knownGap?: string;
}

interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}
type PythonClass = new () => { run(source: string, options: { filename: string }): RunResult };

const Python = (library as unknown as { Python?: PythonClass }).Python;

function cpython(snippets: readonly Snippet[]): Record<string, string> {
  const script = fileURLToPath(new URL('../twins/snippets.py', import.meta.url));
  const output = execFileSync('python3', [script], { input: JSON.stringify(snippets), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(output) as Record<string, string>;
}

/** What refheap-python prints for a snippet, its escaping exception's last line appended. */
function refheap(snippet: Snippet): string {
  const result = new Python!().run(snippet.source, { filename: snippet.name });
  if (result.exitCode === 0) return result.stdout;
  const lines = result.stderr.trimEnd().split('\n');
  return `${result.stdout}${lines[lines.length - 1]}\n`;
}

/** A describe block comparing every snippet's output with python3's. */
export function compareWithCPython(title: string, snippets: readonly Snippet[]): void {
  describe.skipIf(Python === undefined)(title, () => {
    const expected = Python === undefined ? {} : cpython(snippets);
    for (const snippet of snippets) {
      (snippet.knownGap === undefined ? test : test.fails)(snippet.knownGap === undefined ? snippet.name : `${snippet.name} (known gap: ${snippet.knownGap})`, () => {
        expect(refheap(snippet)).toBe(expected[snippet.name]);
      });
    }
  });
}

/** Source from a template, common indentation removed (as test-support/cpython.ts's `py`). */
export { py } from './cpython.ts';
