/**
 * Observing a fact leaves the program as it was: the counts read the same however often they
 * are read, no name stays behind, and values come back as plain data (or their repr).
 */
import { Python } from '@refheap/python';
import { expect, it } from 'vitest';
import { observe } from './observe.ts';

function program(source: string): Python {
  const py = new Python();
  expect(py.run(source, { filename: 'p.py' }).error).toBeNull();
  return py;
}

it('reads a count without changing it, and leaves no name behind', () => {
  const py = program('import sys, gc\na = []\nb = a\n');
  expect(observe(py, 'sys.getrefcount(a)')).toEqual({ value: 3, error: null });
  expect(observe(py, 'sys.getrefcount(a)')).toEqual({ value: 3, error: null });
  expect(observe(py, '"__lab_fact__" in globals()')).toEqual({ value: false, error: null });
  expect(observe(py, 'a')).toEqual({ value: [], error: null });
  expect(observe(py, 'sys.getrefcount(a)').value).toBe(3);
});

it('answers scalars, lists and tuples of scalars as plain data, anything else as its repr', () => {
  const py = program('class C:\n    def __repr__(self):\n        return "<C>"\nc = C()\n');
  expect(observe(py, '(1, "two", 3.5, None, True)').value).toEqual([1, 'two', 3.5, null, true]);
  expect(observe(py, '[c]').value).toBe('[<C>]');
  expect(observe(py, 'c').value).toBe('<C>');
  expect(observe(py, '2 ** 70').value).toBe(2 ** 70);
});

it('reports an expression that raises, and the program carries on', () => {
  const py = program('x = 1\n');
  expect(observe(py, 'undefined_name')).toEqual({ value: null, error: "NameError: name 'undefined_name' is not defined" });
  expect(observe(py, 'x + 1').value).toBe(2);
});
