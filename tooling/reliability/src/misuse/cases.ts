/**
 * Every misuse the packages reject, as runnable cases: what a user writes, and the
 * typed error it must raise. The tests run them; `pnpm docs:misuse` runs them again
 * and writes docs/misuse.md from what actually happened, so the table cannot drift
 * from the behaviour.
 */
import { Handles, Heap, type Value } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Filter, Tracemalloc } from '@refheap/monitor';
import { finalize, proxy, ref } from '@refheap/weakref';

export interface MisuseCase {
  readonly package: string;
  /** What the user wrote, as they would read it. */
  readonly input: string;
  /** The name of the error class that must be raised. */
  readonly error: string;
  readonly run: () => unknown;
}

function world(): { heap: Heap; py: Handles } {
  const heap = new Heap();
  return { heap, py: new Handles(heap) };
}

const core: MisuseCase[] = [
  {
    package: '@refheap/core',
    input: 'heap.decref(ref) once more than it was increfed (the object is freed)',
    error: 'UseAfterFreeError',
    run: () => {
      const { heap } = world();
      const list = heap.newList();
      heap.decref(list);
      heap.decref(list);
    },
  },
  {
    package: '@refheap/core',
    input: 'a finalizer that releases `self` once too often',
    error: 'RefcountError',
    run: () => {
      const { heap } = world();
      let raised: unknown;
      heap.unraisable = (info) => (raised = info.error);
      const Bad = heap.defineClass('Bad', { finalize: (h, self) => h.decref(self) });
      heap.decref(heap.newInstance(Bad));
      throw raised;
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.append(list, item) after `list` was freed',
    error: 'UseAfterFreeError',
    run: () => {
      const { heap } = world();
      const list = heap.newList();
      heap.decref(list);
      heap.append(list, heap.None);
    },
  },
  {
    package: '@refheap/core',
    input: 'a handle of one heap passed to another heap',
    error: 'ForeignHeapError',
    run: () => {
      const one = world();
      const other = world();
      other.py.list([one.py.list()]);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(id) of an id from another heap',
    error: 'ForeignHeapError',
    run: () => {
      const one = world();
      const other = world();
      other.heap.objectAt(one.heap.id(one.heap.newList()));
    },
  },
  {
    package: '@refheap/core',
    input: 'handle.release() twice',
    error: 'DoubleReleaseError',
    run: () => {
      const { py } = world();
      const list = py.list();
      list.release();
      list.release();
    },
  },
  {
    package: '@refheap/core',
    input: 'any use of a released handle (`handle.append(1)`)',
    error: 'UseAfterFreeError',
    run: () => {
      const { py } = world();
      const list = py.list();
      list.release();
      list.append(1);
    },
  },
  {
    package: '@refheap/core',
    input: 'a released handle inside a JS value given to a constructor (`py.dict({ k: [gone] })`)',
    error: 'UseAfterFreeError',
    run: () => {
      const { py } = world();
      const gone = py.list();
      gone.release();
      py.dict({ k: [gone] });
    },
  },
  {
    package: '@refheap/core',
    input: 'scope.keep(handle) with no enclosing scope to pass it to',
    error: 'ScopeError',
    run: () => {
      const { py } = world();
      py.scope((scope) => scope.keep(py.list()));
    },
  },
  {
    package: '@refheap/core',
    input: 'py.list([loop]) where `loop` is a JS array that contains itself',
    error: 'PyValueError',
    run: () => {
      const { py } = world();
      const loop: Value[] = [];
      loop.push(loop);
      py.list([loop]);
    },
  },
  {
    package: '@refheap/core',
    input: 'py.of(a JS array nested 1,001 deep) (past the recursion limit of 1000)',
    error: 'PyRecursionError',
    run: () => {
      let value: Value[] = [];
      for (let i = 1; i < 1001; i++) value = [value];
      world().py.of(value);
    },
  },
  {
    package: '@refheap/core',
    input: 'py.list([new Map()]) (a JS value Python has no object for)',
    error: 'PyTypeError',
    run: () => world().py.list([new Map() as unknown as Value]),
  },
  {
    package: '@refheap/core',
    input: "py.new(S, { b: 1 }) where S has `__slots__ = ('a',)`",
    error: 'PyAttributeError',
    run: () => {
      const { py } = world();
      py.new(py.defineClass('S', { slots: ['a'] }), { b: 1 });
    },
  },
  {
    package: '@refheap/core',
    input: "heap.setAttr(obj, 'count', list) where `count` is an int32 slot",
    error: 'PyTypeError',
    run: () => {
      const { heap } = world();
      const T = heap.defineClass('T', { slots: [{ name: 'count', kind: 'int32' }] });
      heap.setAttr(heap.newInstance(T), 'count', heap.newList());
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.setSlotInt(obj, 0, 1.5) on an int32 slot',
    error: 'PyTypeError',
    run: () => {
      const { heap } = world();
      const T = heap.defineClass('T', { slots: [{ name: 'count', kind: 'int32' }] });
      heap.setSlotInt(heap.newInstance(T), 0, 1.5);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(id) after the object was freed',
    error: 'StaleIdError',
    run: () => {
      const { heap } = world();
      const list = heap.newList();
      const id = heap.id(list);
      heap.decref(list);
      heap.objectAt(id);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(id) after the object was freed and its id reused',
    error: 'StaleIdError',
    run: () => {
      const { heap } = world();
      const list = heap.newList();
      const id = heap.id(list);
      heap.decref(list);
      heap.newDict();
      heap.objectAt(id);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(-1) (a negative id, named as given, not as 0x-1)',
    error: 'StaleIdError',
    run: () => world().heap.objectAt(-1),
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(1.5) (an id that is not an integer, not shown as 0x1.8)',
    error: 'StaleIdError',
    run: () => world().heap.objectAt(1.5),
  },
  {
    package: '@refheap/core',
    input: 'heap.objectAt(2 ** 80) (an id past 2**53, not expanded to hex)',
    error: 'StaleIdError',
    run: () => world().heap.objectAt(2 ** 80),
  },
  {
    package: '@refheap/core',
    input: 'a list as a dict key (`d[[]] = 1`)',
    error: 'PyTypeError',
    run: () => {
      const { heap } = world();
      heap.dictSet(heap.newDict(), heap.newList(), heap.None);
    },
  },
  {
    package: '@refheap/core',
    input: "`d['missing']` through a handle",
    error: 'PyKeyError',
    run: () => world().py.dict().get('missing'),
  },
  {
    package: '@refheap/core',
    input: '`l[5] = x` on a one-item list',
    error: 'PyIndexError',
    run: () => world().py.list([1]).set(5, 2),
  },
  {
    package: '@refheap/core',
    input: 'heap.installSampler(sampler, NaN) (a countdown that is not a number of bytes)',
    error: 'PyValueError',
    run: () => new Heap().installSampler({ sampled: () => 0, freed: () => undefined }, Number.NaN),
  },
  {
    package: '@refheap/core',
    input: 'heap.repr(list) of a list nested 5,000 deep (past the recursion limit of 1000)',
    error: 'PyRecursionError',
    run: () => {
      const { heap } = world();
      let list = heap.newList();
      for (let i = 0; i < 5000; i++) {
        const outer = heap.newList([list]);
        heap.decref(list);
        list = outer;
      }
      return heap.repr(list);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.newBytes(-1) (a negative size)',
    error: 'PyValueError',
    run: () => world().heap.newBytes(-1),
  },
  {
    package: '@refheap/core',
    input: 'heap.newByteArray(1.5) (a size that is not an integer)',
    error: 'PyTypeError',
    run: () => world().heap.newByteArray(1.5),
  },
  {
    package: '@refheap/core',
    input: 'heap.newBytes([1, 256]) (a byte outside 0–255)',
    error: 'PyValueError',
    run: () => world().heap.newBytes([1, 256]),
  },
  {
    package: '@refheap/core',
    input: "heap.newBytes('é', 'ascii') (text the codec cannot encode)",
    error: 'PyUnicodeEncodeError',
    run: () => world().heap.newBytes('é', 'ascii'),
  },
  {
    package: '@refheap/core',
    input: "heap.newBytes('x') (a str without an encoding)",
    error: 'PyTypeError',
    run: () => world().heap.newBytes('x'),
  },
  {
    package: '@refheap/core',
    input: 'heap.byteAt(b, 5) of a 2-byte bytes (an index out of range)',
    error: 'PyIndexError',
    run: () => {
      const { heap } = world();
      return heap.byteAt(heap.newBytes(2), 5);
    },
  },
  {
    package: '@refheap/core',
    input: 'heap.setByte(b, 0, 1) on a bytes (immutable)',
    error: 'PyTypeError',
    run: () => {
      const { heap } = world();
      heap.setByte(heap.newBytes(2), 0, 1);
    },
  },
  {
    package: '@refheap/core',
    input: 'a bytearray as a dict key (unhashable)',
    error: 'PyTypeError',
    run: () => {
      const { heap } = world();
      heap.dictSet(heap.newDict(), heap.newByteArray(1), heap.None);
    },
  },
  {
    package: '@refheap/core',
    input: "py.new(File, { fd: py.list() }) where 'fd' is a js slot (a handle hidden from the collector)",
    error: 'PyTypeError',
    run: () => {
      const { py } = world();
      const File = py.defineClass('File', { slots: [{ name: 'fd', kind: 'js' }] });
      return py.new(File, { fd: py.list() });
    },
  },
  {
    package: '@refheap/core',
    input: 'defineClass with an async finalize',
    error: 'PyTypeError',
    run: () => {
      const asyncFinalizer = async (): Promise<void> => {
        await Promise.resolve();
      };
      const spec = { finalize: asyncFinalizer as () => void }; // TypeScript lets a promise pass for void
      return world().heap.defineClass('A', spec);
    },
  },
];

const gc: MisuseCase[] = [
  {
    package: '@refheap/gc',
    input: 'gc.collect(3)',
    error: 'PyValueError',
    run: () => new Collector(new Heap()).collect(3),
  },
  {
    package: '@refheap/gc',
    input: "gc.collect('x')",
    error: 'PyTypeError',
    run: () => new Collector(new Heap()).collect('x' as unknown as number),
  },
  {
    package: '@refheap/gc',
    input: 'gc.collect(1.5) (a float is refused; a bool is an int, so gc.collect(true) collects generation 1)',
    error: 'PyTypeError',
    run: () => {
      const gc = new Collector(new Heap());
      gc.collect(true as unknown as number); // accepted, as CPython accepts gc.collect(True)
      gc.collect(1.5);
    },
  },
  {
    package: '@refheap/gc',
    input: 'gc.getObjects(3)',
    error: 'PyValueError',
    run: () => new Collector(new Heap()).getObjects(3),
  },
  {
    package: '@refheap/gc',
    input: 'gc.setThreshold()',
    error: 'PyTypeError',
    run: () => new Collector(new Heap()).setThreshold(),
  },
  {
    package: '@refheap/gc',
    input: 'gc.setThreshold(1, 2, 3, 4)',
    error: 'PyTypeError',
    run: () => new Collector(new Heap()).setThreshold(1, 2, 3, 4),
  },
  {
    package: '@refheap/gc',
    input: 'a second collector on the same heap',
    error: 'PyTypeError',
    run: () => {
      const heap = new Heap();
      new Collector(heap);
      new Collector(heap);
    },
  },
];

const monitor: MisuseCase[] = [
  {
    package: '@refheap/monitor',
    input: 'tracemalloc.start(0)',
    error: 'PyValueError',
    run: () => new Tracemalloc(new Heap()).start(0),
  },
  {
    package: '@refheap/monitor',
    input: 'tracemalloc.takeSnapshot() while not tracing',
    error: 'PyRuntimeError',
    run: () => new Tracemalloc(new Heap()).takeSnapshot(),
  },
  {
    package: '@refheap/monitor',
    input: 'a second tracer started on a heap another tracer is tracing',
    error: 'PyRuntimeError',
    run: () => {
      const heap = new Heap();
      new Tracemalloc(heap).start();
      new Tracemalloc(heap).start();
    },
  },
  {
    package: '@refheap/monitor',
    input: 'snapshot.compareTo(a snapshot of another heap)',
    error: 'PyValueError',
    run: () => {
      const a = new Tracemalloc(new Heap());
      const b = new Tracemalloc(new Heap());
      a.start();
      b.start();
      a.takeSnapshot().compareTo(b.takeSnapshot(), 'lineno');
    },
  },
  {
    package: '@refheap/monitor',
    input: "new Filter(true, 123) (a pattern that is not a str)",
    error: 'PyTypeError',
    run: () => new Filter(true, 123 as unknown as string),
  },
];

const weakref: MisuseCase[] = [
  {
    package: '@refheap/weakref',
    input: 'weakref.ref(py.int(1)) (an int cannot be weakly referenced)',
    error: 'PyTypeError',
    run: () => ref(world().py.int(1)),
  },
  {
    package: '@refheap/weakref',
    input: 'weakref.proxy(py.list()) (a list cannot be weakly referenced)',
    error: 'PyTypeError',
    run: () => proxy(world().py.list()),
  },
  {
    package: '@refheap/weakref',
    input: 'reading an attribute through a proxy whose object has died',
    error: 'PyReferenceError',
    run: () => {
      const { py } = world();
      const obj = py.new(py.defineClass('Obj'), { x: 1 });
      const p = proxy(obj);
      obj.release();
      return p.x;
    },
  },
  {
    package: '@refheap/weakref',
    input: 'hash(wr) of a dead weak reference that was never hashed',
    error: 'PyTypeError',
    run: () => {
      const { py } = world();
      const obj = py.new(py.defineClass('Obj'));
      const wr = ref(obj);
      obj.release();
      return wr.hash();
    },
  },
  {
    package: '@refheap/weakref',
    input: 'weakref.finalize(py.int(1), fn) (an int cannot be weakly referenced)',
    error: 'PyTypeError',
    run: () => finalize(world().py.int(1), () => undefined),
  },
];

export const misuseCases: readonly MisuseCase[] = [...core, ...gc, ...monitor, ...weakref];
