/**
 * repr() and str() (Objects/object.c's PyObject_Repr / PyObject_Str and each type's tp_repr).
 * Containers guard against themselves as Py_ReprEnter does: a list inside itself prints
 * `[...]`, which is how the seeds show a cycle.
 */
import { Kind, NULL, floatRepr, strRepr } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { classLookup } from './attributes.ts';
import { ARGS } from './exceptions.ts';
import type { VM } from './vm.ts';

const active = new Set<Ref>();

export function repr(vm: VM, obj: Ref): string {
  const heap = vm.heap;
  switch (heap.kindOf(obj)) {
    case Kind.None:
      return 'None';
    case Kind.Bool:
      return obj === heap.True ? 'True' : 'False';
    case Kind.Int:
      return String(heap.valueOf(obj));
    case Kind.Float:
      return floatRepr(heap.valueOf(obj) as number);
    case Kind.Str:
      return strRepr(heap.valueOf(obj) as string);
    case Kind.Bytes:
    case Kind.ByteArray:
      return heap.repr(obj);
    case Kind.List:
      return guarded(obj, '[...]', () => `[${items(vm, obj).join(', ')}]`);
    case Kind.Tuple: {
      const parts = guarded(obj, null, () => items(vm, obj));
      if (parts === null) return '(...)';
      return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(', ')})`;
    }
    case Kind.Dict:
      return guarded(obj, '{...}', () => {
        const parts: string[] = [];
        heap.dictForEach(obj, (key, value) => parts.push(`${repr(vm, key)}: ${repr(vm, value)}`));
        return `{${parts.join(', ')}}`;
      });
    case Kind.Set: {
      // set.__repr__ (types/set.ts) lists the members in CPython's table order.
      const method = classLookup(vm, vm.classOf(obj), '__repr__');
      if (method !== NULL) return callText(vm, method, obj, '__repr__');
      return guarded(obj, 'set(...)', () => {
        const parts: string[] = [];
        heap.setForEach(obj, (item) => parts.push(repr(vm, item)));
        return parts.length === 0 ? 'set()' : `{${parts.join(', ')}}`;
      });
    }
    case Kind.Type: {
      const cls = vm.asClass(obj);
      if (cls === undefined) return heap.repr(obj);
      return cls.module === 'builtins' ? `<class '${cls.qualname}'>` : `<class '${cls.module}.${cls.qualname}'>`;
    }
    case Kind.Cell: {
      const content = heap.cellGet(obj);
      if (content === NULL) return `<cell at ${heap.hexId(obj)}: empty>`;
      return `<cell at ${heap.hexId(obj)}: ${vm.typeName(content)} object at ${heap.hexId(content)}>`;
    }
    default:
      break;
  }
  const cls = vm.classOf(obj);
  const method = classLookup(vm, cls, '__repr__');
  if (method !== NULL && method !== heap.dictGetStr(vm.core.object.dict, '__repr__')) return callText(vm, method, obj, '__repr__');
  if (cls.isException) return exceptionRepr(vm, obj);
  const type = heap.typeOf(obj);
  if (type.repr && !cls.userDefined) return type.repr(heap, obj);
  if (obj === vm.core.NotImplemented) return 'NotImplemented';
  if (obj === vm.core.Ellipsis) return 'Ellipsis';
  if (cls === vm.core.module) {
    const name = heap.dictGetStr(vm.moduleDict(obj), '__name__');
    return `<module ${name === NULL ? '?' : repr(vm, name)}>`;
  }
  return defaultRepr(vm, obj);
}

/** object.__repr__: `<__main__.Node object at 0x…>`. */
export function defaultRepr(vm: VM, obj: Ref): string {
  const cls = vm.classOf(obj);
  const name = cls.module === 'builtins' ? cls.qualname : `${cls.module}.${cls.qualname}`;
  return `<${name} object at ${vm.heap.hexId(obj)}>`;
}

export function str(vm: VM, obj: Ref): string {
  const heap = vm.heap;
  const kind = heap.kindOf(obj);
  if (kind === Kind.Str) return heap.valueOf(obj) as string;
  if (kind !== Kind.Instance) return repr(vm, obj);
  const cls = vm.classOf(obj);
  const method = classLookup(vm, cls, '__str__');
  if (method !== NULL && method !== heap.dictGetStr(vm.core.object.dict, '__str__')) return callText(vm, method, obj, '__str__');
  if (cls.isException) return exceptionStr(vm, obj);
  return repr(vm, obj);
}

function callText(vm: VM, method: Ref, obj: Ref, name: string): string {
  const heap = vm.heap;
  const result = vm.call(method, [obj]);
  try {
    if (heap.kindOf(result) !== Kind.Str) throw vm.typeError(`${name} returned non-string (type ${vm.typeName(result)})`);
    return heap.valueOf(result) as string;
  } finally {
    heap.decref(result);
  }
}

function items(vm: VM, seq: Ref): string[] {
  const heap = vm.heap;
  const out: string[] = [];
  for (let i = 0; i < heap.length(seq); i++) out.push(repr(vm, heap.item(seq, i)));
  return out;
}

function guarded<T>(obj: Ref, recursive: T, render: () => T): T {
  if (active.has(obj)) return recursive;
  active.add(obj);
  try {
    return render();
  } finally {
    active.delete(obj);
  }
}

function exceptionArgs(vm: VM, exc: Ref): Ref {
  const args = vm.heap.getSlot(exc, ARGS);
  return args === NULL ? NULL : args;
}

/** BaseException.__str__ (KeyError's quotes its key, as KeyError_str does). */
export function exceptionStr(vm: VM, exc: Ref): string {
  const heap = vm.heap;
  const args = exceptionArgs(vm, exc);
  const n = args === NULL ? 0 : heap.length(args);
  if (n === 0) return '';
  if (n === 1) {
    const only = heap.item(args, 0);
    return vm.classOf(exc).isSubclassOf(vm.exc.KeyError) ? repr(vm, only) : str(vm, only);
  }
  return repr(vm, args);
}

/** BaseException.__repr__: `ValueError('bad')`. */
export function exceptionRepr(vm: VM, exc: Ref): string {
  const heap = vm.heap;
  const args = exceptionArgs(vm, exc);
  const name = vm.classOf(exc).name;
  const n = args === NULL ? 0 : heap.length(args);
  if (n === 1) return `${name}(${repr(vm, heap.item(args, 0))})`;
  return `${name}${n === 0 ? '()' : repr(vm, args)}`;
}
