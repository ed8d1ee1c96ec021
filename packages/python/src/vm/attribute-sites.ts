/**
 * Attribute reads and writes at one place in the code, remembering what the last object's
 * class made of the name (CPython 3.11's specialized LOAD_ATTR_SLOT / STORE_ATTR_SLOT and
 * their instance-value forms): when the next object has the same heap type and no class dict
 * has changed since (`vm.classEpoch`), a plain instance attribute is read or written in its
 * slot or attribute storage directly. Anything else — descriptors, `__setattr__`, classes,
 * built-in types — takes attributes.ts's general path, every time.
 */
import { Kind, NULL } from '@refheap/core';
import type { HeapType, Ref } from '@refheap/core';
import { classLookup, getAttribute, setAttribute } from './attributes.ts';
import type { VM } from './vm.ts';

/** Where a plain attribute of instances of one type lives: a slot's index, or their attribute storage. */
const IN_STORAGE = -1;
const NOT_PLAIN = -2;

/**
 * How `obj.name` resolves for instances of `obj`'s type when nothing on the class intercepts
 * it: the object slot's index, IN_STORAGE, or NOT_PLAIN when the general path must decide.
 */
function plainPlace(vm: VM, type: HeapType, name: string, forStore: boolean): number {
  if (type.kind !== Kind.Instance) return NOT_PLAIN;
  const cls = vm.classForType(type);
  if (cls === undefined || cls.findGetSet(name) !== undefined) return NOT_PLAIN;
  if (classLookup(vm, cls, name) !== NULL) return NOT_PLAIN;
  if (forStore) {
    const hook = classLookup(vm, cls, '__setattr__');
    if (hook !== NULL && hook !== classLookup(vm, vm.core.object, '__setattr__')) return NOT_PLAIN;
  }
  const slot = type.slotIndex.get(name);
  if (slot !== undefined) return type.slots[slot]!.kind === 'object' ? slot : NOT_PLAIN;
  return type.hasDict ? IN_STORAGE : NOT_PLAIN;
}

/** `obj.name = value` for one site; `obj` borrowed, `value` borrowed. */
export function attributeStoreSite(vm: VM, name: string): (obj: Ref, value: Ref) => void {
  const heap = vm.heap;
  let type: HeapType | null = null;
  let epoch = -1;
  let place = NOT_PLAIN;
  return (obj, value) => {
    const t = heap.typeOf(obj);
    if (t !== type || epoch !== vm.classEpoch) {
      type = t;
      epoch = vm.classEpoch;
      place = plainPlace(vm, t, name, true);
    }
    if (place >= 0) heap.setSlot(obj, place, value);
    else if (place === IN_STORAGE) heap.setAttr(obj, name, value);
    else setAttribute(vm, obj, name, value);
  };
}

/** `obj.name` for one site, a new reference; `obj` borrowed. */
export function attributeLoadSite(vm: VM, name: string): (obj: Ref) => Ref {
  const heap = vm.heap;
  let type: HeapType | null = null;
  let epoch = -1;
  let place = NOT_PLAIN;
  return (obj) => {
    const t = heap.typeOf(obj);
    if (t !== type || epoch !== vm.classEpoch) {
      type = t;
      epoch = vm.classEpoch;
      place = plainPlace(vm, t, name, false);
    }
    if (place !== NOT_PLAIN) {
      const found = place >= 0 ? heap.getSlot(obj, place) : heap.ownAttr(obj, name);
      if (found !== NULL) {
        heap.incref(found);
        return found;
      }
    }
    return getAttribute(vm, obj, name);
  };
}
