/**
 * classmethod and staticmethod (Objects/funcobject.c): a callable in slot 0, bound to the class
 * or returned as it is by `__get__`; a staticmethod is callable itself since 3.10.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { positional, newRef, slotOrNone } from '../builtin-support.ts';
import { findAttribute } from '../attributes.ts';
import { newMethod } from '../function.ts';
import { truthy } from '../operators.ts';
import type { VM } from '../vm.ts';

/** classmethod's and staticmethod's constructors, getsets and methods, on the classes vm.fn made. */
export function installMethodDecorators(vm: VM): void {
  const { classmethod, staticmethod } = vm.fn;
  for (const [cls, name] of [[classmethod, 'classmethod'], [staticmethod, 'staticmethod']] as const) {
    cls.construct = (vm, klass, args, kw) => {
      if (kw !== null && kw.names.length > 0) throw vm.typeError(`${name}() takes no keyword arguments`);
      positional(vm, name, args, 1, 1);
      const wrapper = vm.heap.newInstance(klass.instanceType ?? cls.instanceType!);
      vm.heap.setSlot(wrapper, 0, args[0]!);
      return wrapper;
    };
    cls.getset.set('__func__', { get: slotOrNone(0) });
    cls.getset.set('__wrapped__', { get: slotOrNone(0) });
    cls.getset.set('__isabstractmethod__', {
      get: (vm, self) => {
        const inner = vm.heap.getSlot(self, 0);
        const flag = inner === NULL ? NULL : findAttribute(vm, inner, '__isabstractmethod__');
        if (flag === NULL) return vm.heap.newBool(false);
        const yes = truthy(vm, flag);
        vm.heap.decref(flag);
        return vm.heap.newBool(yes);
      },
    });
  }
  vm.defineMethod(classmethod, '__get__', (vm, args) => {
    const [self, obj, type] = args as [Ref, Ref, Ref | undefined];
    const owner = type !== undefined && type !== vm.heap.None ? type : vm.classOf(obj).object;
    return newMethod(vm, vm.heap.getSlot(self, 0), owner);
  });
  vm.defineMethod(staticmethod, '__get__', (vm, args) => newRef(vm, vm.heap.getSlot(args[0]!, 0)));
  // Since 3.10 a staticmethod is callable.
  vm.defineMethod(staticmethod, '__call__', (vm, args, kw) => vm.call(vm.heap.getSlot(args[0]!, 0), args.slice(1), kw));
}
