/**
 * Checks that the seeds' code blocks kept in seeds.ts are the seeds' own lines, against
 * ../shared/seeds beside the repository (where the lessons are written; a clone elsewhere has no
 * seeds to compare, which is why this is a command and not a test that would skip itself there).
 *
 *   npx -y pnpm@10.34.8 --filter @refheap/python check:seeds [path/to/seeds]
 *
 * Prints each block that differs and exits 1; exits 2 when there are no seeds to read.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SEED_BLOCKS } from './seeds.ts';

const dir = process.argv[2] ?? fileURLToPath(new URL('../../../../../shared/seeds/', import.meta.url));
if (!existsSync(dir)) {
  console.error(`check-seeds: no seeds at ${dir} (pass their folder as the argument)`);
  process.exit(2);
}

const problems: string[] = [];
const files = readdirSync(dir).filter((file) => /\.(txt|md)$/.test(file));
const kept = new Set(SEED_BLOCKS.map((block) => block.seed));
for (const file of files) if (!kept.has(file)) problems.push(`${file}: a seed with no blocks in seeds.ts`);
for (const file of kept) if (!files.includes(file)) problems.push(`${file}: in seeds.ts but not among the seeds`);
for (const block of SEED_BLOCKS) {
  if (!files.includes(block.seed)) continue;
  const lines = readFileSync(`${dir}/${block.seed}`, 'utf8').split('\n');
  const text = block.text.replace(/\n$/, '').split('\n');
  const found = lines.slice(block.line - 1, block.line - 1 + text.length);
  const at = text.findIndex((line, i) => line !== found[i]);
  if (at >= 0) problems.push(`${block.name}: line ${block.line + at} reads ${JSON.stringify(found[at])}, seeds.ts has ${JSON.stringify(text[at])}`);
}
for (const problem of problems) console.error(problem);
console.log(`${SEED_BLOCKS.length - problems.length} of ${SEED_BLOCKS.length} blocks are the seeds' lines`);
process.exit(problems.length === 0 ? 0 : 1);
