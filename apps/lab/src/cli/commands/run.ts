/**
 * `refheap-lab run <scenario…> | --all`: runs scenarios and narrates them, or
 * prints one JSON document with `--json` — always `{ ok, scenarios: [record…] }`,
 * for one scenario as for many, so a script reads both the same way. Exit 1 when
 * a number differs from CPython 3.11's; 2 for an unknown scenario (the valid
 * names are listed, with the nearest).
 */
import { findScenario, scenarios } from '../../registry.ts';
import { runScenario, type ScenarioRecord } from '../../runner.ts';
import type { Scenario } from '../../scenario.ts';
import type { Colors, Palette } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';
import { nodePlatform } from '../node-platform.ts';
import { renderFooter, renderHeader, renderStep } from '../render.ts';
import { closest } from '../suggest.ts';
import { outputColumns } from '../width.ts';

export interface RunOptions {
  readonly names: readonly string[];
  readonly all: boolean;
  readonly json: boolean;
}

/** The JSON document `run --json` prints. */
export interface RunDocument {
  /** Whether every scenario's numbers matched CPython 3.11. */
  readonly ok: boolean;
  readonly scenarios: readonly ScenarioRecord[];
}

/** Says (on stderr, in stderr's colours) that `name` is not one of `names`, suggests the nearest and lists them. */
export function unknownScenario(io: Io, c: Colors, name: string): number {
  const names = scenarios.map((s) => s.name);
  const guess = closest(name, names);
  io.stderr.write(`${c.red('refheap-lab:')} there is no scenario called '${name}'.${guess ? ` Did you mean '${guess}'?` : ''}\n`);
  io.stderr.write(`The scenarios are:\n${names.map((n) => `  ${n}`).join('\n')}\n`);
  return EXIT.usage;
}

export function run(io: Io, palette: Palette, options: RunOptions): number {
  const c = palette.out;
  if (!options.all && options.names.length === 0) {
    io.stderr.write(`${palette.err.red('refheap-lab:')} run needs a scenario name, or --all. Try: refheap-lab list\n`);
    return EXIT.usage;
  }
  const chosen: Scenario[] = [];
  for (const name of options.all ? scenarios.map((s) => s.name) : options.names) {
    const scenario = findScenario(name);
    if (!scenario) return unknownScenario(io, palette.err, name);
    chosen.push(scenario);
  }
  const showProgress = !options.json && io.stderr.isTTY === true;
  const platform = nodePlatform(showProgress);
  const columns = outputColumns(io.stdout);
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
    const document: RunDocument = { ok, scenarios: records };
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
