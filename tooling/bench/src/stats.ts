/**
 * The few statistics the harness needs, defined once so that the TypeScript side and the
 * Python side (gc-churn.py's `percentile`) compute them the same way.
 */

/** Nearest-rank percentile: the smallest value with at least `fraction` of the values at or below it. 0 when empty. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return 0;
  const ordered = [...values].sort((x, y) => x - y);
  const rank = Math.min(ordered.length - 1, Math.max(0, Math.ceil(ordered.length * fraction) - 1));
  return ordered[rank]!;
}

/** The best (lowest) of the values; every metric the harness reports is lower-is-better. */
export function best(values: readonly number[]): number {
  return Math.min(...values);
}
