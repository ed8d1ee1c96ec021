/**
 * The tokenizer: CPython 3.11's Parser/tokenizer.c, `tok_get`, rule for rule — indentation with
 * two stacks (tabs to multiples of 8, and tabs as 1, which must agree or it is a TabError),
 * brackets that switch off NEWLINE and indentation, `\` continuations, the prefixes a string may
 * have, and numbers with their many ways to be invalid.
 *
 * It runs lazily, a token per call, because CPython's does and its error messages depend on it:
 * which line the tokenizer is on when an error is raised decides the error's `text`, and the
 * parser reads the rest of the file only after it fails (see parser.ts, `fail`).
 *
 * Errors come in CPython's two kinds. Those its tokenizer raises itself (an unterminated string,
 * an invalid number, an unmatched bracket) win over any error the parser found earlier in the
 * file. Those it only records as a `done` code (inconsistent tabs, a dedent to nowhere, a bad
 * continuation, the end of the file inside brackets) are raised when the parser asks for that
 * token, and never otherwise: `deferred` says which.
 */
import type { SourceText } from './source-text.ts';
import { PySyntaxError, byteToCharOffset, type SyntaxErrorName } from './syntax-error.ts';
import type { Token, TokenType } from './tokens.ts';

/** Why the tokenizer stopped: the error CPython would raise, and whether it waits for the parser (see above). */
export interface TokenizerStop {
  readonly error: PySyntaxError;
  readonly deferred: boolean;
}

/** An open bracket: which, and where (a local line and a byte column). */
export interface OpenBracket {
  readonly char: string;
  readonly lineno: number;
  readonly col: number;
}

const TAB_SIZE = 8;
const MAX_INDENT = 100;
const MAX_LEVEL = 200;

// Character codes the scanner compares against.
const NL = 0x0a, TAB = 0x09, FF = 0x0c, SPACE = 0x20, HASH = 0x23, BACKSLASH = 0x5c;
const QUOTE = 0x27, DQUOTE = 0x22, DOT = 0x2e, UNDERSCORE = 0x5f;

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** tokenizer.c's `is_potential_identifier_start`: a letter, `_`, or anything beyond ASCII (checked later). */
const isIdentifierStart = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === UNDERSCORE || c >= 0x80;
const isIdentifierChar = (c: number): boolean => isIdentifierStart(c) || isDigit(c);

const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;
const XID_START = /[\p{XID_Start}_]/u;
const XID_CONTINUE = /\p{XID_Continue}/u;
/** What Python's `str.isprintable` refuses: separators other than the space, controls, format characters, surrogates, unassigned. */
const NON_PRINTABLE = /[\p{Z}\p{C}]/u;

/**
 * How many characters the operator starting with `c` takes (`c2` and `c3` follow it): the
 * longest of Grammar/Tokens' operators, or 1 for any other character.
 */
function operatorLength(c: number, c2: number, c3: number): number {
  const EQUAL = 0x3d;
  switch (c) {
    case 0x2a: // * ** *= **=
    case 0x2f: // / // /= //=
      if (c2 === c) return c3 === EQUAL ? 3 : 2;
      return c2 === EQUAL ? 2 : 1;
    case 0x3c: // < << <= <> <<=
      if (c2 === c) return c3 === EQUAL ? 3 : 2;
      return c2 === EQUAL || c2 === 0x3e ? 2 : 1;
    case 0x3e: // > >> >= >>=
      if (c2 === c) return c3 === EQUAL ? 3 : 2;
      return c2 === EQUAL ? 2 : 1;
    case 0x2d: // - -= ->
      return c2 === EQUAL || c2 === 0x3e ? 2 : 1;
    case 0x3d: // = ==
    case 0x21: // ! !=
    case 0x3a: // : :=
    case 0x2b: // + +=
    case 0x25: // % %=
    case 0x26: // & &=
    case 0x7c: // | |=
    case 0x5e: // ^ ^=
    case 0x40: // @ @=
      return c2 === EQUAL ? 2 : 1;
    default:
      return 1;
  }
}
const CLOSING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

