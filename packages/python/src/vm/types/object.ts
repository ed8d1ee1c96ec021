/**
 * object and type (Objects/typeobject.c): object's default methods (identity equality, the
 * pointer hash, repr, format, the generic attribute protocol as method descriptors), and type's
 * attributes (__name__, __mro__, __dict__, …), mro() and the three-argument type(name, bases,
 * dict). Also hashOf, PyObject_Hash for every kind, which the containers use.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { classLookup, deleteAttribute, getAttribute, noAttribute, setThroughType, storeAttribute } from '../attributes.ts';
import { buildClass } from '../class-builder.ts';
import { intOf, truthy } from '../operators.ts';
import { defaultRepr, repr, str } from '../repr.ts';
import type { VM } from '../vm.ts';
import { strArg } from './args.ts';
import { floatHash } from './float.ts';
import { intHash } from './int.ts';
import { NotImplementedRef, oneArg } from './list.ts';
import { strHashValue } from './str.ts';
import { tupleHash } from './tuple.ts';

/** CPython's _Py_HashPointer over the object's id: the address rotated right by 4 bits. */
export function identityHash(vm: VM, ref: Ref): bigint {
  const id = BigInt(vm.heap.id(ref));
  let h = BigInt.asIntN(64, ((id >> 4n) | (id << 60n)) & ((1n << 64n) - 1n));
  if (h === -1n) h = -2n;
  return h;
}

/** `hash(obj)` (PyObject_Hash) as a bigint. */
export function hashOf(vm: VM, ref: Ref): bigint {
  const heap = vm.heap;
  switch (heap.kindOf(ref)) {
    case Kind.Int:
      return intHash(heap.valueOf(ref) as number | bigint);
    case Kind.Bool:
      return ref === heap.True ? 1n : 0n;
    case Kind.Float: {
      const v = heap.valueOf(ref) as number;
      return Number.isNaN(v) ? identityHash(vm, ref) : floatHash(v);
    }
    case Kind.Str:
      return strHashValue(heap.valueOf(ref) as string);
    case Kind.Tuple:
      return tupleHash(vm, ref);
    case Kind.None:
    case Kind.Type:
      return identityHash(vm, ref);
    default:
      break;
  }
  const cls = vm.classOf(ref);
  const method = classLookup(vm, cls, '__hash__');
  if (method === NULL || method === heap.None) throw vm.typeError(`unhashable type: '${cls.name}'`);
  const result = vm.call(method, [ref]);
  try {
    const value = intOf(vm, result);
    if (value === undefined) throw vm.typeError('__hash__ method should return an integer');
    const big = typeof value === 'bigint' ? value : BigInt(value);
    if (big >= -(1n << 63n) && big < 1n << 63n) return big === -1n ? -2n : big;
    return intHash(big);
  } finally {
    heap.decref(result);
  }
}

function typeArgError(vm: VM, index: number, want: string, got: Ref): unknown {
  return vm.typeError(`type.__new__() argument ${index} must be ${want}, not ${vm.typeName(got)}`);
}

function typeConstruct(vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  if (args.length === 1 && (kw === null || kw.names.length === 0)) {
    const type = vm.classOf(args[0]!).object;
    heap.incref(type);
    return type;
  }
  if (args.length !== 3) throw vm.typeError('type() takes 1 or 3 arguments');
  const [name, bases, dict] = args as [Ref, Ref, Ref];
  if (heap.kindOf(name) !== Kind.Str) throw typeArgError(vm, 1, 'str', name);
  if (heap.kindOf(bases) !== Kind.Tuple) throw typeArgError(vm, 2, 'tuple', bases);
  if (heap.kindOf(dict) !== Kind.Dict) throw typeArgError(vm, 3, 'dict', dict);
  const namespace = heap.newDict();
  try {
    heap.dictForEach(dict, (key, value) => heap.dictSet(namespace, key, value));
    if (heap.dictGetStr(namespace, '__module__') === NULL && vm.frame !== null) {
      const module = heap.dictGetStr(vm.frame.globals, '__name__');
      if (module !== NULL) vm.setItemStr(namespace, '__module__', module);
    }
    const baseList: Ref[] = [];
    for (let i = 0; i < heap.length(bases); i++) baseList.push(heap.item(bases, i));
    const text = heap.valueOf(name) as string;
    const qualRef = heap.dictGetStr(namespace, '__qualname__');
    const qualname = qualRef !== NULL && heap.kindOf(qualRef) === Kind.Str ? (heap.valueOf(qualRef) as string) : text;
    return buildClass(vm, text, qualname, baseList, namespace);
  } finally {
    heap.decref(namespace);
  }
}

