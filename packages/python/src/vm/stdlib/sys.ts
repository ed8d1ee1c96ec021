/**
 * The sys module: reference counts and sizes as CPython 3.11 reports them, the recursion limit,
 * the exception being handled, frames, tracing, the standard streams, and the interpreter's
 * description (version, platform, float_info, flags).
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { NativeFn, PyClass } from '../classes.ts';
import { TRACEBACK } from '../exceptions.ts';
import type { Frame } from '../frame.ts';
import { addTraceback, frameObject } from '../frame-objects.ts';
import { lookupMethod } from '../attributes.ts';
import { compareBool, intOf } from '../operators.ts';
import { repr as reprText } from '../repr.ts';
import { PyThrow } from '../throw.ts';
import { exactlyOne, indexOf, newRef, noKeywords } from '../builtin-support.ts';
import type { VM } from '../vm.ts';
import { noArguments } from './module-support.ts';

/** The objects sys.stdout and sys.stderr start as: print() writes to vm.stdout/vm.stderr directly for them. */
export const standardStreams: WeakMap<VM, { readonly stdout: Ref; readonly stderr: Ref }> = new WeakMap();

const requestedLimit = new WeakMap<VM, number>();

/** The sys module's dict, once sys is made (borrowed: sys.modules holds sys). */
const sysDicts = new WeakMap<VM, Ref>();

/** Enters a module just made in sys.modules (a no-op before sys is imported; sys copies vm.modules then). */
export function noteModule(vm: VM, name: string, module: Ref): void {
  const dict = sysDicts.get(vm);
  if (dict === undefined) return;
  const modules = vm.heap.dictGetStr(dict, 'modules');
  if (modules !== NULL && vm.heap.kindOf(modules) === Kind.Dict) vm.setItemStr(modules, name, module);
}

// ─── Struct sequences (sys.version_info, sys.flags, sys.float_info) ───────────

/**
 * A read-only named sequence like CPython's structseq types: indexable, iterable, comparable
 * with tuples, with an attribute per field and `name(field=value, ...)` as its repr.
 */
export function structSequence(vm: VM, typeName: string, fields: readonly string[], values: readonly Ref[], reprName: string = typeName): Ref {
  const heap = vm.heap;
  const cls = structClass(vm, typeName, fields, reprName);
  const obj = heap.newInstance(cls.instanceType!);
  const tuple = heap.newTuple(values);
  heap.setSlot(obj, 0, tuple);
  heap.decref(tuple);
  return obj;
}

const structClasses = new WeakMap<VM, Map<string, PyClass>>();

function structClass(vm: VM, typeName: string, fields: readonly string[], reprName: string): PyClass {
  let byName = structClasses.get(vm);
  if (byName === undefined) {
    byName = new Map<string, PyClass>();
    structClasses.set(vm, byName);
  }
  const known = byName.get(typeName);
  if (known !== undefined) return known;
  const tupleOf = (vm: VM, self: Ref): Ref => vm.heap.getSlot(self, 0);
  const cls = vm.nativeClass(typeName, {
    slots: ['tuple'],
    module: 'sys',
    repr: (heap, self) => {
      const tuple = heap.getSlot(self, 0);
      const parts = fields.map((field, i) => `${field}=${reprText(vm, heap.item(tuple, i))}`);
      return `${reprName}(${parts.join(', ')})`;
    },
  });
  cls.qualname = reprName;
  fields.forEach((field, i) => {
    cls.getset.set(field, { get: (vm, self) => newRef(vm, vm.heap.item(tupleOf(vm, self), i)) });
  });
  const delegate = (name: string): NativeFn => (vm, args, kw) => {
    const tuple = tupleOf(vm, args[0]!);
    return vm.callMethod(tuple, name, args.slice(1), kw);
  };
  for (const name of ['__getitem__', '__len__', '__iter__', '__contains__', '__hash__', 'count', 'index']) vm.defineMethod(cls, name, delegate(name));
  const comparisons = [['__eq__', 'Eq'], ['__ne__', 'NotEq'], ['__lt__', 'Lt'], ['__le__', 'LtE'], ['__gt__', 'Gt'], ['__ge__', 'GtE']] as const;
  for (const [name, op] of comparisons) {
    vm.defineMethod(cls, name, (vm, args) => {
      const heap = vm.heap;
      const other = args[1]!;
      const mine = tupleOf(vm, args[0]!);
      const theirs = vm.classOf(other) === cls ? tupleOf(vm, other) : heap.kindOf(other) === Kind.Tuple ? other : NULL;
      if (theirs === NULL) return newRef(vm, vm.core.NotImplemented);
      return heap.newBool(compareBool(vm, mine, theirs, op));
    });
  }
  vm.defineMethod(cls, '__repr__', (vm, args) => vm.heap.newStr(cls.instanceType!.repr!(vm.heap, args[0]!), { intern: false }));
  byName.set(typeName, cls);
  return cls;
}

