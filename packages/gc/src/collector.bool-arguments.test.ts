/**
 * A bool is an int in Python, so the gc functions that take an integer take True and False
 * as 1 and 0 (python3 3.11: `gc.collect(True)` collects generation 1 and returns a count,
 * `gc.set_threshold(True, False, True)` then `gc.get_threshold()` gives `(1, 0, 1)`,
 * `gc.set_debug(True)` then `gc.get_debug()` gives the int `1`). A float is still refused:
 * `'float' object cannot be interpreted as an integer`.
 */
import { Handles, Heap, PyTypeError } from '@refheap/core';
import { describe, expect, test } from 'vitest';
import { Collector } from './index.ts';

/** What a JS caller (an interpreter passing Python bools through) hands the collector. */
const asArg = (value: unknown): number => value as number;

function setup() {
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap, { enabled: false });
  gc.collect();
  return { heap, py, gc };
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('bools are ints to the gc API, as in CPython', () => {
  test('collect(true) collects generation 1 and returns the unreachable count, as gc.collect(True) does', () => {
    const { heap, gc } = setup();
    const a = heap.newList();
    heap.append(a, a);
    heap.decref(a);
    const before = gc.getStats();
    expect(gc.collect(asArg(true))).toBe(1);
    const after = gc.getStats();
    expect(after.map((s, i) => s.collections - before[i]!.collections)).toEqual([0, 1, 0]);
  });

  test('collect(false) collects generation 0, as gc.collect(False) does', () => {
    const { gc } = setup();
    const before = gc.getStats();
    expect(gc.collect(asArg(false))).toBe(0);
    const after = gc.getStats();
    expect(after.map((s, i) => s.collections - before[i]!.collections)).toEqual([1, 0, 0]);
  });

  test('setThreshold(true, false, true) sets thresholds 1, 0, 1 — ints, not bools', () => {
    const { gc } = setup();
    gc.setThreshold(asArg(true), asArg(false), asArg(true));
    expect(gc.getThreshold()).toEqual([1, 0, 1]);
    for (const t of gc.getThreshold()) expect(typeof t).toBe('number');
    gc.setThreshold(asArg(true));
    expect(gc.getThreshold()).toEqual([1, 0, 1]);
  });

  test('setDebug(true) sets flags 1 and getDebug() returns the number 1; setDebug(false) clears them', () => {
    const { gc } = setup();
    gc.setDebug(asArg(true));
    expect(gc.getDebug()).toBe(1);
    gc.setDebug(asArg(false));
    expect(gc.getDebug()).toBe(0);
  });

  test("a float is still refused with CPython's wording, and a bad threshold after a bool leaves the bool's set", () => {
    const { gc } = setup();
    for (const f of [() => gc.collect(1.5), () => gc.setDebug(1.5), () => gc.collect(asArg(null))]) {
      expect(thrown(f)).toBeInstanceOf(PyTypeError);
    }
    expect((thrown(() => gc.collect(1.5)) as Error).message).toBe("'float' object cannot be interpreted as an integer");
    expect((thrown(() => gc.collect(asArg(null))) as Error).message).toBe(
      "'NoneType' object cannot be interpreted as an integer",
    );
    // python3: gc.set_threshold(700, 1.5) raises, and gc.get_threshold()[0] is then 700.
    expect(thrown(() => gc.setThreshold(asArg(true), 1.5))).toBeInstanceOf(PyTypeError);
    expect(gc.getThreshold()[0]).toBe(1);
  });
});

test('getObjects(true) lists generation 1, as gc.get_objects(True) does', () => {
  const { heap, gc } = setup();
  const kept = heap.newList();
  gc.collect(0); // kept moves to generation 1
  expect(gc.getObjects(asArg(true))).toEqual(gc.getObjects(1));
  expect(gc.getObjects(asArg(true))).toContain(kept);
  expect(gc.getObjects(asArg(false))).toEqual(gc.getObjects(0));
});
