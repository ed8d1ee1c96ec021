/** How a fact's value reads, in prose and tables: as Python would print it (True, None, ['list']). */
import type { FactValue } from './scenario.ts';

type Scalar = number | string | boolean | null;

/** A string as Python's repr spells it: single quotes, unless the text holds one and no double. */
function pyStr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

function scalar(value: Scalar, inList: boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  if (typeof value === 'string') return inList ? pyStr(value) : value;
  return String(value);
}

export function formatValue(value: FactValue): string {
  if (typeof value === 'object' && value !== null) return `[${(value as readonly Scalar[]).map((v) => scalar(v, true)).join(', ')}]`;
  return scalar(value, false);
}