export class Tokenizer {
  private readonly source: SourceText;
  private readonly text: string;
  /** `tok->cur`: the next character to read. */
  private pos = 0;
  /** `tok->lineno` and `tok->line_start`. A newline's line is left only when the next line is read, as CPython's buffer does. */
  private lineno = 1;
  private lineStart = 0;
  private pendingLine = false;
  /** Whether the tokenizer's line is all ASCII, where columns are plain index differences. */
  private lineAscii: boolean;
  /**
   * `tok->buf`: where the tokenizer's buffer starts. CPython moves it to each new line except
   * while a token is under way, so a continuation line or a multi-line string keeps the lines
   * before it — and a parser error on that line quotes them all (see `bufferText`).
   */
  private bufferStart = 0;
  /** `tok->atbol`: at the beginning of a line, where indentation is measured. */
  private atLineStart = true;
  private readonly indents: number[] = [0];
  private readonly altIndents: number[] = [0];
  /** `tok->pendin`: INDENTs (positive) or DEDENTs (negative) still to hand out. */
  private pending = 0;
  private readonly brackets: OpenBracket[] = [];
  private done: Token | null = null;
  /** Set once the tokenizer can go no further; every later call returns null. */
  stop: TokenizerStop | null = null;

  /** Whether columns can be read off the string (all ASCII), and how a fragment's lines are numbered in its file. */
  private readonly ascii: boolean;
  private readonly lineOffset: number;

  constructor(source: SourceText) {
    this.source = source;
    this.text = source.text;
    this.ascii = source.ascii;
    this.lineOffset = source.origin.line - 1;
    this.lineAscii = source.isAsciiLine(0);
  }

  /** The line the tokenizer is on (`tok->lineno`), local to its source. */
  get line(): number {
    return this.lineno;
  }

  /** Bytes from the start of the tokenizer's line to where it is (`tok->cur - tok->line_start`). */
  get column(): number {
    return this.source.bytesBetween(this.lineStart, Math.min(this.pos, this.text.length));
  }

  /** The tokenizer's buffer up to the end of its line, newline included (`tok->buf` to `tok->inp`). */
  bufferText(): string {
    return this.text.slice(this.bufferStart, this.text.indexOf('\n', this.lineStart) + 1);
  }

  /** The brackets open where the tokenizer is, innermost last. */
  get openBrackets(): readonly OpenBracket[] {
    return this.brackets;
  }

  /** The next token, or null once stopped (see `stop`). ENDMARKER repeats at the end. */
  next(): Token | null {
    if (this.stop) return null;
    if (this.done) return this.done;
    try {
      return this.scan();
    } catch (error) {
      if (!(error instanceof Stopped)) throw error;
      this.stop = error.stop;
      return null;
    }
  }

  private scan(): Token {
    const text = this.text;
    for (;;) {
      this.enterPendingLine();
      let blank = false;
      if (this.atLineStart) {
        this.atLineStart = false;
        blank = this.measureIndentation();
      }
      if (this.pending !== 0) return this.indentToken();

      // `again:` in tok_get — after a continuation the same logical line goes on.
      for (;;) {
        let c = text.charCodeAt(this.pos);
        while (c === SPACE || c === TAB || c === FF) c = text.charCodeAt(++this.pos);
        const start = this.pos;
        if (c === HASH) {
          this.pos = text.indexOf('\n', this.pos);
          c = NL;
        }
        if (this.pos >= text.length) return this.endOfFile();

        if (isIdentifierStart(c)) return this.nameOrString(start);
        if (c === NL) {
          const newline = this.pos++;
          this.atLineStart = true;
          this.pendingLine = true;
          if (blank || this.brackets.length > 0) break; // `goto nextline`
          return this.token('NEWLINE', start, newline, '\n');
        }
        if (c === DOT) {
          const next = text.charCodeAt(this.pos + 1);
          if (isDigit(next)) return this.number(start, 'fraction');
          if (next === DOT && text.charCodeAt(this.pos + 2) === DOT) {
            this.pos += 3;
            return this.token('OP', start, this.pos, '...');
          }
          this.pos++;
          return this.token('OP', start, this.pos, '.');
        }
        if (isDigit(c)) return this.number(start, 'start');
        if (c === QUOTE || c === DQUOTE) return this.string(start);
        if (c === BACKSLASH) {
          this.continuation();
          continue;
        }
        return this.operator(start);
      }
    }
  }

