/** The lab finds its own files from its module's location, whatever the working directory. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labRoot, repoRoot, webDist, webRoot } from './paths.ts';

describe('paths', () => {
  it('point at the lab, its page, its build folder and the monorepo', () => {
    expect((JSON.parse(readFileSync(join(labRoot, 'package.json'), 'utf8')) as { name: string }).name).toBe('@refheap/lab');
    expect(existsSync(join(webRoot, 'index.html'))).toBe(true);
    expect(webDist).toBe(join(labRoot, 'dist', 'web'));
    expect(existsSync(join(repoRoot, 'pnpm-workspace.yaml'))).toBe(true);
  });
});
