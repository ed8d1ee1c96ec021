/**
 * The built-in exception hierarchy (Objects/exceptions.c). An exception is a heap instance with
 * CPython's fields as object slots — args, __traceback__, __context__, __cause__ — plus an
 * attribute dict, so a traceback that holds frames that hold the exception is a cycle the
 * collector sees, as in CPython.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from './classes.ts';
import type { VM } from './vm.ts';

/**
 * The slot layout every exception class shares, subclasses adding their own after it. No
 * '__weakref__': CPython 3.11's built-in exceptions refuse weak references; a subclass defined in
 * Python gets one, as any class without __slots__ does.
 */
export const EXCEPTION_SLOTS = ['args', '__traceback__', '__context__', '__cause__', { name: '__suppress_context__', kind: 'int32' }, '__dict__'] as const;
export const ARGS = 0;
export const TRACEBACK = 1;
export const CONTEXT = 2;
export const CAUSE = 3;
export const SUPPRESS = 4;

// name, base — in an order where each base comes first.
const HIERARCHY = [
  ['BaseException', null],
  ['SystemExit', 'BaseException'],
  ['KeyboardInterrupt', 'BaseException'],
  ['GeneratorExit', 'BaseException'],
  ['Exception', 'BaseException'],
  ['StopIteration', 'Exception'],
  ['StopAsyncIteration', 'Exception'],
  ['ArithmeticError', 'Exception'],
  ['FloatingPointError', 'ArithmeticError'],
  ['OverflowError', 'ArithmeticError'],
  ['ZeroDivisionError', 'ArithmeticError'],
  ['AssertionError', 'Exception'],
  ['AttributeError', 'Exception'],
  ['BufferError', 'Exception'],
  ['EOFError', 'Exception'],
  ['ImportError', 'Exception'],
  ['ModuleNotFoundError', 'ImportError'],
  ['LookupError', 'Exception'],
  ['IndexError', 'LookupError'],
  ['KeyError', 'LookupError'],
  ['MemoryError', 'Exception'],
  ['NameError', 'Exception'],
  ['UnboundLocalError', 'NameError'],
  ['OSError', 'Exception'],
  ['FileNotFoundError', 'OSError'],
  ['ReferenceError', 'Exception'],
  ['RuntimeError', 'Exception'],
  ['NotImplementedError', 'RuntimeError'],
  ['RecursionError', 'RuntimeError'],
  ['SyntaxError', 'Exception'],
  ['IndentationError', 'SyntaxError'],
  ['TabError', 'IndentationError'],
  ['SystemError', 'Exception'],
  ['TypeError', 'Exception'],
  ['ValueError', 'Exception'],
  ['UnicodeError', 'ValueError'],
  ['UnicodeDecodeError', 'UnicodeError'],
  ['UnicodeEncodeError', 'UnicodeError'],
  ['Warning', 'Exception'],
  ['DeprecationWarning', 'Warning'],
  ['RuntimeWarning', 'Warning'],
  ['UserWarning', 'Warning'],
  ['ResourceWarning', 'Warning'],
] as const;

type ExceptionName = (typeof HIERARCHY)[number][0];
export type ExceptionClasses = { readonly [name in ExceptionName]: PyClass };

