/**
 * Shutting a heap down, and finalizers that are not plain synchronous code: what is still
 * alive at close is reported by type; `close({ finalize: true })` runs every pending
 * finalizer so no resource outlives its heap; an async finalizer is refused, and a promise
 * a finalizer returns has its rejection reported, never left unhandled.
 */
import { describe, expect, it } from 'vitest';
import { PyTypeError } from './errors.ts';
import { Heap } from './heap.ts';
import type { Unraisable } from './protocol.ts';

describe('heap.close()', () => {
  it('reports what is still alive, by type, leaving out what the heap holds itself', () => {
    const heap = new Heap();
    const Node = heap.defineClass('Node', { slots: ['next'] });
    heap.newList();
    heap.newList();
    heap.newInstance(Node);
    heap.newStr('interned'); // interned: the heap's own
    heap.decref(heap.newDict());
    const report = heap.close();
    expect(report.alive).toEqual([
      { type: 'list', count: 2 },
      { type: 'Node', count: 1 },
    ]);
    expect(report.total).toBe(3);
    expect(report.finalized).toBe(0);
    expect(heap.close().total).toBe(0); // the second call does nothing
  });

  it('with finalize: true runs the finalizer of every live object once, newest index first', () => {
    const heap = new Heap();
    const closed: number[] = [];
    const File = heap.defineClass('File', {
      slots: [{ name: 'fd', kind: 'js' }],
      finalize: (h, self) => void closed.push(h.getSlotValue(self, 0) as number),
    });
    const files = [3, 4, 5].map((fd) => {
      const f = heap.newInstance(File);
      heap.setSlotValue(f, 0, fd);
      return f;
    });
    const report = heap.close({ finalize: true });
    expect(closed).toEqual([5, 4, 3]);
    expect(report.finalized).toBe(3);
    expect(report.alive).toEqual([{ type: 'File', count: 3 }]);
    for (const f of files) heap.decref(f); // freed later: the finalizer does not run twice
    expect(closed).toEqual([5, 4, 3]);
    heap.verify();
  });

  it('without finalize, finalizers wait for the objects to be freed', () => {
    const heap = new Heap();
    let ran = 0;
    const T = heap.defineClass('T', { finalize: () => void ran++ });
    const t = heap.newInstance(T);
    heap.close();
    expect(ran).toBe(0);
    heap.decref(t);
    expect(ran).toBe(1);
  });
});

describe('finalizers and promises', () => {
  it('an async finalizer is refused when the class is defined', () => {
    const heap = new Heap();
    // What a user may write: TypeScript accepts it, since a promise is assignable to void.
    const asyncFinalizer = async (): Promise<void> => {
      await Promise.resolve();
    };
    const spec = { finalize: asyncFinalizer as () => void };
    expect(() => heap.defineClass('A', spec)).toThrow(PyTypeError);
    expect(() => heap.defineClass('A', spec)).toThrow(
      /the finalizer of A is an async function: a finalizer must finish before its object is freed/,
    );
  });

  it('a promise a finalizer returns is watched: its rejection is reported as unraisable, not unhandled', async () => {
    const reports: Unraisable[] = [];
    const heap = new Heap({ unraisable: (info) => reports.push(info) });
    const T = heap.defineClass('T', { finalize: () => Promise.reject(new Error('flush failed')) as never });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      heap.decref(heap.newInstance(T));
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.phase).toBe('finalizer');
    expect(reports[0]!.message).toMatch(/^Exception ignored in: <finalizer of <T object at 0x[0-9a-f]+>>$/);
    expect((reports[0]!.error as Error).message).toBe('flush failed');
  });
});
