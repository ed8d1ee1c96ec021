/**
 * The tokenizer against Python's own `tokenize` module (twins/tokens.py), for the tokens both
 * produce: every NAME, NUMBER, STRING, OP, INDENT, DEDENT and ENDMARKER of the corpus's ASCII
 * programs, with their positions. (tokenize also yields COMMENT and NL, which CPython's parser
 * never sees, and places NEWLINE at the `\n`; the C tokenizer, and this one, start it at the
 * comment before the `\n` if there is one, so NEWLINE is compared by line. And after a final
 * `\r\n` the C tokenizer reads one more, empty, line — see the test of it below — so the DEDENTs
 * and ENDMARKER at the end of such a source come a line later than tokenize's.)
 */
import { describe, expect, test } from 'vitest';
import { parse, PySyntaxError, tokenize, type Token } from './index.ts';
import { CORPUS } from './test-support/corpus.ts';
import { runTwin } from './test-support/cpython.ts';

type PyToken = [type: string, text: string, start: [number, number], end: [number, number]];

const ascii = CORPUS.filter(({ source }) => !/[\u0080-\uffff]/.test(source));
const cpython = runTwin<PyToken[]>('tokens', ascii);

function comparable(token: Token): PyToken {
  const start: [number, number] = [token.lineno, token.col_offset];
  const end: [number, number] = [token.end_lineno, token.end_col_offset];
  return [token.type, token.text, start, end];
}

describe('tokens as Python’s tokenize module reads them', () => {
  for (const { name, source } of ascii) {
    test(name, () => {
      const ours = tokenize(source).map(comparable);
      const theirs = cpython[name]!;
      const types = ours.map(([type]) => type);
      expect(types).toEqual(theirs.map(([type]) => type));
      const trailing = types.lastIndexOf('NEWLINE') + 1;
      ours.forEach((token, i) => {
        const expected = theirs[i]!;
        if (token[0] === 'NEWLINE') expect(token[2][0]).toBe(expected[2][0]);
        else if (i >= trailing && source.endsWith('\r\n')) {
          const [type, text, [line, column], [endLine, endColumn]] = expected;
          expect(token).toEqual([type, text, [line + 1, column], [endLine + 1, endColumn]]);
        } else expect(token).toEqual(expected);
      });
    });
  }
});

describe('what the tokenizer does that tokenize cannot show', () => {
  test('columns count UTF-8 bytes, as the ast does', () => {
    const [name, , value] = tokenize("é = 'ü'\n");
    expect(name).toMatchObject({ type: 'NAME', text: 'é', col_offset: 0, end_col_offset: 2 });
    expect(value).toMatchObject({ type: 'STRING', col_offset: 5, end_col_offset: 9 });
  });

  test('a NEWLINE after a comment starts at the comment, as in CPython', () => {
    const newline = tokenize('x = 1  # note\n').find((t) => t.type === 'NEWLINE')!;
    expect([newline.col_offset, newline.end_col_offset]).toEqual([7, 13]);
  });

  test('after a final \\r\\n comes one more, empty, line, as compile() reads it', () => {
    // python3: compile('if x:\r\n', …) → "expected an indented block …" at line 2, text '\n'
    expect(() => parse('if x:\r\n')).toThrow(expect.objectContaining({ lineno: 2, offset: 1, text: '\n' }));
    expect(tokenize('x\r\n').at(-1)).toMatchObject({ type: 'ENDMARKER', lineno: 3 });
    expect(tokenize('x\n').at(-1)).toMatchObject({ type: 'ENDMARKER', lineno: 2 });
  });

  test('an error is the SyntaxError CPython raises', () => {
    expect(() => tokenize('s = "abc\n', { filename: 'lesson.py' })).toThrow(PySyntaxError);
    expect(() => tokenize('if x:\n\tpass\n        pass\n')).toThrow('inconsistent use of tabs and spaces in indentation');
  });
});
