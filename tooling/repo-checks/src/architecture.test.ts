/**
 * The architecture as tests: core depends on nothing; gc, weakref and monitor on
 * core only; apps and tooling compose them; and no package reaches into
 * another's internals.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

interface Manifest {
  name: string;
  version?: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function manifests(group: string): { dir: string; manifest: Manifest }[] {
  const base = join(repo, group);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .map((name) => join(base, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest }));
}

const libraries = manifests('packages');

/** What each library may depend on among @refheap packages. */
const allowed: Record<string, string[]> = {
  '@refheap/core': [],
  '@refheap/gc': ['@refheap/core'],
  '@refheap/weakref': ['@refheap/core'],
  '@refheap/monitor': ['@refheap/core'],
  '@refheap/python': ['@refheap/core', '@refheap/gc', '@refheap/weakref', '@refheap/monitor'],
};

/** Private build settings every package may use; they ship no code. */
const buildOnly = new Set(['@refheap/tsconfig']);

/** Every @refheap package a manifest names, in any kind of dependency (tests count too). */
function refheapDependencies(manifest: Manifest): string[] {
  const all = {
    ...manifest.dependencies,
    ...manifest.peerDependencies,
    ...manifest.optionalDependencies,
    ...manifest.devDependencies,
  };
  return Object.keys(all).filter((d) => d.startsWith('@refheap/') && !buildOnly.has(d));
}

/** The package a bare specifier names: `@refheap/core/x` → `@refheap/core`. */
function packageOf(specifier: string): string | undefined {
  return /^(@refheap\/[^/]+)/.exec(specifier)?.[1];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [path] : [];
  });
}

/**
 * Every module specifier in a source text: `import … from`, `export … from`,
 * side-effect `import 'x'`, `import type`, dynamic `import('x')` and `require('x')`.
 */
function specifiersIn(text: string): string[] {
  const pattern =
    /(?:^|[^\w$.])(?:import|export)\s+(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|(?:^|[^\w$.])(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2])!);
}

function importsOf(file: string): string[] {
  return specifiersIn(readFileSync(file, 'utf8'));
}

describe('the import scanner these checks rely on', () => {
  it('finds every form of import and export', () => {
    // Keywords in capitals, so this file's own scan does not read the samples as imports.
    const text = [
      "IMPORT { a, b } from '@refheap/core';",
      "IMPORT type { T } from './types.ts';",
      'IMPORT {',
      '  c,',
      "} from '@refheap/gc/src/x.ts';",
      "IMPORT '../../core/src/heap.ts';",
      "EXPORT * from './heap.ts';",
      'EXPORT { d } from "./d.ts";',
      "const m = await IMPORT('@refheap/monitor');",
      "const r = REQUIRE('node:fs');",
      "EXPORT const notAnImport = 'x';",
      'const meta = IMPORT.meta.url;',
    ]
      .join('\n')
      .replace(/IMPORT|EXPORT|REQUIRE/g, (keyword) => keyword.toLowerCase());
    expect(specifiersIn(text)).toEqual([
      '@refheap/core',
      './types.ts',
      '@refheap/gc/src/x.ts',
      '../../core/src/heap.ts',
      './heap.ts',
      './d.ts',
      '@refheap/monitor',
      'node:fs',
    ]);
  });
});

describe('the dependency rule', () => {
  it('knows every library in packages/', () => {
    expect(libraries.length).toBeGreaterThan(0);
    for (const { manifest } of libraries) expect(Object.keys(allowed)).toContain(manifest.name);
  });

  for (const { manifest } of libraries) {
    it(`${manifest.name} depends only on ${allowed[manifest.name]?.join(', ') || 'nothing of ours'}`, () => {
      const extra = refheapDependencies(manifest).filter((d) => !allowed[manifest.name]?.includes(d));
      expect(extra).toEqual([]);
    });
  }
});

describe('the dependency rule in the sources', () => {
  for (const { dir, manifest } of libraries) {
    it(`${manifest.name}'s sources import only ${allowed[manifest.name]?.join(', ') || 'nothing of ours'}`, () => {
      const src = join(dir, 'src');
      if (!existsSync(src)) return;
      const offending: string[] = [];
      for (const file of sourceFiles(src)) {
        for (const specifier of importsOf(file)) {
          const target = packageOf(specifier);
          if (target && target !== manifest.name && !allowed[manifest.name]?.includes(target))
            offending.push(`${relative(repo, file)}: ${specifier}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});

/** Subpath entries the packages' exports maps declare (`@refheap/monitor/node`): public too. */
const publicSubpaths = new Set(
  libraries.flatMap(({ manifest }) =>
    Object.keys(manifest.exports ?? {})
      .filter((key) => key.startsWith('./') && key !== './package.json')
      .map((key) => `${manifest.name}/${key.slice(2)}`),
  ),
);

describe('public entries only', () => {
  const everyPackage = [...libraries, ...manifests('apps'), ...manifests('tooling')];
  for (const { dir, manifest } of everyPackage) {
    it(`${manifest.name} imports other packages only through their entry, and stays inside itself`, () => {
      const src = join(dir, 'src');
      if (!existsSync(src)) return;
      const offending: string[] = [];
      for (const file of sourceFiles(src)) {
        for (const specifier of importsOf(file)) {
          const deep = /^@refheap\/[^/]+\/(?!package\.json$)/.test(specifier) && !publicSubpaths.has(specifier);
          const escapes = specifier.startsWith('.') && !resolve(dirname(file), specifier).startsWith(dir + '/');
          if (deep || escapes) offending.push(`${relative(repo, file)}: ${specifier}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }
});

/** Libraries shaped as npm packages but not published yet: python, until its interpreter exists. */
const unpublished = new Set(['@refheap/python']);

describe('real npm packages', () => {
  for (const { dir, manifest } of libraries) {
    it(`${manifest.name} has a version, an exports map with types, files and a README`, () => {
      if (!unpublished.has(manifest.name)) expect(manifest.private).not.toBe(true);
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
      const main = manifest.exports?.['.'] as Record<string, string> | undefined;
      expect(main?.types).toMatch(/\.d\.ts$/);
      expect(main?.default).toMatch(/\.js$/);
      expect(manifest.files).toContain('dist');
      expect(existsSync(join(dir, 'README.md'))).toBe(true);
      expect(existsSync(join(dir, 'src/index.ts'))).toBe(true);
    });
  }
});
