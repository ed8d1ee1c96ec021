/** Lib/weakref.py's WeakValueDictionary: data = {key: weakref(value)}; an entry goes when its value dies. */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { guard, newRefList, type ModuleNames } from './support.ts';
import { containerKit } from './containers.ts';
import { defineMappingMethods } from './mapping-methods.ts';
import type { VM } from '../../vm.ts';

export function installWeakValueDictionary(vm: VM, names: ModuleNames): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const kit = containerKit(vm);
  const { dataOf, container, remover, update, construct } = kit;
  const wvd = container('WeakValueDictionary');
  const wvdSet = (self: Ref, key: Ref, value: Ref): void => {
    heap.hashKey(key); // unhashable keys raise before a weak reference is made
    const wr = guard(vm, () => weakrefs.ref(value, remover(self, key, (entry) => entry)));
    try {
      guard(vm, () => heap.dictSet(dataOf(self), key, wr));
    } finally {
      heap.decref(wr);
    }
  };
  /** The live value under `key`, borrowed, or NULL. */
  const wvdGet = (self: Ref, key: Ref): Ref => {
    const wr = guard(vm, () => heap.dictGet(dataOf(self), key));
    return wr === NULL ? NULL : weakrefs.deref(wr);
  };
  /** The live (key, value) pairs, borrowed, in insertion order. */
  const wvdEntries = (self: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    heap.dictForEach(dataOf(self), (k, wr) => {
      const v = weakrefs.deref(wr);
      if (v !== NULL) out.push([k, v]);
    });
    return out;
  };
  wvd.construct = construct(wvd, (vm, self, args, kw) => update(vm, self, args, kw, wvdSet, 'WeakValueDictionary'));

  defineMappingMethods(
    vm,
    kit,
    wvd,
    false,
    wvdEntries,
    (_vm, self, key) => wvdGet(self, key),
    wvdSet,
    (_vm, self, key) => guard(vm, () => heap.dictDelete(dataOf(self), key)),
  );
  vm.defineMethod(wvd, 'valuerefs', (_vm, args) => {
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_k, wr) => {
      if (weakrefs.deref(wr) !== NULL) refs.push(wr);
    });
    return newRefList(vm, refs);
  });
  put('WeakValueDictionary', wvd.object);
}
