/**
 * What the weak containers share. Each keeps its entries in a real heap dict in slot `data` (as
 * Lib/weakref.py does): WeakValueDictionary maps key → weak reference; WeakKeyDictionary and
 * WeakSet map the key's id → weak reference (and value): their keys compare by identity, which
 * is what CPython's comparison of weakly referenceable objects with the default `__eq__`
 * amounts to. An entry goes when its object dies, from that weak reference's callback.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, PyClass } from '../../classes.ts';
import { listOf } from '../../iteration.ts';
import { isAbsent } from '../../types/args.ts';
import type { VM } from '../../vm.ts';

/** The slot holding a container's dict. */
export const DATA = 0;

/** A native class's constructor (CPython's tp_new and tp_init together). */
type Construct = NonNullable<PyClass['construct']>;
type Init = (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null) => void;

/** The containers' helpers over one VM. */
export interface ContainerKit {
  /** A container's dict (borrowed). */
  readonly dataOf: (self: Ref) => Ref;
  /** A weak container class of the weakref module. */
  readonly container: (name: string) => PyClass;
  /** A callback that removes `dictKey` from `self`'s data when the weak reference it is given is that entry's. */
  readonly remover: (self: Ref, dictKey: Ref, entryRef: (entry: Ref) => Ref) => (wr: Ref) => void;
  /** An empty container of `cls` (a new reference). */
  readonly newContainer: (cls: PyClass) => Ref;
  /** Gives `cls` CPython's `<Name at 0x…>` repr. */
  readonly reprContainer: (cls: PyClass) => void;
  /** `update(other=(), **kw)`: every pair of a mapping or an iterable of pairs, then the keywords, through `set`. */
  readonly update: (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null, set: (self: Ref, key: Ref, value: Ref) => void, fname: string) => void;
  /** A constructor that fills the class itself right away and leaves a subclass's to its `__init__`. */
  readonly construct: (base: PyClass, init: Init) => Construct;
  /** `id(obj)` as an int key (a new reference); a TypeError when `obj` cannot be weakly referenced. */
  readonly idKey: (vm: VM, obj: Ref) => Ref;
  /** The entry (a (weakref, value) tuple or a weakref), borrowed, for a live key; NULL otherwise. */
  readonly byId: (vm: VM, self: Ref, key: Ref, entryRef: (entry: Ref) => Ref) => Ref;
  /** Deletes the entry of `key`'s id. */
  readonly deleteById: (self: Ref, key: Ref) => void;
}

