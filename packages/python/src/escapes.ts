/**
 * Escape sequences in string and bytes literals, decoded as CPython 3.11 does: str bodies with
 * the `unicode_escape` codec (Objects/unicodeobject.c), bytes bodies with `_PyBytes_DecodeEscape`
 * (Objects/bytesobject.c). An unknown escape (`\q`) stays as written, backslash and all.
 *
 * `\N{name}` needs the Unicode character database, which a JS runtime does not carry: it is
 * refused with a message that says so rather than guessed at.
 */

/** A literal CPython refuses, with the message its SyntaxError will carry. */
export class LiteralError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', b: '\b', f: '\f', t: '\t', n: '\n', r: '\r', v: '\v', a: '\x07',
};

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };
const HEX_NAMES: Record<string, string> = { x: '\\xXX', u: '\\uXXXX', U: '\\UXXXXXXXX' };

const isOctal = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '7';
const isHex = (ch: string | undefined): boolean => ch !== undefined && /^[0-9a-fA-F]$/.test(ch);

/** Decodes the escapes of a str literal's body. */
export function decodeStrEscapes(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  // CPython feeds the codec a buffer in which each non-ASCII character is a 10-byte \U escape
  // (and a backslash before one becomes \u005c); its error messages count positions there.
  let position = 0;
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (ch !== '\\') {
      const code = body.codePointAt(i)!;
      const width = code > 0xffff ? 2 : 1;
      out += body.slice(i, i + width);
      position += code < 0x80 ? 1 : 10;
      i += width;
      continue;
    }
    const start = position;
    const next = body[i + 1];
    if (next === undefined || next.charCodeAt(0) >= 0x80) {
      out += '\\'; // a backslash before a non-ASCII character is only a backslash
      position += 6;
      i += 1;
      continue;
    }
    i += 2;
    position += 2;
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
    } else if (isOctal(next)) {
      let value = next.charCodeAt(0) - 0x30;
      for (let n = 1; n < 3 && isOctal(body[i]); n++, i++, position++) value = value * 8 + body.charCodeAt(i) - 0x30;
      out += String.fromCodePoint(value);
    } else if (next in HEX_DIGITS) {
      const digits = HEX_DIGITS[next]!;
      let value = 0;
      let n = 0;
      for (; n < digits && isHex(body[i]); n++, i++, position++) value = value * 16 + parseInt(body[i]!, 16);
      if (n < digits) throw codecError(start, position, `truncated ${HEX_NAMES[next]} escape`);
      if (value > 0x10ffff) throw codecError(start, position, 'illegal Unicode character');
      out += String.fromCodePoint(value);
    } else if (next === 'N') {
      throw new LiteralError('\\N{...} escapes are not supported by refheap-python (it has no Unicode name database)');
    } else {
      out += `\\${next}`; // an invalid escape: CPython keeps it and warns
    }
  }
  return out;
}

/** The str() of the UnicodeDecodeError the codec raises, as the SyntaxError reports it. */
function codecError(start: number, end: number, reason: string): LiteralError {
  const where = end - start === 1 ? `byte 0x5c in position ${start}` : `bytes in position ${start}-${end - 1}`;
  return new LiteralError(`(unicode error) 'unicodeescape' codec can't decode ${where}: ${reason}`);
}

/** Decodes a bytes literal's body (ASCII only: the caller has checked). */
export function decodeBytesEscapes(body: string, raw: boolean): Uint8Array {
  const out = new Uint8Array(body.length);
  let length = 0;
  for (let i = 0; i < body.length; ) {
    const ch = body[i]!;
    if (raw || ch !== '\\') {
      out[length++] = body.charCodeAt(i++);
      continue;
    }
    const next = body[i + 1]!;
    const start = i;
    i += 2;
    if (next in SIMPLE_ESCAPES) {
      if (next !== '\n') out[length++] = SIMPLE_ESCAPES[next]!.charCodeAt(0);
    } else if (isOctal(next)) {
      let value = next.charCodeAt(0) - 0x30;
      for (let n = 1; n < 3 && isOctal(body[i]); n++, i++) value = value * 8 + body.charCodeAt(i) - 0x30;
      out[length++] = value & 0xff; // CPython keeps the low byte of \400 and up
    } else if (next === 'x') {
      if (!isHex(body[i]) || !isHex(body[i + 1])) throw new LiteralError(`(value error) invalid \\x escape at position ${start}`);
      out[length++] = parseInt(body.slice(i, i + 2), 16);
      i += 2;
    } else {
      out[length++] = 0x5c; // not an escape in bytes (\u, \N, \q…): both characters stay
      out[length++] = next.charCodeAt(0);
    }
  }
  return out.slice(0, length);
}