  /**
   * Enters the line after a consumed newline: CPython's buffer reads it only when it needs its
   * first character. Between tokens the buffer starts over there.
   */
  private enterPendingLine(betweenTokens = true): void {
    if (this.pendingLine && this.pos < this.text.length) {
      this.pendingLine = false;
      this.lineno++;
      this.lineStart = this.pos;
      this.lineAscii = this.ascii || this.source.isAsciiLine(this.pos);
      if (betweenTokens) this.bufferStart = this.pos;
    }
  }

  /** Moves past a `\n` inside a token or a continuation, onto the next line. */
  private crossNewline(betweenTokens = false): void {
    this.pos++;
    this.pendingLine = true;
    this.enterPendingLine(betweenTokens);
  }

  /**
   * Measures a line's indentation and queues its INDENT or DEDENTs. Returns whether the line is
   * blank (only whitespace or a comment), which has no indentation and yields no NEWLINE.
   */
  private measureIndentation(): boolean {
    const text = this.text;
    let col = 0;
    let altcol = 0;
    let continuationCol = 0;
    let c: number;
    for (;;) {
      c = text.charCodeAt(this.pos);
      if (c === SPACE) {
        col++;
        altcol++;
      } else if (c === TAB) {
        col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
        altcol++;
      } else if (c === FF) {
        col = altcol = 0;
      } else if (c === BACKSLASH) {
        // Indentation cannot be split over lines: the first backslash fixes it.
        continuationCol = continuationCol || col;
        this.continuation(true);
        continue;
      } else break;
      this.pos++;
    }
    if (c === HASH || c === NL) return true;
    if (this.brackets.length > 0) return false;
    if (continuationCol) col = altcol = continuationCol;
    const top = this.indents.length - 1;
    if (col === this.indents[top]) {
      if (altcol !== this.altIndents[top]) this.stopAt('tabspace');
    } else if (col > this.indents[top]!) {
      if (this.indents.length >= MAX_INDENT) this.stopAt('toodeep');
      if (altcol <= this.altIndents[top]!) this.stopAt('tabspace');
      this.pending++;
      this.indents.push(col);
      this.altIndents.push(altcol);
    } else {
      while (this.indents.length > 1 && col < this.indents[this.indents.length - 1]!) {
        this.pending--;
        this.indents.pop();
        this.altIndents.pop();
      }
      if (col !== this.indents[this.indents.length - 1]) this.stopAt('dedent');
      if (altcol !== this.altIndents[this.altIndents.length - 1]) this.stopAt('tabspace');
    }
    return false;
  }

  private indentToken(): Token {
    if (this.pending > 0) {
      this.pending--;
      return this.token('INDENT', this.lineStart, this.pos, this.text.slice(this.lineStart, this.pos));
    }
    this.pending++;
    if (this.pos < this.text.length) return this.token('DEDENT', this.pos, this.pos, '');
    // The DEDENTs at the end sit with the ENDMARKER, after the last line.
    const lineno = this.source.fileLine(this.source.lineCount + 1);
    return { type: 'DEDENT', text: '', start: this.pos, end: this.pos, lineno, col_offset: 0, end_lineno: lineno, end_col_offset: 0 };
  }

  /** A `\` must end its line; the logical line continues on the next. */
  private continuation(inIndentation = false): void {
    this.pos++;
    if (this.text.charCodeAt(this.pos) !== NL) {
      this.pos++;
      this.stopAt('linecont');
    }
    this.crossNewline(inIndentation);
    if (this.pos >= this.text.length) this.stopAt('eof');
  }

  private endOfFile(): Token {
    this.pos = this.text.length;
    if (this.brackets.length > 0) this.stopAt('eof');
    const lineno = this.source.fileLine(this.source.lineCount + 1);
    this.done = {
      type: 'ENDMARKER', text: '', start: this.pos, end: this.pos,
      lineno, col_offset: 0, end_lineno: lineno, end_col_offset: 0,
    };
    return this.done;
  }

