/**
 * The reliability tests, except the soak: it judges the process's resident memory, so it
 * runs in a process of its own (vitest.soak.config.ts), never beside other test files.
 */
import { packageProject, testDefaults } from '../vitest/shared.ts';

export default packageProject(import.meta.url, {
  test: { exclude: [...testDefaults.exclude, 'src/soak.test.ts'] },
});
