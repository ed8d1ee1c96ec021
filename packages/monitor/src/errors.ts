/**
 * The monitor's errors. Python-level mistakes (tracemalloc's range checks,
 * "not tracing") carry CPython's exception name and wording, through core's
 * error classes.
 */
export { PyRuntimeError } from '@refheap/core';

/** What a JS value is called in CPython's TypeError messages (`'float' object …`). */
export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'function';
    default:
      if (Array.isArray(value)) return 'list';
      return (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
  }
}
