/**
 * The reference counts a learner's program's module-level names point at, after each of its
 * first line events: a second, deterministic run of the program on refheap-python (ids and
 * counts come out the same every run) with a line hook that reads `__main__`'s names at each
 * line event of the program's own file. A count is the object's true count (what
 * `ctypes.c_long.from_address(id(x)).value` reads), so `b = a` shows a's list going 1 → 2.
 * Names of modules, classes and functions and dunder names are left out, and the counts of
 * immortal objects (small ints, None): they say nothing about the program.
 */
import { Kind } from '@refheap/core';
import { Python } from '@refheap/python';

/** Name → the id of the object it names and that object's count (null for an immortal one), after one step. */
export type NameCounts = Readonly<Record<string, { readonly id: number; readonly count: number | null }>>;

/** CPython 3.11 starts immortal-in-practice objects (small ints, None, True) near a billion. */
const IMMORTAL = 1_000_000_000;
const SKIPPED_TYPES = new Set(['module', 'function', 'builtin_function_or_method', 'method']);

function read(py: Python): NameCounts {
  const heap = py.heap;
  const counts: Record<string, { id: number; count: number | null }> = {};
  heap.dictForEach(py.globals, (key: number, value: number) => {
    const name = heap.valueOf(key) as string;
    if (name.startsWith('__') || heap.kindOf(value) === Kind.Type) return;
    if (SKIPPED_TYPES.has(heap.typeOf(value).name)) return;
    const count = heap.refcount(value);
    counts[name] = { id: heap.id(value), count: count < IMMORTAL ? count : null };
  });
  return counts;
}

/**
 * `after[k]` is what the names counted after step k (k from 1), for the first `steps` steps;
 * `after[0]` is before the first. Shorter when the program ends (or fails) sooner.
 */
export function nameCountsAfter(source: string, filename: string, steps: number): NameCounts[] {
  // Each line event is one statement of the budget (a line hook makes every statement count).
  const py = new Python({ stepLimit: steps + 20 });
  const after: NameCounts[] = [{}];
  let seen = 0;
  py.setLineHook((frame) => {
    if (frame.code.filename !== filename) return;
    if (seen > 0 && after.length <= steps) after.push(read(py));
    seen++;
  });
  const result = py.run(source, { filename });
  py.setLineHook(null);
  if (result.error === null && seen > 0 && after.length <= steps) after.push(read(py));
  return after;
}

/** How the counts changed from one step to the next, in words: `a 1 → 2`, `b 2 (new)`, `x rebound`, `c deleted`. */
export function countChanges(before: NameCounts, after: NameCounts): string[] {
  const changes: string[] = [];
  const counted = (count: number | null): string => (count === null ? '' : ` ${count}`);
  for (const [name, now] of Object.entries(after)) {
    const was = before[name];
    if (was === undefined) changes.push(`${name}${counted(now.count)} (new)`);
    else if (was.id !== now.id) changes.push(`${name} rebound${now.count === null ? '' : ` (${now.count})`}`);
    else if (was.count !== now.count && now.count !== null) changes.push(`${name} ${was.count} → ${now.count}`);
  }
  for (const name of Object.keys(before)) if (!(name in after)) changes.push(`${name} deleted`);
  return changes;
}
