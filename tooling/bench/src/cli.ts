/**
 * `pnpm bench` — runs every workload on refheap and in CPython, on this machine, in one
 * run, and prints the table (or, with `--json`, one JSON array and nothing else on
 * stdout). Progress goes to stderr, and only when stderr is a terminal.
 */
import { type CliOptions, parseOptions, selectWorkloads, USAGE } from './options.ts';
import { toJson, toTable } from './report.ts';
import { runWorkloads } from './runner.ts';
import type { Workload } from './workload.ts';
import { workloads } from './workloads/index.ts';

function main(): number {
  let options: CliOptions;
  let chosen: Workload[];
  try {
    options = parseOptions(process.argv.slice(2));
    chosen = selectWorkloads(workloads, options.filters);
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (options.list) {
    const width = Math.max(...workloads.map((w) => w.name.length));
    for (const w of workloads) process.stdout.write(`${w.name.padEnd(width)}  ${w.description}\n`);
    return 0;
  }
  const progress = process.stderr.isTTY ? (line: string) => process.stderr.write(`\r\x1b[2K${line}`) : undefined;
  const result = runWorkloads(chosen, { ...options, ...(progress ? { progress } : {}) });
  if (progress) process.stderr.write('\r\x1b[2K');
  if (options.json) {
    process.stdout.write(`${toJson(result.rows)}\n`);
  } else {
    process.stdout.write(`${toTable(result.rows, { ...options, ...result.versions })}\n`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
