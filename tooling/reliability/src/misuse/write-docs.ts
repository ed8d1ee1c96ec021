/** `pnpm docs:misuse`: regenerates docs/misuse.md from the misuse cases. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { misuseTable, runCases } from './table.ts';

const target = fileURLToPath(new URL('../../../../docs/misuse.md', import.meta.url));
writeFileSync(target, misuseTable(runCases()));
console.log(`wrote ${target}`);
