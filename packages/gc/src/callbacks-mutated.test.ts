/**
 * `gc.callbacks` changed by its own callbacks during a collection, checked against python3
 * (twins/callbacks-mutated.py): CPython walks the live list by index, so a callback removed at
 * 'start' makes the walk pass over the one after it, and one appended is called in the same
 * walk. The collector walks `callbacks` the same way.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Heap } from '@refheap/core';
import { expect, test } from 'vitest';
import { Collector, type GcCallback } from './index.ts';

const cpython = JSON.parse(
  execFileSync('python3', [fileURLToPath(new URL('./twins/callbacks-mutated.py', import.meta.url))], { encoding: 'utf8' }),
) as string[];

test('callbacks added and removed during a collection are called as CPython calls them', () => {
  const gc = new Collector(new Heap(), { enabled: false });
  const calls: string[] = [];
  const a: GcCallback = (phase) => {
    calls.push(`a:${phase}`);
    if (phase === 'start') gc.callbacks.splice(gc.callbacks.indexOf(a), 1);
  };
  const b: GcCallback = (phase) => void calls.push(`b:${phase}`);
  const c: GcCallback = (phase) => {
    calls.push(`c:${phase}`);
    if (phase === 'start' && !gc.callbacks.includes(d)) gc.callbacks.push(d);
  };
  const d: GcCallback = (phase) => void calls.push(`d:${phase}`);
  gc.callbacks.push(a, b, c);
  gc.collect();
  expect(calls).toEqual(cpython);
});