// ─── Streams ──────────────────────────────────────────────────────────────────

function streamClass(vm: VM): PyClass {
  const cls = vm.nativeClass('TextIOWrapper', {
    slots: [{ name: 'which', kind: 'int32' }],
    module: '_io',
    repr: (heap, self) => `<_io.TextIOWrapper name='${heap.getSlotInt(self, 0) === 2 ? '<stderr>' : '<stdout>'}' mode='w' encoding='utf-8'>`,
  });
  const which = (vm: VM, self: Ref) => vm.heap.getSlotInt(self, 0);
  vm.defineMethod(cls, 'write', (vm, args, kw) => {
    noKeywords(vm, 'write', kw);
    if (args.length !== 2) throw vm.typeError(`write() takes exactly one argument (${args.length - 1} given)`);
    const text = args[1]!;
    if (vm.heap.kindOf(text) !== Kind.Str) throw vm.typeError(`write() argument must be str, not ${vm.typeName(text)}`);
    const value = vm.heap.valueOf(text) as string;
    if (which(vm, args[0]!) === 2) vm.stderr(value);
    else vm.stdout(value);
    return vm.heap.newInt([...value].length);
  });
  vm.defineMethod(cls, 'flush', (vm) => vm.heap.newNone());
  vm.defineMethod(cls, 'isatty', (vm) => vm.heap.newBool(false));
  vm.defineMethod(cls, 'writable', (vm) => vm.heap.newBool(true));
  vm.defineMethod(cls, 'readable', (vm) => vm.heap.newBool(false));
  vm.defineMethod(cls, 'fileno', (vm, args) => vm.heap.newInt(which(vm, args[0]!)));
  cls.getset.set('name', { get: (vm, self) => vm.heap.newStr(which(vm, self) === 2 ? '<stderr>' : '<stdout>') });
  cls.getset.set('encoding', { get: (vm) => vm.heap.newStr('utf-8') });
  cls.getset.set('errors', { get: (vm, self) => vm.heap.newStr(which(vm, self) === 2 ? 'backslashreplace' : 'strict') });
  cls.getset.set('mode', { get: (vm) => vm.heap.newStr('w') });
  cls.getset.set('closed', { get: (vm) => vm.heap.newBool(false) });
  cls.getset.set('line_buffering', { get: (vm) => vm.heap.newBool(false) });
  return cls;
}

// ─── getsizeof ────────────────────────────────────────────────────────────────

function strSize(text: string): number {
  let max = 0;
  let n = 0;
  for (const ch of text) {
    max = Math.max(max, ch.codePointAt(0)!);
    n++;
  }
  if (max < 0x80) return 49 + n;
  if (max < 0x100) return 73 + n;
  if (max < 0x10000) return 74 + 2 * n;
  return 76 + 4 * n;
}

function setSize(n: number): number {
  // set_add_entry's growth from PySet_MINSIZE (8): resize to more than used*4 when 3/5 full.
  let size = 8;
  for (let fill = 1; fill <= n; fill++) {
    if (fill * 5 >= (size - 1) * 3) {
      const minused = fill > 50000 ? fill * 2 : fill * 4;
      let next = 8;
      while (next <= minused) next <<= 1;
      size = next;
    }
  }
  return 216 + (size > 8 ? size * 16 : 0);
}

