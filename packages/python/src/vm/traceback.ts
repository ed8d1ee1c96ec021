/**
 * Printing an uncaught exception as Python/pythonrun.c and Lib/traceback.py do: the chain of
 * causes and contexts first, each with its "Traceback (most recent call last):" entries and
 * source lines, then the `Type: message` line.
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import { CAUSE, CONTEXT, SUPPRESS, TRACEBACK } from './exceptions.ts';
import { tracebackEntries } from './frame-objects.ts';
import { exceptionStr } from './repr.ts';
import { suggest } from './suggestions.ts';
import type { VM } from './vm.ts';

export function formatException(vm: VM, exc: Ref): string {
  const seen = new Set<Ref>();
  return formatChain(vm, exc, seen);
}

function formatChain(vm: VM, exc: Ref, seen: Set<Ref>): string {
  const heap = vm.heap;
  seen.add(exc);
  let out = '';
  const cause = heap.getSlot(exc, CAUSE);
  const context = heap.getSlot(exc, CONTEXT);
  if (cause !== NULL && !seen.has(cause)) {
    out += formatChain(vm, cause, seen);
    out += '\nThe above exception was the direct cause of the following exception:\n\n';
  } else if (context !== NULL && heap.getSlotInt(exc, SUPPRESS) === 0 && !seen.has(context)) {
    out += formatChain(vm, context, seen);
    out += '\nDuring handling of the above exception, another exception occurred:\n\n';
  }
  const tb = heap.getSlot(exc, TRACEBACK);
  if (tb !== NULL) {
    out += 'Traceback (most recent call last):\n';
    // Lib/traceback.py: after three identical entries in a row, the rest are counted, not printed.
    let last = '';
    let repeats = 0;
    const flush = () => {
      if (repeats > 3) out += `  [Previous line repeated ${repeats - 3} more time${repeats - 3 === 1 ? '' : 's'}]\n`;
    };
    for (const entry of tracebackEntries(vm, tb)) {
      const key = `${entry.frame.code.filename}\0${entry.lineno}\0${entry.frame.code.name}`;
      if (key === last) repeats++;
      else {
        flush();
        last = key;
        repeats = 1;
      }
      if (repeats > 3) continue;
      out += `  File "${entry.frame.code.filename}", line ${entry.lineno}, in ${entry.frame.code.name}\n`;
      // Like linecache, no source for a pseudo-file (<string>, <stdin>): python3 -c shows none.
      const filename = entry.frame.code.filename;
      const line = filename.startsWith('<') ? undefined : vm.sources.get(filename)?.[entry.lineno - 1];
      if (line !== undefined && line.trim() !== '') out += `    ${line.trim()}\n`;
    }
    flush();
  }
  return out + exceptionLine(vm, exc, nameSuggestion(vm, exc));
}

/** For a NameError, 3.11's hint from the names the failing frame could see; for an AttributeError, from dir(obj). */
function nameSuggestion(vm: VM, exc: Ref): string {
  const heap = vm.heap;
  const cls = vm.classOf(exc);
  if (cls.isSubclassOf(vm.exc.AttributeError)) return attributeSuggestion(vm, exc);
  if (!cls.isSubclassOf(vm.exc.NameError) || cls.isSubclassOf(vm.exc.UnboundLocalError)) return '';
  const match = /^name '(.+)' is not defined$/.exec(exceptionStr(vm, exc));
  const tb = heap.getSlot(exc, TRACEBACK);
  if (match === null || tb === NULL) return '';
  const entries = tracebackEntries(vm, tb);
  const frame = entries[entries.length - 1]?.frame;
  if (frame === undefined) return '';
  const keys = (dict: Ref): string[] => {
    const names: string[] = [];
    heap.dictForEach(dict, (key) => {
      if (heap.kindOf(key) === Kind.Str) names.push(heap.valueOf(key) as string);
    });
    return names;
  };
  const scope = frame.code.scope;
  const locals = frame.locals !== NULL ? keys(frame.locals) : [...scope.varnames, ...scope.cellvars, ...scope.freevars].filter((_, i) => frame.fast[i] !== NULL);
  for (const names of [locals, keys(frame.globals), keys(vm.builtins)]) {
    const found = suggest(match[1]!, names);
    if (found !== null) return `. Did you mean: '${found}'?`;
  }
  return '';
}

/** The last line: `ValueError: bad`, or just the name when the message is empty. */
function attributeSuggestion(vm: VM, exc: Ref): string {
  const heap = vm.heap;
  const name = heap.ownAttr(exc, 'name');
  const obj = heap.ownAttr(exc, 'obj');
  const dir = heap.dictGetStr(vm.builtins, 'dir');
  if (name === NULL || obj === NULL || dir === NULL || heap.kindOf(name) !== Kind.Str) return '';
  try {
    const listing = vm.call(dir, [obj]);
    try {
      const names: string[] = [];
      for (let i = 0; i < heap.length(listing); i++) names.push(vm.strOf(heap.item(listing, i)));
      const found = suggest(heap.valueOf(name) as string, names);
      return found === null ? '' : `. Did you mean: '${found}'?`;
    } finally {
      heap.decref(listing);
    }
  } catch (error) {
    heap.decref(vm.toThrow(error).exc);
    return '';
  }
}

export function exceptionLine(vm: VM, exc: Ref, hint = ''): string {
  const cls = vm.classOf(exc);
  const name = cls.module === 'builtins' || cls.module === '__main__' ? cls.qualname : `${cls.module}.${cls.qualname}`;
  let message: string;
  try {
    message = cls.userDefined ? vm.strOf(exc) : exceptionStr(vm, exc);
  } catch {
    message = '<exception str() failed>';
  }
  return message === '' ? `${name}${hint}\n` : `${name}: ${message}${hint}\n`;
}
