/**
 * The public face of the interpreter: `new Python()` is one interpreter with its own heap,
 * collector and weak references (or yours); `run(source, { filename })` runs a program as
 * `python3 filename` would and answers what it printed and how it ended.
 */
import type { Heap } from '@refheap/core';
import type { Collector } from '@refheap/gc';
import type { Weakrefs } from '@refheap/weakref';
import { PySyntaxError, formatSyntaxError } from './syntax-error.ts';
import type { Frame } from './vm/frame.ts';
import { BudgetExceeded, PyThrow } from './vm/throw.ts';
import { VM } from './vm/vm.ts';
import { exceptionLine } from './vm/traceback.ts';
import { runAtexitFinalizers } from './vm/stdlib/weakref/index.ts';

export interface PythonOptions {
  readonly heap?: Heap | undefined;
  readonly collector?: Collector | undefined;
  readonly weakrefs?: Weakrefs | undefined;
  /** Statements a run may execute; past it the run stops with an error naming the budget. */
  readonly stepLimit?: number | undefined;
  /** Live heap bytes a run may reach. */
  readonly memoryLimit?: number | undefined;
  /** Called with each piece of output as it is printed (besides being gathered). */
  readonly onStdout?: ((text: string) => void) | undefined;
  readonly onStderr?: ((text: string) => void) | undefined;
}

export interface RunOptions {
  readonly filename?: string | undefined;
  /** REPL semantics: expression statements echo their values. */
  readonly interactive?: boolean | undefined;
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0, or 1 after an uncaught exception, or SystemExit's code. */
  readonly exitCode: number;
  /** The uncaught exception's `Type: message` line, without the newline; null when none. */
  readonly error: string | null;
}

/** One line event of the line hook: the frame about to run `lineno`. */
export type LineEvent = (frame: Frame, lineno: number) => void;

export class Python {
  readonly vm: VM;
  #stdout = '';
  #stderr = '';
  #main: number;

