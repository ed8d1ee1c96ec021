/**
 * Statements to closures that return how they completed (normal, break, continue, return).
 * Every statement first records its line and counts a step, which is where the step budget,
 * the memory budget and the line hook (sys.settrace's 'line' event) are checked.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import { chainContext, exceptionMatches, CAUSE, SUPPRESS } from '../exceptions.ts';
import { Completion, type Block, type Frame } from '../frame.ts';
import { addTraceback } from '../frame-objects.ts';
import { getIter, iterNext } from '../iteration.ts';
import { rangeIteratorState, rangeNext } from '../types/range.ts';
import { truthy } from '../operators.ts';
import { classLookup, getAttribute } from '../attributes.ts';
import { PyThrow } from '../throw.ts';
import type { VM } from '../vm.ts';
import type { CompileContext } from './context.ts';
import { compileExpr, compileTest } from './expressions.ts';
import { applyOwned, compileIntExpr, INT_FAST } from './arithmetic.ts';
import { compileClassDef, compileFunctionDef } from './functions.ts';
import { deleteName, loadName, loadNameBorrowed, storeName } from './names.ts';
import { compileDelete, compileStore } from './targets.ts';
import { containsYield, compileGeneratorStatement } from './generator-statements.ts';

export type Statement = (frame: Frame) => Completion;

export function compileBlock(c: CompileContext, body: readonly ast.Statement[]): Block {
  const vm = c.vm;
  // The line and the step are recorded here rather than in a wrapper per statement: one call
  // less for each statement run.
  const statements = body.map((node) => compileStatementBody(c, node));
  const lines = body.map((node) => node.lineno);
  if (statements.length === 1) {
    const only = statements[0]!;
    const line = lines[0]!;
    return (f) => {
      f.lineno = line;
      if (--vm.countdown <= 0) vm.tick(f);
      return only(f);
    };
  }
  if (statements.length === 2) {
    // Unrolled: each statement gets a call site of its own, which V8 can inline, where the
    // loop's one site sees every kind of statement in the program and goes megamorphic.
    const [first, second] = statements as [Statement, Statement];
    const [line0, line1] = lines as [number, number];
    return (f) => {
      f.lineno = line0;
      if (--vm.countdown <= 0) vm.tick(f);
      const completion = first(f);
      if (completion !== Completion.Normal) return completion;
      f.lineno = line1;
      if (--vm.countdown <= 0) vm.tick(f);
      return second(f);
    };
  }
  return (f) => {
    for (let i = 0; i < statements.length; i++) {
      f.lineno = lines[i]!;
      if (--vm.countdown <= 0) vm.tick(f);
      const completion = statements[i]!(f);
      if (completion !== Completion.Normal) return completion;
    }
    return Completion.Normal;
  };
}

export function compileGeneratorBlock(c: CompileContext, body: readonly ast.Statement[]): (f: Frame) => Generator<Ref, Completion, Ref> {
  const parts = body.map((node) => (containsYield(node) ? { gen: compileGeneratorStatement(c, node), sync: null } : { gen: null, sync: compileStatement(c, node) }));
  return function* (f) {
    for (const part of parts) {
      const completion = part.sync ? part.sync(f) : yield* part.gen(f);
      if (completion !== Completion.Normal) return completion;
    }
    return Completion.Normal;
  };
}

/** Wraps a statement's work with its line and step. */
export function stepped(c: CompileContext, node: ast.Position, run: Statement): Statement {
  const vm = c.vm;
  const line = node.lineno;
  return (f) => {
    f.lineno = line;
    if (--vm.countdown <= 0) vm.tick(f);
    return run(f);
  };
}

export function compileStatement(c: CompileContext, node: ast.Statement): Statement {
  return stepped(c, node, compileStatementBody(c, node));
}

