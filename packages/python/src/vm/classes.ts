/**
 * What the interpreter knows of a Python class beyond the heap's HeapType: its bases and MRO,
 * its class object and `__dict__`, and — for built-in types — the native behaviours CPython
 * keeps in type slots (tp_new, tp_iternext, getset descriptors), so that the common operations
 * dispatch on a JS function instead of a dict lookup.
 */
import type { HeapType, Ref } from '@refheap/core';
import type { VM } from './vm.ts';

/** A native callable's signature (CPython's vectorcall): arguments borrowed, result a new reference. */
export type NativeFn = (vm: VM, args: readonly Ref[], kw: Kwargs | null) => Ref;

/** Keyword arguments of a call: names and values, in call order (values borrowed by natives). */
export interface Kwargs {
  readonly names: readonly string[];
  readonly values: Ref[];
}

/** A computed attribute of a built-in type (CPython's getset descriptors and member slots). */
export interface GetSet {
  readonly get: (vm: VM, self: Ref) => Ref;
  readonly set?: ((vm: VM, self: Ref, value: Ref) => void) | undefined;
}

export class PyClass {
  /** Classes this one inherits from, in the order of the class statement. */
  bases: PyClass[] = [];
  /** The method resolution order, this class first. */
  mro: PyClass[] = [this];
  /** The module the class was defined in (`__module__`). */
  module = 'builtins';
  qualname: string;
  /** Built-in types: instances made by a JS constructor (CPython's tp_new + tp_init). */
  construct: ((vm: VM, cls: PyClass, args: readonly Ref[], kw: Kwargs | null) => Ref) | null = null;
  /** Built-in iterators: the next item as a new reference, or 0 when exhausted (no StopIteration made). */
  iterNext: ((vm: VM, self: Ref) => Ref) | null = null;
  /**
   * Built-in iterables of an immutable type (range): `iter(obj)` as a native call, CPython's
   * tp_iter, which no `__iter__` can replace on such a class. Not inherited.
   */
  nativeIter: ((vm: VM, self: Ref) => Ref) | null = null;
  /** Computed attributes of instances, found before the instance's own. */
  readonly getset: Map<string, GetSet> = new Map();
  /** Whether the class may be subclassed by a class statement. */
  baseAllowed = true;
  /** Whether this is BaseException or inherits from it. */
  isException = false;
  /** Set for classes defined by a class statement. */
  readonly userDefined: boolean;
  /** `__slots__` of the class statement, when it has one. */
  ownSlots: readonly string[] | null = null;
  /**
   * What `classLookup` found for each name (borrowed, NULL for none), valid while no class dict
   * has changed since: `lookupEpoch` is the VM's `classEpoch` the entries were made under.
   * CPython's type attribute cache, with one version for all classes.
   */
  readonly lookups: Map<string, Ref> = new Map();
  lookupEpoch = -1;
  /** For class_builder's callClass: the `__init__` a call runs right after a plain allocation (NULL: not so simple), as of `constructionEpoch`. */
  constructionInit: Ref = 0;
  constructionEpoch = -1;

  constructor(
    readonly name: string,
    /** The class object (`<class 'name'>`), a Type-kind heap object. */
    readonly object: Ref,
    /** The class `__dict__`, borrowed from the class object. */
    readonly dict: Ref,
    /** The heap type of the class's instances, or null where instances are made otherwise. */
    public instanceType: HeapType | null,
    userDefined: boolean,
  ) {
    this.qualname = name;
    this.userDefined = userDefined;
  }

  /** Whether `other` is in this class's MRO. */
  isSubclassOf(other: PyClass): boolean {
    if (other === this) return true;
    const mro = this.mro;
    for (let i = 1; i < mro.length; i++) if (mro[i] === other) return true;
    return false;
  }

  /** A getset descriptor anywhere on the MRO. */
  findGetSet(name: string): GetSet | undefined {
    for (const cls of this.mro) {
      const found = cls.getset.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  }
}

/**
 * C3 linearization, as type.mro() computes it; null when the bases admit no consistent order
 * (the caller raises CPython's TypeError naming them).
 */
export function linearize(cls: PyClass, bases: readonly PyClass[]): PyClass[] | null {
  const sequences = [...bases.map((base) => [...base.mro]), [...bases]];
  const result: PyClass[] = [cls];
  for (;;) {
    const remaining = sequences.filter((seq) => seq.length > 0);
    if (remaining.length === 0) return result;
    let head: PyClass | undefined;
    for (const seq of remaining) {
      const candidate = seq[0]!;
      if (!remaining.some((other) => other.indexOf(candidate) > 0)) {
        head = candidate;
        break;
      }
    }
    if (head === undefined) return null;
    result.push(head);
    for (const seq of remaining) if (seq[0] === head) seq.shift();
  }
}
