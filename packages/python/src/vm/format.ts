/**
 * CPython's string formatting, pure JS: the format-spec mini-language of `format()` for int,
 * float and str (Python/formatter_unicode.c), printf-style `%` (PyUnicode_Format in
 * Objects/unicodeobject.c) and `str.format`'s template parser (Objects/stringlib/unicode_format.h).
 * Float digits come from the exact binary value (BigInt), rounded half-even as David Gay's
 * dtoa does, so `format(2.675, '.2f')` and `'%.0f' % 0.5` agree with CPython.
 * The `%` and `str.format` parsers reach the objects only through a host interface, so they
 * know nothing of the VM; the host owns any references it hands out (see `release`).
 */
import { floatRepr } from '@refheap/core';

export type FormatErrorName = 'ValueError' | 'TypeError' | 'OverflowError' | 'IndexError';

/** An error CPython raises while formatting; the VM turns it into the named exception. */
export class FormatError extends Error {
  constructor(
    readonly pythonName: FormatErrorName,
    message: string,
  ) {
    super(message);
    this.name = 'FormatError';
  }
}

const valueError = (message: string): FormatError => new FormatError('ValueError', message);

// ─── The format-spec mini-language ──────────────────────────────────────────

interface Spec {
  fill: string;
  align: string;
  sign: string;
  noNeg0: boolean;
  alternate: boolean;
  width: number;
  /** '' none, ',' or '_' (every three digits), '_4' (underscore every four: b o x X). */
  grouping: '' | ',' | '_' | '_4';
  precision: number;
  type: string;
}

const ALIGN = '<>=^';

function getInteger(chars: readonly string[], pos: number): [value: number, end: number] {
  let value = 0;
  let end = pos;
  while (end < chars.length && chars[end]! >= '0' && chars[end]! <= '9') {
    value = value * 10 + (chars[end]!.charCodeAt(0) - 48);
    if (value > Number.MAX_SAFE_INTEGER) throw valueError('Too many decimal digits in format string');
    end++;
  }
  return [value, end];
}

/** parse_internal_render_format_spec. */
function parseSpec(spec: string, defaultType: string, defaultAlign: string, typeName: string): Spec {
  const c = Array.from(spec);
  const end = c.length;
  const out: Spec = { fill: ' ', align: defaultAlign, sign: '', noNeg0: false, alternate: false, width: -1, grouping: '', precision: -1, type: defaultType };
  let pos = 0;
  let fillSpecified = false;
  let alignSpecified = false;
  if (end - pos >= 2 && ALIGN.includes(c[pos + 1]!)) {
    out.fill = c[pos]!;
    out.align = c[pos + 1]!;
    fillSpecified = alignSpecified = true;
    pos += 2;
  } else if (end - pos >= 1 && ALIGN.includes(c[pos]!)) {
    out.align = c[pos]!;
    alignSpecified = true;
    pos++;
  }
  if (pos < end && (c[pos] === '+' || c[pos] === '-' || c[pos] === ' ')) out.sign = c[pos++]!;
  if (pos < end && c[pos] === 'z') {
    out.noNeg0 = true;
    pos++;
  }
  if (pos < end && c[pos] === '#') {
    out.alternate = true;
    pos++;
  }
  // Zero padding, the old way: a leading 0 means fill '0' and, for numbers, '=' alignment.
  if (!fillSpecified && pos < end && c[pos] === '0') {
    out.fill = '0';
    if (!alignSpecified && defaultAlign === '>') out.align = '=';
    pos++;
  }
  const [width, afterWidth] = getInteger(c, pos);
  if (afterWidth > pos) out.width = width;
  pos = afterWidth;
  if (pos < end && c[pos] === ',') {
    out.grouping = ',';
    pos++;
  }
  if (pos < end && c[pos] === '_') {
    if (out.grouping !== '') throw valueError("Cannot specify both ',' and '_'.");
    out.grouping = '_';
    pos++;
  }
  if (pos < end && c[pos] === ',' && out.grouping === '_') throw valueError("Cannot specify both ',' and '_'.");
  if (pos < end && c[pos] === '.') {
    pos++;
    const [precision, afterPrecision] = getInteger(c, pos);
    if (afterPrecision === pos) throw valueError('Format specifier missing precision');
    out.precision = precision;
    pos = afterPrecision;
  }
  if (end - pos > 1) throw valueError(`Invalid format specifier '${spec}' for object of type '${typeName}'`);
  // A NUL type is C's 'no type' sentinel.
  if (end - pos === 1) out.type = c[pos] === '\0' ? '' : c[pos]!;
  if (out.grouping !== '') {
    const t = out.type;
    if ('defgEGF%'.includes(t) || t === '') {
      // allowed (PEP 378)
    } else if ('boxX'.includes(t) && out.grouping === '_') out.grouping = '_4';
    else throw valueError(`Cannot specify '${out.grouping === ',' ? ',' : '_'}' with ${codeText(t)}.`);
  }
  return out;
}

