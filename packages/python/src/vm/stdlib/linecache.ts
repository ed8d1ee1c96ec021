/**
 * The linecache module, reading the sources the VM was given (vm.sources): what tracebacks
 * and `inspect`-like lessons show of a file.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { NativeFn } from '../classes.ts';
import type { VM } from '../vm.ts';

function linesOf(vm: VM, filename: Ref): string[] | undefined {
  if (vm.heap.kindOf(filename) !== Kind.Str) return undefined;
  const lines = vm.sources.get(vm.heap.valueOf(filename) as string);
  // A source that ends with a line break has no line after it.
  if (lines !== undefined && lines.length > 0 && lines[lines.length - 1] === '') return lines.slice(0, -1);
  return lines;
}

function withNewline(line: string): string {
  return line.endsWith('\n') ? line : `${line}\n`;
}

export function makeLinecacheModule(vm: VM): Ref {
  const heap = vm.heap;
  const module = vm.newModule('linecache', 'Cache lines from Python source files.');
  const dict = vm.moduleDict(module);
  const def = (name: string, fn: NativeFn) => vm.defineFunction(dict, name, fn, 'linecache');
  const argument = (args: readonly Ref[], kw: { names: readonly string[]; values: Ref[] } | null, index: number, name: string): Ref => {
    const given = args[index];
    if (given !== undefined) return given;
    const at = kw?.names.indexOf(name) ?? -1;
    return at >= 0 ? kw!.values[at]! : NULL;
  };
  def('getline', (vm, args, kw) => {
    const filename = argument(args, kw, 0, 'filename');
    const lineno = argument(args, kw, 1, 'lineno');
    if (filename === NULL) throw vm.typeError("getline() missing 2 required positional arguments: 'filename' and 'lineno'");
    if (lineno === NULL) throw vm.typeError("getline() missing 1 required positional argument: 'lineno'");
    const lines = linesOf(vm, filename) ?? [];
    const kind = vm.heap.kindOf(lineno);
    if (kind !== Kind.Int && kind !== Kind.Bool) throw vm.typeError(`'<=' not supported between instances of 'int' and '${vm.typeName(lineno)}'`);
    const n = Number(vm.heap.valueOf(lineno));
    if (n >= 1 && n <= lines.length) return vm.heap.newStr(withNewline(lines[n - 1]!), { intern: false });
    return vm.heap.newStr('');
  });
  def('getlines', (vm, args, kw) => {
    const filename = argument(args, kw, 0, 'filename');
    if (filename === NULL) throw vm.typeError("getlines() missing 1 required positional argument: 'filename'");
    const lines = linesOf(vm, filename) ?? [];
    const refs = lines.map((line) => vm.heap.newStr(withNewline(line), { intern: false }));
    const list = vm.heap.newList(refs);
    for (const ref of refs) vm.heap.decref(ref);
    return list;
  });
  def('clearcache', (vm) => vm.heap.newNone());
  def('checkcache', (vm) => vm.heap.newNone());
  def('lazycache', (vm) => vm.heap.newBool(false));
  def('updatecache', (vm, args, kw) => {
    const filename = argument(args, kw, 0, 'filename');
    const lines = filename === NULL ? [] : (linesOf(vm, filename) ?? []);
    const refs = lines.map((line) => vm.heap.newStr(withNewline(line), { intern: false }));
    const list = vm.heap.newList(refs);
    for (const ref of refs) vm.heap.decref(ref);
    return list;
  });
  const cache = heap.newDict();
  vm.setItemStr(dict, 'cache', cache);
  heap.decref(cache);
  return module;
}
