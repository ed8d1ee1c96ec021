/**
 * `js` slots: an object carries a JS value (a file descriptor, a WebAssembly pointer, a
 * native handle) that no reference count sees, its finalizer still reads, and the heap lets
 * go of when the object is freed — instead of a Map beside the heap keyed by a reusable index.
 */
import { describe, expect, it } from 'vitest';
import { PyTypeError } from './errors.ts';
import { Handles } from './handles.ts';
import { Heap } from './heap.ts';

describe('a js slot', () => {
  it('holds any JS value, unset is undefined, and nothing is counted', () => {
    const heap = new Heap();
    const File = heap.defineClass('File', { slots: [{ name: 'fd', kind: 'js' }, 'name'] });
    const f = heap.newInstance(File);
    expect(heap.getSlotValue(f, 0)).toBeUndefined();
    const native = { close: () => undefined };
    heap.setSlotValue(f, 0, native);
    expect(heap.getSlotValue(f, 0)).toBe(native);
    heap.setSlotValue(f, 0, 7);
    expect(heap.getSlotValue(f, 0)).toBe(7);
    const seen: number[] = [];
    heap.traverse(f, (child) => seen.push(child));
    expect(seen).toEqual([File.object]); // the value is not a reference
    heap.setSlotValue(f, 0, undefined);
    expect(heap.getSlotValue(f, 0)).toBeUndefined();
    heap.verify();
  });

  it('is still there when the finalizer runs, and gone once the object is freed', () => {
    const heap = new Heap();
    const closed: unknown[] = [];
    const File = heap.defineClass('File', {
      slots: [{ name: 'fd', kind: 'js' }],
      finalize: (h, self) => void closed.push(h.getSlotValue(self, 0)),
    });
    const f = heap.newInstance(File);
    heap.setSlotValue(f, 0, 42);
    heap.decref(f);
    expect(closed).toEqual([42]);
    // The index is reused by the next File: it starts unset, not with the old descriptor.
    const g = heap.newInstance(File);
    expect(g).toBe(f);
    expect(heap.getSlotValue(g, 0)).toBeUndefined();
    heap.verify();
  });

  it('lets go of its value when freed, so a JS object it held can be collected', () => {
    const heap = new Heap();
    const T = heap.defineClass('T', { slots: [{ name: 'v', kind: 'js' }] });
    for (let i = 0; i < 10_000; i++) {
      const t = heap.newInstance(T);
      heap.setSlotValue(t, 0, { i });
      heap.decref(t);
    }
    // Freed entries are reused: 10,000 objects one after another use one entry.
    const t = heap.newInstance(T);
    heap.setSlotValue(t, 0, 'last');
    expect(heap.getSlotValue(t, 0)).toBe('last');
  });

  it('refuses a handle: the reference would be hidden from counts and the collector', () => {
    const heap = new Heap();
    const py = new Handles(heap);
    const T = heap.defineClass('T', { slots: [{ name: 'v', kind: 'js' }] });
    const t = heap.newInstance(T);
    const list = py.list();
    expect(() => heap.setSlotValue(t, 0, list)).toThrow(PyTypeError);
    expect(() => heap.setSlotValue(t, 0, list)).toThrow(/slot 'v' of <T object at 0x[0-9a-f]+> holds a JS value, not a handle/);
    expect(list.refcount).toBe(1);
    heap.verify();
  });

  it('is not an object slot, nor an int32 one: each accessor names the slot and what it holds', () => {
    const heap = new Heap();
    const T = heap.defineClass('T', { slots: [{ name: 'v', kind: 'js' }, { name: 'n', kind: 'int32' }, 'o'] });
    const t = heap.newInstance(T);
    expect(() => heap.getSlot(t, 0)).toThrow("slot 'v' of");
    expect(() => heap.getSlot(t, 0)).toThrow('holds a JS value');
    expect(() => heap.setSlotValue(t, 1, 3)).toThrow('holds a 32-bit integer');
    expect(() => heap.getSlotValue(t, 2)).toThrow('holds an object');
    expect(() => heap.setAttr(t, 'v', heap.None)).toThrow("slot 'v' of");
    expect(() => heap.defineClass('Bad', { slots: [{ name: 'x', kind: 'float' as never }] })).toThrow(
      "slot 'x' of Bad has kind float",
    );
  });
});
