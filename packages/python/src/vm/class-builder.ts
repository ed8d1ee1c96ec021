/**
 * Classes at run time: making one from a class statement (Objects/typeobject.c's type_new —
 * MRO, instance layout from `__slots__`, a finalizer when `__del__` is defined) and calling
 * one to make an instance (type_call: `__new__`, then `__init__`, which must return None).
 */
import { Kind, NULL } from '@refheap/core';
import type { Heap, Ref, SlotSpec } from '@refheap/core';
import { PyClass, linearize, type Kwargs } from './classes.ts';
import { classLookup } from './attributes.ts';
import { callPythonWithSelf } from './function.ts';
import { PyThrow } from './throw.ts';
import type { VM } from './vm.ts';

/** `cls(*args, **kw)`, taking over the arguments' references. */
export function callClass(vm: VM, cls: PyClass, args: Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  if (cls === vm.core.type && args.length === 1 && kw === null) {
    const type = vm.classOf(args[0]!).object;
    heap.incref(type);
    vm.releaseArgs(args, kw);
    return type;
  }
  if (!cls.userDefined && cls.construct !== null) {
    try {
      return cls.construct(vm, cls, args, kw);
    } finally {
      vm.releaseArgs(args, kw);
    }
  }
  let self: Ref;
  const plain = plainInit(vm, cls);
  const userNew = plain !== NULL ? NULL : cls.userDefined ? classLookup(vm, cls, '__new__') : NULL;
  try {
    if (plain !== NULL) self = heap.newInstance(cls.instanceType!);
    else if (userNew !== NULL && classLookup(vm, vm.core.object, '__new__') !== userNew) {
      const fn = heap.typeOf(userNew) === vm.fn.staticmethod.instanceType ? heap.getSlot(userNew, 0) : userNew;
      self = vm.call(fn, [cls.object, ...args], kw);
      if (!vm.isInstance(self, cls)) {
        vm.releaseArgs(args, kw);
        return self;
      }
    } else {
      const native = nativeBase(cls);
      if (native !== undefined) self = native.construct!(vm, cls, args, kw);
      else if (cls.instanceType === null) throw vm.typeError(`cannot create '${cls.name}' instances`);
      else self = heap.newInstance(cls.instanceType);
    }
  } catch (error) {
    vm.releaseArgs(args, kw);
    throw error;
  }
  // (The allocation may have run a collection, and its finalizers may have changed the class.)
  const planned = plain !== NULL && cls.constructionEpoch === vm.classEpoch;
  const init = planned ? plain : classLookup(vm, cls, '__init__');
  if (!planned && init === classLookup(vm, vm.core.object, '__init__')) {
    const given = args.length + (kw?.names.length ?? 0);
    vm.releaseArgs(args, kw);
    const objectNew = userNew === NULL || userNew === classLookup(vm, vm.core.object, '__new__');
    if (given > 0 && objectNew && nativeBase(cls) === undefined) {
      heap.decref(self);
      throw vm.typeError(`${cls.name}() takes no arguments`);
    }
    return self;
  }
  heap.incref(self);
  let result: Ref;
  try {
    if (kw === null && heap.typeOf(init) === vm.fn.functionType) result = callPythonWithSelf(vm, init, self, args);
    else {
      args.unshift(self);
      result = vm.callOwned(init, args, kw);
    }
  } catch (error) {
    heap.decref(self);
    throw error;
  }
  if (result !== heap.None) {
    const name = vm.typeName(result);
    heap.decref(result);
    heap.decref(self);
    throw vm.typeError(`__init__() should return None, not '${name}'`);
  }
  heap.decref(result);
  return self;
}

/**
 * The `__init__` to run when calling `cls` makes its instance as object.__new__ does (a class
 * statement's class, no `__new__` of its own, no built-in base with a constructor) and that
 * `__init__` is not object's; NULL otherwise. Remembered on the class until a class dict changes.
 */