  /** A name, or the prefix of a string: any of b, r, u, f in the combinations Python allows. */
  private nameOrString(start: number): Token {
    const text = this.text;
    let b = false, r = false, u = false, f = false;
    for (let c = text.charCodeAt(this.pos); ; ) {
      const lower = c | 0x20;
      if (lower === 0x62 && !(b || u || f)) b = true; // b
      else if (lower === 0x75 && !(b || u || r || f)) u = true; // u: not with anything else
      else if (lower === 0x72 && !(r || u)) r = true; // r
      else if (lower === 0x66 && !(f || b || u)) f = true; // f
      else break;
      c = text.charCodeAt(++this.pos);
      if (c === QUOTE || c === DQUOTE) return this.string(start);
    }
    let ascii = true;
    for (let c = text.charCodeAt(this.pos); isIdentifierChar(c); c = text.charCodeAt(++this.pos)) {
      if (c >= 0x80) ascii = false;
    }
    if (!ascii) this.verifyIdentifier(start);
    return this.token('NAME', start, this.pos, text.slice(start, this.pos));
  }

  /** tokenizer.c's `verify_identifier`: a name beyond ASCII must be an identifier (PEP 3131). */
  private verifyIdentifier(start: number): void {
    const name = this.text.slice(start, this.pos);
    if (IDENTIFIER.test(name)) return;
    // Find the first character that cannot be there, and point just past it.
    let i = 0;
    for (const ch of name) {
      if (!(i === 0 ? XID_START : XID_CONTINUE).test(ch)) {
        this.pos = start + i + ch.length;
        const hex = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
        this.fail(NON_PRINTABLE.test(ch) ? `invalid non-printable character U+${hex}` : `invalid character '${ch}' (U+${hex})`);
      }
      i += ch.length;
    }
  }

  /** A string literal from its opening quote (the prefix, if any, is before `this.pos`). */
  private string(start: number): Token {
    const text = this.text;
    const firstLine = this.lineno;
    const firstLineStart = this.lineStart;
    const quote = text.charCodeAt(this.pos);
    let quoteSize = 1;
    let endQuoteSize = 0;
    if (text.charCodeAt(this.pos + 1) === quote) {
      if (text.charCodeAt(this.pos + 2) === quote) {
        quoteSize = 3;
        this.pos += 3;
      } else {
        endQuoteSize = 1; // the empty string
        this.pos += 2;
      }
    } else this.pos++;

    while (endQuoteSize !== quoteSize) {
      const c = text.charCodeAt(this.pos);
      if (this.pos >= text.length || (quoteSize === 1 && c === NL)) {
        // Report from the opening quote, on its line (tokenizer.c resets cur and lineno there).
        const detected = this.lineno;
        this.lineno = firstLine;
        this.lineStart = firstLineStart;
        this.lineAscii = this.source.isAsciiLine(firstLineStart);
        this.pos = start + 1;
        const what = quoteSize === 3 ? 'unterminated triple-quoted string literal' : 'unterminated string literal';
        this.fail(`${what} (detected at line ${this.source.fileLine(detected)})`);
      }
      if (c === quote) {
        endQuoteSize++;
        this.pos++;
      } else {
        endQuoteSize = 0;
        if (c === BACKSLASH) this.pos++; // the escaped character is skipped, a newline too
        if (text.charCodeAt(this.pos) === NL) this.crossNewline();
        else this.pos++;
      }
    }
    return this.spanningToken('STRING', start, this.pos, firstLine, firstLineStart);
  }

