/** How a fact's value reads, in prose and tables: Python's spelling of True, False and None. */
import type { FactValue } from './scenario.ts';

export function formatValue(value: FactValue): string {
  if (Array.isArray(value)) return `[${value.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  return String(value);
}
