/**
 * What every refheap test project shares, so the root config and a package's own
 * `vitest.config.ts` agree: tests resolve workspace packages to their TypeScript
 * sources through the `@refheap/source` export condition (no build first), find
 * `src/**\/*.test.ts`, and leave browser tests to the projects that set up a browser.
 *
 * Most packages need no config: the root finds them. A package that needs more
 * (`--expose-gc` in forks, a browser) writes `vitest.config.ts`, or several
 * `vitest.<kind>.config.ts`, in its own folder:
 *
 *   import { packageProject } from '../../tooling/vitest/shared.ts';
 *   export default packageProject(import.meta.url, {
 *     test: { include: ['src/**\/*.jsgc.test.ts'], pool: 'forks', execArgv: ['--expose-gc'] },
 *   });
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineProject, mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

export const SOURCE_CONDITION = '@refheap/source';

/** Resolve `@refheap/*` to `src/` in both of Vite's module graphs. */
export const sourceResolution = {
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
} satisfies UserWorkspaceConfig;

/** Where a package's tests are, unless its config says otherwise. */
export const testDefaults = {
  include: ['src/**/*.test.ts'],
  exclude: ['**/node_modules/**', '**/dist/**', 'src/**/*.browser.test.ts'],
  testTimeout: 120_000,
};

/**
 * One package's test project. `configUrl` is the config file's `import.meta.url`:
 * the project's root is its folder and its name is the package's name, with the
 * `<kind>` of `vitest.<kind>.config.ts` after a colon. Options in `overrides.test`
 * replace the defaults (an `include` given here is the whole list).
 */
export function packageProject(configUrl: string, overrides: UserWorkspaceConfig = {}): UserWorkspaceConfig {
  const file = fileURLToPath(configUrl);
  const root = dirname(file);
  const manifest = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string };
  const kind = /^vitest\.(.+)\.config\.[cm]?[jt]s$/.exec(basename(file))?.[1];
  const { test, ...rest } = overrides;
  return mergeConfig(
    defineProject({ ...sourceResolution, root }),
    defineProject({
      ...rest,
      test: { name: kind ? `${manifest.name}:${kind}` : manifest.name, root, ...testDefaults, ...test },
    }),
  );
}