  /** A number, following tok_get's branches: `start` at its first digit, or `fraction` at a leading `.`. */
  private number(start: number, entry: 'start' | 'fraction'): Token {
    const text = this.text;
    if (entry === 'fraction') return this.afterFraction(start, text.charCodeAt(++this.pos)); // past the '.', at a digit
    let c = text.charCodeAt(this.pos);
    if (c === 0x30) {
      c = text.charCodeAt(++this.pos);
      const lower = c | 0x20;
      if (lower === 0x78) return this.radix(start, 'hexadecimal', isHexDigit);
      if (lower === 0x6f) return this.radix(start, 'octal', (d) => d >= 0x30 && d <= 0x37);
      if (lower === 0x62) return this.radix(start, 'binary', (d) => d === 0x30 || d === 0x31);
      // Maybe an old-style octal; a run of zeros is fine.
      let nonzero = false;
      for (;;) {
        if (c === UNDERSCORE) {
          c = text.charCodeAt(++this.pos);
          if (!isDigit(c)) this.fail('invalid decimal literal');
        }
        if (c !== 0x30) break;
        c = text.charCodeAt(++this.pos);
      }
      const zerosEnd = this.pos;
      if (isDigit(c)) {
        nonzero = true;
        c = this.decimalTail();
      }
      if (c === DOT) return this.afterFraction(start, text.charCodeAt(++this.pos));
      if ((c | 0x20) === 0x65) return this.exponent(start, c);
      if ((c | 0x20) === 0x6a) return this.imaginary(start);
      if (nonzero) {
        // tokenizer.c gives this range in bytes; so does this.
        this.fail(
          'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
          this.source.bytesBetween(this.lineStart, start) + 1,
          this.source.bytesBetween(this.lineStart, zerosEnd) + 1,
        );
      }
      this.verifyEndOfNumber(c, 'decimal');
      return this.numberToken(start);
    }
    c = this.decimalTail();
    if (c === DOT) return this.afterFraction(start, text.charCodeAt(++this.pos));
    if ((c | 0x20) === 0x65) return this.exponent(start, c);
    if ((c | 0x20) === 0x6a) return this.imaginary(start);
    this.verifyEndOfNumber(c, 'decimal');
    return this.numberToken(start);
  }

  /** After the `0x`, `0o` or `0b`: digits of the radix, single underscores between them. */
  private radix(start: number, kind: 'hexadecimal' | 'octal' | 'binary', isRadixDigit: (c: number) => boolean): Token {
    const text = this.text;
    let c = text.charCodeAt(++this.pos);
    do {
      if (c === UNDERSCORE) c = text.charCodeAt(++this.pos);
      if (!isRadixDigit(c)) {
        if (kind !== 'hexadecimal' && isDigit(c)) {
          this.pos++;
          this.fail(`invalid digit '${String.fromCharCode(c)}' in ${kind} literal`);
        }
        this.fail(`invalid ${kind} literal`);
      }
      do c = text.charCodeAt(++this.pos);
      while (isRadixDigit(c));
    } while (c === UNDERSCORE);
    if (kind !== 'hexadecimal' && isDigit(c)) {
      this.pos++;
      this.fail(`invalid digit '${String.fromCharCode(c)}' in ${kind} literal`);
    }
    this.verifyEndOfNumber(c, kind);
    return this.numberToken(start);
  }

  /** tokenizer.c's `tok_decimal_tail`: digits with single underscores; returns the character after. */
  private decimalTail(): number {
    const text = this.text;
    for (;;) {
      let c: number;
      do c = text.charCodeAt(++this.pos);
      while (isDigit(c));
      if (c !== UNDERSCORE) return c;
      c = text.charCodeAt(++this.pos);
      if (!isDigit(c)) this.fail('invalid decimal literal');
    }
  }

  /** `fraction:` — `c` is the character after the `.`. */
  private afterFraction(start: number, c: number): Token {
    if (isDigit(c)) c = this.decimalTail();
    if ((c | 0x20) === 0x65) return this.exponent(start, c);
    if ((c | 0x20) === 0x6a) return this.imaginary(start);
    this.verifyEndOfNumber(c, 'decimal');
    return this.numberToken(start);
  }

  /** `exponent:` — at the `e`. An `e` not followed by digits ends the number before it (`1else`). */
  private exponent(start: number, e: number): Token {
    const text = this.text;
    let c = text.charCodeAt(++this.pos);
    if (c === 0x2b || c === 0x2d) {
      c = text.charCodeAt(++this.pos);
      if (!isDigit(c)) this.fail('invalid decimal literal');
    } else if (!isDigit(c)) {
      this.pos--;
      this.verifyEndOfNumber(e, 'decimal');
      return this.numberToken(start);
    }
    c = this.decimalTail();
    if ((c | 0x20) === 0x6a) return this.imaginary(start);
    this.verifyEndOfNumber(c, 'decimal');
    return this.numberToken(start);
  }

  private numberToken(start: number): Token {
    return this.token('NUMBER', start, this.pos, this.text.slice(start, this.pos));
  }

