/**
 * Asking python3 what CPython does: each twin (src/twins/*.py) reads every case as JSON on stdin
 * and answers in JSON, so a test file starts Python once however many cases it has.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Case {
  readonly name: string;
  readonly source: string;
}

export function runTwin<T>(twin: 'ast_dump' | 'syntax_errors' | 'tokens', cases: readonly (Case & { readonly fields?: unknown })[]): Record<string, T> {
  const script = fileURLToPath(new URL(`../twins/${twin}.py`, import.meta.url));
  const output = execFileSync('python3', [script], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output) as Record<string, T>;
}

/**
 * Source in a template: raw (backslashes stay), the first line break dropped and the common
 * indentation removed, so that snippets can be indented with the test code around them.
 */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings.raw }, ...values).replace(/^\n/, '');
  const lines = text.split('\n');
  const indents = lines.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length);
  const indent = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(indent)).join('\n').replace(/[ ]+$/, '');
}
