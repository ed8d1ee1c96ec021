/**
 * One vitest run for the whole monorepo. Every workspace package with a `src/`
 * folder is a project, found by listing the folders, so a new package needs no
 * edit here. Tests import sibling packages through the `@refheap/source` export
 * condition: they run against the TypeScript sources, no build needed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const SOURCE = '@refheap/source';

function workspacePackages(): { root: string; name: string }[] {
  return ['packages', 'apps', 'tooling'].flatMap((group) =>
    existsSync(group)
      ? readdirSync(group)
          .map((dir) => `${group}/${dir}`)
          .filter((root) => existsSync(`${root}/package.json`) && existsSync(`${root}/src`))
          .map((root) => ({ root, name: (JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string }).name }))
      : [],
  );
}

const nodeProjects: TestProjectInlineConfiguration[] = workspacePackages().map(({ root, name }) => ({
  extends: true,
  test: {
    name,
    root,
    include: ['src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', 'src/**/*.browser.test.ts'],
  },
}));

export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions] } },
  test: {
    projects: nodeProjects,
    passWithNoTests: true,
    testTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
