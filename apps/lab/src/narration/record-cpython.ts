/**
 * Records python3's answers for every scenario's checked facts into cpython-answers.ts, which
 * the runner (and so the page, which has no python3) checks against. The scenario tests ask
 * python3 again and fail when the recording is stale.
 *
 *     npx tsx --conditions=@refheap/source apps/lab/src/narration/record-cpython.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarios } from '../registry.ts';
import { askCpython, checkedAnswers } from './cpython.ts';
import { renderAnswers } from './render-answers.ts';

const all = Object.fromEntries(scenarios.map((s) => [s.name, checkedAnswers(s, askCpython(s))]));
const file = fileURLToPath(new URL('./cpython-answers.ts', import.meta.url));
writeFileSync(file, renderAnswers(all));
console.log(`recorded ${Object.values(all).reduce((n, a) => n + Object.keys(a).length, 0)} answers in ${file}`);
