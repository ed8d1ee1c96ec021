/**
 * What a scenario may ask of the place it runs in: process memory (Node has
 * it, a browser does not), a clock, and a progress display for slow work. The
 * scenarios stay free of Node and DOM APIs so the web page can run them too.
 */

export interface ProcessMemory {
  /** Resident set size, bytes. */
  readonly rss: number;
  /** V8's used JS heap, bytes. */
  readonly heapUsed: number;
  /** Memory of ArrayBuffers (refheap's typed-array columns live here), bytes. */
  readonly arrayBuffers: number;
}

export interface Progress {
  tick(amount?: number): void;
  done(): void;
}

export interface Platform {
  /** Process memory now, or null where there is no process to ask. */
  processMemory(): ProcessMemory | null;
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** A progress display for `total` units of slow work (a no-op where nobody is watching). */
  progress(label: string, total: number): Progress;
}

const silent: Progress = { tick: () => undefined, done: () => undefined };

/** A platform with no process memory and no progress display: the browser, and tests. */
export const quietPlatform: Platform = {
  processMemory: () => null,
  now: () => performance.now(),
  progress: () => silent,
};
