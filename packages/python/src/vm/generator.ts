/**
 * Generators (Objects/genobject.c). The body runs as a JS generator over the compiled closures;
 * the generator object holds the frame object, which holds the locals — a suspended generator
 * keeps them alive, and a generator in a cycle is collected like any container. Dropping a
 * suspended generator closes it: GeneratorExit at the `yield`, so its `finally` blocks run.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from './classes.ts';
import { CAUSE, CONTEXT, SUPPRESS } from './exceptions.ts';
import { Completion, type Frame } from './frame.ts';
import { addTraceback, clearLocals, frameObject } from './frame-objects.ts';
import { PyThrow } from './throw.ts';
import type { VM } from './vm.ts';

interface GeneratorState {
  readonly frame: Frame;
  body: Generator<Ref, Completion, Ref> | null;
  started: boolean;
  running: boolean;
  done: boolean;
  name: string;
  qualname: string;
  /** The return value of a finished run, taken by whoever asked (yield from, StopIteration). */
  returned: Ref;
}

const FRAME_SLOT = 0;
const STATE = 1;

export function installGeneratorType(vm: VM): PyClass {
  const state = (self: Ref) => vm.heap.getSlotValue(self, STATE) as GeneratorState;
  const cls = vm.nativeClass('generator', {
    slots: ['gi_frame', { name: 'state', kind: 'js' }, '__weakref__'],
    weakrefable: true,
    finalize: (_heap, self) => finalizeGenerator(vm, self),
    repr: (heap, self) => `<generator object ${state(self).qualname} at ${heap.hexId(self)}>`,
  });
  cls.iterNext = (vm, self) => resume(vm, self, NULL, false);
  cls.getset.set('gi_running', { get: (vm, self) => vm.heap.newBool(state(self).running) });
  cls.getset.set('__name__', { get: (vm, self) => vm.heap.newStr(state(self).name) });
  cls.getset.set('__qualname__', { get: (vm, self) => vm.heap.newStr(state(self).qualname) });
  cls.getset.set('gi_frame', {
    get: (vm, self) => {
      const frame = vm.heap.getSlot(self, FRAME_SLOT);
      const result = frame === NULL ? vm.heap.None : frame;
      vm.heap.incref(result);
      return result;
    },
  });
  vm.defineMethod(cls, '__next__', (vm, args) => nextOrStop(vm, args[0]!, NULL, false));
  vm.defineMethod(cls, '__iter__', (vm, args) => {
    vm.heap.incref(args[0]!);
    return args[0]!;
  });
  vm.defineMethod(cls, 'send', (vm, args) => {
    if (args.length !== 2) throw vm.typeError(`generator.send() takes exactly one argument (${args.length - 1} given)`);
    vm.heap.incref(args[1]!);
    return nextOrStop(vm, args[0]!, args[1]!, false);
  });
  vm.defineMethod(cls, 'throw', (vm, args) => {
    let exc = args[1];
    if (exc === undefined) throw vm.typeError('throw expected at least 1 argument, got 0');
    const asClass = vm.asClass(exc);
    const value = args.length > 2 && args[2] !== vm.heap.None ? args[2]! : NULL;
    if (asClass !== undefined && value !== NULL && vm.isInstance(value, asClass)) {
      // throw(type, instance): the instance itself, as _gen_throw normalizes it.
      exc = value;
      vm.heap.incref(exc);
    } else if (asClass !== undefined) exc = vm.call(exc, value !== NULL ? [value] : []);
    else vm.heap.incref(exc);
    if (!vm.classOf(exc).isException) {
      vm.heap.decref(exc);
      throw vm.typeError('exceptions must be classes or instances deriving from BaseException, not ' + vm.typeName(exc));
    }
    return nextOrStop(vm, args[0]!, exc, true);
  });
  vm.defineMethod(cls, 'close', (vm, args) => {
    closeGenerator(vm, args[0]!);
    return vm.heap.newNone();
  });
  return cls;
}

/** A generator object for a frame whose arguments are bound; the frame is the generator's now. */
export function newGenerator(vm: VM, frame: Frame, info: { readonly name: string; readonly qualname: string }): Ref {
  const heap = vm.heap;
  const gen = heap.newInstance(vm.generatorClass.instanceType!);
  frame.generator = true;
  const object = frameObject(vm, frame);
  heap.setSlot(gen, FRAME_SLOT, object);
  heap.decref(object); // the generator holds the frame object; the frame's pointer is borrowed
  const state: GeneratorState = {
    frame,
    body: null,
    started: false,
    running: false,
    done: false,
    name: info.name,
    qualname: info.qualname,
    returned: NULL,
  };
  heap.setSlotValue(gen, STATE, state);
  return gen;
}

export function isGenerator(vm: VM, ref: Ref): boolean {
  return vm.heap.typeOf(ref) === vm.generatorClass.instanceType;
}

/**
 * Runs the generator to its next `yield`: the yielded value (a new reference), or NULL when it
 * returned — its return value then waits in the state for `takeReturned`. `value` is owned: the
 * value sent in, or (with `isThrow`) the exception to raise at the `yield`.
 */
