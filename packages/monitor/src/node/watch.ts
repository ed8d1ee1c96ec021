/**
 * Memory samples on an interval, as an event emitter and an async iterator at
 * once, with growth detection riding along. The timer is unref'd: a watch
 * never keeps the process alive by itself (a `for await` over it ends when
 * nothing else is left to do — the loop simply stops receiving samples).
 */
import { EventEmitter } from 'node:events';
import { GrowthDetector, type GrowthOptions, type GrowthReport } from '../growth.ts';
import { sample, type MemorySample, type SampleOptions } from './process-memory.ts';

/** Which number of a sample growth detection follows. */
export type WatchedMetric = 'rss' | 'heapUsed' | 'external' | 'arrayBuffers' | 'managedObjects' | 'managedBytes';

export interface WatchOptions extends SampleOptions {
  /** Milliseconds between samples: a positive finite number (at most 2³¹−1, Node's timer limit). */
  readonly intervalMs: number;
  /** Growth detection on one metric (default `rss`), or `false` for none. */
  readonly growth?: (GrowthOptions & { readonly metric?: WatchedMetric | ((s: MemorySample) => number) }) | false;
  /**
   * Work done so far (requests served, iterations): when given, growth is measured against it
   * instead of time (`by: 'work'`).
   */
  readonly work?: () => number;
  /** Samples an iterator keeps while its consumer is busy; older ones are dropped. Default 64. */
  readonly bufferSize?: number;
  /** Stops the watch when aborted. */
  readonly signal?: AbortSignal;
  /** Where samples come from (tests, other runtimes). Default `sample(options)`. */
  readonly sampler?: () => MemorySample;
}

/** What a watch emits: `sample` (sample, report), `growth` (report, when the verdict turns to growing), `error`, `stop`. */
export interface MemoryWatchEvents {
  sample: [sample: MemorySample, report: GrowthReport | null];
  growth: [report: GrowthReport];
  error: [error: unknown];
  stop: [];
}

interface Waiter {
  resolve(result: IteratorResult<MemorySample>): void;
  reject(error: unknown): void;
}

interface Consumer {
  queue: MemorySample[];
  waiter: Waiter | null;
  error: unknown;
}

function metricOf(metric: WatchedMetric | ((s: MemorySample) => number), s: MemorySample): number {
  if (typeof metric === 'function') return metric(s);
  switch (metric) {
    case 'managedObjects':
      return s.managed?.objects ?? NaN;
    case 'managedBytes':
      return s.managed?.bytes ?? NaN;
    default:
      return s[metric];
  }
}

/** A running watch. */
export class MemoryWatch extends EventEmitter<MemoryWatchEvents> implements AsyncIterable<MemorySample> {
  readonly intervalMs: number;
  readonly #timer: NodeJS.Timeout;
  readonly #detector: GrowthDetector | null;
  readonly #metric: WatchedMetric | ((s: MemorySample) => number);
  readonly #sampler: () => MemorySample;
  readonly #work: (() => number) | undefined;
  readonly #bufferSize: number;
  readonly #consumers = new Set<Consumer>();
  #stopped = false;
  #last: MemorySample | null = null;
  #report: GrowthReport | null = null;
  #leaking = false;
  #onAbort: (() => void) | null = null;
  #signal: AbortSignal | null = null;

  constructor(options: WatchOptions) {
    super();
    const interval = options?.intervalMs;
    if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0 || interval > 0x7fff_ffff) {
      throw new RangeError(`intervalMs must be a positive number of milliseconds up to 2147483647, got ${String(interval)}`);
    }
    const bufferSize = options.bufferSize ?? 64;
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new RangeError(`bufferSize must be a positive integer, got ${String(bufferSize)}`);
    this.intervalMs = interval;
    this.#bufferSize = bufferSize;
    this.#work = options.work;
    this.#sampler = options.sampler ?? (() => sample(options));
    const growth = options.growth;
    this.#metric = growth ? (growth.metric ?? 'rss') : 'rss';
    this.#detector = growth === false ? null : new GrowthDetector({ ...growth, by: options.work ? 'work' : 'time' });
    this.#timer = setInterval(() => this.#tick(), interval);
    this.#timer.unref();
    if (options.signal) {
      if (options.signal.aborted) this.stop();
      else {
        this.#signal = options.signal;
        this.#onAbort = () => this.stop();
        this.#signal.addEventListener('abort', this.#onAbort, { once: true });
      }
    }
  }

  /** Whether the watch's timer keeps the event loop alive: always false. */
  hasRef(): boolean {
    return this.#timer.hasRef();
  }

  /** Whether `stop` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** The latest sample, or null before the first. */
  get last(): MemorySample | null {
    return this.#last;
  }

  /** The latest growth verdict (null when growth detection is off or before the first sample). */
  get report(): GrowthReport | null {
    return this.#report;
  }

  /** Takes one sample now (also what the timer does). */
  sampleNow(): MemorySample | undefined {
    return this.#tick();
  }

  #tick(): MemorySample | undefined {
    if (this.#stopped) return undefined;
    let s: MemorySample;
    try {
      s = this.#sampler();
      if (this.#detector) {
        const x = this.#work ? this.#work() : s.time;
        const value = metricOf(this.#metric, s);
        if (Number.isFinite(value)) this.#detector.add(x, value);
        this.#report = this.#detector.report();
      }
    } catch (error) {
      for (const c of this.#consumers) {
        if (c.waiter) {
          c.waiter.reject(error);
          c.waiter = null;
        } else c.error ??= error;
      }
      if (this.listenerCount('error') > 0) this.emit('error', error);
      return undefined;
    }
    this.#last = s;
    for (const c of this.#consumers) {
      if (c.waiter) {
        c.waiter.resolve({ value: s, done: false });
        c.waiter = null;
      } else {
        c.queue.push(s);
        if (c.queue.length > this.#bufferSize) c.queue.shift();
      }
    }
    this.emit('sample', s, this.#report);
    const leaking = this.#report?.probablyLeaking ?? false;
    if (leaking && !this.#leaking && this.#report) this.emit('growth', this.#report);
    this.#leaking = leaking;
    return s;
  }

  /** Stops sampling; iterators finish. Calling it again does nothing. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    if (this.#signal && this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort);
    for (const c of this.#consumers) {
      c.waiter?.resolve({ value: undefined, done: true });
      c.waiter = null;
    }
    this.#consumers.clear();
    this.emit('stop');
  }

  [Symbol.asyncIterator](): AsyncIterator<MemorySample> {
    const consumer: Consumer = { queue: [], waiter: null, error: undefined };
    if (!this.#stopped) this.#consumers.add(consumer);
    return {
      next: (): Promise<IteratorResult<MemorySample>> => {
        if (consumer.error !== undefined) {
          const error = consumer.error;
          consumer.error = undefined;
          return Promise.reject(error instanceof Error ? error : new Error(`sampling failed: ${String(error as string)}`));
        }
        const queued = consumer.queue.shift();
        if (queued) return Promise.resolve({ value: queued, done: false });
        if (this.#stopped) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          consumer.waiter = { resolve, reject };
        });
      },
      /** Breaking out of `for await` stops the watch. */
      return: (): Promise<IteratorResult<MemorySample>> => {
        this.#consumers.delete(consumer);
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** Samples memory every `intervalMs`; see `MemoryWatch`. */
export function watch(options: WatchOptions): MemoryWatch {
  return new MemoryWatch(options);
}
