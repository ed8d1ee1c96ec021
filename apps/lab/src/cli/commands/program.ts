/**
 * `refheap-lab program <scenario>`: the scenario as the one Python file it is — the program
 * the page's editor shows and `run` narrates — so it can be saved and run under python3.
 */
import { findScenario } from '../../registry.ts';
import { scenarioProgram } from '../../runner.ts';
import type { Palette } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';
import { unknownScenario } from './run.ts';

export function program(io: Io, palette: Palette, names: readonly string[]): number {
  if (names.length !== 1) {
    io.stderr.write(`${palette.err.red('refheap-lab:')} program takes one scenario name, e.g. refheap-lab program refcount > refcount.py\n`);
    return EXIT.usage;
  }
  const scenario = findScenario(names[0]!);
  if (!scenario) return unknownScenario(io, palette.err, names[0]!);
  io.stdout.write(scenarioProgram(scenario));
  return EXIT.ok;
}
