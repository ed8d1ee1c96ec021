/**
 * The tokens CPython 3.11's C tokenizer hands its parser (Parser/tokenizer.c): no COMMENT or NL
 * tokens — comments and the newlines inside brackets or on blank lines never reach the grammar.
 */

export type TokenType = 'NAME' | 'NUMBER' | 'STRING' | 'OP' | 'NEWLINE' | 'INDENT' | 'DEDENT' | 'ENDMARKER';

/**
 * One token. Positions are CPython's ast positions: `lineno` from 1, `col_offset` from 0 in UTF-8
 * bytes, and the end exclusive. `start` and `end` index the (newline-translated) source text.
 *
 * Where CPython's tokenizer gives a token no place of its own, this one follows Python's
 * `tokenize` module: an INDENT spans the indentation, a DEDENT is empty where the next token
 * starts, ENDMARKER is empty at the start of the line after the last. A NEWLINE is empty where
 * the `\n` is, or spans the comment before it, as in CPython's tokenizer.
 */
export interface Token {
  readonly type: TokenType;
  /** The source text of the token (`\n` for NEWLINE, the indentation for INDENT, `''` for DEDENT and ENDMARKER). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly lineno: number;
  readonly col_offset: number;
  readonly end_lineno: number;
  readonly end_col_offset: number;
}

/** Python 3.11's keywords (`keyword.kwlist`). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

/** Names that are keywords only where the grammar says so (`keyword.softkwlist`). */
export const SOFT_KEYWORDS: ReadonlySet<string> = new Set(['_', 'case', 'match']);