export function installExceptions(vm: VM): ExceptionClasses {
  const classes: Record<string, PyClass> = {};
  for (const [name, baseName] of HIERARCHY) {
    const base = baseName === null ? vm.core.object : classes[baseName]!;
    const cls = vm.nativeClass(name, { slots: EXCEPTION_SLOTS, weakrefable: false, base, baseAllowed: true });
    cls.isException = true;
    cls.construct = constructException;
    classes[name] = cls;
  }
  const base = classes.BaseException!;
  const slotAttribute = (index: number, settable: boolean) => ({
    get: (vm: VM, self: Ref): Ref => {
      const value = vm.heap.getSlot(self, index);
      const result = value === NULL ? vm.heap.None : value;
      vm.heap.incref(result);
      return result;
    },
    set: settable
      ? (vm: VM, self: Ref, value: Ref): void => {
          vm.heap.setSlot(self, index, value === vm.heap.None && index !== ARGS ? NULL : value);
          if (index === CAUSE) vm.heap.setSlotInt(self, SUPPRESS, 1);
        }
      : undefined,
  });
  base.getset.set('args', {
    get: slotAttribute(ARGS, false).get,
    set: (vm, self, value) => {
      const tuple = vm.call(vm.core.tuple.object, [value]);
      vm.heap.setSlot(self, ARGS, tuple);
      vm.heap.decref(tuple);
    },
  });
  base.getset.set('__traceback__', slotAttribute(TRACEBACK, true));
  base.getset.set('__context__', slotAttribute(CONTEXT, true));
  base.getset.set('__cause__', slotAttribute(CAUSE, true));
  base.getset.set('__suppress_context__', {
    get: (vm, self) => vm.heap.newBool(vm.heap.getSlotInt(self, SUPPRESS) !== 0),
    set: (vm, self, value) => vm.heap.setSlotInt(self, SUPPRESS, value === vm.heap.True ? 1 : 0),
  });
  const firstArg = (vm: VM, self: Ref): Ref => {
    const args = vm.heap.getSlot(self, ARGS);
    const value = args !== NULL && vm.heap.length(args) > 0 ? vm.heap.item(args, 0) : vm.heap.None;
    vm.heap.incref(value);
    return value;
  };
  // BaseException.__init__ records the arguments again, so a subclass's __init__ calling
  // super().__init__(message) sets what str() shows.
  vm.defineMethod(base, '__init__', (vm, args) => {
    const tuple = vm.heap.newTuple(args.slice(1));
    vm.heap.setSlot(args[0]!, ARGS, tuple);
    vm.heap.decref(tuple);
    return vm.heap.newNone();
  });
  vm.defineMethod(base, 'with_traceback', (vm, args) => {
    const tb = args[1] ?? vm.heap.None;
    vm.heap.setSlot(args[0]!, TRACEBACK, tb === vm.heap.None ? NULL : tb);
    vm.heap.incref(args[0]!);
    return args[0]!;
  });
  classes.StopIteration!.getset.set('value', { get: firstArg });
  classes.SystemExit!.getset.set('code', { get: firstArg });
  return classes as unknown as ExceptionClasses;
}

/** `SomeError(*args)`: args recorded by the constructor itself, as BaseException_new does. */
function constructException(vm: VM, cls: PyClass, args: readonly Ref[]): Ref {
  return vm.newException(cls, args);
}

/** Whether the exception `exc` is an instance of what an `except` clause names (a class or a tuple of them). */
export function exceptionMatches(vm: VM, exc: Ref, handler: Ref): boolean {
  const heap = vm.heap;
  if (heap.typeOf(handler) === heap.types.tuple) {
    for (let i = 0; i < heap.length(handler); i++) if (exceptionMatches(vm, exc, heap.item(handler, i))) return true;
    return false;
  }
  const cls = vm.asClass(handler);
  if (cls === undefined || !cls.isException) {
    throw vm.typeError('catching classes that do not inherit from BaseException is not allowed');
  }
  return vm.classOf(exc).isSubclassOf(cls);
}

/** Sets `exc.__context__` to the exception being handled, if any, as raising inside `except` does. */
export function chainContext(vm: VM, exc: Ref): void {
  const handled = vm.handling[vm.handling.length - 1];
  if (handled === undefined || handled === exc || handled === NULL) return;
  if (vm.heap.getSlot(exc, CONTEXT) !== NULL) return;
  // Break a loop the new context would make (CPython's _PyErr_SetObject does the same).
  let node = handled;
  while (node !== NULL) {
    const next = vm.heap.getSlot(node, CONTEXT);
    if (next === exc) {
      vm.heap.setSlot(node, CONTEXT, NULL);
      break;
    }
    node = next;
  }
  vm.heap.setSlot(exc, CONTEXT, handled);
}