function codeText(type: string): string {
  const code = type.codePointAt(0) ?? 0;
  return code > 32 && code < 128 ? `'${type}'` : `'\\x${code.toString(16)}'`;
}

function unknownType(type: string, typeName: string): FormatError {
  return valueError(`Unknown format code ${codeText(type)} for object of type '${typeName}'`);
}

/**
 * _PyUnicode_InsertThousandsGrouping: groups `digits` from the right, zero-padded (with
 * separators inside the padding) to at least `minWidth` characters.
 */
function groupDigits(digits: string, minWidth: number, group: number, sep: string): string {
  let remaining = digits.length;
  let pos = digits.length;
  let out = '';
  let useSep = false;
  let min = minWidth;
  let broken = false;
  const chunk = (len: number): void => {
    const zeros = Math.max(0, len - remaining);
    const chars = Math.max(0, Math.min(remaining, len));
    out = '0'.repeat(zeros) + digits.slice(pos - chars, pos) + (useSep ? sep : '') + out;
    pos -= chars;
    remaining -= chars;
  };
  if (group > 0) {
    for (;;) {
      const len = Math.min(group, Math.max(remaining, min, 1));
      chunk(len);
      useSep = true;
      min -= len;
      if (remaining <= 0 && min <= 0) {
        broken = true;
        break;
      }
      min -= sep.length;
    }
  }
  if (!broken) chunk(Math.max(remaining, min, 1));
  return out;
}

/**
 * calc_number_widths + fill_number: `<lpad><sign><prefix><spad><digits><decimal><remainder><rpad>`.
 * `body` is the number without sign and prefix; `nDigits` of it are digits (grouped),
 * then an optional '.', then the remainder.
 */
function layoutNumber(spec: Spec, negative: boolean, prefix: string, digits: string, decimal: string, remainder: string, upper: boolean): string {
  let sign = '';
  if (spec.sign === '+') sign = negative ? '-' : '+';
  else if (spec.sign === ' ') sign = negative ? '-' : ' ';
  else if (negative) sign = '-';
  const nonDigits = sign.length + prefix.length + decimal.length + cpLength(remainder);
  const minWidth = spec.fill === '0' && spec.align === '=' ? spec.width - nonDigits : 0;
  let grouped = '';
  if (digits.length > 0) {
    const [size, sep] = spec.grouping === ',' ? [3, ','] : spec.grouping === '_' ? [3, '_'] : spec.grouping === '_4' ? [4, '_'] : [0, ''];
    grouped = groupDigits(digits, minWidth, size, sep);
  }
  if (upper) {
    prefix = prefix.toUpperCase();
    grouped = grouped.toUpperCase();
  }
  const padding = spec.width - (nonDigits + grouped.length);
  let left = 0;
  let inner = 0;
  let right = 0;
  if (padding > 0) {
    if (spec.align === '<') right = padding;
    else if (spec.align === '^') {
      left = Math.floor(padding / 2);
      right = padding - left;
    } else if (spec.align === '=') inner = padding;
    else left = padding;
  }
  const fill = spec.fill;
  return fill.repeat(left) + sign + prefix + fill.repeat(inner) + grouped + decimal + remainder + fill.repeat(right);
}

function cpLength(text: string): number {
  return /[\ud800-\udfff]/.test(text) ? Array.from(text).length : text.length;
}

