/**
 * objgraph's leak-finding tools on a refheap heap: type counts and their
 * growth since the last call, objects of a type, objects nothing refers to,
 * the shortest chain of referrers from a root to an object, and reference
 * graphs as Graphviz DOT in objgraph's own style (render them to SVG with
 * `renderDot`). Python's objgraph walks `gc.get_objects()`; so do we by
 * default — the objects a collector tracks, not ints and strs — and we know
 * one thing it cannot: which objects are held from outside the heap, the
 * natural end of a back-reference chain.
 */
import { type Heap, Kind, type Ref, StaleIdError } from '@refheap/core';
import { padRight, pyG, signed } from './pyformat.ts';
import { ReferenceGraph } from './reference-graph.ts';

/** Which objects to look at: explicit refs, or (the default) every object a collector tracks. */
export type ObjectSet = Iterable<Ref>;

/** `objgraph`'s common options. */
export interface TypeStatsOptions {
  /** The objects to count; by default every tracked object (`gc.get_objects()`). */
  readonly objects?: ObjectSet;
  /** Only objects for which this returns true. */
  readonly filter?: (ref: Ref) => boolean;
}

export interface LimitOptions extends TypeStatsOptions {
  /** At most this many rows (0 or null: all of them). Default 10. */
  readonly limit?: number | null;
}

export interface GrowthOptions extends LimitOptions {
  /** Peak counts to compare with and update; by default this ObjGraph's own, kept across calls. */
  readonly peakStats?: Map<string, number>;
}

export interface ChainOptions {
  /** Longest chain searched. Default 20. */
  readonly maxDepth?: number;
  /** Objects never to pass through. */
  readonly extraIgnore?: Iterable<Ref>;
}

/** `show_refs` / `show_backrefs` options, objgraph's names in camelCase. */
export interface GraphOptions {
  /** Default 3. */
  readonly maxDepth?: number;
  readonly extraIgnore?: Iterable<Ref>;
  /** Only draw neighbours for which this is true. */
  readonly filter?: (ref: Ref) => boolean;
  /** Neighbours drawn per object before the rest are summarised as "N more references". Default 10. */
  readonly tooMany?: number;
  /** Objects drawn in blue. */
  readonly highlight?: (ref: Ref) => boolean;
  /** A third label line per object. */
  readonly extraInfo?: (ref: Ref) => string;
  /** Show each object's reference count after its type name. */
  readonly refcounts?: boolean;
  /** Do not expand past objects for which this is true (objgraph stops back-references at modules). */
  readonly cull?: (ref: Ref) => boolean;
  /** More Graphviz attributes per node. */
  readonly extraNodeAttrs?: (ref: Ref) => Record<string, string | undefined>;
}

export interface ObjGraphOptions {
  /**
   * Called before growth counts, leaking objects and chains, as objgraph calls `gc.collect()`:
   * pass `() => collector.collect()` when a collector is installed.
   */
  readonly collect?: () => unknown;
}

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z_0-9]*$/;

/** objgraph's `_quote`. */
function quote(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\0/g, '\\\\0');
}

/** objgraph's `_gradient`. */
function gradient(start: readonly [number, number, number], end: readonly [number, number, number], depth: number, maxDepth: number): [number, number, number] {
  if (maxDepth === 0) return [...start];
  const f = depth / maxDepth;
  return [start[0] * (1 - f) + end[0] * f, start[1] * (1 - f) + end[1] * f, start[2] * (1 - f) + end[2] * f];
}

/** objgraph's tools bound to one heap. */
export class ObjGraph {
  readonly heap: Heap;
  readonly #collect: (() => unknown) | undefined;
  readonly #peakStats = new Map<string, number>();

  constructor(heap: Heap, options: ObjGraphOptions = {}) {
    this.heap = heap;
    this.#collect = options.collect;
  }

