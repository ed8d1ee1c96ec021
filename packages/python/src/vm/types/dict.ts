/**
 * dict (Objects/dictobject.c): its methods, the constructor and update() with CPython's
 * mapping-or-pairs rules, the views (dict_keys, dict_values, dict_items) and their iterators.
 * An iterator walks a snapshot of the keys it takes when made (a list it owns, so no key it
 * will yield is freed under it), and checks the dict's size at each step as CPython does:
 * "dictionary changed size during iteration", sticky once raised.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { findAttribute } from '../attributes.ts';
import { defineIteratorMethods, getIter, iterNext, listOf } from '../iteration.ts';
import { compareBool, contains, getItem, keyError, richCompare } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { noArgs, parseArgs } from './args.ts';
import { NotImplementedRef, oneArg } from './list.ts';

const DICT = 0;
const KEYS = 1;
const INDEX = 2;
const SIZE = 3;

/**
 * A change to a dict that may be a class's `__dict__` (`C.__dict__` is the real dict here):
 * the VM's attribute caches are dropped before it, as a finalizer it sets off may look
 * attributes up, and after it.
 */
export function changeDict(vm: VM, dict: Ref, change: () => void): void {
  vm.dictChanged(dict);
  try {
    change();
  } finally {
    vm.dictChanged(dict);
  }
}

/** dict.update(other): a mapping (has keys()) or an iterable of pairs. */
export function dictMerge(vm: VM, dict: Ref, other: Ref, what = 'dictionary update sequence'): void {
  const heap = vm.heap;
  if (heap.kindOf(other) === Kind.Dict && vm.classOf(other) === vm.core.dict) {
    const pairs: Ref[] = [];
    heap.dictForEach(other, (key, value) => pairs.push(key, value));
    for (const r of pairs) heap.incref(r);
    try {
      for (let i = 0; i < pairs.length; i += 2) changeDict(vm, dict, () => heap.dictSet(dict, pairs[i]!, pairs[i + 1]!));
    } finally {
      for (const r of pairs) heap.decref(r);
    }
    return;
  }
  const keysMethod = findAttribute(vm, other, 'keys');
  if (keysMethod !== NULL) {
    let keys: Ref[];
    try {
      const keysRef = vm.call(keysMethod, []);
      try {
        keys = listOf(vm, keysRef);
      } finally {
        heap.decref(keysRef);
      }
    } finally {
      heap.decref(keysMethod);
    }
    try {
      for (const key of keys) {
        const value = getItem(vm, other, key);
        try {
          changeDict(vm, dict, () => heap.dictSet(dict, key, value));
        } finally {
          heap.decref(value);
        }
      }
    } finally {
      for (const key of keys) heap.decref(key);
    }
    return;
  }
  const it = getIter(vm, other);
  try {
    let index = 0;
    for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it), index++) {
      try {
        const k = heap.kindOf(item);
        let pair: Ref[];
        if (k === Kind.List || k === Kind.Tuple) {
          pair = listOf(vm, item);
        } else {
          try {
            pair = listOf(vm, item);
          } catch (error) {
            const thrown = vm.toThrow(error);
            if (!vm.classOf(thrown.exc).isSubclassOf(vm.exc.TypeError)) throw thrown;
            heap.decref(thrown.exc);
            throw vm.typeError(`cannot convert ${what} element #${index} to a sequence`);
          }
        }
        try {
          if (pair.length !== 2) throw vm.error('ValueError', `${what} element #${index} has length ${pair.length}; 2 is required`);
          changeDict(vm, dict, () => heap.dictSet(dict, pair[0]!, pair[1]!));
        } finally {
          for (const r of pair) heap.decref(r);
        }
      } finally {
        heap.decref(item);
      }
    }
  } finally {
    heap.decref(it);
  }
}

