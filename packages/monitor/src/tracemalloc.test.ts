import { Handles, Heap, PyTypeError, PyValueError, UseAfterFreeError } from '@refheap/core';
import { afterEach, describe, expect, it } from 'vitest';
import { PyRuntimeError } from './errors.ts';
import { DomainFilter, Filter, Snapshot } from './snapshot.ts';
import { here } from './test-support/here.ts';
import { Tracemalloc, tracemalloc } from './tracemalloc.ts';

const tracers: Tracemalloc[] = [];
function setup(): { heap: Heap; py: Handles; tm: Tracemalloc } {
  const heap = new Heap();
  const tm = new Tracemalloc(heap);
  tracers.push(tm);
  return { heap, py: new Handles(heap), tm };
}
afterEach(() => {
  for (const tm of tracers.splice(0)) tm.stop();
});

const range = (n: number, from = 1000): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('tracemalloc: module functions', () => {
  it('starts and stops; is_tracing; get_traceback_limit', () => {
    const { tm } = setup();
    expect(tm.isTracing()).toBe(false);
    expect(tm.getTracebackLimit()).toBe(1);
    tm.start(5);
    expect(tm.isTracing()).toBe(true);
    expect(tm.getTracebackLimit()).toBe(5);
    tm.start(7); // already tracing: CPython keeps the first limit
    expect(tm.getTracebackLimit()).toBe(5);
    tm.stop();
    expect(tm.isTracing()).toBe(false);
  });

  it("rejects a bad frame count with CPython's errors", () => {
    const { tm } = setup();
    expect(() => tm.start(0)).toThrow(PyValueError);
    expect(() => tm.start(0)).toThrow('the number of frames must be in range [1; 65535]');
    expect(() => tm.start(70000)).toThrow('the number of frames must be in range [1; 65535]');
    expect(() => tm.start(-1)).toThrow('the number of frames must be in range [1; 65535]');
    expect(() => tm.start(1.5)).toThrow(PyTypeError);
    expect(() => tm.start(1.5)).toThrow("'float' object cannot be interpreted as an integer");
    expect(() => tm.start('a' as unknown as number)).toThrow("'str' object cannot be interpreted as an integer");
    expect(() => tm.start(1, { samplingInterval: -1 })).toThrow(PyValueError);
    expect(tm.isTracing()).toBe(false);
  });

  it('stop before start, and twice, does nothing (as in CPython)', () => {
    const { tm } = setup();
    expect(() => tm.stop()).not.toThrow();
    tm.start();
    tm.stop();
    expect(() => tm.stop()).not.toThrow();
    expect(tm.getTracedMemory()).toEqual([0, 0]);
  });

  it("take_snapshot while not tracing raises CPython's RuntimeError", () => {
    const { tm } = setup();
    expect(() => tm.takeSnapshot()).toThrow(PyRuntimeError);
    expect(() => tm.takeSnapshot()).toThrow('the tracemalloc module must be tracing memory allocations to take a snapshot');
    try {
      tm.takeSnapshot();
    } catch (error) {
      expect((error as PyRuntimeError).pythonName).toBe('RuntimeError');
    }
  });

  it('get_traced_memory is (0, 0) while not tracing, then counts, peaks and resets', () => {
    const { heap, tm } = setup();
    expect(tm.getTracedMemory()).toEqual([0, 0]);
    tm.start();
    const a = heap.newList();
    const [current1] = tm.getTracedMemory();
    expect(current1).toBe(heap.sizeOf(a) - 4);
    const b = heap.newList();
    const [current2, peak2] = tm.getTracedMemory();
    expect(current2).toBe(2 * current1);
    expect(peak2).toBe(current2);
    heap.decref(b);
    expect(tm.getTracedMemory()).toEqual([current1, current2]);
    tm.resetPeak();
    expect(tm.getTracedMemory()).toEqual([current1, current1]);
    tm.clearTraces();
    expect(tm.getTracedMemory()).toEqual([0, 0]);
    expect(tm.getObjectTraceback(a)).toBeNull();
    heap.decref(a);
  });

  it('forgets objects freed before they were measured, and objects a collector frees in bulk', () => {
    const { heap, tm } = setup();
    tm.start();
    heap.decref(heap.newList()); // freed before any other heap event measured it
    expect(tm.getTracedMemory()[0]).toBe(0);
    expect(tm.traceCount).toBe(0);
    // A two-list cycle, released the way a collector does (Heap.releaseGarbage).
    const x = heap.newList();
    const y = heap.newList([x]);
    heap.append(x, y);
    expect(tm.getTracedMemory()[0]).toBeGreaterThan(0);
    heap.decref(x);
    heap.decref(y);
    expect(heap.releaseGarbage(Int32Array.of(x, y), 2)).toBe(true);
    expect(tm.getTracedMemory()[0]).toBe(0);
    expect(tm.traceCount).toBe(0);
    heap.verify();
  });

  it('does not count objects allocated before start', () => {
    const { heap, tm } = setup();
    const before = heap.newList();
    tm.start();
    expect(tm.getObjectTraceback(before)).toBeNull();
    heap.decref(before); // freeing an untraced object changes nothing
    expect(tm.getTracedMemory()).toEqual([0, 0]);
  });

  it('get_object_traceback gives the JavaScript line that allocated the object', () => {
    const { heap, py, tm } = setup();
    tm.start(4);
    const [site, obj] = [here(), heap.newList()];
    const tb = tm.getObjectTraceback(obj)!;
    expect(tb).not.toBeNull();
    expect(tb.mostRecent.filename).toBe(site.filename);
    expect(tb.mostRecent.lineno).toBe(site.lineno);
    expect(tb.length).toBeLessThanOrEqual(4);
    // The ergonomic layer's frames (Handles) are the heap's own, never the allocation site.
    const [site2, handle] = [here(), py.list()];
    expect(tm.getObjectTraceback(handle.ref)!.mostRecent.lineno).toBe(site2.lineno);
    expect(tm.getObjectTraceback(handle.ref)!.mostRecent.filename).toBe(site2.filename);
    // CPython's format(): oldest first, or most recent first.
    const lines = tb.format();
    expect(lines.at(-1)).toBe(`  File "${site.filename}", line ${site.lineno}`);
    expect(tb.format(null, true)[0]).toBe(`  File "${site.filename}", line ${site.lineno}`);
    expect(tb.format(1)).toEqual([`  File "${site.filename}", line ${site.lineno}`]);
    expect(String(tb)).toBe(String(tb.at(0)));
    handle.release();
    heap.decref(obj);
    expect(() => tm.getObjectTraceback(obj)).toThrow(UseAfterFreeError);
  });

  it('never mixes up two call sites behind a deep path, and skips frames the user calls internal', () => {
    const heap = new Heap();
    const tm = new Tracemalloc(heap, { isInternalFrame: (f) => f.functionName.startsWith('libraryLayer') });
    tracers.push(tm);
    tm.start(1);
    // A library eight calls deep: its frames are internal, so each call site is its caller's line.
    const libraryLayer8 = (): number => heap.newList();
    const libraryLayer7 = (): number => libraryLayer8();
    const libraryLayer6 = (): number => libraryLayer7();
    const libraryLayer5 = (): number => libraryLayer6();
    const libraryLayer4 = (): number => libraryLayer5();
    const libraryLayer3 = (): number => libraryLayer4();
    const libraryLayer2 = (): number => libraryLayer3();
    const libraryLayer1 = (): number => libraryLayer2();
    const [s1, a] = [here(), libraryLayer1()];
    const [s2, b] = [here(), libraryLayer1()];
    expect(tm.getObjectTraceback(a)!.mostRecent.lineno).toBe(s1.lineno);
    expect(tm.getObjectTraceback(b)!.mostRecent.lineno).toBe(s2.lineno);
    heap.decref(a);
    heap.decref(b);
  });

  it('get_tracemalloc_memory counts the tracer itself', () => {
    const { heap, tm } = setup();
    expect(tm.getTracemallocMemory()).toBeGreaterThan(0);
    tm.start();
    const refs = Array.from({ length: 1000 }, () => heap.newList());
    expect(tm.getTracemallocMemory()).toBeGreaterThanOrEqual(heap.columns.capacity * 4);
    for (const r of refs) heap.decref(r);
  });

  it('stop() forgets traces and detaches its column; start() again begins afresh', () => {
    const { heap, tm } = setup();
    const base = heap.columns.bytesPerObject();
    tm.start();
    expect(heap.columns.bytesPerObject()).toBe(base + 4);
    const a = heap.newList();
    tm.stop();
    expect(heap.columns.bytesPerObject()).toBe(base);
    expect(tm.getObjectTraceback(a)).toBeNull();
    tm.start();
    expect(tm.getTracedMemory()).toEqual([0, 0]);
    heap.decref(a);
  });

  it('survives the heap growing its columns while tracing', () => {
    const { heap, tm } = setup();
    tm.start();
    const refs = Array.from({ length: 5000 }, () => heap.newList());
    expect(heap.columns.capacity).toBeGreaterThanOrEqual(5000);
    expect(tm.takeSnapshot().statistics('lineno')[0]!.count).toBe(5000);
    for (const r of refs) heap.decref(r);
    expect(tm.getTracedMemory()[0]).toBe(0);
  });

  it('tracemalloc(heap) is one tracer per heap, like the module', () => {
    const heap = new Heap();
    expect(tracemalloc(heap)).toBe(tracemalloc(heap));
    expect(tracemalloc(heap)).not.toBe(tracemalloc(new Heap()));
  });

  it('a second tracer cannot trace a heap the first is tracing, and can once it stops', () => {
    const heap = new Heap();
    const first = new Tracemalloc(heap);
    const second = new Tracemalloc(heap);
    tracers.push(first, second);
    first.start();
    expect(() => second.start()).toThrow(PyRuntimeError);
    expect(() => second.start()).toThrow(`another tracer is already tracing this heap (heap tag ${heap.tag}): share one with tracemalloc(heap)`);
    expect(second.isTracing()).toBe(false);
    const l = heap.newList();
    expect(first.getObjectTraceback(l)).not.toBeNull(); // the first goes on undisturbed
    first.stop();
    second.start();
    const m = heap.newList();
    expect(second.getObjectTraceback(m)).not.toBeNull();
    expect(second.getObjectTraceback(l)).toBeNull();
    heap.decref(l);
    heap.decref(m);
    expect(second.getTracedMemory()[0]).toBe(0);
    heap.verify();
  });
});

