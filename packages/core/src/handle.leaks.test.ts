/**
 * Leaks made loud: a handle JS collects without `release()` is reported through
 * `heap.unraisable` (CPython's ResourceWarning for an unclosed file) and its reference
 * given back, so a forgotten handle costs one report instead of an object kept forever.
 *
 * These tests really collect: `--expose-gc` is switched on for this file alone, and each
 * waits for the FinalizationRegistry callback by collecting and yielding to the event loop
 * until what it waits for has happened, for at most ten seconds — never a fixed sleep.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type Handle, Handles, Heap, LeakedHandleError, type Ref, type Unraisable } from './index.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Collects and lets finalization callbacks run until `done()` holds. */
async function collectUntil(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    // Collect in a task of its own: a WeakRef that `done` dereferenced keeps its target until its task ends.
    await nextTask();
    collectGarbage();
    await nextTask();
  }
}

function setup(options: { traceHandles?: boolean } = {}): { heap: Heap; py: Handles; reports: Unraisable[] } {
  const reports: Unraisable[] = [];
  const heap = new Heap({ unraisable: (info) => reports.push(info) });
  return { heap, py: new Handles(heap, options), reports };
}

/**
 * Makes a handle with `make`, and drops it unreleased: only its ref and description leave
 * this function, so nothing on the test's side keeps the handle reachable.
 */
function leak(heap: Heap, make: () => Handle): { ref: Ref; object: string } {
  const handle = make();
  return { ref: handle.ref, object: heap.describe(handle.ref) };
}

const leaked = (reports: readonly Unraisable[]): Unraisable[] => reports.filter((r) => r.phase === 'leaked handle');

describe('a handle JS collects without release()', () => {
  it('is reported through heap.unraisable, naming its object, in CPython’s words', async () => {
    const { heap, py, reports } = setup();
    const { object } = leak(heap, () => py.list([1, 2]));
    await collectUntil(() => reports.length > 0, 'the leak report');
    expect(reports).toHaveLength(1);
    const [report] = reports;
    expect(report!.phase).toBe('leaked handle');
    expect(report!.object).toBe(object);
    expect(report!.message).toBe(`Exception ignored in: ${object}`);
    const error = report!.error as LeakedHandleError;
    expect(error).toBeInstanceOf(LeakedHandleError);
    expect(error.pythonName).toBe('ResourceWarning');
    expect(error.object).toBe(object);
    expect(error.message).toBe(`unreleased handle to ${object}, collected by JS: its reference is released now`);
    expect(error.madeAt).toBeUndefined();
    expect(error.stack).toBe(`LeakedHandleError: ${error.message}\n    (set py.traceHandles = true to record where each handle is made)`);
    expect(object).toMatch(/^<list object at 0x[0-9a-f]+>$/);
  });

  it('then has its reference released: an object only it held is freed, one held elsewhere loses one count', async () => {
    const { heap, py, reports } = setup();
    using kept = py.list();
    const alone = leak(heap, () => py.dict({ a: [] }));
    leak(heap, () => kept.dup());
    expect(kept.refcount).toBe(2);
    await collectUntil(() => reports.length === 2, 'both leak reports');
    expect(heap.isAlive(alone.ref)).toBe(false);
    expect(heap.liveCount(heap.types.dict)).toBe(0);
    expect(kept.refcount).toBe(1);
    heap.verify();
  });

  it('handed out of a scope to a caller with no scope of its own, is watched from then on', async () => {
    const { heap, py, reports } = setup();
    // Made inside the scope (a scope's handles are not watched: it releases them), returned out of it.
    const { object } = leak(heap, () => py.scope(() => py.list([3])));
    await collectUntil(() => leaked(reports).length > 0, 'the leak report');
    expect(leaked(reports).map((r) => r.object)).toEqual([object]);
    heap.verify();
  });

  it('runs the finalizer of a py.defineClass class once, after the report', async () => {
    const { heap, py, reports } = setup();
    const log: string[] = [];
    const Resource = py.defineClass('Resource', {
      slots: ['name'],
      finalize: (h, self) => void log.push(`finalized ${String(h.valueOf(h.getSlot(self, 0)))} after ${reports.length} report`),
    });
    const { object } = leak(heap, () => py.new(Resource, { name: 'db' }));
    await collectUntil(() => log.length > 0, 'the finalizer');
    expect(log).toEqual(['finalized db after 1 report']);
    expect(reports.map((r) => r.object)).toEqual([object]);
    expect(heap.liveCount(Resource)).toBe(0);
    heap.verify();
  });

  it('made the old way as a temporary — py.dict({ a: py.list() }) — is reported, never silent, and the list freed', async () => {
    const { heap, py, reports } = setup();
    heap.decref(heap.intern('a')); // interned strs live on in the interning table
    const live = heap.liveObjects;
    const list = ((): string => {
      const d = py.dict({ a: py.list() }); // the inner handle is the caller's, and nobody releases it
      const inner = heap.describe(heap.dictGet(d.ref, heap.intern('a')));
      heap.decref(heap.intern('a'));
      d.release();
      return inner;
    })();
    expect(heap.liveCount(heap.types.list)).toBe(1); // the dict is gone; the leaked handle still holds the list
    await collectUntil(() => leaked(reports).some((r) => r.object === list), 'the inner list’s report');
    expect(leaked(reports).map((r) => r.object)).toEqual([list]);
    expect(heap.liveObjects).toBe(live);
    heap.verify();
  });

  it('on a closed heap is reported, and its reference kept: no finalizer runs after close()', async () => {
    const { heap, py, reports } = setup();
    const log: string[] = [];
    const Resource = py.defineClass('Resource', { finalize: () => void log.push('finalized') });
    const { ref, object } = leak(heap, () => py.new(Resource));
    heap.close();
    await collectUntil(() => reports.length > 0, 'the leak report');
    expect((reports[0]!.error as Error).message).toBe(
      `unreleased handle to ${object}, collected by JS after heap.close(): its reference stays`,
    );
    expect(heap.isAlive(ref)).toBe(true);
    expect(heap.refcount(ref)).toBe(1);
    expect(log).toEqual([]);
    heap.verify();
  });

  it('whose object an unbalanced decref freed is not reported, and leaves the object now at that index alone', async () => {
    const { heap, py, reports } = setup();
    const { reused, ref } = ((): { reused: Handle; ref: Ref } => {
      const h = py.list();
      const index = h.ref;
      heap.decref(index); // someone else's bug frees the list under the handle
      return { reused: py.dict(), ref: index }; // and its index goes to a new object
    })();
    expect(reused.ref).toBe(ref);
    // A later leak on the same heap is reported after the earlier one was handled.
    const later = leak(heap, () => py.list());
    await collectUntil(() => reports.length > 0, 'the later leak’s report');
    expect(reports.map((r) => r.object)).toEqual([later.object]);
    expect(reused.refcount).toBe(1);
    reused.release();
    heap.verify();
  });
});