export function installObjectAndType(vm: VM): void {
  const heap = vm.heap;
  const object = vm.core.object;
  const type = vm.core.type;
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(object, name, fn);
  const newStr = (s: string): Ref => heap.newStr(s, { intern: false });
  const objectInit = (): Ref => heap.dictGetStr(object.dict, '__init__');
  const objectNew = (): Ref => heap.dictGetStr(object.dict, '__new__');
  const excess = (args: readonly Ref[], kw: Kwargs | null): boolean => args.length > 1 || (kw !== null && kw.names.length > 0);

  def('__init__', (vm, args, kw) => {
    if (excess(args, kw)) {
      const cls = vm.classOf(args[0]!);
      if (classLookup(vm, cls, '__init__') !== objectInit()) {
        throw vm.typeError('object.__init__() takes exactly one argument (the instance to initialize)');
      }
      if (classLookup(vm, cls, '__new__') === objectNew()) throw vm.typeError(`${cls.name}() takes no arguments`);
    }
    return heap.newNone();
  });
  // object.__new__ is a static method, as tp_new's wrapper is.
  const newFn = vm.newBuiltin('__new__', (vm, args, kw) => {
    if (args.length === 0) throw vm.typeError('object.__new__(): not enough arguments');
    const cls = vm.asClass(args[0]!);
    if (cls === undefined) throw vm.typeError(`object.__new__(X): X is not a type object (${vm.typeName(args[0]!)})`);
    const native = cls.mro.find((base) => base.construct !== null);
    if (native !== undefined && !cls.userDefined) {
      throw vm.typeError(`object.__new__(${cls.name}) is not safe, use ${native.name}.__new__()`);
    }
    // A built-in base with its own constructor (BaseException's) takes the arguments, as its tp_new would.
    if (native !== undefined) return native.construct!(vm, cls, args.slice(1), kw);
    if (excess(args, kw)) {
      if (classLookup(vm, cls, '__new__') !== objectNew()) throw vm.typeError('object.__new__() takes exactly one argument (the type to instantiate)');
      if (classLookup(vm, cls, '__init__') === objectInit()) throw vm.typeError(`${cls.name}() takes no arguments`);
    }
    if (cls.instanceType === null || cls.instanceType.kind !== Kind.Instance) throw vm.typeError(`cannot create '${cls.name}' instances`);
    return heap.newInstance(cls.instanceType);
  });
  const wrapper = heap.newInstance(vm.fn.staticmethod.instanceType!);
  heap.setSlot(wrapper, 0, newFn);
  heap.decref(newFn);
  vm.setItemStr(object.dict, '__new__', wrapper);
  heap.decref(wrapper);

  def('__repr__', (vm, args) => newStr(defaultRepr(vm, args[0]!)));
  def('__str__', (vm, args) => newStr(repr(vm, args[0]!)));
  def('__eq__', (vm, args) => {
    const other = oneArg(vm, '__eq__', args);
    return args[0] === other ? heap.newBool(true) : NotImplementedRef(vm);
  });
  def('__ne__', (vm, args) => {
    const other = oneArg(vm, '__ne__', args);
    const eq = classLookup(vm, vm.classOf(args[0]!), '__eq__');
    if (eq === NULL) return NotImplementedRef(vm);
    const result = vm.call(eq, [args[0]!, other]);
    if (result === vm.core.NotImplemented) return result;
    try {
      return heap.newBool(!truthy(vm, result));
    } finally {
      heap.decref(result);
    }
  });
  for (const name of ['__lt__', '__le__', '__gt__', '__ge__']) {
    def(name, (vm, args) => {
      oneArg(vm, name, args);
      return NotImplementedRef(vm);
    });
  }
  def('__hash__', (vm, args) => heap.newInt(identityHash(vm, args[0]!)));
  def('__format__', (vm, args) => {
    const spec = strArg(vm, oneArg(vm, '__format__', args), 'format_spec');
    if (spec !== '') throw vm.typeError(`unsupported format string passed to ${vm.typeName(args[0]!)}.__format__`);
    return newStr(str(vm, args[0]!));
  });
  def('__dir__', (vm, args) => {
    const self = args[0]!;
    const names = new Set<string>();
    const t = heap.typeOf(self);
    if (t.kind === Kind.Instance && t.hasDict) {
      heap.dictForEach(heap.attributeDict(self), (key) => {
        if (heap.kindOf(key) === Kind.Str) names.add(heap.valueOf(key) as string);
      });
    } else if (t.kind === Kind.Instance) {
      heap.forEachAttribute(self, (name) => names.add(name));
    }
    const cls = vm.asClass(self) ?? vm.classOf(self);
    for (const base of cls.mro) {
      heap.dictForEach(base.dict, (key) => {
        if (heap.kindOf(key) === Kind.Str) names.add(heap.valueOf(key) as string);
      });
      for (const name of base.getset.keys()) names.add(name);
    }
    names.add('__class__');
    const refs = [...names].map((n) => heap.newStr(n));
    const list = heap.newList(refs);
    for (const r of refs) heap.decref(r);
    return list;
  });
  def('__getattribute__', (vm, args) => {
    const name = strArg(vm, oneArg(vm, '__getattribute__', args), 'attribute name');
    return getAttribute(vm, args[0]!, name);
  });
  def('__setattr__', (vm, args) => {
    if (args.length !== 3) throw vm.typeError(`expected 2 arguments, got ${args.length - 1}`);
    const [self, nameRef, value] = args as [Ref, Ref, Ref];
    const name = strArg(vm, nameRef, 'attribute name');
    genericSetAttr(vm, self, name, value);
    return heap.newNone();
  });
  def('__delattr__', (vm, args) => {
    const self = args[0]!;
    const name = strArg(vm, oneArg(vm, '__delattr__', args), 'attribute name');
    if (heap.kindOf(self) === Kind.Type) {
      deleteAttribute(vm, self, name);
      return heap.newNone();
    }
    const cls = vm.classOf(self);
    const descr = classLookup(vm, cls, name);
    if (descr !== NULL && heap.typeOf(descr) === vm.fn.property.instanceType) {
      const fdel = heap.getSlot(descr, 2);
      if (fdel === NULL || fdel === heap.None) throw vm.error('AttributeError', `property '${name}' of '${cls.name}' object has no deleter`);
      heap.decref(vm.call(fdel, [self]));
      return heap.newNone();
    }
    if (heap.ownAttr(self, name) === NULL) throw noAttribute(vm, self, name);
    heap.delAttr(self, name);
    return heap.newNone();
  });
  vm.defineClassMethod(object, '__init_subclass__', (vm) => vm.heap.newNone());
  def('__sizeof__', (vm, args) => heap.newInt(heap.sizeOf(args[0]!)));

  object.getset.set('__class__', {
    get: (vm, self) => {
      const cls = vm.classOf(self).object;
      heap.incref(cls);
      return cls;
    },
    set: (vm, self, value) => {
      const target = vm.asClass(value);
      if (target === undefined) throw vm.typeError(`__class__ must be set to a class, not '${vm.typeName(value)}' object`);
      throw vm.typeError(`__class__ assignment only supported for mutable types or ModuleType subclasses`);
    },
  });
  object.getset.set('__dict__', {
    get: (vm, self) => {
      const t = heap.typeOf(self);
      if (t.kind !== Kind.Instance || !t.hasDict) throw vm.error('AttributeError', `'${vm.typeName(self)}' object has no attribute '__dict__'`);
      const dict = heap.attributeDict(self);
      heap.incref(dict);
      return dict;
    },
    set: (vm, self, value) => {
      const t = heap.typeOf(self);
      if (t.kind !== Kind.Instance || !t.hasDict) throw vm.error('AttributeError', `'${vm.typeName(self)}' object has no attribute '__dict__'`);
      if (heap.kindOf(value) !== Kind.Dict) throw vm.typeError(`__dict__ must be set to a dictionary, not a '${vm.typeName(value)}'`);
      // Replace the contents (the heap keeps one attribute store per instance).
      const dict = heap.attributeDict(self);
      if (dict === value) return;
      const keys: Ref[] = [];
      heap.dictForEach(dict, (key) => keys.push(key));
      for (const key of keys) heap.incref(key);
      for (const key of keys) heap.dictDelete(dict, key);
      for (const key of keys) heap.decref(key);
      heap.dictForEach(value, (key, v) => heap.dictSet(dict, key, v));
    },
  });

  // ─── type ────────────────────────────────────────────────────────────────
  type.construct = typeConstruct;
  const classOf = (ref: Ref): PyClass => vm.asClass(ref)!;
  const tupleOf = (classes: readonly PyClass[]): Ref => heap.newTuple(classes.map((c) => c.object));
  type.getset.set('__name__', { get: (vm, self) => newStr(classOf(self).name) });
  type.getset.set('__qualname__', {
    get: (vm, self) => newStr(classOf(self).qualname),
    set: (vm, self, value) => {
      const cls = classOf(self);
      if (!cls.userDefined) throw vm.typeError(`cannot set '__qualname__' attribute of immutable type '${cls.name}'`);
      if (heap.kindOf(value) !== Kind.Str) throw vm.typeError(`can only assign string to ${cls.name}.__qualname__, not '${vm.typeName(value)}'`);
      cls.qualname = heap.valueOf(value) as string;
    },
  });
  type.getset.set('__module__', {
    get: (vm, self) => {
      const cls = classOf(self);
      if (cls.userDefined) {
        const own = heap.dictGetStr(cls.dict, '__module__');
        if (own !== NULL) {
          heap.incref(own);
          return own;
        }
      }
      return newStr(cls.module);
    },
    set: (vm, self, value) => {
      const cls = classOf(self);
      if (!cls.userDefined) throw vm.typeError(`cannot set '__module__' attribute of immutable type '${cls.name}'`);
      vm.setItemStr(cls.dict, '__module__', value);
      if (heap.kindOf(value) === Kind.Str) cls.module = heap.valueOf(value) as string;
    },
  });
  type.getset.set('__mro__', { get: (vm, self) => tupleOf(classOf(self).mro) });
  type.getset.set('__bases__', { get: (vm, self) => tupleOf(classOf(self).bases) });
  type.getset.set('__base__', {
    get: (vm, self) => {
      const base = classOf(self).bases[0];
      const ref = base === undefined ? heap.None : base.object;
      heap.incref(ref);
      return ref;
    },
  });
  type.getset.set('__dict__', {
    get: (vm, self) => {
      const dict = classOf(self).dict;
      heap.incref(dict);
      return dict;
    },
  });
  type.getset.set('__doc__', {
    get: (vm, self) => {
      const doc = heap.dictGetStr(classOf(self).dict, '__doc__');
      const ref = doc === NULL ? heap.None : doc;
      heap.incref(ref);
      return ref;
    },
    set: (vm, self, value) => {
      const cls = classOf(self);
      if (!cls.userDefined) throw vm.typeError(`cannot set '__doc__' attribute of immutable type '${cls.name}'`);
      vm.setItemStr(cls.dict, '__doc__', value);
    },
  });
  type.getset.set('__class__', {
    get: (vm, self) => {
      const meta = vm.classOf(self).object;
      heap.incref(meta);
      return meta;
    },
  });
  vm.defineMethod(type, 'mro', (vm, args) => {
    const cls = vm.asClass(args[0]!);
    if (cls === undefined) throw vm.typeError("descriptor 'mro' requires a 'type' object");
    return heap.newList(cls.mro.map((c) => c.object));
  });
  vm.defineMethod(type, '__subclasses__', (vm, args) => {
    const cls = vm.asClass(args[0]!)!;
    const found: Ref[] = [];
    for (const t of heap.allTypes()) {
      const sub = vm.classForType(t);
      if (sub !== undefined && sub !== cls && sub.bases.includes(cls) && heap.isAlive(sub.object) && !found.includes(sub.object)) found.push(sub.object);
    }
    return heap.newList(found);
  });
  vm.defineMethod(type, '__repr__', (vm, args) => newStr(repr(vm, args[0]!)));
  vm.defineMethod(type, '__instancecheck__', (vm, args) => {
    const cls = vm.asClass(args[0]!)!;
    return heap.newBool(vm.isInstance(oneArg(vm, '__instancecheck__', args), cls));
  });
  vm.defineMethod(type, '__subclasscheck__', (vm, args) => {
    const cls = vm.asClass(args[0]!)!;
    const sub = vm.asClass(oneArg(vm, '__subclasscheck__', args));
    if (sub === undefined) throw vm.typeError('issubclass() arg 1 must be a class');
    return heap.newBool(sub.isSubclassOf(cls));
  });
  installTypingAliases(vm);
  void storeAttribute;
}

