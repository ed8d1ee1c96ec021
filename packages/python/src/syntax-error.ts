/**
 * SyntaxError as CPython 3.11 raises and prints it.
 *
 * The fields are the exception's attributes: `offset` and `end_offset` count characters from 1
 * (not bytes, as the ast's columns do), `text` is the source line the error is on. The
 * formatter prints the block `python3 lesson.py` writes to stderr (Python/pythonrun.c,
 * `print_exception`), caret line included.
 */

export type SyntaxErrorName = 'SyntaxError' | 'IndentationError' | 'TabError';

export interface SyntaxErrorFields {
  readonly msg: string;
  readonly filename: string;
  readonly lineno: number;
  readonly offset: number;
  readonly end_lineno: number;
  readonly end_offset: number;
  readonly text: string | null;
}

export class PySyntaxError extends Error implements SyntaxErrorFields {
  /** The Python exception class: SyntaxError or one of its subclasses. */
  override readonly name: SyntaxErrorName;
  readonly msg: string;
  readonly filename: string;
  readonly lineno: number;
  readonly offset: number;
  readonly end_lineno: number;
  readonly end_offset: number;
  readonly text: string | null;

  constructor(name: SyntaxErrorName, fields: SyntaxErrorFields) {
    // str() of a SyntaxError, as CPython spells it.
    super(`${fields.msg} (${fields.filename}, line ${fields.lineno})`);
    this.name = name;
    this.msg = fields.msg;
    this.filename = fields.filename;
    this.lineno = fields.lineno;
    this.offset = fields.offset;
    this.end_lineno = fields.end_lineno;
    this.end_offset = fields.end_offset;
    this.text = fields.text;
  }
}

/**
 * The lines `python3` prints for an uncaught SyntaxError, ending in a newline:
 *
 *       File "lesson.py", line 1
 *         print "x"
 *         ^^^^^^^^^
 *     SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?
 */
export function formatSyntaxError(error: SyntaxErrorFields & { readonly name: string }): string {
  let out = `  File "${error.filename}", line ${error.lineno}\n`;
  if (error.text !== null) {
    // Only SyntaxError itself draws a range: for its subclasses parse_syntax_error takes the
    // end to be unknown, on the same line.
    const exact = error.name === 'SyntaxError';
    let endOffset = exact ? error.end_offset : -1;
    const lineSize = utf8Length(error.text);
    // A range that runs past its first line is drawn to the end of that line.
    if (exact && error.end_lineno > error.lineno) endOffset = lineSize;
    if (endOffset > lineSize + 1) endOffset = lineSize + 1;
    out += errorText(error.offset, endOffset, error.text);
  }
  return `${out}${error.name}: ${error.msg}\n`;
}

/**
 * Python/pythonrun.c's `print_error_text`: the line, stripped on the left, and its carets. It
 * measures the line in UTF-8 bytes and the offset in characters, and so does this.
 */
function errorText(offset: number, endOffset: number, text: string): string {
  const carets = endOffset > 0 && endOffset > offset ? endOffset - offset : 1;
  offset -= 1;
  let start = 0;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t' || text[start] === '\f')) {
    start++;
    offset--;
  }
  let line = text.slice(start);
  const newline = line.endsWith('\n');
  let length = utf8Length(line) - (newline ? 1 : 0);
  if (offset > length) offset = length;
  // A text of several lines is cut to the line the offset falls on.
  for (let nl = line.indexOf('\n'); nl !== -1; nl = line.indexOf('\n')) {
    const before = utf8Length(line.slice(0, nl));
    if (before >= offset) break;
    line = line.slice(nl + 1);
    length -= before + 1;
    offset -= before + 1;
  }
  let out = `    ${line}`;
  if (!newline || length < 0) out += '\n';
  if (offset < 0) return out;
  return `${out}    ${' '.repeat(offset)}${'^'.repeat(carets)}\n`;
}

export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 ? 4 : (c & 0xfc00) === 0xdc00 ? 0 : 3;
  }
  return bytes;
}

/**
 * Parser/pegen.c's `_PyPegen_byte_offset_to_character_offset`: the characters in the first
 * `offset` bytes of `text`, an offset past the end counting as one more (the C string's NUL).
 */
export function byteToCharOffset(text: string, offset: number): number {
  const size = utf8Length(text);
  if (offset > size + 1) offset = size + 1;
  let chars = 0;
  let bytes = 0;
  for (let i = 0; i < text.length && bytes < offset; i++) {
    const c = text.charCodeAt(i);
    if ((c & 0xfc00) === 0xdc00) continue;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 ? 4 : 3;
    chars++;
  }
  return offset > size ? chars + 1 : chars;
}
