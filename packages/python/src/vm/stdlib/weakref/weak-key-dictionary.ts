/** Lib/weakref.py's WeakKeyDictionary: data = {id(key): (weakref(key), value)}; an entry goes when its key dies. */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { guard, newRefList, type ModuleNames } from './support.ts';
import { containerKit } from './containers.ts';
import { defineMappingMethods } from './mapping-methods.ts';
import type { VM } from '../../vm.ts';

export function installWeakKeyDictionary(vm: VM, names: ModuleNames): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const kit = containerKit(vm);
  const { dataOf, container, remover, update, construct, idKey, byId, deleteById } = kit;
  const wkd = container('WeakKeyDictionary');
  const wkdSet = (self: Ref, key: Ref, value: Ref): void => {
    const id = idKey(vm, key);
    try {
      const existing = heap.dictGet(dataOf(self), id);
      let wr: Ref;
      if (existing !== NULL && weakrefs.deref(heap.item(existing, 0)) === key) {
        wr = heap.item(existing, 0);
        heap.incref(wr);
      } else {
        wr = guard(vm, () => weakrefs.ref(key, remover(self, id, (entry) => heap.item(entry, 0))));
      }
      const entry = heap.newTuple([wr, value]);
      heap.decref(wr);
      try {
        heap.dictSet(dataOf(self), id, entry);
      } finally {
        heap.decref(entry);
      }
    } finally {
      heap.decref(id);
    }
  };
  const wkdEntries = (self: Ref): [Ref, Ref][] => {
    const out: [Ref, Ref][] = [];
    heap.dictForEach(dataOf(self), (_id, entry) => {
      const k = weakrefs.deref(heap.item(entry, 0));
      if (k !== NULL) out.push([k, heap.item(entry, 1)]);
    });
    return out;
  };
  wkd.construct = construct(wkd, (vm, self, args, kw) => update(vm, self, args, kw, wkdSet, 'WeakKeyDictionary'));

  defineMappingMethods(
    vm,
    kit,
    wkd,
    true,
    wkdEntries,
    (vm, self, key) => {
      const entry = byId(vm, self, key, (e) => heap.item(e, 0));
      return entry === NULL ? NULL : heap.item(entry, 1);
    },
    wkdSet,
    (_vm, self, key) => deleteById(self, key),
  );
  vm.defineMethod(wkd, 'keyrefs', (_vm, args) => {
    const refs: Ref[] = [];
    heap.dictForEach(dataOf(args[0]!), (_id, entry) => {
      if (weakrefs.deref(heap.item(entry, 0)) !== NULL) refs.push(heap.item(entry, 0));
    });
    return newRefList(vm, refs);
  });
  put('WeakKeyDictionary', wkd.object);
}
