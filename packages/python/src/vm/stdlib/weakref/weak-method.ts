/**
 * Lib/weakref.py's WeakMethod: weak references to a bound method's __self__ and __func__;
 * calling it makes the bound method again while both live. The callback (if any) is called
 * with the WeakMethod when either dies first.
 */
import { NULL } from '@refheap/core';
import { newMethod } from '../../function.ts';
import { callOut, guard, type ModuleNames } from './support.ts';
import type { VM } from '../../vm.ts';

export function installWeakMethod(vm: VM, names: ModuleNames): void {
  const heap = vm.heap;
  const weakrefs = vm.weakrefs;
  const { put } = names;
  const WM_SELF = 0;
  const WM_FUNC = 1;
  const WM_CALLBACK = 2;
  const weakMethod = vm.nativeClass('WeakMethod', { slots: ['self_ref', 'func_ref', 'callback'], weakrefable: true, module: 'weakref' });
  weakMethod.construct = (vm, cls, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('WeakMethod() takes no keyword arguments');
    if (args.length < 1 || args.length > 2) throw vm.typeError(`WeakMethod expected 1 or 2 arguments, got ${args.length}`);
    const meth = args[0]!;
    if (heap.typeOf(meth) !== vm.fn.methodType) {
      throw vm.typeError(`argument should be a bound method, not ${vm.typeName(meth)}`);
    }
    const self = heap.newInstance(cls.instanceType!);
    const serial = heap.serialOf(self);
    const dead = (): void => {
      if (!heap.isAlive(self) || heap.serialOf(self) !== serial) return;
      const cb = heap.getSlot(self, WM_CALLBACK);
      if (cb === NULL) return;
      heap.incref(cb);
      heap.setSlot(self, WM_CALLBACK, NULL); // called once, for whichever dies first
      heap.incref(self);
      try {
        callOut(vm, cb, [self], cb);
      } finally {
        heap.decref(self);
        heap.decref(cb);
      }
    };
    try {
      const selfRef = guard(vm, () => weakrefs.ref(heap.getSlot(meth, 1), dead));
      heap.setSlot(self, WM_SELF, selfRef);
      heap.decref(selfRef);
      const funcRef = guard(vm, () => weakrefs.ref(heap.getSlot(meth, 0), dead));
      heap.setSlot(self, WM_FUNC, funcRef);
      heap.decref(funcRef);
    } catch (error) {
      heap.decref(self);
      throw error;
    }
    const cb = args[1];
    if (cb !== undefined && cb !== heap.None) heap.setSlot(self, WM_CALLBACK, cb);
    return self;
  };
  vm.defineMethod(weakMethod, '__call__', (_vm, args) => {
    const obj = weakrefs.deref(heap.getSlot(args[0]!, WM_SELF));
    const func = weakrefs.deref(heap.getSlot(args[0]!, WM_FUNC));
    if (obj === NULL || func === NULL) return heap.newNone();
    return newMethod(vm, func, obj);
  });
  put('WeakMethod', weakMethod.object);
}
