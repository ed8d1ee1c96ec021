/**
 * The `gc` module (Modules/gcmodule.c) over the VM's @refheap/gc Collector. The collector does
 * the work — generations, thresholds, PEP 442 finalizers, weakref handling, `gc.garbage` — and
 * this module exposes it with CPython's names, argument parsing and words:
 *
 * - `gc.garbage` is the collector's own heap list (uncollectable objects; everything with
 *   DEBUG_SAVEALL), so `gc.garbage.clear()` and `del gc.garbage[:]` act on what it fills.
 * - `gc.callbacks` is a real list; one JS GcCallback on the collector calls each of its items,
 *   in order, with `("start" | "stop", {"generation": …, "collected": …, "uncollectable": …})`,
 *   for explicit and automatic (threshold) collections alike. What a callback raises is
 *   reported as unraisable (`Exception ignored in: <function cb at 0x…>`), as invoke_gc_callback
 *   does, and the other callbacks still run.
 * - DEBUG_* lines go to the VM's stderr, one line each, in CPython's format.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE } from '@refheap/gc';
import type { CollectionInfo, CollectionPhase } from '@refheap/gc';
import type { NativeFn } from '../classes.ts';
import { intArg, isAbsent } from '../types/args.ts';
import { PyThrow } from '../throw.ts';
import type { VM } from '../vm.ts';
import { guard, moduleArgs, noArguments } from './module-support.ts';

const NUM_GENERATIONS = 3;

/** `{'generation': g, 'collected': c, 'uncollectable': u}` or any str→int dict, a new reference. */
function intDict(vm: VM, entries: readonly (readonly [string, number])[]): Ref {
  const heap = vm.heap;
  const dict = heap.newDict();
  for (const [name, value] of entries) {
    const v = heap.newInt(value);
    vm.setItemStr(dict, name, v);
    heap.decref(v);
  }
  return dict;
}

function intTuple(vm: VM, values: readonly number[]): Ref {
  const heap = vm.heap;
  const items = values.map((v) => heap.newInt(v));
  const tuple = heap.newTuple(items);
  for (const item of items) heap.decref(item);
  return tuple;
}

/** A new list of borrowed refs. */
function listOfRefs(vm: VM, refs: readonly Ref[]): Ref {
  return vm.heap.newList(refs);
}

