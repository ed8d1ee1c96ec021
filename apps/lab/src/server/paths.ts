/** Where the lab's files are, found from this module's own location (works from any working directory). */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** apps/lab */
export const labRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** The web page's sources (index.html and its modules). */
export const webRoot: string = resolve(labRoot, 'web');
/** Where the built page goes. */
export const webDist: string = resolve(labRoot, 'dist/web');
/** The monorepo root. */
export const repoRoot: string = resolve(labRoot, '../..');
