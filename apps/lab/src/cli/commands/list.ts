/** `refheap-lab list`: every scenario with its one-line summary, or as JSON. */
import { scenarios } from '../../registry.ts';
import type { Palette } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';

export function list(io: Io, palette: Palette, json: boolean): number {
  const c = palette.out;
  if (json) {
    const entries = scenarios.map(({ name, title, summary, source, drawable, slow, steps }) => ({
      name,
      title,
      summary,
      source,
      steps: steps.length,
      drawable,
      slow: slow ?? false,
    }));
    io.stdout.write(`${JSON.stringify({ scenarios: entries }, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(...scenarios.map((s) => s.name.length));
  io.stdout.write(`${c.bold('Memory Lab scenarios')}  ${c.dim('(refheap-lab run <name>, or run --all)')}\n\n`);
  for (const s of scenarios) {
    const marks = [s.drawable ? 'web' : '', s.slow ? 'slow' : ''].filter(Boolean).join(', ');
    io.stdout.write(`  ${c.cyan(s.name.padEnd(width))}  ${s.summary}${marks ? c.dim(`  [${marks}]`) : ''}\n`);
  }
  return EXIT.ok;
}
