/**
 * Attribute access: Objects/object.c's PyObject_GenericGetAttr and type_getattro. Data
 * descriptors on the class (properties, the getset attributes of built-in types) come first,
 * then what the instance holds, then the class's attribute — a function found there becomes a
 * bound method, a classmethod binds to the class, a staticmethod is itself.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from './classes.ts';
import { bindNative, newMethod } from './function.ts';
import type { VM } from './vm.ts';

/** `name` in the class dicts along the MRO, borrowed, or NULL. */
export function classLookup(vm: VM, cls: PyClass, name: string): Ref {
  const lookups = cls.lookups;
  if (cls.lookupEpoch !== vm.classEpoch) {
    lookups.clear();
    cls.lookupEpoch = vm.classEpoch;
  }
  const known = lookups.get(name);
  if (known !== undefined) return known;
  const heap = vm.heap;
  const mro = cls.mro;
  let found: Ref = NULL;
  for (let i = 0; i < mro.length && found === NULL; i++) found = heap.dictGetStr(mro[i]!.dict, name);
  lookups.set(name, found);
  return found;
}

/** A special method of `obj`'s class (looked up on the type, as CPython does for dunders), borrowed, or NULL. */
export function lookupMethod(vm: VM, obj: Ref, name: string): Ref {
  return classLookup(vm, vm.classOf(obj), name);
}

/**
 * For `obj.name(...)`: the class's plain function or method descriptor, borrowed, when calling it
 * with `obj` prepended is the same as calling the bound attribute (CPython's LOAD_METHOD); NULL
 * when the attribute must be fetched the general way.
 */
export function loadMethod(vm: VM, obj: Ref, name: string): Ref {
  const heap = vm.heap;
  const cls = vm.classOf(obj);
  if (heap.kindOf(obj) === Kind.Type) return NULL;
  const descr = classLookup(vm, cls, name);
  if (descr === NULL) return NULL;
  const type = heap.typeOf(descr);
  if (type !== vm.fn.functionType && type !== vm.fn.methodDescriptorType) return NULL;
  if (cls.findGetSet(name) !== undefined) return NULL;
  if (heap.ownAttr(obj, name) !== NULL) return NULL;
  return descr;
}

/** `obj.name`, a new reference; AttributeError in CPython's words when there is none. */
export function getAttribute(vm: VM, obj: Ref, name: string): Ref {
  const found = findAttribute(vm, obj, name);
  if (found !== NULL) return found;
  throw noAttribute(vm, obj, name);
}

/** Like getAttribute, but NULL where getAttribute raises AttributeError (hasattr, getattr with a default). */
export function findAttribute(vm: VM, obj: Ref, name: string): Ref {
  const heap = vm.heap;
  if (heap.kindOf(obj) === Kind.Type) return typeAttribute(vm, obj, name);
  const cls = vm.classOf(obj);
  const getset = cls.findGetSet(name);
  if (getset !== undefined) return getset.get(vm, obj);
  const descr = classLookup(vm, cls, name);
  if (descr !== NULL && heap.typeOf(descr) === vm.fn.property.instanceType) return callProperty(vm, descr, 0, obj, name);
  const own = heap.ownAttr(obj, name);
  if (own !== NULL) {
    heap.incref(own);
    return own;
  }
  if (descr !== NULL) return bind(vm, descr, obj, cls);
  const hook = classLookup(vm, cls, '__getattr__');
  if (hook !== NULL) {
    const key = heap.newStr(name);
    try {
      const method = bind(vm, hook, obj, cls);
      try {
        return vm.call(method, [key]);
      } catch (error) {
        const thrown = vm.toThrow(error);
        if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.AttributeError)) {
          heap.decref(thrown.exc);
          return NULL;
        }
        throw thrown;
      } finally {
        heap.decref(method);
      }
    } finally {
      heap.decref(key);
    }
  }
  return NULL;
}

