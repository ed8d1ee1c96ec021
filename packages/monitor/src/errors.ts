/**
 * The monitor's errors. Python-level mistakes (tracemalloc's range checks,
 * "not tracing") carry CPython's exception name and wording, through core's
 * error classes; core has no RuntimeError of its own, so it is defined here.
 */
import { RefheapError } from '@refheap/core';

/** Python's RuntimeError: tracemalloc asked for a snapshot while not tracing. */
export class PyRuntimeError extends RefheapError {
  override readonly pythonName: string = 'RuntimeError';
}

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
