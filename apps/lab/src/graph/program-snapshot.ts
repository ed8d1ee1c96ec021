/**
 * The heap of a running Python program as a picture: module globals and each frame's locals are
 * the roots; objects with refcount, id (hex(id(obj)) as @refheap/python's id() gives it),
 * generation, unreachable/gc.garbage marks, references (attribute names / indexes / dict keys)
 * and weak references; holders that explain counts (classes, gc.garbage, weak containers'
 * internals) included; the heap's own objects (types, interned strings, builtins, modules) marked
 * `internal: true` so the view can hide them. Plain data (structured-clone-able).
 *
 * Which objects: everything the roots reach (walking through the program's objects, never into
 * the heap's own), gc.garbage's, what a collection would find unreachable, and objects held from
 * outside the heap (a for loop's iterator, a weakref callback the interpreter keeps) that the
 * interpreter's own objects do not reach. So an object missing from the next picture was freed.
 * The globals dict is the `globals` root, not a node (a class body's namespace is its frame's
 * root box, likewise), and a class's attribute dict is drawn as the class's own arrows. At most MAX_NODES of the program's objects (`omitted` counts the rest)
 * and MAX_EDGES arrows out of any one object (`omittedEdges`).
 *
 * `parts` are the collector and weak references the Python was made with (its public options):
 * the caller holds them (program/interpreter.ts makes them), so the picture never reaches into
 * the interpreter's internals for them. (Changed from the first contract's two arguments.)
 */
import type { Heap, Ref } from '@refheap/core';
import type { Collector } from '@refheap/gc';
import type { LineEvent, Python } from '@refheap/python';
import type { Weakrefs } from '@refheap/weakref';
import { className } from './heap-own.ts';
import { labelledReferences } from './labelled-references.ts';
import { MAX_EDGES, selectObjects } from './select-objects.ts';

export { MAX_EDGES };
import type { Generation, NodeRole, ProgramEdge, ProgramGraph, ProgramNode, RootGroup, RootName } from './program-graph.ts';
import { findUnreachable } from './unreachable.ts';

export type * from './program-graph.ts';
export { diffGraphs } from './graph-diff.ts';

/** The interpreter's frame as its line hook hands it over. */
type Frame = Parameters<LineEvent>[0];

export interface ProgramFrame {
  readonly name: string;
  readonly lineno: number;
  /** The Frame the line hook passed. */
  readonly frame: unknown;
}

export interface SnapshotParts {
  readonly collector: Collector;
  /** The weak references the Python was made with; without them no weak edges are drawn. */
  readonly weakrefs?: Weakrefs | undefined;
}

export const MAX_NODES = 150;
export const MAX_INTERNAL_NODES = 80;

function asFrame(frame: unknown, name: string): Frame {
  const f = frame as Partial<Frame> | null;
  if (!f || !Array.isArray(f.fast) || !f.code || !Array.isArray(f.code.varnames)) {
    throw new TypeError(`snapshotProgram: frame '${name}' is not a Frame from the line hook`);
  }
  return f as Frame;
}

const DUNDER = /^__.*__$/;

