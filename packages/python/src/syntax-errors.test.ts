/**
 * SyntaxErrors against CPython: for each bad source, and each code block of the seeds that
 * CPython rejects, refheap-python raises the error CPython raises — type, message, line, offsets
 * and text — and formatSyntaxError prints the lines python3 prints.
 */
import { describe, expect, test } from 'vitest';
import { parse, PySyntaxError, formatSyntaxError } from './index.ts';
import { BAD_SOURCES } from './test-support/bad-sources.ts';
import { runTwin, type Case } from './test-support/cpython.ts';
import { SEED_BLOCKS } from './test-support/seeds.ts';

interface CPythonError {
  readonly name: string;
  readonly msg: string;
  readonly lineno: number;
  readonly offset: number;
  readonly end_lineno: number | null;
  readonly end_offset: number | null;
  readonly text: string | null;
  readonly printed: string;
}

interface Answer {
  readonly compile: CPythonError | null;
  readonly parserRaisesIt: boolean;
}

const seeds: Case[] = SEED_BLOCKS.map(({ name, source }) => ({ name, source }));
const cpython = runTwin<Answer>('syntax_errors', [...BAD_SOURCES, ...seeds]);

function ours(source: string): PySyntaxError {
  try {
    parse(source, { filename: 'lesson.py' });
  } catch (error) {
    if (error instanceof PySyntaxError) return error;
    throw error;
  }
  throw new Error('refheap-python parsed it');
}

function compare({ name, source }: Case): void {
  const expected = cpython[name]!;
  expect(expected.parserRaisesIt, 'a parser error, not one from the compiler').toBe(true);
  const error = ours(source);
  const { printed, ...fields } = expected.compile!;
  expect({
    name: error.name,
    msg: error.msg,
    lineno: error.lineno,
    offset: error.offset,
    end_lineno: error.end_lineno,
    end_offset: error.end_offset,
    text: error.text,
  }).toEqual(fields);
  expect(formatSyntaxError(error)).toBe(printed);
}

describe('bad sources fail as CPython fails them', () => {
  for (const source of BAD_SOURCES) test(source.name, () => compare(source));
});

describe("the seeds' code blocks that CPython rejects fail as it fails them", () => {
  const invalid = seeds.filter(({ name }) => cpython[name]!.compile !== null);
  test('there are some: Python 2 and lost indentation', () => expect(invalid.length).toBeGreaterThan(5));
  for (const block of invalid) test(block.name, () => compare(block));
});
