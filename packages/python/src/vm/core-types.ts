/**
 * The classes of the heap's own kinds (int, str, list, dict, …) and the few singletons every
 * program meets (None, NotImplemented, Ellipsis), plus `object`, `type` and `module`. Their
 * methods are installed by the files in types/, one per type.
 */
import { NULL } from '@refheap/core';
import type { HeapType, Ref } from '@refheap/core';
import { PyClass } from './classes.ts';
import type { VM } from './vm.ts';

export interface CoreTypes {
  readonly object: PyClass;
  readonly type: PyClass;
  readonly NoneType: PyClass;
  readonly bool: PyClass;
  readonly int: PyClass;
  readonly float: PyClass;
  readonly str: PyClass;
  readonly bytes: PyClass;
  readonly bytearray: PyClass;
  readonly tuple: PyClass;
  readonly list: PyClass;
  readonly dict: PyClass;
  readonly set: PyClass;
  readonly cell: PyClass;
  readonly module: PyClass;
  readonly NotImplementedType: PyClass;
  readonly ellipsis: PyClass;
  readonly slice: PyClass;
  /** The NotImplemented and Ellipsis singletons (owned by the VM for the heap's life). */
  readonly NotImplemented: Ref;
  readonly Ellipsis: Ref;
}

export function installCoreTypes(vm: VM): CoreTypes {
  const heap = vm.heap;
  // A class object for a kind the heap defines: the class statement's machinery gives us one.
  const forKind = (name: string, type: HeapType, base: PyClass | null, baseAllowed = false): PyClass => {
    const stand = heap.defineClass(name, { slots: [] });
    const cls = new PyClass(name, stand.object, heap.attributeDict(stand.object), type, false);
    cls.bases = base ? [base] : [];
    cls.mro = [cls, ...(base?.mro ?? [])];
    cls.baseAllowed = baseAllowed;
    return vm.register(cls, [type]);
  };
  const objectType = heap.defineClass('object', { slots: [] });
  const object = vm.register(new PyClass('object', objectType.object, heap.attributeDict(objectType.object), objectType, false));
  object.baseAllowed = true;
  const t = heap.types;
  const int = forKind('int', t.int, object);
  const types = {
    object,
    type: forKind('type', t.type, object, true),
    NoneType: forKind('NoneType', t.NoneType, object),
    int,
    bool: forKind('bool', t.bool, int),
    float: forKind('float', t.float, object),
    str: forKind('str', t.str, object),
    bytes: forKind('bytes', t.bytes, object),
    bytearray: forKind('bytearray', t.bytearray, object),
    tuple: forKind('tuple', t.tuple, object),
    list: forKind('list', t.list, object),
    dict: forKind('dict', t.dict, object),
    set: forKind('set', t.set, object),
    cell: forKind('cell', t.cell, object),
  };
  // The class objects the heap made for these stand-ins are `type` instances: register them.
  const module = nativeClass(vm, 'module', object, { slots: ['__dict__'], weakrefable: true });
  const NotImplementedType = nativeClass(vm, 'NotImplementedType', object, { slots: [] });
  const ellipsis = nativeClass(vm, 'ellipsis', object, { slots: [] });
  const slice = nativeClass(vm, 'slice', object, { slots: ['start', 'stop', 'step'] });
  const NotImplemented = heap.newInstance(NotImplementedType.instanceType!);
  const Ellipsis = heap.newInstance(ellipsis.instanceType!);
  return { ...types, module, NotImplementedType, ellipsis, slice, NotImplemented, Ellipsis };
}

function nativeClass(
  vm: VM,
  name: string,
  base: PyClass,
  spec: { readonly slots: readonly string[]; readonly weakrefable?: boolean },
): PyClass {
  const type = vm.heap.defineClass(name, { slots: spec.slots, weakrefable: spec.weakrefable ?? false });
  const cls = new PyClass(name, type.object, vm.heap.attributeDict(type.object), type, false);
  cls.bases = [base];
  cls.mro = [cls, ...base.mro];
  return vm.register(cls);
}

/** A slice object, a new reference; parts are borrowed (NULL for None). */
export function newSlice(vm: VM, start: Ref, stop: Ref, step: Ref): Ref {
  const heap = vm.heap;
  const slice = heap.newInstance(vm.core.slice.instanceType!);
  heap.setSlot(slice, 0, start === NULL ? heap.None : start);
  heap.setSlot(slice, 1, stop === NULL ? heap.None : stop);
  heap.setSlot(slice, 2, step === NULL ? heap.None : step);
  return slice;
}
