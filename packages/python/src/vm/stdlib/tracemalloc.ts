/**
 * The `tracemalloc` module (Modules/_tracemalloc.c and Lib/tracemalloc.py) for programs the VM
 * runs: each heap object allocated while tracing is charged to the *Python* frames that made
 * it — `case.py:12`, the line of the list comprehension — not to the JavaScript call sites.
 *
 * @refheap/monitor's Tracemalloc takes its tracebacks from the JavaScript stack (it has no
 * option for a frame provider), so this module installs its own allocation sampler on the
 * heap (core's `installSampler` protocol, the same hook the monitor uses: one per heap) whose
 * "current traceback" walks `vm.frame` → `.back`, up to `nframe` frames. Snapshots, filters,
 * statistics, comparisons and their text are the monitor's (Snapshot, Filter, Statistic,
 * StatisticDiff, Traceback, Frame — CPython's grouping, ordering and `_format_size` wording),
 * wrapped as Python objects.
 *
 * Sizes are the heap's (`Heap.sizeOf`), measured at the allocation and again at each snapshot
 * (a list that grew since counts its current size, charged to the line that made it; CPython
 * charges growth to the line that grew it). What this module's own functions allocate (the
 * snapshot and statistic objects) is not traced, as CPython does not trace its own memory.
 */
import { NULL } from '@refheap/core';
import type { AllocationSampler, HeapType, Ref } from '@refheap/core';
import { Filter, Frame, Snapshot, Traceback, formatSize } from '@refheap/monitor';
import type { KeyType, Trace , Statistic, StatisticDiff} from '@refheap/monitor';
import type { NativeFn, PyClass } from '../classes.ts';
import { intArg, isAbsent, parseArgs } from '../types/args.ts';
import { truthy } from '../operators.ts';
import { listOf } from '../iteration.ts';
import { repr as reprOf } from '../repr.ts';
import type { VM } from '../vm.ts';
import { guard, moduleArgs, noArguments } from './module-support.ts';

const MAX_NFRAME = 65535;
const UNKNOWN = new Frame('<unknown>', 0);

/** The allocation tracer: traces keyed by object, tracebacks from the VM's Python frames. */
class PythonTracer {
  tracing = false;
  limit = 1;
  /** Nonzero while this module's own natives run: their allocations are not traced. */
  paused = 0;
  readonly traces = new Map<Ref, { tb: number; size: number; container: boolean }>();
  tracebacks: Traceback[] = [];
  readonly #ids = new Map<string, number>();
  current = 0;
  peak = 0;
  #uninstall: (() => void) | null = null;
  readonly #sampler: AllocationSampler;

