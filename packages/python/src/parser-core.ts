/**
 * What every parser rule stands on: the token buffer, positions, and CPython's way of failing.
 *
 * CPython 3.11 parses twice (Parser/pegen.c, `_PyPegen_run_parser`). The first pass knows only
 * the grammar; when it fails, the second pass parses again from the start with the `invalid_`
 * rules switched on, which recognise common mistakes and raise their specific messages. If none
 * does, the error is "invalid syntax" at the furthest token the first pass read. Then, unless
 * the tokenizer itself failed, the rest of the file is tokenized: a tokenizer error there (an
 * unterminated string, say) is reported instead, and so is a bracket left open on an earlier
 * line than the error. This class runs that protocol; the rules below it only say, in the
 * second pass, where CPython's `invalid_` rules would speak.
 */
import type { Position } from './ast.ts';
import type { SourceText } from './source-text.ts';
import { PySyntaxError, byteToCharOffset, type SyntaxErrorName } from './syntax-error.ts';
import { Tokenizer } from './tokenizer.ts';
import { KEYWORDS, type Token } from './tokens.ts';

/** A rule that does not match. Thrown, not returned, so that rules compose as plain calls. */
class NoMatch extends Error {}
const NO_MATCH = new NoMatch('no match');

/** Something with a position that an error can point at: a node or a token. */
type Located = Position;

export abstract class ParserCore {
  protected readonly source: SourceText;
  private readonly tokenizer: Tokenizer;
  /** Every token read so far (`p->tokens`); `tokens[pos]` is the next one. */
  protected readonly tokens: Token[] = [];
  /** The bracket depth after each token (`token->level`). */
  private readonly levels: number[] = [];
  protected pos = 0;
  /** True in the second pass, where the `invalid_` rules run (but not under a `_without_invalid` rule). */
  protected callInvalidRules = false;
  /**
   * True in the second pass. Its backtracking is kept linear by memoizing CPython's `(memo)`
   * rules; the first pass, which has nothing to diagnose, takes shortcuts where a failure is a
   * failure however it is reached (see expressions.ts).
   */
  protected secondPass = false;
  /** Set when the tokenizer failed under the parser: then its error stands as it is. */
  private tokenizerFailed = false;
  /** The second pass backtracks; results at a position are kept so that it stays linear. */
  private readonly memos = new Map<string, Map<number, { result: unknown; end: number } | null>>();

  protected constructor(source: SourceText) {
    this.source = source;
    this.tokenizer = new Tokenizer(source);
  }

  /** A fragment (an f-string's expression) reports errors as CPython's `fstring` start rule does. */
  private get isFragment(): boolean {
    return this.source.origin.line !== 1 || this.source.origin.column !== 0;
  }

  // ------------------------------------------------------------ tokens

  /** The token at `pos + ahead`, read from the tokenizer if need be. */
  protected peek(ahead = 0): Token {
    const index = this.pos + ahead;
    while (index >= this.tokens.length) this.fill();
    return this.tokens[index]!;
  }

  private fill(): void {
    const token = this.tokenizer.next();
    if (!token) {
      const stop = this.tokenizer.stop!;
      this.tokenizerFailed = true;
      throw stop.deferred ? this.fromFragment(stop.error) : stop.error;
    }
    this.tokens.push(token);
    this.levels.push(this.tokenizer.openBrackets.length);
  }

  protected advance(): Token {
    const token = this.peek();
    this.pos++;
    return token;
  }

  protected atOp(op: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'OP' && token.text === op;
  }

  protected atKeyword(keyword: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'NAME' && token.text === keyword;
  }

  /** At a NAME that is not a keyword. */
  protected atName(ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'NAME' && !KEYWORDS.has(token.text);
  }

  protected atType(type: Token['type'], ahead = 0): boolean {
    return this.peek(ahead).type === type;
  }

  protected eatOp(op: string): Token | null {
    return this.atOp(op) ? this.advance() : null;
  }

