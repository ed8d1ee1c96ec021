import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Python } from '@refheap/python';
import { Weakrefs } from '@refheap/weakref';
import { diffGraphs, snapshotProgram, type ProgramGraph, type ProgramNode } from './program-snapshot.ts';
import { snapshotLines } from './test-support/snapshots.ts';

function snapshots(source: string): { graphs: ProgramGraph[]; stdout: string } {
  const { graphs, stdout, error } = snapshotLines(source);
  expect(error).toBeNull();
  return { graphs, stdout };
}

const snapshotAt = (source: string): ProgramGraph => snapshots(source).graphs[0]!;

function bound(graph: ProgramGraph, name: string, group = 'globals'): ProgramNode {
  const root = graph.roots.find((r) => r.title === group);
  const target = root?.names.find((n) => n.name === name)?.target;
  const node = graph.nodes.find((n) => n.id === target);
  if (!node) throw new Error(`${group}.${name} is not drawn`);
  return node;
}

const edgesFrom = (graph: ProgramGraph, id: string) => graph.edges.filter((e) => e.from === id);

/** What python3 prints for `source` (a program that prints counts). */
const cpython = (source: string): string => execFileSync('python3', ['-c', source], { encoding: 'utf8' });

describe('snapshotProgram', () => {
  const program = [
    'import sys, weakref, gc',
    'class Node:',
    '    cache = []',
    '    def __init__(self, name):',
    '        self.name = name',
    '        self.next = None',
    'a = Node("a")',
    'b = Node("b")',
    'a.next = b',
    'b.next = a',
    'Node.cache.append(a)',
    'd = {"k": a, "long key here": [3.5]}',
    'w = weakref.ref(b)',
    'vd = weakref.WeakValueDictionary()',
    'vd["x"] = b',
    'c1 = []',
    'c2 = [c1]',
    'c1.append(c2)',
    'del c1, c2',
    'print(hex(id(a)), hex(id(Node.cache)))',
  ];
  const counts = ['a', 'b', 'Node', 'Node.cache', 'd', 'w', 'vd'].map((e) => `print(sys.getrefcount(${e}) - 1)`).join('\n');
  const source = [...program, 'pass  # snap', counts, ''].join('\n');

  it('draws names, objects and counts as python3 counts them', () => {
    const { graphs, stdout } = snapshots(source);
    const graph = graphs[0]!;
    const [ids, ...rest] = stdout.trim().split('\n');
    const nodes = ['a', 'b', 'Node', null, 'd', 'w', 'vd'].map((name) =>
      name === null ? graph.nodes.find((n) => n.id === ids!.split(' ')[1])! : bound(graph, name),
    );
    // The refcounts of the picture are the ones the program's getrefcount reports, and python3's.
    expect(nodes.map((n) => String(n.refcount))).toEqual(rest);
    // python3 agrees, but for the class: CPython's also counts its __mro__ tuple and its __dict__ and
    // __weakref__ descriptors, which refheap-python's classes do not have (6 against 4).
    const cpythonCounts = cpython([...program, counts].join('\n')).trim().split('\n').slice(1);
    expect(cpythonCounts.filter((_, i) => i !== 2)).toEqual(rest.filter((_, i) => i !== 2));
    expect([cpythonCounts[2], rest[2]]).toEqual(['6', '4']);
    // Ids are hex(id(obj)) as the program prints it.
    expect(bound(graph, 'a').id).toBe(ids!.split(' ')[0]);
  });

  it('labels references by attribute, index and key, and draws the class holding its list', () => {
    const graph = snapshotAt(source);
    const a = bound(graph, 'a');
    const b = bound(graph, 'b');
    const cls = bound(graph, 'Node');
    expect(cls).toMatchObject({ role: 'class', repr: "<class 'Node'>", internal: false });
    expect(edgesFrom(graph, a.id)).toEqual(
      expect.arrayContaining([
        { from: a.id, to: b.id, label: '.next', weak: false },
        { from: a.id, to: cls.id, label: '__class__', weak: false },
      ]),
    );
    const cache = edgesFrom(graph, cls.id).find((e) => e.label === '.cache')!;
    expect(edgesFrom(graph, cache.to)).toEqual([{ from: cache.to, to: a.id, label: '[0]', weak: false }]);
    const d = bound(graph, 'd');
    expect(edgesFrom(graph, d.id).map((e) => e.label)).toEqual(["['k']", "['long key here']"]);
    // Every strong arrow into a is one unit of its count: names a, d['k'], cache[0], b.next.
    const into = graph.edges.filter((e) => e.to === a.id && !e.weak).length;
    const names = graph.roots.flatMap((r) => r.names).filter((n) => n.target === a.id).length;
    expect(into + names + a.heldElsewhere).toBe(a.refcount);
  });

  it('draws weak references dashed, and a weak container\'s internals', () => {
    const graph = snapshotAt(source);
    const b = bound(graph, 'b');
    const w = bound(graph, 'w');
    expect(w.role).toBe('weakref');
    expect(edgesFrom(graph, w.id)).toContainEqual({ from: w.id, to: b.id, label: 'weak', weak: true });
    const vd = bound(graph, 'vd');
    const data = edgesFrom(graph, vd.id).find((e) => e.label === '.data')!;
    const entry = edgesFrom(graph, data.to).find((e) => e.label === "['x']")!;
    expect(edgesFrom(graph, entry.to)).toContainEqual({ from: entry.to, to: b.id, label: 'weak', weak: true });
  });

  it('marks an unreachable cycle red and the heap\'s own objects internal', () => {
    const graph = snapshotAt(source);
    const lost = graph.nodes.filter((n) => n.unreachable);
    expect(lost.map((n) => n.type)).toEqual(['list', 'list']);
    expect(bound(graph, 'a').unreachable).toBe(false);
    const gcModule = bound(graph, 'gc');
    expect(gcModule).toMatchObject({ type: 'module', internal: true });
    const name = graph.nodes.find((n) => n.repr === "'a'")!;
    expect(name.internal).toBe(true); // an interned str
    expect(graph.roots[0]!.names.find((n) => n.name === '__name__')!.internal).toBe(true);
  });

  it('has each frame\'s locals as a root, and what the running code holds', () => {
    const graph = snapshotAt(['def f(x):', '    y = [x, 1]', '    for item in y:', '        pass  # snap', 'f([7])', ''].join('\n'));
    const frame = graph.roots.find((r) => r.kind === 'frame')!;
    expect(frame).toMatchObject({ title: 'f', lineno: 4 });
    expect(frame.names.map((n) => n.name)).toEqual(['x', 'y', 'item']);
    const y = bound(graph, 'y', 'f');
    // The loop's iterator holds y: drawn, with the count the running loop gives it.
    const iterator = graph.nodes.find((n) => n.type === 'list_iterator')!;
    expect(iterator.heldElsewhere).toBe(1);
    expect(graph.edges).toContainEqual({ from: iterator.id, to: y.id, label: '.seq', weak: false });
    expect(y.refcount).toBe(2);
  });

  it('draws gc.garbage and what it holds', () => {
    const graph = snapshotAt(['import gc', 'gc.set_debug(gc.DEBUG_SAVEALL)', 'x = []', 'x.append(x)', 'del x', 'gc.collect()', 'pass  # snap', ''].join('\n'));
    const list = graph.nodes.find((n) => n.role === 'garbage-list')!;
    const held = graph.nodes.find((n) => n.inGarbage)!;
    expect(list.repr).toBe('gc.garbage');
    expect(graph.edges).toContainEqual({ from: list.id, to: held.id, label: '[0]', weak: false });
    expect(graph.gc.garbage).toBe(1);
  });

  it('caps the picture, saying how many objects it leaves out', () => {
    const graph = snapshotAt(['xs = [[None] for i in range(400)]', 'pass  # snap', ''].join('\n'));
    const xs = bound(graph, 'xs');
    // A list's first 40 items are drawn and followed; the rest counted, never drawn unlinked.
    expect(xs.omittedEdges).toBe(400 - 40);
    expect(graph.nodes.filter((n) => !n.internal)).toHaveLength(41);
    expect(graph.omitted).toBe(400 - 40);
    // At most 150 of the program's objects, each with the arrow that reached it.
    const wide = snapshotAt(['xs = [[[None] for j in range(30)] for i in range(10)]', 'pass  # snap', ''].join('\n'));
    const drawn = wide.nodes.filter((n) => !n.internal);
    expect(drawn).toHaveLength(150);
    expect(wide.omitted).toBe(1 + 10 + 300 - 150);
    const pointedAt = new Set([...wide.edges.map((e) => e.to), ...wide.roots.flatMap((r) => r.names.map((n) => n.target))]);
    expect(drawn.filter((n) => !pointedAt.has(n.id))).toEqual([]);
  });

  it('is plain data', () => {
    const graph = snapshotAt(source);
    expect(structuredClone(graph)).toEqual(graph);
  });
});

