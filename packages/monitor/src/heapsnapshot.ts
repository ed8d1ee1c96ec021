/**
 * The managed heap as a Chrome DevTools `.heapsnapshot`: the JSON V8 writes
 * (flat `nodes` and `edges` integer arrays described by `snapshot.meta`, and a
 * `strings` table), so DevTools' Memory panel, memlab and every other V8
 * snapshot reader open it. Python objects become `object` nodes named after
 * their type (`dict`, `list`, `Node`) so the Summary view groups them as
 * Python would; strs are `string`s, ints and floats `number`s, functions
 * `closure`s. List items are `element` edges, slots and dict entries `property`
 * edges. Everything an object outside the heap holds (a JavaScript handle, the
 * interning table) hangs under a synthetic `(refheap external references)`
 * root, and garbage that only a cycle collector can free under
 * `(refheap unreachable)`, so every node is reachable, as DevTools requires.
 *
 * Given the tracer that is tracing the heap, the snapshot also carries where
 * each traced object was allocated (`allocation-trace-tree.ts`).
 *
 * The text is produced in chunks (`heapSnapshotChunks`) so a large heap is
 * written as it is generated; `@refheap/monitor/node`'s `writeHeapSnapshot`
 * streams it to a file.
 */
import { Flag, type Heap, Kind, PyValueError, type Ref } from '@refheap/core';
import { AllocationTraceTree } from './allocation-trace-tree.ts';
import { ReferenceGraph } from './reference-graph.ts';
import type { Tracemalloc } from './tracemalloc.ts';

const NODE_TYPES = [
  'hidden',
  'array',
  'string',
  'object',
  'code',
  'closure',
  'regexp',
  'number',
  'native',
  'synthetic',
  'concatenated string',
  'sliced string',
  'symbol',
  'bigint',
  'object shape',
  'wasm object',
] as const;
const EDGE_TYPES = ['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'] as const;

type NodeType = (typeof NODE_TYPES)[number];
type EdgeType = (typeof EDGE_TYPES)[number];

const NODE_FIELDS = 7;

/** `snapshot.meta`'s shape. */
export interface HeapSnapshotMeta {
  readonly node_fields: readonly string[];
  readonly node_types: readonly (string | readonly string[])[];
  readonly edge_fields: readonly string[];
  readonly edge_types: readonly (string | readonly string[])[];
  readonly trace_function_info_fields: readonly string[];
  readonly trace_node_fields: readonly string[];
  readonly sample_fields: readonly string[];
  readonly location_fields: readonly string[];
}

/** `snapshot.meta` exactly as Node 20 writes it. */
export const HEAP_SNAPSHOT_META: HeapSnapshotMeta = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
  node_types: [[...NODE_TYPES], 'string', 'number', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [[...EDGE_TYPES], 'string_or_number', 'node'],
  trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
  trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
  sample_fields: ['timestamp_us', 'last_assigned_id'],
  location_fields: ['object_index', 'script_id', 'line', 'column'],
};

export interface HeapSnapshotOptions {
  /** Nodes per chunk of text. Default 10,000. */
  readonly chunkNodes?: number;
  /**
   * The tracer tracing this heap: each object it traced carries its allocation stack, which
   * DevTools shows under "Allocation stack" for a selected object of a file it opens as an
   * allocation timeline (`.heaptimeline`). It must be tracing (as for `takeSnapshot()`).
   */
  readonly tracer?: Tracemalloc;
}

/** The DevTools node id of a heap object: odd, like V8's, and stable for the object's life. */
export function heapSnapshotNodeId(ref: Ref): number {
  return 2 * (ref + 4) + 1;
}

const ROOT_ID = 1;
const GC_ROOTS_ID = 3;
const EXTERNAL_ID = 5;
const UNREACHABLE_ID = 7;

class StringTable {
  readonly strings: string[] = ['<dummy>'];
  readonly #index = new Map<string, number>([['<dummy>', 0]]);

  intern(text: string): number {
    let at = this.#index.get(text);
    if (at === undefined) {
      at = this.strings.length;
      this.strings.push(text);
      this.#index.set(text, at);
    }
    return at;
  }
}

/** What the snapshot holds, counted: for tests and progress reports. */
export interface HeapSnapshotSummary {
  readonly nodes: number;
  readonly edges: number;
  /** Objects held from outside the heap (children of `(refheap external references)`). */
  readonly external: number;
  /** Objects not reachable from those: garbage for a cycle collector. */
  readonly unreachable: number;
}

