/**
 * `pnpm stress`: the scale scenarios at full size, one table, then the soak (three
 * minutes by default) with its curves. `--size N` overrides every size,
 * `--soak-seconds S` the soak's length (0 skips it), `--json` prints one JSON
 * document on stdout.
 */
import { parseArgs } from 'node:util';
import { scaleScenarios, type ScaleResult } from './scale.ts';
import { soak, sparkline } from './soak.ts';

const { values } = parseArgs({
  options: {
    size: { type: 'string' },
    'soak-seconds': { type: 'string', default: '180' },
    json: { type: 'boolean', default: false },
  },
});
const results: ScaleResult[] = [];
for (const scenario of scaleScenarios) {
  const n = values.size === undefined ? scenario.fullSize : Number(values.size);
  if (!values.json) process.stderr.write(`${scenario.name} (${n.toLocaleString('en')} objects)…\n`);
  const result = scenario.run(n);
  results.push({ ...result });
}
const soakSeconds = Number(values['soak-seconds']);
if (!values.json && soakSeconds > 0) process.stderr.write(`soak: churn with automatic collection for ${soakSeconds} s…\n`);
const soaked = soakSeconds > 0 ? soak(soakSeconds, 1000) : undefined;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ scale: results, soak: soaked })}\n`);
} else {
  const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const rows = results.map((r) => [
    r.scenario,
    r.objects.toLocaleString('en'),
    `${(r.milliseconds / 1000).toFixed(2)} s`,
    `${((r.milliseconds * 1e6) / r.objects).toFixed(0)} ns`,
    `${r.bytesPerObject} B`,
    r.liveAfter === r.liveBefore ? 'yes' : `NO (${r.liveAfter - r.liveBefore} left)`,
    `${mib(r.reservedPeak)} → ${mib(r.reservedAfter)}`,
  ]);
  const header = ['scenario', 'objects', 'time', 'per object', 'bytes/object', 'all freed', 'storage peak → after'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  if (soaked) {
    const live = soaked.points.map((p) => p.liveObjects);
    const rss = soaked.points.map((p) => p.rss);
    console.log(`\nsoak: ${soaked.iterations.toLocaleString('en')} pairs in ${soaked.seconds} s, ${soaked.collections.toLocaleString('en')} collections`);
    console.log(`  live objects ${sparkline(live)}  ${Math.min(...live)}–${Math.max(...live)}  → ${soaked.live.verdict}`);
    console.log(`  resident     ${sparkline(rss)}  ${mib(Math.min(...rss))}–${mib(Math.max(...rss))}  → ${soaked.rss.verdict}`);
    console.log(`  leaking: live objects ${soaked.live.probablyLeaking ? 'YES' : 'no'}, resident memory ${soaked.rss.probablyLeaking ? 'YES' : 'no'}`);
  }
}
