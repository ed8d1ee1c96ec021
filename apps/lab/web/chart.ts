/**
 * The live plot: live objects, objects the collector tracks, and the managed
 * heap's estimated bytes, sampled twice a second and after every action, drawn
 * by uPlot.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { HeapGraph } from '../src/graph/snapshot.ts';

const WINDOW = 240;

export class MemoryChart {
  readonly #plot: uPlot;
  readonly #data: [number[], number[], number[], number[]] = [[], [], [], []];
  readonly #started = performance.now();

  constructor(container: HTMLElement) {
    const width = Math.max(260, container.clientWidth || 300);
    this.#plot = new uPlot(
      {
        width,
        height: 220,
        legend: { show: true, live: false },
        scales: { x: { time: false }, kib: {} },
        axes: [
          { label: 'seconds', size: 30 },
          { label: 'objects', size: 50 },
          { side: 1, scale: 'kib', label: 'KiB', size: 50, grid: { show: false } },
        ],
        series: [
          { label: 's' },
          { label: 'live objects', stroke: '#2563eb', width: 2 },
          { label: 'tracked', stroke: '#16a34a', width: 2 },
          { label: 'heap KiB', stroke: '#dc2626', width: 2, scale: 'kib' },
        ],
      },
      this.#data,
      container,
    );
  }

  sample(graph: HeapGraph): void {
    const [t, live, tracked, kib] = this.#data;
    t.push(Number(((performance.now() - this.#started) / 1000).toFixed(2)));
    live.push(graph.liveObjects);
    tracked.push(graph.gc.generationSizes.reduce((a, b) => a + b, 0));
    kib.push(Number((graph.heapBytes / 1024).toFixed(2)));
    if (t.length > WINDOW) for (const series of this.#data) series.shift();
    this.#plot.setData(this.#data);
  }

  get points(): number {
    return this.#data[0].length;
  }

  get latest(): { live: number; tracked: number; kib: number } | undefined {
    const n = this.points;
    return n === 0 ? undefined : { live: this.#data[1][n - 1]!, tracked: this.#data[2][n - 1]!, kib: this.#data[3][n - 1]! };
  }
}
