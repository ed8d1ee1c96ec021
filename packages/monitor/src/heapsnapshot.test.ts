import { Handles, Heap, PyValueError, type Ref } from '@refheap/core';
import { parseSnapshot } from 'v8-heapsnapshot';
import { describe, expect, it } from 'vitest';
import { PyRuntimeError } from './errors.ts';
import { HEAP_SNAPSHOT_META, heapSnapshot, heapSnapshotChunks, heapSnapshotNodeId } from './heapsnapshot.ts';
import { here } from './test-support/here.ts';
import { Tracemalloc } from './tracemalloc.ts';

/** Root → external holder → a list held by JS → two Nodes in a cycle; a dict; a garbage cycle. */
function scene() {
  const heap = new Heap();
  const py = new Handles(heap);
  const Node = heap.defineClass('Node', { slots: ['other', 'name'] });
  const a = heap.newInstance(Node);
  const b = heap.newInstance(Node);
  heap.setSlot(a, 0, b);
  heap.setSlot(b, 0, a);
  const label = heap.newStr('hello world');
  heap.setSlot(a, 1, label);
  heap.decref(label);
  const list = heap.newList([a, b]);
  heap.decref(a);
  heap.decref(b);
  const config = py.dict({ answer: 42, pi: 3.5 });
  // A cycle nothing holds: garbage a collector would free.
  const x = heap.newList();
  const y = heap.newList([x]);
  heap.append(x, y);
  heap.decref(x);
  heap.decref(y);
  return { heap, py, Node, a, b, list, config, x, y };
}

