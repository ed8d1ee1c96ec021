/**
 * `pnpm stress`: the scale scenarios at full size, one table. Pass `--size N` to
 * override every size, `--json` for one JSON array on stdout.
 */
import { parseArgs } from 'node:util';
import { scaleScenarios, type ScaleResult } from './scale.ts';

const { values } = parseArgs({ options: { size: { type: 'string' }, json: { type: 'boolean', default: false } } });
const results: ScaleResult[] = [];
for (const scenario of scaleScenarios) {
  const n = values.size === undefined ? scenario.fullSize : Number(values.size);
  if (!values.json) process.stderr.write(`${scenario.name} (${n.toLocaleString('en')} objects)…\n`);
  const result = scenario.run(n);
  results.push({ ...result });
}
if (values.json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  const rows = results.map((r) => [
    r.scenario,
    r.objects.toLocaleString('en'),
    `${(r.milliseconds / 1000).toFixed(2)} s`,
    `${((r.milliseconds * 1e6) / r.objects).toFixed(0)} ns`,
    `${r.bytesPerObject} B`,
    r.liveAfter === r.liveBefore ? 'yes' : `NO (${r.liveAfter - r.liveBefore} left)`,
  ]);
  const header = ['scenario', 'objects', 'time', 'per object', 'bytes/object', 'all freed'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
