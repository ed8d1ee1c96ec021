/**
 * The grammar's `strings` rule: adjacent string tokens become one Constant (str or bytes) or,
 * when an f-string is among them, one JoinedStr. This is CPython 3.11's Parser/string_parser.c
 * (`_PyPegen_concatenate_strings` and the f-string parser below it), whose quirks the tree keeps:
 * the parts of a JoinedStr carry the position of the whole literal, a format spec's last part
 * that of its own token, and each `{expression}` is parsed on its own as `(expression)`.
 */
import type { Constant, Expression, FormattedValue, JoinedStr, Position } from './ast.ts';
import { LiteralError, decodeBytesEscapes, decodeStrEscapes } from './escapes.ts';
import type { Token } from './tokens.ts';

/** What the f-string parser needs from the parser around it. */
export interface StringContext {
  /** Raises a SyntaxError where the parser is (the token after the strings), as RAISE_SYNTAX_ERROR does. */
  error(msg: string): never;
  /** Raises a SyntaxError over a token. */
  errorAt(token: Token, msg: string): never;
  /**
   * Parses the expression between `{` (at `brace`, an index into `token.text`) and `end`: the
   * text `(expression)` as its own source, placed where the brace is.
   */
  expression(token: Token, brace: number, end: number): Expression;
}

interface Literal {
  readonly bytes: boolean;
  readonly raw: boolean;
  readonly fstring: boolean;
  /** The text between the quotes: `token.text.slice(bodyStart, bodyEnd)`. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/** string_parser.c's `_PyPegen_parsestr`, up to decoding: the prefix and where the body is. */
function splitLiteral(text: string): Literal {
  let bytes = false, raw = false, fstring = false;
  let i = 0;
  for (; text[i] !== "'" && text[i] !== '"'; i++) {
    const letter = text[i]!.toLowerCase();
    if (letter === 'b') bytes = true;
    else if (letter === 'r') raw = true;
    else if (letter === 'f') fstring = true;
  }
  const quote = text[i]!;
  const triple = text.length - i >= 6 && text[i + 1] === quote && text[i + 2] === quote;
  const size = triple ? 3 : 1;
  return { bytes, raw, fstring, bodyStart: i + size, bodyEnd: text.length - size };
}

const span = (first: Token, last: Token): Position => ({
  lineno: first.lineno,
  col_offset: first.col_offset,
  end_lineno: last.end_lineno,
  end_col_offset: last.end_col_offset,
});

/** The literal parts and expressions of a JoinedStr being built (string_parser.c's `FstringParser`). */
class JoinedStrBuilder {
  readonly values: (Constant | FormattedValue)[] = [];
  private lastStr = '';
  fmode = false;

  addLiteral(text: string): void {
    this.lastStr += text;
  }

  /** Turns the pending literal into a Constant; `first` decides its `kind` (only a lowercase `u` counts). */
  flushLiteral(first: Token, last: Token): void {
    if (this.lastStr === '') return;
    this.values.push({ _type: 'Constant', value: this.lastStr, kind: first.text[0] === 'u' ? 'u' : null, ...span(first, last) });
    this.lastStr = '';
  }