describe('a handle released properly', () => {
  it('is unregistered: collected, it is neither reported nor released a second time', async () => {
    const { heap, py, reports } = setup();
    using kept = py.list();
    const collected: WeakRef<Handle>[] = [];
    (() => {
      for (let i = 0; i < 20; i++) {
        const released = kept.dup();
        released.release();
        collected.push(new WeakRef(released));
      }
      {
        using disposed = kept.dup();
        collected.push(new WeakRef(disposed));
      }
      py.scope(() => collected.push(new WeakRef(kept.dup())));
    })();
    await collectUntil(() => collected.every((w) => w.deref() === undefined), 'the released handles to be collected');
    // Their callbacks, had any been registered, come before this later leak's.
    const sentinel = leak(heap, () => kept.dup());
    await collectUntil(() => reports.length > 0, 'the sentinel’s report');
    expect(reports.map((r) => r.object)).toEqual([sentinel.object]);
    expect(kept.refcount).toBe(1);
    heap.verify();
  });
});

describe('traceHandles', () => {
  it('puts the JS stack the handle was made on in the report: madeAt, and the error’s stack', async () => {
    const { heap, py, reports } = setup({ traceHandles: true });
    expect(py.traceHandles).toBe(true);
    function openTheCache(): Handle {
      return py.dict();
    }
    leak(heap, openTheCache);
    await collectUntil(() => reports.length > 0, 'the leak report');
    const error = reports[0]!.error as LeakedHandleError;
    expect(error.madeAt).toMatch(/^\s+at /);
    expect(error.madeAt).toContain('openTheCache');
    expect(error.stack).toBe(`LeakedHandleError: ${error.message}\n${error.madeAt}`);
  });

  it('is off by default, set per heap for every handle made on it, and can be switched off again', async () => {
    const { heap, py, reports } = setup();
    expect(py.traceHandles).toBe(false);
    const other = new Handles(heap, { traceHandles: true });
    expect(py.traceHandles).toBe(true); // the switch is the heap's handle layer's, not one Handles'
    new Handles(heap); // no option: leaves the switch as it is
    expect(other.traceHandles).toBe(true);
    other.traceHandles = false;
    leak(heap, () => py.list());
    await collectUntil(() => reports.length > 0, 'the leak report');
    expect((reports[0]!.error as LeakedHandleError).madeAt).toBeUndefined();
  });
});
