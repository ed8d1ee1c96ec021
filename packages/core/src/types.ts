/**
 * Heap types: what an object's type index stands for. Built-in kinds mirror
 * CPython's; classes and user-defined types add fixed slots, an optional
 * attribute dict, and their own traverse / clear / finalize. Storage layout is
 * decided by the kind, so the hot paths switch on a small integer, never on a
 * JS class.
 */
import type { Ref } from './ref.ts';

/** How an object of a type is stored and treated. */
export interface KindTable {
  readonly None: 0;
  readonly Bool: 1;
  readonly Int: 2;
  readonly Float: 3;
  readonly Str: 4;
  readonly Tuple: 5;
  readonly List: 6;
  readonly Dict: 7;
  readonly Set: 8;
  /** A class instance or user-defined type: fixed slots, optionally an attribute dict. */
  readonly Instance: 9;
  /** A class object: holds the class attribute dict. */
  readonly Type: 10;
  readonly Function: 11;
  readonly Cell: 12;
  /** Immutable bytes; the contents live in a Uint8Array of their length. */
  readonly Bytes: 13;
  /** Mutable bytes: the same storage, unhashable. */
  readonly ByteArray: 14;
}

/** The kinds, frozen so that optimized code reads them as constants. */
export const Kind: KindTable = Object.freeze({
  None: 0,
  Bool: 1,
  Int: 2,
  Float: 3,
  Str: 4,
  Tuple: 5,
  List: 6,
  Dict: 7,
  Set: 8,
  Instance: 9,
  Type: 10,
  Function: 11,
  Cell: 12,
  Bytes: 13,
  ByteArray: 14,
});
export type Kind = KindTable[keyof KindTable];

/**
 * What a fixed slot holds. `object` slots own a reference; `int32` slots hold a plain
 * integer the heap does not count; `js` slots hold any JS value (a file descriptor, a
 * WebAssembly pointer, a native handle), which the finalizer still sees and the heap lets
 * go of when the object is freed. Neither of the last two is a reference the collector sees.
 */
export type SlotKind = 'object' | 'int32' | 'js';

export interface SlotSpec {
  readonly name: string;
  readonly kind: SlotKind;
}

/** Called with each object a container refers to. */
export type Visit = (child: Ref) => void;

/**
 * A hook's signature, checked as TypeScript checks methods (bivariantly) so that a type's
 * hooks read the same whether the heap they get is named by its class (heap.ts) or by a
 * narrower view of it (heap-reader.ts). That is what lets this file name no heap: heap.ts
 * imports it, and instantiates `H` with `Heap` (`HeapType`, `ClassSpec`, `TypeHooks`).
 */
type Hook<Args extends unknown[], Result> = { hook(...args: Args): Result }['hook'];

/** A type's behaviour hooks, CPython's tp_traverse / tp_clear / tp_finalize / tp_repr, called with heap `H`. */
export interface TypeHooksOf<H> {
  /** PEP 442 finalizer (`__del__`): runs once, may resurrect `self`. */
  readonly finalize?: Hook<[heap: H, self: Ref], void> | undefined;
  /**
   * References held outside the object slots (in a side table of the type's own).
   * The `object` slots are always visited; this adds to them.
   */
  readonly traverse?: Hook<[heap: H, self: Ref, visit: Visit], void> | undefined;
  /**
   * Drops the references `traverse` adds; the heap clears the `object` slots itself. It may
   * run twice — a collector calls it to break a cycle, deallocation calls it again — so the
   * second call must find nothing left to drop.
   */
  readonly clear?: Hook<[heap: H, self: Ref], void> | undefined;
  /** Replaces the default `<Name object at 0x…>`. */
  readonly repr?: Hook<[heap: H, self: Ref], string> | undefined;
  /**
   * The object's key in dicts and sets when it is not its identity (a class with `__hash__` and
   * `__eq__`): equal keys are equal objects. It may throw (an unhashable class).
   */
  readonly hashKey?: Hook<[heap: H, self: Ref], string | number | bigint> | undefined;
}

/** A type registered with a heap (`HeapType` in heap.ts). */
export interface HeapTypeOf<H> extends TypeHooksOf<H> {
  /** Index into the heap's type table; what the type column stores. */
  readonly id: number;
  readonly name: string;
  readonly kind: Kind;
  /** Containers can be part of a cycle and are tracked by a collector; atoms are never tracked. */
  readonly isContainer: boolean;
  /** Whether `weakref.ref(obj)` is allowed (CPython: a `__weakref__` slot or a class without `__slots__`). */
  readonly weakrefable: boolean;
  /** Fixed slots, in order. */
  readonly slots: readonly SlotSpec[];
  /** Slot name to index. */
  readonly slotIndex: ReadonlyMap<string, number>;
  /** Per slot: does it hold a counted reference? (Precomputed so slot writes check one array.) */
  readonly objectSlots: readonly boolean[];
  /** Instances carry an attribute dict after their fixed slots. */
  readonly hasDict: boolean;
  /** Words an instance's slot block takes (fixed slots plus the dict slot). */
  readonly blockWords: number;
  /** The class object (`<class 'Node'>`) for classes; 0 for built-in types. */
  readonly object: Ref;
}

/** What `defineClass` takes (`ClassSpec` in heap.ts). */
export interface ClassSpecOf<H> extends TypeHooksOf<H> {
  /**
   * `__slots__`: fixed slot names (or specs with a kind). Without it instances get an attribute
   * dict and can be weakly referenced; with it they get neither unless `'__dict__'` / `'__weakref__'`
   * is listed, exactly like CPython.
   */
  readonly slots?: readonly (string | SlotSpec)[] | undefined;
  /** Overrides the weakref rule above (user-defined native types decide for themselves). */
  readonly weakrefable?: boolean | undefined;
}

/** What `valueOf` gives for an atom: None is null, a bytes or bytearray a copy of its contents. */
export type PlainValue = null | boolean | number | bigint | string | Uint8Array;