  /** The short type name objgraph shows: `dict`, `list`, `Node`. */
  typeName(ref: Ref): string {
    return this.heap.typeOf(ref).name;
  }

  /** Every object a collector tracks (`gc.get_objects()`), in index order; borrowed. */
  trackedObjects(): Ref[] {
    const out: Ref[] = [];
    const heap = this.heap;
    heap.forEachObject((ref) => {
      if (heap.isTracked(ref)) out.push(ref);
    });
    return out;
  }

  /** Every live object, atoms included; borrowed. */
  allObjects(): Ref[] {
    const out: Ref[] = [];
    this.heap.forEachObject((ref) => out.push(ref));
    return out;
  }

  #objects(objects: ObjectSet | undefined): Iterable<Ref> {
    return objects ?? this.trackedObjects();
  }

  /** `objgraph.count(typename, objects=None)`. */
  count(typename: string, objects?: ObjectSet): number {
    let n = 0;
    for (const ref of this.#objects(objects)) if (this.typeName(ref) === typename) n++;
    return n;
  }

  /** `objgraph.typestats()`: instances per type name, in the order types are first met. */
  typestats(options: TypeStatsOptions = {}): Map<string, number> {
    const stats = new Map<string, number>();
    for (const ref of this.#objects(options.objects)) {
      if (options.filter && !options.filter(ref)) continue;
      const name = this.typeName(ref);
      stats.set(name, (stats.get(name) ?? 0) + 1);
    }
    return stats;
  }

  /** `objgraph.most_common_types(limit=10)`: `[name, count]`, most frequent first. */
  mostCommonTypes(options: LimitOptions = {}): [string, number][] {
    const limit = options.limit === undefined ? 10 : options.limit;
    const stats = [...this.typestats(options)].sort((a, b) => b[1] - a[1]);
    return limit ? stats.slice(0, limit) : stats;
  }

  /** `objgraph.show_most_common_types()`: the table it prints (`'%-*s %i'` per line). */
  showMostCommonTypes(options: LimitOptions = {}): string {
    const stats = this.mostCommonTypes(options);
    if (stats.length === 0) return '';
    const width = Math.max(...stats.map(([name]) => name.length));
    return stats.map(([name, count]) => `${padRight(name, width)} ${count}\n`).join('');
  }

  /**
   * `objgraph.growth()`: types whose count rose above its previous peak since the last call,
   * as `[name, count, delta]`, biggest rise first. Calls the `collect` option first.
   */
  growth(options: GrowthOptions = {}): [string, number, number][] {
    this.#collect?.();
    const limit = options.limit === undefined ? 10 : options.limit;
    const peak = options.peakStats ?? this.#peakStats;
    const stats = this.typestats(options);
    const deltas: [string, number][] = [];
    for (const [name, count] of stats) {
      const old = peak.get(name) ?? 0;
      if (count > old) {
        deltas.push([name, count - old]);
        peak.set(name, count);
      }
    }
    deltas.sort((a, b) => b[1] - a[1]);
    const kept = limit ? deltas.slice(0, limit) : deltas;
    return kept.map(([name, delta]) => [name, stats.get(name)!, delta]);
  }

  /** `objgraph.show_growth()`: `'%-*s%9d %+9d'` per line, or '' when nothing grew. */
  showGrowth(options: GrowthOptions = {}): string {
    const result = this.growth(options);
    if (result.length === 0) return '';
    const width = Math.max(...result.map(([name]) => name.length));
    return result
      .map(([name, count, delta]) => `${padRight(name, width)}${String(count).padStart(9)} ${signed(delta).padStart(9)}\n`)
      .join('');
  }

  /** Forgets the peaks `growth` compares with. */
  resetGrowth(): void {
    this.#peakStats.clear();
  }

  /** `objgraph.by_type(typename)`: the objects of that type (borrowed references). */
  byType(typename: string, objects?: ObjectSet): Ref[] {
    const out: Ref[] = [];
    for (const ref of this.#objects(objects)) if (this.typeName(ref) === typename) out.push(ref);
    return out;
  }

  /** `objgraph.at(addr)`: the live object with this id, or null. */
  at(id: number): Ref | null {
    try {
      return this.heap.objectAt(id);
    } catch (error) {
      if (error instanceof StaleIdError) return null;
      throw error;
    }
  }

  /**
   * `objgraph.get_leaking_objects()`: of `objects` (default: tracked objects), those that no
   * object in the set refers to. With a collector they are what `collect` could not explain;
   * without one, they are the roots JavaScript code holds and the garbage nothing does.
   */
  getLeakingObjects(objects?: ObjectSet): Ref[] {
    if (objects === undefined) this.#collect?.();
    const list = [...this.#objects(objects)];
    const graph = new ReferenceGraph(this.heap);
    const candidates = new Set(list);
    for (const ref of list) for (const child of graph.referents(ref)) candidates.delete(child);
    return list.filter((ref) => candidates.has(ref));
  }

  /** A fresh picture of the heap's references (both directions), for several queries at once. */
  referenceGraph(): ReferenceGraph {
    return new ReferenceGraph(this.heap);
  }

  /**
   * `objgraph.find_backref_chain(obj, predicate, max_depth=20)`: the shortest chain of
   * references from an object matching `predicate` to `obj`, root first; `[obj]` when none is
   * found. The default predicate is "held from outside the heap" (other than `obj` itself): the
   * chain then answers "what keeps this alive?".
   */
  findBackrefChain(obj: Ref, predicate?: (ref: Ref) => boolean, options: ChainOptions = {}): Ref[] {
    this.heap.refcount(obj);
    this.#collect?.();
    const graph = new ReferenceGraph(this.heap);
    const test = predicate ?? ((ref: Ref) => ref !== obj && graph.isExternallyHeld(ref));
    return this.#findChain(obj, test, (ref) => graph.referrers(ref), options);
  }

  /** `objgraph.find_ref_chain(obj, predicate)`: the shortest chain from `obj` to a matching object, `obj` first. */
  findRefChain(obj: Ref, predicate: (ref: Ref) => boolean, options: ChainOptions = {}): Ref[] {
    this.heap.refcount(obj);
    this.#collect?.();
    const graph = new ReferenceGraph(this.heap);
    return this.#findChain(obj, predicate, (ref) => graph.referents(ref), options).reverse();
  }

  /** objgraph's `_find_chain`: BFS; returns the chain from the match back to `obj`. */
  #findChain(obj: Ref, predicate: (ref: Ref) => boolean, edges: (ref: Ref) => Ref[], options: ChainOptions): Ref[] {
    const maxDepth = options.maxDepth ?? 20;
    const ignore = new Set(options.extraIgnore ?? []);
    const depth = new Map<Ref, number>([[obj, 0]]);
    const parent = new Map<Ref, Ref | null>([[obj, null]]);
    const queue: Ref[] = [obj];
    for (let head = 0; head < queue.length; head++) {
      let target = queue[head]!;
      if (predicate(target)) {
        const chain = [target];
        for (let p = parent.get(target); p !== null && p !== undefined; p = parent.get(target)) {
          target = p;
          chain.push(target);
        }
        return chain;
      }
      const tdepth = depth.get(target)!;
      if (tdepth >= maxDepth) continue;
      for (const source of edges(target)) {
        if (ignore.has(source) || depth.has(source)) continue;
        depth.set(source, tdepth + 1);
        parent.set(source, target);
        queue.push(source);
      }
    }
    return [obj];
  }

  // ─── Pictures ──────────────────────────────────────────────────────────────

  /** `objgraph.show_refs(objs)`: the objects reachable from `objs`, as Graphviz DOT. */
  showRefs(objs: Ref | readonly Ref[], options: GraphOptions = {}): string {
    const graph = new ReferenceGraph(this.heap);
    return this.#showGraph(objs, (ref) => graph.referents(ref), true, options);
  }

  /** `objgraph.show_backrefs(objs)`: the objects that lead to `objs`, as Graphviz DOT. */
  showBackrefs(objs: Ref | readonly Ref[], options: GraphOptions = {}): string {
    this.#collect?.();
    const graph = new ReferenceGraph(this.heap);
    return this.#showGraph(objs, (ref) => graph.referrers(ref), false, options);
  }

  /** `objgraph.show_chain(*chains, backrefs=True)`: only the objects on the chains. */
  showChain(chains: readonly (readonly Ref[])[], options: GraphOptions & { backrefs?: boolean } = {}): string {
    const kept = chains.filter((c) => c.length > 0);
    const members = new Set(kept.flat());
    const maxDepth = Math.max(0, ...kept.map((c) => c.length)) - 1;
    const filter = (ref: Ref): boolean => members.has(ref);
    return options.backrefs === false
      ? this.showRefs(kept.map((c) => c[0]!), { ...options, maxDepth, filter })
      : this.showBackrefs(kept.map((c) => c.at(-1)!), { ...options, maxDepth, filter });
  }

  #nodeId(ref: Ref): string {
    return `o${this.heap.id(ref)}`.replace(/-/g, '_');
  }

  /** objgraph's `_short_repr`. */
  shortRepr(ref: Ref): string {
    const heap = this.heap;
    try {
      const type = heap.typeOf(ref);
      switch (type.kind) {
        case Kind.Type: {
          const cls = heap.allTypes().find((t) => t.object === ref);
          return cls?.name ?? heap.repr(ref).slice(0, 40);
        }
        case Kind.Tuple:
        case Kind.List:
        case Kind.Dict:
        case Kind.Set:
          return `${heap.length(ref)} items`;
        default:
          return [...heap.repr(ref)].slice(0, 40).join('');
      }
    } catch {
      return '(unrepresentable)';
    }
  }

  #label(ref: Ref, options: GraphOptions): string {
    const first = this.typeName(ref) + (options.refcounts ? ` [${this.heap.refcount(ref)}]` : '');
    const lines = [first, this.shortRepr(ref)];
    if (options.extraInfo) lines.push(String(options.extraInfo(ref)));
    return quote(lines.join('\n'));
  }

  /** objgraph's `_edge_label`, plus the names of fixed slots, which objgraph cannot see. */
  #edgeLabel(source: Ref, target: Ref): string {
    const heap = this.heap;
    const type = heap.typeOf(source);
    if (type.kind === Kind.Type) {
      // A class object refers to nothing but its attribute dict.
      return heap.kindOf(target) === Kind.Dict ? ' [label="__dict__",weight=10]' : '';
    }
    if (type.kind === Kind.Instance) {
      // Fixed slots by name. (Attributes kept in the instance have no names core lets us read
      // without creating a __dict__, so their edges stay unlabelled, as objgraph draws them on 3.11.)
      for (let i = 0; i < type.slots.length; i++) {
        if (type.slots[i]!.kind === 'object' && heap.getSlot(source, i) === target) {
          return ` [label="${quote(type.slots[i]!.name)}",weight=2]`;
        }
      }
      return '';
    }
    if (type.kind === Kind.Function) return ' [label="__closure__",weight=10]';
    if (type.kind === Kind.Dict) {
      let label = '';
      heap.dictForEach(source, (key, value) => {
        if (label || value !== target) return;
        const isStr = heap.kindOf(key) === Kind.Str;
        const text = isStr ? (heap.valueOf(key) as string) : '';
        label = isStr && IDENTIFIER.test(text) ? ` [label="${quote(text)}",weight=2]` : ` [label="${quote(`${this.typeName(key)}\n${this.shortRepr(key)}`)}"]`;
      });
      return label;
    }
    return '';
  }

  /** objgraph's `_show_graph`. */
  #showGraph(objs: Ref | readonly Ref[], edges: (ref: Ref) => Ref[], swap: boolean, options: GraphOptions): string {
    const list = typeof objs === 'number' ? [objs] : [...objs];
    for (const ref of list) this.heap.refcount(ref);
    const maxDepth = options.maxDepth ?? 3;
    const tooMany = options.tooMany ?? 10;
    const ignore = new Set(options.extraIgnore ?? []);
    let out = 'digraph ObjectGraph {\n  node[shape=box, style=filled, fillcolor=white];\n';
    const depth = new Map<Ref, number>();
    const queue: Ref[] = [];
    for (const ref of list) {
      out += `  ${this.#nodeId(ref)}[fontcolor=red];\n`;
      depth.set(ref, 0);
      queue.push(ref);
    }
    for (let head = 0; head < queue.length; head++) {
      const target = queue[head]!;
      const tdepth = depth.get(target)!;
      const id = this.#nodeId(target);
      let attrs = '';
      if (options.extraNodeAttrs) {
        const extra = Object.entries(options.extraNodeAttrs(target))
          .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== null)
          .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        attrs = extra.map(([k, v]) => `, ${k}="${quote(String(v))}"`).join('');
      }
      out += `  ${id}[label="${this.#label(target, options)}"${attrs}];\n`;
      let [h, s, v] = gradient([0, 0, 1], [0, 0, 0.3], tdepth, maxDepth);
      if (options.highlight?.(target)) {
        h = 0.6;
        s = 0.6;
        v = 0.5 + v * 0.5;
      }
      out += `  ${id}[fillcolor="${pyG(h)},${pyG(s)},${pyG(v)}"];\n`;
      if (v < 0.5) out += `  ${id}[fontcolor=white];\n`;
      if (this.heap.hasFinalizer(target)) {
        out += `  ${id}->${id}_has_a_del[color=red,style=dotted,len=0.25,weight=10];\n`;
        out += `  ${id}_has_a_del[label="__del__",shape=doublecircle,height=0.25,color=red,fillcolor="0,.5,1",fontsize=6];\n`;
      }
      if (tdepth >= maxDepth) continue;
      if (options.cull?.(target)) continue;
      let n = 0;
      let skipped = 0;
      for (const source of edges(target)) {
        if (ignore.has(source)) continue;
        if (options.filter && !options.filter(source)) continue;
        if (n >= tooMany) {
          skipped++;
          continue;
        }
        const [src, tgt] = swap ? [target, source] : [source, target];
        out += `  ${this.#nodeId(src)} -> ${this.#nodeId(tgt)}${this.#edgeLabel(src, tgt)};\n`;
        if (!depth.has(source)) {
          depth.set(source, tdepth + 1);
          queue.push(source);
        }
        n++;
      }
      if (skipped > 0) {
        const [h2, s2, v2] = gradient([0, 1, 1], [0, 1, 0.3], tdepth + 1, maxDepth);
        const label = swap ? `${skipped} more references` : `${skipped} more backreferences`;
        const edge = swap ? `${id}->too_many_${id}` : `too_many_${id}->${id}`;
        out += `  ${edge}[color=red,style=dotted,len=0.25,weight=10];\n`;
        out += `  too_many_${id}[label="${label}",shape=box,height=0.25,color=red,fillcolor="${pyG(h2)},${pyG(s2)},${pyG(v2)}",fontsize=6];\n`;
        out += `  too_many_${id}[fontcolor=white];\n`;
      }
    }
    return out + '}\n';
  }
}

const graphs = new WeakMap<Heap, ObjGraph>();

/** The heap's shared ObjGraph (its growth peaks persist across calls, like objgraph's module state). */
export function objgraph(heap: Heap): ObjGraph {
  let graph = graphs.get(heap);
  if (!graph) {
    graph = new ObjGraph(heap);
    graphs.set(heap, graph);
  }
  return graph;
}
