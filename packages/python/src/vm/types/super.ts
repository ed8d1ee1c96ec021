/**
 * super (Objects/typeobject.c): the MRO of an object's class after a given class, with the
 * zero-argument form reading the calling frame's first argument and `__class__` cell.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { attrName, newRef, positional, slotOrNone } from '../builtin-support.ts';
import { bind } from '../attributes.ts';
import { bindNative, newMethod } from '../function.ts';
import type { VM } from '../vm.ts';

const THISCLASS = 0;
const SELF = 1;
const SELF_CLASS = 2;

/**
 * super's class. Its MRO is itself alone (object is left out), so an attribute the super object
 * does not have as a getset falls through to its `__getattr__`, which searches the MRO of the
 * object's class after `__thisclass__` (super_getattro) — no hook in attributes.ts needed.
 */
export function installSuper(vm: VM): PyClass {
  const cls = vm.nativeClass('super', {
    slots: ['__thisclass__', '__self__', '__self_class__'],
    repr: (heap, self) => {
      const thisClass = vm.asClass(heap.getSlot(self, THISCLASS));
      const selfClass = heap.getSlot(self, SELF_CLASS);
      const name = thisClass?.name ?? 'NULL';
      if (selfClass === NULL) return `<super: <class '${name}'>, NULL>`;
      return `<super: <class '${name}'>, <${vm.asClass(selfClass)?.name ?? '?'} object>>`;
    },
  });
  cls.mro = [cls];
  cls.getset.set('__thisclass__', { get: slotOrNone(THISCLASS) });
  cls.getset.set('__self__', { get: slotOrNone(SELF) });
  cls.getset.set('__self_class__', { get: slotOrNone(SELF_CLASS) });
  cls.construct = (vm, klass, args, kw) => {
    const heap = vm.heap;
    if (kw !== null && kw.names.length > 0) throw vm.typeError('super() takes no keyword arguments');
    positional(vm, 'super', args, 0, 2);
    let type: Ref;
    let obj: Ref;
    if (args.length === 0) [type, obj] = zeroArgumentSuper(vm);
    else {
      type = args[0]!;
      obj = args[1] ?? NULL;
    }
    const typeClass = vm.asClass(type);
    if (typeClass === undefined) throw vm.typeError(`super() argument 1 must be a type, not ${vm.typeName(type)}`);
    let selfClass = NULL;
    if (obj !== NULL && obj !== heap.None) {
      const objAsClass = vm.asClass(obj);
      if (objAsClass !== undefined && objAsClass.isSubclassOf(typeClass)) selfClass = obj;
      else if (vm.classOf(obj).isSubclassOf(typeClass)) selfClass = vm.classOf(obj).object;
      else throw vm.typeError('super(type, obj): obj must be an instance or subtype of type');
    } else if (obj === heap.None && args.length === 2) {
      throw vm.typeError('super(type, obj): obj must be an instance or subtype of type');
    }
    const sup = heap.newInstance((klass.instanceType ?? cls.instanceType)!);
    heap.setSlot(sup, THISCLASS, type);
    if (selfClass !== NULL) {
      heap.setSlot(sup, SELF, obj);
      heap.setSlot(sup, SELF_CLASS, selfClass);
    }
    return sup;
  };
  vm.defineMethod(cls, '__getattr__', (vm, args) => {
    const [sup, key] = args as [Ref, Ref];
    const name = attrName(vm, key);
    const found = superAttribute(vm, sup, name);
    if (found !== NULL) return found;
    throw vm.error('AttributeError', `'super' object has no attribute '${name}'`);
  });
  vm.defineMethod(cls, '__get__', (vm, args) => newRef(vm, args[0]!));
  return cls;
}

/** super() in a method: the first argument of the calling frame and its `__class__` cell. */
function zeroArgumentSuper(vm: VM): [Ref, Ref] {
  const heap = vm.heap;
  const frame = vm.frame;
  if (frame === null) throw vm.error('RuntimeError', 'super(): no current frame');
  const code = frame.code;
  const params = code.parameters;
  if (params.positional.length === 0 && params.varargs === null) throw vm.error('RuntimeError', 'super(): no arguments');
  let first = frame.fast[0] ?? NULL;
  for (const [parameter, cell] of code.parameterCells) {
    if (parameter === 0) first = frame.fast[cell] === NULL ? NULL : heap.cellGet(frame.fast[cell]!);
  }
  if (params.positional.length === 0 && first !== NULL && heap.kindOf(first) === Kind.Tuple) {
    // def f(*args): super() uses args[0].
    if (heap.length(first) === 0) throw vm.error('RuntimeError', 'super(): no arguments');
    first = heap.item(first, 0);
  }
  if (first === NULL) throw vm.error('RuntimeError', 'super(): arg[0] deleted');
  const scope = code.scope;
  const free = scope.freevars.indexOf('__class__');
  if (free < 0) throw vm.error('RuntimeError', 'super(): __class__ cell not found');
  const cell = frame.fast[scope.varnames.length + scope.cellvars.length + free] ?? NULL;
  const type = cell === NULL ? NULL : heap.cellGet(cell);
  if (type === NULL) throw vm.error('RuntimeError', 'super(): empty __class__ cell');
  if (vm.asClass(type) === undefined) throw vm.error('RuntimeError', `super(): __class__ is not a type (${vm.typeName(type)})`);
  return [type, first];
}

/**
 * `super_obj.name` (Objects/typeobject.c's super_getattro): the attribute from the MRO of
 * `__self_class__` after `__thisclass__`, bound to `__self__` (a classmethod to the class). A new
 * reference, or NULL when the MRO has no such attribute.
 */
export function superAttribute(vm: VM, sup: Ref, name: string): Ref {
  const heap = vm.heap;
  const selfClassRef = heap.getSlot(sup, SELF_CLASS);
  const thisClass = vm.asClass(heap.getSlot(sup, THISCLASS));
  if (name === '__class__') return newRef(vm, vm.classOf(sup).object);
  if (selfClassRef !== NULL && thisClass !== undefined) {
    const start = vm.asClass(selfClassRef)!;
    const mro = start.mro;
    let i = mro.indexOf(thisClass);
    if (i >= 0) {
      for (i++; i < mro.length; i++) {
        const descr = heap.dictGetStr(mro[i]!.dict, name);
        if (descr === NULL) continue;
        const self = heap.getSlot(sup, SELF);
        const type = heap.typeOf(descr);
        const fn = vm.fn;
        if (type === fn.classmethod.instanceType) return newMethod(vm, heap.getSlot(descr, 0), selfClassRef);
        if (type === fn.staticmethod.instanceType) return newRef(vm, heap.getSlot(descr, 0));
        // A function found through super(C, C) is returned unbound, as func.__get__(None, C) gives.
        if (self === selfClassRef) {
          if (type === fn.property.instanceType) return newRef(vm, descr);
          return newRef(vm, descr);
        }
        if (type === fn.methodDescriptorType) return bindNative(vm, descr, self);
        return bind(vm, descr, self, start);
      }
    }
  }
  // Attributes of the super object itself (its class dict: __getattr__, __get__).
  const own = heap.dictGetStr(vm.classOf(sup).dict, name);
  if (own !== NULL) return bind(vm, own, sup, vm.classOf(sup));
  return NULL;
}
