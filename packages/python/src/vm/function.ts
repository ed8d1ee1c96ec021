/**
 * Function objects and calling them: Objects/funcobject.c for the objects, and Python/ceval.c's
 * argument binding (`initialize_locals`) with its error messages, word for word. Also the other
 * callables — bound methods, builtins, method descriptors — and the descriptor wrappers
 * classmethod, staticmethod and property.
 */
import { NULL } from '@refheap/core';
import type { HeapType, Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from './classes.ts';
import { Completion, Frame, type Code } from './frame.ts';
import { addTraceback, releaseFrame } from './frame-objects.ts';
import { newGenerator } from './generator.ts';
import type { VM } from './vm.ts';

/** What a function object carries besides its counted references. */
export interface FunctionInfo {
  code: Code;
  name: string;
  qualname: string;
}

/** Slots of a function object. */
export const GLOBALS = 0;
export const DEFAULTS = 1;
export const KWDEFAULTS = 2;
export const CLOSURE = 3;
export const DOC = 4;
export const MODULE = 5;
export const INFO = 6;

export interface FunctionTypes {
  readonly function: PyClass;
  readonly functionType: HeapType;
  readonly builtin: PyClass;
  readonly builtinType: HeapType;
  readonly methodDescriptor: PyClass;
  readonly methodDescriptorType: HeapType;
  readonly method: PyClass;
  readonly methodType: HeapType;
  readonly classmethod: PyClass;
  readonly staticmethod: PyClass;
  readonly property: PyClass;
}

export function installFunctionTypes(vm: VM): FunctionTypes {
  const hex = (self: Ref) => vm.heap.hexId(self);
  const info = (self: Ref) => vm.heap.getSlotValue(self, INFO) as FunctionInfo;
  const fn = vm.nativeClass('function', {
    slots: ['__globals__', '__defaults__', '__kwdefaults__', '__closure__', '__doc__', '__module__', { name: '__code__', kind: 'js' }, '__dict__', '__weakref__'],
    weakrefable: true,
    repr: (_heap, self) => `<function ${info(self).qualname} at ${hex(self)}>`,
  });
  const builtin = vm.nativeClass('builtin_function_or_method', {
    slots: ['__self__', { name: 'native', kind: 'js' }],
    repr: (heap, self) => {
      const { name } = heap.getSlotValue(self, 1) as { name: string };
      const bound = heap.getSlot(self, 0);
      if (bound === NULL) return `<built-in function ${name}>`;
      if (vm.classOf(bound) === vm.core.module) return `<built-in function ${name}>`;
      return `<built-in method ${name} of ${vm.typeName(bound)} object at ${heap.hexId(bound)}>`;
    },
  });
  const methodDescriptor = vm.nativeClass('method_descriptor', {
    slots: [{ name: 'native', kind: 'js' }],
    repr: (heap, self) => {
      const { name, cls } = heap.getSlotValue(self, 0) as { name: string; cls: PyClass };
      return `<method '${name}' of '${cls.name}' objects>`;
    },
  });
  const method = vm.nativeClass('method', {
    slots: ['__func__', '__self__'],
    weakrefable: true,
    repr: (heap, self) => {
      const func = heap.getSlot(self, 0);
      const owner = heap.getSlot(self, 1);
      const name = heap.typeOf(func) === fn.instanceType ? info(func).qualname : '?';
      return `<bound method ${name} of ${vm.reprOf(owner)}>`;
    },
  });
  const classmethod = vm.nativeClass('classmethod', { slots: ['__func__', '__dict__'], baseAllowed: true });
  const staticmethod = vm.nativeClass('staticmethod', { slots: ['__func__', '__dict__'], baseAllowed: true });
  const property = vm.nativeClass('property', { slots: ['fget', 'fset', 'fdel', '__doc__'], baseAllowed: true });
  fn.getset.set('__name__', {
    get: (vm, self) => vm.heap.newStr(info(self).name),
    set: (vm, self, value) => {
      info(self).name = vm.strOf(value);
    },
  });
  fn.getset.set('__qualname__', {
    get: (vm, self) => vm.heap.newStr(info(self).qualname),
    set: (vm, self, value) => {
      info(self).qualname = vm.strOf(value);
    },
  });
  for (const [name, slot] of [['__defaults__', DEFAULTS], ['__kwdefaults__', KWDEFAULTS], ['__closure__', CLOSURE], ['__globals__', GLOBALS]] as const) {
    fn.getset.set(name, {
      get: (vm, self) => {
        const value = vm.heap.getSlot(self, slot);
        const result = value === NULL ? vm.heap.None : value;
        vm.heap.incref(result);
        return result;
      },
      set: slot === GLOBALS ? undefined : (vm, self, value) => vm.heap.setSlot(self, slot, value === vm.heap.None ? NULL : value),
    });
  }
  builtin.getset.set('__name__', { get: (vm, self) => vm.heap.newStr((vm.heap.getSlotValue(self, 1) as { name: string }).name) });
  builtin.getset.set('__self__', {
    get: (vm, self) => {
      const bound = vm.heap.getSlot(self, 0);
      const result = bound === NULL ? vm.heap.None : bound;
      vm.heap.incref(result);
      return result;
    },
  });
  return {
    function: fn,
    functionType: fn.instanceType!,
    builtin,
    builtinType: builtin.instanceType!,
    methodDescriptor,
    methodDescriptorType: methodDescriptor.instanceType!,
    method,
    methodType: method.instanceType!,
    classmethod,
    staticmethod,
    property,
  };
}

/** A new function object for `code`, as MAKE_FUNCTION builds it; the parts are borrowed. */
export function newFunction(vm: VM, code: Code, globals: Ref, defaults: Ref, kwdefaults: Ref, closure: Ref, qualname: string): Ref {
  const heap = vm.heap;
  const fn = heap.newInstance(vm.fn.functionType);
  heap.setSlot(fn, GLOBALS, globals);
  if (defaults !== NULL) heap.setSlot(fn, DEFAULTS, defaults);
  if (kwdefaults !== NULL) heap.setSlot(fn, KWDEFAULTS, kwdefaults);
  if (closure !== NULL) heap.setSlot(fn, CLOSURE, closure);
  const doc = code.docstring === null ? heap.None : heap.newStr(code.docstring, { intern: false });
  heap.setSlot(fn, DOC, doc);
  if (code.docstring !== null) heap.decref(doc);
  const module = heap.dictGetStr(globals, '__name__');
  if (module !== NULL) heap.setSlot(fn, MODULE, module);
  heap.setSlotValue(fn, INFO, { code, name: code.name, qualname } satisfies FunctionInfo);
  return fn;
}

export function functionInfo(vm: VM, fn: Ref): FunctionInfo {
  return vm.heap.getSlotValue(fn, INFO) as FunctionInfo;
}

/** A bound method object, a new reference (`func` and `self` borrowed). */
export function newMethod(vm: VM, func: Ref, self: Ref): Ref {
  const method = vm.heap.newInstance(vm.fn.methodType);
  vm.heap.setSlot(method, 0, func);
  vm.heap.setSlot(method, 1, self);
  return method;
}

/** A builtin bound to `self` (`[].append`), from a method descriptor's native. */
export function bindNative(vm: VM, descriptor: Ref, self: Ref): Ref {
  const { name, fn } = vm.heap.getSlotValue(descriptor, 0) as { name: string; fn: NativeFn };
  return vm.newBuiltin(name, fn, self, null);
}

/**
 * Calls a Python function, taking over `args` and `kw.values`: binds them into a new frame and
 * runs it (or, for a generator function, returns the generator).
 */
export function callPython(vm: VM, fn: Ref, args: Ref[], kw: Kwargs | null): Ref {
  const heap = vm.heap;
  const info = heap.getSlotValue(fn, INFO) as FunctionInfo;
  const frame = new Frame(info.code, heap.getSlot(fn, GLOBALS), NULL, vm.frame);
  bindArguments(vm, fn, info, frame, args, kw);
  return enter(vm, fn, info, frame);
}

/**
 * `fn(self, *args)` for a Python function, taking over `self` and `args`: what callPython does
 * with `self` put in front, without moving the arguments along to make room for it.
 */
export function callPythonWithSelf(vm: VM, fn: Ref, self: Ref, args: Ref[]): Ref {
  const heap = vm.heap;
  const info = heap.getSlotValue(fn, INFO) as FunctionInfo;
  const code = info.code;
  const given = args.length;
  if (!code.plainPositional || given + 1 !== code.parameters.positional.length) {
    args.unshift(self);
    return callPython(vm, fn, args, null);
  }
  const frame = new Frame(code, heap.getSlot(fn, GLOBALS), NULL, vm.frame);
  const fast = frame.fast;
  fast[0] = self;
  for (let i = 0; i < given; i++) fast[i + 1] = args[i]!;
  return enter(vm, fn, info, frame);
}

/** Fills a bound frame's cells and free variables, then runs it (or makes the generator). */
function enter(vm: VM, fn: Ref, info: FunctionInfo, frame: Frame): Ref {
  const heap = vm.heap;
  const code = info.code;
  const closure = heap.getSlot(fn, CLOSURE);
  if (closure !== NULL) {
    const base = code.varnames.length + code.scope.cellvars.length;
    const n = heap.length(closure);
    for (let i = 0; i < n; i++) {
      const cell = heap.item(closure, i);
      heap.incref(cell);
      frame.fast[base + i] = cell;
    }
  }
  const cells = code.scope.cellvars.length;
  if (cells > 0) {
    const cellBase = code.varnames.length;
    for (let i = 0; i < cells; i++) frame.fast[cellBase + i] = heap.newCell();
    for (const [parameter, cell] of code.parameterCells) {
      const value = frame.fast[parameter]!;
      if (value !== NULL) {
        heap.cellSet(frame.fast[cell]!, value);
        heap.decref(value);
        frame.fast[parameter] = NULL;
      }
    }
  }
  if (code.isGenerator) return newGenerator(vm, frame, info);
  return runFrame(vm, frame);
}

/** Runs a function frame to its end; the result is a new reference. */
export function runFrame(vm: VM, frame: Frame): Ref {
  if (vm.depth >= vm.recursionLimit || (vm.depth > 100 && (vm.depth & 7) === 0 && !hasStackHeadroom())) {
    releaseFrame(vm, frame);
    throw vm.error('RecursionError', 'maximum recursion depth exceeded');
  }
  vm.frame = frame;
  vm.depth++;
  frame.executing = true;
  try {
    const completion = frame.code.body!(frame);
    const result = completion === Completion.Return ? frame.retval : vm.heap.newNone();
    if (vm.returnHook !== null) {
      try {
        vm.returnHook(frame, result);
      } catch (error) {
        vm.heap.decref(result);
        throw error;
      }
    }
    return result;
  } catch (error) {
    const thrown = vm.toThrow(error);
    addTraceback(vm, thrown, frame);
    vm.traceException(frame, thrown);
    // CPython's 'return' event, with None, as an exception leaves the frame (a hook that has
    // reported this frame's return already, whose tracer then raised, reports nothing more).
    if (vm.returnHook !== null) vm.returnHook(frame, NULL);
    throw thrown;
  } finally {
    vm.depth--;
    vm.frame = frame.back;
    releaseFrame(vm, frame);
  }
}

/**
 * Whether the JS stack has room for a few dozen more Python calls. A JS stack overflow can strike
 * in the middle of a reference count update, so the interpreter stops a deep recursion itself,
 * at a call, with RecursionError, before JS would — at sys.getrecursionlimit() when the stack
 * allows (run node with a larger --stack-size for CPython's 1000), earlier when it does not.
 */
function hasStackHeadroom(): boolean {
  try {
    return probe(STACK_PROBE_DEPTH) > 0;
  } catch {
    return false;
  }
}

const STACK_PROBE_DEPTH = 2500;

function probe(n: number): number {
  return n === 0 ? 1 : probe(n - 1) + 0;
}

/** Python/ceval.c's initialize_locals: positional, keywords, *args, **kwargs, defaults. */
function bindArguments(vm: VM, fn: Ref, info: FunctionInfo, frame: Frame, args: Ref[], kw: Kwargs | null): void {
  const heap = vm.heap;
  const params = info.code.parameters;
  const fast = frame.fast;
  const positional = params.positional;
  const npos = positional.length;
  const given = args.length;
  if (kw === null && given === npos && info.code.plainPositional) {
    // Every parameter given positionally: nothing to check, nothing to default.
    for (let i = 0; i < given; i++) fast[i] = args[i]!;
    return;
  }
  try {
    // Positional arguments.
    const direct = Math.min(given, npos);
    for (let i = 0; i < direct; i++) fast[i] = args[i]!;
    let slot = npos + params.keywordOnly.length;
    if (params.varargs !== null) {
      const extra = given > npos ? args.slice(npos) : [];
      fast[slot] = heap.newTuple(extra);
      for (const arg of extra) heap.decref(arg);
      slot++;
    } else if (given > npos) {
      for (let i = npos; i < given; i++) heap.decref(args[i]!);
      args.length = 0;
      const defaults = heap.getSlot(fn, DEFAULTS);
      throw tooManyPositional(vm, info, given, kw, defaults === NULL ? 0 : heap.length(defaults));
    }
    args.length = 0;
    let varkw = NULL;
    if (params.varkw !== null) {
      varkw = heap.newDict();
      fast[slot] = varkw;
    }
    // Keyword arguments.
    if (kw !== null) {
      for (let k = 0; k < kw.names.length; k++) {
        const name = kw.names[k]!;
        const value = kw.values[k]!;
        kw.values[k] = NULL;
        let index = positional.indexOf(name);
        if (index >= 0 && index < params.positionalOnly) index = -2;
        if (index < 0) {
          const kwIndex = params.keywordOnly.indexOf(name);
          if (kwIndex >= 0) index = npos + kwIndex;
        }
        if (index >= 0) {
          if (fast[index] !== NULL) {
            heap.decref(value);
            throw vm.typeError(`${info.qualname}() got multiple values for argument '${name}'`);
          }
          fast[index] = value;
        } else if (varkw !== NULL) {
          vm.setItemStr(varkw, name, value);
          heap.decref(value);
        } else {
          heap.decref(value);
          if (index === -2) {
            throw vm.typeError(`${info.qualname}() got some positional-only arguments passed as keyword arguments: '${name}'`);
          }
          throw vm.typeError(`${info.qualname}() got an unexpected keyword argument '${name}'`);
        }
      }
    }
    // Defaults for what is still missing.
    const defaults = heap.getSlot(fn, DEFAULTS);
    const ndefaults = defaults === NULL ? 0 : heap.length(defaults);
    const missing: string[] = [];
    for (let i = 0; i < npos; i++) {
      if (fast[i] !== NULL) continue;
      const d = i - (npos - ndefaults);
      if (d >= 0) {
        const value = heap.item(defaults, d);
        heap.incref(value);
        fast[i] = value;
      } else missing.push(positional[i]!);
    }
    if (missing.length > 0) throw missingArguments(vm, info, missing, 'positional');
    const kwdefaults = heap.getSlot(fn, KWDEFAULTS);
    for (let i = 0; i < params.keywordOnly.length; i++) {
      const index = npos + i;
      if (fast[index] !== NULL) continue;
      const value = kwdefaults === NULL ? NULL : heap.dictGetStr(kwdefaults, params.keywordOnly[i]!);
      if (value !== NULL) {
        heap.incref(value);
        fast[index] = value;
      } else missing.push(params.keywordOnly[i]!);
    }
    if (missing.length > 0) throw missingArguments(vm, info, missing, 'keyword-only');
  } catch (error) {
    for (const arg of args) heap.decref(arg);
    if (kw) for (const value of kw.values) if (value !== NULL) heap.decref(value);
    releaseFrame(vm, frame);
    throw error;
  }
}

function tooManyPositional(vm: VM, info: FunctionInfo, given: number, kw: Kwargs | null, defaults: number): unknown {
  const params = info.code.parameters;
  const npos = params.positional.length;
  const plural = (n: number) => (n === 1 ? '' : 's');
  const takes = defaults > 0 ? `from ${npos - defaults} to ${npos} positional arguments` : `${npos} positional argument${plural(npos)}`;
  let kwonlyGiven = 0;
  if (kw) for (const name of kw.names) if (params.keywordOnly.includes(name)) kwonlyGiven++;
  const givenText =
    kwonlyGiven > 0
      ? `${given} positional argument${plural(given)} (and ${kwonlyGiven} keyword-only argument${plural(kwonlyGiven)}) were given`
      : `${given} ${given === 1 ? 'was' : 'were'} given`;
  return vm.typeError(`${info.qualname}() takes ${takes} but ${givenText}`);
}

function missingArguments(vm: VM, info: FunctionInfo, names: readonly string[], kind: string): unknown {
  const quoted = names.map((name) => `'${name}'`);
  let list: string;
  if (quoted.length === 1) list = quoted[0]!;
  else if (quoted.length === 2) list = `${quoted[0]} and ${quoted[1]}`;
  else list = `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
  const plural = names.length === 1 ? '' : 's';
  return vm.typeError(`${info.qualname}() missing ${names.length} required ${kind} argument${plural}: ${list}`);
}
