/**
 * The page's TypeScript is checked like the rest of the repo: the root
 * typecheck covers src/, and this runs tsc on web/ (which needs the DOM types).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { labRoot } from './server/paths.ts';

it('web/ type-checks', async () => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(labRoot, 'web/tsconfig.json')]).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout }),
  );
  expect(result.stdout).toBe('');
});