  constructor(readonly vm: VM) {
    this.#sampler = {
      sampled: (ref: Ref, type: HeapType, bytes: number): number => {
        if (this.paused > 0) return 0;
        const tb = this.#capture();
        this.traces.set(ref, { tb, size: bytes, container: type.isContainer });
        this.current += bytes;
        if (this.current > this.peak) this.peak = this.current;
        return 0;
      },
      freed: (ref: Ref): void => {
        const trace = this.traces.get(ref);
        if (trace === undefined) return;
        this.traces.delete(ref);
        this.current -= trace.size;
      },
    };
  }

  start(nframe: number): void {
    if (this.tracing) return;
    this.limit = nframe;
    this.#uninstall = this.vm.heap.installSampler(this.#sampler, 0);
    this.tracing = true;
  }

  stop(): void {
    if (!this.tracing) return;
    this.#uninstall?.();
    this.#uninstall = null;
    this.tracing = false;
    this.clear();
  }

  clear(): void {
    this.traces.clear();
    this.tracebacks = [];
    this.#ids.clear();
    this.current = 0;
    this.peak = 0;
  }

  /** Containers grow after they are made: measure the live ones again. */
  remeasure(): void {
    const heap = this.vm.heap;
    for (const [ref, trace] of this.traces) {
      if (!trace.container || !heap.isAlive(ref)) continue;
      let size: number;
      try {
        size = heap.sizeOf(ref);
      } catch {
        continue;
      }
      this.current += size - trace.size;
      trace.size = size;
    }
    if (this.current > this.peak) this.peak = this.current;
  }

  snapshot(): Snapshot {
    this.remeasure();
    const n = this.traces.size;
    const tracebackIds = new Int32Array(n);
    const sizes = new Float64Array(n);
    const counts = new Float64Array(n);
    let i = 0;
    for (const trace of this.traces.values()) {
      tracebackIds[i] = trace.tb;
      sizes[i] = trace.size;
      counts[i] = 1;
      i++;
    }
    return new Snapshot({ tracebacks: this.tracebacks.slice(), tracebackIds, sizes, counts }, this.limit, this.origin);
  }

  readonly origin = { heapTag: -1, token: {} };

  tracebackOf(ref: Ref): Traceback | null {
    const trace = this.traces.get(ref);
    return trace === undefined ? null : this.tracebacks[trace.tb]!;
  }

  /** The running Python frames, most recent first, up to the limit; oldest first in the Traceback. */
  #capture(): number {
    // The key is built without making Frame objects: they are made once per distinct traceback.
    let key = '';
    let kept = 0;
    let total = 0;
    for (let f = this.vm.frame; f !== null; f = f.back) {
      if (kept < this.limit) {
        key += `${f.code.filename}\u0000${f.lineno}\u0001`;
        kept++;
      }
      total++;
    }
    key += total;
    let id = this.#ids.get(key);
    if (id === undefined) {
      const frames: Frame[] = [];
      for (let f = this.vm.frame; f !== null && frames.length < this.limit; f = f.back) frames.push(new Frame(f.code.filename, f.lineno));
      if (frames.length === 0) frames.push(UNKNOWN);
      id = this.tracebacks.length;
      this.tracebacks.push(new Traceback(frames.reverse(), Math.max(total, 1)));
      this.#ids.set(key, id);
    }
    return id;
  }
}

