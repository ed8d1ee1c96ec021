/**
 * The front end's entry points: source text in, a module's tree or CPython's SyntaxError out.
 */
import type { Module } from './ast.ts';
import { SourceText } from './source-text.ts';
import { StatementParser } from './statements.ts';
import type { Token } from './tokens.ts';
import { tokenize as tokenizeSource } from './tokenizer.ts';

export interface ParseOptions {
  /** The name errors report, as CPython's `compile(source, filename, 'exec')` takes it. */
  readonly filename?: string;
}

/**
 * Parses a module, as `ast.parse(source, filename)` does in CPython 3.11, or throws the
 * PySyntaxError CPython would raise.
 */
export function parse(source: string, options: ParseOptions = {}): Module {
  return StatementParser.parseModule(new SourceText(source, options.filename ?? '<unknown>'));
}

/** The tokens CPython's tokenizer hands its parser, ENDMARKER last, or the PySyntaxError it raises. */
export function tokenize(source: string, options: ParseOptions = {}): Token[] {
  return tokenizeSource(new SourceText(source, options.filename ?? '<unknown>'));
}
