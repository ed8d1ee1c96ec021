/**
 * The interpreter's state and its object protocol: the classes, the builtins, the modules, the
 * current frame, and the operations compiled code performs on objects (call, attribute access,
 * iteration, truth). Every value is a refheap object, and every operation follows CPython's
 * reference discipline: arguments are borrowed unless a name says otherwise, and results are new
 * references — so that `sys.getrefcount` and the collector see what CPython's would.
 */
import { Heap, Kind, NULL } from '@refheap/core';
import type { HeapType, Ref, TypeHooks } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { Weakrefs } from '@refheap/weakref';
import { PyClass } from './classes.ts';
import type { Kwargs, NativeFn } from './classes.ts';
import type { Frame } from './frame.ts';
import { BudgetExceeded, PyThrow } from './throw.ts';
import { installExceptions, type ExceptionClasses } from './exceptions.ts';
import { callPython, installFunctionTypes, type FunctionTypes } from './function.ts';
import { getAttribute, lookupMethod } from './attributes.ts';
import { installCoreTypes, type CoreTypes } from './core-types.ts';
import { callClass } from './class-builder.ts';
import { installFrameTypes, type FrameTypes } from './frame-objects.ts';
import { installIteratorTypes, listOf, type IteratorTypes } from './iteration.ts';
import { installGeneratorType } from './generator.ts';
import { installEverything } from './install.ts';
import { repr, str } from './repr.ts';
import { getItem, setItem } from './operators.ts';
import { classLookup, setAttribute } from './attributes.ts';
import { compileModule } from './compiler/index.ts';
import { formatException } from './traceback.ts';
import { Frame as FrameClass } from './frame.ts';
import { runFrame } from './function.ts';

export interface VMOptions {
  readonly heap?: Heap | undefined;
  readonly collector?: Collector | undefined;
  readonly weakrefs?: Weakrefs | undefined;
  /** Where print() writes; the default gathers nothing. */
  readonly stdout?: ((text: string) => void) | undefined;
  readonly stderr?: ((text: string) => void) | undefined;
  /** Statements a run may execute before it stops with a RuntimeError-like budget error. */
  readonly stepLimit?: number | undefined;
  /** Live heap bytes past which a run stops with MemoryError. */
  readonly memoryLimit?: number | undefined;
}

/** Called before each statement when tracing (sys.settrace's 'line' events, for the lab's stepper). */
export type LineHook = (frame: Frame, lineno: number) => void;

/** Called as a function's frame ends when tracing (sys.settrace's 'return' events): its result (borrowed), or NULL when an exception leaves it. */
export type ReturnHook = (frame: Frame, result: Ref) => void;

/** Called when an exception arrives in a frame, raised there or from a call, when tracing (sys.settrace's 'exception' events). */
export type ExceptionHook = (frame: Frame, thrown: PyThrow) => void;

/** What a native type definition takes: instance slots and hooks beyond the heap's. */
export interface NativeClassSpec extends TypeHooks {
  readonly slots?: readonly (string | { readonly name: string; readonly kind: 'object' | 'int32' | 'js' })[];
  readonly weakrefable?: boolean;
  readonly base?: PyClass;
  readonly module?: string;
  /** Whether a class statement may inherit from it (CPython's Py_TPFLAGS_BASETYPE). */
  readonly baseAllowed?: boolean;
}

export class VM {
  readonly heap: Heap;
  readonly collector: Collector;
  readonly weakrefs: Weakrefs;
  /** PyClass by HeapType id, for `classOf`. */
  readonly #classByType: (PyClass | undefined)[] = [];
  readonly #classByObject = new Map<Ref, PyClass>();
  /** Every class's `__dict__`: a change to one of them moves `classEpoch`. */
  readonly #classDicts = new Set<Ref>();
  /** Moves whenever a class dict or the set of classes changes; attribute caches made under another epoch are stale. */
  classEpoch = 0;
  readonly core: CoreTypes;
  readonly fn: FunctionTypes;
  readonly exc: ExceptionClasses;
  readonly frames: FrameTypes;
  readonly iterators: IteratorTypes;
  readonly generatorClass: PyClass;
  /** The builtins module's dict. */
  builtins: Ref = NULL;
  /** sys.modules: name to module object (owned references). */
  readonly modules: Map<string, Ref> = new Map();
  /** Module makers for `import`: built-in and frozen modules, by name. */
  readonly moduleFactories: Map<string, (vm: VM) => Ref> = new Map();
  /** Source lines by filename, for tracebacks and linecache. */
  readonly sources: Map<string, string[]> = new Map();