function compileStatementBody(c: CompileContext, node: ast.Statement): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  switch (node._type) {
    case 'Expr': {
      const value = compileExpr(c, node.value);
      if (c.interactive && c.scope.kind === 'module') {
        return (f) => {
          const v = value(f);
          try {
            vm.displayHook(v);
          } finally {
            heap.decref(v);
          }
          return Completion.Normal;
        };
      }
      return (f) => {
        heap.decref(value(f));
        return Completion.Normal;
      };
    }
    case 'Assign': {
      const value = compileExpr(c, node.value);
      const stores = node.targets.map((target) => compileStore(c, target));
      if (stores.length === 1) {
        const store = stores[0]!;
        return (f) => {
          store(f, value(f));
          return Completion.Normal;
        };
      }
      return (f) => {
        const v = value(f);
        for (let i = 0; i < stores.length; i++) {
          if (i < stores.length - 1) heap.incref(v);
          stores[i]!(f, v);
        }
        return Completion.Normal;
      };
    }
    case 'AugAssign':
      return compileAugAssign(c, node);
    case 'AnnAssign': {
      if (!node.value) return () => Completion.Normal;
      const value = compileExpr(c, node.value);
      const store = compileStore(c, node.target);
      return (f) => {
        store(f, value(f));
        return Completion.Normal;
      };
    }
    case 'Delete': {
      const deletes = node.targets.map((target) => compileDelete(c, target));
      return (f) => {
        for (const del of deletes) del(f);
        return Completion.Normal;
      };
    }
    case 'Pass':
    case 'Global':
    case 'Nonlocal':
      return () => Completion.Normal;
    case 'Return': {
      if (c.scope.kind !== 'function') throw c.syntaxError("'return' outside function", node);
      const value = node.value ? compileExpr(c, node.value) : null;
      return (f) => {
        const v = value ? value(f) : heap.newNone();
        if (f.retval !== NULL) heap.decref(f.retval);
        f.retval = v;
        return Completion.Return;
      };
    }
    case 'Break':
      if (c.loops === 0) throw c.syntaxError("'break' outside loop", node);
      return () => Completion.Break;
    case 'Continue':
      if (c.loops === 0) throw c.syntaxError("'continue' not properly in loop", node);
      return () => Completion.Continue;
    case 'If': {
      const test = compileTest(c, node.test);
      const body = compileBlock(c, node.body);
      const orelse = node.orelse.length > 0 ? compileBlock(c, node.orelse) : null;
      return (f) => (test(f) ? body(f) : orelse ? orelse(f) : Completion.Normal);
    }
    case 'While': {
      const test = compileTest(c, node.test);
      c.loops++;
      const body = compileBlock(c, node.body);
      c.loops--;
      const orelse = node.orelse.length > 0 ? compileBlock(c, node.orelse) : null;
      const line = node.lineno;
      return (f) => {
        while (test(f)) {
          const completion = body(f);
          f.lineno = line;
          if (completion === Completion.Break) return Completion.Normal;
          if (completion === Completion.Return) return completion;
        }
        return orelse ? orelse(f) : Completion.Normal;
      };
    }
    case 'For': {
      const iterable = compileExpr(c, node.iter);
      const store = compileStore(c, node.target);
      c.loops++;
      const body = compileBlock(c, node.body);
      c.loops--;
      const orelse = node.orelse.length > 0 ? compileBlock(c, node.orelse) : null;
      const line = node.lineno;
      return (f) => {
        const source = iterable(f);
        let it: Ref;
        try {
          it = getIter(vm, source);
        } finally {
          heap.decref(source);
        }
        try {
          const range = rangeIteratorState(vm, it);
          const next = vm.classOf(it).iterNext;
          for (;;) {
            const item = range !== null ? rangeNext(vm, range) : next !== null ? next(vm, it) : iterNext(vm, it);
            if (item === NULL) break;
            store(f, item);
            const completion = body(f);
            f.lineno = line;
            if (completion === Completion.Break) return Completion.Normal;
            if (completion === Completion.Return) return completion;
          }
        } finally {
          heap.decref(it);
        }
        return orelse ? orelse(f) : Completion.Normal;
      };
    }
    case 'Raise':
      return compileRaise(c, node);
    case 'Try':
      return compileTry(c, node);
    case 'With':
      return compileWith(c, node);
    case 'Assert': {
      const test = compileTest(c, node.test);
      const message = node.msg ? compileExpr(c, node.msg) : null;
      return (f) => {
        if (test(f)) return Completion.Normal;
        if (!message) throw vm.error('AssertionError');
        const m = message(f);
        const exc = vm.newException(vm.exc.AssertionError, [m]);
        heap.decref(m);
        throw new PyThrow(exc);
      };
    }
    case 'Import':
      return compileImport(c, node);
    case 'ImportFrom':
      return compileImportFrom(c, node);
    case 'FunctionDef': {
      const define = compileFunctionDef(c, node);
      return (f) => {
        define(f);
        return Completion.Normal;
      };
    }
    case 'ClassDef': {
      const define = compileClassDef(c, node);
      return (f) => {
        define(f);
        return Completion.Normal;
      };
    }
  }
}

