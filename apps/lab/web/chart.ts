/**
 * The memory plot of the program being stepped: x is the step, the program's own live objects
 * (the interpreter's left out) and its heap KiB, a dashed line at each step where a collection
 * ran. Both axes start at 0 and span at least a floor, so a handful of objects coming and going
 * looks like a handful. It shows the steps run so far: a Restart or a new program empties it.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ProgramTrace } from '../src/program/index.ts';

/** The least each axis spans: below it, noise would fill the plot. */
const OBJECTS_FLOOR = 20;
const KIB_FLOOR = 16;
const STEPS_FLOOR = 10;
const HEIGHT = 170;

/** Tick spacings for counts (steps, objects): whole numbers only, there is no step 2.5. */
const WHOLE_INCREMENTS = [1, 2, 5].flatMap((m) => [1, 10, 100, 1_000, 10_000, 100_000].map((p) => m * p)).sort((a, b) => a - b);

/** Room for the widest tick label ("50,000") beside the axis title. */
const axisWidth = (_u: uPlot, values: string[] | null): number => 30 + 7 * Math.max(2, ...(values ?? []).map((v) => v.length));

export class MemoryChart {
  readonly #plot: uPlot;
  #data: [number[], number[], number[]] = [[], [], []];
  #collectionSteps: number[] = [];
  /** The tick values last drawn on the step and live-objects axes (tests read them). */
  readonly ticks: { steps: number[]; objects: number[] } = { steps: [], objects: [] };

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
    this.ticks[axis] = [...splits];
    return splits.map((v) => v.toLocaleString('en-US'));
  }

  #drawCollections(u: uPlot): void {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.strokeStyle = '#7c3aed';
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
    for (const step of this.#collectionSteps) {
      const x = Math.round(u.valToPos(step, 'x', true));
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  }
}
