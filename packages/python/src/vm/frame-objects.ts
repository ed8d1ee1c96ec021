/**
 * Frame and traceback objects. A traceback entry holds its frame object, and a frame object
 * holds the frame's locals — after the function returned, too — which is why a caught
 * exception kept in a variable keeps alive every local of every frame it passed through, and
 * why `except E as e` deletes `e` at the end of the block.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { PyClass } from './classes.ts';
import { TRACEBACK } from './exceptions.ts';
import type { Frame } from './frame.ts';
import type { PyThrow } from './throw.ts';
import type { VM } from './vm.ts';

export interface FrameTypes {
  readonly frame: PyClass;
  readonly traceback: PyClass;
  /** The frame behind each frame object (a side table: a clear hook cannot read a dying object's js slots). */
  readonly frames: Map<Ref, Frame>;
}

const F_GLOBALS = 0;
const F_LOCALS = 1;
const TB_NEXT = 0;
const TB_FRAME = 1;
const TB_LINENO = 2;

export function installFrameTypes(vm: VM): FrameTypes {
  const frames = new Map<Ref, Frame>();
  const frameOf = (_vm: VM, self: Ref) => frames.get(self)!;
  const frame = vm.nativeClass('frame', {
    slots: ['f_globals', 'f_locals_dict'],
    traverse: (_heap, self, visit) => {
      const f = frames.get(self);
      if (f === undefined) return;
      for (const ref of f.fast) if (ref !== NULL) visit(ref);
    },
    clear: (_heap, self) => {
      const f = frames.get(self);
      if (f === undefined || f.executing) return;
      clearLocals(vm, f);
      frames.delete(self);
    },
    repr: (heap, self) => {
      const f = frames.get(self)!;
      return `<frame at ${heap.hexId(self)}, file '${f.code.filename}', line ${f.lineno}, code ${f.code.name}>`;
    },
  });
  frame.getset.set('f_lineno', { get: (vm, self) => vm.heap.newInt(frameOf(vm, self).lineno) });
  frame.getset.set('f_back', {
    get: (vm, self) => {
      const back = frameOf(vm, self).back;
      if (back === null) return vm.heap.newNone();
      const object = frameObject(vm, back);
      vm.heap.incref(object);
      return object;
    },
  });
  frame.getset.set('f_locals', { get: (vm, self) => frameLocals(vm, frameOf(vm, self)) });
  frame.getset.set('f_globals', {
    get: (vm, self) => {
      const globals = frameOf(vm, self).globals;
      vm.heap.incref(globals);
      return globals;
    },
  });
  const traceback = vm.nativeClass('traceback', {
    slots: ['tb_next', 'tb_frame', { name: 'tb_lineno', kind: 'int32' }],
  });
  traceback.getset.set('tb_lineno', { get: (vm, self) => vm.heap.newInt(vm.heap.getSlotInt(self, TB_LINENO)) });
  return { frame, traceback, frames };
}

/** The frame object of a frame, made on first use; borrowed (the running frame holds it). */
export function frameObject(vm: VM, frame: Frame): Ref {
  if (frame.object !== NULL) return frame.object;
  const heap = vm.heap;
  const object = heap.newInstance(vm.frames.frame.instanceType!);
  vm.frames.frames.set(object, frame);
  heap.setSlot(object, F_GLOBALS, frame.globals);
  if (frame.locals !== NULL) heap.setSlot(object, F_LOCALS, frame.locals);
  frame.object = object;
  return object;
}

/** `frame.f_locals`: a new dict of the bound locals (a snapshot, as 3.11's is for functions). */
export function frameLocals(vm: VM, frame: Frame): Ref {
  const heap = vm.heap;
  if (frame.locals !== NULL) {
    heap.incref(frame.locals);
    return frame.locals;
  }
  const dict = heap.newDict();
  const scope = frame.code.scope;
  const names = [...scope.varnames, ...scope.cellvars, ...scope.freevars];
  names.forEach((name, i) => {
    let value = frame.fast[i]!;
    if (value !== NULL && i >= scope.varnames.length) value = heap.cellGet(value);
    if (value !== NULL) vm.setItemStr(dict, name, value);
  });
  return dict;
}

/**
 * Adds the entry for `frame` to the traceback of the exception in flight (PyTraceBack_Here),
 * once per frame however the exception leaves it.
 */
export function addTraceback(vm: VM, thrown: PyThrow, frame: Frame): void {
  if (thrown.frame === frame) return;
  thrown.frame = frame;
  const heap = vm.heap;
  const exc = thrown.exc;
  const tb = heap.newInstance(vm.frames.traceback.instanceType!);
  const previous = heap.getSlot(exc, TRACEBACK);
  if (previous !== NULL) heap.setSlot(tb, TB_NEXT, previous);
  heap.setSlot(tb, TB_FRAME, frameObject(vm, frame));
  heap.setSlotInt(tb, TB_LINENO, frame.lineno);
  heap.setSlot(exc, TRACEBACK, tb);
  heap.decref(tb);
}

/** A traceback's entries, outermost first: frame and line. */
export function tracebackEntries(vm: VM, tb: Ref): { frame: Frame; lineno: number }[] {
  const entries: { frame: Frame; lineno: number }[] = [];
  const heap = vm.heap;
  for (let node = tb; node !== NULL && node !== heap.None; node = heap.getSlot(node, TB_NEXT)) {
    const frame = vm.frames.frames.get(heap.getSlot(node, TB_FRAME));
    if (frame === undefined) continue;
    entries.push({ frame, lineno: heap.getSlotInt(node, TB_LINENO) });
  }
  return entries;
}

/**
 * The frame is done: its locals go now, unless a frame object holds the frame (a traceback,
 * a generator), in which case they go with it.
 */
export function releaseFrame(vm: VM, frame: Frame): void {
  frame.finished = true;
  frame.executing = false;
  const object = frame.object;
  if (object === NULL || frame.generator) return clearLocals(vm, frame);
  // The frame's own reference goes; if it was the last, the frame object's clear takes the locals.
  if (vm.heap.refcount(object) === 1) frame.object = NULL;
  vm.heap.decref(object);
}

export function clearLocals(vm: VM, frame: Frame): void {
  const fast = frame.fast;
  for (let i = 0; i < fast.length; i++) {
    const ref = fast[i]!;
    if (ref !== NULL) {
      fast[i] = NULL;
      vm.heap.decref(ref);
    }
  }
}
