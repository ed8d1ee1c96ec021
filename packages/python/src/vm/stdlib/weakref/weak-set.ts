/** Lib/_weakrefset.py's WeakSet: data = {id(item): weakref(item)}, with the set algebra by identity of the live items. */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs } from '../../classes.ts';
import { getIter, listOf } from '../../iteration.ts';
import { repr as reprOf } from '../../repr.ts';
import { isAbsent } from '../../types/args.ts';
import { guard, keyError, newRefList, type ModuleNames } from './support.ts';
import { DATA, containerKit } from './containers.ts';
import type { VM } from '../../vm.ts';

export function installWeakSet(vm: VM, names: ModuleNames): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const { dataOf, container, remover, newContainer, construct, idKey, byId, deleteById } = containerKit(vm);
  const ws = container('WeakSet');
  const wsItems = (self: Ref): Ref[] => {
    const out: Ref[] = [];
    heap.dictForEach(dataOf(self), (_id, wr) => {
      const item = weakrefs.deref(wr);
      if (item !== NULL) out.push(item);
    });
    return out;
  };
  const wsHas = (self: Ref, item: Ref): boolean => byId(vm, self, item, (e) => e) !== NULL;
  const wsAdd = (self: Ref, item: Ref): void => {
    if (wsHas(self, item)) return;
    const id = idKey(vm, item);
    try {
      const wr = guard(vm, () => weakrefs.ref(item, remover(self, id, (entry) => entry)));
      try {
        heap.dictSet(dataOf(self), id, wr);
      } finally {
        heap.decref(wr);
      }
    } finally {
      heap.decref(id);
    }
  };
  const wsInit = (vm: VM, self: Ref, args: readonly Ref[], kw: Kwargs | null): void => {
    if (kw && kw.names.length > 0) throw vm.typeError('WeakSet() takes no keyword arguments');
    if (args.length > 1) throw vm.typeError(`WeakSet expected at most 1 argument, got ${args.length}`);
    if (args.length === 1 && !isAbsent(vm, args[0]!)) {
      const items = listOf(vm, args[0]!);
      try {
        for (const item of items) wsAdd(self, item);
      } finally {
        for (const item of items) heap.decref(item);
      }
    }
  };
  vm.defineMethod(ws, '__init__', (vm, args, kw) => {
    wsInit(vm, args[0]!, args.slice(1), kw);
    return heap.newNone();
  });
  ws.construct = construct(ws, wsInit);

  vm.defineMethod(ws, '__len__', (_vm, args) => heap.newInt(wsItems(args[0]!).length));
  vm.defineMethod(ws, '__contains__', (_vm, args) => heap.newBool(weakrefs.isWeakrefable(args[1]!) && wsHas(args[0]!, args[1]!)));
  vm.defineMethod(ws, '__iter__', (vm, args) => {
    const items = newRefList(vm, wsItems(args[0]!));
    try {
      return getIter(vm, items);
    } finally {
      heap.decref(items);
    }
  });
  vm.defineMethod(ws, 'add', (_vm, args) => {
    wsAdd(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'discard', (_vm, args) => {
    if (wsHas(args[0]!, args[1]!)) deleteById(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'remove', (vm, args) => {
    if (!wsHas(args[0]!, args[1]!)) throw keyError(vm, args[1]!);
    deleteById(args[0]!, args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'pop', (vm, args) => {
    const items = wsItems(args[0]!);
    const item = items[items.length - 1];
    if (item === undefined) throw vm.error('KeyError', 'pop from empty WeakSet');
    heap.incref(item);
    deleteById(args[0]!, item);
    return item;
  });
  vm.defineMethod(ws, 'clear', (_vm, args) => {
    const data = heap.newDict();
    heap.setSlot(args[0]!, DATA, data);
    heap.decref(data);
    return heap.newNone();
  });
  vm.defineMethod(ws, 'update', (vm, args) => {
    for (const other of args.slice(1)) {
      const items = listOf(vm, other);
      try {
        for (const item of items) wsAdd(args[0]!, item);
      } finally {
        for (const item of items) heap.decref(item);
      }
    }
    return heap.newNone();
  });
  vm.defineMethod(ws, 'copy', (_vm, args) => {
    const copy = newContainer(ws);
    for (const item of wsItems(args[0]!)) wsAdd(copy, item);
    return copy;
  });
  // Set algebra (Lib/_weakrefset.py), by identity of the live items.
  /** The items of any iterable, owned; for a WeakSet, its live items. */
  const itemsOf = (vm: VM, other: Ref): Ref[] => {
    if (vm.isInstance(other, ws)) {
      const items = wsItems(other);
      for (const item of items) heap.incref(item);
      return items;
    }
    return listOf(vm, other);
  };
  const withItems = <T>(vm: VM, other: Ref, body: (items: Ref[]) => T): T => {
    const items = itemsOf(vm, other);
    try {
      return body(items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  };
  const fromItems = (items: readonly Ref[]): Ref => {
    const out = newContainer(ws);
    for (const item of items) wsAdd(out, item);
    return out;
  };
  const notImplemented = (): Ref => {
    heap.incref(vm.core.NotImplemented);
    return vm.core.NotImplemented;
  };
  type SetOp = (mine: Ref[], theirs: Set<Ref>, theirList: Ref[]) => Ref[];
  const union: SetOp = (mine, theirs, theirList) => [...mine, ...theirList.filter((x) => !mine.includes(x))];
  const intersection: SetOp = (mine, theirs) => mine.filter((x) => theirs.has(x));
  const difference: SetOp = (mine, theirs) => mine.filter((x) => !theirs.has(x));
  const symmetric: SetOp = (mine, theirs, theirList) => [...mine.filter((x) => !theirs.has(x)), ...theirList.filter((x) => !mine.includes(x))];
  for (const [named, operator, inplace, op, updateName] of [
    ['union', '__or__', '__ior__', union, 'update'],
    ['intersection', '__and__', '__iand__', intersection, 'intersection_update'],
    ['difference', '__sub__', '__isub__', difference, 'difference_update'],
    ['symmetric_difference', '__xor__', '__ixor__', symmetric, 'symmetric_difference_update'],
  ] as const) {
    const compute = (vm: VM, self: Ref, other: Ref): Ref[] => withItems(vm, other, (theirs) => op(wsItems(self), new Set(theirs), theirs));
    vm.defineMethod(ws, named, (vm, args) => fromItems(compute(vm, args[0]!, args[1]!)));
    vm.defineMethod(ws, operator, (vm, args) => (vm.isInstance(args[1]!, ws) ? fromItems(compute(vm, args[0]!, args[1]!)) : notImplemented()));
    const assign = (vm: VM, self: Ref, other: Ref): void => {
      const result = compute(vm, self, other);
      for (const item of result) heap.incref(item);
      try {
        const data = heap.newDict();
        heap.setSlot(self, DATA, data);
        heap.decref(data);
        for (const item of result) wsAdd(self, item);
      } finally {
        for (const item of result) heap.decref(item);
      }
    };
    if (updateName !== 'update') {
      vm.defineMethod(ws, updateName, (vm, args) => {
        assign(vm, args[0]!, args[1]!);
        return heap.newNone();
      });
    }
    vm.defineMethod(ws, inplace, (vm, args) => {
      if (!vm.isInstance(args[1]!, ws)) return notImplemented();
      assign(vm, args[0]!, args[1]!);
      heap.incref(args[0]!);
      return args[0]!;
    });
  }
  const subset = (vm: VM, self: Ref, other: Ref, strict: boolean): boolean =>
    withItems(vm, other, (theirs) => {
      const mine = wsItems(self);
      const set = new Set(theirs);
      return mine.every((x) => set.has(x)) && (!strict || set.size > mine.length);
    });
  const superset = (vm: VM, self: Ref, other: Ref, strict: boolean): boolean =>
    withItems(vm, other, (theirs) => {
      const mine = new Set(wsItems(self));
      const set = new Set(theirs);
      return [...set].every((x) => mine.has(x)) && (!strict || mine.size > set.size);
    });
  vm.defineMethod(ws, 'issubset', (vm, args) => heap.newBool(subset(vm, args[0]!, args[1]!, false)));
  vm.defineMethod(ws, 'issuperset', (vm, args) => heap.newBool(superset(vm, args[0]!, args[1]!, false)));
  vm.defineMethod(ws, 'isdisjoint', (vm, args) => heap.newBool(withItems(vm, args[1]!, (theirs) => intersection(wsItems(args[0]!), new Set(theirs), theirs).length === 0)));
  for (const [name, test] of [
    ['__le__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, false)],
    ['__lt__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, true)],
    ['__ge__', (vm: VM, a: Ref, b: Ref) => superset(vm, a, b, false)],
    ['__gt__', (vm: VM, a: Ref, b: Ref) => superset(vm, a, b, true)],
    ['__eq__', (vm: VM, a: Ref, b: Ref) => subset(vm, a, b, false) && superset(vm, a, b, false)],
    ['__ne__', (vm: VM, a: Ref, b: Ref) => !(subset(vm, a, b, false) && superset(vm, a, b, false))],
  ] as const) {
    vm.defineMethod(ws, name, (vm, args) => (vm.isInstance(args[1]!, ws) ? heap.newBool(test(vm, args[0]!, args[1]!)) : notImplemented()));
  }
  vm.setItemStr(ws.dict, '__hash__', heap.None);

  vm.defineMethod(ws, '__repr__', (vm, args) => {
    // Lib/_weakrefset.py: repr(self.data), a set of weak references.
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_id, wr) => {
      if (weakrefs.deref(wr) !== NULL) refs.push(wr);
    });
    if (refs.length === 0) return heap.newStr('set()');
    return heap.newStr(`{${refs.map((r) => reprOf(vm, r)).join(', ')}}`);
  });
  put('WeakSet', ws.object);
}
