/**
 * format(value, spec) and the f-string conversions: the type's `__format__`, with the built-in
 * numbers and strings formatted directly (format.ts has the mini-language).
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { classLookup } from './attributes.ts';
import { FormatError, formatFloat, formatInt, formatStr } from './format.ts';
import type { VM } from './vm.ts';

export function formatValue(vm: VM, value: Ref, spec: string): string {
  const heap = vm.heap;
  const kind = heap.kindOf(value);
  try {
    if (kind === Kind.Str && vm.classOf(value) === vm.core.str) return spec === '' ? (heap.valueOf(value) as string) : formatStr(heap.valueOf(value) as string, spec);
    if (kind === Kind.Int) return formatInt(heap.valueOf(value) as number | bigint, spec);
    if (kind === Kind.Float) return formatFloat(heap.valueOf(value) as number, spec);
    if (kind === Kind.Bool && spec === '') return value === heap.True ? 'True' : 'False';
    if (kind === Kind.Bool) return formatInt(value === heap.True ? 1 : 0, spec, 'bool');
  } catch (error) {
    if (error instanceof FormatError) throw vm.error(error.pythonName, error.message);
    throw error;
  }
  const method = classLookup(vm, vm.classOf(value), '__format__');
  if (method !== NULL && method !== heap.dictGetStr(vm.core.object.dict, '__format__')) {
    const specRef = heap.newStr(spec, { intern: false });
    try {
      const result = vm.call(method, [value, specRef]);
      try {
        if (heap.kindOf(result) !== Kind.Str) throw vm.typeError(`__format__ must return a str, not ${vm.typeName(result)}`);
        return heap.valueOf(result) as string;
      } finally {
        heap.decref(result);
      }
    } finally {
      heap.decref(specRef);
    }
  }
  if (spec !== '') throw vm.typeError(`unsupported format string passed to ${vm.typeName(value)}.__format__`);
  return vm.strOf(value);
}

/** `!s`, `!r`, `!a` of an f-string field: a new str. */
export function conversion(vm: VM, value: Ref, code: number): Ref {
  const heap = vm.heap;
  if (code === 115) return heap.newStr(vm.strOf(value), { intern: false });
  const text = vm.reprOf(value);
  if (code === 114) return heap.newStr(text, { intern: false });
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return heap.newStr(out, { intern: false });
}
