/**
 * tracemalloc for a refheap heap. CPython's tracemalloc hooks the memory
 * allocator; ours is the heap's allocation sampler (core's protocol), so it
 * sees every object and nothing else, and costs nothing at all until `start()`
 * installs it. Each traced object gets a trace (its size and the JavaScript
 * frames that allocated it); a per-object column maps object → trace so
 * `getObjectTraceback(obj)` is one array read.
 *
 * Sizes. The heap hands an object over complete, but code above the heap may
 * fill it in next (a class instance's attributes), so a container is measured
 * again at the next event the tracer hears of, and at each snapshot; CPython
 * attributes a list's later growth to the line that grew it, ours to the line
 * that made the list. Sizes exclude the tracer's own column, which
 * `getTracemallocMemory()` counts instead.
 *
 * Sampling. `start(n, { samplingInterval: N })` traces about one allocation in
 * N bytes (a Poisson process over allocated bytes, as tcmalloc and V8's sampling
 * heap profiler do: an allocation of s bytes is sampled with probability
 * 1 − e^(−s/N) and then stands for 1/p objects and s/p bytes), so statistics,
 * comparisons and traced memory are unbiased estimates at a fraction of the cost.
 * The countdown runs inside the heap: between samples the tracer is not called
 * at all, and frees of objects it did not sample are not reported to it. Tracing
 * everything is the same mechanism with a countdown of zero.
 */
import { type AllocationSampler, type Heap, type HeapType, PyTypeError, PyValueError, type Ref } from '@refheap/core';
import type { Column } from '@refheap/core';
import { PyRuntimeError, pythonTypeName } from './errors.ts';
import { captureStackKey, captureStackText, directoryOf, parseStack, type RawFrame } from './frames.ts';
import { Snapshot, type SnapshotOrigin, type TraceTable } from './snapshot.ts';
import { Frame, Traceback } from './traceback.ts';

/** CPython's `MAX_NFRAME`. */
const MAX_NFRAME = 65535;
/** Stack texts remembered before the cache is dropped and rebuilt. */
const STACK_CACHE_LIMIT = 50_000;
/** Deepest stack ever captured for one allocation. */
const MAX_CAPTURE = 512;
const UNKNOWN = new Frame('<unknown>', 0);

/** Options of `start()` beyond tracemalloc's own. */
export interface StartOptions {
  /**
   * Sample about one allocation per this many bytes instead of tracing all of them (0, the
   * default, traces every allocation). Estimates are scaled; see the module notes.
   */
  readonly samplingInterval?: number;
  /** Seed of the sampler's random numbers, for reproducible runs. */
  readonly seed?: number;
}

/** Options of the tracer itself. */
export interface TracemallocOptions {
  /**
   * Frames to leave out of tracebacks, on top of the refheap packages' own (which are found
   * automatically): return true for library code whose callers you would rather see.
   */
  readonly isInternalFrame?: (frame: Frame) => boolean;
}

/** Stable per heap, so that snapshots of one heap compare and of two heaps do not. */
const origins = new WeakMap<Heap, SnapshotOrigin>();
function originOf(heap: Heap): SnapshotOrigin {
  let origin = origins.get(heap);
  if (!origin) {
    origin = Object.freeze({ heapTag: heap.tag, token: {} });
    origins.set(heap, origin);
  }
  return origin;
}

/** A small, seedable generator (xorshift32) for the sampler. */
function rng(seed: number): () => number {
  let state = seed >>> 0 || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
}

/** Marks the probe allocation's frame so the tracer can tell the heap's frames from its caller's. */
function refheapTracemallocProbe(heap: Heap): Ref {
  return heap.newFloat(0.5); // an atom: no collector count moves, no collection can start
}

/** tracemalloc's API over one heap. */
export class Tracemalloc {
  readonly heap: Heap;
  readonly #isInternalFrame: ((frame: Frame) => boolean) | undefined;

  #tracing = false;
  #limit = 1;
  #uninstall: (() => void) | null = null;
  #column: Column<Int32Array> | null = null;
  /** Per object: trace slot + 1, or 0. */
  #slotOf: Int32Array = new Int32Array(0);