function dictSize(vm: VM, dict: Ref): number {
  const heap = vm.heap;
  const n = heap.length(dict);
  if (n === 0) return 64;
  let allStr = true;
  heap.dictForEach(dict, (key) => {
    if (heap.kindOf(key) !== Kind.Str) allStr = false;
  });
  let log = 3;
  while (Math.floor(((1 << log) * 2) / 3) < n) log++;
  const size = 1 << log;
  const usable = Math.floor((size * 2) / 3);
  const indexBytes = size <= 128 ? 1 : size <= 0x8000 ? 2 : size <= 0x80000000 ? 4 : 8;
  return 64 + 32 + size * indexBytes + usable * (allStr ? 16 : 24);
}

/** sys.getsizeof: CPython 3.11's numbers (64-bit) for the built-in types, the heap's estimate otherwise. */
export function sizeOf(vm: VM, obj: Ref): number {
  const heap = vm.heap;
  switch (heap.kindOf(obj)) {
    case Kind.None:
      return 16;
    case Kind.Bool:
      return 28;
    case Kind.Int: {
      const v = heap.valueOf(obj) as number | bigint;
      const bits = (typeof v === 'bigint' ? (v < 0n ? -v : v) : BigInt(Math.abs(v))).toString(2).length;
      return 24 + 4 * Math.max(1, Math.ceil(bits / 30));
    }
    case Kind.Float:
      return 24;
    case Kind.Str:
      return strSize(heap.valueOf(obj) as string);
    case Kind.Bytes:
      return 33 + heap.length(obj);
    case Kind.ByteArray: {
      const n = heap.length(obj);
      return 56 + (n === 0 ? 0 : n + 1);
    }
    case Kind.Tuple:
      return 40 + 8 * heap.length(obj);
    case Kind.List: {
      const n = heap.length(obj);
      return 56 + 8 * (n <= 1 ? n : n + (n & 1));
    }
    case Kind.Dict:
      return dictSize(vm, obj);
    case Kind.Set:
      return setSize(heap.length(obj));
    default:
      break;
  }
  const cls = vm.classOf(obj);
  if (cls.userDefined) {
    const method = lookupMethod(vm, obj, '__sizeof__');
    const type = heap.typeOf(obj);
    const preheader = 16 + (type.hasDict ? 16 : 0);
    if (method !== NULL && method !== heap.dictGetStr(vm.core.object.dict, '__sizeof__')) {
      const result = vm.call(method, [obj]);
      try {
        const v = intOf(vm, result);
        if (v === undefined) throw vm.typeError(`'${vm.typeName(result)}' object cannot be interpreted as an integer`);
        if (v < 0) throw vm.error('ValueError', '__sizeof__() should return >= 0');
        return Number(v) + preheader;
      } finally {
        heap.decref(result);
      }
    }
    const slots = type.slots.filter((slot) => slot.name !== '__dict__' && slot.name !== '__weakref__').length;
    return 16 + 8 * slots + (type.weakrefable ? 8 : 0) + preheader;
  }
  if (heap.typeOf(obj) === vm.fn.functionType) return 152;
  if (cls.name === 'frozenset' && heap.typeOf(obj).kind === Kind.Instance) {
    const members = heap.getSlot(obj, 0);
    return setSize(members === NULL ? 0 : heap.length(members));
  }
  if (cls.name === 'range') return 48;
  return heap.sizeOf(obj);
}

// ─── Tracing ──────────────────────────────────────────────────────────────────

interface TraceState {
  tracer: Ref;
  /** Each frame's local trace function (owned), NULL for frames not traced. */
  readonly local: Map<Frame, Ref>;
}

const traces = new WeakMap<VM, TraceState>();

function clearTrace(vm: VM, state: TraceState): void {
  for (const ref of state.local.values()) if (ref !== NULL) vm.heap.decref(ref);
  state.local.clear();
}