/** `format(int, spec)`; `typeName` names the type in errors (bool formats as int). */
export function formatInt(value: number | bigint, spec: string, typeName = 'int'): string {
  if (spec === '') return String(value);
  const f = parseSpec(spec, 'd', '>', typeName);
  switch (f.type) {
    case 'b':
    case 'c':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'n':
      break;
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case '%': {
      const x = Number(value);
      if (!Number.isFinite(x)) throw new FormatError('OverflowError', 'int too large to convert to float');
      return formatFloatSpec(x, f);
    }
    default:
      throw unknownType(f.type, typeName);
  }
  if (f.precision !== -1) throw valueError('Precision not allowed in integer format specifier');
  if (f.noNeg0) throw valueError('Negative zero coercion (z) not allowed in integer format specifier');
  const big = BigInt(value);
  if (f.type === 'c') {
    if (f.sign !== '') throw valueError("Sign not allowed with integer format specifier 'c'");
    if (f.alternate) throw valueError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (big < -(2n ** 63n) || big >= 2n ** 63n) throw new FormatError('OverflowError', 'Python int too large to convert to C long');
    if (big < 0n || big > 0x10ffffn) throw new FormatError('OverflowError', '%c arg not in range(0x110000)');
    return layoutNumber(f, false, '', '', '', String.fromCodePoint(Number(big)), false);
  }
  const base = f.type === 'b' ? 2 : f.type === 'o' ? 8 : f.type === 'x' || f.type === 'X' ? 16 : 10;
  const prefix = f.alternate && base !== 10 ? `0${f.type === 'X' ? 'x' : f.type}` : '';
  const negative = big < 0n;
  const digits = (negative ? -big : big).toString(base);
  return layoutNumber(f, negative, prefix, digits, '', '', f.type === 'X');
}

/** `format(float, spec)`. */
export function formatFloat(value: number, spec: string, typeName = 'float'): string {
  if (spec === '') return floatRepr(value);
  const f = parseSpec(spec, '', '>', typeName);
  if (!['', 'e', 'E', 'f', 'F', 'g', 'G', 'n', '%'].includes(f.type)) throw unknownType(f.type, typeName);
  return formatFloatSpec(value, f);
}

/** format_float_internal. */
function formatFloatSpec(value: number, f: Spec): string {
  if (f.precision > 0x7fffffff) throw valueError('precision too big');
  let type = f.type;
  let precision = f.precision;
  let addDot0 = false;
  let defaultPrecision = 6;
  if (type === '') {
    // No type: like repr, or 'g' with at least one digit after the point when a precision is given.
    addDot0 = true;
    type = 'r';
    defaultPrecision = 0;
  }
  if (type === 'n') type = 'g';
  let x = value;
  let percent = false;
  if (type === '%') {
    type = 'f';
    x *= 100;
    percent = true;
  }
  if (precision < 0) precision = defaultPrecision;
  else if (type === 'r') type = 'g';
  let text = doubleToString(x, type, precision, { alt: f.alternate, addDot0, noNeg0: f.noNeg0, sign: false });
  if (percent) text += '%';
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1);
  }
  let i = 0;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  const digits = text.slice(0, i);
  const hasDecimal = text[i] === '.';
  const remainder = text.slice(hasDecimal ? i + 1 : i);
  return layoutNumber(f, negative, '', digits, hasDecimal ? '.' : '', remainder, false);
}

// ─── Float to decimal (PyOS_double_to_string) ───────────────────────────────

interface Digits {
  digits: string;
  decpt: number;
}

/** The exact decimal expansion of a finite positive double. */
function exactDigits(x: number): Digits {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  let exponent = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponent === 0) exponent = 1;
  else mantissa |= 1n << 52n;
  const e2 = exponent - 1075;
  let digits: string;
  let decpt: number;
  if (e2 >= 0) {
    digits = (mantissa << BigInt(e2)).toString();
    decpt = digits.length;
  } else {
    digits = (mantissa * 5n ** BigInt(-e2)).toString();
    decpt = digits.length + e2;
  }
  return { digits: digits.replace(/0+$/, ''), decpt };
}

/** Keeps the first `keep` digits, rounding half to even on the exact value; trailing zeros dropped. */
function roundDigits({ digits, decpt }: Digits, keep: number): Digits {
  if (keep >= digits.length) return { digits, decpt };
  if (keep < 0) return { digits: '', decpt };
  const next = digits.charCodeAt(keep) - 48;
  let up: boolean;
  if (next !== 5) up = next > 5;
  else if (keep + 1 < digits.length) up = true; // digits carry no trailing zeros: something follows
  else up = keep > 0 && (digits.charCodeAt(keep - 1) - 48) % 2 === 1;
  let head = digits.slice(0, keep);
  let point = decpt;
  if (up) {
    let j = head.length - 1;
    while (j >= 0 && head[j] === '9') j--;
    if (j < 0) {
      head = '1';
      point++;
    } else head = head.slice(0, j) + String.fromCharCode(head.charCodeAt(j) + 1);
  }
  return { digits: head.replace(/0+$/, ''), decpt: point };
}

/** _Py_dg_dtoa: mode 0 shortest, mode 2 `n` significant digits, mode 3 `n` after the point. */
function dtoa(x: number, mode: 0 | 2 | 3, n: number): Digits {
  if (x === 0) return { digits: '0', decpt: 1 };
  if (mode === 0) {
    const [mantissa, exponent] = x.toExponential().split('e') as [string, string];
    return { digits: mantissa.replace('.', ''), decpt: Number(exponent) + 1 };
  }
  const exact = exactDigits(x);
  const rounded = roundDigits(exact, mode === 2 ? Math.max(1, n) : exact.decpt + n);
  if (rounded.digits === '') return { digits: '', decpt: -n };
  return rounded;
}