function compileAugAssign(c: CompileContext, node: ast.AugAssign): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  const op = node.op;
  const value = compileExpr(c, node.value);
  const target = node.target;
  // `a op= b` of the loaded target and the value, both owned and released by the operation.
  const apply = applyOwned(c, op, true);
  const applyTo = (a: Ref, f: Frame): Ref => {
    let b: Ref;
    try {
      b = value(f);
    } catch (error) {
      heap.decref(a);
      throw error;
    }
    return apply(a, b);
  };
  if (target._type === 'Name') {
    const load = loadName(vm, c.scope, target.id);
    const store = storeName(vm, c.scope, target.id);
    const ordinary: Statement = (f) => {
      // Written out, not through applyTo: `total += i` at module level is the hot loop's line.
      const a = load(f);
      let b: Ref;
      try {
        b = value(f);
      } catch (error) {
        heap.decref(a);
        throw error;
      }
      store(f, apply(a, b));
      return Completion.Normal;
    };
    const fast = INT_FAST[op];
    const valueInt = fast === undefined ? null : compileIntExpr(c, node.value);
    if (fast === undefined || valueInt === null) return ordinary;
    const peek = loadNameBorrowed(vm, c.scope, target.id);
    // `total += i * 2` on ints: the target read first (as CPython loads it), the value without
    // its intermediates, one int made; a target or operand that is not such an int, or anyone
    // observing allocations, takes the ordinary way from the start (see compileIntExpr).
    return (f) => {
      if (!heap.allocationsObserved) {
        const x = heap.safeIntValue(peek(f));
        const y = x === undefined ? undefined : valueInt(f);
        const r = y === undefined ? undefined : fast(x!, y);
        if (r !== undefined) {
          store(f, heap.newInt(r));
          return Completion.Normal;
        }
      }
      return ordinary(f);
    };
  }
  if (target._type === 'Attribute') {
    const obj = compileExpr(c, target.value);
    const name = target.attr;
    return (f) => {
      const o = obj(f);
      try {
        const result = applyTo(getAttribute(vm, o, name), f);
        try {
          vm.setAttr(o, name, result);
        } finally {
          heap.decref(result);
        }
      } finally {
        heap.decref(o);
      }
      return Completion.Normal;
    };
  }
  if (target._type === 'Subscript') {
    const obj = compileExpr(c, target.value);
    const key = compileExpr(c, target.slice);
    return (f) => {
      const o = obj(f);
      let k = 0;
      try {
        k = key(f);
        const result = applyTo(vm.getItem(o, k), f);
        try {
          vm.setItem(o, k, result);
        } finally {
          heap.decref(result);
        }
      } finally {
        heap.decref(o);
        if (k) heap.decref(k);
      }
      return Completion.Normal;
    };
  }
  throw c.syntaxError("illegal expression for augmented assignment", node);
}

/** The exception a `raise` argument stands for: an instance, or a class called with no arguments. */
export function exceptionFrom(c: CompileContext, value: Ref, cause: boolean): Ref {
  const vm = c.vm;
  const heap = vm.heap;
  const cls = vm.asClass(value);
  if (cls !== undefined && cls.isException) return vm.call(value);
  if (cls === undefined && vm.classOf(value).isException) {
    heap.incref(value);
    return value;
  }
  if (cause) throw vm.typeError('exception causes must derive from BaseException');
  throw vm.typeError('exceptions must derive from BaseException');
}