function plainInit(vm: VM, cls: PyClass): Ref {
  if (cls.constructionEpoch === vm.classEpoch) return cls.constructionInit;
  let init = NULL;
  if (cls.userDefined && cls.instanceType !== null && nativeBase(cls) === undefined) {
    const userNew = classLookup(vm, cls, '__new__');
    if (userNew === NULL || userNew === classLookup(vm, vm.core.object, '__new__')) {
      const found = classLookup(vm, cls, '__init__');
      if (found !== NULL && found !== classLookup(vm, vm.core.object, '__init__')) init = found;
    }
  }
  cls.constructionEpoch = vm.classEpoch;
  cls.constructionInit = init;
  return init;
}

/** The first class on the MRO whose instances a JS constructor makes (an exception class's base). */
function nativeBase(cls: PyClass): PyClass | undefined {
  const mro = cls.mro;
  for (let i = 0; i < mro.length; i++) if (mro[i]!.construct !== null) return mro[i];
  return undefined;
}

/**
 * A class statement's class: `bases` and `namespace` borrowed; a new reference to the class
 * object. Names in the namespace are copied into the class dict in definition order.
 */
export function buildClass(vm: VM, name: string, qualname: string, bases: readonly Ref[], namespace: Ref): Ref {
  const heap = vm.heap;
  const baseClasses = bases.map((base) => {
    const cls = vm.asClass(base);
    if (cls === undefined) throw vm.typeError(`bases must be types`);
    if (!cls.baseAllowed) throw vm.typeError(`type '${cls.name}' is not an acceptable base type`);
    return cls;
  });
  if (baseClasses.length === 0) baseClasses.push(vm.core.object);
  for (const base of baseClasses) {
    const kind = base.instanceType?.kind;
    if (!base.userDefined && base !== vm.core.object && kind !== Kind.Instance) {
      throw vm.error('NotImplementedError', `refheap-python cannot subclass the built-in type '${base.name}'`);
    }
  }
  // Instance layout: the solid base's slots, then this class's own __slots__.
  const layouts = baseClasses.map((base) => base.instanceType!.slots);
  const solid = layouts.reduce((a, b) => (b.length > a.length ? b : a), [] as readonly SlotSpec[]);
  for (const layout of layouts) {
    if (!layout.every((slot, i) => solid[i]?.name === slot.name)) throw vm.typeError('multiple bases have instance lay-out conflict');
  }
  const slotsRef = heap.dictGetStr(namespace, '__slots__');
  const ownSlots = slotsRef === NULL ? null : slotNames(vm, slotsRef);
  const inheritsDict = baseClasses.some((base) => base.instanceType!.hasDict);
  const inheritsWeakref = baseClasses.some((base) => base.instanceType!.weakrefable);
  const hasDict = ownSlots === null || inheritsDict || ownSlots.includes('__dict__');
  const weakrefable = ownSlots === null || inheritsWeakref || ownSlots.includes('__weakref__');
  const slots: SlotSpec[] = [...solid];
  for (const slot of ownSlots ?? []) {
    if (slot === '__dict__' || slot === '__weakref__') continue;
    if (heap.dictGetStr(namespace, slot) !== NULL) throw vm.error('ValueError', `'${slot}' in __slots__ conflicts with class variable`);
    slots.push({ name: slot, kind: 'object' });
  }
  const specs: (SlotSpec | string)[] = [...slots];
  if (hasDict) specs.push('__dict__');
  if (weakrefable) specs.push('__weakref__');

  const provisional = new PyClass(name, NULL, NULL, null, true);
  const mro = linearize(provisional, baseClasses);
  if (mro === null) {
    throw vm.typeError(`Cannot create a consistent method resolution order (MRO) for bases ${baseClasses.map((b) => b.name).join(', ')}`);
  }
  const hasDel = heap.dictGetStr(namespace, '__del__') !== NULL || mro.slice(1).some((base) => heap.dictGetStr(base.dict, '__del__') !== NULL);
  const type = heap.defineClass(name, {
    slots: specs,
    weakrefable,
    finalize: hasDel ? (_heap, self) => runDel(vm, self) : undefined,
    hashKey: userHashKey(vm, namespace, mro.slice(1)),
  });
  const cls = new PyClass(name, type.object, heap.attributeDict(type.object), type, true);
  cls.bases = baseClasses;
  cls.mro = [cls, ...mro.slice(1)];
  cls.qualname = qualname;
  cls.baseAllowed = true;
  cls.isException = baseClasses.some((base) => base.isException);
  cls.ownSlots = ownSlots;
  heap.dictForEach(namespace, (key, value) => {
    if (heap.kindOf(key) === Kind.Str && heap.valueOf(key) === '__qualname__') return;
    heap.dictSet(cls.dict, key, value);
  });
  // type_new: a class that defines __eq__ and not __hash__ is unhashable.
  if (heap.dictGetStr(namespace, '__eq__') !== NULL && heap.dictGetStr(namespace, '__hash__') === NULL) {
    vm.setItemStr(cls.dict, '__hash__', heap.None);
  }
  const moduleName = heap.dictGetStr(namespace, '__module__');
  if (moduleName !== NULL) cls.module = vm.strOf(moduleName);
  if (heap.dictGetStr(cls.dict, '__doc__') === NULL) vm.setItemStr(cls.dict, '__doc__', heap.None);
  vm.register(cls);
  heap.incref(cls.object);
  return cls.object;
}