interface DtoaFlags {
  alt: boolean;
  addDot0: boolean;
  noNeg0: boolean;
  sign: boolean;
}

/** PyOS_double_to_string with format_float_short's layout. Codes e E f F g G r. */
export function doubleToString(value: number, code: string, precision: number, flags: DtoaFlags): string {
  const upper = code === 'E' || code === 'F' || code === 'G';
  let format = code.toLowerCase();
  let mode: 0 | 2 | 3 = 0;
  let prec = precision;
  if (format === 'e') {
    mode = 2;
    prec++;
  } else if (format === 'f') mode = 3;
  else if (format === 'g') {
    mode = 2;
    if (prec === 0) prec = 1;
  } else format = 'r';
  let negative = value < 0 || Object.is(value, -0);
  if (!Number.isFinite(value)) {
    if (Number.isNaN(value)) return (flags.sign ? '+' : '') + (upper ? 'NAN' : 'nan');
    return (negative ? '-' : flags.sign ? '+' : '') + (upper ? 'INF' : 'inf');
  }
  const { digits, decpt: point } = dtoa(Math.abs(value), mode, prec);
  let decpt = point;
  if (flags.noNeg0 && negative && (digits === '' || digits === '0')) negative = false;
  const len = digits.length;
  let vEnd = len;
  let useExp = false;
  if (format === 'e') {
    useExp = true;
    vEnd = prec;
  } else if (format === 'f') vEnd = decpt + prec;
  else if (format === 'g') {
    if (decpt <= -4 || decpt > (flags.addDot0 ? prec - 1 : prec)) useExp = true;
    if (flags.alt) vEnd = prec;
  } else if (decpt <= -4 || decpt > 16) useExp = true;
  let exp = 0;
  if (useExp) {
    exp = decpt - 1;
    decpt = 1;
  }
  const vStart = decpt <= 0 ? decpt - 1 : 0;
  if (!useExp && flags.addDot0) vEnd = vEnd > decpt ? vEnd : decpt + 1;
  else vEnd = vEnd > decpt ? vEnd : decpt;
  let out = negative ? '-' : flags.sign ? '+' : '';
  if (decpt <= 0) out += '0'.repeat(decpt - vStart) + '.' + '0'.repeat(-decpt);
  else out += '0'.repeat(-vStart);
  if (decpt > 0 && decpt <= len) out += digits.slice(0, decpt) + '.' + digits.slice(decpt);
  else out += digits;
  if (len < decpt) out += '0'.repeat(decpt - len) + '.' + '0'.repeat(vEnd - decpt);
  else out += '0'.repeat(vEnd - len);
  if (out.endsWith('.') && !flags.alt) out = out.slice(0, -1);
  if (useExp) {
    const magnitude = String(Math.abs(exp)).padStart(2, '0');
    out += `${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${magnitude}`;
  }
  return out;
}

/** `format(str, spec)`: format_string_internal. */
export function formatStr(value: string, spec: string, typeName = 'str'): string {
  if (spec === '') return value;
  const f = parseSpec(spec, 's', '<', typeName);
  if (f.type !== 's') throw unknownType(f.type, typeName);
  if (f.sign === ' ') throw valueError('Space not allowed in string format specifier');
  if (f.sign !== '') throw valueError('Sign not allowed in string format specifier');
  if (f.noNeg0) throw valueError('Negative zero coercion (z) not allowed in string format specifier');
  if (f.alternate) throw valueError('Alternate form (#) not allowed in string format specifier');
  if (f.align === '=') throw valueError("'=' alignment not allowed in string format specifier");
  const astral = /[\ud800-\udfff]/.test(value);
  let text = value;
  let length = astral ? Array.from(value).length : value.length;
  if (f.precision >= 0 && length >= f.precision) {
    text = astral ? Array.from(value).slice(0, f.precision).join('') : value.slice(0, f.precision);
    length = f.precision;
  }
  const total = f.width > length ? f.width : length;
  const left = f.align === '>' ? total - length : f.align === '^' ? Math.floor((total - length) / 2) : 0;
  return f.fill.repeat(left) + text + f.fill.repeat(total - length - left);
}

// ─── printf-style formatting: str % args ────────────────────────────────────

