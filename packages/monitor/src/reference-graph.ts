/**
 * The heap's references at one moment, both ways: what each object refers to
 * (`gc.get_referents`) and what refers to it (`gc.get_referrers`), in
 * compressed-row arrays built with two passes over the object table. It also
 * answers the question CPython's collector asks without a root set: an object
 * whose count is higher than the references the heap itself holds to it is
 * held from outside — by JavaScript code, a handle, an interning table, a type
 * registry. Those are the roots a leak hunt starts from.
 */
import type { Heap, Ref } from '@refheap/core';

export class ReferenceGraph {
  readonly heap: Heap;
  /** One past the highest object index when it was built. */
  readonly size: number;
  readonly #outStart: Int32Array;
  readonly #out: Int32Array;
  readonly #inStart: Int32Array;
  readonly #in: Int32Array;
  /** Per object: references to it from heap objects (a list holding it twice counts twice). */
  readonly #internal: Int32Array;
  readonly #alive: Uint8Array;

  constructor(heap: Heap) {
    this.heap = heap;
    const n = heap.highWater;
    this.size = n;
    const alive = new Uint8Array(n);
    const outStart = new Int32Array(n + 1);
    const internal = new Int32Array(n);
    let edges = 0;
    heap.forEachObject((ref) => {
      alive[ref] = 1;
      const count = heap.children(ref);
      const buffer = heap.childBuffer;
      for (let i = 0; i < count; i++) internal[buffer[i]!]!++;
      outStart[ref + 1] = count;
      edges += count;
    });
    for (let i = 0; i < n; i++) outStart[i + 1]! += outStart[i]!;
    const out = new Int32Array(edges);
    // Referrers: each source once per target, in index order (gc.get_referrers lists an object once).
    const inCount = new Int32Array(n + 1);
    heap.forEachObject((ref) => {
      const count = heap.children(ref);
      const buffer = heap.childBuffer;
      let at = outStart[ref]!;
      for (let i = 0; i < count; i++) out[at++] = buffer[i]!;
    });
    const seenFrom = new Int32Array(n).fill(-1);
    for (let ref = 1; ref < n; ref++) {
      if (!alive[ref]) continue;
      for (let e = outStart[ref]!; e < outStart[ref + 1]!; e++) {
        const target = out[e]!;
        if (seenFrom[target] === ref) continue;
        seenFrom[target] = ref;
        inCount[target + 1]!++;
      }
    }
    for (let i = 0; i < n; i++) inCount[i + 1]! += inCount[i]!;
    const inStart = inCount;
    const fill = inStart.slice(0, n);
    const incoming = new Int32Array(inStart[n]!);
    seenFrom.fill(-1);
    for (let ref = 1; ref < n; ref++) {
      if (!alive[ref]) continue;
      for (let e = outStart[ref]!; e < outStart[ref + 1]!; e++) {
        const target = out[e]!;
        if (seenFrom[target] === ref) continue;
        seenFrom[target] = ref;
        incoming[fill[target]!++] = ref;
      }
    }
    this.#outStart = outStart;
    this.#out = out;
    this.#inStart = inStart;
    this.#in = incoming;
    this.#internal = internal;
    this.#alive = alive;
  }

  /** Whether `ref` was a live object when the graph was built. */
  has(ref: Ref): boolean {
    return ref > 0 && ref < this.size && this.#alive[ref] === 1;
  }

  /** What `ref` refers to, in traversal order, repeats included (`gc.get_referents`). */
  referents(ref: Ref): Ref[] {
    if (!this.has(ref)) return [];
    return Array.from(this.#out.subarray(this.#outStart[ref], this.#outStart[ref + 1]));
  }

  /** The objects that refer to `ref`, each once, in index order (`gc.get_referrers`). */
  referrers(ref: Ref): Ref[] {
    if (!this.has(ref)) return [];
    return Array.from(this.#in.subarray(this.#inStart[ref], this.#inStart[ref + 1]));
  }

  /** References to `ref` held by heap objects. */
  internalReferences(ref: Ref): number {
    return this.has(ref) ? this.#internal[ref]! : 0;
  }

  /** References to `ref` from outside the heap: its count less the references objects hold. */
  externalReferences(ref: Ref): number {
    if (!this.has(ref)) return 0;
    return this.heap.refcount(ref) - this.#internal[ref]!;
  }

  /** Whether something outside the heap (JS code, a handle, an interning table) holds `ref`. */
  isExternallyHeld(ref: Ref): boolean {
    return this.externalReferences(ref) > 0;
  }

  /** Calls `visit` with every live object the graph knows, in index order. */
  forEach(visit: (ref: Ref) => void): void {
    for (let ref = 1; ref < this.size; ref++) if (this.#alive[ref]) visit(ref);
  }

  /**
   * Objects reachable from the externally held ones (`true`) and those that are not — garbage
   * that only a cycle collector can free. One byte per object index.
   */
  reachableFromExternal(): Uint8Array {
    const marked = new Uint8Array(this.size);
    const stack: number[] = [];
    this.forEach((ref) => {
      if (this.isExternallyHeld(ref)) {
        marked[ref] = 1;
        stack.push(ref);
      }
    });
    while (stack.length > 0) {
      const ref = stack.pop()!;
      for (let e = this.#outStart[ref]!; e < this.#outStart[ref + 1]!; e++) {
        const child = this.#out[e]!;
        if (marked[child] === 0) {
          marked[child] = 1;
          stack.push(child);
        }
      }
    }
    return marked;
  }
}