  /** A Constant for plain strings, a JoinedStr once an f-string was seen. */
  finish(first: Token, last: Token): Constant | JoinedStr {
    if (!this.fmode) {
      return { _type: 'Constant', value: this.lastStr, kind: first.text[0] === 'u' ? 'u' : null, ...span(first, last) };
    }
    this.flushLiteral(first, last);
    return { _type: 'JoinedStr', values: this.values, ...span(first, last) };
  }
}

/** `_PyPegen_concatenate_strings`: one node for adjacent string tokens. */
export function concatenateStrings(tokens: readonly Token[], context: StringContext): Constant | JoinedStr {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const builder = new JoinedStrBuilder();
  let bytesMode = false;
  const chunks: Uint8Array[] = [];
  try {
    tokens.forEach((token, i) => {
      const literal = splitLiteral(token.text);
      const body = token.text.slice(literal.bodyStart, literal.bodyEnd);
      let bytes: Uint8Array | null = null;
      let str: string | null = null;
      if (literal.fstring) {
        // Parsed below, once the mix of bytes and str is known to be fine.
      } else if (literal.bytes) {
        if (/[\u0080-\uffff]/.test(body)) context.errorAt(token, 'bytes can only contain ASCII literal characters');
        bytes = decodeBytesEscapes(body, literal.raw);
      } else {
        str = literal.raw ? body : decodeStrEscapes(body);
      }
      if (i !== 0 && bytesMode !== literal.bytes) context.error('cannot mix bytes and nonbytes literals');
      bytesMode = literal.bytes;
      if (literal.fstring) {
        const parser = new FStringParser(token, literal, first, last, context);
        parser.concat(builder, literal.bodyStart, 0);
      } else if (bytes) chunks.push(bytes);
      else builder.addLiteral(str!);
    });
  } catch (error) {
    if (error instanceof LiteralError) context.error(error.message);
    throw error;
  }
  if (bytesMode) {
    const value = new Uint8Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      value.set(chunk, offset);
      offset += chunk.length;
    }
    return { _type: 'Constant', value, kind: null, ...span(first, last) };
  }
  return builder.finish(first, last);
}

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\f';
/** C's `Py_ISSPACE`, which skips the whitespace after `=` in `{x = }`. */
const isAsciiSpace = (ch: string | undefined): boolean => ch !== undefined && ' \t\n\r\f\v'.includes(ch);

/** The f-string parser of string_parser.c, over one token's text: indices below index `token.text`. */
class FStringParser {
  private readonly text: string;
  /** The end of the body: the closing quotes. */
  private readonly end: number;
  private pos = 0;

  constructor(
    private readonly token: Token,
    private readonly literal: Literal,
    private readonly first: Token,
    private readonly last: Token,
    private readonly context: StringContext,
  ) {
    this.text = token.text;
    this.end = literal.bodyEnd;
  }

  /** `_PyPegen_FstringParser_ConcatFstring`: literals and `{expressions}` up to the end or, in a format spec, a `}`. */
  concat(builder: JoinedStrBuilder, from: number, depth: number): void {
    builder.fmode = true;
    this.pos = from;
    for (;;) {
      const { literal, doubled } = this.findLiteral(depth);
      if (literal) builder.addLiteral(literal);
      if (doubled) continue;
      if (this.pos >= this.end || this.text[this.pos] === '}') break;
      const { text, value } = this.findExpression(depth);
      if (text !== null) builder.addLiteral(text);
      builder.flushLiteral(this.first, this.last);
      builder.values.push(value);
    }
    if (depth !== 0 && this.text[this.pos] !== '}') this.context.error("f-string: expecting '}'");
  }

  /**
   * `fstring_find_literal`: the text up to the next `{` (or, in a format spec, `}`), decoded.
   * `{{` and `}}` stand for one brace: the literal ends after the first, `doubled`, and the
   * second is skipped.
   */
  private findLiteral(depth: number): { literal: string; doubled: boolean } {
    const text = this.text;
    const start = this.pos;
    let s = start;
    let doubled = false;
    while (s < this.end) {
      let ch = text[s++]!;
      if (!this.literal.raw && ch === '\\' && s < this.end) {
        ch = text[s++]!;
        if (ch === 'N') {
          // \N{NAME}: its braces are not the f-string's.
          if (s < this.end && text[s++] === '{') {
            while (s < this.end && text[s++] !== '}');
            continue;
          }
          break;
        }
      }
      if (ch === '{' || ch === '}') {
        if (depth === 0) {
          if (s < this.end && text[s] === ch) {
            this.pos = s + 1;
            doubled = true;
            return { literal: this.decode(start, s), doubled };
          }
          if (ch === '}') {
            this.pos = s - 1;
            this.context.error("f-string: single '}' is not allowed");
          }
        }
        s--;
        break;
      }
    }
    this.pos = s;
    return { literal: this.decode(start, s), doubled };
  }

  private decode(start: number, end: number): string {
    const body = this.text.slice(start, end);
    return this.literal.raw ? body : decodeStrEscapes(body);
  }