  // Trace slots (struct of arrays); a free slot has ref 0.
  #ref = new Int32Array(256);
  #tb = new Int32Array(256);
  #size = new Float64Array(256);
  #weight = new Float64Array(256);
  #top = 0;
  #free: number[] = [];
  #live = 0;

  /** Slots of containers not measured again since they were sampled (see the module notes). */
  #pending: number[] = [];
  #current = 0;
  #peak = 0;

  // Tracebacks.
  #tracebacks: Traceback[] = [];
  readonly #tracebackIds = new Map<string, number>();
  #stackCache = new Map<string, number>();
  #captureLimit = 16;
  #internalDirs: string[] = [];
  #internalNames: RegExp | null = null;
  #probeStack = '';

  // Sampling.
  #random: () => number = rng(1);
  /** Bytes per sample; 0 traces everything. */
  #interval = 0;
  /** Learning which stack frames are the heap's (see `#learnInternalFrames`). */
  #probing = false;

  /** What the heap calls; stacks are captured above its `sampled` frame. */
  readonly #sampler: AllocationSampler;

  constructor(heap: Heap, options: TracemallocOptions = {}) {
    this.heap = heap;
    this.#isInternalFrame = options.isInternalFrame;
    const sampled = (ref: Ref, type: HeapType, bytes: number): number => this.#sampled(ref, type, bytes, sampled);
    this.#sampler = { sampled, freed: (ref) => this.#freed(ref) };
  }

  // ─── tracemalloc's functions ───────────────────────────────────────────────

