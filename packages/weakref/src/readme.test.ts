/**
 * The README opens with a runnable example: run it, exactly as written, and check what its
 * comments promise.
 */
import { readFileSync } from 'node:fs';
import { Handles, Heap } from '@refheap/core';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as weakref from './index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('the opening example runs and prints what it says', () => {
    const source = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const body = source
      .split('\n')
      .filter((line) => !line.startsWith('import '))
      .join('\n');
    // The last lines are expressions whose values the comments give: collect them.
    const checked = body
      .replace(/^(obj1\.is\(obj2\));/m, 'results.is = $1;')
      .replace(/^(r\.deref\(\));/m, 'results.deref = $1;')
      .replace(/^(cache\.size);/m, 'results.size = $1;')
      .replace(/^(cache\.stats);/m, 'results.stats = $1;');
    const js = ts.transpileModule(checked, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
    const lines: string[] = [];
    const results: Record<string, unknown> = {};
    const fakeConsole = { log: (...parts: unknown[]) => lines.push(parts.map(String).join(' ')) };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, run as written
    const run = new Function('Heap', 'Handles', 'weakref', 'console', 'results', js) as (...args: unknown[]) => void;
    run(Heap, Handles, weakref, fakeConsole, results);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^gone: <weakref at 0x[0-9a-f]+; dead>$/);
    expect(results).toEqual({ is: true, deref: undefined, size: 0, stats: { hits: 1, misses: 1, evictions: 1, size: 0 } });
  });
});
