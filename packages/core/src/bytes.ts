/**
 * `bytes` and `bytearray`: the argument rules of their constructors, the codecs they
 * encode str with, and their repr — CPython's (Objects/bytesobject.c, bytearrayobject.c),
 * with its wording. The heap stores the contents as a Uint8Array of their length; what
 * lives here is pure, so the rules can be read and tested on their own.
 */
import { PyLookupError, PyMemoryError, PyTypeError, PyUnicodeEncodeError, PyValueError } from './errors.ts';

/** What `bytes(source)` or `bytearray(source)` accepts from JS. */
export type BytesSource = number | bigint | boolean | string | ArrayBuffer | ArrayBufferView | Iterable<number> | ArrayLike<number>;

export type BytesKind = 'bytes' | 'bytearray';

/** Error handlers of `str.encode`: what to do with a character the codec cannot encode. */
export type EncodeErrors = 'strict' | 'ignore' | 'replace';

/**
 * The contents `bytes(source, encoding, errors)` would have: a count of zero bytes, an
 * iterable of ints in range(0, 256), a buffer (copied), or a str with an encoding.
 */
export function bytesFromSource(kind: BytesKind, source?: BytesSource, encoding?: string, errors?: string): Uint8Array {
  if (encoding !== undefined && typeof encoding !== 'string') {
    throw new PyTypeError(`${kind}() argument 'encoding' must be str, not ${pythonTypeName(encoding)}`);
  }
  if (errors !== undefined && typeof errors !== 'string') {
    throw new PyTypeError(`${kind}() argument 'errors' must be str, not ${pythonTypeName(errors)}`);
  }
  if (typeof source === 'string') {
    if (encoding === undefined) throw new PyTypeError('string argument without an encoding');
    return encode(source, encoding, errors ?? 'strict');
  }
  if (encoding !== undefined) throw new PyTypeError('encoding without a string argument');
  if (errors !== undefined) throw new PyTypeError('errors without a string argument');
  if (source === undefined) return new Uint8Array(0);
  if (typeof source === 'number' || typeof source === 'bigint' || typeof source === 'boolean') {
    return zeros(kind, source);
  }
  if (source === null) throw new PyTypeError(`cannot convert 'NoneType' object to ${kind}`);
  if (source instanceof ArrayBuffer) return new Uint8Array(source.slice(0));
  if (ArrayBuffer.isView(source)) {
    return new Uint8Array(source.buffer.slice(source.byteOffset, source.byteOffset + source.byteLength));
  }
  if (typeof source === 'object') return fromInts(kind, toArray(source));
  throw new PyTypeError(`cannot convert '${pythonTypeName(source)}' object to ${kind}`);
}

/** `bytes(n)`: n zero bytes. */
function zeros(kind: BytesKind, count: number | bigint | boolean): Uint8Array {
  if (typeof count === 'number' && !Number.isInteger(count)) {
    throw new PyTypeError(`cannot convert 'float' object to ${kind}`);
  }
  const n = Number(count);
  if (n < 0) throw new PyValueError('negative count');
  try {
    return new Uint8Array(n);
  } catch {
    throw new PyMemoryError(`cannot allocate ${kind} of ${String(count)} bytes`);
  }
}

function toArray(source: Iterable<number> | ArrayLike<number>): ArrayLike<unknown> {
  if (Symbol.iterator in source) return Array.from(source as Iterable<unknown>);
  if (typeof (source as ArrayLike<unknown>).length === 'number') return source;
  throw new PyTypeError(`cannot convert '${pythonTypeName(source)}' object to bytes`);
}

function fromInts(kind: BytesKind, items: ArrayLike<unknown>): Uint8Array {
  const out = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = checkByte(kind, items[i]);
  return out;
}

/**
 * One byte from JS: an integer in range(0, 256). The wording differs by type, as CPython's
 * does: bytes says "bytes must be…", bytearray "byte must be…".
 */
export function checkByte(kind: BytesKind, value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'boolean' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new PyTypeError(`'${pythonTypeName(value)}' object cannot be interpreted as an integer`);
  }
  if (n < 0 || n > 255) throw new PyValueError(`${kind === 'bytes' ? 'bytes' : 'byte'} must be in range(0, 256)`);
  return n;
}

// ─── Codecs ──────────────────────────────────────────────────────────────────

type Codec = { readonly name: string; readonly limit: number };

const UTF8: Codec = { name: 'utf-8', limit: 0x110000 };
const ASCII: Codec = { name: 'ascii', limit: 0x80 };
const LATIN1: Codec = { name: 'latin-1', limit: 0x100 };