  protected eatKeyword(keyword: string): Token | null {
    return this.atKeyword(keyword) ? this.advance() : null;
  }

  protected expectOp(op: string): Token {
    return this.eatOp(op) ?? this.noMatch();
  }

  protected expectKeyword(keyword: string): Token {
    return this.eatKeyword(keyword) ?? this.noMatch();
  }

  protected expectType(type: Token['type']): Token {
    return this.atType(type) ? this.advance() : this.noMatch();
  }

  /** `op rule` in the grammar: the rule's result, after the operator. */
  protected afterOp<T>(op: string, rule: () => T): T {
    this.expectOp(op);
    return rule();
  }

  /** `'keyword' rule` in the grammar. */
  protected afterKeyword<T>(keyword: string, rule: () => T): T {
    this.expectKeyword(keyword);
    return rule();
  }

  /** `&&'x'` in the grammar: the token must be there, or it is an error at once, in either pass. */
  protected expectForced(op: string): Token {
    if (this.atOp(op)) return this.advance();
    return this.raiseAt(this.peek(), `expected '${op}'`);
  }

  /** The bracket depth after the token before `pos` (`p->tokens[p->mark - 1]->level`). */
  protected levelBefore(): number {
    return this.levels[this.pos - 1] ?? 0;
  }

  // ------------------------------------------------------------ matching

  protected noMatch(): never {
    throw NO_MATCH;
  }

  /** Runs a rule that may not match: its result, or null with the position restored. */
  protected attempt<T>(rule: () => T): T | null {
    const mark = this.pos;
    try {
      return rule();
    } catch (error) {
      if (error !== NO_MATCH) throw error;
      this.pos = mark;
      return null;
    }
  }

  /** Whether a rule matches here; the position is left where it was either way. */
  protected lookahead(rule: () => unknown): boolean {
    const mark = this.pos;
    const matched = this.attempt(rule) !== null;
    this.pos = mark;
    return matched;
  }

  /** Runs a rule with the `invalid_` rules off below it (the grammar's `_without_invalid` rules). */
  protected withoutInvalidRules<T>(rule: () => T): T {
    const saved = this.callInvalidRules;
    this.callInvalidRules = false;
    try {
      return rule();
    } finally {
      this.callInvalidRules = saved;
    }
  }

  /**
   * A `(memo)` rule's result at this position, computed once: the rules call this in the second
   * pass (`secondPass`). As in CPython, the first reading stands whether the `invalid_` rules were
   * on for it or not.
   */
  protected memoized<T>(name: string, rule: () => T): T {
    let memo = this.memos.get(name);
    if (!memo) {
      memo = new Map<number, { result: unknown; end: number } | null>();
      this.memos.set(name, memo);
    }
    const start = this.pos;
    const hit = memo.get(start);
    if (hit !== undefined) {
      if (hit === null) return this.noMatch();
      this.pos = hit.end;
      return hit.result as T;
    }
    try {
      const result = rule();
      memo.set(start, { result, end: this.pos });
      return result;
    } catch (error) {
      if (error === NO_MATCH) memo.set(start, null);
      throw error;
    }
  }


  // ------------------------------------------------------------ positions

  /**
   * `node` with its position, CPython's `EXTRA`: from the start of `start` to the end of the
   * last token consumed that is not NEWLINE, INDENT, DEDENT or ENDMARKER. (The fields are
   * added to the node rather than spread into it: a parse makes a node per few tokens.)
   */
  protected at<const T extends object>(start: Located, node: T): T & Position {
    let last = this.tokens[this.pos - 1]!;
    for (let i = this.pos - 1; i >= 0; i--) {
      last = this.tokens[i]!;
      if (last.type !== 'NEWLINE' && last.type !== 'INDENT' && last.type !== 'DEDENT' && last.type !== 'ENDMARKER') break;
    }
    const located = node as T & { lineno: number; col_offset: number; end_lineno: number; end_col_offset: number };
    located.lineno = start.lineno;
    located.col_offset = start.col_offset;
    located.end_lineno = last.end_lineno;
    located.end_col_offset = last.end_col_offset;
    return located;
  }

