/**
 * The scale scenarios: each builds a structure far past what people build by
 * hand, tears it down or collects it, and reports how long it took and what
 * it cost per object. They must finish without a stack overflow at any size;
 * `pnpm stress` runs them at full size, the tests at a reduced one.
 */
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Weakrefs } from '@refheap/weakref';

export interface ScaleResult {
  readonly scenario: string;
  readonly objects: number;
  readonly milliseconds: number;
  /** Bytes the heap's own columns and slot words take per live object, at the peak. */
  readonly bytesPerObject: number;
  /** Live objects once the scenario is over (what it started with, when all went well). */
  readonly liveAfter: number;
  readonly liveBefore: number;
  /** Bytes of storage the heap held (`Heap.reservedBytes`) before the build, at its peak, and after the teardown. */
  readonly reservedBefore: number;
  readonly reservedPeak: number;
  readonly reservedAfter: number;
}

export interface ScaleScenario {
  readonly name: string;
  readonly fullSize: number;
  run(n: number): ScaleResult;
}

function fresh(): { heap: Heap; gc: Collector } {
  const heap = new Heap({ initialCapacity: 1 << 16 });
  const gc = new Collector(heap, { enabled: false });
  return { heap, gc };
}

function measure(
  scenario: string,
  n: number,
  heap: Heap,
  liveBefore: number,
  build: () => number,
  teardown: () => void,
): ScaleResult {
  const reservedBefore = heap.reservedBytes;
  const started = performance.now();
  const probe = build();
  const bytesPerObject = heap.sizeOf(probe);
  const reservedPeak = heap.reservedBytes;
  teardown();
  return {
    scenario,
    objects: n,
    milliseconds: performance.now() - started,
    bytesPerObject,
    liveAfter: heap.liveObjects,
    liveBefore,
    reservedBefore,
    reservedPeak,
    reservedAfter: heap.reservedBytes,
  };
}

export const scaleScenarios: readonly ScaleScenario[] = [
  {
    name: 'live objects, then one full collection that frees nothing',
    fullSize: 10_000_000,
    run(n) {
      const { heap, gc } = fresh();
      const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
      const baseline = heap.liveObjects;
      const root = heap.newList();
      return measure(
        this.name,
        n,
        heap,
        baseline,
        () => {
          let probe = 0;
          for (let i = 0; i < n; i++) {
            const node = heap.newInstance(Node);
            heap.append(root, node);
            heap.decref(node);
            probe = node;
          }
          if (gc.collect() !== 0) throw new Error('a collection freed live objects');
          return probe;
        },
        () => heap.decref(root),
      );
    },
  },
  {
    name: 'a linked list freed by one release',
    fullSize: 10_000_000,
    run(n) {
      const { heap } = fresh();
      const Node = heap.defineClass('Node', { slots: ['next'] });
      const baseline = heap.liveObjects;
      let head = heap.newInstance(Node);
      return measure(
        this.name,
        n,
        heap,
        baseline,
        () => {
          for (let i = 1; i < n; i++) {
            const node = heap.newInstance(Node);
            heap.setSlot(node, 0, head);
            heap.decref(head);
            head = node;
          }
          return head;
        },
        () => heap.decref(head),
      );
    },
  },
  {
    name: 'a single cycle, found and freed by the collector',
    fullSize: 1_000_000,
    run(n) {
      const { heap, gc } = fresh();
      const Node = heap.defineClass('Node', { slots: ['next'] });
      const baseline = heap.liveObjects;
      const first = heap.newInstance(Node);
      let last = first;
      heap.incref(first);
      return measure(
        this.name,
        n,
        heap,
        baseline,
        () => {
          for (let i = 1; i < n; i++) {
            const node = heap.newInstance(Node);
            heap.setSlot(last, 0, node);
            heap.decref(last);
            last = node;
          }
          heap.setSlot(last, 0, first);
          heap.decref(last);
          return first;
        },
        () => {
          heap.decref(first);
          if (gc.collect() !== n) throw new Error('the cycle was not collected whole');
        },
      );
    },
  },
  {
    name: 'one list holding every object, freed by one release',
    fullSize: 1_000_000,
    run(n) {
      const { heap } = fresh();
      const Node = heap.defineClass('Node', { slots: ['a', 'b'] });
      const baseline = heap.liveObjects;
      const list = heap.newList();
      return measure(
        this.name,
        n,
        heap,
        baseline,
        () => {
          for (let i = 0; i < n; i++) {
            const node = heap.newInstance(Node);
            heap.append(list, node);
            heap.decref(node);
          }
          return heap.item(list, 0);
        },
        () => heap.decref(list),
      );
    },
  },
  {
    name: 'weak references to one object, every callback called once when it dies',
    fullSize: 100_000,
    run(n) {
      const { heap } = fresh();
      const weakrefs = Weakrefs.of(heap);
      const Target = heap.defineClass('Target', { slots: ['__weakref__'] });
      const baseline = heap.liveObjects;
      const target = heap.newInstance(Target);
      const refs = new Int32Array(n);
      const calls = new Uint8Array(n);
      let total = 0;
      let order = 0;
      return measure(
        this.name,
        n,
        heap,
        baseline,
        () => {
          for (let i = 0; i < n; i++) {
            refs[i] = weakrefs.ref(target, (wr) => {
              const index = weakrefs.dataOf(wr);
              calls[index] = calls[index]! + 1;
              total++;
              if (weakrefs.deref(wr) !== 0) throw new Error('a callback saw its object alive');
              order = index;
            }, i);
          }
          if (weakrefs.getWeakrefCount(target) !== n) throw new Error('a weak reference went missing');
          return refs[n - 1]!;
        },
        () => {
          heap.decref(target);
          if (total !== n || calls.some((c) => c !== 1)) throw new Error(`${total} callbacks for ${n} weak references`);
          if (n > 1 && order !== 0) throw new Error('the callbacks did not run newest first');
          for (let i = 0; i < n; i++) heap.decref(refs[i]!);
        },
      );
    },
  },
];
