/**
 * Runs the TypeScript half of one workload in a process of its own and prints its samples
 * as JSON on stdout — the twin of python/harness.py:
 *
 *     node --expose-gc --conditions=@refheap/source --import tsx src/worker.ts NAME --n N --reps R --warmup W
 *
 * A process per round, on both sides, so that no workload runs in a JIT shaped by
 * another's code (V8 deoptimizes and re-specializes shared functions such as `decref`
 * when a second workload drives them differently) and each side starts each round fresh.
 * Here: the workload's heap is made once; W untimed warm-up repetitions let V8 optimize
 * the hot paths; R timed repetitions follow, each after a full JS collection so that no
 * repetition pays for the last one's JS garbage. Prints {"node": …, "samples": […]}, or
 * {"skipped": reason} when the refheap half cannot run. With `--floor` it runs the
 * workload's floor program (src/floor/) the same way instead.
 */
import { parseArgs } from 'node:util';
import { takeCpuFromEnvironment } from './affinity.ts';
import type { Sample } from './workload.ts';
import { workloads } from './workloads/index.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { n: { type: 'string' }, reps: { type: 'string' }, warmup: { type: 'string' }, floor: { type: 'boolean' } },
    allowPositionals: true,
  });
  const workload = workloads.find((w) => w.name === positionals[0]);
  if (workload === undefined) throw new Error(`no workload named ${String(positionals[0])}`);
  const n = Number(values.n);
  const reps = Number(values.reps ?? 1);
  const warmup = Number(values.warmup ?? 0);
  takeCpuFromEnvironment();
  const collectJsGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

  if (values.floor === true && workload.floor === undefined) throw new Error(`${workload.name} has no floor`);
  const repetition = values.floor === true ? workload.floor!() : await workload.prepare();
  if (typeof repetition !== 'function') {
    process.stdout.write(`${JSON.stringify(repetition)}\n`);
    return;
  }
  const samples: Sample[] = [];
  for (let i = 0; i < warmup + reps; i++) {
    collectJsGarbage();
    const sample = repetition(n);
    if (i >= warmup) samples.push(sample);
  }
  process.stdout.write(`${JSON.stringify({ node: process.versions.node, samples })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
