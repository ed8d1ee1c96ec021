/**
 * formatSyntaxError against the printer of python3 itself, for SyntaxErrors built from fields
 * the parser rarely or never produces: no text, offsets before the line or past its end, ranges
 * over several lines, leading tabs, a text of several lines, the subclasses.
 */
import { describe, expect, test } from 'vitest';
import { PySyntaxError, formatSyntaxError, type SyntaxErrorFields, type SyntaxErrorName } from './index.ts';
import { runTwin } from './test-support/cpython.ts';

interface Fields extends SyntaxErrorFields {
  readonly name: SyntaxErrorName;
}

const base = { name: 'SyntaxError', msg: 'invalid syntax', filename: 'lesson.py', lineno: 3, end_lineno: 3 } as const;
const CASES: Record<string, Fields> = {
  'a caret range': { ...base, offset: 5, end_offset: 9, text: 'x = foo bar\n' },
  'one caret when the end is unknown': { ...base, offset: 5, end_offset: -1, text: 'x = foo bar\n' },
  'an end before the start': { ...base, offset: 5, end_offset: 2, text: 'x = foo bar\n' },
  'no text': { ...base, offset: 1, end_offset: 2, text: null },
  'leading whitespace stripped': { ...base, offset: 9, end_offset: 12, text: '    \t  x = 1\n' },
  'an offset inside the stripped indentation': { ...base, offset: 2, end_offset: 3, text: '    x = 1\n' },
  'an offset past the end of the line': { ...base, offset: 40, end_offset: 41, text: 'x = 1\n' },
  'an end past the end of the line': { ...base, offset: 5, end_offset: 40, text: 'x = 1\n' },
  'a range onto the next line': { ...base, offset: 5, end_lineno: 4, end_offset: 2, text: 'x = (1,\n' },
  'a text without its newline': { ...base, offset: 1, end_offset: 2, text: 'x = 1' },
  'a text of two lines': { ...base, offset: 12, end_offset: 13, text: 'x = 1 + \\\n  2 2\n' },
  'a text of two lines, offset on the first': { ...base, offset: 3, end_offset: 4, text: 'x = 1 + \\\n  2 2\n' },
  'non-ASCII text': { ...base, offset: 8, end_offset: 11, text: 'café = été + 1\n' },
  'an IndentationError with a range': { ...base, name: 'IndentationError', msg: 'unexpected indent', offset: 1, end_offset: 5, text: 'pass\n' },
  'a TabError': { ...base, name: 'TabError', msg: 'inconsistent use of tabs and spaces in indentation', offset: 1, end_offset: 0, text: '        pass\n' },
  'offset zero': { ...base, offset: 0, end_offset: 0, text: 'x = 1\n' },
};

const cpython = runTwin<{ printed: string }>(
  'syntax_errors',
  Object.entries(CASES).map(([name, fields]) => ({ name, source: '', fields })),
);

describe('formatSyntaxError prints what python3 prints', () => {
  for (const [name, { name: type, ...fields }] of Object.entries(CASES)) {
    test(name, () => expect(formatSyntaxError(new PySyntaxError(type, fields))).toBe(cpython[name]!.printed));
  }
});

test("a PySyntaxError's message is str() of CPython's", () => {
  const error = new PySyntaxError('SyntaxError', { ...base, offset: 1, end_offset: 2, text: 'x\n' });
  expect(error.message).toBe('invalid syntax (lesson.py, line 3)');
  expect(error.name).toBe('SyntaxError');
  expect(error).toBeInstanceOf(Error);
});