function applyKwargs(vm: VM, dict: Ref, kw: Kwargs | null): void {
  if (!kw) return;
  kw.names.forEach((name, i) => {
    const key = vm.heap.newStr(name);
    changeDict(vm, dict, () => vm.heap.dictSet(dict, key, kw.values[i]!));
    vm.heap.decref(key);
  });
}

function construct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  if (args.length > 1) throw vm.typeError(`dict expected at most 1 argument, got ${args.length}`);
  const dict = vm.heap.newDict();
  try {
    if (args.length === 1) dictMerge(vm, dict, args[0]!);
    applyKwargs(vm, dict, kw);
  } catch (error) {
    vm.heap.decref(dict);
    throw error;
  }
  return dict;
}

/** The keys of a dict as borrowed refs, in order. */
function keysOf(vm: VM, dict: Ref): Ref[] {
  const keys: Ref[] = [];
  vm.heap.dictForEach(dict, (key) => keys.push(key));
  return keys;
}

export function installDict(vm: VM): void {
  const heap = vm.heap;
  const cls = vm.core.dict;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
  cls.construct = construct;

  // ─── Iterators ─────────────────────────────────────────────────────────────
  const iterSlots = ['dict', 'keys', { name: 'index', kind: 'int32' as const }, { name: 'size', kind: 'int32' as const }];
  const makeIter = (name: string, yieldOf: (vm: VM, key: Ref, value: Ref) => Ref, reverse: boolean): PyClass => {
    const it = vm.nativeClass(name, { slots: iterSlots });
    it.iterNext = (vm, self) => {
      const dict = heap.getSlot(self, DICT);
      if (dict === NULL) return NULL;
      const size = heap.getSlotInt(self, SIZE);
      if (size !== heap.length(dict)) {
        heap.setSlotInt(self, SIZE, -1);
        throw vm.error('RuntimeError', 'dictionary changed size during iteration');
      }
      const keys = heap.getSlot(self, KEYS);
      const index = heap.getSlotInt(self, INDEX);
      const n = heap.length(keys);
      if (index >= n) {
        heap.setSlot(self, DICT, NULL);
        heap.setSlot(self, KEYS, NULL);
        return NULL;
      }
      heap.setSlotInt(self, INDEX, index + 1);
      const key = heap.item(keys, reverse ? n - 1 - index : index);
      const value = heap.dictGet(dict, key);
      if (value === NULL) {
        heap.setSlotInt(self, SIZE, -1);
        throw vm.error('RuntimeError', 'dictionary keys changed during iteration');
      }
      return yieldOf(vm, key, value);
    };
    defineIteratorMethods(vm, it);
    vm.defineMethod(it, '__length_hint__', (vm, args) => {
      const keys = heap.getSlot(args[0]!, KEYS);
      if (keys === NULL) return heap.newInt(0);
      return heap.newInt(Math.max(0, heap.length(keys) - heap.getSlotInt(args[0]!, INDEX)));
    });
    return it;
  };
  const keyOf = (vm: VM, key: Ref): Ref => {
    heap.incref(key);
    return key;
  };
  const valueOf = (vm: VM, _key: Ref, value: Ref): Ref => {
    heap.incref(value);
    return value;
  };
  const itemOf = (vm: VM, key: Ref, value: Ref): Ref => heap.newTuple([key, value]);
  const iterators = {
    keys: makeIter('dict_keyiterator', keyOf, false),
    values: makeIter('dict_valueiterator', valueOf, false),
    items: makeIter('dict_itemiterator', itemOf, false),
    rkeys: makeIter('dict_reversekeyiterator', keyOf, true),
    rvalues: makeIter('dict_reversevalueiterator', valueOf, true),
    ritems: makeIter('dict_reverseitemiterator', itemOf, true),
  };
  const newIter = (iterator: PyClass, dict: Ref): Ref => {
    const it = heap.newInstance(iterator.instanceType!);
    heap.setSlot(it, DICT, dict);
    const keys = heap.newList(keysOf(vm, dict));
    heap.setSlot(it, KEYS, keys);
    heap.decref(keys);
    heap.setSlotInt(it, INDEX, 0);
    heap.setSlotInt(it, SIZE, heap.length(dict));
    return it;
  };

  // ─── Views ─────────────────────────────────────────────────────────────────
  const makeView = (name: string, forward: PyClass, backward: PyClass): PyClass => {
    const view = vm.nativeClass(name, { slots: ['mapping'] });
    const dictOf = (self: Ref): Ref => heap.getSlot(self, 0);
    vm.defineMethod(view, '__len__', (vm, args) => heap.newInt(heap.length(dictOf(args[0]!))));
    vm.defineMethod(view, '__iter__', (vm, args) => newIter(forward, dictOf(args[0]!)));
    vm.defineMethod(view, '__reversed__', (vm, args) => newIter(backward, dictOf(args[0]!)));
    vm.defineMethod(view, '__repr__', (vm, args) => {
      const items = listOf(vm, args[0]!);
      const list = heap.newList(items);
      for (const item of items) heap.decref(item);
      try {
        return heap.newStr(`${name}(${repr(vm, list)})`, { intern: false });
      } finally {
        heap.decref(list);
      }
    });
    view.getset.set('mapping', {
      get: (vm, self) => {
        const d = dictOf(self);
        heap.incref(d);
        return d;
      },
    });
    return view;
  };
  const keysView = makeView('dict_keys', iterators.keys, iterators.rkeys);
  const valuesView = makeView('dict_values', iterators.values, iterators.rvalues);
  const itemsView = makeView('dict_items', iterators.items, iterators.ritems);
  vm.defineMethod(keysView, '__contains__', (vm, args) => heap.newBool(heap.dictGet(heap.getSlot(args[0]!, 0), oneArg(vm, '__contains__', args)) !== NULL));
  vm.defineMethod(itemsView, '__contains__', (vm, args) => {
    const item = oneArg(vm, '__contains__', args);
    if (heap.kindOf(item) !== Kind.Tuple || heap.length(item) !== 2) return heap.newBool(false);
    const value = heap.dictGet(heap.getSlot(args[0]!, 0), heap.item(item, 0));
    if (value === NULL) return heap.newBool(false);
    const other = heap.item(item, 1);
    return heap.newBool(value === other || compareBool(vm, value, other, 'Eq'));
  });
  // Set-like operations on keys and items views give sets.
  const asSet = (vm: VM, ref: Ref): Ref => {
    const items = listOf(vm, ref);
    try {
      return heap.newSet(items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  };
  for (const view of [keysView, itemsView]) {
    for (const [name, method, swap] of [
      ['__and__', 'intersection', false],
      ['__rand__', 'intersection', true],
      ['__or__', 'union', false],
      ['__ror__', 'union', true],
      ['__sub__', 'difference', false],
      ['__rsub__', 'difference', true],
      ['__xor__', 'symmetric_difference', false],
      ['__rxor__', 'symmetric_difference', true],
    ] as const) {
      vm.defineMethod(view, name, (vm, args) => {
        const other = oneArg(vm, name, args);
        const left = asSet(vm, swap ? other : args[0]!);
        try {
          return vm.callMethod(left, method, [swap ? args[0]! : other]);
        } finally {
          heap.decref(left);
        }
      });
    }
    for (const [name, op] of [['__eq__', 'Eq'], ['__ne__', 'NotEq'], ['__lt__', 'Lt'], ['__le__', 'LtE'], ['__gt__', 'Gt'], ['__ge__', 'GtE']] as const) {
      vm.defineMethod(view, name, (vm, args) => {
        const other = oneArg(vm, name, args);
        const oc = vm.classOf(other);
        if (oc !== keysView && oc !== itemsView && oc !== vm.core.set && oc.name !== 'frozenset') return NotImplementedRef(vm);
        const a = asSet(vm, args[0]!);
        const b = asSet(vm, other);
        try {
          return richCompare(vm, a, b, op);
        } finally {
          heap.decref(a);
          heap.decref(b);
        }
      });
    }
    vm.defineMethod(view, 'isdisjoint', (vm, args) => {
      const a = asSet(vm, args[0]!);
      try {
        return vm.callMethod(a, 'isdisjoint', [oneArg(vm, 'isdisjoint', args)]);
      } finally {
        heap.decref(a);
      }
    });
    vm.setItemStr(view.dict, '__hash__', heap.None);
  }
  const newView = (view: PyClass, dict: Ref): Ref => {
    const v = heap.newInstance(view.instanceType!);
    heap.setSlot(v, 0, dict);
    return v;
  };

  // ─── Methods ───────────────────────────────────────────────────────────────
  def('keys', (vm, args, kw) => {
    noArgs(vm, 'keys', args, kw);
    return newView(keysView, args[0]!);
  });
  def('values', (vm, args, kw) => {
    noArgs(vm, 'values', args, kw);
    return newView(valuesView, args[0]!);
  });
  def('items', (vm, args, kw) => {
    noArgs(vm, 'items', args, kw);
    return newView(itemsView, args[0]!);
  });
  def('get', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'get', args, kw, ['key', 'default'], 1);
    const value = heap.dictGet(args[0]!, key!);
    const out = value !== NULL ? value : fallback !== NULL ? fallback! : heap.None;
    heap.incref(out);
    return out;
  });
  def('setdefault', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'setdefault', args, kw, ['key', 'default'], 1);
    const value = heap.dictGet(args[0]!, key!);
    if (value !== NULL) {
      heap.incref(value);
      return value;
    }
    const put = fallback !== NULL ? fallback! : heap.None;
    changeDict(vm, args[0]!, () => heap.dictSet(args[0]!, key!, put));
    heap.incref(put);
    return put;
  });
  def('pop', (vm, args, kw) => {
    const [key, fallback] = parseArgs(vm, 'pop', args, kw, ['key', 'default'], 1);
    const dict = args[0]!;
    const value = heap.dictGet(dict, key!);
    if (value === NULL) {
      if (fallback !== NULL) {
        heap.incref(fallback!);
        return fallback!;
      }
      throw keyError(vm, key!);
    }
    heap.incref(value);
    changeDict(vm, dict, () => heap.dictDelete(dict, key!));
    return value;
  });
  def('popitem', (vm, args, kw) => {
    noArgs(vm, 'popitem', args, kw);
    const dict = args[0]!;
    let lastKey: Ref = NULL;
    let lastValue: Ref = NULL;
    heap.dictForEach(dict, (key, value) => {
      lastKey = key;
      lastValue = value;
    });
    if (lastKey === NULL) throw vm.error('KeyError', 'popitem(): dictionary is empty');
    const pair = heap.newTuple([lastKey, lastValue]);
    changeDict(vm, dict, () => heap.dictDelete(dict, lastKey));
    return pair;
  });
  def('update', (vm, args, kw) => {
    if (args.length > 2) throw vm.typeError(`update expected at most 1 argument, got ${args.length - 1}`);
    if (args.length === 2) dictMerge(vm, args[0]!, args[1]!);
    applyKwargs(vm, args[0]!, kw);
    return heap.newNone();
  });
  def('clear', (vm, args, kw) => {
    noArgs(vm, 'clear', args, kw);
    clearDict(vm, args[0]!);
    return heap.newNone();
  });
  def('copy', (vm, args, kw) => {
    noArgs(vm, 'copy', args, kw);
    const copy = heap.newDict();
    heap.dictForEach(args[0]!, (key, value) => heap.dictSet(copy, key, value));
    return copy;
  });
  vm.defineClassMethod(cls, 'fromkeys', (vm, args) => {
    if (args.length < 2) throw vm.typeError(`fromkeys expected at least 1 argument, got ${args.length - 1}`);
    if (args.length > 3) throw vm.typeError(`fromkeys expected at most 2 arguments, got ${args.length - 1}`);
    const value = args.length === 3 ? args[2]! : heap.None;
    const made = vm.call(args[0]!, []);
    try {
      const keys = listOf(vm, args[1]!);
      try {
        for (const key of keys) {
          if (heap.kindOf(made) === Kind.Dict) heap.dictSet(made, key, value);
          else heap.decref(vm.callMethod(made, '__setitem__', [key, value]));
        }
      } finally {
        for (const key of keys) heap.decref(key);
      }
    } catch (error) {
      heap.decref(made);
      throw error;
    }
    return made;
  });
  def('__getitem__', (vm, args) => getItem(vm, args[0]!, oneArg(vm, '__getitem__', args)));
  def('__setitem__', (vm, args) => {
    if (args.length !== 3) throw vm.typeError(`expected 2 arguments, got ${args.length - 1}`);
    changeDict(vm, args[0]!, () => heap.dictSet(args[0]!, args[1]!, args[2]!));
    return heap.newNone();
  });
  def('__delitem__', (vm, args) => {
    const key = oneArg(vm, '__delitem__', args);
    if (heap.dictGet(args[0]!, key) === NULL) throw keyError(vm, key);
    changeDict(vm, args[0]!, () => heap.dictDelete(args[0]!, key));
    return heap.newNone();
  });
  def('__contains__', (vm, args) => heap.newBool(contains(vm, args[0]!, oneArg(vm, '__contains__', args))));
  def('__len__', (vm, args) => heap.newInt(heap.length(args[0]!)));
  def('__iter__', (vm, args) => newIter(iterators.keys, args[0]!));
  def('__reversed__', (vm, args) => newIter(iterators.rkeys, args[0]!));
  def('__or__', (vm, args) => {
    const other = oneArg(vm, '__or__', args);
    if (heap.kindOf(other) !== Kind.Dict) return NotImplementedRef(vm);
    const out = heap.newDict();
    heap.dictForEach(args[0]!, (key, value) => heap.dictSet(out, key, value));
    heap.dictForEach(other, (key, value) => heap.dictSet(out, key, value));
    return out;
  });
  def('__ror__', (vm, args) => {
    const other = oneArg(vm, '__ror__', args);
    if (heap.kindOf(other) !== Kind.Dict) return NotImplementedRef(vm);
    const out = heap.newDict();
    heap.dictForEach(other, (key, value) => heap.dictSet(out, key, value));
    heap.dictForEach(args[0]!, (key, value) => heap.dictSet(out, key, value));
    return out;
  });
  def('__ior__', (vm, args) => {
    dictMerge(vm, args[0]!, oneArg(vm, '__ior__', args));
    heap.incref(args[0]!);
    return args[0]!;
  });
  for (const [name, op] of [['__eq__', 'Eq'], ['__ne__', 'NotEq']] as const) {
    def(name, (vm, args) => {
      const other = oneArg(vm, name, args);
      if (heap.kindOf(other) !== Kind.Dict) return NotImplementedRef(vm);
      return richCompare(vm, args[0]!, other, op);
    });
  }
  def('__repr__', (vm, args) => heap.newStr(repr(vm, args[0]!), { intern: false }));
  vm.setItemStr(cls.dict, '__hash__', heap.None);
}

/** dict.clear(): every entry released once the dict is empty. */
export function clearDict(vm: VM, dict: Ref): void {
  const heap = vm.heap;
  const keys = keysOf(vm, dict);
  const values: Ref[] = [];
  for (const key of keys) {
    const value = heap.dictGet(dict, key);
    heap.incref(key);
    heap.incref(value);
    values.push(value);
  }
  for (const key of keys) changeDict(vm, dict, () => heap.dictDelete(dict, key));
  for (const key of keys) heap.decref(key);
  for (const value of values) heap.decref(value);
}
