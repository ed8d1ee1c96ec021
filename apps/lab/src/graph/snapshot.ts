/**
 * A picture-ready description of a session's heap: the names, the objects the
 * scenario made (and the atoms they hold), the references between them with
 * their attribute names or indexes, each object's count, id, generation, and
 * whether a collection would find it unreachable. Plain data: the page draws
 * it, `window.__lab` exposes it to tests.
 */
import { Kind, NULL, type Ref } from '@refheap/core';
import type { Session } from '../session.ts';
import { findUnreachable } from './unreachable.ts';

/** Where the collector keeps an object. */
export type Generation = 0 | 1 | 2 | 'permanent' | 'untracked' | 'atom';

export interface GraphNode {
  /** `hex(id(obj))`: stable for the object's life. */
  readonly id: string;
  readonly type: string;
  readonly refcount: number;
  readonly generation: Generation;
  /** A full collection would find it unreachable now. */
  readonly unreachable: boolean;
  /** Held by gc.garbage (uncollectable under legacy finalizer rules). */
  readonly inGarbage: boolean;
  /** A short value for atoms and small containers. */
  readonly repr: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly weak: boolean;
}

export interface GraphName {
  readonly name: string;
  /** The id of the object the name is bound to. */
  readonly target: string;
}

export interface HeapGraph {
  readonly names: readonly GraphName[];
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly gc: {
    readonly enabled: boolean;
    readonly count: readonly number[];
    readonly threshold: readonly number[];
    readonly generationSizes: readonly number[];
    readonly garbage: number;
  };
  readonly liveObjects: number;
  readonly heapBytes: number;
}

/** Weak references the weakref package reports, as (weakref object, referent) pairs. */
export type WeakEdgeSource = (session: Session) => readonly (readonly [Ref, Ref])[];

const MAX_NODES = 120;

function shortRepr(session: Session, ref: Ref): string {
  const text = session.heap.repr(ref);
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

/** The references `ref` holds, each with a label: `.name`, `[i]`, `['key']`. */
function labelledChildren(session: Session, ref: Ref): [string, Ref][] {
  const { heap } = session;
  const type = heap.typeOf(ref);
  const out: [string, Ref][] = [];
  switch (type.kind) {
    case Kind.List:
    case Kind.Tuple:
      for (let i = 0; i < heap.length(ref); i++) out.push([`[${i}]`, heap.item(ref, i)]);
      return out;
    case Kind.Dict:
      heap.dictForEach(ref, (key, value) => {
        if (heap.isContainer(key)) out.push(['key', key]);
        out.push([`[${heap.repr(key)}]`, value]);
      });
      return out;
    case Kind.Instance: {
      const named: Ref[] = [];
      heap.forEachAttribute(ref, (name, value) => {
        out.push([`.${name}`, value]);
        named.push(value);
      });
      heap.traverse(ref, (child) => {
        const at = named.indexOf(child);
        if (at >= 0) named.splice(at, 1);
        else out.push(['', child]);
      });
      return out;
    }
    default:
      if (heap.isContainer(ref)) heap.traverse(ref, (child) => out.push(['', child]));
      return out;
  }
}

export function snapshotGraph(session: Session, weakEdges?: WeakEdgeSource): HeapGraph {
  const { heap, gc } = session;
  const generationOf = new Map<Ref, Generation>();
  const sizes = [0, 1, 2].map((g) => {
    const members = gc.getObjects(g);
    for (const ref of members) generationOf.set(ref, g as 0 | 1 | 2);
    return members.length;
  });
  const tracked = gc.getObjects();
  const unreachable = findUnreachable(heap, tracked);
  const garbage = new Set<Ref>();
  for (let i = 0; i < heap.length(gc.garbage); i++) garbage.add(heap.item(gc.garbage, i));

  // The objects to draw: what names hold, what the scenario made, what gc.garbage holds, and their referents.
  const chosen: Ref[] = [];
  const seen = new Set<Ref>();
  const add = (ref: Ref): void => {
    if (ref === NULL || seen.has(ref) || chosen.length >= MAX_NODES) return;
    const type = heap.typeOf(ref);
    if (type.kind === Kind.Type) return; // classes are the interpreter's furniture
    seen.add(ref);
    chosen.push(ref);
  };
  // Classes and what they hold (their attribute dicts, attribute-name strings) are furniture, not exhibits.
  const born = session.bornObjects();
  const furniture = new Set<Ref>();
  for (const ref of born) if (heap.typeOf(ref).kind === Kind.Type) heap.traverse(ref, (child) => furniture.add(child));
  for (const handle of session.names.values()) if (!handle.released) add(handle.ref);
  for (const ref of born) if (heap.isContainer(ref) && !furniture.has(ref)) add(ref);
  for (const ref of garbage) add(ref);
  const edges: GraphEdge[] = [];
  const id = (ref: Ref): string => heap.hexId(ref);
  for (let i = 0; i < chosen.length; i++) {
    const ref = chosen[i]!;
    if (!heap.isContainer(ref)) continue;
    for (const [label, child] of labelledChildren(session, ref)) {
      if (heap.typeOf(child).kind === Kind.Type) continue;
      add(child);
      if (seen.has(child)) edges.push({ from: id(ref), to: id(child), label, weak: false });
    }
  }
  for (const [weakref, referent] of weakEdges?.(session) ?? []) {
    // A weak reference to a drawn object is drawn too, even when only JS holds it (a cache's, a weak set's).
    if (seen.has(referent)) add(weakref);
    if (seen.has(weakref) && seen.has(referent)) edges.push({ from: id(weakref), to: id(referent), label: 'weak', weak: true });
  }
  const nodes = chosen.map((ref): GraphNode => {
    const type = heap.typeOf(ref);
    const generation: Generation = !type.isContainer
      ? 'atom'
      : (generationOf.get(ref) ?? (heap.isTracked(ref) ? 'permanent' : 'untracked'));
    return {
      id: id(ref),
      type: type.name,
      refcount: heap.refcount(ref),
      generation,
      unreachable: unreachable.has(ref),
      inGarbage: garbage.has(ref),
      repr: type.isContainer && type.kind !== Kind.List && type.kind !== Kind.Tuple ? '' : shortRepr(session, ref),
    };
  });
  const names = [...session.names].filter(([, h]) => !h.released).map(([name, h]) => ({ name, target: id(h.ref) }));
  return {
    names,
    nodes,
    edges,
    gc: {
      enabled: gc.isEnabled(),
      count: gc.getCount(),
      threshold: gc.getThreshold(),
      generationSizes: sizes,
      garbage: heap.length(gc.garbage),
    },
    liveObjects: heap.liveObjects,
    heapBytes: heap.stats().bytes,
  };
}