describe('tracemalloc: snapshots', () => {
  it("reproduces the seeds' top allocations: statistics('lineno') with tracemalloc's text", () => {
    const { py, tm } = setup();
    tm.start();
    const data = py.list();
    let site = here();
    for (let i = 0; i < 100; i++) {
      site = here(); const item = py.list(range(100));
      data.append(item);
      item.release();
    }
    const snapshot = tm.takeSnapshot().filterTraces([new Filter(false, '<frozen importlib._bootstrap>'), new Filter(false, '<unknown>')]);
    const top = snapshot.statistics('lineno');
    const first = top[0]!;
    expect(first.traceback.at(0)!.filename).toBe(site.filename);
    expect(first.traceback.at(0)!.lineno).toBe(site.lineno);
    // 100 lists and the 10,000 ints in them were made on that line.
    expect(first.count).toBe(100 + 100 * 100);
    expect(String(first)).toMatch(new RegExp(`^${site.filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${site.lineno}: size=\\d+(\\.\\d)? KiB, count=10100, average=\\d+ B$`));
    expect(first.size).toBe(snapshot.statistics('filename').find((s) => s.traceback.at(0)!.filename === site.filename)!.size - (top.find((s) => s !== first && s.traceback.at(0)!.filename === site.filename)?.size ?? 0));
    data.release();
  });

  it('statistics by filename use line 0, and total what lineno totals', () => {
    const { heap, tm } = setup();
    tm.start();
    const refs = [heap.newList(), heap.newDict(), heap.newTuple([heap.None])];
    const snap = tm.takeSnapshot();
    const byFile = snap.statistics('filename');
    const byLine = snap.statistics('lineno');
    expect(byFile).toHaveLength(1);
    expect(byFile[0]!.traceback.at(0)!.lineno).toBe(0);
    expect(String(byFile[0]!.traceback)).toMatch(/:0$/);
    expect(byFile[0]!.size).toBe(byLine.reduce((a, s) => a + s.size, 0));
    expect(byFile[0]!.size).toBe(tm.getTracedMemory()[0]);
    expect(snap.totalSize).toBe(tm.getTracedMemory()[0]);
    for (const r of refs) heap.decref(r);
  });

  it('statistics by traceback, and cumulative statistics count every frame', () => {
    const { heap, tm } = setup();
    tm.start(10);
    function inner(): number {
      return heap.newList();
    }
    function outer(): number[] {
      return [inner(), inner()];
    }
    const made = [...outer(), inner()];
    const snap = tm.takeSnapshot();
    const byTb = snap.statistics('traceback');
    expect(byTb).toHaveLength(2); // outer→inner twice is one traceback; the direct inner() another
    expect(byTb[0]!.count).toBe(2);
    expect(byTb[0]!.traceback.frames.some((f) => f.functionName === 'outer')).toBe(true);
    expect(byTb[1]!.traceback.frames.some((f) => f.functionName === 'outer')).toBe(false);
    const cumulative = snap.statistics('lineno', true);
    const innerLine = cumulative.find((s) => s.traceback.at(0)!.functionName === 'inner');
    expect(innerLine?.count).toBe(3);
    expect(() => snap.statistics('traceback', true)).toThrow("cumulative mode cannot by used with key type 'traceback'");
    expect(() => snap.statistics('foo' as 'lineno')).toThrow("unknown key_type: 'foo'");
    for (const r of made) heap.decref(r);
  });

  it("compare_to shows what changed, with tracemalloc's signs, biggest change first", () => {
    const { heap, py, tm } = setup();
    tm.start();
    const keep = py.list();
    const siteA = here();
    for (let i = 0; i < 10; i++) {
      const item = py.list();
      keep.append(item);
      item.release();
    }
    const before = tm.takeSnapshot();
    const siteB = here();
    const more = Array.from({ length: 50 }, () => py.list());
    keep.release(); // the ten lists of siteA, and `keep`, go away
    const after = tm.takeSnapshot();
    const diff = after.compareTo(before, 'lineno');
    const grown = diff.find((d) => d.traceback.at(0)!.lineno === siteB.lineno + 1)!;
    const gone = diff.find((d) => d.traceback.at(0)!.lineno === siteA.lineno + 2)!;
    expect(grown.count).toBe(50);
    expect(grown.countDiff).toBe(50);
    expect(grown.sizeDiff).toBe(grown.size);
    expect(String(grown)).toMatch(/: size=\d+ B \(\+\d+ B\), count=50 \(\+50\), average=\d+ B$/);
    expect(gone.size).toBe(0);
    expect(gone.count).toBe(0);
    expect(gone.countDiff).toBe(-10);
    expect(String(gone)).toMatch(/: size=0 B \(-\d+ B\), count=0 \(-10\)$/);
    expect(diff[0]).toBe(grown);
    for (const h of more) h.release();
    expect(heap.liveObjects).toBeGreaterThan(0);
  });

  it('refuses to compare snapshots of different heaps', () => {
    const one = setup();
    const two = setup();
    one.tm.start();
    two.tm.start();
    const a = one.tm.takeSnapshot();
    const b = two.tm.takeSnapshot();
    expect(() => a.compareTo(b, 'lineno')).toThrow(PyValueError);
    expect(() => a.compareTo(b, 'lineno')).toThrow(/different heaps/);
    expect(() => a.compareTo(3 as unknown as Snapshot, 'lineno')).toThrow(PyTypeError);
    expect(a.compareTo(one.tm.takeSnapshot(), 'lineno')).toEqual([]);
  });

  it('filters traces by file pattern, line, all frames and domain', () => {
    const { heap, tm } = setup();
    tm.start(5);
    function helper(): number {
      return heap.newList();
    }
    const siteDirect = here();
    const direct = heap.newList();
    const viaHelper = helper();
    const snap = tm.takeSnapshot();
    const file = siteDirect.filename;
    expect(snap.filterTraces([]).length).toBe(2);
    expect(snap.filterTraces([new Filter(true, file)]).length).toBe(2);
    expect(snap.filterTraces([new Filter(true, '*.nope')]).length).toBe(0);
    expect(snap.filterTraces([new Filter(false, file)]).length).toBe(0);
    expect(snap.filterTraces([new Filter(true, '*', siteDirect.lineno + 1)]).length).toBe(1);
    expect(snap.filterTraces([new Filter(false, '*', siteDirect.lineno + 1)]).length).toBe(1);
    // all_frames: the helper's caller line is in the traceback but is not its most recent frame.
    const callerLine = siteDirect.lineno + 2;
    expect(snap.filterTraces([new Filter(true, '*', callerLine)]).length).toBe(0);
    expect(snap.filterTraces([new Filter(true, '*', callerLine, true)]).length).toBe(1);
    expect(snap.filterTraces([new DomainFilter(true, 0)]).length).toBe(2);
    expect(snap.filterTraces([new DomainFilter(false, 0)]).length).toBe(0);
    expect(snap.filterTraces([new Filter(true, '*', null, false, 1)]).length).toBe(0);
    heap.decref(direct);
    heap.decref(viaHelper);
  });

  it('rejects filters it cannot use, with clear errors', () => {
    const { tm } = setup();
    tm.start();
    const snap = tm.takeSnapshot();
    expect(() => snap.filterTraces(3 as unknown as Filter[])).toThrow('filters must be a list of filters, not int');
    expect(() => snap.filterTraces(['x'] as unknown as Filter[])).toThrow(/Filter or DomainFilter/);
    expect(() => new Filter(true, 123 as unknown as string)).toThrow('expected str, bytes or os.PathLike object, not int');
    expect(() => new Filter(true, '*', 1.5)).toThrow(PyTypeError);
    expect(() => new DomainFilter(true, 0.5)).toThrow(PyTypeError);
    // A malformed bracket is literal text in fnmatch, not an error.
    expect(snap.filterTraces([new Filter(true, '[unclosed')]).length).toBe(0);
  });

  it('sizes follow growth: a list that grows after it is made is measured again at each snapshot', () => {
    const { heap, tm } = setup();
    tm.start();
    const list = heap.newList();
    const small = tm.takeSnapshot().totalSize;
    for (let i = 0; i < 100; i++) heap.append(list, heap.None);
    const big = tm.takeSnapshot().totalSize;
    expect(big).toBe(heap.sizeOf(list) - 4);
    expect(big).toBeGreaterThan(small);
    expect(tm.getTracedMemory()[1]).toBe(big);
    heap.decref(list);
  });

  it('round-trips through JSON (dump/load)', () => {
    const { heap, tm } = setup();
    tm.start(3);
    const a = heap.newList();
    const snap = tm.takeSnapshot();
    const loaded = Snapshot.fromJSON(JSON.parse(JSON.stringify(snap.toJSON())) as ReturnType<Snapshot['toJSON']>);
    expect(loaded.statistics('traceback').map(String)).toEqual(snap.statistics('traceback').map(String));
    expect(() => Snapshot.fromJSON({} as ReturnType<Snapshot['toJSON']>)).toThrow(PyValueError);
    heap.decref(a);
  });
});