export function resume(vm: VM, gen: Ref, value: Ref, isThrow: boolean): Ref {
  const heap = vm.heap;
  const state = heap.getSlotValue(gen, STATE) as GeneratorState;
  if (state.running) {
    if (value !== NULL) heap.decref(value);
    throw vm.error('ValueError', 'generator already executing');
  }
  if (state.done) {
    if (isThrow) throw new PyThrow(value);
    if (value !== NULL) heap.decref(value);
    return NULL;
  }
  const frame = state.frame;
  if (!state.started) {
    if (!isThrow && value !== NULL && value !== heap.None) {
      heap.decref(value);
      throw vm.typeError("can't send non-None value to a just-started generator");
    }
    if (!isThrow && value !== NULL) heap.decref(value);
    state.started = true;
    state.body = frame.code.generatorBody!(frame);
    if (isThrow) {
      // Thrown in before the first line: it is raised at the start of the body.
      finish(vm, gen, state);
      throw new PyThrow(value);
    }
    value = NULL;
  }
  if (vm.depth >= vm.recursionLimit) {
    if (value !== NULL) heap.decref(value);
    throw vm.error('RecursionError', 'maximum recursion depth exceeded');
  }
  frame.back = vm.frame;
  vm.frame = frame;
  vm.depth++;
  state.running = true;
  frame.executing = true;
  try {
    const step = isThrow ? state.body!.throw(new PyThrow(value)) : state.body!.next(value === NULL ? heap.newNone() : value);
    if (!step.done) return step.value;
    state.returned = step.value === Completion.Return ? frame.retval : heap.newNone();
    frame.retval = NULL;
    finish(vm, gen, state);
    return NULL;
  } catch (error) {
    let thrown = vm.toThrow(error);
    addTraceback(vm, thrown, frame);
    finish(vm, gen, state);
    if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.StopIteration)) {
      const replaced = vm.error('RuntimeError', 'generator raised StopIteration');
      // _PyErr_FormatFromCause: the StopIteration is the cause and the context.
      heap.setSlot(replaced.exc, CONTEXT, thrown.exc);
      heap.setSlot(replaced.exc, CAUSE, thrown.exc);
      heap.setSlotInt(replaced.exc, SUPPRESS, 1);
      heap.decref(thrown.exc);
      thrown = replaced;
    }
    throw thrown;
  } finally {
    state.running = false;
    frame.executing = false;
    vm.depth--;
    vm.frame = frame.back;
    frame.back = null;
  }
}

function finish(vm: VM, gen: Ref, state: GeneratorState): void {
  state.done = true;
  state.body = null;
  state.frame.finished = true;
  state.frame.executing = false;
  clearLocals(vm, state.frame);
  state.frame.object = NULL;
  vm.heap.setSlot(gen, FRAME_SLOT, NULL);
}

/** The return value of a finished generator (a new reference; None once taken). */
export function takeReturned(vm: VM, gen: Ref): Ref {
  const state = vm.heap.getSlotValue(gen, STATE) as GeneratorState;
  const value = state.returned;
  state.returned = NULL;
  return value === NULL ? vm.heap.newNone() : value;
}

/** `next(gen)` / `gen.send(v)` / `gen.throw(e)`: the value, or StopIteration carrying the return value. */
function nextOrStop(vm: VM, gen: Ref, value: Ref, isThrow: boolean): Ref {
  const result = resume(vm, gen, value, isThrow);
  if (result !== NULL) return result;
  const returned = takeReturned(vm, gen);
  const args = returned === vm.heap.None ? [] : [returned];
  const exc = vm.newException(vm.exc.StopIteration, args);
  vm.heap.decref(returned);
  throw new PyThrow(exc);
}

/** gen.close(): GeneratorExit at the yield; a generator that yields again is a RuntimeError. */
export function closeGenerator(vm: VM, gen: Ref): void {
  const state = vm.heap.getSlotValue(gen, STATE) as GeneratorState;
  if (state.done || !state.started) {
    if (!state.done) finish(vm, gen, state);
    return;
  }
  const exit = vm.newException(vm.exc.GeneratorExit);
  let yielded: Ref;
  try {
    yielded = resume(vm, gen, exit, true);
  } catch (error) {
    const thrown = vm.toThrow(error);
    const cls = vm.classOf(thrown.exc);
    if (cls.isSubclassOf(vm.exc.GeneratorExit) || cls.isSubclassOf(vm.exc.StopIteration)) {
      vm.heap.decref(thrown.exc);
      return;
    }
    throw thrown;
  }
  if (yielded !== NULL) {
    vm.heap.decref(yielded);
    throw vm.error('RuntimeError', 'generator ignored GeneratorExit');
  }
  vm.heap.decref(takeReturned(vm, gen));
}

function finalizeGenerator(vm: VM, gen: Ref): void {
  const state = vm.heap.getSlotValue(gen, STATE) as GeneratorState | undefined;
  if (state === undefined || state.done || !state.started) return;
  try {
    closeGenerator(vm, gen);
  } catch (error) {
    vm.reportUnraisable(vm.toThrow(error), gen);
  }
}