  /** `imaginary:` — at the `j`. */
  private imaginary(start: number): Token {
    const c = this.text.charCodeAt(++this.pos);
    this.verifyEndOfNumber(c, 'imaginary');
    return this.numberToken(start);
  }

  /**
   * tokenizer.c's `verify_end_of_number`, with `c` at `this.pos`. A number may run into a keyword
   * that can follow it in valid code (`1if x else 2`: CPython only warns); any other letter or
   * digit makes it invalid.
   */
  private verifyEndOfNumber(c: number, kind: string): void {
    // Only ASCII letters and digits make it invalid (a non-ASCII byte is left to the parser).
    if (c >= 0x80 || !isIdentifierChar(c)) return;
    let keyword = false;
    if (c === 0x61) keyword = this.followedBy('nd'); // and
    else if (c === 0x65) keyword = this.followedBy('lse'); // else
    else if (c === 0x66) keyword = this.followedBy('or'); // for
    else if (c === 0x69) keyword = 'fns'.includes(this.text[this.pos + 1] ?? ' '); // if, in, is: the next letter is enough
    else if (c === 0x6f) keyword = this.followedBy('r'); // or
    else if (c === 0x6e) keyword = this.followedBy('ot'); // not
    if (!keyword) this.fail(`invalid ${kind} literal`);
  }

  /** tokenizer.c's `lookahead`: the word follows the character at `pos`, and no identifier character after it. */
  private followedBy(word: string): boolean {
    const after = this.pos + 1;
    return this.text.startsWith(word, after) && !isIdentifierChar(this.text.charCodeAt(after + word.length));
  }

