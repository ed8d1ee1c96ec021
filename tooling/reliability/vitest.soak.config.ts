/** The soak alone, in a forked process: resident memory is then this test's own. */
import { packageProject } from '../vitest/shared.ts';

export default packageProject(import.meta.url, {
  test: { include: ['src/soak.test.ts'], pool: 'forks', fileParallelism: false },
});
