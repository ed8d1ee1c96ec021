/**
 * No import circles anywhere in the repository: a module that imports, through any chain,
 * a module that imports it back is a knot a reader cannot start from either end of (and,
 * at run time, one of the two sees the other half-initialised). Type-only imports count.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { circles, importGraph } from './import-graph.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the circle finder', () => {
  it('finds a two-file circle, a longer one and a self-contained knot, and nothing in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a', 'c']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c']],
      ['f', ['a', 'g']],
      ['g', []],
    ]);
    expect(circles(graph)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(circles(new Map([['x', ['y', 'z']], ['y', ['z']], ['z', []]]))).toEqual([]);
  });

  it('copes with a chain deeper than the call stack would', () => {
    const graph = new Map(Array.from({ length: 100_000 }, (_, i) => [`m${i}`, [`m${(i + 1) % 100_000}`]] as const));
    const [only] = circles(new Map([...graph].map(([k, v]) => [k, [...v]])));
    expect(only).toHaveLength(100_000);
  });
});

describe('the import graph', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('resolves relative imports (.ts, .js for .ts, type-only) and @refheap/x through its exports map, and skips comments and strings', () => {
    const write = (path: string, text: string): void => {
      mkdirSync(dirname(join(scratch, path)), { recursive: true });
      writeFileSync(join(scratch, path), text);
    };
    const exports = { '.': { '@refheap/source': './src/index.ts' }, './sub': { '@refheap/source': './src/sub.ts' } };
    write('packages/one/package.json', JSON.stringify({ name: '@refheap/one', exports }));
    write('packages/one/src/index.ts', "export { b } from './b.js';\n");
    write('packages/one/src/b.ts', "import type { I } from './index.ts';\nexport const b = 1;\n");
    write('packages/one/src/sub.ts', "/** Use it as `import { s } from './index.ts'`. */\nconst t = \"import './b.ts'\";\nexport const s = t;\n");
    write('tooling/two/package.json', JSON.stringify({ name: '@refheap/two' }));
    write('tooling/two/src/main.ts', "import { b } from '@refheap/one';\nimport { s } from '@refheap/one/sub';\n");
    const graph = importGraph(scratch);
    const rel = (file: string): string => relative(scratch, file);
    const edges = Object.fromEntries([...graph].map(([file, to]) => [rel(file), to.map(rel)]));
    expect(edges).toEqual({
      'packages/one/src/index.ts': ['packages/one/src/b.ts'],
      'packages/one/src/b.ts': ['packages/one/src/index.ts'],
      'packages/one/src/sub.ts': [],
      'tooling/two/src/main.ts': ['packages/one/src/index.ts', 'packages/one/src/sub.ts'],
    });
    expect(circles(graph).map((c) => c.map(rel))).toEqual([['packages/one/src/b.ts', 'packages/one/src/index.ts']]);
  });
});

/**
 * The circles this check found when it came in, outside the files its author could change,
 * each confined to one folder: tolerated there (and only there) until its owner breaks it.
 * A circle elsewhere, or one that leaves its folder, fails; so does an entry no circle needs.
 */
const KNOWN: readonly { readonly within: string; readonly why: string }[] = [
  {
    within: 'packages/python/src/vm/',
    why: 'one knot of 47 modules (vm, builtins, the compiler, the types, the stdlib) that import each other',
  },
];

describe('the repository', () => {
  const graph = importGraph(repo);
  const found = circles(graph).map((circle) => circle.map((file) => relative(repo, file)));
  const known = (circle: readonly string[]): boolean =>
    KNOWN.some(({ within }) => circle.every((file) => file.startsWith(within)));

  it('has no import circle but the known ones, each inside its folder', () => {
    expect(graph.size).toBeGreaterThan(100); // it did read the sources
    expect(found.filter((circle) => !known(circle)).map((circle) => circle.join(' ↔ '))).toEqual([]);
  });

  it('has no core circle: heap, repr, types and the protocol import each other no more', () => {
    expect(found.filter((circle) => circle.some((file) => file.startsWith('packages/core/')))).toEqual([]);
  });

  it('lists no known circle that is gone (remove the entry when its circle is broken)', () => {
    const stale = KNOWN.filter(({ within }) => !found.some((circle) => circle.every((file) => file.startsWith(within))));
    expect(stale.map(({ within }) => within)).toEqual([]);
  });
});
