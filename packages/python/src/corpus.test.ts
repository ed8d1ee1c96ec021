/**
 * The parser against CPython: every program of the corpus, and every code block of the lesson
 * seeds that CPython accepts, must give the tree `ast.parse` gives, positions included.
 */
import { describe, expect, test } from 'vitest';
import { parse } from './index.ts';
import { CORPUS } from './test-support/corpus.ts';
import { runTwin, type Case } from './test-support/cpython.ts';
import { SEED_BLOCKS } from './test-support/seeds.ts';
import { toCPythonJSON } from './test-support/to-cpython-json.ts';

type Answer = { ast: unknown } | { error: string };

const seeds: Case[] = SEED_BLOCKS.map((block) => ({ name: block.name, source: block.source }));
const cpython = runTwin<Answer>('ast_dump', [...CORPUS, ...seeds]);

describe('the corpus parses as CPython parses it', () => {
  for (const { name, source } of CORPUS) {
    test(name, () => {
      const answer = cpython[name]!;
      expect('ast' in answer ? 'parsed' : answer.error).toBe('parsed');
      expect(toCPythonJSON(parse(source, { filename: 'lesson.py' }))).toEqual((answer as { ast: unknown }).ast);
    });
  }
});

describe("the seeds' code blocks that CPython accepts parse as it parses them", () => {
  const valid = seeds.filter(({ name }) => 'ast' in cpython[name]!);
  test('most of them are valid Python 3', () => expect(valid.length).toBeGreaterThan(20));
  for (const { name, source } of valid) {
    test(name, () => {
      expect(toCPythonJSON(parse(source, { filename: 'lesson.py' }))).toEqual((cpython[name] as { ast: unknown }).ast);
    });
  }
});
