import fc from 'fast-check';
import { expect, test } from 'vitest';
import { program, runCommands } from './fuzz/model.ts';

/**
 * The model-based fuzzer at CI's budget (a few seconds; `pnpm fuzz` runs it for minutes),
 * hostile moves included: finalizers, weakref callbacks and observers that misbehave, the
 * one-sweep release with an outside death, tuple and closure churn, every combination of
 * class hooks. A failure prints its seed and path; replay with
 * `FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run --project @refheap/reliability src/fuzz.test.ts`.
 */
test('core, gc, weakref and the tracer agree with the plain model over random command sequences, hostile ones included', () => {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const path = process.env.FUZZ_PATH;
  let total = 0;
  fc.assert(
    fc.property(program, (cmds) => {
      total += runCommands(cmds);
    }),
    { numRuns: 300, ...(seed === undefined ? {} : { seed }), ...(path === undefined ? {} : { path }) },
  );
  expect(total).toBeGreaterThan(0);
});
