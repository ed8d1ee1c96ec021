/**
 * `refheap-lab run <scenario…> | --all`: runs scenarios and narrates them, or
 * prints one JSON document with `--json`. Exit 1 when a number differs from
 * CPython 3.11's; 2 for an unknown scenario (the valid names are listed).
 */
import { findScenario, scenarios } from '../../registry.ts';
import { runScenario, type ScenarioRecord } from '../../runner.ts';
import type { Scenario } from '../../scenario.ts';
import type { Colors } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';
import { nodePlatform } from '../node-platform.ts';
import { renderFooter, renderHeader, renderStep } from '../render.ts';
import { closest } from '../suggest.ts';

export interface RunOptions {
  readonly names: readonly string[];
  readonly all: boolean;
  readonly json: boolean;
}

export function unknownScenario(io: Io, c: Colors, name: string): number {
  const names = scenarios.map((s) => s.name);
  const guess = closest(name, names);
  io.stderr.write(`${c.red('refheap-lab:')} there is no scenario called '${name}'.${guess ? ` Did you mean '${guess}'?` : ''}\n`);
  io.stderr.write(`The scenarios are:\n${names.map((n) => `  ${n}`).join('\n')}\n`);
  return EXIT.usage;
}

export function run(io: Io, c: Colors, options: RunOptions): number {
  if (!options.all && options.names.length === 0) {
    io.stderr.write(`${c.red('refheap-lab:')} run needs a scenario name, or --all. Try: refheap-lab list\n`);
    return EXIT.usage;
  }
  const chosen: Scenario[] = [];
  for (const name of options.all ? scenarios.map((s) => s.name) : options.names) {
    const scenario = findScenario(name);
    if (!scenario) return unknownScenario(io, c, name);
    chosen.push(scenario);
  }
  const showProgress = !options.json && io.stderr.isTTY === true;
  const platform = nodePlatform(showProgress);
  const columns = io.stdout.columns ?? 100;
  const records: ScenarioRecord[] = [];
  for (const scenario of chosen) {
    if (!options.json) {
      io.stdout.write(`${renderHeader(scenario, c, columns).join('\n')}\n`);
      if (scenario.slow) io.stdout.write(c.dim('  (this one takes a few seconds)\n'));
    }
    const total = scenario.steps().length;
    const record = runScenario(scenario, { platform }, (step) => {
      if (!options.json) io.stdout.write(`${renderStep(step, total, c, columns).join('\n')}\n`);
    });
    if (!options.json) io.stdout.write(`${renderFooter(record, c, columns).join('\n')}\n`);
    records.push(record);
  }
  const ok = records.every((r) => r.ok);
  if (options.json) {
    const document = options.all || records.length > 1 ? { ok, scenarios: records } : records[0];
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else if (records.length > 1) {
    const failed = records.filter((r) => !r.ok).map((r) => r.name);
    io.stdout.write(
      ok
        ? c.green(`  All ${records.length} scenarios ran; every number the lab promises matched CPython 3.11.\n`)
        : c.red(`  ${failed.length} scenario(s) disagreed with CPython 3.11: ${failed.join(', ')}\n`),
    );
  }
  return ok ? EXIT.ok : EXIT.failed;
}