export function makeTracemallocModule(vm: VM): Ref {
  const heap = vm.heap;
  const tracer = new PythonTracer(vm);
  const module = vm.newModule('tracemalloc', 'Debug module to trace memory blocks allocated by Python.');
  const dict = vm.moduleDict(module);
  /** A native that allocates untraced (this module's own objects). */
  const untraced = (fn: NativeFn): NativeFn => (vm, args, kw) => {
    tracer.paused++;
    try {
      return fn(vm, args, kw);
    } finally {
      tracer.paused--;
    }
  };
  const def = (name: string, fn: NativeFn): void => vm.defineFunction(dict, name, untraced(fn), 'tracemalloc');
  const method = (cls: PyClass, name: string, fn: NativeFn): void => vm.defineMethod(cls, name, untraced(fn));

  // ─── Value classes, each a heap instance holding the monitor's object ─────

  const jsClass = (name: string): PyClass => vm.nativeClass(name, { slots: [{ name: 'value', kind: 'js' }], module: 'tracemalloc' });
  const wrap = (cls: PyClass, value: unknown): Ref => {
    const ref = heap.newInstance(cls.instanceType!);
    heap.setSlotValue(ref, 0, value);
    return ref;
  };
  const unwrapAs = <T>(vm: VM, cls: PyClass, ref: Ref, what: string): T => {
    if (!vm.isInstance(ref, cls)) throw vm.typeError(`${what} must be a ${cls.name}, not ${vm.typeName(ref)}`);
    return heap.getSlotValue(ref, 0) as T;
  };
  const list = (refs: Ref[]): Ref => {
    const out = heap.newList(refs);
    for (const ref of refs) heap.decref(ref);
    return out;
  };
  const getter = (cls: PyClass, name: string, get: (value: never) => Ref): void => {
    cls.getset.set(name, { get: (_vm, self) => get(heap.getSlotValue(self, 0) as never) });
  };
  const text = (cls: PyClass, name: '__str__' | '__repr__', render: (vm: VM, value: never) => string): void => {
    method(cls, name, (vm, args) => heap.newStr(render(vm, heap.getSlotValue(args[0]!, 0) as never)));
  };

  const FrameClass = jsClass('Frame');
  getter(FrameClass, 'filename', (f: Frame) => heap.newStr(f.filename));
  getter(FrameClass, 'lineno', (f: Frame) => heap.newInt(f.lineno));
  const frameRepr = (vm: VM, f: Frame): string => `<Frame filename=${reprOfText(vm, f.filename)} lineno=${f.lineno}>`;
  text(FrameClass, '__str__', (_vm, f: Frame) => `${f.filename}:${f.lineno}`);
  text(FrameClass, '__repr__', frameRepr);
  method(FrameClass, '__eq__', (vm, args) => {
    if (!vm.isInstance(args[1]!, FrameClass)) {
      heap.incref(vm.core.NotImplemented);
      return vm.core.NotImplemented;
    }
    const a = heap.getSlotValue(args[0]!, 0) as Frame;
    const b = heap.getSlotValue(args[1]!, 0) as Frame;
    return heap.newBool(a.equals(b));
  });

  const TracebackClass = jsClass('Traceback');
  const tracebackRepr = (vm: VM, tb: Traceback): string => {
    const frames = tb.frames.map((f) => frameRepr(vm, f));
    const tuple = frames.length === 1 ? `(${frames[0]},)` : `(${frames.join(', ')})`;
    return tb.totalNframe === null ? `<Traceback ${tuple}>` : `<Traceback ${tuple} total_nframe=${tb.totalNframe}>`;
  };
  text(TracebackClass, '__str__', (_vm, tb: Traceback) => tb.toString());
  text(TracebackClass, '__repr__', tracebackRepr);
  getter(TracebackClass, 'total_nframe', (tb: Traceback) => (tb.totalNframe === null ? heap.newNone() : heap.newInt(tb.totalNframe)));
  method(TracebackClass, '__len__', (_vm, args) => heap.newInt((heap.getSlotValue(args[0]!, 0) as Traceback).length));
  method(TracebackClass, '__getitem__', (vm, args) => {
    const tb = heap.getSlotValue(args[0]!, 0) as Traceback;
    const index = intArg(vm, args[1]!);
    const frame = tb.at(index);
    if (frame === undefined) throw vm.error('IndexError', 'tuple index out of range');
    return wrap(FrameClass, frame);
  });
  method(TracebackClass, '__iter__', (vm, args) => {
    const tb = heap.getSlotValue(args[0]!, 0) as Traceback;
    const items = list(tb.frames.map((f) => wrap(FrameClass, f)));
    try {
      return vm.callMethod(items, '__iter__');
    } finally {
      heap.decref(items);
    }
  });
  method(TracebackClass, 'format', (vm, args, kw) => {
    const tb = heap.getSlotValue(args[0]!, 0) as Traceback;
    const [limit, mostRecentFirst] = parseArgs(vm, 'format', args, kw, ['limit', 'most_recent_first'], 0, 0);
    const n = isAbsent(vm, limit!) ? null : intArg(vm, limit!);
    const recent = mostRecentFirst !== NULL && truthy(vm, mostRecentFirst!);
    const lines = tb.format(n, recent, (frame) => vm.sources.get(frame.filename)?.[frame.lineno - 1]);
    return list(lines.map((line) => heap.newStr(line)));
  });

  const StatisticClass = jsClass('Statistic');
  getter(StatisticClass, 'size', (s: Statistic) => heap.newInt(s.size));
  getter(StatisticClass, 'count', (s: Statistic) => heap.newInt(s.count));
  getter(StatisticClass, 'traceback', (s: Statistic) => wrap(TracebackClass, s.traceback));
  text(StatisticClass, '__str__', (_vm, s: Statistic) => s.toString());
  text(StatisticClass, '__repr__', (vm, s: Statistic) => `<Statistic traceback=${tracebackRepr(vm, s.traceback)} size=${s.size} count=${s.count}>`);

  const DiffClass = jsClass('StatisticDiff');
  getter(DiffClass, 'size', (s: StatisticDiff) => heap.newInt(s.size));
  getter(DiffClass, 'size_diff', (s: StatisticDiff) => heap.newInt(s.sizeDiff));
  getter(DiffClass, 'count', (s: StatisticDiff) => heap.newInt(s.count));
  getter(DiffClass, 'count_diff', (s: StatisticDiff) => heap.newInt(s.countDiff));
  getter(DiffClass, 'traceback', (s: StatisticDiff) => wrap(TracebackClass, s.traceback));
  text(DiffClass, '__str__', (_vm, s: StatisticDiff) => s.toString());
  const signed = (n: number): string => (n >= 0 ? `+${n}` : String(n));
  text(
    DiffClass,
    '__repr__',
    (vm, s: StatisticDiff) => `<StatisticDiff traceback=${tracebackRepr(vm, s.traceback)} size=${s.size} (${signed(s.sizeDiff)}) count=${s.count} (${signed(s.countDiff)})>`,
  );

  const FilterClass = jsClass('Filter');
  FilterClass.construct = (vm, cls, args, kw) => {
    const named = new Set(kw?.names ?? []);
    const missing = ['inclusive', 'filename_pattern'].filter((name, i) => i >= args.length && !named.has(name));
    if (missing.length > 0) {
      const list = missing.map((m) => `'${m}'`).join(' and ');
      throw vm.typeError(`Filter.__init__() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
    }
    const [inclusive, pattern, lineno, allFrames, domain] = parseArgs(
      vm,
      'Filter',
      [NULL, ...args],
      kw,
      ['inclusive', 'filename_pattern', 'lineno', 'all_frames', 'domain'],
      2,
      0,
    );
    const filter = guard(
      vm,
      () =>
        new Filter(
          truthy(vm, inclusive!),
          vm.strOf(pattern!),
          isAbsent(vm, lineno!) ? null : intArg(vm, lineno!),
          allFrames !== NULL && truthy(vm, allFrames!),
          isAbsent(vm, domain!) ? null : intArg(vm, domain!),
        ),
    );
    return wrap(cls, filter);
  };
  getter(FilterClass, 'inclusive', (f: Filter) => heap.newBool(f.inclusive));
  getter(FilterClass, 'filename_pattern', (f: Filter) => heap.newStr(f.filenamePattern));
  getter(FilterClass, 'lineno', (f: Filter) => (f.lineno === null ? heap.newNone() : heap.newInt(f.lineno)));
  getter(FilterClass, 'all_frames', (f: Filter) => heap.newBool(f.allFrames));
  getter(FilterClass, 'domain', (f: Filter) => (f.domain === null ? heap.newNone() : heap.newInt(f.domain)));

  const TraceClass = jsClass('Trace');
  getter(TraceClass, 'size', (t: Trace) => heap.newInt(Math.round(t.size)));
  getter(TraceClass, 'domain', (t: Trace) => heap.newInt(t.domain));
  getter(TraceClass, 'traceback', (t: Trace) => wrap(TracebackClass, t.traceback));
  text(TraceClass, '__str__', (_vm, t: Trace) => `${t.traceback.toString()}: ${formatSize(t.size)}`);
  text(TraceClass, '__repr__', (vm, t: Trace) => `<Trace domain=${t.domain} size=${formatSize(t.size)}, traceback=${tracebackRepr(vm, t.traceback)}>`);

  const keyType = (vm: VM, ref: Ref): KeyType => {
    const text = vm.strOf(ref);
    return text as KeyType; // the monitor raises CPython's "unknown key_type: 'x'"
  };
  const SnapshotClass = jsClass('Snapshot');
  getter(SnapshotClass, 'traceback_limit', (s: Snapshot) => heap.newInt(s.tracebackLimit));
  // Snapshot.traces: a sequence of Trace objects (a list here; CPython's _Traces is a Sequence).
  SnapshotClass.getset.set('traces', {
    get: (_vm, self) => {
      tracer.paused++;
      try {
        return list((heap.getSlotValue(self, 0) as Snapshot).traces.map((t) => wrap(TraceClass, t)));
      } finally {
        tracer.paused--;
      }
    },
  });
  method(SnapshotClass, 'statistics', (vm, args, kw) => {
    const snapshot = heap.getSlotValue(args[0]!, 0) as Snapshot;
    const [key, cumulative] = parseArgs(vm, 'statistics', args, kw, ['key_type', 'cumulative'], 1, 0);
    const stats = guard(vm, () => snapshot.statistics(keyType(vm, key!), cumulative !== NULL && truthy(vm, cumulative!)));
    return list(stats.map((s) => wrap(StatisticClass, s)));
  });
  method(SnapshotClass, 'compare_to', (vm, args, kw) => {
    const snapshot = heap.getSlotValue(args[0]!, 0) as Snapshot;
    const [old, key, cumulative] = parseArgs(vm, 'compare_to', args, kw, ['old_snapshot', 'key_type', 'cumulative'], 2, 0);
    const previous = unwrapAs<Snapshot>(vm, SnapshotClass, old!, 'old_snapshot');
    const diffs = guard(vm, () => snapshot.compareTo(previous, keyType(vm, key!), cumulative !== NULL && truthy(vm, cumulative!)));
    return list(diffs.map((d) => wrap(DiffClass, d)));
  });
  method(SnapshotClass, 'filter_traces', (vm, args, kw) => {
    const snapshot = heap.getSlotValue(args[0]!, 0) as Snapshot;
    const [filters] = parseArgs(vm, 'filter_traces', args, kw, ['filters'], 1, 0);
    const items = listOf(vm, filters!);
    try {
      const js = items.map((item) => unwrapAs<Filter>(vm, FilterClass, item, 'filters item'));
      return wrap(SnapshotClass, guard(vm, () => snapshot.filterTraces(js)));
    } finally {
      for (const item of items) heap.decref(item);
    }
  });
  /** Snapshot.dump/load: kept in memory by filename (the VM has no file system). */
  const dumps = new Map<string, ReturnType<Snapshot['toJSON']>>();
  method(SnapshotClass, 'dump', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`dump() takes exactly one argument (${args.length - 1} given)`);
    dumps.set(vm.strOf(args[1]!), (heap.getSlotValue(args[0]!, 0) as Snapshot).toJSON());
    return heap.newNone();
  });
  vm.defineClassMethod(SnapshotClass, 'load', untraced((vm, args) => {
    if (args.length !== 2) throw vm.typeError(`load() takes exactly one argument (${args.length - 1} given)`);
    const name = vm.strOf(args[1]!);
    const json = dumps.get(name);
    if (json === undefined) throw vm.error('FileNotFoundError', `[Errno 2] No such file or directory: ${reprOfText(vm, name)}`);
    return wrap(SnapshotClass, Snapshot.fromJSON(json, tracer.origin));
  }));
  method(SnapshotClass, '__repr__', (vm, args) => heap.newStr(`<tracemalloc.Snapshot object at ${heap.hexId(args[0]!)}>`));

  for (const [name, cls] of [
    ['Frame', FrameClass],
    ['Traceback', TracebackClass],
    ['Statistic', StatisticClass],
    ['StatisticDiff', DiffClass],
    ['Filter', FilterClass],
    ['Snapshot', SnapshotClass],
    ['Trace', TraceClass],
  ] as const) {
    vm.setItemStr(dict, name, cls.object);
  }

  // ─── The module's functions ────────────────────────────────────────────────

  def('start', (vm, args, kw) => {
    const [nframe] = moduleArgs(vm, 'start', args, kw, ['nframe'], 0);
    const n = nframe === NULL ? 1 : intArg(vm, nframe!);
    if (n < 1 || n > MAX_NFRAME) throw vm.error('ValueError', `the number of frames must be in range [1; ${MAX_NFRAME}]`);
    try {
      tracer.start(n);
    } catch (error) {
      throw vm.error('RuntimeError', `refheap-python cannot start tracemalloc: ${error instanceof Error ? error.message : String(error)}`);
    }
    return heap.newNone();
  });
  def('stop', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.stop', args, kw);
    tracer.stop();
    return heap.newNone();
  });
  def('is_tracing', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.is_tracing', args, kw);
    return heap.newBool(tracer.tracing);
  });
  def('get_traceback_limit', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.get_traceback_limit', args, kw);
    return heap.newInt(tracer.limit);
  });
  def('take_snapshot', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError(`take_snapshot() got an unexpected keyword argument '${kw.names[0]}'`);
    if (args.length > 0) throw vm.typeError(`take_snapshot() takes 0 positional arguments but ${args.length} ${args.length === 1 ? 'was' : 'were'} given`);
    if (!tracer.tracing) throw vm.error('RuntimeError', 'the tracemalloc module must be tracing memory allocations to take a snapshot');
    return wrap(SnapshotClass, tracer.snapshot());
  });
  def('get_traced_memory', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.get_traced_memory', args, kw);
    if (!tracer.tracing) return intPair(vm, 0, 0);
    tracer.remeasure();
    return intPair(vm, Math.round(tracer.current), Math.round(tracer.peak));
  });
  def('get_tracemalloc_memory', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.get_tracemalloc_memory', args, kw);
    // The tracer's tables (a fixed part, as CPython's hash tables have) plus per trace and traceback.
    let bytes = 4096 + tracer.traces.size * 48;
    for (const tb of tracer.tracebacks) bytes += 48 + tb.length * 40;
    return heap.newInt(bytes);
  });
  def('clear_traces', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.clear_traces', args, kw);
    if (tracer.tracing) tracer.clear();
    return heap.newNone();
  });
  def('reset_peak', (vm, args, kw) => {
    noArguments(vm, '_tracemalloc.reset_peak', args, kw);
    if (tracer.tracing) {
      tracer.remeasure();
      tracer.peak = tracer.current;
    }
    return heap.newNone();
  });
  def('get_object_traceback', (vm, args, kw) => {
    // A Python function in Lib/tracemalloc.py: its errors are a def's.
    if (kw && kw.names.length > 0 && kw.names[0] !== 'obj') throw vm.typeError(`get_object_traceback() got an unexpected keyword argument '${kw.names[0]}'`);
    const given = args.length + (kw?.names.length ?? 0);
    if (given === 0) throw vm.typeError("get_object_traceback() missing 1 required positional argument: 'obj'");
    if (args.length > 1) throw vm.typeError(`get_object_traceback() takes 1 positional argument but ${args.length} were given`);
    const obj = args.length === 1 ? args[0] : kw!.values[0];
    if (!tracer.tracing) return heap.newNone();
    const tb = tracer.tracebackOf(obj!);
    return tb === null ? heap.newNone() : wrap(TracebackClass, tb);
  });
  return module;
}

function intPair(vm: VM, a: number, b: number): Ref {
  const heap = vm.heap;
  const x = heap.newInt(a);
  const y = heap.newInt(b);
  const tuple = heap.newTuple([x, y]);
  heap.decref(x);
  heap.decref(y);
  return tuple;
}

/** repr() of a JS string, as Python's str repr. */
function reprOfText(vm: VM, text: string): string {
  const ref = vm.heap.newStr(text, { intern: false });
  try {
    return reprOf(vm, ref);
  } finally {
    vm.heap.decref(ref);
  }
}
