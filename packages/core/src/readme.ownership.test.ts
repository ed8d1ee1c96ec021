/**
 * The README's "Ownership in the handle layer" example, run exactly as written: every line
 * whose comment gives a value must produce it, and every handle it makes must be released
 * by the end of it.
 */
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { expect, it } from 'vitest';
import { Handles, Heap } from './index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

it('the ownership example runs, gives the values its comments promise, and leaves nothing behind', () => {
  const section = readme.slice(readme.indexOf('## Ownership in the handle layer'));
  const source = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
  const promised: unknown[] = [];
  // A bare expression with a value in its comment (`a.refcount; // 2`) becomes a recorded result.
  const body = source
    .split('\n')
    .filter((line) => !line.startsWith('import '))
    .map((line) => {
      const match = /^([^=]+?);\s+\/\/ (.+)$/.exec(line);
      if (match === null || /^(using|const|let) /.test(match[1]!)) return line;
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the comment is a JS literal
      promised.push((new Function(`return (${match[2]!});`) as () => unknown)());
      return `results.push(${match[1]!});`;
    })
    .join('\n');
  expect(promised.length).toBeGreaterThanOrEqual(3);

  const heaps: Heap[] = [];
  class RecordedHeap extends Heap {
    constructor(...args: ConstructorParameters<typeof Heap>) {
      super(...args);
      heaps.push(this);
    }
  }
  const results: unknown[] = [];
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the README's own code, run as written
  const run = new Function('Heap', 'Handles', 'results', js) as (...args: unknown[]) => void;
  run(RecordedHeap, Handles, results);

  expect(results).toEqual(promised);
  expect(heaps).toHaveLength(1);
  const heap = heaps[0]!;
  heap.verify();
  for (const type of [heap.types.list, heap.types.dict, heap.types.tuple]) expect(heap.liveCount(type)).toBe(0);
});
