/**
 * One vitest run for the whole monorepo. Every workspace package with a `src/`
 * folder is a project, found by listing the folders, so a new package needs no
 * edit here. A package that needs its own settings puts `vitest.config.ts` (or
 * `vitest.<kind>.config.ts`, one project each) in its folder, built with
 * `packageProject` from tooling/vitest/shared.ts; the root then runs those
 * instead. Tests import sibling packages through the `@refheap/source` export
 * condition: they run against the TypeScript sources, no build needed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defineConfig, type TestProjectConfiguration } from 'vitest/config';
import { sourceResolution, testDefaults } from './tooling/vitest/shared.ts';

const OWN_CONFIG = /^vitest(\.[\w-]+)?\.config\.[cm]?[jt]s$/;

function workspacePackages(): { root: string; name: string; configs: string[] }[] {
  return ['packages', 'apps', 'tooling'].flatMap((group) =>
    existsSync(group)
      ? readdirSync(group)
          .map((dir) => `${group}/${dir}`)
          .filter((root) => existsSync(`${root}/package.json`) && existsSync(`${root}/src`))
          .map((root) => ({
            root,
            name: (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string }).name,
            configs: readdirSync(root)
              .filter((file) => OWN_CONFIG.test(file))
              .map((file) => `${root}/${file}`),
          }))
      : [],
  );
}

const projects = workspacePackages().flatMap(({ root, name, configs }): TestProjectConfiguration[] =>
  configs.length > 0 ? configs : [{ extends: true, test: { name, root, ...testDefaults } }],
);

export default defineConfig({
  ...sourceResolution,
  test: {
    projects,
    // A project, or the whole run, that finds no test file is not an error;
    // .ci/run fails a run that executed no test at all.
    passWithNoTests: true,
    testTimeout: testDefaults.testTimeout,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
