/**
 * refheap-python's tree in the JSON shape twins/ast_dump.py prints CPython's in: nodes as they
 * are (the AST already spells CPython's classes and fields), a Constant's value tagged by type.
 */
import { Ellipsis, type ConstantValue } from '../ast.ts';

export function toCPythonJSON(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toCPythonJSON);
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = record._type === 'Constant' && key === 'value' ? constant(value as ConstantValue) : toCPythonJSON(value);
  }
  return out;
}

function constant(value: ConstantValue): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return { int: value.toString() };
  if (typeof value === 'number') return { float: pythonFloatRepr(value) };
  if (value === Ellipsis) return { ellipsis: true };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  return { complex: [pythonFloatRepr(value.real), pythonFloatRepr(value.imag)] };
}

/** Python's `repr(float)`: the shortest digits that round-trip, in its fixed or exponent form. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const [mantissa, exponent] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const point = Number(exponent) + 1; // where the decimal point goes, from the first digit
  if (point <= -4 || point > 16) {
    const e = point - 1;
    const rest = digits.length > 1 ? `.${digits.slice(1)}` : '';
    return `${sign}${digits[0]}${rest}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
