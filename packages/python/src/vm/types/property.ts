/**
 * property (Objects/descrobject.c): a data descriptor over a getter, setter and deleter, with
 * property_init's docstring taken from the getter and property_copy's getter/setter/deleter.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, PyClass } from '../classes.ts';
import { clinic, isNone, newRef, noKeywords, slotOrNone } from '../builtin-support.ts';
import { findAttribute } from '../attributes.ts';
import type { VM } from '../vm.ts';

const FGET = 0;
const FSET = 1;
const FDEL = 2;
const DOC = 3;

/** property's constructor, getsets and methods, on the class vm.fn made. */
export function installProperty(vm: VM): void {
  const { property } = vm.fn;
  const makeProperty = (vm: VM, cls: PyClass, parts: readonly Ref[], docGiven: boolean): Ref => {
    const heap = vm.heap;
    const prop = heap.newInstance(cls.instanceType ?? property.instanceType!);
    for (let i = 0; i < 3; i++) if (!isNone(vm, parts[i] ?? NULL)) heap.setSlot(prop, i, parts[i]!);
    const doc = parts[DOC] ?? NULL;
    if (isNone(vm, doc) && !docGiven && !isNone(vm, parts[FGET] ?? NULL)) {
      // property_init: the getter's docstring when no doc is given.
      const fromGetter = findAttribute(vm, parts[FGET]!, '__doc__');
      if (fromGetter !== NULL) {
        heap.setSlot(prop, DOC, fromGetter);
        heap.decref(fromGetter);
      }
    } else if (!isNone(vm, doc)) heap.setSlot(prop, DOC, doc);
    return prop;
  };

  property.construct = (vm, cls, args, kw) => {
    const parts = clinic(vm, 'property', args, kw, ['fget', 'fset', 'fdel', 'doc'], 0);
    return makeProperty(vm, cls, parts, false);
  };
  property.getset.set('fget', { get: slotOrNone(FGET) });
  property.getset.set('fset', { get: slotOrNone(FSET) });
  property.getset.set('fdel', { get: slotOrNone(FDEL) });
  property.getset.set('__doc__', {
    get: slotOrNone(DOC),
    set: (vm, self, value) => vm.heap.setSlot(self, DOC, value),
  });
  const copyWith = (which: number, name: string) => (vm: VM, args: readonly Ref[], kw: Kwargs | null): Ref => {
    noKeywords(vm, name, kw);
    if (args.length !== 2) throw vm.typeError(`${name}() takes exactly one argument (${args.length - 1} given)`);
    const self = args[0]!;
    const heap = vm.heap;
    const parts = [0, 1, 2].map((i) => (i === which ? args[1]! : heap.getSlot(self, i)));
    // CPython's property_copy: the getter's doc follows a new getter unless a doc was given.
    const doc = heap.getSlot(self, DOC);
    const keepDoc = which !== FGET || doc === NULL || doc === heap.None;
    parts.push(keepDoc ? doc : NULL);
    return makeProperty(vm, vm.classOf(self), parts, false);
  };
  vm.defineMethod(property, 'getter', copyWith(FGET, 'getter'));
  vm.defineMethod(property, 'setter', copyWith(FSET, 'setter'));
  vm.defineMethod(property, 'deleter', copyWith(FDEL, 'deleter'));
  vm.defineMethod(property, '__get__', (vm, args) => {
    const [self, obj] = args as [Ref, Ref];
    if (obj === undefined || obj === vm.heap.None) return newRef(vm, self);
    const fget = vm.heap.getSlot(self, FGET);
    if (fget === NULL) throw vm.error('AttributeError', `property of '${vm.typeName(obj)}' object has no getter`);
    return vm.call(fget, [obj]);
  });
  vm.defineMethod(property, '__set__', (vm, args) => {
    const [self, obj, value] = args as [Ref, Ref, Ref];
    const fset = vm.heap.getSlot(self, FSET);
    if (fset === NULL) throw vm.error('AttributeError', `property of '${vm.typeName(obj)}' object has no setter`);
    vm.heap.decref(vm.call(fset, [obj, value]));
    return vm.heap.newNone();
  });
  vm.defineMethod(property, '__delete__', (vm, args) => {
    const [self, obj] = args as [Ref, Ref];
    const fdel = vm.heap.getSlot(self, FDEL);
    if (fdel === NULL) throw vm.error('AttributeError', `property of '${vm.typeName(obj)}' object has no deleter`);
    vm.heap.decref(vm.call(fdel, [obj]));
    return vm.heap.newNone();
  });
}
