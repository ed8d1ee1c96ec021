/**
 * The allocation sites of a `.heapsnapshot`: V8 writes them when a snapshot is
 * taken while allocations are being tracked (DevTools' "Allocation
 * instrumentation on timeline"), and DevTools then shows, for a selected
 * object, the stack that allocated it, and an Allocation view of the sites.
 * Ours come from the tracer: every traceback it holds becomes a path in the
 * trace tree, outermost frame first (V8's order, and a tracemalloc traceback's),
 * and each traced object points at the node of its allocating line.
 *
 * A node's count and size are the traced objects allocated there and alive now
 * (estimates, in sampling mode); V8's also count the freed ones, which
 * tracemalloc does not keep.
 */
import type { Ref } from '@refheap/core';
import type { Frame, Traceback } from './traceback.ts';
import type { Tracemalloc } from './tracemalloc.ts';

/** `trace_function_info_fields`: one record per distinct frame (function, file and line). */
const FUNCTION_INFO_FIELDS = 6;

interface TraceNode {
  readonly id: number;
  readonly functionInfo: number;
  count: number;
  size: number;
  readonly children: Map<string, TraceNode>;
}

/** Where each traced object was allocated, as the snapshot's trace tree. */
export class AllocationTraceTree {
  /** `[function_id, name, script_name, script_id, line, column]` per frame; record 0 is `(root)`. */
  readonly functionInfos: number[] = [];
  readonly #root: TraceNode;
  readonly #infoOf = new Map<string, number>();
  readonly #scriptIds = new Map<string, number>();
  readonly #leafOf = new Map<Traceback, number>();
  readonly #tracer: Tracemalloc;
  readonly #intern: (text: string) => number;
  #nextId = 1;

  /** `intern` puts a string in the snapshot's string table and returns its index. */
  constructor(tracer: Tracemalloc, intern: (text: string) => number) {
    this.#tracer = tracer;
    this.#intern = intern;
    this.#root = this.#newNode(this.#functionInfo('(root)', '', 0));
    for (const stat of tracer.takeSnapshot().statistics('traceback')) {
      const leaf = this.#path(stat.traceback);
      leaf.count += Math.round(stat.count);
      leaf.size += Math.round(stat.size);
    }
  }

  /** Distinct frames, `(root)` included: the snapshot's `trace_function_count`. */
  get functionCount(): number {
    return this.functionInfos.length / FUNCTION_INFO_FIELDS;
  }

  /** The trace node id of the line that allocated `ref`, or 0 when it was not traced. */
  traceNodeOf(ref: Ref): number {
    const traceback = this.#tracer.getObjectTraceback(ref);
    if (traceback === null) return 0;
    let id = this.#leafOf.get(traceback);
    if (id === undefined) {
      id = this.#path(traceback).id;
      this.#leafOf.set(traceback, id);
    }
    return id;
  }

  /** The tree as `trace_tree`'s nested arrays: `[id, function_info_index, count, size, [children…]]`. */
  toJSON(): unknown[] {
    // Depth is at most the traceback limit; breadth is unbounded, so no spreading into push().
    const write = (node: TraceNode): unknown[] => {
      const children: unknown[] = [];
      for (const child of node.children.values()) for (const field of write(child)) children.push(field);
      return [node.id, node.functionInfo, node.count, node.size, children];
    };
    return write(this.#root);
  }

  /** The node at the end of `traceback`'s path (made as needed), oldest frame nearest the root. */
  #path(traceback: Traceback): TraceNode {
    let node = this.#root;
    for (const frame of traceback) {
      const key = frameKey(frame);
      let child = node.children.get(key);
      if (child === undefined) {
        child = this.#newNode(this.#functionInfo(frame.functionName || '(anonymous)', frame.filename, frame.lineno));
        node.children.set(key, child);
      }
      node = child;
    }
    return node;
  }

  #newNode(functionInfo: number): TraceNode {
    return { id: this.#nextId++, functionInfo, count: 0, size: 0, children: new Map() };
  }

  /** Lines are 1-based and 0 means unknown, as V8 writes them; columns are not kept by the tracer. */
  #functionInfo(name: string, script: string, line: number): number {
    const key = `${name}\u0000${script}\u0000${line}`;
    let index = this.#infoOf.get(key);
    if (index === undefined) {
      index = this.functionCount;
      let scriptId = script === '' ? 0 : this.#scriptIds.get(script);
      if (scriptId === undefined) {
        scriptId = this.#scriptIds.size + 1;
        this.#scriptIds.set(script, scriptId);
      }
      this.functionInfos.push(index, this.#intern(name), this.#intern(script), scriptId, line, 0);
      this.#infoOf.set(key, index);
    }
    return index;
  }
}

function frameKey(frame: Frame): string {
  return `${frame.functionName}\u0000${frame.filename}\u0000${frame.lineno}`;
}
