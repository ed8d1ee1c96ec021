/**
 * Python's number formatting, reproduced where users compare our text with
 * CPython's: `%.0f`/`%.1f` round exact ties to even (JavaScript's `toFixed`
 * rounds them up), `%g` trims zeros, and tracemalloc's `_format_size` picks
 * B/KiB/MiB/GiB/TiB by those rules. Output that differs by one digit from
 * CPython's reads as a bug, so these are exact, not approximate.
 */

/** The exact decimal expansion of a finite non-negative double, as [integer digits, fraction digits]. */
function exactDigits(value: number): [string, string] {
  // toFixed(100) is exact for every double with an exponent above about -330 (ECMA-262 Number::toFixed).
  const text = value >= 1e21 ? BigInt(value).toString() + '.' : value.toFixed(100);
  const dot = text.indexOf('.');
  return [text.slice(0, dot), text.slice(dot + 1)];
}

/** Adds one to a string of decimal digits. */
function incrementDigits(digits: string): string {
  const out = digits.split('');
  let i = out.length - 1;
  while (i >= 0) {
    if (out[i] === '9') {
      out[i] = '0';
      i--;
    } else {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
  }
  return '1' + out.join('');
}

/** `'%.Nf' % value`: fixed-point with round-half-even on the exact binary value, as CPython prints it. */
export function pyFixed(value: number, precision: number, sign = false): string {
  if (Number.isNaN(value)) return sign ? '+nan' : 'nan';
  if (!Number.isFinite(value)) return value > 0 ? (sign ? '+inf' : 'inf') : '-inf';
  const negative = value < 0 || Object.is(value, -0);
  const [intPart, fraction] = exactDigits(Math.abs(value));
  let kept = intPart + fraction.slice(0, precision);
  const rest = fraction.slice(precision);
  const first = rest.charCodeAt(0) - 48;
  const tail = rest.slice(1);
  const beyondHalf = /[1-9]/.test(tail);
  const lastKept = kept.charCodeAt(kept.length - 1) - 48;
  if (first > 5 || (first === 5 && (beyondHalf || lastKept % 2 === 1))) kept = incrementDigits(kept);
  const whole = kept.slice(0, kept.length - precision) || '0';
  const frac = kept.slice(kept.length - precision);
  const body = precision > 0 ? `${whole}.${frac}` : whole;
  if (negative) return `-${body}`;
  return sign ? `+${body}` : body;
}

/** `'%g' % value` (precision 6): what objgraph uses for its HSV colours. */
export function pyG(value: number, precision = 6): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exponentForm = value.toExponential(p - 1);
  const exponent = Number(exponentForm.slice(exponentForm.indexOf('e') + 1));
  const strip = (s: string): string => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
  if (exponent < -4 || exponent >= p) {
    const [mantissa = '', exp = '0'] = exponentForm.split('e');
    const e = Number(exp);
    return `${strip(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return strip(value.toFixed(Math.max(0, p - 1 - exponent)));
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** tracemalloc's `_format_size(size, sign)`: `4855 KiB`, `10.0 KiB`, `+7272 B`. */
export function formatSize(size: number, sign = false): string {
  let value = size;
  for (const unit of UNITS) {
    if (Math.abs(value) < 100 && unit !== 'B') return `${pyFixed(value, 1, sign)} ${unit}`;
    if (Math.abs(value) < 10 * 1024 || unit === 'TiB') return `${pyFixed(value, 0, sign)} ${unit}`;
    value /= 1024;
  }
  /* c8 ignore next */
  return `${pyFixed(value, 0, sign)} TiB`;
}

/** `'%+i' % n`. */
export function signed(n: number): string {
  return n >= 0 ? `+${n}` : String(n);
}

/** `'%-*s' % (width, text)`. */
export function padRight(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `'%*s' % (width, text)`. */
export function padLeft(text: string, width: number): string {
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}
