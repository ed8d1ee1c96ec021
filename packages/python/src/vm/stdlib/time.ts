/**
 * The time module: clocks (time, perf_counter, monotonic, process_time, and their _ns forms) and
 * sleep, which checks its argument as CPython does and returns at once — a lesson's program
 * should not wait on a server.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { NativeFn } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import type { VM } from '../vm.ts';
import { noArguments } from './module-support.ts';

const clock = (globalThis as { performance?: { now(): number } }).performance;
const now = (): number => (clock !== undefined ? clock.now() : Date.now());

export function makeTimeModule(vm: VM): Ref {
  const heap = vm.heap;
  const module = vm.newModule('time', 'This module provides various functions to manipulate time values.');
  const dict = vm.moduleDict(module);
  const def = (name: string, fn: NativeFn) => vm.defineFunction(dict, name, fn, 'time');
  const start = now();
  const clock = (name: string, seconds: () => number) => {
    def(name, (vm, args, kw) => {
      noArguments(vm, name, args, kw);
      return vm.heap.newFloat(seconds());
    });
    def(`${name}_ns`, (vm, args, kw) => {
      noArguments(vm, `${name}_ns`, args, kw);
      return vm.heap.newInt(BigInt(Math.round(seconds() * 1e9)));
    });
  };
  clock('time', () => Date.now() / 1000);
  clock('perf_counter', () => now() / 1000);
  clock('monotonic', () => now() / 1000);
  clock('process_time', () => (now() - start) / 1000);
  clock('thread_time', () => (now() - start) / 1000);
  def('sleep', (vm, args, kw) => {
    if (kw !== null && kw.names.length > 0) throw vm.typeError('sleep() takes no keyword arguments');
    if (args.length !== 1) throw vm.typeError(`time.sleep() takes exactly one argument (${args.length} given)`);
    const secs = args[0]!;
    const kind = vm.heap.kindOf(secs);
    let value: number;
    if (kind === Kind.Float) value = vm.heap.valueOf(secs) as number;
    else if (kind === Kind.Int) value = Number(vm.heap.valueOf(secs));
    else if (kind === Kind.Bool) value = secs === vm.heap.True ? 1 : 0;
    else if (lookupMethod(vm, secs, '__float__') !== NULL) {
      const f = vm.callMethod(secs, '__float__');
      value = vm.heap.valueOf(f) as number;
      vm.heap.decref(f);
    } else throw vm.typeError(`'${vm.typeName(secs)}' object cannot be interpreted as an integer`);
    if (Number.isNaN(value)) throw vm.error('ValueError', 'Invalid value NaN (not a number)');
    if (value < 0) throw vm.error('ValueError', 'sleep length must be non-negative');
    return vm.heap.newNone();
  });
  const tz = heap.newInt(0);
  vm.setItemStr(dict, 'timezone', tz);
  vm.setItemStr(dict, 'altzone', tz);
  vm.setItemStr(dict, 'daylight', tz);
  heap.decref(tz);
  return module;
}
