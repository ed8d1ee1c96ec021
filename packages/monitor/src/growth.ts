/**
 * "A really coarse way to find a memory leak is to see if the process memory
 * is growing" (the seeds) — made trustworthy. Memory is noisy: allocators keep
 * freed pages, garbage collectors make a sawtooth, warm-up fills caches. So a
 * verdict here needs three things over a sliding window: a monotonic trend that
 * is statistically significant (the Mann–Kendall test, which ranks rather than
 * fits and so ignores outliers), a robust slope (Theil–Sen: the median of all
 * pairwise slopes) that adds up to a meaningful growth over the window, and a
 * rising floor (the lowest value of the last third above the lowest of the
 * first third: what is left after collections). Too few samples give no
 * verdict at all. The slope is against time or against work done (requests,
 * iterations), whichever the caller measures.
 */
import { formatSize } from './pyformat.ts';

/** One observation: `x` is a time in milliseconds (`by: 'time'`) or a work counter (`by: 'work'`). */
export interface GrowthPoint {
  readonly x: number;
  readonly value: number;
}

export interface GrowthOptions {
  /** What `x` measures. Default `time` (milliseconds). */
  readonly by?: 'time' | 'work';
  /** Samples in the sliding window. Default 60. */
  readonly window?: number;
  /** No verdict below this many samples. Default 10. */
  readonly minSamples?: number;
  /** One-sided significance level of the trend test. Default 0.01. */
  readonly significance?: number;
  /** Growth over the window, relative to its median value, below which a trend is ignored. Default 0.01 (1%). */
  readonly minRelativeGrowth?: number;
  /** Growth over the window, in value units (bytes), below which a trend is ignored. Default 0. */
  readonly minGrowth?: number;
  /** How values print in the summary. Default bytes (`formatSize`). */
  readonly formatValue?: (value: number) => string;
}

export type GrowthVerdict = 'insufficient-data' | 'growing' | 'stable' | 'shrinking';

/** A verdict and the evidence for it. */
export interface GrowthReport {
  readonly verdict: GrowthVerdict;
  /** `verdict === 'growing'`: the seeds' "you'll see it". */
  readonly probablyLeaking: boolean;
  readonly samples: number;
  readonly minSamples: number;
  readonly by: 'time' | 'work';
  /** Theil–Sen slope: value units per x unit (per millisecond for time). NaN without enough samples. */
  readonly slope: number;
  /** The slope per second (time) or per unit of work. */
  readonly rate: number;
  readonly rateUnit: 'per second' | 'per unit of work';
  /** Mann–Kendall statistic S, its normal score z, and the one-sided p-value of "increasing" (or "decreasing"). */
  readonly trend: { readonly s: number; readonly z: number; readonly pValue: number; readonly tau: number };
  /** Slope × the window's span: how much the trend adds across the window. */
  readonly growthOverWindow: number;
  /** `growthOverWindow` / the median value. */
  readonly relativeGrowth: number;
  /** Lowest value of the window's last third minus that of its first third. */
  readonly floorGrowth: number;
  readonly first: GrowthPoint | null;
  readonly last: GrowthPoint | null;
  readonly median: number;
  /** One sentence with the numbers. */
  readonly summary: string;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erfc, error < 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Mann–Kendall trend test on values in arrival order. */
export function mannKendall(values: readonly number[]): { s: number; z: number; tau: number } {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const ties = new Map<number, number>();
  for (const v of values) ties.set(v, (ties.get(v) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of ties.values()) if (t > 1) tieTerm += t * (t - 1) * (2 * t + 5);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const z = variance <= 0 ? 0 : s > 0 ? (s - 1) / Math.sqrt(variance) : s < 0 ? (s + 1) / Math.sqrt(variance) : 0;
  const pairs = (n * (n - 1)) / 2;
  return { s, z, tau: pairs === 0 ? 0 : s / pairs };
}

/** Theil–Sen slope and intercept. */
export function theilSen(points: readonly GrowthPoint[]): { slope: number; intercept: number } {
  const slopes: number[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const dx = points[j]!.x - points[i]!.x;
      if (dx !== 0) slopes.push((points[j]!.value - points[i]!.value) / dx);
    }
  }
  const slope = median(slopes);
  const intercept = median(points.map((p) => p.value - slope * p.x));
  return { slope, intercept };
}

/** Sliding-window growth detection. */
export class GrowthDetector {
  readonly options: Required<Omit<GrowthOptions, 'formatValue'>> & { readonly formatValue: (v: number) => string };
  #points: GrowthPoint[] = [];

