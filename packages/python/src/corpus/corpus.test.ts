/**
 * Every corpus program under python3 and refheap-python: the same stdout (addresses
 * normalized), the same exit code, and for an uncaught exception the same last stderr line.
 * A program listed in known-differences.json must still differ, so fixing it forces its removal.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { compare, corpusPaths, normalize, runCPython, runRefheap, type RunResult } from './differential.ts';

interface KnownDifference {
  readonly name: string;
  readonly reason: string;
}

const known = new Map(
  (JSON.parse(readFileSync(new URL('./known-differences.json', import.meta.url), 'utf8')) as KnownDifference[]).map(
    (entry) => [entry.name, entry.reason],
  ),
);
const paths = corpusPaths();
let cpython = new Map<string, RunResult>();

beforeAll(() => {
  cpython = runCPython(paths);
}, 300_000);

describe('corpus: refheap-python prints what python3 prints', () => {
  test('the corpus is there and known-differences names real programs', () => {
    expect(paths.length).toBeGreaterThanOrEqual(220);
    const names = new Set(paths.map((path) => basename(path, '.py')));
    for (const name of known.keys()) expect(names, name).toContain(name);
  });

  for (const path of paths) {
    const name = basename(path, '.py');
    const reason = known.get(name);
    test(reason === undefined ? name : `${name} (known difference: ${reason})`, () => {
      const expected = cpython.get(path)!;
      const actual = runRefheap(path);
      if (reason !== undefined) {
        expect(compare(expected, actual), 'now matches python3: remove it from known-differences.json').toBeDefined();
        return;
      }
      expect(normalize(actual.stdout)).toBe(normalize(expected.stdout));
      expect(actual.exitCode).toBe(expected.exitCode);
      expect(compare(expected, actual)).toBeUndefined();
    });
  }
});