/** What an attribute found on a class gives when read from an instance (the descriptor protocol's __get__). */
export function bind(vm: VM, descr: Ref, obj: Ref, cls: PyClass): Ref {
  const heap = vm.heap;
  const type = heap.typeOf(descr);
  const fn = vm.fn;
  if (type === fn.functionType) return newMethod(vm, descr, obj);
  if (type === fn.methodDescriptorType) return bindNative(vm, descr, obj);
  if (type === fn.classmethod.instanceType) return newMethod(vm, heap.getSlot(descr, 0), cls.object);
  if (type === fn.staticmethod.instanceType) {
    const inner = heap.getSlot(descr, 0);
    heap.incref(inner);
    return inner;
  }
  if (type === fn.property.instanceType) return callProperty(vm, descr, 0, obj, null);
  heap.incref(descr);
  return descr;
}

/** Reads an attribute of a class object: its own MRO first, then the metatype's (type's) attributes. */
function typeAttribute(vm: VM, classObject: Ref, name: string): Ref {
  const heap = vm.heap;
  const cls = vm.asClass(classObject);
  if (cls === undefined) return NULL;
  const meta = vm.core.type.getset.get(name);
  if (meta !== undefined) return meta.get(vm, classObject);
  const descr = classLookup(vm, cls, name);
  if (descr !== NULL) {
    const type = heap.typeOf(descr);
    if (type === vm.fn.classmethod.instanceType) return newMethod(vm, heap.getSlot(descr, 0), classObject);
    if (type === vm.fn.staticmethod.instanceType) {
      const inner = heap.getSlot(descr, 0);
      heap.incref(inner);
      return inner;
    }
    heap.incref(descr);
    return descr;
  }
  const typeDescr = classLookup(vm, vm.core.type, name);
  if (typeDescr !== NULL) return bind(vm, typeDescr, classObject, vm.core.type);
  return NULL;
}

function callProperty(vm: VM, property: Ref, slot: 0 | 1 | 2, obj: Ref, name: string | null, value: Ref = NULL): Ref {
  const heap = vm.heap;
  const fn = heap.getSlot(property, slot);
  if (fn === NULL || fn === heap.None) {
    const what = slot === 0 ? 'getter' : slot === 1 ? 'setter' : 'deleter';
    throw vm.error('AttributeError', `property '${propertyName(vm, property, name)}' of '${vm.typeName(obj)}' object has no ${what}`);
  }
  return vm.call(fn, value === NULL ? [obj] : [obj, value]);
}

/** The name in "property 'x' of 'C' object has no setter": the attribute's (3.11's __set_name__), else (null) the getter's. */
function propertyName(vm: VM, property: Ref, attribute: string | null): string {
  if (attribute !== null) return attribute;
  const heap = vm.heap;
  for (const slot of [0, 1, 2]) {
    const fn = heap.getSlot(property, slot);
    if (fn !== NULL && fn !== heap.None && heap.typeOf(fn) === vm.fn.functionType) {
      const name = findAttribute(vm, fn, '__name__');
      if (name !== NULL) {
        const text = vm.strOf(name);
        heap.decref(name);
        return text;
      }
    }
  }
  return '?';
}

export function noAttribute(vm: VM, obj: Ref, name: string): unknown {
  const thrown = noAttributeMessage(vm, obj, name);
  // AttributeError.name and .obj (3.10+), which the traceback printer's suggestion reads.
  const exc = (thrown as { exc: Ref }).exc;
  const key = vm.heap.newStr(name);
  vm.heap.setAttr(exc, 'name', key);
  vm.heap.decref(key);
  vm.heap.setAttr(exc, 'obj', obj);
  return thrown;
}

function noAttributeMessage(vm: VM, obj: Ref, name: string): unknown {
  const heap = vm.heap;
  const cls = vm.asClass(obj);
  if (cls !== undefined) return vm.error('AttributeError', `type object '${cls.name}' has no attribute '${name}'`);
  if (vm.classOf(obj) === vm.core.module) {
    const moduleName = heap.dictGetStr(vm.moduleDict(obj), '__name__');
    const text = moduleName !== NULL ? vm.strOf(moduleName) : '?';
    return vm.error('AttributeError', `module '${text}' has no attribute '${name}'`);
  }
  return vm.error('AttributeError', `'${vm.typeName(obj)}' object has no attribute '${name}'`);
}