  // ------------------------------------------------------------ the two passes

  /**
   * `_PyPegen_run_parser`: the first pass, the second if need be, and CPython's choice of error.
   * A source nested so deeply that the JS stack runs out is refused with a SyntaxError (CPython
   * has limits of its own there: 200 brackets, and a RecursionError deeper in); if only the
   * second pass runs out, the first pass's error stands.
   */
  protected run<T>(rule: () => T): T {
    try {
      return rule();
    } catch (first) {
      if (first instanceof RangeError) throw this.errorHere('too deeply nested for refheap-python to parse', 'SyntaxError');
      if (first !== NO_MATCH && !(first instanceof PySyntaxError)) throw first;
      const lastToken = this.tokens[this.tokens.length - 1]!;
      let error = first instanceof PySyntaxError ? first : null;
      if (!error) {
        this.pos = 0;
        this.callInvalidRules = true;
        this.secondPass = true;
        this.memos.clear();
        try {
          rule();
        } catch (second) {
          if (second instanceof PySyntaxError) error = second;
          else if (second !== NO_MATCH && !(second instanceof RangeError)) throw second;
        }
      }
      throw this.chooseError(error, lastToken);
    }
  }

  /** `_PyPegen_set_syntax_error`. */
  private chooseError(error: PySyntaxError | null, lastToken: Token): PySyntaxError {
    if (error) return this.tokenizerFailed ? error : this.checkRestOfSource(error);
    if (lastToken.type === 'INDENT' || lastToken.type === 'DEDENT') {
      const message = lastToken.type === 'INDENT' ? 'unexpected indent' : 'unexpected unindent';
      return this.errorHere(message, 'IndentationError');
    }
    return this.checkRestOfSource(this.errorAt(lastToken, 'invalid syntax'));
  }

  /**
   * `_PyPegen_tokenize_full_source_to_check_for_errors`: the tokenizer reads on from where the
   * parser left it. An error it raises itself replaces the parser's; where it stops without one
   * (the end of the file, a bad dedent), a bracket still open from a line before the one the
   * parser stopped on is reported instead.
   */
  private checkRestOfSource(error: PySyntaxError): PySyntaxError {
    const errorLine = this.tokens[this.tokens.length - 1]!.lineno;
    for (;;) {
      const token = this.tokenizer.next();
      if (token) {
        if (token.type === 'ENDMARKER') return error;
        continue;
      }
      const stop = this.tokenizer.stop!;
      if (!stop.deferred) return stop.error;
      const open = this.tokenizer.openBrackets[this.tokenizer.openBrackets.length - 1];
      if (open && errorLine > this.source.fileLine(open.lineno)) return this.fromFragment(this.tokenizer.unclosedBracket()!);
      return error;
    }
  }

  // ------------------------------------------------------------ raising

  /** RAISE_SYNTAX_ERROR_KNOWN_LOCATION: over a node or token. */
  protected raiseAt(at: Located, msg: string, name: SyntaxErrorName = 'SyntaxError'): never {
    throw this.errorAt(at, msg, name);
  }

  /** RAISE_SYNTAX_ERROR_KNOWN_RANGE: from the start of one to the end of another. */
  protected raiseRange(from: Located, to: Located, msg: string): never {
    throw this.errorAtPosition('SyntaxError', from.lineno, from.col_offset + 1, to.end_lineno, to.end_col_offset + 1, msg);
  }

  /** RAISE_SYNTAX_ERROR_STARTING_FROM: from a node to where the tokenizer is. */
  protected raiseFrom(from: Located, msg: string): never {
    const tokenizerLine = this.source.fileLine(this.tokenizer.line);
    throw this.errorAtPosition('SyntaxError', from.lineno, from.col_offset + 1, tokenizerLine, this.tokenizer.column, msg);
  }