  constructor(options: GrowthOptions = {}) {
    const window = options.window ?? 60;
    const minSamples = options.minSamples ?? 10;
    if (!Number.isInteger(window) || window < 3) throw new RangeError(`window must be an integer of at least 3 samples, got ${String(window)}`);
    if (!Number.isInteger(minSamples) || minSamples < 3 || minSamples > window) {
      throw new RangeError(`minSamples must be an integer from 3 to the window (${window}), got ${String(minSamples)}`);
    }
    const significance = options.significance ?? 0.01;
    if (!(significance > 0 && significance < 0.5)) throw new RangeError(`significance must be in (0, 0.5), got ${String(significance)}`);
    this.options = {
      by: options.by ?? 'time',
      window,
      minSamples,
      significance,
      minRelativeGrowth: options.minRelativeGrowth ?? 0.01,
      minGrowth: options.minGrowth ?? 0,
      formatValue: options.formatValue ?? ((v: number) => formatSize(v, true)),
    };
  }

  /** Adds an observation (x must not go backwards); the oldest falls out past the window. */
  add(x: number, value: number): void {
    if (!Number.isFinite(x) || !Number.isFinite(value)) throw new RangeError(`growth samples must be finite numbers, got (${x}, ${value})`);
    const last = this.#points.at(-1);
    if (last && x < last.x) throw new RangeError(`growth samples must come in order: x went from ${last.x} back to ${x}`);
    this.#points.push({ x, value });
    if (this.#points.length > this.options.window) this.#points.shift();
  }

  /** The observations in the window, oldest first. */
  get points(): readonly GrowthPoint[] {
    return this.#points;
  }

  reset(): void {
    this.#points = [];
  }

  /** The verdict on the current window. */
  report(): GrowthReport {
    const { by, minSamples, significance, minRelativeGrowth, minGrowth, formatValue } = this.options;
    const points = this.#points;
    const n = points.length;
    const rateUnit = by === 'time' ? 'per second' : 'per unit of work';
    const values = points.map((p) => p.value);
    const med = median(values);
    const base = {
      samples: n,
      minSamples,
      by,
      rateUnit,
      first: points[0] ?? null,
      last: points.at(-1) ?? null,
      median: med,
    } as const;
    if (n < minSamples) {
      return {
        ...base,
        verdict: 'insufficient-data',
        probablyLeaking: false,
        slope: NaN,
        rate: NaN,
        trend: { s: 0, z: 0, pValue: 1, tau: 0 },
        growthOverWindow: NaN,
        relativeGrowth: NaN,
        floorGrowth: NaN,
        summary: `no verdict: ${n} of the ${minSamples} samples needed`,
      };
    }
    const { s, z, tau } = mannKendall(values);
    const { slope } = theilSen(points);
    const span = points[n - 1]!.x - points[0]!.x;
    const growthOverWindow = Number.isFinite(slope) ? slope * span : 0;
    const relativeGrowth = med !== 0 ? growthOverWindow / Math.abs(med) : growthOverWindow === 0 ? 0 : Infinity;
    const third = Math.max(1, Math.floor(n / 3));
    const floorGrowth = Math.min(...values.slice(n - third)) - Math.min(...values.slice(0, third));
    const rate = by === 'time' ? slope * 1000 : slope;
    const upP = 1 - normalCdf(z);
    const downP = normalCdf(z);
    const bigEnough = Math.abs(growthOverWindow) >= minGrowth && Math.abs(relativeGrowth) >= minRelativeGrowth;
    let verdict: GrowthVerdict = 'stable';
    if (upP < significance && slope > 0 && bigEnough && floorGrowth > 0) verdict = 'growing';
    else if (downP < significance && slope < 0 && bigEnough) verdict = 'shrinking';
    const pValue = verdict === 'shrinking' ? downP : upP;
    const pText = pValue < 0.001 ? 'p<0.001' : `p=${pValue.toFixed(3)}`;
    const rateText = `${formatValue(rate)} ${rateUnit}`;
    const evidence = `${rateText} over ${n} samples (Mann-Kendall z=${z.toFixed(2)}, ${pText}; ${formatValue(growthOverWindow)} across the window, ${(relativeGrowth * 100).toFixed(1)}% of the median; floor ${formatValue(floorGrowth)})`;
    const summary =
      verdict === 'growing'
        ? `probably leaking: ${evidence}`
        : verdict === 'shrinking'
          ? `shrinking: ${evidence}`
          : `stable: ${evidence}`;
    return {
      ...base,
      verdict,
      probablyLeaking: verdict === 'growing',
      slope,
      rate,
      trend: { s, z, pValue, tau },
      growthOverWindow,
      relativeGrowth,
      floorGrowth,
      summary,
    };
  }
}
