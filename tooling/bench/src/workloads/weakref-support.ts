/**
 * Loading @refheap/weakref for the two weakref workloads. The package is written in
 * parallel with this harness; until it is a dependency of @refheap/bench with a usable
 * API, those workloads report a "skipped" row (their CPython half still runs, so the
 * floor to beat is on record). Imported by name at run time so that this package type-
 * checks and runs whether or not the weakref package exists yet.
 */
import type { Skipped } from '../workload.ts';

const WEAKREF_PACKAGE = '@refheap/weakref';

/** The module, or why it cannot be used. */
export async function loadWeakref(): Promise<Record<string, unknown> | Skipped> {
  try {
    return (await import(/* @vite-ignore */ WEAKREF_PACKAGE)) as Record<string, unknown>;
  } catch {
    return { skipped: `${WEAKREF_PACKAGE} not available` };
  }
}

export function isSkipped(value: unknown): value is Skipped {
  return typeof value === 'object' && value !== null && 'skipped' in value;
}
