/**
 * weakref.proxy (ProxyType, Objects/weakrefobject.c): attribute access, calls, items,
 * comparisons and the rest forwarded to the live referent; ReferenceError once it is dead.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { deleteAttribute, getAttribute, setAttribute } from '../../attributes.ts';
import { contains, delItem, getItem, length, richCompare, setItem, truthy } from '../../operators.ts';
import { getIter } from '../../iteration.ts';
import { str as strOf } from '../../repr.ts';
import { registerType, type ModuleNames } from './support.ts';
import type { WeakMaker } from './callbacks.ts';
import type { VM } from '../../vm.ts';

export function installProxy(vm: VM, names: ModuleNames, { makeWeak }: WeakMaker): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put, def } = names;
  const proxyType = weakrefs.proxyType;
  const proxyClass = registerType(vm, 'ProxyType', proxyType);
  const referent = (vm: VM, proxy: Ref): Ref => {
    const obj = weakrefs.deref(proxy);
    if (obj === NULL) throw vm.error('ReferenceError', 'weakly-referenced object no longer exists');
    return obj;
  };
  vm.defineMethod(proxyClass, '__getattr__', (vm, args) => getAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!)));
  vm.defineMethod(proxyClass, '__setattr__', (vm, args) => {
    setAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!), args[2]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__delattr__', (vm, args) => {
    deleteAttribute(vm, referent(vm, args[0]!), strOf(vm, args[1]!));
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__call__', (vm, args, kw) => vm.call(referent(vm, args[0]!), args.slice(1), kw));
  vm.defineMethod(proxyClass, '__str__', (vm, args) => heap.newStr(strOf(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__len__', (vm, args) => heap.newInt(length(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__bool__', (vm, args) => heap.newBool(truthy(vm, referent(vm, args[0]!))));
  vm.defineMethod(proxyClass, '__getitem__', (vm, args) => getItem(vm, referent(vm, args[0]!), args[1]!));
  vm.defineMethod(proxyClass, '__setitem__', (vm, args) => {
    setItem(vm, referent(vm, args[0]!), args[1]!, args[2]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__delitem__', (vm, args) => {
    delItem(vm, referent(vm, args[0]!), args[1]!);
    return heap.newNone();
  });
  vm.defineMethod(proxyClass, '__contains__', (vm, args) => heap.newBool(contains(vm, referent(vm, args[0]!), args[1]!)));
  vm.defineMethod(proxyClass, '__iter__', (vm, args) => getIter(vm, referent(vm, args[0]!)));
  const unwrap = (vm: VM, ref: Ref): Ref => (weakrefs.isWeakref(ref) && weakrefs.isProxy(ref) ? referent(vm, ref) : ref);
  for (const [name, op] of [
    ['__eq__', 'Eq'],
    ['__ne__', 'NotEq'],
    ['__lt__', 'Lt'],
    ['__le__', 'LtE'],
    ['__gt__', 'Gt'],
    ['__ge__', 'GtE'],
  ] as const) {
    vm.defineMethod(proxyClass, name, (vm, args) => richCompare(vm, referent(vm, args[0]!), unwrap(vm, args[1]!), op));
  }
  vm.setItemStr(proxyClass.dict, '__hash__', heap.None);
  put('ProxyType', proxyClass.object);
  put('CallableProxyType', proxyClass.object);
  const proxyTypes = heap.newTuple([proxyClass.object, proxyClass.object]);
  put('ProxyTypes', proxyTypes);
  heap.decref(proxyTypes);

  def('proxy', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('proxy() takes no keyword arguments');
    if (args.length < 1 || args.length > 2) throw vm.typeError(`proxy expected at ${args.length < 1 ? 'least 1' : 'most 2'} argument${args.length < 1 ? '' : 's'}, got ${args.length}`);
    return makeWeak(args[0]!, args[1] ?? NULL, true);
  });
}