/** Each interpreter's types.GenericAlias class (made by installTypingAliases), one per VM. */
const genericAliasClasses = new WeakMap<VM, PyClass>();

/** How typing reprs an argument of an alias or union (`int`, `list[int]`, `...`, `None`). */
function typeRepr(vm: VM, ref: Ref): string {
  const heap = vm.heap;
  if (ref === vm.core.Ellipsis) return '...';
  if (ref === heap.None || ref === vm.core.NoneType.object) return 'None';
  const cls = vm.asClass(ref);
  if (cls !== undefined) return cls.module === 'builtins' ? cls.qualname : `${cls.module}.${cls.qualname}`;
  return repr(vm, ref);
}

/** `list[int]`: a types.GenericAlias, a new reference (origin and key borrowed). */
export function newGenericAlias(vm: VM, origin: Ref, key: Ref): Ref {
  const heap = vm.heap;
  const alias = heap.newInstance(genericAliasClasses.get(vm)!.instanceType!);
  heap.setSlot(alias, 0, origin);
  const args = heap.kindOf(key) === Kind.Tuple ? key : heap.newTuple([key]);
  heap.setSlot(alias, 1, args);
  if (args !== key) heap.decref(args);
  return alias;
}

/** `cls[key]` for a built-in generic (PEP 585): `__class_getitem__` as a plain builtin in the class dict. */
export function defineClassGetItem(vm: VM, cls: PyClass): void {
  vm.defineFunction(cls.dict, '__class_getitem__', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`__class_getitem__() takes exactly one argument (${args.length - 1} given)`);
    return newGenericAlias(vm, args[0]!, args[1]!);
  });
}

