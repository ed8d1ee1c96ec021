import { Handles, Heap, type Ref } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { ObjGraph, objgraph } from './objgraph.ts';
import { ReferenceGraph } from './reference-graph.ts';
import { renderDot } from './render.ts';

/** The seeds' LeakyContainer: a class-level cache that keeps every instance alive. */
function leakyContainer(): { heap: Heap; py: Handles; cls: Ref; cache: Ref } {
  const heap = new Heap();
  const py = new Handles(heap);
  const LeakyContainer = heap.defineClass('LeakyContainer');
  const cache = heap.newList();
  heap.setAttr(LeakyContainer.object, 'cache', cache); // class attribute: cache = []
  heap.decref(cache);
  // obj = LeakyContainer("test data"); __init__ appends self to the cache; del obj
  const obj = py.new(LeakyContainer, { data: 'test data' });
  heap.append(heap.getAttr(LeakyContainer.object, 'cache'), obj.ref);
  obj.release();
  return { heap, py, cls: LeakyContainer.object, cache };
}

describe('objgraph: counting', () => {
  it("most_common_types counts tracked objects and prints objgraph's table", () => {
    const heap = new Heap();
    const og = new ObjGraph(heap);
    const Node = heap.defineClass('Node', { slots: ['next'] });
    const keep: Ref[] = [];
    for (let i = 0; i < 3; i++) keep.push(heap.newInstance(Node));
    keep.push(heap.newList(), heap.newList());
    keep.push(heap.newInt(100_000)); // an int: not tracked, not counted (like gc.get_objects())
    const stats = og.mostCommonTypes();
    expect(stats[0]).toEqual(['Node', 3]);
    expect(stats.find(([n]) => n === 'list')).toEqual(['list', 2]);
    expect(stats.find(([n]) => n === 'int')).toBeUndefined();
    expect(og.mostCommonTypes({ limit: 1 })).toEqual([['Node', 3]]);
    const text = og.showMostCommonTypes({ limit: 2 });
    // '%-*s %i': names padded to the longest, one space, the count.
    expect(text).toBe('Node 3\nlist 2\n');
    expect(og.count('Node')).toBe(3);
    expect(og.count('int', og.allObjects())).toBeGreaterThan(0);
    expect(og.byType('Node')).toEqual(keep.slice(0, 3));
    expect(og.typestats({ filter: (r) => heap.typeOf(r).name === 'list' })).toEqual(new Map([['list', 2]]));
    expect(og.showMostCommonTypes({ objects: [] })).toBe('');
    for (const r of keep) heap.decref(r);
  });

  it("show_growth reports rises above the previous peak, in objgraph's '%-*s%9d %+9d' format", () => {
    const heap = new Heap();
    let collected = 0;
    const og = new ObjGraph(heap, { collect: () => collected++ });
    const Node = heap.defineClass('Node', { slots: ['next'] });
    og.growth(); // baseline
    const made = [heap.newInstance(Node), heap.newInstance(Node), heap.newList()];
    expect(og.showGrowth()).toBe('Node        2        +2\nlist        1        +1\n');
    expect(og.showGrowth()).toBe(''); // nothing new since the last call
    heap.decref(made.pop()!);
    made.push(heap.newList()); // back to the peak, not above it: objgraph's growth is peak-based
    expect(og.growth()).toEqual([]);
    made.push(heap.newList());
    expect(og.growth()).toEqual([['list', 2, 1]]);
    expect(collected).toBe(5); // gc.collect() before each growth
    const peaks = new Map<string, number>();
    expect(og.growth({ peakStats: peaks, limit: null }).map(([n]) => n).sort()).toEqual(['Node', 'list', 'type'].sort().filter((n) => peaks.has(n)));
    for (const r of made) heap.decref(r);
  });

  it('objgraph(heap) shares growth peaks like the module does', () => {
    const heap = new Heap();
    expect(objgraph(heap)).toBe(objgraph(heap));
  });
});

describe('objgraph: what keeps it alive', () => {
  it("finds the seeds' class-level cache: class → __dict__ → list → instance", () => {
    const { heap, cls } = leakyContainer();
    const og = new ObjGraph(heap);
    const [leaked] = og.byType('LeakyContainer');
    expect(leaked).toBeDefined();
    // gc.get_referrers(obj): the cache list.
    const graph = new ReferenceGraph(heap);
    const referrers = graph.referrers(leaked!);
    expect(referrers.map((r) => heap.typeOf(r).name)).toEqual(['list']);
    // Nothing outside the heap holds the instance: it is only kept by the cache.
    expect(graph.isExternallyHeld(leaked!)).toBe(false);
    const chain = og.findBackrefChain(leaked!);
    expect(chain.map((r) => heap.typeOf(r).name)).toEqual(['type', 'dict', 'list', 'LeakyContainer']);
    expect(chain[0]).toBe(cls);
    expect(chain.at(-1)).toBe(leaked);
    // find_ref_chain goes the other way.
    const forward = og.findRefChain(cls, (r) => r === leaked);
    expect(forward).toEqual(chain);
    // No chain within the depth: [obj], as objgraph returns.
    expect(og.findBackrefChain(leaked!, undefined, { maxDepth: 1 })).toEqual([leaked]);
    expect(og.findBackrefChain(leaked!, () => false)).toEqual([leaked]);
    // Ignoring the list cuts the chain.
    expect(og.findBackrefChain(leaked!, undefined, { extraIgnore: [referrers[0]!] })).toEqual([leaked]);
  });

  it('get_leaking_objects: tracked objects that no other object refers to', () => {
    const heap = new Heap();
    const og = new ObjGraph(heap);
    const root = heap.newList();
    const child = heap.newList();
    heap.append(root, child);
    heap.decref(child);
    const leaking = og.getLeakingObjects();
    expect(leaking).toContain(root);
    expect(leaking).not.toContain(child);
    expect(og.getLeakingObjects([root, child])).toEqual([root]);
    heap.decref(root);
  });

  it('a freed object is an error, not a silent empty chain', () => {
    const heap = new Heap();
    const og = new ObjGraph(heap);
    const x = heap.newList();
    heap.decref(x);
    expect(() => og.findBackrefChain(x)).toThrow(/freed/);
    expect(() => og.showRefs(x)).toThrow(/freed/);
  });

  it('at(id) finds a live object by id and returns null for a stale one', () => {
    const heap = new Heap();
    const og = new ObjGraph(heap);
    const x = heap.newList();
    const id = heap.id(x);
    expect(og.at(id)).toBe(x);
    heap.decref(x);
    expect(og.at(id)).toBeNull();
  });
});

