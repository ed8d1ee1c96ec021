/**
 * The core README's recipes for real resources: each file runs as the README prints it, and
 * prints what its comments say; the README shows each file's code exactly.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../../..');
const readme = readFileSync(join(repo, 'packages/core/README.md'), 'utf8');
const recipes = ['file-descriptor.ts', 'wasm-region.ts', 'shared-cache.ts'];

/** `console.log('label:', value); // expected` → `label: expected`, in order. */
function expectedOutput(source: string): string[] {
  return [...source.matchAll(/console\.log\('([^']*)', .*\); \/\/ (.*)$/gm)].map(([, label, value]) => `${label} ${value}`);
}

describe('the core README’s resource recipes', () => {
  for (const name of recipes) {
    const path = join(here, name);
    const source = readFileSync(path, 'utf8');
    const command = `npx tsx --conditions=@refheap/source ${relative(repo, path)}`;

    test(`${name}: the README prints its code and the command that runs it`, () => {
      expect(readme).toContain(`\`\`\`ts\n${source}\`\`\``);
      expect(readme).toContain(command);
    });

    test(`${name}: prints what its comments say`, () => {
      const output = execFileSync(process.execPath, ['--conditions=@refheap/source', '--import', 'tsx', path], {
        cwd: repo,
        encoding: 'utf8',
      });
      const expected = expectedOutput(source);
      expect(expected.length).toBeGreaterThan(3);
      expect(output.trim().split('\n')).toEqual(expected);
    });
  }
});