function compileRaise(c: CompileContext, node: ast.Raise): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  if (!node.exc) {
    return () => {
      const current = vm.handling[vm.handling.length - 1];
      if (current === undefined || current === NULL) throw vm.error('RuntimeError', 'No active exception to reraise');
      heap.incref(current);
      const thrown = new PyThrow(current);
      // A bare raise goes on with the traceback it had: this frame's entry is already there.
      thrown.frame = vm.frame;
      throw thrown;
    };
  }
  const exc = compileExpr(c, node.exc);
  const cause = node.cause ? compileExpr(c, node.cause) : null;
  return (f) => {
    const value = exc(f);
    let instance: Ref;
    try {
      instance = exceptionFrom(c, value, false);
    } finally {
      heap.decref(value);
    }
    if (cause) {
      let causeValue: Ref;
      try {
        causeValue = cause(f);
      } catch (error) {
        heap.decref(instance);
        throw error;
      }
      try {
        if (causeValue === heap.None) {
          heap.setSlot(instance, CAUSE, NULL);
        } else {
          const causeInstance = exceptionFrom(c, causeValue, true);
          heap.setSlot(instance, CAUSE, causeInstance);
          heap.decref(causeInstance);
        }
        heap.setSlotInt(instance, SUPPRESS, 1);
      } catch (error) {
        heap.decref(instance);
        throw error;
      } finally {
        heap.decref(causeValue);
      }
    }
    chainContext(vm, instance);
    throw new PyThrow(instance);
  };
}

/** The parts of a compiled try statement, shared by the plain and the generator forms. */
export interface Handler {
  /** The `except` line: a step of its own, as CPython's trace shows the line of each clause it tests. */
  readonly line: number;
  readonly type: ((f: Frame) => Ref) | null;
  readonly bind: ((f: Frame, value: Ref) => void) | null;
  readonly unbind: ((f: Frame) => void) | null;
}

export function compileHandlers(c: CompileContext, handlers: readonly ast.ExceptHandler[]): Handler[] {
  return handlers.map((handler, i) => {
    if (handler.type === null && i < handlers.length - 1) throw c.syntaxError("default 'except:' must be last", handler);
    return {
      line: handler.lineno,
      type: handler.type ? compileExpr(c, handler.type) : null,
      bind: handler.name !== null ? storeName(c.vm, c.scope, handler.name) : null,
      unbind: handler.name !== null ? deleteName(c.vm, c.scope, handler.name, true) : null,
    };
  });
}

/** The handler that matches `exc`, or -1. */
function matchHandler(c: CompileContext, f: Frame, handlers: readonly Handler[], exc: Ref): number {
  const vm = c.vm;
  const heap = vm.heap;
  for (let i = 0; i < handlers.length; i++) {
    const handler = handlers[i]!;
    stepOnto(vm, f, handler.line);
    if (handler.type === null) return i;
    const type = handler.type(f);
    try {
      if (exceptionMatches(c.vm, exc, type)) return i;
    } finally {
      heap.decref(type);
    }
  }
  return -1;
}

/**
 * An exception reached a try statement's handlers: it gets this frame in its traceback; the
 * index of the handler that matches it, or -1. When a handler's test raises, it is released.
 */
export function handlerFor(c: CompileContext, f: Frame, handlers: readonly Handler[], thrown: PyThrow): number {
  addTraceback(c.vm, thrown, f);
  try {
    return matchHandler(c, f, handlers, thrown.exc);
  } catch (inner) {
    c.vm.heap.decref(thrown.exc);
    throw inner;
  }
}

/** A finally block raised `error`: chained to the exception pending when it began (released), if any. */
export function raisedInFinally(c: CompileContext, error: unknown, pending: PyThrow | null): PyThrow {
  const vm = c.vm;
  const next = vm.toThrow(error);
  if (pending) {
    chainContext(vm, next.exc);
    vm.heap.decref(pending.exc);
  }
  return next;
}