  stdout: (text: string) => void;
  stderr: (text: string) => void;

  /** The running frame. */
  frame: Frame | null = null;
  depth = 0;
  recursionLimit = 1000;
  /** Exceptions being handled, innermost last (owned references): sys.exc_info() and bare `raise`. */
  readonly handling: Ref[] = [];

  /** Counts down to the next slow-path check (step budget, tracing, memory budget). */
  countdown: number = 1 << 30;
  steps = 0;
  stepLimit: number;
  memoryLimit: number;
  lineHook: LineHook | null = null;
  returnHook: ReturnHook | null = null;
  exceptionHook: ExceptionHook | null = null;

  constructor(options: VMOptions = {}) {
    this.heap = options.heap ?? new Heap();
    this.collector = options.collector ?? new Collector(this.heap);
    this.weakrefs = options.weakrefs ?? new Weakrefs(this.heap);
    this.stdout = options.stdout ?? (() => {});
    this.stderr = options.stderr ?? (() => {});
    this.stepLimit = options.stepLimit ?? Infinity;
    this.memoryLimit = options.memoryLimit ?? Infinity;
    this.core = installCoreTypes(this);
    this.fn = installFunctionTypes(this);
    this.exc = installExceptions(this);
    this.frames = installFrameTypes(this);
    this.iterators = installIteratorTypes(this);
    this.generatorClass = installGeneratorType(this);
    installEverything(this);
    this.resetCountdown();
  }

  // ─── Classes ───────────────────────────────────────────────────────────────

  /** Registers a class for the heap type of its instances. */
  register(cls: PyClass, types: readonly HeapType[] = cls.instanceType ? [cls.instanceType] : []): PyClass {
    for (const type of types) this.#classByType[type.id] = cls;
    this.#classByObject.set(cls.object, cls);
    this.#classDicts.add(cls.dict);
    this.classEpoch++;
    return cls;
  }

  /** Defines a built-in class whose instances are heap instances with the given slots. */
  nativeClass(name: string, spec: NativeClassSpec = {}): PyClass {
    const type = this.heap.defineClass(name, {
      slots: spec.slots ?? [],
      weakrefable: spec.weakrefable ?? false,
      finalize: spec.finalize,
      traverse: spec.traverse,
      clear: spec.clear,
      repr: spec.repr,
    });
    const cls = new PyClass(name, type.object, this.heap.attributeDict(type.object), type, false);
    this.inherit(cls, spec.base ? [spec.base] : []);
    cls.module = spec.module ?? 'builtins';
    cls.baseAllowed = spec.baseAllowed ?? false;
    return this.register(cls);
  }

  /** Sets bases and MRO for a single-inheritance built-in (object is everyone's last base). */
  inherit(cls: PyClass, bases: readonly PyClass[]): void {
    const object = this.core?.object;
    cls.bases = bases.length > 0 ? [...bases] : object && object !== cls ? [object] : [];
    cls.mro = [cls, ...(cls.bases[0]?.mro ?? [])];
  }