/** `obj.name = value`. */
export function setAttribute(vm: VM, obj: Ref, name: string, value: Ref): void {
  if (setThroughType(vm, obj, name, value)) return;
  const heap = vm.heap;
  const cls = vm.classOf(obj);
  const hook = classLookup(vm, cls, '__setattr__');
  if (hook !== NULL && hook !== classLookup(vm, vm.core.object, '__setattr__')) {
    const key = heap.newStr(name);
    try {
      heap.decref(vm.call(hook, [obj, key, value]));
    } finally {
      heap.decref(key);
    }
    return;
  }
  storeAttribute(vm, obj, name, value);
}

/**
 * The part of `obj.name = value` its type decides, before any `__setattr__` hook or the store
 * (type_setattro for a class; PyObject_GenericSetAttr's descriptor walk: a getset, then a
 * property's setter). True when one of them took the value; false leaves it to the caller.
 */
export function setThroughType(vm: VM, obj: Ref, name: string, value: Ref): boolean {
  const heap = vm.heap;
  if (heap.kindOf(obj) === Kind.Type) {
    const cls = vm.asClass(obj)!;
    if (!cls.userDefined) throw vm.typeError(`cannot set '${name}' attribute of immutable type '${cls.name}'`);
    const meta = vm.core.type.getset.get(name);
    if (meta?.set) meta.set(vm, obj, value);
    else vm.setItemStr(cls.dict, name, value);
    return true;
  }
  const cls = vm.classOf(obj);
  const getset = cls.findGetSet(name);
  if (getset !== undefined) {
    if (getset.set === undefined) throw vm.error('AttributeError', `attribute '${name}' of '${cls.name}' objects is not writable`);
    getset.set(vm, obj, value);
    return true;
  }
  const descr = classLookup(vm, cls, name);
  if (descr !== NULL && heap.typeOf(descr) === vm.fn.property.instanceType) {
    heap.decref(callProperty(vm, descr, 1, obj, name, value));
    return true;
  }
  return false;
}

/** object.__setattr__: into the instance's slot or dict. */
export function storeAttribute(vm: VM, obj: Ref, name: string, value: Ref): void {
  const heap = vm.heap;
  const type = heap.typeOf(obj);
  if (type.kind === Kind.Instance && (type.hasDict || type.slotIndex.has(name))) {
    heap.setAttr(obj, name, value);
    return;
  }
  throw vm.error('AttributeError', `'${vm.typeName(obj)}' object has no attribute '${name}'`);
}

/** `del obj.name`. */
export function deleteAttribute(vm: VM, obj: Ref, name: string): void {
  const heap = vm.heap;
  if (heap.kindOf(obj) === Kind.Type) {
    const cls = vm.asClass(obj)!;
    if (!cls.userDefined) throw vm.typeError(`cannot delete '${name}' attribute of immutable type '${cls.name}'`);
    if (heap.dictGetStr(cls.dict, name) === NULL) throw noAttribute(vm, obj, name);
    vm.dictChanged(cls.dict);
    heap.delAttr(obj, name);
    vm.dictChanged(cls.dict);
    return;
  }
  const cls = vm.classOf(obj);
  const descr = classLookup(vm, cls, name);
  if (descr !== NULL && heap.typeOf(descr) === vm.fn.property.instanceType) {
    heap.decref(callProperty(vm, descr, 2, obj, name));
    return;
  }
  const hook = classLookup(vm, cls, '__delattr__');
  if (hook !== NULL && hook !== classLookup(vm, vm.core.object, '__delattr__')) {
    const key = heap.newStr(name);
    try {
      heap.decref(vm.call(hook, [obj, key]));
    } finally {
      heap.decref(key);
    }
    return;
  }
  if (heap.ownAttr(obj, name) === NULL) throw noAttribute(vm, obj, name);
  heap.delAttr(obj, name);
}
