/**
 * A line chart in plain characters, for memory samples in a terminal: one
 * column per sample, one marker per series, the y axis labelled at top and
 * bottom. Works without colour (markers differ) and in any monospace font.
 */
import type { Plot } from '../scenario.ts';
import type { Colors } from './colors.ts';

const MARKERS = ['o', 'x', '+', '*'];

export function plotLines(plot: Plot, c: Colors, height = 12): string[] {
  const all = plot.series.flatMap((s) => s.points);
  if (all.length === 0) return [];
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const width = Math.max(...plot.series.map((s) => s.points.length));
  const grid: string[][] = Array.from({ length: height }, () => Array<string>(width).fill(' '));
  const paint = [c.cyan, c.magenta, c.yellow, c.green];
  plot.series.forEach((series, k) => {
    series.points.forEach((value, x) => {
      const row = height - 1 - Math.round(((value - min) / span) * (height - 1));
      grid[row]![x] = paint[k % paint.length]!(MARKERS[k % MARKERS.length]);
    });
  });
  const label = (v: number): string => v.toFixed(1).padStart(8);
  const lines = [c.bold(`  ${plot.title}`)];
  grid.forEach((row, i) => {
    const axis = i === 0 ? label(max) : i === height - 1 ? label(min) : ' '.repeat(8);
    lines.push(`  ${axis} ┤${row.join('')}`);
  });
  lines.push(`  ${' '.repeat(8)} └${'─'.repeat(width)}`);
  lines.push(
    '  ' +
      plot.series.map((s, k) => `${paint[k % paint.length]!(MARKERS[k % MARKERS.length])} ${s.name}`).join('    ') +
      `   (${plot.unit})`,
  );
  return lines;
}