describe('diffGraphs', () => {
  it('tells new, freed and changed objects apart', () => {
    const { graphs } = snapshots(['a = [1]', 'b = a  # snap', 'c = {}  # snap', 'del a, b  # snap', 'pass  # snap', ''].join('\n'));
    const [g0, g1, g2, g3] = graphs as [ProgramGraph, ProgramGraph, ProgramGraph, ProgramGraph];
    const a = bound(g0, 'a');
    expect(diffGraphs(null, g0).added).toContain(a.id);
    expect(diffGraphs(g0, g1).changed).toEqual([{ id: a.id, from: 1, to: 2 }]);
    const c = bound(g2, 'c');
    expect(diffGraphs(g1, g2)).toEqual({ added: [c.id], freed: [], changed: [] });
    expect(diffGraphs(g2, g3).freed).toEqual([{ id: a.id, type: 'list', repr: '[1]' }]);
  });
});

describe('a class\'s dict', () => {
  it('is the class\'s own arrows until something else holds it, then a node of its own', () => {
    const source = [
      'import gc',
      'class Leaky:',
      '    cache = []',
      'x = Leaky()',
      'Leaky.cache.append(x)',
      'pass  # snap',
      'holders = [r for r in gc.get_referrers(Leaky.cache) if isinstance(r, dict)]',
      'pass  # snap',
      '',
    ].join('\n');
    const [before, after] = snapshots(source).graphs as [ProgramGraph, ProgramGraph];
    const cls = bound(before, 'Leaky');
    const cache = edgesFrom(before, cls.id).find((e) => e.label === '.cache')!;
    expect(before.nodes.some((n) => n.type === 'dict')).toBe(false);
    const held = edgesFrom(after, bound(after, 'holders').id)[0]!;
    expect(edgesFrom(after, cls.id).filter((e) => e.label !== '__class__')).toEqual([{ from: cls.id, to: held.to, label: '__dict__', weak: false }]);
    expect(edgesFrom(after, held.to)).toContainEqual({ from: held.to, to: cache.to, label: "['cache']", weak: false });
    expect(after.nodes.find((n) => n.id === held.to)!.refcount).toBe(2);
  });
});