export function containerKit(vm: VM): ContainerKit {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const dataOf = (self: Ref): Ref => heap.getSlot(self, DATA);
  const container = (name: string): PyClass => {
    const cls = vm.nativeClass(name, {
      slots: ['data'],
      weakrefable: true,
      module: 'weakref',
      baseAllowed: true,
    });
    return cls;
  };
  /** A callback that removes `dictKey` from `self`'s data when the weak reference it is given is that entry's. */
  const remover = (self: Ref, dictKey: Ref, entryRef: (entry: Ref) => Ref): ((wr: Ref) => void) => {
    const selfSerial = heap.serialOf(self);
    const keySerial = heap.serialOf(dictKey);
    return (wr: Ref) => {
      if (!heap.isAlive(self) || heap.serialOf(self) !== selfSerial) return;
      if (!heap.isAlive(dictKey) || heap.serialOf(dictKey) !== keySerial) return;
      const data = dataOf(self);
      if (data === NULL) return;
      const entry = heap.dictGet(data, dictKey);
      if (entry === NULL || entryRef(entry) !== wr) return;
      try {
        heap.dictDelete(data, dictKey);
      } catch (error) {
        heap.reportUnraisable(error, 'weakref callback', self);
      }
    };
  };
  const newContainer = (cls: PyClass): Ref => {
    const self = heap.newInstance(cls.instanceType!);
    const data = heap.newDict();
    heap.setSlot(self, DATA, data);
    heap.decref(data);
    return self;
  };
  const reprContainer = (cls: PyClass): void => {
    vm.defineMethod(cls, '__repr__', (_vm, args) => heap.newStr(`<${cls.name} at ${heap.hexId(args[0]!)}>`));
  };
  /** Key/value pairs of a mapping or an iterable of pairs, as owned refs. */
  const pairsOf = (vm: VM, source: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    if (heap.kindOf(source) === Kind.Dict) {
      heap.dictForEach(source, (k, v) => {
        heap.incref(k);
        heap.incref(v);
        out.push([k, v]);
      });
      return out;
    }
    const itemsMethod = vm.classOf(source).mro.some((c) => heap.dictGetStr(c.dict, 'items') !== NULL);
    const items = itemsMethod ? vm.callMethod(source, 'items') : (heap.incref(source), source);
    try {
      for (const pair of listOf(vm, items)) {
        try {
          const parts = listOf(vm, pair);
          if (parts.length !== 2) {
            for (const p of parts) heap.decref(p);
            throw vm.error('ValueError', `dictionary update sequence element #${out.length} has length ${parts.length}; 2 is required`);
          }
          out.push([parts[0]!, parts[1]!]);
        } finally {
          heap.decref(pair);
        }
      }
    } finally {
      heap.decref(items);
    }
    return out;
  };
  const update = (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null, set: (self: Ref, key: Ref, value: Ref) => void, fname: string): void => {
    if (args.length > 1) throw vm.typeError(`${fname} expected at most 1 argument, got ${args.length}`);
    if (args.length === 1 && !isAbsent(vm, args[0]!)) {
      for (const [k, v] of pairsOf(vm, args[0]!)) {
        try {
          set(self, k, v);
        } finally {
          heap.decref(k);
          heap.decref(v);
        }
      }
    }
    if (kw) {
      kw.names.forEach((name, i) => {
        const key = heap.newStr(name);
        try {
          set(self, key, kw.values[i]!);
        } finally {
          heap.decref(key);
        }
      });
    }
  };


  // WeakKeyDictionary and WeakSet: entries by id(key).
  const idKey = (vm: VM, obj: Ref): Ref => {
    if (!weakrefs.isWeakrefable(obj)) throw vm.typeError(`cannot create weak reference to '${heap.typeOf(obj).name}' object`);
    return heap.newInt(heap.id(obj));
  };
  /** The entry (a (weakref, value) tuple or a weakref), borrowed, for a live key; NULL otherwise. */
  const byId = (vm: VM, self: Ref, key: Ref, entryRef: (entry: Ref) => Ref): Ref => {
    // CPython looks the key up as ref(key): one that cannot be weakly referenced is a TypeError.
    if (!weakrefs.isWeakrefable(key)) throw vm.typeError(`cannot create weak reference to '${heap.typeOf(key).name}' object`);
    const id = heap.newInt(heap.id(key));
    try {
      const entry = heap.dictGet(dataOf(self), id);
      if (entry === NULL || weakrefs.deref(entryRef(entry)) !== key) return NULL;
      return entry;
    } finally {
      heap.decref(id);
    }
  };
  const deleteById = (self: Ref, key: Ref): void => {
    const id = heap.newInt(heap.id(key));
    try {
      heap.dictDelete(dataOf(self), id);
    } finally {
      heap.decref(id);
    }
  };
  // A subclass gets an empty container from __new__ and fills it in __init__ (its own may take
  // other arguments and call super().__init__()); the class itself is filled right away.
  const construct =
    (base: PyClass, init: Init): Construct =>
    (vm, cls, args, kw) => {
      const self = newContainer(cls);
      if (cls !== base) return self;
      try {
        init(vm, self, args, kw);
      } catch (error) {
        heap.decref(self);
        throw error;
      }
      return self;
    };
  return { dataOf, container, remover, newContainer, reprContainer, update, construct, idKey, byId, deleteById };
}