/**
 * How instances key dicts and sets: by identity unless the class (or a user base) defines
 * `__hash__`, then by that hash — objects with equal hashes are taken to be equal, which holds
 * for the `__eq__`/`__hash__` pairs lessons write; a class defining `__eq__` without `__hash__`
 * is unhashable, as in CPython.
 */
function userHashKey(vm: VM, namespace: Ref, bases: readonly PyClass[]): ((heap: Heap, self: Ref) => string) | undefined {
  const heap = vm.heap;
  const own = (name: string) => heap.dictGetStr(namespace, name);
  let hash = own('__hash__');
  let eq = own('__eq__');
  for (const base of bases) {
    if (!base.userDefined) break;
    if (hash === NULL) hash = heap.dictGetStr(base.dict, '__hash__');
    if (eq === NULL) eq = heap.dictGetStr(base.dict, '__eq__');
  }
  if (hash === NULL && eq === NULL) return undefined;
  return (_heap, self) => {
    const method = classLookup(vm, vm.classOf(self), '__hash__');
    if (method === NULL || method === heap.None) throw vm.typeError(`unhashable type: '${vm.typeName(self)}'`);
    if (method === classLookup(vm, vm.core.object, '__hash__')) return `\u0000@${self}`;
    const result = vm.call(method, [self]);
    try {
      const value = heap.kindOf(result) === Kind.Int ? (heap.valueOf(result) as number | bigint) : null;
      if (value === null) throw vm.typeError('__hash__ method should return an integer');
      return `\u0000#${value}`;
    } finally {
      heap.decref(result);
    }
  };
}

function slotNames(vm: VM, slots: Ref): string[] {
  const heap = vm.heap;
  if (heap.kindOf(slots) === Kind.Str) return [heap.valueOf(slots) as string];
  const names: string[] = [];
  const items = vm.listOf(slots);
  try {
    for (const item of items) {
      if (heap.kindOf(item) !== Kind.Str) throw vm.typeError(`__slots__ items must be strings, not '${vm.typeName(item)}'`);
      names.push(heap.valueOf(item) as string);
    }
  } finally {
    for (const item of items) heap.decref(item);
  }
  return names;
}

/** The heap's finalizer for classes with `__del__`: calls it; what it raises is unraisable. */
function runDel(vm: VM, self: Ref): void {
  const del = classLookup(vm, vm.classOf(self), '__del__');
  if (del === NULL) return;
  const saved = vm.frame;
  try {
    vm.heap.decref(vm.call(del, [self]));
  } catch (error) {
    if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error;
    vm.reportUnraisable(vm.toThrow(error), del);
  } finally {
    vm.frame = saved;
  }
}
