/**
 * @refheap/python — an interpreter for the Python of memory lessons, every value a refheap
 * object. This is its front end: CPython 3.11's tokenizer, parser and `ast`, and its SyntaxErrors
 * word for word.
 *
 *     const tree = parse(source, { filename: 'lesson.py' });   // a Module, as ast.parse gives
 *     // or a PySyntaxError; formatSyntaxError(error) is what python3 would print
 */
export type * from './ast.ts';
export { Ellipsis } from './ast.ts';
export { parse, tokenize } from './parse.ts';
export type { ParseOptions } from './parse.ts';
export { PySyntaxError, formatSyntaxError } from './syntax-error.ts';
export type { SyntaxErrorFields, SyntaxErrorName } from './syntax-error.ts';
export type { Token, TokenType } from './tokens.ts';
export { KEYWORDS, SOFT_KEYWORDS } from './tokens.ts';
export { Python } from './python.ts';
export type { PythonOptions, RunOptions, RunResult, LineEvent } from './python.ts';
