/**
 * Which objects are the heap's own rather than the program's: what the interpreter made before
 * the program ran or keeps for every program alike — types the program did not define, modules,
 * builtin functions and method descriptors, None/True/False/Ellipsis/NotImplemented, the small
 * ints (-5…256, one object each as in CPython) and interned str. The picture draws them only on
 * request, and never walks into them (a module leads to the whole interpreter).
 */
import { Kind, type Heap, type Ref } from '@refheap/core';

/** Native callables and descriptors: the interpreter's, never a program's own code. */
const NATIVE_TYPES = new Set([
  'module',
  'builtin_function_or_method',
  'method_descriptor',
  'wrapper_descriptor',
  'method-wrapper',
  'getset_descriptor',
  'member_descriptor',
  'classmethod_descriptor',
  'NotImplementedType',
  'ellipsis',
]);

/** A class's `__module__`, from its own dict; '' when it has none. */
export function classModule(heap: Heap, cls: Ref): string {
  let module = '';
  heap.forEachAttribute(cls, (name, value) => {
    if (name === '__module__' && heap.kindOf(value) === Kind.Str) module = String(heap.valueOf(value));
  });
  return module;
}

/** `Node` for `<class 'Node'>`. */
export function className(heap: Heap, cls: Ref): string {
  const shown = /^<class '(.*)'>$/.exec(heap.describe(cls));
  return shown ? shown[1]! : 'type';
}

/** Text newStr interns (core's rule, CPython's for code constants): identifier-like, or one character. */
const interned = (text: string): boolean => text.length <= 1 || /^[A-Za-z0-9_]+$/.test(text);

export function isHeapOwn(heap: Heap, ref: Ref): boolean {
  if (ref === heap.None || ref === heap.True || ref === heap.False) return true;
  const type = heap.typeOf(ref);
  switch (type.kind) {
    case Kind.Type:
      return classModule(heap, ref) !== '__main__';
    case Kind.Int: {
      if (type.name !== 'int') return false;
      const value = heap.valueOf(ref);
      return (typeof value === 'bigint' || typeof value === 'number') && value >= -5 && value <= 256;
    }
    case Kind.Str:
      return type.name === 'str' && interned(String(heap.valueOf(ref)));
    default:
      return NATIVE_TYPES.has(type.name);
  }
}
