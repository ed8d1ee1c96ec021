/**
 * The memory plot of the program being stepped: x is the step, the program's own live objects
 * (the interpreter's left out) and its heap KiB, a dashed line at each step where a collection
 * ran (a rug of ticks along the top when they crowd). Both axes start at 0 and span at least a
 * floor, so a handful of objects coming and going looks like a handful. It shows the steps run so far: a Restart or a new program empties it.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ProgramTrace } from '../src/program/index.ts';
import type { ChartDrawn } from './hook.ts';

/** The least each axis spans: below it, noise would fill the plot. */
const OBJECTS_FLOOR = 20;
const KIB_FLOOR = 16;
const STEPS_FLOOR = 10;
const HEIGHT = 170;
/** Collections closer together than this (CSS pixels apart, on average) are marked as a rug, not lines. */
const DENSE_PX = 6;

/** Tick spacings for counts (steps, objects): whole numbers only, there is no step 2.5. */
const WHOLE_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1_000, 10_000, 100_000].map((p) => m * p)).sort((a, b) => a - b);

/** Room for the widest tick label ("50,000") beside the axis title. */
const axisWidth = (_u: uPlot, values: string[] | null): number => 30 + 7 * Math.max(2, ...(values ?? []).map((v) => v.length));

export class MemoryChart {
  readonly #plot: uPlot;
  #data: [number[], number[], number[]] = [[], [], []];
  #collectionSteps: number[] = [];
  /** What was last drawn (tests read it): the step and live-objects axes' ticks, how collections were marked. */
  readonly drawn: ChartDrawn = { steps: [], objects: [], markers: 'lines' };

  constructor(container: HTMLElement) {
    this.#plot = new uPlot(
      {
        width: MemoryChart.#widthOf(container),
        height: HEIGHT,
        legend: { show: true, live: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: false, range: (_u, _min, max) => [0, Math.max(STEPS_FLOOR, max)] },
          y: { range: (_u, _min, max) => [0, Math.max(OBJECTS_FLOOR, Math.ceil(max * 1.15))] },
          kib: { range: (_u, _min, max) => [0, Math.max(KIB_FLOOR, Math.ceil(max * 1.15))] },
        },
        axes: [
          { label: 'step', size: 36, incrs: WHOLE_INCREMENTS, values: (_u, splits) => this.#label('steps', splits) },
          { label: 'live objects', size: axisWidth, incrs: WHOLE_INCREMENTS, values: (_u, splits) => this.#label('objects', splits) },
          { side: 1, scale: 'kib', label: 'KiB', size: axisWidth, grid: { show: false } },
        ],
        series: [
          { label: 'step' },
          { label: 'live objects', stroke: '#2563eb', width: 2 },
          { label: 'heap KiB', stroke: '#dc2626', width: 1.5, scale: 'kib' },
        ],
        hooks: { draw: [(u) => this.#drawCollections(u)] },
      },
      this.#data,
      container,
    );
    new ResizeObserver(() => this.#plot.setSize({ width: MemoryChart.#widthOf(container), height: HEIGHT })).observe(container);
  }

  static #widthOf(container: HTMLElement): number {
    return Math.max(240, Math.floor(container.clientWidth || 300));
  }

  /** Shows the trace's steps 1…upTo (0: empty). */
  show(trace: ProgramTrace, upTo: number): void {
    const steps = trace.steps.slice(0, upTo);
    this.#data = [steps.map((s) => s.step), steps.map((s) => s.liveObjects), steps.map((s) => Math.max(0, s.programBytes / 1024))];
    this.#collectionSteps = [];
    let before = 0;
    for (const s of steps) {
      if (s.collections > before) this.#collectionSteps.push(s.step);
      before = s.collections;
    }
    this.#plot.setData(this.#data);
  }

  get points(): number {
    return this.#data[0].length;
  }

  get collectionMarkers(): readonly number[] {
    return this.#collectionSteps;
  }

  #label(axis: 'steps' | 'objects', splits: number[]): string[] {
    this.drawn[axis] = [...splits];
    return splits.map((v) => v.toLocaleString('en-US'));
  }

  #drawCollections(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height, width } = u.bbox;
    const dpr = devicePixelRatio;
    // Crowded (hot-loop's hundreds), lines would fill the plot with purple: a rug still shows where they bunch.
    this.drawn.markers = this.#collectionSteps.length * DENSE_PX * dpr > width ? 'rug' : 'lines';
    const rug = this.drawn.markers === 'rug';
    ctx.save();
    ctx.strokeStyle = '#7c3aed';
    ctx.lineWidth = (rug ? 1 : 1.5) * dpr;
    if (!rug) ctx.setLineDash([4 * dpr, 3 * dpr]);
    const bottom = rug ? top + 10 * dpr : top + height;
    ctx.beginPath();
    for (const step of this.#collectionSteps) {
      const x = Math.round(u.valToPos(step, 'x', true));
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
    }
    ctx.stroke();
    ctx.restore();
  }
}