  private operator(start: number): Token {
    const text = this.text;
    const c = text.charCodeAt(start);
    const length = operatorLength(c, text.charCodeAt(start + 1), text.charCodeAt(start + 2));
    this.pos += length;
    if (length === 1) {
      if (c === 0x28 || c === 0x5b || c === 0x7b) {
        // ( [ {
        if (this.brackets.length >= MAX_LEVEL) this.fail('too many nested parentheses');
        this.brackets.push({ char: text[start]!, lineno: this.lineno, col: this.columnOf(start) });
      } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
        // ) ] }
        const ch = text[start]!;
        const open = this.brackets.pop();
        if (!open) this.fail(`unmatched '${ch}'`);
        if (open.char !== CLOSING[ch]) {
          const where = open.lineno !== this.lineno ? ` on line ${this.source.fileLine(open.lineno)}` : '';
          this.fail(`closing parenthesis '${ch}' does not match opening parenthesis '${open.char}'${where}`);
        }
      } else if (c < 0x20 || c === 0x7f) {
        const hex = c.toString(16).toUpperCase().padStart(4, '0');
        this.fail(`invalid non-printable character U+${hex}`);
      }
      // Any other character is a one-character OP the parser will refuse (`$`, `?`, `!`).
    }
    return this.token('OP', start, this.pos, text.slice(start, this.pos));
  }

  /** Bytes from the start of the tokenizer's line to `index` on it. */
  private columnOf(index: number): number {
    return this.lineAscii ? index - this.lineStart : this.source.bytesBetween(this.lineStart, index);
  }

  /** A token that starts and ends on the tokenizer's line. */
  private token(type: TokenType, start: number, end: number, text: string): Token {
    const col = this.columnOf(start);
    const endCol = this.lineAscii ? col + end - start : col + this.source.bytesBetween(start, end);
    // CPython shifts a fragment's columns on the fragment's first line.
    const shift = this.lineno === 1 ? this.source.origin.column : 0;
    const lineno = this.lineno + this.lineOffset;
    return { type, text, start, end, lineno, col_offset: col + shift, end_lineno: lineno, end_col_offset: endCol + shift };
  }

  /** A token that may span lines (a string): it starts on `lineno`, at `lineStart`'s line. */
  private spanningToken(type: TokenType, start: number, end: number, lineno: number, lineStart: number): Token {
    const source = this.source;
    // CPython shifts a fragment's columns when the token ends on the fragment's first line.
    const shift = this.lineno === 1 ? source.origin.column : 0;
    return {
      type,
      text: this.text.slice(start, end),
      start,
      end,
      lineno: lineno + this.lineOffset,
      col_offset: shift + source.bytesBetween(lineStart, start),
      end_lineno: this.lineno + this.lineOffset,
      end_col_offset: shift + source.bytesBetween(this.lineStart, end),
    };
  }

  /**
   * tokenizer.c's `syntaxerror`: the line up to the tokenizer's position is the text, and its
   * length in characters the offset, unless a range is given (in bytes, as tokenizer.c does).
   */
  private fail(msg: string, offset?: number, endOffset?: number): never {
    const source = this.source;
    const col = offset ?? source.charsBetween(this.lineStart, this.pos);
    throw new Stopped({
      deferred: false,
      error: new PySyntaxError('SyntaxError', {
        msg,
        filename: source.filename,
        lineno: source.fileLine(this.lineno),
        offset: col,
        end_lineno: source.fileLine(this.lineno),
        end_offset: endOffset ?? col,
        text: source.line(this.lineno),
      }),
    });
  }

  /** The errors CPython keeps as a `done` code and raises in the parser (`_Pypegen_tokenizer_error`). */
  private stopAt(code: 'tabspace' | 'toodeep' | 'dedent' | 'linecont' | 'eof'): never {
    const source = this.source;
    if (code === 'eof' && this.brackets.length > 0) throw new Stopped({ deferred: true, error: this.unclosedBracket()! });
    // The text is the tokenizer's buffer: the error is on the line it is reading.
    const text = this.bufferText();
    const raise = (name: SyntaxErrorName, msg: string, offset: number, endOffset: number): never => {
      throw new Stopped({
        deferred: true,
        error: new PySyntaxError(name, {
          msg,
          filename: source.filename,
          lineno: source.fileLine(this.lineno),
          offset,
          end_lineno: source.fileLine(this.lineno),
          end_offset: endOffset,
          text,
        }),
      });
    };
    // For an error token CPython has no column of its own, it takes the tokenizer's: the whole line.
    const lineEnd = byteToCharOffset(text, source.bytesBetween(this.lineStart, this.text.indexOf('\n', this.lineStart) + 1));
    switch (code) {
      case 'tabspace':
        return raise('TabError', 'inconsistent use of tabs and spaces in indentation', 1, 0);
      case 'toodeep':
        return raise('IndentationError', 'too many levels of indentation', 1, 0);
      case 'dedent':
        return raise('IndentationError', 'unindent does not match any outer indentation level', lineEnd, -1);
      case 'linecont': {
        // tokenizer.c measures this one from the buffer's start (`tok->cur - tok->buf - 1`).
        const col = byteToCharOffset(text, source.bytesBetween(this.bufferStart, this.pos - 1) + 1);
        return raise('SyntaxError', 'unexpected character after line continuation character', col, 0);
      }
      case 'eof':
        return raise('SyntaxError', 'unexpected EOF while parsing', lineEnd, -1);
    }
  }

  /** "'(' was never closed", for the innermost open bracket, or null if none is open. */
  unclosedBracket(): PySyntaxError | null {
    const open = this.brackets[this.brackets.length - 1];
    if (!open) return null;
    const source = this.source;
    // The text has its newline only if the tokenizer is still on that line (see parser.ts, `errorText`).
    const text = open.lineno >= this.lineno ? `${source.line(open.lineno)}\n` : source.line(open.lineno);
    return new PySyntaxError('SyntaxError', {
      msg: `'${open.char}' was never closed`,
      filename: source.filename,
      lineno: source.fileLine(open.lineno),
      offset: byteToCharOffset(text, open.col + 1),
      end_lineno: source.fileLine(open.lineno),
      end_offset: 0,
      text,
    });
  }
}

/** Unwinds the scanner to `next` when it cannot go on. */
class Stopped extends Error {
  readonly stop: TokenizerStop;
  constructor(stop: TokenizerStop) {
    super(stop.error.msg);
    this.stop = stop;
  }
}

/** Every token of `source`, ENDMARKER last, or the SyntaxError CPython's tokenizer would raise. */
export function tokenize(source: SourceText): Token[] {
  const tokenizer = new Tokenizer(source);
  const tokens: Token[] = [];
  for (;;) {
    const token = tokenizer.next();
    if (!token) throw tokenizer.stop!.error;
    tokens.push(token);
    if (token.type === 'ENDMARKER') return tokens;
  }
}
