/**
 * The value of a NUMBER token, as Parser/pegen.c's `parsenumber` computes it: ints are unbounded
 * (a bigint), floats are doubles, and a `j` suffix makes an imaginary number.
 */
import type { Complex } from './ast.ts';

export function numberValue(text: string): bigint | number | Complex {
  const digits = text.includes('_') ? text.replaceAll('_', '') : text;
  const last = digits[digits.length - 1];
  if (last === 'j' || last === 'J') return { real: 0, imag: Number(digits.slice(0, -1)) };
  if (/^0[xXoObB]/.test(digits)) return BigInt(digits);
  if (/[.eE]/.test(digits)) return Number(digits);
  return BigInt(digits);
}