/** Builds the snapshot's arrays. */
class SnapshotBuilder {
  readonly strings = new StringTable();
  nodes: number[] = [];
  edges: number[] = [];
  readonly ordinal = new Map<Ref, number>();
  summary: HeapSnapshotSummary = { nodes: 0, edges: 0, external: 0, unreachable: 0 };
  readonly traces: AllocationTraceTree | null;

  constructor(
    readonly heap: Heap,
    tracer: Tracemalloc | undefined,
  ) {
    if (tracer !== undefined && tracer.heap !== heap) {
      throw new PyValueError(`the tracer traces another heap (heap tag ${tracer.heap.tag}, this heap is tag ${heap.tag})`);
    }
    this.traces = tracer === undefined ? null : new AllocationTraceTree(tracer, (text) => this.strings.intern(text));
  }

  #node(type: NodeType, name: string, id: number, selfSize: number, edgeCount: number, traceNodeId = 0): void {
    this.nodes.push(NODE_TYPES.indexOf(type), this.strings.intern(name), id, selfSize, edgeCount, traceNodeId, 0);
  }

  #edge(type: EdgeType, nameOrIndex: string | number, toOrdinal: number): void {
    const name = type === 'element' || type === 'hidden' ? (nameOrIndex as number) : this.strings.intern(String(nameOrIndex));
    this.edges.push(EDGE_TYPES.indexOf(type), name, toOrdinal * NODE_FIELDS);
  }

  build(): void {
    const heap = this.heap;
    const graph = new ReferenceGraph(heap);
    const objects: Ref[] = [];
    graph.forEach((ref) => objects.push(ref));
    const external = objects.filter((ref) => graph.isExternallyHeld(ref));
    // Garbage: pick representatives so that every unreachable object hangs under the holder.
    const marked = graph.reachableFromExternal();
    const representatives: Ref[] = [];
    let unreachable = 0;
    for (const ref of objects) {
      if (marked[ref]) continue;
      unreachable++;
      representatives.push(ref);
      const stack = [ref];
      marked[ref] = 1;
      while (stack.length > 0) {
        for (const child of graph.referents(stack.pop()!)) {
          if (!marked[child]) {
            marked[child] = 1;
            unreachable++;
            stack.push(child);
          }
        }
      }
    }
    const synthetic = representatives.length > 0 ? 4 : 3;
    objects.forEach((ref, i) => this.ordinal.set(ref, synthetic + i));
    const userRoots = external.filter((ref) => heap.isContainer(ref) && (heap.flags[ref]! & Flag.Immortal) === 0); // not the singletons

    // Root: (GC roots), shortcuts to the user roots, (refheap unreachable).
    this.#node('synthetic', '', ROOT_ID, 0, 1 + userRoots.length + (representatives.length > 0 ? 1 : 0));
    this.#edge('element', 1, 1);
    for (const ref of userRoots) this.#edge('shortcut', heap.hexId(ref), this.ordinal.get(ref)!);
    if (representatives.length > 0) this.#edge('hidden', 0, 3);
    this.#node('synthetic', '(GC roots)', GC_ROOTS_ID, 0, 1);
    this.#edge('element', 1, 2);
    this.#node('synthetic', '(refheap external references)', EXTERNAL_ID, 0, external.length);
    external.forEach((ref, i) => this.#edge('element', i, this.ordinal.get(ref)!));
    if (representatives.length > 0) {
      this.#node('synthetic', '(refheap unreachable)', UNREACHABLE_ID, 0, representatives.length);
      representatives.forEach((ref, i) => this.#edge('element', i, this.ordinal.get(ref)!));
    }
    for (const ref of objects) this.#object(ref, graph);
    this.summary = {
      nodes: this.nodes.length / NODE_FIELDS,
      edges: this.edges.length / 3,
      external: external.length,
      unreachable,
    };
  }

  #object(ref: Ref, graph: ReferenceGraph): void {
    const heap = this.heap;
    const type = heap.typeOf(ref);
    const id = heapSnapshotNodeId(ref);
    const size = heap.sizeOf(ref);
    const before = this.edges.length;
    const to = (child: Ref): number => this.ordinal.get(child)!;
    let nodeType: NodeType = 'object';
    let name = type.name;
    switch (type.kind) {
      case Kind.Str:
        nodeType = 'string';
        name = heap.valueOf(ref) as string;
        break;
      case Kind.Int:
      case Kind.Float:
        nodeType = 'number';
        name = heap.repr(ref);
        break;
      case Kind.Tuple:
      case Kind.List: {
        const n = heap.length(ref);
        for (let i = 0; i < n; i++) this.#edge('element', i, to(heap.item(ref, i)));
        break;
      }
      case Kind.Set: {
        let i = 0;
        heap.setForEach(ref, (item) => this.#edge('element', i++, to(item)));
        break;
      }
      case Kind.Dict:
        heap.dictForEach(ref, (key, value) => {
          const keyName = heap.kindOf(key) === Kind.Str ? (heap.valueOf(key) as string) : `[${[...heap.repr(key)].slice(0, 40).join('')}]`;
          this.#edge('property', keyName, to(value));
          this.#edge('internal', `(key ${keyName})`, to(key));
        });
        break;
      case Kind.Type:
        for (const child of graph.referents(ref)) this.#edge('property', '__dict__', to(child));
        break;
      case Kind.Function:
        nodeType = 'closure';
        name = heap.functionName(ref);
        for (const child of graph.referents(ref)) this.#edge('property', '__closure__', to(child));
        break;
      case Kind.Cell:
        for (const child of graph.referents(ref)) this.#edge('property', 'cell_contents', to(child));
        break;
      case Kind.Instance: {
        // Slots by name; what else traverse reports (an attribute dict, attribute values kept in
        // the instance, a native type's own references) has no name core exposes.
        const slotValues = new Map<Ref, string[]>();
        type.slots.forEach((slot, i) => {
          if (slot.kind !== 'object') return;
          const value = heap.getSlot(ref, i);
          if (value !== 0) slotValues.set(value, [...(slotValues.get(value) ?? []), slot.name]);
        });
        for (const child of graph.referents(ref)) {
          const names = slotValues.get(child);
          const slotName = names?.shift();
          if (slotName !== undefined) this.#edge('property', slotName, to(child));
          else this.#edge('internal', 'attribute', to(child));
        }
        break;
      }
      default:
        break;
    }
    const edgeCount = (this.edges.length - before) / 3;
    this.#node(nodeType, name, id, size, edgeCount, this.traces?.traceNodeOf(ref) ?? 0);
  }
}

function* arrayLines(values: readonly number[], fields: number, perChunk: number): Generator<string> {
  const rows = values.length / fields;
  for (let start = 0; start < rows; start += perChunk) {
    const end = Math.min(rows, start + perChunk);
    let text = '';
    for (let r = start; r < end; r++) {
      let row = r === 0 ? '' : ',\n';
      for (let f = 0; f < fields; f++) row += (f === 0 ? '' : ',') + String(values[r * fields + f]);
      text += row;
    }
    yield text;
  }
}

/** The snapshot as chunks of JSON text, in order. Build once, then stream. */
export function* heapSnapshotChunks(heap: Heap, options: HeapSnapshotOptions = {}): Generator<string, HeapSnapshotSummary> {
  const builder = new SnapshotBuilder(heap, options.tracer);
  builder.build();
  const traces = builder.traces;
  const perChunk = Math.max(1, options.chunkNodes ?? 10_000);
  const { nodes, edges } = builder;
  const snapshot = {
    meta: HEAP_SNAPSHOT_META,
    node_count: nodes.length / NODE_FIELDS,
    edge_count: edges.length / 3,
    trace_function_count: traces?.functionCount ?? 0,
  };
  yield `{"snapshot":${JSON.stringify(snapshot)},\n"nodes":[`;
  yield* arrayLines(nodes, NODE_FIELDS, perChunk);
  yield '],\n"edges":[';
  yield* arrayLines(edges, 3, perChunk * 4);
  yield `],\n"trace_function_infos":${JSON.stringify(traces?.functionInfos ?? [])},\n"trace_tree":${JSON.stringify(traces?.toJSON() ?? [])},\n"samples":[],\n"locations":[],\n"strings":[`;
  const strings = builder.strings.strings;
  for (let start = 0; start < strings.length; start += perChunk) {
    yield (start === 0 ? '' : ',\n') + strings.slice(start, start + perChunk).map((s) => JSON.stringify(s)).join(',\n');
  }
  yield ']}\n';
  return builder.summary;
}

/** The whole snapshot as one string (small heaps, browsers: offer it as a `.heapsnapshot` download). */
export function heapSnapshot(heap: Heap, options: HeapSnapshotOptions = {}): string {
  let text = '';
  for (const chunk of heapSnapshotChunks(heap, options)) text += chunk;
  return text;
}