describe('the code\'s metadata', () => {
  it('counts a function\'s docstring as the code\'s, not the program\'s', () => {
    const graph = snapshotAt(['def f():', '    """Makes a list, as it says."""', '    return []', 'pass  # snap', ''].join('\n'));
    const doc = graph.nodes.find((n) => n.repr === "'Makes a list, as it says.'")!;
    expect(doc.internal).toBe(true);
    expect(graph.edges).toContainEqual({ from: bound(graph, 'f').id, to: doc.id, label: '.__doc__', weak: false });
  });
});

describe('the parts the Python was made with', () => {
  const made = () => {
    const heap = new Heap();
    const collector = new Collector(heap);
    const weakrefs = new Weakrefs(heap);
    return { py: new Python({ heap, collector, weakrefs }), collector, weakrefs };
  };

  it('reads the collector and weak references it is handed', () => {
    const { py, collector, weakrefs } = made();
    py.run('import weakref\nclass A:\n    pass\na = A()\nw = weakref.ref(a)\n', { filename: 'parts.py' });
    const graph = snapshotProgram(py, [], { collector, weakrefs });
    expect(graph.edges).toContainEqual({ from: bound(graph, 'w').id, to: bound(graph, 'a').id, label: 'weak', weak: true });
    expect(graph.gc.threshold).toEqual([700, 10, 10]);
    // Without the weak references, no weak edge: nothing is read from the interpreter's insides.
    expect(snapshotProgram(py, [], { collector }).edges.filter((e) => e.weak)).toEqual([]);
  });

  it('refuses a collector of another heap', () => {
    const { py } = made();
    expect(() => snapshotProgram(py, [], { collector: new Collector(new Heap()) })).toThrow("snapshotProgram: the collector is not the Python's heap's");
  });

  it('refuses a frame that is not the line hook\'s', () => {
    const { py, collector } = made();
    expect(() => snapshotProgram(py, [{ name: 'f', lineno: 1, frame: {} }], { collector })).toThrow("snapshotProgram: frame 'f' is not a Frame from the line hook");
  });
});
