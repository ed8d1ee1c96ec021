/**
 * The iterator protocol (PyObject_GetIter, PyIter_Next). Built-in iterators implement
 * `iterNext` natively and answer 0 at the end, so a `for` loop over a list makes no
 * StopIteration; user iterators go through `__iter__` and `__next__` like CPython's slot
 * wrappers do. The list and tuple iterators live here because every loop meets them.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from './classes.ts';
import { classLookup } from './attributes.ts';
import { PyThrow } from './throw.ts';
import type { NativeClassSpec, VM } from './vm.ts';

export interface IteratorTypes {
  readonly listIterator: PyClass;
  readonly tupleIterator: PyClass;
  /** A sequence iterated through `__getitem__` (CPython's iterator type for old-style sequences). */
  readonly sequenceIterator: PyClass;
}

const SEQ = 0;
const INDEX = 1;

export function installIteratorTypes(vm: VM): IteratorTypes {
  const make = (name: string, seqKind: number): PyClass => {
    const cls = vm.nativeClass(name, { slots: ['seq', { name: 'index', kind: 'int32' }] });
    cls.iterNext = (vm, it) => {
      const heap = vm.heap;
      const seq = heap.getSlot(it, SEQ);
      if (seq === NULL) return NULL;
      const index = heap.getSlotInt(it, INDEX);
      if (index < heap.length(seq)) {
        heap.setSlotInt(it, INDEX, index + 1);
        const item = heap.item(seq, index);
        heap.incref(item);
        return item;
      }
      heap.setSlot(it, SEQ, NULL);
      return NULL;
    };
    defineIteratorMethods(vm, cls);
    vm.defineMethod(cls, '__length_hint__', (vm, args) => {
      const seq = vm.heap.getSlot(args[0]!, SEQ);
      return vm.heap.newInt(seq === NULL ? 0 : Math.max(0, vm.heap.length(seq) - vm.heap.getSlotInt(args[0]!, INDEX)));
    });
    void seqKind;
    return cls;
  };
  const listIterator = make('list_iterator', Kind.List);
  const tupleIterator = make('tuple_iterator', Kind.Tuple);
  const sequenceIterator = vm.nativeClass('iterator', { slots: ['seq', { name: 'index', kind: 'int32' }] });
  sequenceIterator.iterNext = (vm, it) => {
    const heap = vm.heap;
    const seq = heap.getSlot(it, SEQ);
    if (seq === NULL) return NULL;
    const index = heap.getSlotInt(it, INDEX);
    const key = heap.newInt(index);
    try {
      const item = vm.getItem(seq, key);
      heap.setSlotInt(it, INDEX, index + 1);
      return item;
    } catch (error) {
      const thrown = vm.toThrow(error);
      const cls = vm.classOf(thrown.exc);
      if (cls.isSubclassOf(vm.exc.IndexError) || cls.isSubclassOf(vm.exc.StopIteration)) {
        heap.decref(thrown.exc);
        heap.setSlot(it, SEQ, NULL);
        return NULL;
      }
      throw thrown;
    } finally {
      heap.decref(key);
    }
  };
  defineIteratorMethods(vm, sequenceIterator);
  const forSequence = (iterator: PyClass) => (vm: VM, args: readonly Ref[]) => {
    const it = vm.heap.newInstance(iterator.instanceType!);
    vm.heap.setSlot(it, SEQ, args[0]!);
    return it;
  };
  vm.defineMethod(vm.core.list, '__iter__', forSequence(listIterator));
  vm.defineMethod(vm.core.tuple, '__iter__', forSequence(tupleIterator));
  return { listIterator, tupleIterator, sequenceIterator };
}

/** `__iter__` returning self and `__next__` raising StopIteration, for a native iterator type. */
export function defineIteratorMethods(vm: VM, cls: PyClass): void {
  vm.defineMethod(cls, '__iter__', (vm, args) => {
    vm.heap.incref(args[0]!);
    return args[0]!;
  });
  vm.defineMethod(cls, '__next__', (vm, args) => {
    const item = cls.iterNext!(vm, args[0]!);
    if (item === NULL) throw new PyThrow(vm.newException(vm.exc.StopIteration));
    return item;
  });
}

/** A native iterator class: its slots, its `tp_iternext`, and `__iter__`/`__next__` over it. */
export function iteratorClass(vm: VM, name: string, slots: NonNullable<NativeClassSpec['slots']>, next: (vm: VM, it: Ref) => Ref): PyClass {
  const cls = vm.nativeClass(name, { slots });
  cls.iterNext = next;
  defineIteratorMethods(vm, cls);
  return cls;
}

/** `iter(obj)`, a new reference. */
export function getIter(vm: VM, obj: Ref): Ref {
  const heap = vm.heap;
  const kind = heap.kindOf(obj);
  if (kind === Kind.List) {
    const it = heap.newInstance(vm.iterators.listIterator.instanceType!);
    heap.setSlot(it, SEQ, obj);
    return it;
  }
  if (kind === Kind.Tuple) {
    const it = heap.newInstance(vm.iterators.tupleIterator.instanceType!);
    heap.setSlot(it, SEQ, obj);
    return it;
  }
  const cls = vm.classOf(obj);
  if (cls.nativeIter !== null) return cls.nativeIter(vm, obj);
  const method = classLookup(vm, cls, '__iter__');
  if (method !== NULL && method !== heap.None) {
    const it = vm.call(method, [obj]);
    const itClass = vm.classOf(it);
    if (itClass.iterNext === null && classLookup(vm, itClass, '__next__') === NULL) {
      heap.decref(it);
      throw vm.typeError(`iter() returned non-iterator of type '${itClass.name}'`);
    }
    return it;
  }
  if (method === NULL && classLookup(vm, cls, '__getitem__') !== NULL && kind !== Kind.Dict) {
    const it = heap.newInstance(vm.iterators.sequenceIterator.instanceType!);
    heap.setSlot(it, SEQ, obj);
    return it;
  }
  throw vm.typeError(`'${cls.name}' object is not iterable`);
}

/** The iterator's next item as a new reference, or NULL when it is exhausted. */
export function iterNext(vm: VM, it: Ref): Ref {
  const cls = vm.classOf(it);
  if (cls.iterNext !== null) return cls.iterNext(vm, it);
  const method = classLookup(vm, cls, '__next__');
  if (method === NULL) throw vm.typeError(`'${cls.name}' object is not an iterator`);
  try {
    return vm.call(method, [it]);
  } catch (error) {
    const thrown = vm.toThrow(error);
    if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.StopIteration)) {
      vm.heap.decref(thrown.exc);
      return NULL;
    }
    throw thrown;
  }
}

/** Every item of an iterable as new references, in a JS array (for unpacking, `*args`, list()). */
export function listOf(vm: VM, iterable: Ref): Ref[] {
  const heap = vm.heap;
  const kind = heap.kindOf(iterable);
  if (kind === Kind.List || kind === Kind.Tuple) {
    const n = heap.length(iterable);
    const out = new Array<Ref>(n);
    for (let i = 0; i < n; i++) {
      const item = heap.item(iterable, i);
      heap.incref(item);
      out[i] = item;
    }
    return out;
  }
  const it = getIter(vm, iterable);
  const out: Ref[] = [];
  try {
    for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) out.push(item);
  } catch (error) {
    for (const item of out) heap.decref(item);
    throw error;
  } finally {
    heap.decref(it);
  }
  return out;
}
