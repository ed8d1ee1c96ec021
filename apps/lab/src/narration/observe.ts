/**
 * Evaluating a fact in a running program's `__main__` on refheap-python: the expression runs
 * as `__lab_fact__ = (expr)` in the program's globals, its value is read off the heap and the
 * name deleted again — the same disturbance python3's side makes (`eval` into a local), so
 * counts read the same on both. A value that is not a plain scalar, or a list or tuple of
 * them, is shown by its repr (as the python3 side does).
 */
import { Kind } from '@refheap/core';
import type { Python } from '@refheap/python';
import type { FactValue } from '../scenario.ts';

const NAME = '__lab_fact__';
/** The filename of the lab's own evaluations (the runner's line hook watches only the program's). */
const OBSERVER_FILENAME = '<lab>';

type Scalar = number | string | boolean | null;

function scalar(py: Python, ref: number): Scalar | undefined {
  const heap = py.heap;
  switch (heap.kindOf(ref)) {
    case Kind.None:
      return null;
    case Kind.Bool:
      return ref === heap.True;
    case Kind.Int:
    case Kind.Float:
      return Number(heap.valueOf(ref));
    case Kind.Str:
      return heap.valueOf(ref) as string;
    default:
      return undefined;
  }
}

function plain(py: Python, ref: number): FactValue | undefined {
  const heap = py.heap;
  const kind = heap.kindOf(ref);
  if (kind !== Kind.List && kind !== Kind.Tuple) return scalar(py, ref);
  const items: Scalar[] = [];
  for (let i = 0; i < heap.length(ref); i++) {
    const item = scalar(py, heap.item(ref, i));
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

function run(py: Python, code: string): string | null {
  return py.run(code, { filename: OBSERVER_FILENAME }).error;
}

/** The value of `expr` in the program's globals now, or the error it raised (as `Type: message`). */
export function observe(py: Python, expr: string): { value: FactValue; error: string | null } {
  const error = run(py, `${NAME} = (${expr})`);
  if (error !== null) return { value: null, error };
  try {
    const ref = py.heap.dictGetStr(py.globals, NAME);
    const value = plain(py, ref);
    if (value !== undefined) return { value, error: null };
    const failed = run(py, `${NAME} = repr(${NAME})`);
    if (failed !== null) return { value: null, error: failed };
    return { value: py.heap.valueOf(py.heap.dictGetStr(py.globals, NAME)) as string, error: null };
  } finally {
    run(py, `del ${NAME}`);
  }
}