describe('Chrome DevTools .heapsnapshot', () => {
  it('writes what a V8 snapshot parser from npm reads: nodes, edges and names where expected', async () => {
    const { heap, a, b, list, config, x, y } = scene();
    const text = heapSnapshot(heap);
    const warn: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warn.push(args);
    const errors: unknown[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    let snapshot;
    try {
      snapshot = await parseSnapshot(JSON.parse(text) as object);
    } finally {
      console.warn = original;
      console.error = originalError;
    }
    expect(warn).toEqual([]); // the meta matches V8's exactly
    expect(errors).toEqual([]);
    const node = (ref: number) => snapshot.findNodeById(heapSnapshotNodeId(ref))!;
    expect(snapshot.nodes[0]!.type).toBe('synthetic');
    expect(snapshot.nodes[0]!.name).toBe('');
    expect(node(a).name).toBe('Node');
    expect(node(a).type).toBe('object');
    expect(node(a).self_size).toBe(heap.sizeOf(a));
    const edge = (from: number, name: string | number) => node(from).out_edges.find((e) => e.name === name);
    expect(edge(a, 'other')!.to).toBe(node(b));
    expect(edge(a, 'other')!.type).toBe('property');
    expect(edge(b, 'other')!.to).toBe(node(a));
    expect(edge(a, 'name')!.to.type).toBe('string');
    expect(edge(a, 'name')!.to.name).toBe('hello world');
    expect(node(list).name).toBe('list');
    expect(edge(list, 0)!.type).toBe('element');
    expect(edge(list, 1)!.to).toBe(node(b));
    const answer = edge(config.ref, 'answer')!;
    expect(answer.type).toBe('property');
    expect(answer.to.type).toBe('number');
    expect(answer.to.name).toBe('42');
    // The list (held by JS) hangs under the external-references root and has a root shortcut.
    const holder = snapshot.nodes.find((n) => n.name === '(refheap external references)')!;
    expect(holder.out_edges.map((e) => e.to)).toContain(node(list));
    expect(holder.out_edges.map((e) => e.to)).not.toContain(node(a)); // held only by the list
    expect(snapshot.nodes[0]!.out_edges.filter((e) => e.type === 'shortcut').map((e) => e.to)).toContain(node(list));
    // Garbage stays visible, under its own holder.
    const garbage = snapshot.nodes.find((n) => n.name === '(refheap unreachable)')!;
    const reached = new Set(garbage.out_edges.map((e) => e.to));
    expect(reached.has(node(x)) || reached.has(node(y))).toBe(true);
    // Every node is reachable from the root.
    const seen = new Set([snapshot.nodes[0]]);
    const stack = [snapshot.nodes[0]!];
    while (stack.length) {
      for (const e of stack.pop()!.out_edges) {
        if (seen.has(e.to)) continue;
        seen.add(e.to);
        stack.push(e.to);
      }
    }
    expect(seen.size).toBe(snapshot.nodes.length);
    expect(snapshot.nodes.length).toBe(heap.liveObjects + 4);
  });

  it('follows the format rules: meta, counts, grouped edges, node-index targets, <dummy> first', () => {
    const { heap } = scene();
    const json = JSON.parse(heapSnapshot(heap, { chunkNodes: 3 })) as {
      snapshot: { meta: typeof HEAP_SNAPSHOT_META; node_count: number; edge_count: number; trace_function_count: number };
      nodes: number[];
      edges: number[];
      strings: string[];
      trace_function_infos: unknown[];
    };
    expect(json.snapshot.meta).toEqual(HEAP_SNAPSHOT_META);
    expect(json.nodes.length).toBe(json.snapshot.node_count * 7);
    expect(json.edges.length).toBe(json.snapshot.edge_count * 3);
    expect(json.snapshot.trace_function_count).toBe(0);
    expect(json.strings[0]).toBe('<dummy>');
    let edgeSum = 0;
    for (let i = 0; i < json.nodes.length; i += 7) edgeSum += json.nodes[i + 4]!;
    expect(edgeSum).toBe(json.snapshot.edge_count);
    for (let e = 0; e < json.edges.length; e += 3) {
      expect(json.edges[e + 2]! % 7).toBe(0);
      expect(json.edges[e + 2]!).toBeLessThan(json.nodes.length);
    }
    const ids = new Set<number>();
    for (let i = 0; i < json.nodes.length; i += 7) {
      expect(json.nodes[i + 2]! % 2).toBe(1); // odd ids, like V8's
      ids.add(json.nodes[i + 2]!);
    }
    expect(ids.size).toBe(json.snapshot.node_count);
  });

  it('streams in chunks and reports what it wrote', () => {
    const { heap } = scene();
    const chunks = heapSnapshotChunks(heap, { chunkNodes: 5 });
    let text = '';
    let step = chunks.next();
    let n = 0;
    while (!step.done) {
      text += step.value;
      n++;
      step = chunks.next();
    }
    expect(n).toBeGreaterThan(5);
    expect(step.value.nodes).toBe(heap.liveObjects + 4);
    expect(step.value.unreachable).toBe(2);
    expect(step.value.external).toBeGreaterThan(0);
    expect(text).toBe(heapSnapshot(heap));
  });
});

describe('DevTools opens it', () => {
  it("loads in Chrome DevTools' own heap snapshot loader, with no warnings and Python's classes", async () => {
    const { loadInDevTools } = await import('./test-support/devtools-loader.ts');
    const { heap, py } = scene();
    const { snapshot, warnings } = await loadInDevTools(heapSnapshot(heap));
    expect(warnings).toEqual([]); // e.g. no "N nodes are unreachable from the root"
    let total = 0;
    heap.forEachObject((r) => (total += heap.sizeOf(r)));
    expect(snapshot.totalSize).toBe(total);
    const classes = Object.values(snapshot.getAggregatesByClassKey(false, 'allObjects'));
    const byName = new Map(classes.map((c) => [c.name, c]));
    expect(byName.get('Node')?.count).toBe(2);
    expect(byName.get('list')?.count).toBe(3);
    expect(byName.get('dict')?.count).toBe(heap.liveCount(heap.types.dict));
    expect(byName.get('(string)')?.count).toBe(heap.liveCount(heap.types.str));
    expect(byName.get('(number)')?.count).toBe(heap.liveCount(heap.types.int) + heap.liveCount(heap.types.float));
    void py;
  }, 120_000);
});

/** A traced heap: a cache of Records made by loadRecords (through makeRecord), and a config dict made directly. */
function tracedScene() {
  const heap = new Heap();
  const Record = heap.defineClass('Record', { slots: ['value'] });
  const tracer = new Tracemalloc(heap);
  tracer.start(3);
  const lines: Record<string, number> = {};
  function makeRecord(): Ref {
    lines.makeRecord = here().lineno + 1;
    return heap.newInstance(Record);
  }
  function loadRecords(n: number): Ref {
    const cache = heap.newList();
    lines.loadRecords = here().lineno + 2;
    for (let i = 0; i < n; i++) {
      const r = makeRecord();
      heap.append(cache, r);
      heap.decref(r);
    }
    return cache;
  }
  const cache = loadRecords(5);
  lines.config = here().lineno + 1;
  const config = heap.newDict();
  return { heap, tracer, cache, config, lines, file: here().filename };
}

describe('allocation stacks in the snapshot', () => {
  it('DevTools shows the stack that allocated each traced object, and the sites with their counts', async () => {
    const { loadInDevTools } = await import('./test-support/devtools-loader.ts');
    const { heap, tracer, cache, config, lines, file } = tracedScene();
    const text = heapSnapshot(heap, { tracer });
    const { snapshot, warnings } = await loadInDevTools(text);
    expect(warnings).toEqual([]);
    const stackOf = (ref: Ref) => snapshot.allocationStack(snapshot.nodeIndexForId(heapSnapshotNodeId(ref))!);
    const record = heap.item(cache, 2);
    const stack = stackOf(record)!;
    // Innermost first, ending at the tree's (root); three frames kept, as tracemalloc.start(3).
    expect(stack.map((f) => f.functionName)).toEqual(['makeRecord', 'loadRecords', 'tracedScene', '(root)']);
    expect(stack[0]).toMatchObject({ scriptName: file, line: lines.makeRecord });
    expect(stack[1]).toMatchObject({ scriptName: file, line: lines.loadRecords });
    expect(stackOf(config)![0]).toMatchObject({ functionName: 'tracedScene', line: lines.config });
    expect(stackOf(heap.None)).toBeNull(); // allocated before tracing started
    // The Allocation view: makeRecord made five live Records of the instance's size.
    const site = snapshot.allocationTracesTops().find((t) => t.name === 'makeRecord')!;
    expect(site).toMatchObject({ scriptName: file, line: lines.makeRecord, count: 5, liveCount: 5 });
    expect(site.size).toBe(5 * (heap.sizeOf(record) - 4));
    expect(site.liveSize).toBe(5 * heap.sizeOf(record));
    tracer.stop();
  }, 120_000);

  it('keeps the format: trace_function_count, function records of six fields, a tree whose nodes the objects name', async () => {
    const { heap, tracer, cache } = tracedScene();
    const json = JSON.parse(heapSnapshot(heap, { tracer })) as {
      snapshot: { trace_function_count: number };
      nodes: number[];
      strings: string[];
      trace_function_infos: number[];
      trace_tree: unknown[];
    };
    expect(json.trace_function_infos.length).toBe(json.snapshot.trace_function_count * 6);
    expect(json.strings[json.trace_function_infos[1]!]).toBe('(root)');
    const ids = new Set<number>();
    const walk = (nodes: unknown[]): void => {
      for (let i = 0; i < nodes.length; i += 5) {
        ids.add(nodes[i] as number);
        expect(nodes[i + 1] as number).toBeLessThan(json.snapshot.trace_function_count);
        walk(nodes[i + 4] as unknown[]);
      }
    };
    walk(json.trace_tree);
    let traced = 0;
    for (let i = 0; i < json.nodes.length; i += 7) {
      const traceNode = json.nodes[i + 5]!;
      if (traceNode === 0) continue;
      traced++;
      expect(ids.has(traceNode)).toBe(true);
    }
    expect(traced).toBe(tracer.traceCount); // the five Records, the list and the dict
    expect(traced).toBe(7);
    // A V8 snapshot reader from npm still reads it without complaint.
    const warn: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warn.push(args);
    try {
      const parsed = await parseSnapshot(json as object);
      expect(parsed.findNodeById(heapSnapshotNodeId(cache))!.name).toBe('list');
    } finally {
      console.warn = original;
    }
    expect(warn).toEqual([]);
    tracer.stop();
  });

  it('rejects a tracer of another heap, and one that is not tracing', () => {
    const { heap, tracer } = tracedScene();
    const other = new Tracemalloc(new Heap());
    expect(() => heapSnapshot(heap, { tracer: other })).toThrow(PyValueError);
    expect(() => heapSnapshot(heap, { tracer: other })).toThrow(/the tracer traces another heap/);
    tracer.stop();
    expect(() => heapSnapshot(heap, { tracer })).toThrow(PyRuntimeError);
    expect(() => heapSnapshot(heap, { tracer })).toThrow('the tracemalloc module must be tracing memory allocations to take a snapshot');
  });
});
