/**
 * A safe sliver of `ctypes`: what the memory lessons use it for, and nothing that reads memory.
 *
 *     ctypes.c_long.from_address(id(obj)).value    # obj's reference count, as ob_refcnt holds it
 *
 * In CPython an object's id is its address and its first word is `ob_refcnt`, so this reads the
 * live count — without the extra reference `sys.getrefcount`'s argument adds. Here ids name heap
 * objects (`Heap.objectAt`), and `.value` reads the count of the object with that id *each time
 * it is read* (as the seeds' `ref_count(address)` does after `del`). Where CPython would read
 * whatever the freed memory holds now (garbage, or another object's count), this raises
 * `ValueError: <address>: the object at <address> has been freed` (or says whose the id now is):
 * no memory other than a live object's count is ever read, and no write is possible.
 *
 * Also `c_long(n)`/`c_int(n)` holding a plain value, and `sizeof(c_long) == 8`, `sizeof(c_int) == 4`.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from '../classes.ts';
import { intArg } from '../types/args.ts';
import type { VM } from '../vm.ts';

/** What a c_long instance is: a view of an object's count at an address, or a plain value. */
type CValue = { readonly address: number } | { value: number };

const SIZES = { c_long: 8, c_int: 4, c_longlong: 8, c_ssize_t: 8 } as const;

export function makeCtypesModule(vm: VM): Ref {
  const heap = vm.heap;
  const module = vm.newModule('ctypes', 'create and manipulate C data types in Python');
  const dict = vm.moduleDict(module);
  const classes = new Map<PyClass, number>();

  const readCount = (address: number, bits: number): number => {
    let ref: Ref;
    try {
      ref = heap.objectAt(address);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      throw vm.error('ValueError', `${formatHex(address)}: ${text} (refheap-python reads only the count of a live object; CPython would read whatever that memory holds now)`);
    }
    const count = heap.refcount(ref);
    if (bits === 32) return count | 0;
    return count;
  };

  for (const [name, size] of Object.entries(SIZES)) {
    const cls = vm.nativeClass(name, { slots: [{ name: 'cvalue', kind: 'js' }], module: 'ctypes' });
    classes.set(cls, size);
    const bits = size * 8;
    const wrap = (value: number): number => {
      if (bits === 32) return value | 0;
      return value;
    };
    cls.construct = (vm, cls, args, kw) => {
      if (kw && kw.names.length > 0) throw vm.typeError(`${name}() takes no keyword arguments`);
      if (args.length > 1) throw vm.typeError(`${name}() takes at most 1 argument (${args.length} given)`);
      const self = heap.newInstance(cls.instanceType!);
      const value = args.length === 0 ? 0 : intArg(vm, args[0]!);
      heap.setSlotValue(self, 0, { value: wrap(value) } satisfies CValue);
      return self;
    };
    cls.getset.set('value', {
      get: (vm, self) => {
        const state = heap.getSlotValue(self, 0) as CValue;
        if ('address' in state) return heap.newInt(readCount(state.address, bits));
        return heap.newInt(state.value);
      },
      set: (vm, self, value) => {
        const state = heap.getSlotValue(self, 0) as CValue;
        if ('address' in state) {
          throw vm.error('ValueError', `refheap-python does not write memory: ${name}.from_address(${formatHex(state.address)}).value is read-only`);
        }
        state.value = wrap(intArg(vm, value));
      },
    });
    vm.defineClassMethod(cls, 'from_address', (vm, args, kw) => {
      if (kw && kw.names.length > 0) throw vm.typeError('from_address() takes no keyword arguments');
      if (args.length !== 2) throw vm.typeError(`from_address() takes exactly one argument (${args.length - 1} given)`);
      const target = vm.asClass(args[0]!) ?? cls;
      if (heap.kindOf(args[1]!) !== Kind.Int && heap.kindOf(args[1]!) !== Kind.Bool && !vm.classOf(args[1]!).isSubclassOf(vm.core.int)) {
        throw vm.typeError('integer expected');
      }
      const address = intArg(vm, args[1]!);
      const self = heap.newInstance(target.instanceType!);
      heap.setSlotValue(self, 0, { address } satisfies CValue);
      return self;
    });
    vm.defineMethod(cls, '__repr__', (vm, args) => {
      const state = heap.getSlotValue(args[0]!, 0) as CValue;
      const value = 'address' in state ? readCount(state.address, bits) : state.value;
      return heap.newStr(`${name}(${value})`);
    });
    vm.setItemStr(dict, name, cls.object);
  }

  vm.defineFunction(
    dict,
    'sizeof',
    (vm, args, kw) => {
      if (kw && kw.names.length > 0) throw vm.typeError('sizeof() takes no keyword arguments');
      if (args.length !== 1) throw vm.typeError(`sizeof() takes exactly one argument (${args.length} given)`);
      const arg = args[0]!;
      const cls = vm.asClass(arg) ?? vm.classOf(arg);
      for (const base of cls.mro) {
        const size = classes.get(base);
        if (size !== undefined) return heap.newInt(size);
      }
      throw vm.typeError('this type has no size');
    },
    'ctypes',
  );
  void NULL;
  return module;
}

function formatHex(address: number): string {
  return `0x${Math.trunc(address).toString(16)}`;
}