function compileTry(c: CompileContext, node: ast.Try): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  const body = compileBlock(c, node.body);
  const handlers = compileHandlers(c, node.handlers);
  const handlerBodies = node.handlers.map((handler) => compileBlock(c, handler.body));
  const orelse = node.orelse.length > 0 ? compileBlock(c, node.orelse) : null;
  const finalbody = node.finalbody.length > 0 ? compileBlock(c, node.finalbody) : null;
  const tryExcept = (f: Frame): Completion => {
    let completion: Completion;
    try {
      completion = body(f);
    } catch (error) {
      if (handlers.length === 0) throw error;
      const thrown = vm.toThrow(error);
      vm.traceException(f, thrown);
      const index = handlerFor(c, f, handlers, thrown);
      if (index < 0) throw thrown;
      const exc = thrown.exc;
      const handler = handlers[index]!;
      vm.handling.push(exc);
      try {
        if (handler.bind) {
          heap.incref(exc);
          handler.bind(f, exc);
        }
        return handlerBodies[index]!(f);
      } catch (inner) {
        const next = vm.toThrow(inner);
        chainContext(vm, next.exc);
        throw next;
      } finally {
        vm.handling.pop();
        if (handler.unbind) handler.unbind(f);
        heap.decref(exc);
      }
    }
    if (completion === Completion.Normal && orelse) return orelse(f);
    return completion;
  };
  if (!finalbody) return tryExcept;
  return (f) => {
    let pending: PyThrow | null = null;
    let completion = Completion.Normal;
    try {
      completion = tryExcept(f);
    } catch (error) {
      pending = vm.toThrow(error);
      addTraceback(vm, pending, f);
      vm.traceException(f, pending);
    }
    if (pending) vm.handling.push(pending.exc);
    let after: Completion;
    try {
      after = finalbody(f);
    } catch (error) {
      throw raisedInFinally(c, error, pending);
    } finally {
      if (pending) vm.handling.pop();
    }
    if (after !== Completion.Normal) {
      if (pending) heap.decref(pending.exc);
      return after;
    }
    if (pending) throw pending;
    return completion;
  };
}

/**
 * A step onto `line` inside a statement: an `except` clause being tested, or the `with` line
 * again to call `__exit__`, however the body ended — as CPython's trace shows both (and a
 * traceback from the clause's type or from `__exit__` names the line).
 */
export function stepOnto(vm: VM, f: Frame, line: number): void {
  f.lineno = line;
  if (--vm.countdown <= 0) vm.tick(f);
}

/** `__enter__` and bound `__exit__` of a context manager (new references), CPython's TypeError otherwise. */
export function enterContext(c: CompileContext, manager: Ref): [entered: Ref, exit: Ref] {
  const vm = c.vm;
  const heap = vm.heap;
  const cls = vm.classOf(manager);
  const enter = classLookup(vm, cls, '__enter__');
  const exit = classLookup(vm, cls, '__exit__');
  if (enter === NULL || exit === NULL) {
    const missing = enter === NULL ? '' : ' (missed __exit__ method)';
    throw vm.typeError(`'${cls.name}' object does not support the context manager protocol${missing}`);
  }
  const boundExit = getAttribute(vm, manager, '__exit__');
  let entered: Ref;
  try {
    entered = vm.call(enter, [manager]);
  } catch (error) {
    heap.decref(boundExit);
    throw error;
  }
  return [entered, boundExit];
}

/**
 * A with block raised `error`: the exception gets this frame in its traceback and `__exit__` is
 * called while it is being handled. Rethrown unless `__exit__` suppresses it (then released);
 * what `__exit__` itself raises is chained to it.
 */