  /**
   * `tracemalloc.start(nframe=1)`: trace allocations from now on, keeping up to `nframe`
   * frames each. Already tracing: does nothing (CPython keeps the first limit too).
   */
  start(nframe = 1, options: StartOptions = {}): void {
    if (typeof nframe !== 'number' || !Number.isInteger(nframe)) {
      throw new PyTypeError(`'${pythonTypeName(nframe)}' object cannot be interpreted as an integer`);
    }
    if (nframe < 1 || nframe > MAX_NFRAME) throw new PyValueError(`the number of frames must be in range [1; ${MAX_NFRAME}]`);
    const interval = options.samplingInterval ?? 0;
    if (typeof interval !== 'number' || !(interval >= 0) || !Number.isFinite(interval)) {
      throw new PyValueError(`samplingInterval must be a finite number of bytes >= 0, not ${String(interval)}`);
    }
    if (this.#tracing) return;
    this.#limit = nframe;
    this.#interval = interval;
    this.#random = rng(options.seed ?? (Math.random() * 2 ** 32) >>> 0);
    try {
      this.#uninstall = this.heap.installSampler(this.#sampler, 0); // the first allocation is the probe
    } catch (error) {
      if (!(error instanceof PyTypeError)) throw error;
      throw new PyRuntimeError(
        `another tracer is already tracing this heap (heap tag ${this.heap.tag}): share one with tracemalloc(heap)`,
      );
    }
    this.#column = this.heap.columns.attach(Int32Array, 0, (a) => (this.#slotOf = a));
    this.#learnInternalFrames();
    this.#tracing = true;
  }

  /** `tracemalloc.stop()`: stop tracing and forget every trace. Not tracing: does nothing. */
  stop(): void {
    if (!this.#tracing) return;
    this.#uninstall?.();
    this.#uninstall = null;
    this.#tracing = false;
    this.#resetTraces();
    if (this.#column) this.heap.columns.detach(this.#column);
    this.#column = null;
    this.#slotOf = new Int32Array(0);
    this.#stackCache = new Map();
  }

  /** `tracemalloc.is_tracing()`. */
  isTracing(): boolean {
    return this.#tracing;
  }

  /** `tracemalloc.get_traceback_limit()`: frames kept per traceback. */
  getTracebackLimit(): number {
    return this.#limit;
  }

  /** Bytes per sample in sampling mode; 0 when every allocation is traced. */
  getSamplingInterval(): number {
    return this.#interval;
  }

  /** `tracemalloc.take_snapshot()`; raises CPython's RuntimeError when not tracing. */
  takeSnapshot(): Snapshot {
    if (!this.#tracing) {
      throw new PyRuntimeError('the tracemalloc module must be tracing memory allocations to take a snapshot');
    }
    this.#settle();
    this.#remeasure();
    const n = this.#live;
    const ids = new Int32Array(n);
    const sizes = new Float64Array(n);
    const counts = new Float64Array(n);
    const table: TraceTable = { tracebacks: this.#tracebacks.slice(), tracebackIds: ids, sizes, counts };
    let i = 0;
    for (let slot = 0; slot < this.#top; slot++) {
      if (this.#ref[slot] === 0) continue;
      ids[i] = this.#tb[slot]!;
      sizes[i] = this.#size[slot]! * this.#weight[slot]!;
      counts[i] = this.#weight[slot]!;
      i++;
    }
    return new Snapshot(table, this.#limit, originOf(this.heap));
  }

  /** `tracemalloc.get_traced_memory()`: `[current, peak]` bytes of traced objects; `[0, 0]` when not tracing. */
  getTracedMemory(): [current: number, peak: number] {
    if (!this.#tracing) return [0, 0];
    this.#settle();
    return [Math.round(this.#current), Math.round(this.#peak)];
  }

  /** `tracemalloc.reset_peak()`: the peak becomes the current size. */
  resetPeak(): void {
    this.#settle();
    this.#peak = this.#current;
  }

  /** `tracemalloc.clear_traces()`: forget every trace (tracing goes on). */
  clearTraces(): void {
    this.#resetTraces();
  }

  /** `tracemalloc.get_object_traceback(obj)`: where `obj` was allocated, or null when it was not traced. */
  getObjectTraceback(ref: Ref): Traceback | null {
    this.heap.refcount(ref); // a freed object is a UseAfterFreeError, as any other use
    if (!this.#tracing) return null;
    const slot = this.#slotOf[ref]! - 1;
    if (slot < 0) return null;
    return this.#tracebacks[this.#tb[slot]!]!;
  }

  /** `tracemalloc.get_tracemalloc_memory()`: bytes the tracer itself uses (column, traces, tracebacks). */
  getTracemallocMemory(): number {
    const column = this.#tracing ? this.#slotOf.byteLength : 0;
    const slots = this.#ref.byteLength + this.#tb.byteLength + this.#size.byteLength + this.#weight.byteLength;
    let frames = 0;
    for (const tb of this.#tracebacks) frames += 48 + tb.length * 40;
    return column + slots + frames + this.#stackCache.size * 64 + this.#tracebackIds.size * 32;
  }

  /** Traced objects alive now (samples, in sampling mode). */
  get traceCount(): number {
    return this.#live;
  }

  // ─── The heap's sampler ────────────────────────────────────────────────────

  /** An allocation the heap picked (every one, when not sampling); returns the bytes to the next. */
  #sampled(ref: Ref, type: HeapType, bytes: number, hook: unknown): number {
    if (this.#pending.length !== 0) this.#settle();
    if (this.#probing) {
      this.#probeStack = captureStackText(64, hook);
      return this.#nextCountdown();
    }
    const size = bytes - 4; // less our column
    let weight = 1;
    if (this.#interval > 0) {
      const p = -Math.expm1(-bytes / this.#interval);
      weight = p > 0 ? 1 / p : 1;
    }
    const tb = this.#captureTraceback(hook);
    const slot = this.#newSlot(ref, tb, size, weight);
    this.#current += size * weight;
    if (type.isContainer) this.#pending.push(slot);
    else if (this.#current > this.#peak) this.#peak = this.#current;
    return this.#nextCountdown();
  }

  #freed(ref: Ref): void {
    if (this.#pending.length !== 0) this.#settle();
    const slot = this.#slotOf[ref]! - 1;
    if (slot < 0) return;
    this.#slotOf[ref] = 0;
    this.#current -= this.#size[slot]! * this.#weight[slot]!;
    this.#releaseSlot(slot);
  }

  /** Measures the objects allocated since the last event, now that their constructors have returned. */
  #settle(): void {
    const pending = this.#pending;
    if (pending.length === 0) return;
    this.#pending = [];
    const heap = this.heap;
    for (const slot of pending) {
      const ref = this.#ref[slot]!;
      if (ref === 0 || this.#slotOf[ref] !== slot + 1 || !heap.isAlive(ref)) continue;
      let measured: number;
      try {
        measured = heap.sizeOf(ref) - 4;
      } catch {
        continue; // being freed by a collector: keep the estimate
      }
      this.#current += (measured - this.#size[slot]!) * this.#weight[slot]!;
      this.#size[slot] = measured;
    }
    if (this.#current > this.#peak) this.#peak = this.#current;
  }

  /** Sizes change after construction (a list grows): measure every traced object again. */
  #remeasure(): void {
    const heap = this.heap;
    for (let slot = 0; slot < this.#top; slot++) {
      const ref = this.#ref[slot]!;
      if (ref === 0 || !heap.isAlive(ref)) continue;
      let measured: number;
      try {
        measured = heap.sizeOf(ref) - 4;
      } catch {
        continue;
      }
      this.#current += (measured - this.#size[slot]!) * this.#weight[slot]!;
      this.#size[slot] = measured;
    }
    if (this.#current > this.#peak) this.#peak = this.#current;
  }

  /** Exponentially distributed, so that sampling is a Poisson process over bytes; 0 when tracing everything. */
  #nextCountdown(): number {
    return this.#interval > 0 ? -Math.log(this.#random()) * this.#interval : 0;
  }

  // ─── Trace slots ───────────────────────────────────────────────────────────

  #newSlot(ref: Ref, tb: number, size: number, weight: number): number {
    let slot = this.#free.pop();
    if (slot === undefined) {
      slot = this.#top++;
      if (slot >= this.#ref.length) this.#growSlots();
    }
    this.#ref[slot] = ref;
    this.#tb[slot] = tb;
    this.#size[slot] = size;
    this.#weight[slot] = weight;
    this.#slotOf[ref] = slot + 1;
    this.#live++;
    return slot;
  }

  #releaseSlot(slot: number): void {
    this.#ref[slot] = 0;
    this.#free.push(slot);
    if (--this.#live === 0) this.#current = 0; // sampling's fractional weights leave rounding drift
  }

  #growSlots(): void {
    const n = this.#ref.length * 2;
    const grow = <A extends Int32Array | Float64Array>(a: A, make: (n: number) => A): A => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#ref = grow(this.#ref, (k) => new Int32Array(k));
    this.#tb = grow(this.#tb, (k) => new Int32Array(k));
    this.#size = grow(this.#size, (k) => new Float64Array(k));
    this.#weight = grow(this.#weight, (k) => new Float64Array(k));
  }

  #resetTraces(): void {
    for (let slot = 0; slot < this.#top; slot++) {
      const ref = this.#ref[slot]!;
      if (ref !== 0 && this.#slotOf[ref] === slot + 1) this.#slotOf[ref] = 0;
    }
    this.#ref = new Int32Array(256);
    this.#tb = new Int32Array(256);
    this.#size = new Float64Array(256);
    this.#weight = new Float64Array(256);
    this.#top = 0;
    this.#free = [];
    this.#live = 0;
    this.#pending = [];
    this.#current = 0;
    this.#peak = 0;
  }

  // ─── Tracebacks ────────────────────────────────────────────────────────────

  /**
   * The traceback id of the current allocation. Stacks are cached by the raw positions of their
   * top `#captureLimit` frames; a key is only trusted when those frames reach `nframe` frames of
   * the caller's code (or the bottom of the stack), so when a path through the heap turns out
   * deeper than the limit, the limit grows and the stack is captured again.
   */
  #captureTraceback(hook: unknown): number {
    for (;;) {
      const limit = this.#captureLimit;
      const key = captureStackKey(limit, hook);
      if (key !== undefined) {
        const hit = this.#stackCache.get(key);
        if (hit !== undefined) return hit;
      }
      const text = captureStackText(limit, hook);
      const cached = this.#stackCache.get(text);
      if (cached !== undefined) {
        if (key !== undefined) this.#stackCache.set(key, cached);
        return cached;
      }
      const raw = parseStack(text);
      const frames = this.#userFrames(raw);
      if (frames.length < this.#limit && raw.length >= limit && limit < MAX_CAPTURE) {
        // Just the frames still missing: every frame captured costs about a microsecond, on
        // every allocation from now on.
        this.#captureLimit = Math.min(MAX_CAPTURE, limit + this.#limit - frames.length);
        continue;
      }
      const id = this.#internTraceback(frames.slice(0, this.#limit));
      if (this.#stackCache.size >= STACK_CACHE_LIMIT) this.#stackCache = new Map();
      this.#stackCache.set(text, id);
      if (key !== undefined) this.#stackCache.set(key, id);
      return id;
    }
  }

  /** Frames outside the refheap packages, most recent first. */
  #userFrames(raw: readonly RawFrame[]): Frame[] {
    const out: Frame[] = [];
    for (const r of raw) {
      // Built-ins (`Array.map (<anonymous>)`) have no position: like C functions in CPython, not frames.
      if (r.lineno === 0 || this.#isInternal(r)) continue;
      out.push(new Frame(r.filename, r.lineno, r.functionName));
    }
    return out;
  }

  #isInternal(frame: RawFrame): boolean {
    if (this.#internalNames !== null) {
      if (this.#internalNames.test(frame.functionName)) return true;
    } else {
      const dir = directoryOf(frame.filename);
      for (const internal of this.#internalDirs) if (dir === internal) return true;
    }
    if (this.#isInternalFrame) return this.#isInternalFrame(new Frame(frame.filename, frame.lineno, frame.functionName));
    return false;
  }

  /** `frames` most recent first; the Traceback keeps them oldest first. */
  #internTraceback(frames: readonly Frame[]): number {
    const ordered = frames.length === 0 ? [UNKNOWN] : [...frames].reverse();
    const key = ordered.map((f) => `${f.filename}\u0000${f.lineno}\u0000${f.functionName}`).join('\u0001');
    let id = this.#tracebackIds.get(key);
    if (id === undefined) {
      id = this.#tracebacks.length;
      this.#tracebacks.push(new Traceback(ordered));
      this.#tracebackIds.set(key, id);
    }
    return id;
  }

  /**
   * Finds which stack frames belong to the heap: allocates one object from a marker function
   * (the sampler's countdown is zero, so it is sampled) and looks at what lies between the
   * sampler and the marker. Those files' directories (core's `src` or `dist`, and the sibling
   * gc and weakref packages) are skipped in every traceback. When the heap and the marker
   * share a file (a bundle), frames are told apart by name instead.
   */
  #learnInternalFrames(): void {
    this.#probing = true;
    this.#probeStack = '';
    try {
      const ref = refheapTracemallocProbe(this.heap);
      this.heap.decref(ref);
    } finally {
      this.#probing = false;
    }
    const raw = parseStack(this.#probeStack);
    const marker = raw.findIndex((f) => f.functionName.includes('refheapTracemallocProbe'));
    const heapFrames = marker > 0 ? raw.slice(0, marker) : [];
    const markerFile = marker >= 0 ? raw[marker]!.filename : '';
    const dirs = new Set<string>();
    let bundled = heapFrames.length === 0;
    for (const f of heapFrames) {
      if (f.filename === markerFile) bundled = true;
      const dir = directoryOf(f.filename);
      dirs.add(dir);
      const sibling = /([\\/])core([\\/](?:src|dist)[\\/])$/.exec(dir);
      if (sibling) {
        const parent = dir.slice(0, sibling.index);
        for (const name of ['gc', 'weakref']) dirs.add(`${parent}${sibling[1]}${name}${sibling[2]}`);
      }
    }
    this.#internalDirs = bundled ? [] : [...dirs];
    this.#internalNames = bundled ? /^(?:new )?(?:Heap|Handles|Handle|Scope|Collector|CycleFinder)\.|^#/ : null;
    // Just the probe's own heap frames and the frames kept: each frame captured costs about a
    // microsecond here, and a deeper path (a Handles call adds one or two frames) makes the
    // limit grow once, on its first miss (see #captureTraceback).
    this.#captureLimit = Math.min(MAX_CAPTURE, heapFrames.length + this.#limit);
  }
}

const tracers = new WeakMap<Heap, Tracemalloc>();

/** The heap's one tracer (like the `tracemalloc` module, one per interpreter), made on first use. */
export function tracemalloc(heap: Heap): Tracemalloc {
  let tracer = tracers.get(heap);
  if (!tracer) {
    tracer = new Tracemalloc(heap);
    tracers.set(heap, tracer);
  }
  return tracer;
}
