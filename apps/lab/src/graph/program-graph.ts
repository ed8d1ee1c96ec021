/**
 * The shapes of a program's heap picture (see program-snapshot.ts): plain data, so a page can
 * keep it, a test can compare it and a worker could post it (structured-clone-able).
 */

/** Where the collector keeps an object. */
export type Generation = 0 | 1 | 2 | 'permanent' | 'untracked' | 'atom';

/** What an object is to the picture (the view draws each its own way). */
export type NodeRole = 'object' | 'class' | 'function' | 'weakref' | 'garbage-list';

export interface ProgramNode {
  /** `hex(id(obj))`, as the program's own `id()` gives it. */
  readonly id: string;
  /** The slot's reuse counter: the same id with another serial is another object (CPython reuses addresses too). */
  readonly serial: number;
  readonly type: string;
  /** A short repr for atoms, small containers and classes (`<class 'Node'>`); '' when it says nothing more than the type. */
  readonly repr: string;
  readonly refcount: number;
  readonly generation: Generation;
  /** A full collection would find it unreachable now. */
  readonly unreachable: boolean;
  /** Held by gc.garbage. */
  readonly inGarbage: boolean;
  /** The heap's own (a type the program did not define, an interned str, a small int, a module, a builtin): hidden by default. */
  readonly internal: boolean;
  readonly role: NodeRole;
  /** References to it from outside the heap: the interpreter's — a running loop's or call's, a code object's constants, its class table. */
  readonly heldElsewhere: number;
  /** References it holds that are not drawn (a long list's tail, past the per-object cap). */
  readonly omittedEdges: number;
}

export interface ProgramEdge {
  readonly from: string;
  readonly to: string;
  /** `.name`, `[0]`, `['key']`, `key`, `__class__`, `cell_contents`, `weak`, or ''. */
  readonly label: string;
  readonly weak: boolean;
}

export interface RootName {
  readonly name: string;
  /** The id of the object it is bound to. */
  readonly target: string;
  /** A dunder the interpreter set (`__name__`, `__builtins__`): hidden with the heap's own objects. */
  readonly internal: boolean;
}

export interface RootGroup {
  /** `root:globals`, `root:frame:<depth>`. */
  readonly id: string;
  /** `globals`, or the function's name (`f`, `<listcomp>`, a class body's class name). */
  readonly title: string;
  /** The line a frame is on; null for the globals. */
  readonly lineno: number | null;
  readonly kind: 'globals' | 'frame';
  readonly names: readonly RootName[];
}

export interface ProgramGraph {
  /** Module globals first, then each running function's frame, outermost first. */
  readonly roots: readonly RootGroup[];
  readonly nodes: readonly ProgramNode[];
  readonly edges: readonly ProgramEdge[];
  /** Objects reachable from the roots that the picture leaves out past its cap (0 when none). */
  readonly omitted: number;
  readonly gc: {
    readonly enabled: boolean;
    readonly count: readonly number[];
    readonly threshold: readonly number[];
    readonly garbage: number;
  };
  /** Every live heap object, the interpreter's own included. */
  readonly liveObjects: number;
  readonly heapBytes: number;
}

export interface FreedNode {
  readonly id: string;
  readonly type: string;
  readonly repr: string;
}

export interface CountChange {
  readonly id: string;
  readonly from: number;
  readonly to: number;
}

/** What changed between two pictures: objects new, freed (with what they were), and counts changed. */
export interface GraphDiff {
  readonly added: readonly string[];
  readonly freed: readonly FreedNode[];
  readonly changed: readonly CountChange[];
}