/** What `%` needs to know of the objects; T is the host's value (a heap Ref in the VM). */
export interface PercentHost<T> {
  /** The items of a tuple operand, or null when the operand is not a tuple. */
  tupleItems(value: T): readonly T[] | null;
  /** PyMapping_Check and not a tuple or str: `%(name)s` looks names up in it. */
  isMapping(value: T): boolean;
  /** `mapping[key]`, a value the host owns until the call returns. */
  getItem(mapping: T, key: string): T;
  str(value: T): string;
  repr(value: T): string;
  ascii(value: T): string;
  typeName(value: T): string;
  /** The text of a str, else null. */
  asStr(value: T): string | null;
  /** The value of an int (bool included), else null (PyLong_Check). */
  asInt(value: T): number | bigint | null;
  /** PyNumber_Check: int, float, or a class with __index__/__int__/__float__. */
  isNumber(value: T): boolean;
  /** int(value), for %d of a non-int number; may throw (OverflowError for inf). */
  toInt(value: T): number | bigint;
  /** operator.index(value), for %x %o %c of a non-int; null when it has no __index__. */
  toIndex(value: T): number | bigint | null;
  /** float(value) as PyFloat_AsDouble takes it, or null when it is not a number. */
  toFloat(value: T): number | null;
}

interface PercentArg {
  ch: string;
  ljust: boolean;
  plus: boolean;
  blank: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  prec: number;
  sign: boolean;
}