  /** RAISE_SYNTAX_ERROR (and RAISE_INDENTATION_ERROR): at the last token read, wherever the rule is. */
  protected raiseHere(msg: string, name: SyntaxErrorName = 'SyntaxError'): never {
    throw this.errorHere(msg, name);
  }

  /**
   * A one-off location: an error CPython raises at an explicit line and column (0-based bytes),
   * its end unknown (`RAISE_ERROR_KNOWN_LOCATION(..., -1, ...)`).
   */
  protected raiseAtColumn(lineno: number, col: number, endLineno: number, msg: string): never {
    throw this.errorAtPosition('SyntaxError', lineno, col + 1, endLineno, 0, msg);
  }

  private errorAt(at: Located, msg: string, name: SyntaxErrorName = 'SyntaxError'): PySyntaxError {
    if (isToken(at) && hasNoColumn(at)) {
      // CPython gives these tokens no columns: -1 becomes 0.
      const lineno = this.cLine(at);
      return this.errorAtPosition(name, lineno, 0, lineno, 0, msg);
    }
    return this.errorAtPosition(name, at.lineno, at.col_offset + 1, at.end_lineno, at.end_col_offset + 1, msg);
  }

  private errorHere(msg: string, name: SyntaxErrorName): PySyntaxError {
    const last = this.tokens[this.tokens.length - 1]!;
    if (hasNoColumn(last)) {
      // `_PyPegen_raise_error` falls back on where the tokenizer is, and has no end.
      return this.errorAtPosition(name, this.cLine(last), this.tokenizer.column, this.cLine(last), -1, msg);
    }
    return this.errorAtPosition(name, last.lineno, last.col_offset + 1, last.end_lineno, last.end_col_offset + 1, msg);
  }

  /** The line CPython's tokenizer gave an INDENT, DEDENT or ENDMARKER: at the end, the last line. */
  private cLine(token: Token): number {
    return token.start >= this.source.text.length ? this.source.fileLine(this.source.lineCount) : token.lineno;
  }

  /**
   * `_PyPegen_raise_error_known_location`. Columns are 1-based bytes. The text is the
   * tokenizer's buffer if the error is on the line the tokenizer is on (newline and all), else
   * the line alone; the offsets become characters as counted in that text.
   */
  private errorAtPosition(
    name: SyntaxErrorName,
    lineno: number,
    col: number,
    endLineno: number,
    endCol: number,
    msg: string,
  ): PySyntaxError {
    const local = lineno - this.source.origin.line + 1;
    const text = this.tokenizer.line <= local ? this.tokenizer.bufferText() : this.source.line(local);
    if (this.isFragment) {
      msg = `f-string: ${msg}`;
      col -= this.source.origin.column;
      endCol -= this.source.origin.column;
    }
    return new PySyntaxError(name, {
      msg,
      filename: this.source.filename,
      lineno,
      offset: byteToCharOffset(text, col),
      end_lineno: endLineno,
      end_offset: endCol > 0 ? byteToCharOffset(text, endCol) : endCol,
      text,
    });
  }

  /** Deferred tokenizer errors reach CPython's fragment parser through its raise function, which adds the prefix. */
  private fromFragment(error: PySyntaxError): PySyntaxError {
    if (!this.isFragment) return error;
    return new PySyntaxError(error.name, { ...fieldsOf(error), msg: `f-string: ${error.msg}` });
  }
}

function isToken(at: Located): at is Token {
  return 'text' in at && 'start' in at;
}

/** INDENT, DEDENT and ENDMARKER have no columns in CPython's tokenizer. */
function hasNoColumn(token: Token): boolean {
  return token.type === 'INDENT' || token.type === 'DEDENT' || token.type === 'ENDMARKER';
}

function fieldsOf(error: PySyntaxError): ConstructorParameters<typeof PySyntaxError>[1] {
  const { msg, filename, lineno, offset, end_lineno, end_offset, text } = error;
  return { msg, filename, lineno, offset, end_lineno, end_offset, text };
}