  /** Called around every change to a dict that may be a class's `__dict__`: stale attribute caches go. */
  dictChanged(dict: Ref): void {
    if (this.#classDicts.has(dict)) this.classEpoch++;
  }

  /** The class of an object. */
  classOf(ref: Ref): PyClass {
    const cls = this.#classByType[this.heap.typeOf(ref).id];
    if (cls === undefined) return this.core.object;
    return cls;
  }

  /** The class a class object stands for, or undefined when `ref` is not a class. */
  asClass(ref: Ref): PyClass | undefined {
    return this.heap.kindOf(ref) === Kind.Type ? this.#classByObject.get(ref) : undefined;
  }

  /** The class for a heap type (built-in or a class statement's). */
  classForType(type: HeapType): PyClass | undefined {
    return this.#classByType[type.id];
  }

  typeName(ref: Ref): string {
    return this.classOf(ref).name;
  }

  isInstance(ref: Ref, cls: PyClass): boolean {
    return this.classOf(ref).isSubclassOf(cls);
  }

  // ─── Natives ───────────────────────────────────────────────────────────────

  /** A builtin function object (`<built-in function len>`), a new reference. */
  newBuiltin(name: string, fn: NativeFn, self: Ref = NULL, module: string | null = 'builtins'): Ref {
    const ref = this.heap.newInstance(this.fn.builtin.instanceType!);
    this.heap.setSlotValue(ref, 1, { name, fn, module });
    if (self !== NULL) this.heap.setSlot(ref, 0, self);
    return ref;
  }

  /** Puts a method of a built-in type in its class dict (a method_descriptor; `self` is args[0]). */
  defineMethod(cls: PyClass, name: string, fn: NativeFn): void {
    const ref = this.heap.newInstance(this.fn.methodDescriptor.instanceType!);
    this.heap.setSlotValue(ref, 0, { name, fn, cls });
    this.setItemStr(cls.dict, name, ref);
    this.heap.decref(ref);
  }

  /** Like defineMethod, for a classmethod of a built-in type (`dict.fromkeys`): args[0] is the class. */
  defineClassMethod(cls: PyClass, name: string, fn: NativeFn): void {
    const builtin = this.newBuiltin(name, fn);
    const wrapper = this.heap.newInstance(this.fn.classmethod.instanceType!);
    this.heap.setSlot(wrapper, 0, builtin);
    this.heap.decref(builtin);
    this.setItemStr(cls.dict, name, wrapper);
    this.heap.decref(wrapper);
  }

  /** Puts a builtin function in a dict (a module's or the builtins'). */
  defineFunction(dict: Ref, name: string, fn: NativeFn, module: string | null = 'builtins'): void {
    const ref = this.newBuiltin(name, fn, NULL, module);
    this.setItemStr(dict, name, ref);
    this.heap.decref(ref);
  }

  /** `d[name] = value` with a str key made (and interned) for the name. */
  setItemStr(dict: Ref, name: string, value: Ref): void {
    const key = this.heap.intern(name);
    this.dictChanged(dict);
    this.heap.dictSet(dict, key, value);
    this.dictChanged(dict);
  }

  /** A new module object with `__name__` set; registered in sys.modules. */
  newModule(name: string, doc: string | null = null): Ref {
    const module = this.heap.newInstance(this.core.module.instanceType!);
    const dict = this.heap.attributeDict(module);
    const nameRef = this.heap.newStr(name);
    this.setItemStr(dict, '__name__', nameRef);
    this.heap.decref(nameRef);
    const docRef = doc === null ? this.heap.newNone() : this.heap.newStr(doc);
    this.setItemStr(dict, '__doc__', docRef);
    this.heap.decref(docRef);
    return module;
  }

  moduleDict(module: Ref): Ref {
    return this.heap.attributeDict(module);
  }

  // ─── Errors ────────────────────────────────────────────────────────────────

  /** A new exception instance of `cls` with `args`, a new reference. */
  newException(cls: PyClass, args: readonly Ref[] = []): Ref {
    const exc = this.heap.newInstance(cls.instanceType!);
    const tuple = this.heap.newTuple(args);
    this.heap.setSlot(exc, 0, tuple);
    this.heap.decref(tuple);
    return exc;
  }

  /** A throwable for `raise cls(message)`. */
  error(cls: PyClass | keyof ExceptionClasses, message?: string): PyThrow {
    const klass = typeof cls === 'string' ? (this.exc[cls]) : cls;
    if (message === undefined) return new PyThrow(this.newException(klass));
    const text = this.heap.newStr(message, { intern: false });
    const exc = this.newException(klass, [text]);
    this.heap.decref(text);
    return new PyThrow(exc);
  }

  typeError(message: string): PyThrow {
    return this.error('TypeError', message);
  }

  /**
   * The PyThrow for anything a JS catch caught: a PyThrow as is, a core error as the Python
   * exception it names, a JS stack overflow as RecursionError. Budget stops pass through.
   */
  toThrow(error: unknown): PyThrow {
    if (error instanceof PyThrow) return error;
    if (error instanceof BudgetExceeded) throw error;
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return this.error('RecursionError', 'maximum recursion depth exceeded');
    }
    if (error instanceof Error && 'pythonName' in error) {
      const name = (error as { pythonName: string }).pythonName;
      const cls = (this.exc as unknown as Record<string, PyClass | undefined>)[name] ?? this.exc.RuntimeError;
      if (name === 'KeyError' && 'key' in error && typeof (error as { key: unknown }).key === 'number') {
        const key = (error as unknown as { key: Ref }).key;
        return new PyThrow(this.newException(cls, [key]));
      }
      return this.error(cls, error.message);
    }
    if (error instanceof Error && error.name === 'PySyntaxError') return this.error('SyntaxError', error.message);
    // A bug in the interpreter: surface it as a SystemError that names it, not a silent failure.
    return this.error('SystemError', `refheap-python internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  // ─── Calls ─────────────────────────────────────────────────────────────────

  /** `fn(*args, **kw)` with borrowed arguments; a new reference. */
  call(fn: Ref, args: readonly Ref[] = [], kw: Kwargs | null = null): Ref {
    for (const arg of args) this.heap.incref(arg);
    if (kw) for (const value of kw.values) this.heap.incref(value);
    return this.callOwned(fn, [...args], kw ? { names: kw.names, values: [...kw.values] } : null);
  }

  /**
   * `fn(*args, **kw)`, taking over the references in `args` and `kw.values`. A Python function
   * moves them into its fast locals, as CPython 3.11 moves arguments off the stack into the new
   * frame — which is why `sys.getrefcount(x)` inside `f(a)` counts one reference less than
   * Python 2 did.
   */
  callOwned(fn: Ref, args: Ref[], kw: Kwargs | null): Ref {
    const type = this.heap.typeOf(fn);
    const fnTypes = this.fn;
    if (type === fnTypes.functionType) return callPython(this, fn, args, kw);
    if (type === fnTypes.builtinType) {
      const self = this.heap.getSlot(fn, 0);
      const { fn: native } = this.heap.getSlotValue(fn, 1) as { fn: NativeFn };
      try {
        if (self === NULL) return native(this, args, kw);
        return native(this, [self, ...args], kw);
      } finally {
        this.releaseArgs(args, kw);
      }
    }
    if (type === fnTypes.methodType) {
      const func = this.heap.getSlot(fn, 0);
      const self = this.heap.getSlot(fn, 1);
      this.heap.incref(self);
      args.unshift(self);
      return this.callOwned(func, args, kw);
    }
    if (type === fnTypes.methodDescriptorType) {
      const { fn: native, cls, name } = this.heap.getSlotValue(fn, 0) as { fn: NativeFn; cls: PyClass; name: string };
      try {
        if (args.length === 0) throw this.typeError(`unbound method ${cls.name}.${name}() needs an argument`);
        if (!this.isInstance(args[0]!, cls)) {
          throw this.typeError(`descriptor '${name}' for '${cls.name}' objects doesn't apply to a '${this.typeName(args[0]!)}' object`);
        }
        return native(this, args, kw);
      } finally {
        this.releaseArgs(args, kw);
      }
    }
    if (type.kind === Kind.Type) {
      const cls = this.#classByObject.get(fn)!;
      return callClass(this, cls, args, kw);
    }
    const call = lookupMethod(this, fn, '__call__');
    if (call !== NULL) {
      this.heap.incref(fn);
      args.unshift(fn);
      return this.callOwned(call, args, kw);
    }
    this.releaseArgs(args, kw);
    throw this.typeError(`'${this.typeName(fn)}' object is not callable`);
  }

  releaseArgs(args: readonly Ref[], kw: Kwargs | null): void {
    for (const arg of args) this.heap.decref(arg);
    if (kw) for (const value of kw.values) this.heap.decref(value);
  }

  /** `obj.name(*args)` with borrowed arguments, as CPython's LOAD_METHOD + CALL. */
  callMethod(obj: Ref, name: string, args: readonly Ref[] = [], kw: Kwargs | null = null): Ref {
    const method = getAttribute(this, obj, name);
    try {
      return this.call(method, args, kw);
    } finally {
      this.heap.decref(method);
    }
  }

  // ─── Conveniences for natives ───────────────────────────────────────────────

  reprOf(ref: Ref): string {
    return repr(this, ref);
  }

  strOf(ref: Ref): string {
    return str(this, ref);
  }

  /** Every item of an iterable, as new references. */
  listOf(iterable: Ref): Ref[] {
    return listOf(this, iterable);
  }

  /** A special method on the object's type, borrowed, or NULL. */
  lookup(obj: Ref, name: string): Ref {
    return classLookup(this, this.classOf(obj), name);
  }

  getItem(obj: Ref, key: Ref): Ref {
    return getItem(this, obj, key);
  }

  setItem(obj: Ref, key: Ref, value: Ref): void {
    setItem(this, obj, key, value);
  }

  setAttr(obj: Ref, name: string, value: Ref): void {
    setAttribute(this, obj, name, value);
  }

  /** Calls `visit(key, value)` (borrowed) for each entry of a mapping: a dict, or anything with keys() and []. */
  forEachMapping(mapping: Ref, visit: (key: Ref, value: Ref) => void): void {
    const heap = this.heap;
    if (heap.kindOf(mapping) === Kind.Dict) {
      const entries: [Ref, Ref][] = [];
      heap.dictForEach(mapping, (key, value) => entries.push([key, value]));
      for (const [key, value] of entries) visit(key, value);
      return;
    }
    if (this.lookup(mapping, 'keys') === NULL) throw this.typeError(`'${this.typeName(mapping)}' object is not a mapping`);
    const keys = this.callMethod(mapping, 'keys');
    try {
      for (const key of this.listOf(keys)) {
        try {
          const value = this.getItem(mapping, key);
          try {
            visit(key, value);
          } finally {
            heap.decref(value);
          }
        } finally {
          heap.decref(key);
        }
      }
    } finally {
      heap.decref(keys);
    }
  }

  /** `{**mapping}` / dict.update: copies the entries into `dict`. */
  mergeMapping(dict: Ref, mapping: Ref, _override: boolean): void {
    this.forEachMapping(mapping, (key, value) => {
      this.dictChanged(dict);
      this.heap.dictSet(dict, key, value);
      this.dictChanged(dict);
    });
  }

  /** sys.displayhook: the REPL's echo of an expression statement's value. */
  displayHook(value: Ref): void {
    if (value === this.heap.None) return;
    this.stdout(`${this.reprOf(value)}\n`);
    const builtins = this.builtins;
    if (builtins !== NULL) this.setItemStr(builtins, '_', value);
  }

  /** `import name`: the module from sys.modules, or made by its factory; a new reference. */
  importModule(name: string): Ref {
    const heap = this.heap;
    const loaded = this.modules.get(name);
    if (loaded !== undefined) {
      heap.incref(loaded);
      return loaded;
    }
    const factory = this.moduleFactories.get(name);
    if (factory === undefined) {
      const exc = this.error('ModuleNotFoundError', `No module named '${name}'`);
      throw exc;
    }
    const module = factory(this);
    this.modules.set(name, module);
    heap.incref(module);
    return module;
  }

  /** Runs Python source as a module (a stdlib module written in Python); a new reference to it. */
  runModuleSource(name: string, source: string, filename: string): Ref {
    const module = this.newModule(name);
    this.runCode(source, filename, this.moduleDict(module));
    return module;
  }

  /** Compiles and runs source with `globals` as its module dict. Throws what the program raises. */
  runCode(source: string, filename: string, globals: Ref, interactive = false): void {
    const code = compileModule(this, source, { filename, interactive });
    if (this.heap.dictGetStr(globals, '__builtins__') === NULL && this.builtins !== NULL) {
      const module = this.modules.get('builtins');
      if (module !== undefined) this.setItemStr(globals, '__builtins__', module);
    }
    const frame = new FrameClass(code, globals, globals, this.frame);
    this.heap.decref(runFrame(this, frame));
  }

  /** What `python3` prints for an uncaught exception. */
  formatException(exc: Ref): string {
    return formatException(this, exc);
  }

  /**
   * An exception that cannot propagate (from __del__, a weakref callback, a gc callback):
   * printed to stderr as CPython's default sys.unraisablehook does.
   */
  reportUnraisable(thrown: PyThrow, about: Ref | string): void {
    const heap = this.heap;
    let what: string;
    try {
      what = typeof about === 'string' ? about : this.reprOf(about);
    } catch {
      what = '<object repr() failed>';
    }
    this.stderr(`Exception ignored in: ${what}\n${this.formatException(thrown.exc)}`);
    heap.decref(thrown.exc);
  }

  // ─── Budgets and tracing ───────────────────────────────────────────────────

  #chunk = 1;
  /** The step count at which the memory budget is next measured (see `tick`). */
  #memoryCheckAt = 0;

  /**
   * Reports `thrown`'s arrival in `frame` to the exception hook, once per frame it passes through,
   * as CPython's call_exc_trace does where an exception unwinds into a handler or out of a frame
   * (every place that catches a Python exception calls this first; the ones after the first in the
   * same frame report nothing).
   */
  traceException(frame: Frame, thrown: PyThrow): void {
    if (this.exceptionHook === null || thrown.tracedIn === frame) return;
    thrown.tracedIn = frame;
    this.exceptionHook(frame, thrown);
  }

  /** A new run's budgets: no statements counted yet, the memory budget measured at its first check. */
  resetSteps(): void {
    this.steps = 0;
    this.#memoryCheckAt = 0;
    this.resetCountdown();
  }

  resetCountdown(): void {
    this.#chunk = this.lineHook ? 1 : Math.max(1, Math.min(4096, this.stepLimit - this.steps));
    this.countdown = this.#chunk;
  }

  /** The slow path of a statement's step: counts steps, checks budgets, calls the line hook. */
  tick(frame: Frame): void {
    this.steps += this.#chunk;
    if (this.steps > this.stepLimit) {
      const exc = this.error('RuntimeError', `refheap-python stopped the program: it ran past its step budget of ${this.stepLimit} statements`).exc;
      throw new BudgetExceeded(exc);
    }
    if (this.memoryLimit !== Infinity && this.steps >= this.#memoryCheckAt) this.#checkMemory();
    if (this.lineHook) this.lineHook(frame, frame.lineno);
    this.resetCountdown();
  }

  /**
   * Measuring the heap walks every object, so the next measurement waits for a number of
   * statements in proportion to the heap's size: each statement pays for a few objects' worth
   * of it however big the heap is (at every 4,096th statement a heap of 200,000 objects made a
   * loop eight times slower), and a runaway program still stops within a quarter of its size
   * in statements past the budget.
   */
  #checkMemory(): void {
    if (this.heap.stats().bytes > this.memoryLimit) {
      const exc = this.error('MemoryError', `refheap-python stopped the program: its heap passed the memory budget of ${this.memoryLimit} bytes`).exc;
      throw new BudgetExceeded(exc);
    }
    this.#memoryCheckAt = this.steps + Math.max(4096, this.heap.liveObjects >>> 2);
  }
}