function installTypingAliases(vm: VM): void {
  const heap = vm.heap;
  const genericAlias = vm.nativeClass('GenericAlias', { slots: ['__origin__', '__args__'], module: 'types' });
  const unionType = vm.nativeClass('UnionType', { slots: ['__args__'], module: 'types' });
  genericAliasClasses.set(vm, genericAlias);
  const slotGetter = (cls: PyClass, name: string, index: number): void => {
    cls.getset.set(name, {
      get: (vm, self) => {
        const ref = heap.getSlot(self, index);
        heap.incref(ref);
        return ref;
      },
    });
  };
  slotGetter(genericAlias, '__origin__', 0);
  slotGetter(genericAlias, '__args__', 1);
  slotGetter(unionType, '__args__', 0);
  const argsOf = (self: Ref, index: number): Ref[] => {
    const t = heap.getSlot(self, index);
    const out: Ref[] = [];
    for (let i = 0; i < heap.length(t); i++) out.push(heap.item(t, i));
    return out;
  };
  vm.defineMethod(genericAlias, '__repr__', (vm, args) => {
    const self = args[0]!;
    const parts = argsOf(self, 1).map((a) => typeRepr(vm, a));
    return heap.newStr(`${typeRepr(vm, heap.getSlot(self, 0))}[${parts.length === 0 ? '()' : parts.join(', ')}]`, { intern: false });
  });
  vm.defineMethod(genericAlias, '__call__', (vm, args, kw) => vm.call(heap.getSlot(args[0]!, 0), args.slice(1), kw));
  vm.defineMethod(genericAlias, '__getitem__', (vm, args) => newGenericAlias(vm, heap.getSlot(args[0]!, 0), oneArg(vm, '__getitem__', args)));
  vm.defineMethod(unionType, '__repr__', (vm, args) => heap.newStr(argsOf(args[0]!, 0).map((a) => typeRepr(vm, a)).join(' | '), { intern: false }));
  for (const cls of [genericAlias, unionType]) {
    vm.defineMethod(cls, '__eq__', (vm, args) => {
      const other = oneArg(vm, '__eq__', args);
      if (vm.classOf(other) !== cls) return NotImplementedRef(vm);
      const a = argsOf(args[0]!, cls === genericAlias ? 1 : 0);
      const b = argsOf(other, cls === genericAlias ? 1 : 0);
      const same = (cls !== genericAlias || heap.getSlot(args[0]!, 0) === heap.getSlot(other, 0)) && a.length === b.length && a.every((x, i) => x === b[i]);
      return heap.newBool(same);
    });
    vm.defineMethod(cls, '__hash__', (vm, args) => heap.newInt(hashOf(vm, heap.getSlot(args[0]!, cls === genericAlias ? 1 : 0))));
  }
  // `int | None`: type.__or__ and __ror__ make a types.UnionType (flattened, deduplicated).
  const unionMembers = (ref: Ref): Ref[] | null => {
    if (ref === heap.None) return [heap.None];
    if (vm.asClass(ref) !== undefined || vm.classOf(ref) === genericAlias) return [ref];
    if (vm.classOf(ref) === unionType) return argsOf(ref, 0);
    return null;
  };
  const union = (a: Ref, b: Ref): Ref => {
    const left = unionMembers(a);
    const right = unionMembers(b);
    if (left === null || right === null) return NotImplementedRef(vm);
    const members: Ref[] = [];
    for (const m of [...left, ...right]) if (!members.includes(m)) members.push(m);
    if (members.length === 1) {
      heap.incref(members[0]!);
      return members[0]!;
    }
    const u = heap.newInstance(unionType.instanceType!);
    const t = heap.newTuple(members.map((m) => (m === heap.None ? vm.core.NoneType.object : m)));
    heap.setSlot(u, 0, t);
    heap.decref(t);
    return u;
  };
  for (const cls of [vm.core.type, genericAlias, unionType]) {
    vm.defineMethod(cls, '__or__', (vm, args) => union(args[0]!, oneArg(vm, '__or__', args)));
    vm.defineMethod(cls, '__ror__', (vm, args) => union(oneArg(vm, '__ror__', args), args[0]!));
  }
  for (const cls of [vm.core.list, vm.core.dict, vm.core.tuple, vm.core.set, vm.core.type]) defineClassGetItem(vm, cls);
}

/** PyObject_GenericSetAttr: data descriptors (getsets, properties) first, then the instance. */
export function genericSetAttr(vm: VM, self: Ref, name: string, value: Ref): void {
  if (!setThroughType(vm, self, name, value)) storeAttribute(vm, self, name, value);
}