/** Python's names for the three codecs refheap has (encodings.aliases, normalized). */
const CODECS = new Map<string, Codec>([
  ['utf-8', UTF8],
  ['utf8', UTF8],
  ['u8', UTF8],
  ['utf', UTF8],
  ['cp65001', UTF8],
  ['ascii', ASCII],
  ['us-ascii', ASCII],
  ['646', ASCII],
  ['latin-1', LATIN1],
  ['latin1', LATIN1],
  ['latin', LATIN1],
  ['l1', LATIN1],
  ['iso-8859-1', LATIN1],
  ['iso8859-1', LATIN1],
  ['8859', LATIN1],
  ['cp819', LATIN1],
]);

/** `text.encode(encoding, errors)`. */
export function encode(text: string, encoding: string, errors: string): Uint8Array {
  const codec = CODECS.get(encoding.trim().toLowerCase().replace(/[_ ]/g, '-'));
  if (codec === undefined) throw new PyLookupError(`unknown encoding: ${encoding}`);
  const out: number[] = [];
  let position = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    if (cp < codec.limit && !surrogate) {
      if (codec === UTF8) pushUtf8(out, cp);
      else out.push(cp);
    } else if (errors === 'replace') out.push(0x3f);
    else if (errors !== 'ignore') {
      if (errors !== 'strict') throw new PyLookupError(`unknown error handler name '${errors}'`);
      const reason = codec === UTF8 ? 'surrogates not allowed' : `ordinal not in range(${codec.limit})`;
      throw new PyUnicodeEncodeError(
        `'${codec.name}' codec can't encode character '${escapeCodePoint(cp)}' in position ${position}: ${reason}`,
      );
    }
    position++;
  }
  return Uint8Array.from(out);
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/** How Python's repr writes a character that is not printable ASCII: `\xe9`, `\u20ac`, `\U0001f600`. */
function escapeCodePoint(cp: number): string {
  const hex = cp.toString(16);
  if (cp < 0x100) return `\\x${hex.padStart(2, '0')}`;
  if (cp < 0x10000) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

// ─── Slices ──────────────────────────────────────────────────────────────────

/** `data[start:stop:step]` with Python's defaults and clamping (PySlice_AdjustIndices). */
export function sliceOf(data: Uint8Array, start?: number, stop?: number, step?: number): Uint8Array {
  const by = step ?? 1;
  for (const bound of [start, stop, step]) {
    if (bound !== undefined && !Number.isInteger(bound)) {
      throw new PyTypeError('slice indices must be integers or None or have an __index__ method');
    }
  }
  if (by === 0) throw new PyValueError('slice step cannot be zero');
  const length = data.length;
  const clamp = (index: number): number => {
    const i = index < 0 ? index + length : index;
    if (i < 0) return by < 0 ? -1 : 0;
    if (i >= length) return by < 0 ? length - 1 : length;
    return i;
  };
  const from = start === undefined ? (by < 0 ? length - 1 : 0) : clamp(start);
  const to = stop === undefined ? (by < 0 ? -1 : length) : clamp(stop);
  if (by === 1) return data.slice(from, Math.max(from, to));
  const picked: number[] = [];
  for (let i = from; by > 0 ? i < to : i > to; i += by) picked.push(data[i]!);
  return Uint8Array.from(picked);
}

// ─── repr and keys ───────────────────────────────────────────────────────────

/** `repr(b)`: `b'…'`, in double quotes when that saves escaping, `bytearray(b'…')` for a bytearray. */
export function bytesRepr(kind: BytesKind, data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? '"' : "'";
  let body = '';
  for (const byte of data) {
    if (byte === 0x5c) body += '\\\\';
    else if (byte === quote.charCodeAt(0)) body += `\\${quote}`;
    else if (byte === 0x09) body += '\\t';
    else if (byte === 0x0a) body += '\\n';
    else if (byte === 0x0d) body += '\\r';
    else if (byte < 0x20 || byte >= 0x7f) body += `\\x${byte.toString(16).padStart(2, '0')}`;
    else body += String.fromCharCode(byte);
  }
  const literal = `b${quote}${body}${quote}`;
  return kind === 'bytes' ? literal : `bytearray(${literal})`;
}

/**
 * A hash-table key equal for equal contents (`b'ab'` as a dict key). Tagged with a NUL and
 * `b`, which no str key starts with (str keys that start with NUL get a second NUL).
 */
export function bytesKey(data: Uint8Array): string {
  let key = '\u0000b';
  for (let i = 0; i < data.length; i += 4096) key += String.fromCharCode(...data.subarray(i, i + 4096));
  return key;
}

/** Whether two byte strings have the same contents (`b'ab' == bytearray(b'ab')` is True). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function pythonTypeName(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'NoneType';
    case 'function':
      return 'function';
    default:
      return value === null ? 'NoneType' : Array.isArray(value) ? 'list' : 'object';
  }
}