/** `template % operand`, PyUnicode_Format. */
export function percentFormat<T>(template: string, operand: T, host: PercentHost<T>): string {
  const items = host.tupleItems(operand);
  let arglen = items ? items.length : -1;
  let argidx = items ? 0 : -2;
  const dict = items === null && host.asStr(operand) === null && host.isMapping(operand) ? operand : null;
  let args: T = operand;
  let argItems = items;
  const nextArg = (): T => {
    if (argidx < arglen) {
      const at = argidx++;
      return arglen < 0 ? args : argItems![at]!;
    }
    throw new FormatError('TypeError', 'not enough arguments for format string');
  };
  const fmt = template;
  const n = fmt.length;
  let out = '';
  let pos = 0;
  while (pos < n) {
    const next = fmt.indexOf('%', pos);
    if (next < 0) {
      out += fmt.slice(pos);
      break;
    }
    out += fmt.slice(pos, next);
    pos = next + 1;
    // `cnt` mirrors ctx->fmtcnt: characters left from `pos`.
    let cnt = n - pos;
    const read = (): string => {
      const code = fmt.codePointAt(pos)!;
      return code === undefined ? '\0' : String.fromCodePoint(code);
    };
    let ch = pos < n ? read() : '\0';
    if (ch === '%') {
      out += '%';
      pos++;
      continue;
    }
    const arg: PercentArg = { ch, ljust: false, plus: false, blank: false, alt: false, zero: false, width: -1, prec: -1, sign: false };
    const step = (): boolean => {
      if (--cnt < 0) return false;
      ch = read();
      pos += ch.length;
      return true;
    };
    if (ch === '(') {
      if (dict === null) throw new FormatError('TypeError', 'format requires a mapping');
      pos++;
      cnt--;
      const keyStart = pos;
      let depth = 1;
      while (depth > 0 && --cnt >= 0) {
        const c = fmt[pos]!;
        if (c === ')') depth--;
        else if (c === '(') depth++;
        pos++;
      }
      if (cnt < 0 || depth > 0) throw valueError('incomplete format key');
      args = host.getItem(dict, fmt.slice(keyStart, pos - 1));
      argItems = null;
      arglen = -1;
      argidx = -2;
    }
    while (step()) {
      if (ch === '-') arg.ljust = true;
      else if (ch === '+') arg.plus = true;
      else if (ch === ' ') arg.blank = true;
      else if (ch === '#') arg.alt = true;
      else if (ch === '0') arg.zero = true;
      else break;
    }
    if (ch === '*') {
      const v = nextArg();
      const w = host.asInt(v);
      if (w === null) throw new FormatError('TypeError', '* wants int');
      arg.width = Number(w);
      if (arg.width < 0) {
        arg.ljust = true;
        arg.width = -arg.width;
      }
      step();
    } else if (ch >= '0' && ch <= '9') {
      arg.width = ch.charCodeAt(0) - 48;
      while (step()) {
        if (ch < '0' || ch > '9') break;
        if (arg.width > (Number.MAX_SAFE_INTEGER - (ch.charCodeAt(0) - 48)) / 10) throw valueError('width too big');
        arg.width = arg.width * 10 + (ch.charCodeAt(0) - 48);
      }
    }
    if (ch === '.') {
      arg.prec = 0;
      step();
      // `step` changes ch behind TypeScript's narrowing.
      if ((ch as string) === '*') {
        const v = nextArg();
        const p = host.asInt(v);
        if (p === null) throw new FormatError('TypeError', '* wants int');
        if (p > 0x7fffffff || p < -0x80000000) throw new FormatError('OverflowError', 'Python int too large to convert to C int');
        arg.prec = Math.max(0, Number(p));
        step();
      } else if (ch >= '0' && ch <= '9') {
        arg.prec = ch.charCodeAt(0) - 48;
        while (step()) {
          if (ch < '0' || ch > '9') break;
          if (arg.prec > (0x7fffffff - (ch.charCodeAt(0) - 48)) / 10) throw valueError('precision too big');
          arg.prec = arg.prec * 10 + (ch.charCodeAt(0) - 48);
        }
      }
    }
    if (cnt >= 0 && (ch === 'h' || ch === 'l' || ch === 'L')) step();
    if (cnt < 0) throw valueError('incomplete format');
    arg.ch = ch;
    const text = formatPercentArg(arg, nextArg(), host, pos - ch.length);
    if (text !== null) out += outputPercentArg(arg, text);
    if (dict !== null && argidx < arglen) throw new FormatError('TypeError', 'not all arguments converted during string formatting');
  }
  if (argidx < arglen && dict === null) throw new FormatError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

/** unicode_format_arg_format: the converted text of one argument. */
function formatPercentArg<T>(arg: PercentArg, v: T, host: PercentHost<T>, index: number): string {
  switch (arg.ch) {
    case 's': {
      const s = host.asStr(v);
      return s !== null ? s : host.str(v);
    }
    case 'r':
      return host.repr(v);
    case 'a':
      return host.ascii(v);
    case 'i':
    case 'd':
    case 'u':
    case 'o':
    case 'x':
    case 'X': {
      arg.sign = true;
      return formatPercentLong(arg, v, host);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      const x = host.toFloat(v);
      if (x === null) throw new FormatError('TypeError', `must be real number, not ${host.typeName(v)}`);
      arg.sign = true;
      return doubleToString(x, arg.ch, arg.prec < 0 ? 6 : arg.prec, { alt: arg.alt, addDot0: false, noNeg0: false, sign: false });
    }
    case 'c': {
      const s = host.asStr(v);
      if (s !== null) {
        if (Array.from(s).length === 1) return s;
        throw new FormatError('TypeError', '%c requires int or char');
      }
      let code = host.asInt(v);
      if (code === null) code = host.toIndex(v);
      if (code === null) throw new FormatError('TypeError', '%c requires int or char');
      if (code < 0 || code > 0x10ffff) throw new FormatError('OverflowError', '%c arg not in range(0x110000)');
      return String.fromCodePoint(Number(code));
    }
    default: {
      const code = arg.ch.codePointAt(0)!;
      const shown = code >= 31 && code <= 126 ? arg.ch : '?';
      throw valueError(`unsupported format character '${shown}' (0x${code.toString(16)}) at index ${index}`);
    }
  }
}

/** mainformatlong + _PyUnicode_FormatLong. */
function formatPercentLong<T>(arg: PercentArg, v: T, host: PercentHost<T>): string {
  const type = arg.ch;
  const wrongType = (): FormatError =>
    new FormatError('TypeError', `%${type} format: ${'oxX'.includes(type) ? 'an integer' : 'a real number'} is required, not ${host.typeName(v)}`);
  let value = host.asInt(v);
  if (value === null) {
    if (!host.isNumber(v)) throw wrongType();
    if ('oxX'.includes(type)) {
      value = host.toIndex(v);
      if (value === null) throw wrongType();
    } else value = host.toInt(v);
  }
  const big = BigInt(value);
  const negative = big < 0n;
  const base = type === 'o' ? 8 : type === 'x' || type === 'X' ? 16 : 10;
  let digits = (negative ? -big : big).toString(base);
  if (arg.prec > digits.length) digits = '0'.repeat(arg.prec - digits.length) + digits;
  const prefix = arg.alt && base !== 10 ? `0${type === 'o' ? 'o' : 'x'}` : '';
  const text = (negative ? '-' : '') + prefix + digits;
  return type === 'X' ? text.toUpperCase() : text;
}

/** unicode_format_arg_output: sign, prefix and padding around the converted text. */
function outputPercentArg(arg: PercentArg, str: string): string {
  const fill = arg.sign && arg.zero ? '0' : ' ';
  const chars = /[\ud800-\udfff]/.test(str) ? Array.from(str) : null;
  let len = chars ? chars.length : str.length;
  if ((arg.width === -1 || arg.width <= len) && (arg.prec === -1 || arg.prec >= len) && !arg.plus && !arg.blank) return str;
  if ((arg.ch === 's' || arg.ch === 'r' || arg.ch === 'a') && arg.prec >= 0 && len > arg.prec) len = arg.prec;
  const at = (i: number): string => (chars ? chars[i]! : str[i]!);
  const sub = (start: number, end: number): string => (chars ? chars.slice(start, end).join('') : str.slice(start, end));
  let pindex = 0;
  let signchar = '';
  let sign = arg.sign;
  if (sign) {
    const c = at(0);
    if (c === '-' || c === '+') {
      signchar = c;
      len--;
      pindex++;
    } else if (arg.plus) signchar = '+';
    else if (arg.blank) signchar = ' ';
    else sign = false;
  }
  let width = arg.width < len ? len : arg.width;
  let out = '';
  if (sign) {
    if (fill !== ' ') out += signchar;
    if (width > len) width--;
  }
  const hexPrefix = arg.alt && (arg.ch === 'x' || arg.ch === 'X' || arg.ch === 'o');
  if (hexPrefix) {
    if (fill !== ' ') {
      out += '0' + arg.ch;
      pindex += 2;
    }
    width = Math.max(0, width - 2);
    len -= 2;
  }
  if (width > len && !arg.ljust) {
    out += fill.repeat(width - len);
    width = len;
  }
  if (fill === ' ') {
    if (sign) out += signchar;
    if (hexPrefix) {
      out += '0' + arg.ch;
      pindex += 2;
    }
  }
  if (len > 0) out += sub(pindex, pindex + len);
  if (width > len) out += ' '.repeat(width - len);
  return out;
}

// ─── str.format ─────────────────────────────────────────────────────────────

/** What `str.format` needs of the objects; every T it returns is the host's to release. */
export interface FormatHost<T> {
  /** args[index] (a new value) or undefined past the end; null for format_map (no positional args). */
  readonly positional: ((index: number) => T | undefined) | null;
  /** kwargs[name] (a new value); raises KeyError itself when missing. */
  keyword(name: string): T;
  getAttr(value: T, name: string): T;
  /** `value[key]`: an int key for a `[digits]` index, else the text. */
  getItem(value: T, key: number | string): T;
  /** format(value, spec). */
  format(value: T, spec: string): string;
  /** repr, str or ascii of value. */
  convert(value: T, conversion: 'r' | 's' | 'a'): string;
  /** Gives back a value this interface handed out. */
  release(value: T): void;
}

interface AutoNumber {
  state: 'init' | 'auto' | 'manual';
  next: number;
}

/** `template.format(*args, **kwargs)` (or format_map): build_string. */
export function strFormat<T>(template: string, host: FormatHost<T>): string {
  return buildString(template, host, 2, { state: 'init', next: 0 });
}

function buildString<T>(template: string, host: FormatHost<T>, depth: number, auto: AutoNumber): string {
  if (depth <= 0) throw valueError('Max string recursion exceeded');
  const s = template;
  const end = s.length;
  let pos = 0;
  let out = '';
  while (pos < end) {
    // Literal text up to a '{' or '}'.
    const start = pos;
    let c = '';
    let markup = false;
    while (pos < end) {
      c = s[pos++]!;
      if (c === '{' || c === '}') {
        markup = true;
        break;
      }
    }
    const atEnd = pos >= end;
    let len = pos - start;
    if (c === '}' && markup && (atEnd || s[pos] !== '}')) throw valueError("Single '}' encountered in format string");
    if (atEnd && c === '{' && markup) throw valueError("Single '{' encountered in format string");
    if (markup && !atEnd) {
      if (s[pos] === c) {
        pos++;
        markup = false;
      } else len--;
    }
    out += s.slice(start, start + len);
    if (!markup) continue;
    // parse_field
    const nameStart = pos;
    c = '';
    while (pos < end) {
      c = s[pos++]!;
      if (c === '{') throw valueError("unexpected '{' in field name");
      if (c === '[') {
        while (pos < end && s[pos] !== ']') pos++;
        continue;
      }
      if (c === '}' || c === ':' || c === '!') break;
    }
    const fieldName = s.slice(nameStart, pos - 1);
    let conversion = '';
    let spec = '';
    let expand = false;
    if (c === '!' || c === ':') {
      let specDone = false;
      if (c === '!') {
        if (pos >= end) throw valueError('end of string while looking for conversion specifier');
        conversion = String.fromCodePoint(s.codePointAt(pos)!);
        pos += conversion.length;
        if (pos < end) {
          const d = s[pos++]!;
          if (d === '}') specDone = true;
          else if (d !== ':') throw valueError("expected ':' after conversion specifier");
        }
      }
      if (!specDone) {
        const specStart = pos;
        let count = 1;
        let closed = false;
        while (pos < end) {
          const d = s[pos++]!;
          if (d === '{') {
            expand = true;
            count++;
          } else if (d === '}' && --count === 0) {
            spec = s.slice(specStart, pos - 1);
            closed = true;
            break;
          }
        }
        if (!closed) throw valueError("unmatched '{' in format spec");
      }
    } else if (c !== '}') throw valueError("expected '}' before end of string");
    out += outputMarkup(fieldName, spec, expand, conversion, host, depth, auto);
  }
  return out;
}

function outputMarkup<T>(fieldName: string, spec: string, expand: boolean, conversion: string, host: FormatHost<T>, depth: number, auto: AutoNumber): string {
  const value = getField(fieldName, host, auto);
  try {
    let converted: string | null = null;
    if (conversion !== '') {
      if (conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
        const code = conversion.codePointAt(0)!;
        throw valueError(code > 32 && code < 127 ? `Unknown conversion specifier ${conversion}` : `Unknown conversion specifier \\x${code.toString(16)}`);
      }
      converted = host.convert(value, conversion);
    }
    const actual = expand ? buildString(spec, host, depth - 1, auto) : spec;
    return converted !== null ? formatStr(converted, actual) : host.format(value, actual);
  } finally {
    host.release(value);
  }
}

/** Py_UNICODE_TODECIMAL over a field name part; -1 when it is not all decimal digits. */
function decimalValue(text: string): number {
  if (text === '') return -1;
  let value = 0;
  for (const ch of text) {
    const digit = decimalDigit(ch);
    if (digit < 0) return -1;
    value = value * 10 + digit;
    if (value > Number.MAX_SAFE_INTEGER) throw valueError('Too many decimal digits in format string');
  }
  return value;
}

const ND = /\p{Nd}/u;

function decimalDigit(ch: string): number {
  if (ch >= '0' && ch <= '9') return ch.charCodeAt(0) - 48;
  if (!ND.test(ch)) return -1;
  // Unicode's decimal digits come in runs of ten starting at zero: count back to the run's start.
  let cp = ch.codePointAt(0)!;
  let back = 0;
  while (ND.test(String.fromCodePoint(cp - 1))) {
    cp--;
    back++;
  }
  return back % 10;
}

/** get_field_object with field_name_split and FieldNameIterator. */
function getField<T>(field: string, host: FormatHost<T>, auto: AutoNumber): T {
  let i = 0;
  while (i < field.length && field[i] !== '.' && field[i] !== '[') i++;
  const first = field.slice(0, i);
  let index = decimalValue(first);
  const empty = first === '';
  const numeric = empty || index !== -1;
  if (auto.state === 'init' && numeric) auto.state = empty ? 'auto' : 'manual';
  if (numeric) {
    if (auto.state === 'manual' && empty) throw valueError('cannot switch from manual field specification to automatic field numbering');
    if (auto.state === 'auto' && !empty) throw valueError('cannot switch from automatic field numbering to manual field specification');
  }
  if (empty) index = auto.next++;
  let obj: T;
  if (index === -1) obj = host.keyword(first);
  else {
    if (host.positional === null) throw valueError('Format string contains positional fields');
    const found = host.positional(index);
    if (found === undefined) throw new FormatError('IndexError', `Replacement index ${index} out of range for positional args tuple`);
    obj = found;
  }
  try {
    while (i < field.length) {
      const c = field[i++];
      let name: string;
      let next: T;
      if (c === '.') {
        const start = i;
        while (i < field.length && field[i] !== '.' && field[i] !== '[') i++;
        name = field.slice(start, i);
        if (name === '') throw valueError('Empty attribute in format string');
        next = host.getAttr(obj, name);
      } else if (c === '[') {
        const start = i;
        while (i < field.length && field[i] !== ']') i++;
        if (i >= field.length) throw valueError("Missing ']' in format string");
        name = field.slice(start, i);
        i++;
        if (name === '') throw valueError('Empty attribute in format string');
        const key = decimalValue(name);
        next = host.getItem(obj, key === -1 ? name : key);
      } else throw valueError("Only '.' or '[' may follow ']' in format field specifier");
      host.release(obj);
      obj = next;
    }
  } catch (error) {
    host.release(obj);
    throw error;
  }
  return obj;
}
