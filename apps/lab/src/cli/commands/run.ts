/**
 * `refheap-lab run <scenario… | FILE.py…> | --all`: runs scenarios — each a Python program on
 * refheap-python, narrated step by step and checked against CPython 3.11 — and learners' own
 * files, narrated line by line (objects made and freed, collections). With `--json` it prints
 * one document, `{ ok, scenarios: [run…], programs: [narration…] }`, the same shape for one
 * name as for many. Exit 1 when a check fails or a program does not run to its end; 2 for an
 * unknown scenario (the valid names are listed, with the nearest) or a missing file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { nameCountsAfter } from '../../narration/name-counts.ts';
import { narrateProgram, type ProgramNarration } from '../../narration/program-narration.ts';
import { traceProgram } from '../../program/index.ts';
import { findScenario, scenarios } from '../../registry.ts';
import { runScenario, type ScenarioRun } from '../../runner.ts';
import type { Scenario } from '../../scenario.ts';
import type { Colors, Palette } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';
import { runProgress } from '../progress.ts';
import { renderProgram } from '../render-program.ts';
import { renderFooter, renderHeader, renderStep } from '../render.ts';
import { closest } from '../suggest.ts';
import { outputColumns } from '../width.ts';

/** Line events a learner's file may run in the terminal before it is stopped (an endless loop ends here). */
export const FILE_STEP_LIMIT = 200_000;
/** Line events of a file narrated one by one; the rest are summed per line. */
const EVENTS_NARRATED = 200;

export interface RunOptions {
  readonly names: readonly string[];
  readonly all: boolean;
  readonly json: boolean;
}

/** The JSON document `run --json` prints. */
export interface RunDocument {
  /** Whether every scenario's checks agreed with CPython 3.11 and every program ran to its end. */
  readonly ok: boolean;
  readonly scenarios: readonly ScenarioRun[];
  readonly programs: readonly ProgramNarration[];
}

/** Says (on stderr, in stderr's colours) that `name` is not one of `names`, suggests the nearest and lists them. */
export function unknownScenario(io: Io, c: Colors, name: string): number {
  const names = scenarios.map((s) => s.name);
  const guess = closest(name, names);
  io.stderr.write(`${c.red('refheap-lab:')} there is no scenario called '${name}'.${guess ? ` Did you mean '${guess}'?` : ''}\n`);
  io.stderr.write(`The scenarios are:\n${names.map((n) => `  ${n}`).join('\n')}\n`);
  return EXIT.usage;
}

const isFile = (name: string): boolean => name.endsWith('.py') || name.includes('/');

type Job = { readonly scenario: Scenario } | { readonly file: string };

export function run(io: Io, palette: Palette, options: RunOptions): number {
  const c = palette.out;
  if (!options.all && options.names.length === 0) {
    io.stderr.write(`${palette.err.red('refheap-lab:')} run needs a scenario name, a .py file, or --all. Try: refheap-lab list\n`);
    return EXIT.usage;
  }
  const jobs: Job[] = [];
  for (const name of options.all ? scenarios.map((s) => s.name) : options.names) {
    if (isFile(name)) {
      if (!existsSync(name)) {
        io.stderr.write(`${palette.err.red('refheap-lab:')} no such file: ${name}\n`);
        return EXIT.usage;
      }
      jobs.push({ file: name });
      continue;
    }
    const scenario = findScenario(name);
    if (!scenario) return unknownScenario(io, palette.err, name);
    jobs.push({ scenario });
  }
  const columns = outputColumns(io.stdout);
  const runs: ScenarioRun[] = [];
  const programs: ProgramNarration[] = [];
  const progress = runProgress(io.stdout, io.stderr, jobs.length, options.json);
  for (const [done, job] of jobs.entries()) {
    progress.start(done, 'file' in job ? basename(job.file) : job.scenario.name);
    if ('file' in job) {
      const source = readFileSync(job.file, 'utf8');
      const filename = basename(job.file);
      const trace = traceProgram(source, { filename, stepLimit: FILE_STEP_LIMIT });
      const names = nameCountsAfter(source, filename, EVENTS_NARRATED);
      const narration = narrateProgram(source, filename, trace, { eventLimit: EVENTS_NARRATED, names });
      if (!options.json) io.stdout.write(`${renderProgram(narration, c, columns).join('\n')}\n`);
      programs.push(narration);
      continue;
    }
    const { scenario } = job;
    if (!options.json) {
      io.stdout.write(`${renderHeader(scenario, c, columns).join('\n')}\n`);
      if (scenario.slow) io.stdout.write(c.dim('  (this one takes a few seconds)\n'));
    }
    const total = scenario.steps.length;
    const record = runScenario(scenario, {
      onStep: (step) => {
        if (!options.json) io.stdout.write(`${renderStep(step, total, c, columns).join('\n')}\n`);
      },
    });
    if (!options.json) io.stdout.write(`${renderFooter(record, c, columns).join('\n')}\n`);
    runs.push(record);
  }
  progress.finish();
  const ok = runs.every((r) => r.ok) && programs.every((p) => p.ok);
  if (options.json) {
    const document: RunDocument = { ok, scenarios: runs, programs };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else if (runs.length > 1) {
    const failed = runs.filter((r) => !r.ok).map((r) => r.name);
    io.stdout.write(
      failed.length === 0
        ? c.green(`  All ${runs.length} scenarios ran; every number the lab checks matched CPython 3.11.\n`)
        : c.red(`  ${failed.length} scenario(s) disagreed with CPython 3.11: ${failed.join(', ')}\n`),
    );
  }
  return ok ? EXIT.ok : EXIT.failed;
}