describe('objgraph: pictures', () => {
  it("show_backrefs writes objgraph's DOT: red start node, labels, gradient fills, named edges", () => {
    const { heap, cls } = leakyContainer();
    const og = new ObjGraph(heap);
    const [leaked] = og.byType('LeakyContainer');
    const dot = og.showBackrefs(leaked!);
    const node = (r: Ref): string => `o${heap.id(r)}`;
    const lines = dot.split('\n');
    expect(lines[0]).toBe('digraph ObjectGraph {');
    expect(lines[1]).toBe('  node[shape=box, style=filled, fillcolor=white];');
    expect(lines[2]).toBe(`  ${node(leaked!)}[fontcolor=red];`);
    // objgraph cuts a repr at 40 characters.
    const repr = `<LeakyContainer object at ${heap.hexId(leaked!)}>`.slice(0, 40);
    expect(dot).toContain(`  ${node(leaked!)}[label="LeakyContainer\\n${repr}"];`);
    expect(dot).toContain(`  ${node(leaked!)}[fillcolor="0,0,1"];`);
    const cache = heap.getAttr(cls, 'cache');
    expect(dot).toContain(`  ${node(cache)} -> ${node(leaked!)};`);
    expect(dot).toContain(`  ${node(cache)}[label="list\\n1 items"];`);
    expect(dot).toContain(`  ${node(cache)}[fillcolor="0,0,0.766667"];`);
    const dict = heap.attributeDict(cls);
    expect(dot).toContain(`  ${node(dict)} -> ${node(cache)} [label="cache",weight=2];`);
    expect(dot).toContain(`  ${node(cls)} -> ${node(dict)} [label="__dict__",weight=10];`);
    expect(dot).toContain(`  ${node(cls)}[label="type\\nLeakyContainer"];`);
    expect(dot).toContain(`  ${node(cls)}[fillcolor="0,0,0.3"];\n  ${node(cls)}[fontcolor=white];`);
    expect(dot.endsWith('}\n')).toBe(true);
  });

  it('show_refs follows references, names slots, summarises too many, marks __del__ and highlights', () => {
    const heap = new Heap();
    const og = new ObjGraph(heap);
    const Node = heap.defineClass('Node', { slots: ['left', 'right'], finalize: () => undefined });
    const a = heap.newInstance(Node);
    const b = heap.newInstance(Node);
    heap.setSlot(a, 1, b);
    const big = heap.newList();
    for (let i = 0; i < 15; i++) heap.append(big, heap.None);
    heap.setSlot(b, 0, big);
    const dot = og.showRefs(a, { maxDepth: 5, tooMany: 10, highlight: (r) => r === b, refcounts: true, extraInfo: () => 'extra' });
    const node = (r: Ref): string => `o${heap.id(r)}`;
    expect(dot).toContain(`  ${node(a)} -> ${node(b)} [label="right",weight=2];`);
    expect(dot).toContain(`  ${node(b)} -> ${node(big)} [label="left",weight=2];`);
    expect(dot).toContain(`  ${node(big)}->too_many_${node(big)}[color=red,style=dotted,len=0.25,weight=10];`);
    expect(dot).toContain(`too_many_${node(big)}[label="5 more references"`);
    expect(dot).toContain(`  ${node(a)}->${node(a)}_has_a_del[color=red,style=dotted,len=0.25,weight=10];`);
    expect(dot).toContain(`  ${node(b)}[fillcolor="0.6,0.6,0.93"];`);
    expect(dot).toContain(`[label="Node [${heap.refcount(a)}]\\n<Node object at ${heap.hexId(a)}>\\nextra"]`); // 30 chars: not cut
    const chainDot = og.showChain([[a, b]], { backrefs: false });
    expect(chainDot).toContain(`${node(a)} -> ${node(b)}`);
    expect(chainDot).not.toContain(node(big) + ' ');
    heap.decref(b);
    heap.decref(big);
    heap.decref(a);
  });

  it('renders the DOT to SVG with Graphviz (@viz-js/viz)', async () => {
    const { heap } = leakyContainer();
    const og = new ObjGraph(heap);
    const [leaked] = og.byType('LeakyContainer');
    const svg = await renderDot(og.showBackrefs(leaked!));
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(svg).toContain('<title>ObjectGraph</title>');
    expect(svg).toContain('LeakyContainer');
    expect(svg).toContain('&lt;LeakyContainer object at');
    await expect(renderDot('digraph { a -> }')).rejects.toThrow(/Graphviz could not render/);
  }, 60_000);
});