  /**
   * `fstring_find_expr`, at a `{`: the expression up to its `=`, `!`, `:` or `}` (outside any
   * brackets or strings of its own), then the conversion and the format spec.
   */
  private findExpression(depth: number): { text: string | null; value: FormattedValue } {
    const { text, context } = this;
    if (depth >= 2) context.error('f-string: expressions nested too deeply');
    const brace = this.pos;
    const exprStart = ++this.pos;
    let quote = '';
    let triple = false;
    const brackets: string[] = [];
    for (; this.pos < this.end; this.pos++) {
      const ch = text[this.pos]!;
      if (ch === '\\') context.error('f-string expression part cannot include a backslash');
      if (quote) {
        if (ch !== quote) continue;
        if (!triple) quote = '';
        else if (this.pos + 2 < this.end && text[this.pos + 1] === ch && text[this.pos + 2] === ch) {
          this.pos += 2;
          quote = '';
          triple = false;
        }
      } else if (ch === "'" || ch === '"') {
        triple = this.pos + 2 < this.end && text[this.pos + 1] === ch && text[this.pos + 2] === ch;
        if (triple) this.pos += 2;
        quote = ch;
      } else if (ch === '[' || ch === '{' || ch === '(') {
        if (brackets.length >= 200) context.error('f-string: too many nested parenthesis');
        brackets.push(ch);
      } else if (ch === '#') {
        context.error("f-string expression part cannot include '#'");
      } else if (brackets.length === 0 && '!:}=<>'.includes(ch)) {
        // `!=`, `==`, `<=`, `>=` and lone `<`, `>` are operators, not the end of the expression.
        const next = text[this.pos + 1];
        if (this.pos + 1 < this.end && next === '=' && ch !== ':' && ch !== '}') {
          this.pos++;
          continue;
        }
        if (ch === '<' || ch === '>') continue;
        break;
      } else if (ch === ']' || ch === '}' || ch === ')') {
        const opening = brackets.pop();
        if (!opening) context.error(`f-string: unmatched '${ch}'`);
        if ({ ')': '(', ']': '[', '}': '{' }[ch] !== opening) {
          context.error(`f-string: closing parenthesis '${ch}' does not match opening parenthesis '${opening}'`);
        }
      }
    }
    const exprEnd = this.pos;
    if (quote) context.error('f-string: unterminated string');
    if (brackets.length > 0) context.error(`f-string: unmatched '${brackets[brackets.length - 1]}'`);
    if (this.pos >= this.end) this.expectingBrace();

    // The expression first, so that its errors come before those of what follows it.
    let s = exprStart;
    while (s < exprEnd && isSpace(text[s])) s++;
    if (s === exprEnd) context.error('f-string: empty expression not allowed');
    const expression = context.expression(this.token, brace, exprEnd);

    let debugText: string | null = null;
    if (text[this.pos] === '=') {
      this.pos++;
      while (isAsciiSpace(text[this.pos])) this.pos++;
      if (this.pos >= this.end) this.expectingBrace();
      debugText = text.slice(exprStart, this.pos);
    }
    let conversion = -1;
    if (text[this.pos] === '!') {
      if (++this.pos >= this.end) this.expectingBrace();
      conversion = text.charCodeAt(this.pos++);
      if (conversion !== 0x73 && conversion !== 0x72 && conversion !== 0x61) {
        context.error("f-string: invalid conversion character: expected 's', 'r', or 'a'");
      }
    }
    let formatSpec: JoinedStr | null = null;
    if (this.pos < this.end && text[this.pos] === ':') {
      if (++this.pos >= this.end) this.expectingBrace();
      // `fstring_parse`: the spec is an f-string of its own, finished at the token it is in.
      const spec = new JoinedStrBuilder();
      this.concat(spec, this.pos, depth + 1);
      formatSpec = spec.finish(this.token, this.token) as JoinedStr;
    }
    if (this.pos >= this.end || text[this.pos] !== '}') this.expectingBrace();
    this.pos++;
    // `{x=}` shows the repr unless a conversion or a format spec says otherwise.
    if (debugText !== null && formatSpec === null && conversion === -1) conversion = 0x72;
    const value: FormattedValue = {
      _type: 'FormattedValue',
      value: expression,
      conversion,
      format_spec: formatSpec,
      ...span(this.first, this.last),
    };
    return { text: debugText, value };
  }

  private expectingBrace(): never {
    return this.context.error("f-string: expecting '}'");
  }
}
