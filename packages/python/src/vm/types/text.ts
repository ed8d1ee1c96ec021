/**
 * A Python str is a sequence of code points; a JS string is UTF-16. These helpers index by
 * code point, with a fast path for the common string that has no surrogates (where the two
 * agree), so len, indexing, slicing and find count as CPython does for astral characters.
 */

const SURROGATE = /[\ud800-\udfff]/;

/** Whether code point and UTF-16 indexes differ in `s`. */
export function isWide(s: string): boolean {
  return SURROGATE.test(s);
}

/** len(s). */
export function cpLength(s: string): number {
  if (!isWide(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The code points of `s` as one-character strings (astral ones two units long). */
export function codePoints(s: string): string[] {
  return Array.from(s);
}

/** UTF-16 offset of each code point index 0…len (inclusive), for a wide string. */
export function unitOffsets(s: string): number[] {
  const out: number[] = [];
  let i = 0;
  for (const ch of s) {
    out.push(i);
    i += ch.length;
  }
  out.push(i);
  return out;
}

/** A converter between code point and unit indexes of one string. */
export class Indexer {
  readonly wide: boolean;
  readonly length: number;
  readonly #offsets: number[] | null;
  constructor(readonly text: string) {
    this.wide = isWide(text);
    this.#offsets = this.wide ? unitOffsets(text) : null;
    this.length = this.wide ? this.#offsets!.length - 1 : text.length;
  }
  /** Unit offset of code point index `i` (0 ≤ i ≤ length). */
  unit(i: number): number {
    return this.#offsets ? this.#offsets[i]! : i;
  }
  /** Code point index of unit offset `u` (at a code point boundary). */
  point(u: number): number {
    if (!this.#offsets) return u;
    let lo = 0;
    let hi = this.#offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#offsets[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  slice(start: number, stop: number): string {
    return this.text.slice(this.unit(start), this.unit(stop));
  }
  at(i: number): string {
    return this.text.slice(this.unit(i), this.unit(i + 1));
  }
}

/** str.isspace's characters (bidirectional WS, B, S, or category Zs), as CPython's _PyUnicode_IsWhitespace. */
// eslint-disable-next-line no-control-regex -- the separators \x1c-\x1f are whitespace to Python
export const WHITESPACE: RegExp = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function isSpace(ch: string): boolean {
  return ch.length === 1 && WHITESPACE.test(ch);
}

/** str.splitlines' line boundaries. */
// eslint-disable-next-line no-control-regex -- \x1c-\x1e are line boundaries to Python
export const LINE_BREAK: RegExp = /[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