export function exitOnRaise(c: CompileContext, f: Frame, exit: Ref, error: unknown, line: number): void {
  const vm = c.vm;
  const heap = vm.heap;
  const thrown = vm.toThrow(error);
  addTraceback(vm, thrown, f);
  vm.traceException(f, thrown);
  stepOnto(vm, f, line);
  vm.handling.push(thrown.exc);
  let suppress: boolean;
  try {
    suppress = exitWithException(c, exit, thrown.exc);
  } catch (inner) {
    const next = vm.toThrow(inner);
    chainContext(vm, next.exc);
    heap.decref(thrown.exc);
    throw next;
  } finally {
    vm.handling.pop();
  }
  if (!suppress) throw thrown;
  heap.decref(thrown.exc);
}

/** Calls `__exit__` for an exception; whether it asked to suppress it. */
function exitWithException(c: CompileContext, exit: Ref, exc: Ref): boolean {
  const vm = c.vm;
  const heap = vm.heap;
  const tb = heap.getSlot(exc, 1);
  const result = vm.call(exit, [vm.classOf(exc).object, exc, tb === NULL ? heap.None : tb]);
  try {
    return truthy(vm, result);
  } finally {
    heap.decref(result);
  }
}

function compileWith(c: CompileContext, node: ast.With): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  if (node.items.length > 1) {
    // `with a, b:` is `with a: with b:`.
    const [first, ...rest] = node.items;
    return compileWith(c, { ...node, items: [first!], body: [{ ...node, items: rest }] });
  }
  const item = node.items[0]!;
  const manager = compileExpr(c, item.context_expr);
  const store = item.optional_vars ? compileStore(c, item.optional_vars) : null;
  const body = compileBlock(c, node.body);
  const line = node.lineno;
  return (f) => {
    const m = manager(f);
    let entered: Ref;
    let exit: Ref;
    try {
      [entered, exit] = enterContext(c, m);
    } finally {
      heap.decref(m);
    }
    try {
      let completion: Completion;
      try {
        if (store) store(f, entered);
        else heap.decref(entered);
        completion = body(f);
      } catch (error) {
        exitOnRaise(c, f, exit, error, line);
        return Completion.Normal;
      }
      stepOnto(vm, f, line);
      heap.decref(vm.call(exit, [heap.None, heap.None, heap.None]));
      return completion;
    } finally {
      heap.decref(exit);
    }
  };
}

function compileImport(c: CompileContext, node: ast.Import): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  const parts = node.names.map((alias) => ({
    name: alias.name,
    store: storeName(vm, c.scope, alias.asname ?? alias.name.split('.')[0]!),
    top: alias.asname === null,
  }));
  return (f) => {
    for (const part of parts) {
      const module = vm.importModule(part.name);
      let bound = module;
      if (part.top && part.name.includes('.')) bound = vm.importModule(part.name.split('.')[0]!);
      else heap.incref(module);
      heap.decref(module);
      part.store(f, bound);
    }
    return Completion.Normal;
  };
}

function compileImportFrom(c: CompileContext, node: ast.ImportFrom): Statement {
  const vm = c.vm;
  const heap = vm.heap;
  if (node.level > 0) throw c.unsupported('relative imports', node);
  const moduleName = node.module!;
  if (node.names.length === 1 && node.names[0]!.name === '*') {
    if (c.scope.kind !== 'module') throw c.syntaxError('import * only allowed at module level', node);
    return (f) => {
      const module = vm.importModule(moduleName);
      try {
        heap.dictForEach(vm.moduleDict(module), (key, value) => {
          const name = heap.valueOf(key) as string;
          if (!name.startsWith('_')) heap.dictSet(f.locals === NULL ? f.globals : f.locals, key, value);
        });
      } finally {
        heap.decref(module);
      }
      return Completion.Normal;
    };
  }
  const parts = node.names.map((alias) => ({ name: alias.name, store: storeName(vm, c.scope, alias.asname ?? alias.name) }));
  return (f) => {
    const module = vm.importModule(moduleName);
    try {
      for (const part of parts) {
        const value = heap.ownAttr(module, part.name);
        if (value === NULL) {
          throw vm.error('ImportError', `cannot import name '${part.name}' from '${moduleName}' (unknown location)`);
        }
        heap.incref(value);
        part.store(f, value);
      }
    } finally {
      heap.decref(module);
    }
    return Completion.Normal;
  };
}