function shortRepr(text: string): string {
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

/** `<module 'gc'>`, from its `__name__`. */
function moduleName(heap: Heap, module: Ref): string {
  let name = '?';
  heap.forEachAttribute(module, (key, value) => {
    if (key === '__name__' && heap.kindOf(value) === 4) name = String(heap.valueOf(value));
  });
  return `<module '${name}'>`;
}

/** A container whose repr says something (`[1, 'a']`, not `[<Node object at 0x…>]`). */
function atomsOnly(heap: Heap, ref: Ref): boolean {
  let atoms = true;
  heap.traverse(ref, (child) => {
    if (heap.isContainer(child)) atoms = false;
  });
  return atoms;
}

function reprOf(heap: Heap, ref: Ref, role: NodeRole): string {
  const type = heap.typeOf(ref);
  if (role === 'class') return `<class '${className(heap, ref)}'>`;
  if (!type.isContainer) return shortRepr(heap.repr(ref));
  if (role === 'garbage-list') return 'gc.garbage';
  if (type.name === 'module') return moduleName(heap, ref);
  const kind = heap.kindOf(ref);
  if ((kind === 5 || kind === 6 || kind === 8) && heap.length(ref) <= 6 && atomsOnly(heap, ref)) return shortRepr(heap.repr(ref));
  if (role === 'function') {
    const shown = /^<function (\S+)/.exec(heap.repr(ref));
    return shown ? `${shown[1]}()` : '';
  }
  return '';
}

export function snapshotProgram(py: Python, frames: readonly ProgramFrame[], parts: SnapshotParts): ProgramGraph {
  const heap = py.heap;
  const { collector } = parts;
  if (collector.heap !== heap) throw new TypeError("snapshotProgram: the collector is not the Python's heap's; pass the one the Python was made with");
  const weakrefs = parts.weakrefs ?? null;
  const globals = py.globals;

  const generationOf = new Int8Array(heap.highWater).fill(-1);
  const tracked: Ref[] = [];
  for (const g of [0, 1, 2] as const) {
    for (const ref of collector.getObjects(g)) {
      generationOf[ref] = g;
      tracked.push(ref);
    }
  }
  const unreachable = findUnreachable(heap, tracked);
  const garbageList = collector.garbage;
  const garbage = new Set<Ref>();
  for (let i = 0; i < heap.length(garbageList); i++) garbage.add(heap.item(garbageList, i));

  // References from inside the heap, and from frames' fast locals: what is left of a count is held from outside.
  const inside = new Int32Array(heap.highWater);
  heap.forEachObject((ref) => {
    if (heap.isContainer(ref)) heap.traverse(ref, (child) => inside[child]!++);
  });

  // Roots.
  const roots: RootGroup[] = [];
  const rootTargets: Ref[] = [];
  const globalNames: RootName[] = [];
  heap.dictForEach(globals, (key, value) => {
    const name = String(heap.valueOf(key));
    globalNames.push({ name, target: heap.hexId(value), internal: DUNDER.test(name) });
    rootTargets.push(value);
  });
  roots.push({ id: 'root:globals', title: 'globals', lineno: null, kind: 'globals', names: globalNames });
  /** What the root boxes stand for: class bodies' namespaces, frame objects; never drawn as objects. */
  const namespaces: Ref[] = [];
  frames.forEach(({ name, lineno, frame: raw }, depth) => {
    const frame = asFrame(raw, name);
    if (frame.locals === globals) return; // the module's frame: its names are the globals
    if (frame.globals !== globals) return; // a library module's code (contextlib's): the interpreter's, not the program's
    const names: RootName[] = [];
    const bind = (local: string, value: Ref, fromJs: boolean): void => {
      if (value === 0) return;
      if (fromJs) inside[value]!++;
      names.push({ name: local, target: heap.hexId(value), internal: false });
      rootTargets.push(value);
    };
    const scope = frame.code.scope;
    const slotNames = [...frame.code.varnames, ...scope.cellvars, ...scope.freevars];
    // A frame with a frame object (a generator's, one a traceback holds) has its locals counted
    // by that object, which the root box stands for; otherwise the running frame holds them.
    if (frame.object !== 0) namespaces.push(frame.object);
    frame.fast.forEach((value, i) => bind(slotNames[i] ?? `#${i}`, value, frame.object === 0));
    if (frame.locals !== 0) {
      // A class body's namespace: its names are the frame's root box, as the module's are the globals.
      namespaces.push(frame.locals);
      heap.dictForEach(frame.locals, (key, value) => bind(String(heap.valueOf(key)), value, false));
    }
    roots.push({ id: `root:frame:${depth}`, title: name, lineno, kind: 'frame', names });
  });

  const { order, beyond, isOwn, isHidden } = selectObjects({
    heap,
    weakrefs,
    globals,
    rootObjects: namespaces,
    rootTargets,
    seeds: [...(garbage.size > 0 ? [garbageList] : []), ...unreachable],
    inside,
    garbageList,
  });

  // Draw the first MAX_NODES of the program's, and the heap's own they point at.
  const drawn = new Set<Ref>();
  let programNodes = 0;
  let internalNodes = 0;
  for (const ref of order) {
    const internal = isOwn(ref);
    if (internal ? internalNodes >= MAX_INTERNAL_NODES : programNodes >= MAX_NODES) continue;
    drawn.add(ref);
    if (internal) internalNodes++;
    else programNodes++;
  }
  let omitted = beyond;
  for (const ref of order) if (!isOwn(ref) && !drawn.has(ref)) omitted++;

  const id = (ref: Ref): string => heap.hexId(ref);
  const edges: ProgramEdge[] = [];
  const omittedEdges = new Map<Ref, number>();
  for (const ref of drawn) {
    if (isOwn(ref)) continue;
    // The same first MAX_EDGES references the selection followed.
    let index = 0;
    let left = 0;
    for (const [label, child] of labelledReferences(heap, ref)) {
      if (isHidden(child)) continue;
      if (index++ >= MAX_EDGES || !drawn.has(child)) {
        left++;
        continue;
      }
      edges.push({ from: id(ref), to: id(child), label, weak: false });
    }
    if (weakrefs?.isWeakref(ref)) {
      const referent = weakrefs.deref(ref);
      if (drawn.has(referent)) edges.push({ from: id(ref), to: id(referent), label: 'weak', weak: true });
    }
    if (left > 0) omittedEdges.set(ref, left);
  }

  const nodes = [...drawn].map((ref): ProgramNode => {
    const type = heap.typeOf(ref);
    const kind = heap.kindOf(ref);
    const role: NodeRole =
      ref === garbageList ? 'garbage-list'
      : kind === 10 ? 'class'
      : weakrefs?.isWeakref(ref) ? 'weakref'
      : type.name === 'function' ? 'function'
      : 'object';
    const generation: Generation = !type.isContainer
      ? 'atom'
      : generationOf[ref]! >= 0 ? (generationOf[ref] as 0 | 1 | 2)
      : heap.isTracked(ref) ? 'permanent'
      : 'untracked';
    return {
      id: id(ref),
      serial: heap.serialOf(ref),
      type: role === 'class' ? 'class' : type.name,
      repr: reprOf(heap, ref, role),
      refcount: heap.refcount(ref),
      generation,
      unreachable: unreachable.has(ref),
      inGarbage: garbage.has(ref),
      internal: isOwn(ref),
      role,
      heldElsewhere: Math.max(0, heap.refcount(ref) - inside[ref]!),
      omittedEdges: omittedEdges.get(ref) ?? 0,
    };
  });
  // Names bound to objects the picture does not hold (past the cap) keep their target id; the view shows them unlinked.
  return {
    roots,
    nodes,
    edges,
    omitted,
    gc: {
      enabled: collector.isEnabled(),
      count: collector.getCount(),
      threshold: collector.getThreshold(),
      garbage: garbage.size,
    },
    liveObjects: heap.liveObjects,
    heapBytes: heap.stats().bytes,
  };
}