describe('tracemalloc: sampling mode', () => {
  it('traces a fraction of allocations and scales them to unbiased estimates', () => {
    const { heap, tm } = setup();
    tm.start(1, { samplingInterval: 4096, seed: 42 });
    expect(tm.getSamplingInterval()).toBe(4096);
    const refs: number[] = [];
    for (let i = 0; i < 20_000; i++) refs.push(heap.newList());
    const exact = refs.reduce((a, r) => a + heap.sizeOf(r) - 4, 0);
    const snap = tm.takeSnapshot();
    expect(tm.traceCount).toBeLessThan(2000); // about 20000 × 39 / 4096 ≈ 190 samples
    expect(tm.traceCount).toBeGreaterThan(50);
    const [stat] = snap.statistics('lineno');
    expect(Math.abs(stat!.count - 20_000) / 20_000).toBeLessThan(0.25);
    expect(Math.abs(stat!.size - exact) / exact).toBeLessThan(0.25);
    const [current] = tm.getTracedMemory();
    expect(Math.abs(current - exact) / exact).toBeLessThan(0.25);
    for (const r of refs) heap.decref(r);
    expect(tm.getTracedMemory()[0]).toBe(0);
  });

  it('weights a sample by its size: one big object is as likely to be seen as its bytes in small ones', () => {
    const { heap, tm } = setup();
    tm.start(1, { samplingInterval: 16 * 1024, seed: 3 }); // about 100 samples of each kind
    const bigLine = here().lineno + 1;
    const big = Array.from({ length: 200 }, () => heap.newList(Array.from({ length: 2000 }, () => heap.None)));
    const smallLine = here().lineno + 1;
    const small = Array.from({ length: 40_000 }, () => heap.newList());
    const bigBytes = big.reduce((a, r) => a + heap.sizeOf(r) - 4, 0);
    const smallBytes = small.reduce((a, r) => a + heap.sizeOf(r) - 4, 0);
    const stats = tm.takeSnapshot().statistics('lineno');
    const bigStat = stats.find((s) => s.traceback.at(-1)!.lineno === bigLine)!;
    const smallStat = stats.find((s) => s.traceback.at(-1)!.lineno === smallLine)!;
    expect(bigBytes).toBeGreaterThan(smallBytes); // 200 objects outweigh 40,000
    expect(Math.abs(bigStat.size - bigBytes) / bigBytes).toBeLessThan(0.35);
    expect(Math.abs(smallStat.size - smallBytes) / smallBytes).toBeLessThan(0.35);
    for (const r of [...big, ...small]) heap.decref(r);
  });

  it('is reproducible with a seed', () => {
    const run = (): number => {
      const { heap, tm } = setup();
      tm.start(1, { samplingInterval: 1000, seed: 7 });
      for (let i = 0; i < 2000; i++) heap.newList();
      return tm.traceCount;
    };
    expect(run()).toBe(run());
  });
});

describe('tracemalloc: objects that own real memory', () => {
  it('a 1 MiB bytearray is traced as 1 MiB, and freeing it takes the MiB off the current total', () => {
    const { heap, tm } = setup();
    tm.start();
    const before = tm.getTracedMemory()[0];
    const big = heap.newByteArray(1 << 20);
    const [current, peak] = tm.getTracedMemory();
    expect(current - before).toBeGreaterThanOrEqual(1 << 20);
    expect(current - before).toBeLessThan((1 << 20) + 256);
    heap.decref(big);
    const [after, peakAfter] = tm.getTracedMemory();
    expect(after).toBe(before);
    expect(peakAfter).toBe(peak); // the peak remembers it
    const stats = tm.takeSnapshot().statistics('lineno');
    expect(stats.every((stat) => stat.size < 1 << 20)).toBe(true);
  });
});