/**
 * sys.settrace on the VM's line, exception and return hooks: a frame met for the first time gets
 * a 'call' event to the global trace function, whose answer becomes the frame's local trace
 * function for 'line' and 'exception' events (and is replaced by what each call returns), and a
 * 'return' event as it ends — its result, or None as an exception leaves it — as in CPython. The
 * frames running when settrace was called are not traced; a generator's frame gets none of these
 * (CPython gives it 'call' and 'return' at each resumption and yield).
 */
function setTrace(vm: VM, fn: Ref): void {
  const heap = vm.heap;
  let state = traces.get(vm);
  if (state !== undefined) {
    clearTrace(vm, state);
    if (state.tracer !== NULL) heap.decref(state.tracer);
    state.tracer = NULL;
  }
  if (fn === heap.None) {
    vm.lineHook = null;
    vm.returnHook = null;
    vm.exceptionHook = null;
    vm.resetCountdown();
    return;
  }
  if (state === undefined) traces.set(vm, (state = { tracer: NULL, local: new Map() }));
  heap.incref(fn);
  state.tracer = fn;
  for (let frame = vm.frame; frame !== null; frame = frame.back) state.local.set(frame, NULL);
  const traced = state;
  const event = (name: string) => heap.newStr(name);
  /** Runs `body` with every hook off (the tracer itself is not traced); on again after, unless settrace changed meanwhile. */
  const untraced = (body: () => void): void => {
    const hooks = [vm.lineHook, vm.returnHook, vm.exceptionHook] as const;
    vm.lineHook = null;
    vm.returnHook = null;
    vm.exceptionHook = null;
    try {
      body();
    } finally {
      if (traces.get(vm)?.tracer === traced.tracer && traced.tracer !== NULL) [vm.lineHook, vm.returnHook, vm.exceptionHook] = hooks;
      vm.resetCountdown();
    }
  };
  /** Calls the frame's local trace function `local` (owned by the table) with `name` and `arg`; its answer replaces it. */
  const callLocal = (frame: Frame, local: Ref, name: string, arg: Ref): void => {
    const ev = event(name);
    try {
      const result = vm.call(local, [frameObject(vm, frame), ev, arg]);
      heap.decref(local);
      traced.local.set(frame, result === heap.None ? NULL : result);
      if (result === heap.None) heap.decref(result);
    } finally {
      heap.decref(ev);
    }
  };
  vm.lineHook = (frame) => {
    if (traced.local.size > 256) {
      for (const [f, ref] of traced.local) {
        if (f.finished) {
          traced.local.delete(f);
          if (ref !== NULL) heap.decref(ref);
        }
      }
    }
    untraced(() => {
      let local = traced.local.get(frame);
      if (local === undefined) {
        const call = event('call');
        // The 'call' event reports the frame at its def line, as CPython's does.
        const lineno = frame.lineno;
        frame.lineno = frame.code.firstlineno;
        try {
          const result = vm.call(traced.tracer, [frameObject(vm, frame), call, heap.None]);
          local = result === heap.None ? NULL : result;
          if (result === heap.None) heap.decref(result);
        } finally {
          frame.lineno = lineno;
          heap.decref(call);
        }
        traced.local.set(frame, local);
      }
      if (local !== NULL) callLocal(frame, local, 'line', heap.None);
    });
  };
  vm.exceptionHook = (frame, thrown) => {
    const local = traced.local.get(frame);
    if (local === undefined || local === NULL) return;
    untraced(() => {
      addTraceback(vm, thrown, frame); // as CPython's unwinding adds the frame's entry before it traces
      const exc = thrown.exc;
      const tb = heap.getSlot(exc, TRACEBACK);
      const info = heap.newTuple([vm.classOf(exc).object, exc, tb === NULL ? heap.None : tb]);
      try {
        callLocal(frame, local, 'exception', info);
      } finally {
        heap.decref(info);
      }
    });
  };
  vm.returnHook = (frame, result) => {
    const local = traced.local.get(frame);
    if (local === undefined) return;
    traced.local.delete(frame); // the frame is over: its entry goes, and a second report finds none
    if (local === NULL) return;
    untraced(() => {
      const ev = event('return');
      try {
        heap.decref(vm.call(local, [frameObject(vm, frame), ev, result === NULL ? heap.None : result]));
      } finally {
        heap.decref(ev);
        heap.decref(local);
      }
    });
  };
  vm.resetCountdown();
}