export function makeGcModule(vm: VM): Ref {
  const heap = vm.heap;
  const collector = vm.collector;
  const module = vm.newModule('gc', 'This module provides access to the garbage collector for reference cycles.');
  const dict = vm.moduleDict(module);
  const def = (name: string, fn: NativeFn): void => vm.defineFunction(dict, name, fn, 'gc');

  // Debug output: to the interpreter's stderr, as CPython's PySys_WriteStderr.
  collector.setDebugSink((line) => vm.stderr(`${line}\n`));

  // gc.callbacks: a real list, called through the collector's JS callback list.
  const callbacks = heap.newList();
  vm.setItemStr(dict, 'callbacks', callbacks);
  heap.decref(callbacks); // the module dict holds it; the JS callback reads it through the dict
  const callbackList = (): Ref => {
    const current = heap.dictGetStr(dict, 'callbacks');
    return current !== NULL && heap.isAlive(current) && heap.kindOf(current) === heap.kindOf(callbacks) ? current : NULL;
  };
  const invoke = (phase: CollectionPhase, info: CollectionInfo): void => {
    const list = callbackList();
    if (list === NULL || heap.length(list) === 0) return;
    // A snapshot of the list, each callback held for its call (CPython: Py_INCREF(cb)).
    const items: Ref[] = [];
    for (let i = 0; i < heap.length(list); i++) {
      const cb = heap.item(list, i);
      heap.incref(cb);
      items.push(cb);
    }
    const phaseRef = heap.newStr(phase);
    const infoRef = intDict(vm, [
      ['generation', info.generation],
      ['collected', info.collected],
      ['uncollectable', info.uncollectable],
    ]);
    const saved = vm.frame;
    try {
      for (const cb of items) {
        try {
          heap.decref(vm.call(cb, [phaseRef, infoRef]));
        } catch (error) {
          if (!(error instanceof PyThrow) && !(error instanceof Error)) throw error; // budget stops pass
          vm.reportUnraisable(vm.toThrow(error), cb);
        } finally {
          vm.frame = saved;
        }
      }
    } finally {
      for (const cb of items) heap.decref(cb);
      heap.decref(phaseRef);
      heap.decref(infoRef);
    }
  };
  collector.callbacks.push(invoke);

  // gc.garbage: the collector's own list.
  vm.setItemStr(dict, 'garbage', collector.garbage);

  for (const [name, value] of [
    ['DEBUG_STATS', DEBUG_STATS],
    ['DEBUG_COLLECTABLE', DEBUG_COLLECTABLE],
    ['DEBUG_UNCOLLECTABLE', DEBUG_UNCOLLECTABLE],
    ['DEBUG_SAVEALL', DEBUG_SAVEALL],
    ['DEBUG_LEAK', DEBUG_LEAK],
  ] as const) {
    const v = heap.newInt(value);
    vm.setItemStr(dict, name, v);
    heap.decref(v);
  }

  def('enable', (vm, args, kw) => {
    noArguments(vm, 'gc.enable', args, kw);
    collector.enable();
    return heap.newNone();
  });
  def('disable', (vm, args, kw) => {
    noArguments(vm, 'gc.disable', args, kw);
    collector.disable();
    return heap.newNone();
  });
  def('isenabled', (vm, args, kw) => {
    noArguments(vm, 'gc.isenabled', args, kw);
    return heap.newBool(collector.isEnabled());
  });
  def('collect', (vm, args, kw) => {
    const [generation] = moduleArgs(vm, 'collect', args, kw, ['generation'], 0, 0);
    const g = generation === NULL ? NUM_GENERATIONS - 1 : intArg(vm, generation!);
    if (g < 0 || g >= NUM_GENERATIONS) throw vm.error('ValueError', 'invalid generation');
    const saved = vm.frame;
    try {
      return heap.newInt(guard(vm, () => collector.collect(g)));
    } finally {
      vm.frame = saved;
    }
  });
  def('get_count', (vm, args, kw) => {
    noArguments(vm, 'gc.get_count', args, kw);
    return intTuple(vm, collector.getCount());
  });
  def('get_threshold', (vm, args, kw) => {
    noArguments(vm, 'gc.get_threshold', args, kw);
    return intTuple(vm, collector.getThreshold());
  });
  def('set_threshold', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('set_threshold() takes no keyword arguments');
    if (args.length === 0) throw vm.typeError('set_threshold() takes at least 1 argument (0 given)');
    if (args.length > NUM_GENERATIONS) throw vm.typeError(`set_threshold() takes at most 3 arguments (${args.length} given)`);
    // CPython sets each threshold as it parses it: a bad third one leaves the first two set.
    const values: number[] = [];
    try {
      for (const arg of args) values.push(intArg(vm, arg));
    } finally {
      if (values.length > 0) guard(vm, () => collector.setThreshold(...values));
    }
    return heap.newNone();
  });
  def('get_stats', (vm, args, kw) => {
    noArguments(vm, 'gc.get_stats', args, kw);
    const dicts = collector.getStats().map((s) =>
      intDict(vm, [
        ['collections', s.collections],
        ['collected', s.collected],
        ['uncollectable', s.uncollectable],
      ]),
    );
    const list = heap.newList(dicts);
    for (const d of dicts) heap.decref(d);
    return list;
  });
  def('get_objects', (vm, args, kw) => {
    const [generation] = moduleArgs(vm, 'get_objects', args, kw, ['generation'], 0, 0);
    let g: number | null = null;
    if (!isAbsent(vm, generation!)) {
      const kind = vm.classOf(generation!);
      if (!kind.isSubclassOf(vm.core.int)) throw vm.typeError(`argument should be integer or None, not '${vm.typeName(generation!)}'`);
      g = intArg(vm, generation!);
    }
    // The collector's answer is taken before the result list exists: the list is not in it.
    const objects = guard(vm, () => collector.getObjects(g));
    return listOfRefs(vm, objects);
  });
  def('get_referrers', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('get_referrers() takes no keyword arguments');
    return listOfRefs(vm, collector.getReferrers(...args));
  });
  def('get_referents', (vm, args, kw) => {
    if (kw && kw.names.length > 0) throw vm.typeError('get_referents() takes no keyword arguments');
    return listOfRefs(vm, collector.getReferents(...args));
  });
  def('is_tracked', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, 'gc.is_tracked', args, kw, ['obj'], 1);
    // CPython's empty tuple is a singleton that is never tracked; the heap makes ordinary ones.
    if (heap.kindOf(obj!) === Kind.Tuple && heap.length(obj!) === 0) return heap.newBool(false);
    return heap.newBool(collector.isTracked(obj!));
  });
  def('is_finalized', (vm, args, kw) => {
    const [obj] = moduleArgs(vm, 'gc.is_finalized', args, kw, ['obj'], 1);
    return heap.newBool(collector.isFinalized(obj!));
  });
  def('freeze', (vm, args, kw) => {
    noArguments(vm, 'gc.freeze', args, kw);
    collector.freeze();
    return heap.newNone();
  });
  def('unfreeze', (vm, args, kw) => {
    noArguments(vm, 'gc.unfreeze', args, kw);
    collector.unfreeze();
    return heap.newNone();
  });
  def('get_freeze_count', (vm, args, kw) => {
    noArguments(vm, 'gc.get_freeze_count', args, kw);
    return heap.newInt(collector.getFreezeCount());
  });
  def('set_debug', (vm, args, kw) => {
    const [flags] = moduleArgs(vm, 'gc.set_debug', args, kw, ['flags'], 1);
    collector.setDebug(intArg(vm, flags!));
    return heap.newNone();
  });
  def('get_debug', (vm, args, kw) => {
    noArguments(vm, 'gc.get_debug', args, kw);
    return heap.newInt(collector.getDebug());
  });
  return module;
}