  constructor(options: PythonOptions = {}) {
    this.vm = new VM({
      heap: options.heap,
      collector: options.collector,
      weakrefs: options.weakrefs,
      stepLimit: options.stepLimit,
      memoryLimit: options.memoryLimit,
      stdout: (text) => {
        this.#stdout += text;
        options.onStdout?.(text);
      },
      stderr: (text) => {
        this.#stderr += text;
        options.onStderr?.(text);
      },
    });
    this.#main = this.vm.newModule('__main__');
    this.vm.modules.set('__main__', this.#main);
  }

  get heap(): Heap {
    return this.vm.heap;
  }

  get collector(): Collector {
    return this.vm.collector;
  }

  get weakrefs(): Weakrefs {
    return this.vm.weakrefs;
  }

  /** sys.modules: each loaded module by name (borrowed references). */
  get modules(): ReadonlyMap<string, number> {
    return this.vm.modules;
  }

  /** Statements the current (or last) `run` has executed. */
  get steps(): number {
    return this.vm.steps;
  }

  /**
   * The step budget of a run: past it the program stops with an error naming the budget, from
   * any depth and past every `except`. A line hook that sets it to `steps` ends the running
   * program at its next statement (how a replay stops once it has what it came for).
   */
  get stepLimit(): number {
    return this.vm.stepLimit;
  }

  set stepLimit(limit: number) {
    if (!(limit >= 0)) throw new RangeError(`refheap-python: stepLimit must be a number of statements, 0 or more, not ${String(limit)}`);
    this.vm.stepLimit = limit;
    this.vm.resetCountdown();
  }

  /** The `__main__` module's dict, where a program's globals live. */
  get globals(): number {
    if (this.#main === 0) throw new Error('refheap-python: this interpreter has shut down (runMain ends it); make a new Python');
    return this.vm.moduleDict(this.#main);
  }

  /** Sets the line hook (sys.settrace's 'line' events), or clears it with null. */
  setLineHook(hook: LineEvent | null): void {
    this.vm.lineHook = hook;
    this.vm.resetCountdown();
  }

  /** Runs a program in `__main__`; the interpreter stays usable afterwards, whatever happened. */
  run(source: string, options: RunOptions = {}): RunResult {
    const vm = this.vm;
    const filename = options.filename ?? '<string>';
    this.#stdout = '';
    this.#stderr = '';
    const outerFrame = vm.frame;
    const depth = vm.depth;
    const handling = vm.handling.length;
    let exitCode = 0;
    let error: string | null = null;
    vm.resetSteps();
    try {
      vm.runCode(source, filename, this.globals, options.interactive ?? false);
    } catch (thrown) {
      vm.frame = outerFrame;
      vm.depth = depth;
      vm.handling.length = handling;
      if (thrown instanceof PySyntaxError) {
        vm.stderr(formatSyntaxError(thrown));
        error = `${thrown.name}: ${thrown.msg}`;
        exitCode = 1;
      } else {
        const exc = thrown instanceof BudgetExceeded ? thrown.exc : vm.toThrow(thrown).exc;
        const cls = vm.classOf(exc);
        if (cls.isSubclassOf(vm.exc.SystemExit)) exitCode = this.#exitCode(exc);
        else {
          vm.stderr(vm.formatException(exc));
          error = exceptionLine(vm, exc).trimEnd();
          exitCode = 1;
        }
        vm.heap.decref(exc);
      }
    }
    return { stdout: this.#stdout, stderr: this.#stderr, exitCode, error };
  }

  #exitCode(exc: number): number {
    const vm = this.vm;
    const heap = vm.heap;
    const args = heap.getSlot(exc, 0);
    if (args === 0 || heap.length(args) === 0) return 0;
    const code = heap.item(args, 0);
    if (code === heap.None) return 0;
    const value = heap.kindOf(code) === 2 ? Number(heap.valueOf(code)) : null;
    if (value !== null) return value;
    vm.stderr(`${vm.strOf(code)}\n`);
    return 1;
  }

  /**
   * `python3 file.py`: runs the program, then shuts down as CPython does — `__main__`'s names
   * are cleared (those with one leading underscore first, as _PyModule_ClearDict does) and a
   * last collection runs, so finalizers still due print what they print at exit.
   */
  runMain(source: string, options: RunOptions = {}): RunResult {
    const result = this.run(source, options);
    const out = this.#stdout.length;
    const err = this.#stderr.length;
    this.shutdown();
    return { ...result, stdout: result.stdout + this.#stdout.slice(out), stderr: result.stderr + this.#stderr.slice(err) };
  }

  /**
   * Interpreter shutdown, as Py_FinalizeEx does it: `__main__` leaves sys.modules and goes; its
   * dict goes with it unless functions or classes defined there still hold it, and then a last
   * collection takes the lot — so a weak reference that is itself garbage calls no callback,
   * as in CPython. The interpreter is finished afterwards.
   */
  shutdown(): void {
    const vm = this.vm;
    const heap = vm.heap;
    if (this.#main === 0) return;
    const main = this.#main;
    const globals = vm.moduleDict(main);
    heap.incref(globals);
    this.#main = 0;
    vm.modules.delete('__main__');
    try {
      // atexit first: weakref.finalize objects marked atexit run before the modules go.
      runAtexitFinalizers(vm);
      heap.decref(main);
      vm.collector.collect();
      // Still held (the heap keeps class objects, whose methods hold their globals): clear it
      // as finalize_modules does a module that outlived the collection — names with one
      // leading underscore first, then the rest, each set to None in order.
      if (heap.refcount(globals) > 1) {
        const names: [number, string][] = [];
        heap.dictForEach(globals, (key) => names.push([key, heap.valueOf(key) as string]));
        for (const pass of [(name: string) => name.startsWith('_') && !name.startsWith('__'), () => true]) {
          for (const [key, name] of names) {
            if (!pass(name) || name === '__builtins__' || heap.dictGet(globals, key) === 0) continue;
            heap.dictSet(globals, key, heap.None);
          }
        }
        vm.collector.collect();
      }
    } catch (error) {
      vm.reportUnraisable(vm.toThrow(error), '<module __main__>');
    } finally {
      heap.decref(globals);
    }
  }

}

export { PyThrow };