// ─── The module ───────────────────────────────────────────────────────────────

export function makeSysModule(vm: VM): Ref {
  const heap = vm.heap;
  const module = vm.newModule('sys', 'This module provides access to some objects used or maintained by the\ninterpreter and to functions that interact strongly with the interpreter.');
  const dict = vm.moduleDict(module);
  sysDicts.set(vm, dict);
  const set = (name: string, value: Ref) => {
    vm.setItemStr(dict, name, value);
    heap.decref(value);
  };
  const str = (text: string) => heap.newStr(text);
  const def = (name: string, fn: NativeFn) => vm.defineFunction(dict, name, fn, 'sys');

  // Streams.
  const streams = streamClass(vm);
  const stdout = heap.newInstance(streams.instanceType!);
  heap.setSlotInt(stdout, 0, 1);
  const stderr = heap.newInstance(streams.instanceType!);
  heap.setSlotInt(stderr, 0, 2);
  standardStreams.set(vm, { stdout, stderr });
  vm.setItemStr(dict, 'stdout', stdout);
  vm.setItemStr(dict, '__stdout__', stdout);
  vm.setItemStr(dict, 'stderr', stderr);
  vm.setItemStr(dict, '__stderr__', stderr);
  // The module dict holds them now; the WeakMap's pointers are borrowed from it (and from __stdout__).
  heap.decref(stdout);
  heap.decref(stderr);

  // Description of the interpreter.
  const versionInfo = (): Ref => {
    const parts = [heap.newInt(3), heap.newInt(11), heap.newInt(7), str('final'), heap.newInt(0)];
    const info = structSequence(vm, 'version_info', ['major', 'minor', 'micro', 'releaselevel', 'serial'], parts, 'sys.version_info');
    for (const part of parts) heap.decref(part);
    return info;
  };
  set('version', str('3.11.7 (refheap-python) [JavaScript]'));
  set('version_info', versionInfo());
  set('hexversion', heap.newInt(0x030b07f0));
  set('api_version', heap.newInt(1013));
  set('platform', str('linux'));
  set('byteorder', str('little'));
  set('maxsize', heap.newInt(2n ** 63n - 1n));
  set('maxunicode', heap.newInt(0x10ffff));
  set('executable', str(''));
  set('prefix', str(''));
  set('base_prefix', str(''));
  set('exec_prefix', str(''));
  set('copyright', str('Copyright (c) 2001-2023 Python Software Foundation.'));
  set('float_repr_style', str('short'));
  set('dont_write_bytecode', heap.newBool(true));
  {
    const version = versionInfo();
    const parts = [str('cpython'), str('cpython-311'), version, heap.newInt(0x030b07f0), str('refheap')];
    set('implementation', structSequence(vm, 'SimpleNamespace', ['name', 'cache_tag', 'version', 'hexversion', '_multiarch'], parts, 'namespace'));
    for (const part of parts) heap.decref(part);
    heap.decref(version);
  }
  {
    const names = ['max', 'max_exp', 'max_10_exp', 'min', 'min_exp', 'min_10_exp', 'dig', 'mant_dig', 'epsilon', 'radix', 'rounds'];
    const parts = [
      heap.newFloat(Number.MAX_VALUE), heap.newInt(1024), heap.newInt(308), heap.newFloat(2.2250738585072014e-308), heap.newInt(-1021),
      heap.newInt(-307), heap.newInt(15), heap.newInt(53), heap.newFloat(Number.EPSILON), heap.newInt(2), heap.newInt(1),
    ];
    set('float_info', structSequence(vm, 'float_info', names, parts, 'sys.float_info'));
    for (const part of parts) heap.decref(part);
  }
  {
    const names = [
      'debug', 'inspect', 'interactive', 'optimize', 'dont_write_bytecode', 'no_user_site', 'no_site', 'ignore_environment', 'verbose',
      'bytes_warning', 'quiet', 'hash_randomization', 'isolated', 'dev_mode', 'utf8_mode', 'warn_default_encoding', 'safe_path', 'int_max_str_digits',
    ];
    const values: (number | boolean)[] = [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, false, 0, 0, false, -1];
    const parts = values.map((v) => (typeof v === 'boolean' ? heap.newBool(v) : heap.newInt(v)));
    set('flags', structSequence(vm, 'flags', names, parts, 'sys.flags'));
    for (const part of parts) heap.decref(part);
  }

  // sys.modules: the modules imported so far (the VM's own table is vm.modules).
  {
    const modules = heap.newDict();
    for (const [name, ref] of vm.modules) vm.setItemStr(modules, name, ref);
    vm.setItemStr(modules, 'sys', module);
    set('modules', modules);
  }
  {
    const names = [...vm.moduleFactories.keys(), 'builtins', 'sys'].filter((name, i, all) => all.indexOf(name) === i).sort();
    const refs = names.map((name) => heap.newStr(name));
    set('builtin_module_names', heap.newTuple(refs));
    for (const ref of refs) heap.decref(ref);
  }
  {
    let main: Frame | null = vm.frame;
    while (main?.back) main = main.back;
    const file = main?.code.filename ?? '';
    const arg = str(file);
    set('argv', heap.newList([arg]));
    heap.decref(arg);
  }
  set('path', heap.newList([]));
  set('meta_path', heap.newList([]));
  set('path_hooks', heap.newList([]));
  set('path_importer_cache', heap.newDict());
  set('warnoptions', heap.newList([]));

  // Reference counts and sizes.
  def('getrefcount', (vm, args, kw) => {
    const obj = exactlyOne(vm, 'sys.getrefcount', args, kw);
    // The argument's own reference is counted: the caller's call holds one, as in CPython.
    return vm.heap.newInt(vm.heap.refcount(obj));
  });
  def('getsizeof', (vm, args, kw) => {
    let obj = args[0] ?? NULL;
    let fallback = args[1] ?? NULL;
    if (args.length > 2) throw vm.typeError(`getsizeof() takes at most 2 arguments (${args.length} given)`);
    if (kw !== null) {
      kw.names.forEach((name, i) => {
        if (name === 'object' && obj === NULL) obj = kw.values[i]!;
        else if (name === 'default' && fallback === NULL) fallback = kw.values[i]!;
        else if (name === 'object' || name === 'default') {
          throw vm.typeError(`argument for getsizeof() given by name ('${name}') and position (${name === 'object' ? 1 : 2})`);
        } else throw vm.typeError(`getsizeof() got an unexpected keyword argument '${name}'`);
      });
    }
    if (obj === NULL) throw vm.typeError("getsizeof() missing required argument 'object' (pos 1)");
    try {
      return vm.heap.newInt(sizeOf(vm, obj));
    } catch (error) {
      if (fallback === NULL) throw error;
      const thrown = vm.toThrow(error);
      if (!vm.classOf(thrown.exc).isSubclassOf(vm.exc.TypeError)) throw thrown;
      vm.heap.decref(thrown.exc);
      return newRef(vm, fallback);
    }
  });
  def('intern', (vm, args, kw) => {
    const s = exactlyOne(vm, 'sys.intern', args, kw);
    if (vm.heap.kindOf(s) !== Kind.Str) throw vm.typeError(`intern() argument must be str, not ${vm.typeName(s)}`);
    return newRef(vm, vm.heap.intern(vm.heap.valueOf(s) as string));
  });

  // Recursion.
  def('getrecursionlimit', (vm, args, kw) => {
    noArguments(vm, 'getrecursionlimit', args, kw);
    return vm.heap.newInt(requestedLimit.get(vm) ?? vm.recursionLimit);
  });
  def('setrecursionlimit', (vm, args, kw) => {
    const n = indexOf(vm, exactlyOne(vm, 'setrecursionlimit', args, kw));
    if (typeof n === 'bigint' || n > 0x7fffffff) throw vm.error('OverflowError', 'Python int too large to convert to C int');
    if (n < 1) throw vm.error('ValueError', 'recursion limit must be greater or equal than 1');
    if (n <= vm.depth) {
      throw vm.error('RecursionError', `cannot set the recursion limit to ${n} at the recursion depth ${vm.depth}: the limit is too low`);
    }
    requestedLimit.set(vm, n);
    // The limit is the program's; a call also stops, with RecursionError, where the JS stack
    // runs short (function.ts checks its headroom), so a large limit cannot overflow it.
    vm.recursionLimit = n;
    return vm.heap.newNone();
  });

  // Exceptions.
  const handled = (vm: VM): Ref => {
    const top = vm.handling[vm.handling.length - 1];
    return top === undefined || top === NULL || top === vm.heap.None ? NULL : top;
  };
  def('exc_info', (vm, args, kw) => {
    noArguments(vm, 'exc_info', args, kw);
    const heap = vm.heap;
    const exc = handled(vm);
    if (exc === NULL) return heap.newTuple([heap.None, heap.None, heap.None]);
    const tb = heap.getSlot(exc, TRACEBACK);
    return heap.newTuple([vm.classOf(exc).object, exc, tb === NULL ? heap.None : tb]);
  });
  def('exception', (vm, args, kw) => {
    noArguments(vm, 'exception', args, kw);
    const exc = handled(vm);
    return newRef(vm, exc === NULL ? vm.heap.None : exc);
  });
  def('exit', (vm, args, kw) => {
    noKeywords(vm, 'exit', kw);
    if (args.length > 1) throw vm.typeError(`exit expected at most 1 argument, got ${args.length}`);
    throw new PyThrow(vm.newException(vm.exc.SystemExit, args));
  });

  // Frames and tracing.
  def('_getframe', (vm, args, kw) => {
    noKeywords(vm, '_getframe', kw);
    if (args.length > 1) throw vm.typeError(`_getframe expected at most 1 argument, got ${args.length}`);
    let depth = args.length === 1 ? Number(indexOf(vm, args[0]!)) : 0;
    let frame = vm.frame;
    while (depth > 0 && frame !== null) {
      frame = frame.back;
      depth--;
    }
    if (frame === null) throw vm.error('ValueError', 'call stack is not deep enough');
    return newRef(vm, frameObject(vm, frame));
  });
  def('settrace', (vm, args, kw) => {
    const fn = exactlyOne(vm, 'settrace', args, kw);
    setTrace(vm, fn);
    return vm.heap.newNone();
  });
  def('gettrace', (vm, args, kw) => {
    noArguments(vm, 'gettrace', args, kw);
    const tracer = traces.get(vm)?.tracer ?? NULL;
    return newRef(vm, tracer === NULL ? vm.heap.None : tracer);
  });
  def('displayhook', (vm, args, kw) => {
    const value = exactlyOne(vm, 'displayhook', args, kw);
    if (value === vm.heap.None) return vm.heap.newNone();
    vm.setItemStr(vm.builtins, '_', vm.heap.None);
    const stream = vm.heap.dictGetStr(dict, 'stdout');
    const text = reprText(vm, value) + '\n';
    if (stream === standardStreams.get(vm)?.stdout || stream === NULL) vm.stdout(text);
    else {
      const arg = vm.heap.newStr(text, { intern: false });
      try {
        vm.heap.decref(vm.callMethod(stream, 'write', [arg]));
      } finally {
        vm.heap.decref(arg);
      }
    }
    vm.setItemStr(vm.builtins, '_', value);
    return vm.heap.newNone();
  });
  vm.setItemStr(dict, '__displayhook__', heap.dictGetStr(dict, 'displayhook'));
  def('getdefaultencoding', (vm, args, kw) => {
    noArguments(vm, 'getdefaultencoding', args, kw);
    return vm.heap.newStr('utf-8');
  });
  def('getfilesystemencoding', (vm, args, kw) => {
    noArguments(vm, 'getfilesystemencoding', args, kw);
    return vm.heap.newStr('utf-8');
  });
  def('is_finalizing', (vm, args, kw) => {
    noArguments(vm, 'is_finalizing', args, kw);
    return vm.heap.newBool(false);
  });
  return module;
}
