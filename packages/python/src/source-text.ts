/**
 * Source text as CPython's tokenizer reads it, and the three ways of counting a column.
 *
 * CPython translates newlines before tokenizing (`\r\n` and `\r` become `\n`) and adds a final
 * newline to code that lacks one, so every line ends in `\n`. Its ast counts lines from 1 and
 * columns from 0 in UTF-8 bytes; a SyntaxError's offsets count characters (code points) from 1;
 * a JS string index counts UTF-16 units. This class keeps the translated text and converts.
 */

/** Where a fragment of source lies in the file around it: its first line there, and that line's first byte column. */
export interface Origin {
  readonly line: number;
  readonly column: number;
}

export class SourceText {
  /** The translated text: `\n` newlines only, and (unless empty) ending in one. */
  readonly text: string;
  readonly filename: string;
  /**
   * A fragment — an f-string's `{expression}`, parsed on its own as CPython 3.11 does — reports
   * positions in the enclosing file: its line 1 is `origin.line` there, shifted by `origin.column`.
   */
  readonly origin: Origin;
  /** Line `n` starts at `text[starts[n - 1]]`. */
  private readonly starts: number[];
  /** Whether every character is ASCII: then byte, character and UTF-16 columns are all the same. */
  readonly ascii: boolean;

  constructor(source: string, filename = '<unknown>', origin: Origin = { line: 1, column: 0 }) {
    let text = source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source;
    // tokenizer.c's `translate_newlines` adds the final newline, and one more after a final `\r\n`
    // (reading past that `\n`, it takes the string's end for the last character).
    if ((text !== '' && !text.endsWith('\n')) || source.endsWith('\r\n')) text += '\n';
    this.text = text;
    this.filename = filename;
    this.origin = origin;
    this.ascii = !/[\u0080-\uffff]/.test(text);
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1 && i + 1 < text.length; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  /** The number of lines; an empty source has none. */
  get lineCount(): number {
    return this.text === '' ? 0 : this.starts.length;
  }

  /** The index of line `lineno`'s first character (local line numbers, from 1). */
  lineStart(lineno: number): number {
    return this.starts[Math.min(Math.max(lineno, 1), this.starts.length) - 1]!;
  }

  /** Line `lineno` without its newline. */
  line(lineno: number): string {
    const start = this.lineStart(lineno);
    const end = this.text.indexOf('\n', start);
    return this.text.slice(start, end === -1 ? this.text.length : end);
  }

  /** Whether the line starting at index `start` is all ASCII. */
  isAsciiLine(start: number): boolean {
    if (this.ascii) return true;
    const text = this.text;
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) return true;
      if (c >= 0x80) return false;
    }
    return true;
  }

  /** UTF-8 bytes from `from` to `to` (indices on one line). */
  bytesBetween(from: number, to: number): number {
    if (this.ascii) return to - from;
    let bytes = 0;
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      // A surrogate pair is one 4-byte character: count it at its high half.
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : (c & 0xfc00) === 0xd800 ? 4 : (c & 0xfc00) === 0xdc00 ? 0 : 3;
    }
    return bytes;
  }

  /** Characters (code points) from `from` to `to`. */
  charsBetween(from: number, to: number): number {
    if (this.ascii) return to - from;
    let chars = 0;
    for (let i = from; i < to; i++) if ((this.text.charCodeAt(i) & 0xfc00) !== 0xdc00) chars++;
    return chars;
  }

  /** A local line number as the enclosing file counts it. */
  fileLine(lineno: number): number {
    return this.origin.line + lineno - 1;
  }
}
