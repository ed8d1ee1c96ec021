/**
 * `pnpm fuzz`: the model-based fuzzer at a long budget. `--minutes N` (default 5) or
 * `FUZZ_RUNS=N` runs; `FUZZ_SEED` fixes the first seed. Prints how many commands ran
 * without a failure and how often each hostile move did its thing; a failure prints its
 * seed and path (replay them with FUZZ_SEED and FUZZ_PATH, see fuzz.test.ts) and exits 1.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describeCounts } from './counts.ts';
import { program, runCommands, totals } from './model.ts';

const flag = process.argv.indexOf('--minutes');
const minutes = flag >= 0 ? Number(process.argv[flag + 1]) : 5;
const runs = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
const deadline = Date.now() + minutes * 60_000;
let seed = process.env.FUZZ_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.FUZZ_SEED);
let commands = 0;
let sequences = 0;
try {
  while (runs === undefined ? Date.now() < deadline : sequences < runs) {
    const batch = runs === undefined ? 200 : Math.min(200, runs - sequences);
    fc.assert(
      fc.property(program, (cmds) => {
        commands += runCommands(cmds);
        sequences++;
      }),
      { numRuns: batch, seed },
    );
    seed = (seed + 1) | 0;
  }
} catch (error) {
  console.error(String(error instanceof Error ? error.message : error));
  // fast-check 4 keeps what the property threw as the cause, not in the message.
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause !== undefined) console.error(`Caused by: ${inspect(cause)}`);
  console.error(`failed after ${commands} commands in ${sequences} sequences, ${describeCounts(totals)}`);
  process.exit(1);
}
console.log(`${commands} commands in ${sequences} sequences, ${describeCounts(totals)}: no failure`);
