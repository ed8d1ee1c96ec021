/**
 * The integration tests run as their own project: they load core, gc and weakref
 * together, through the `@refheap/source` condition like every other package.
 */
import { packageProject } from '../vitest/shared.ts';

export default packageProject(import.meta.url);
