/**
 * Definitions: `def`, `lambda`, `class` and the comprehensions (which are functions in 3.11,
 * called at once with the first iterator as their `.0`). Each gets a Code compiled in its own
 * scope; the closure is built from the defining frame's cells when the definition runs.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import { buildClass } from '../class-builder.ts';
import { Code, Completion, Frame, type Parameters } from '../frame.ts';
import { newFunction, runFrame } from '../function.ts';
import { newGenerator } from '../generator.ts';
import { getIter, iterNext } from '../iteration.ts';
import { rangeIteratorState, rangeNext } from '../types/range.ts';
import { releaseFrame } from '../frame-objects.ts';
import type { CompileContext } from './context.ts';
import { compileExpr, compileTest, type Ev } from './expressions.ts';
import { cellSlot, loadNameBorrowed, storeName, type Load, type Store } from './names.ts';
import type { Scope } from './scope.ts';
import { compileBlock, compileGeneratorBlock } from './statements.ts';
import { compileStore } from './targets.ts';

function parametersOf(args: ast.Arguments): Parameters {
  return {
    positional: [...args.posonlyargs, ...args.args].map((arg) => arg.arg),
    positionalOnly: args.posonlyargs.length,
    keywordOnly: args.kwonlyargs.map((arg) => arg.arg),
    varargs: args.vararg?.arg ?? null,
    varkw: args.kwarg?.arg ?? null,
  };
}

/** Compiles a body in `scope`, with the context switched to it for the duration. */
function inScope<T>(c: CompileContext, scope: Scope, name: string | null, compile: () => T): T {
  const saved = { scope: c.scope, loops: c.loops, qualnames: c.qualnames };
  c.scope = scope;
  c.loops = 0;
  if (name !== null) c.qualnames = [...c.qualnames, name];
  try {
    return compile();
  } finally {
    c.scope = saved.scope;
    c.loops = saved.loops;
    c.qualnames = saved.qualnames;
  }
}

function docstring(body: readonly ast.Statement[]): string | null {
  const first = body[0];
  if (first?._type === 'Expr' && first.value._type === 'Constant' && typeof first.value.value === 'string') return first.value.value;
  return null;
}

/** The closure tuple for `scope`'s free variables, from the defining frame's cells; NULL if none. */
function closureOf(c: CompileContext, inner: Scope): ((f: Frame) => Ref) | null {
  if (inner.freevars.length === 0) return null;
  const outer = c.scope;
  const slots = inner.freevars.map((name) => cellSlot(outer, name));
  const heap = c.vm.heap;
  return (f) => heap.newTuple(slots.map((slot) => f.fast[slot]!));
}

/** Evaluates defaults (a tuple or NULL) and keyword-only defaults (a dict or NULL). */
function compileDefaults(c: CompileContext, args: ast.Arguments): (f: Frame) => [Ref, Ref] {
  const vm = c.vm;
  const heap = vm.heap;
  const defaults = args.defaults.map((value) => compileExpr(c, value));
  const kwdefaults = args.kwonlyargs.map((arg, i) => ({ name: arg.arg, ev: args.kw_defaults[i] ? compileExpr(c, args.kw_defaults[i]) : null })).filter((entry) => entry.ev !== null);
  return (f) => {
    let tuple = NULL;
    let dict = NULL;
    if (defaults.length > 0) {
      const values: Ref[] = [];
      try {
        for (const ev of defaults) values.push(ev(f));
        tuple = heap.newTuple(values);
      } finally {
        for (const value of values) heap.decref(value);
      }
    }
    if (kwdefaults.length > 0) {
      dict = heap.newDict();
      for (const entry of kwdefaults) {
        const value = entry.ev!(f);
        vm.setItemStr(dict, entry.name, value);
        heap.decref(value);
      }
    }
    return [tuple, dict];
  };
}

function makeFunction(c: CompileContext, code: Code, defaults: (f: Frame) => [Ref, Ref], closure: ((f: Frame) => Ref) | null): (f: Frame) => Ref {
  const vm = c.vm;
  const heap = vm.heap;
  const qualname = code.qualname;
  return (f) => {
    const [tuple, dict] = defaults(f);
    const cells = closure ? closure(f) : NULL;
    const fn = newFunction(vm, code, f.globals, tuple, dict, cells, qualname);
    for (const ref of [tuple, dict, cells]) if (ref !== NULL) heap.decref(ref);
    return fn;
  };
}

function applyDecorators(c: CompileContext, decorators: readonly ast.Expression[], make: (f: Frame) => Ref): (f: Frame) => Ref {
  if (decorators.length === 0) return make;
  const vm = c.vm;
  const heap = vm.heap;
  const evs = decorators.map((decorator) => compileExpr(c, decorator));
  return (f) => {
    const fns = evs.map((ev) => ev(f));
    let value: Ref;
    try {
      value = make(f);
      for (let i = fns.length - 1; i >= 0; i--) {
        const next = vm.callOwned(fns[i]!, [value], null);
        value = next;
      }
    } finally {
      for (const fn of fns) heap.decref(fn);
    }
    return value;
  };
}

function requiredPositional(args: ast.Arguments): number {
  return args.posonlyargs.length + args.args.length - args.defaults.length;
}

export function compileFunctionDef(c: CompileContext, node: ast.FunctionDef): (f: Frame) => void {
  const scope = c.table.of(node);
  const fullQualname = c.scope.kind === 'function' ? `${c.qualnames.join('.')}.<locals>.${node.name}` : c.qualname(node.name);
  const code = new Code(node.name, fullQualname, c.filename, node.lineno, scope, parametersOf(node.args), docstring(node.body));
  code.requiredPositional = requiredPositional(node.args);
  inScope(c, scope, null, () => {
    c.qualnames = fullQualname.split('.');
    if (scope.isGenerator) code.generatorBody = compileGeneratorBlock(c, node.body);
    else code.body = compileBlock(c, node.body);
  });
  const defaults = compileDefaults(c, node.args);
  const make = applyDecorators(c, node.decorator_list, makeFunction(c, code, defaults, closureOf(c, scope)));
  const store = storeName(c.vm, c.scope, node.name);
  return (f) => store(f, make(f));
}

export function compileLambda(c: CompileContext, node: ast.Lambda): Ev {
  const scope = c.table.of(node);
  const qualname = c.scope.kind === 'function' ? `${c.qualnames.join('.')}.<locals>.<lambda>` : c.qualname('<lambda>');
  const code = new Code('<lambda>', qualname, c.filename, node.lineno, scope, parametersOf(node.args), null);
  code.requiredPositional = requiredPositional(node.args);
  inScope(c, scope, null, () => {
    c.qualnames = qualname.split('.');
    if (scope.isGenerator) throw c.unsupported('yield inside a lambda', node);
    const body = compileExpr(c, node.body);
    code.body = (f) => {
      f.retval = body(f);
      return Completion.Return;
    };
  });
  return makeFunction(c, code, compileDefaults(c, node.args), closureOf(c, scope));
}

type Comprehension = ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp;

/**
 * A comprehension: its own frame (as the nested function CPython 3.11 makes), `.0` the iterator
 * of the first `for`, which the enclosing scope evaluates.
 */
export function compileComprehension(c: CompileContext, node: Comprehension): Ev {
  const vm = c.vm;
  const heap = vm.heap;
  const scope = c.table.of(node);
  const name = { ListComp: '<listcomp>', SetComp: '<setcomp>', DictComp: '<dictcomp>', GeneratorExp: '<genexpr>' }[node._type];
  const qualname = c.scope.kind === 'function' ? `${c.qualnames.join('.')}.<locals>.${name}` : c.qualname(name);
  const code = new Code(name, qualname, c.filename, node.lineno, scope, { positional: ['.0'], positionalOnly: 0, keywordOnly: [], varargs: null, varkw: null }, null);
  const first = compileExpr(c, node.generators[0]!.iter);
  inScope(c, scope, null, () => {
    c.qualnames = qualname.split('.');
    if (node._type === 'GeneratorExp') code.generatorBody = compileGeneratorLoops(c, node);
    else code.body = compileLoops(c, node);
  });
  const closureSlots = scope.freevars.map((free) => cellSlot(c.scope, free));
  const base = scope.varnames.length + scope.cellvars.length;
  return (f) => {
    const iterable = first(f);
    let it: Ref;
    try {
      it = getIter(vm, iterable);
    } finally {
      heap.decref(iterable);
    }
    const frame = new Frame(code, f.globals, NULL, vm.frame);
    frame.fast[0] = it;
    for (let i = 0; i < closureSlots.length; i++) {
      const cell = f.fast[closureSlots[i]!]!;
      heap.incref(cell);
      frame.fast[base + i] = cell;
    }
    for (let i = 0; i < scope.cellvars.length; i++) frame.fast[scope.varnames.length + i] = heap.newCell();
    if (node._type === 'GeneratorExp') return newGenerator(vm, frame, { name, qualname });
    return runFrame(vm, frame);
  };
}

/** The nested loops of a list, set or dict comprehension, adding to the result as they go. */
function compileLoops(c: CompileContext, node: ast.ListComp | ast.SetComp | ast.DictComp): (f: Frame) => Completion {
  const vm = c.vm;
  const heap = vm.heap;
  const kind = node._type;
  const key = kind === 'DictComp' ? compileExpr(c, node.key) : null;
  const value = kind === 'DictComp' ? compileExpr(c, node.value) : compileExpr(c, node.elt);
  const levels = node.generators.map((generator, i) => ({
    iter: i === 0 ? null : compileExpr(c, generator.iter),
    store: compileStore(c, generator.target),
    ifs: generator.ifs.map((test) => compileTest(c, test)),
  }));
  // `[x for x in ...]`: the name's value goes into the list as it is (append takes its own
  // reference and runs no Python code), without a reference of the loop's in between.
  const borrowed = kind === 'ListComp' && node.elt._type === 'Name' ? loadNameBorrowed(vm, c.scope, node.elt.id) : null;
  if (borrowed !== null && levels.length === 1 && levels[0]!.ifs.length === 0) return compileSimpleListComp(c, levels[0]!.store, borrowed, node as ast.ListComp);
  const add = (f: Frame, result: Ref): void => {
    if (borrowed !== null) {
      heap.append(result, borrowed(f));
      return;
    }
    if (kind === 'DictComp') {
      const k = key!(f);
      let v: Ref;
      try {
        v = value(f);
      } catch (error) {
        heap.decref(k);
        throw error;
      }
      try {
        heap.dictSet(result, k, v);
      } finally {
        heap.decref(k);
        heap.decref(v);
      }
      return;
    }
    const item = value(f);
    try {
      if (kind === 'ListComp') heap.append(result, item);
      else heap.setAdd(result, item);
    } finally {
      heap.decref(item);
    }
  };
  const loop = (f: Frame, level: number, it: Ref, result: Ref): void => {
    const { store, ifs } = levels[level]!;
    const range = rangeIteratorState(vm, it);
    const native = vm.classOf(it).iterNext;
    for (;;) {
      const item = range !== null ? rangeNext(vm, range) : native !== null ? native(vm, it) : iterNext(vm, it);
      if (item === NULL) break;
      store(f, item);
      if (ifs.length > 0 && !ifs.every((test) => test(f))) continue;
      if (level + 1 === levels.length) add(f, result);
      else {
        const iterable = levels[level + 1]!.iter!(f);
        let inner: Ref;
        try {
          inner = getIter(vm, iterable);
        } finally {
          heap.decref(iterable);
        }
        try {
          loop(f, level + 1, inner, result);
        } finally {
          heap.decref(inner);
        }
      }
    }
  };
  return (f) => {
    const result = kind === 'ListComp' ? heap.newList() : kind === 'SetComp' ? heap.newSet() : heap.newDict();
    try {
      loop(f, 0, f.fast[0]!, result);
    } catch (error) {
      heap.decref(result);
      throw error;
    }
    f.retval = result;
    return Completion.Return;
  };
}

/**
 * `[x for x in it]` and `[y for x in it]` (one `for`, no `if`, a name for the item): the loop of
 * compileLoops with nothing to decide per item. When the name is the target and a fast local,
 * the store and the borrowed load are done in place: STORE_FAST (the old value released first,
 * which may run a finalizer), then LOAD_FAST, then LIST_APPEND taking the list's own
 * reference, the same counts in the same order.
 */
function compileSimpleListComp(c: CompileContext, store: Store, borrowed: Load, node: ast.ListComp): (f: Frame) => Completion {
  const vm = c.vm;
  const heap = vm.heap;
  const target = node.generators[0]!.target;
  const where = target._type === 'Name' && node.elt._type === 'Name' && node.elt.id === target.id ? c.scope.resolve(target.id) : null;
  const slot = where !== null && where.kind === 'fast' ? where.index : -1;
  const add = (f: Frame, result: Ref, item: Ref): void => {
    if (slot < 0) {
      store(f, item);
      heap.append(result, borrowed(f));
      return;
    }
    const fast = f.fast;
    const old = fast[slot]!;
    fast[slot] = item;
    if (old !== NULL) heap.decref(old);
    // The slot still holds `item`: nothing writes the fast locals of a running frame (a
    // finalizer run by the release above can see them through f_locals, not rebind them, and
    // frame.clear() refuses a running frame), so LOAD_FAST would load `item` itself.
    heap.append(result, item);
  };
  return (f) => {
    const result = heap.newList();
    try {
      const it = f.fast[0]!;
      const range = rangeIteratorState(vm, it);
      if (range !== null) {
        for (let item = rangeNext(vm, range); item !== NULL; item = rangeNext(vm, range)) add(f, result, item);
      } else {
        const native = vm.classOf(it).iterNext;
        for (;;) {
          const item = native !== null ? native(vm, it) : iterNext(vm, it);
          if (item === NULL) break;
          add(f, result, item);
        }
      }
    } catch (error) {
      heap.decref(result);
      throw error;
    }
    f.retval = result;
    return Completion.Return;
  };
}

function compileGeneratorLoops(c: CompileContext, node: ast.GeneratorExp): (f: Frame) => Generator<Ref, Completion, Ref> {
  const vm = c.vm;
  const heap = vm.heap;
  const value = compileExpr(c, node.elt);
  const levels = node.generators.map((generator, i) => ({
    iter: i === 0 ? null : compileExpr(c, generator.iter),
    store: compileStore(c, generator.target),
    ifs: generator.ifs.map((test) => compileTest(c, test)),
  }));
  const loop = function* (f: Frame, level: number, it: Ref): Generator<Ref, void, Ref> {
    const { store, ifs } = levels[level]!;
    for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) {
      store(f, item);
      if (!ifs.every((test) => test(f))) continue;
      if (level + 1 === levels.length) {
        const sent = yield value(f);
        heap.decref(sent);
      } else {
        const iterable = levels[level + 1]!.iter!(f);
        let inner: Ref;
        try {
          inner = getIter(vm, iterable);
        } finally {
          heap.decref(iterable);
        }
        try {
          yield* loop(f, level + 1, inner);
        } finally {
          heap.decref(inner);
        }
      }
    }
  };
  return function* (f) {
    yield* loop(f, 0, f.fast[0]!);
    return Completion.Normal;
  };
}

export function compileClassDef(c: CompileContext, node: ast.ClassDef): (f: Frame) => void {
  const vm = c.vm;
  const heap = vm.heap;
  const scope = c.table.of(node);
  if (node.keywords.length > 0) {
    throw c.unsupported('class keyword arguments (metaclass=…)', node);
  }
  const qualname = c.scope.kind === 'function' ? `${c.qualnames.join('.')}.<locals>.${node.name}` : c.qualname(node.name);
  const code = new Code(node.name, qualname, c.filename, node.lineno, scope, { positional: [], positionalOnly: 0, keywordOnly: [], varargs: null, varkw: null }, docstring(node.body));
  inScope(c, scope, null, () => {
    c.qualnames = qualname.split('.');
    code.body = compileBlock(c, node.body);
  });
  const bases = node.bases.map((base) => compileExpr(c, base));
  const closure = closureOf(c, scope);
  const classCell = scope.cellvars.indexOf('__class__');
  const make = (f: Frame): Ref => {
    const baseRefs: Ref[] = [];
    const namespace = heap.newDict();
    const frame = new Frame(code, f.globals, namespace, vm.frame);
    try {
      for (const base of bases) baseRefs.push(base(f));
      const moduleName = heap.dictGetStr(f.globals, '__name__');
      if (moduleName !== NULL) vm.setItemStr(namespace, '__module__', moduleName);
      const qual = heap.newStr(qualname);
      vm.setItemStr(namespace, '__qualname__', qual);
      heap.decref(qual);
      if (code.docstring !== null) {
        const doc = heap.newStr(code.docstring, { intern: false });
        vm.setItemStr(namespace, '__doc__', doc);
        heap.decref(doc);
      }
      for (let i = 0; i < scope.cellvars.length; i++) frame.fast[scope.varnames.length + i] = heap.newCell();
      if (closure) {
        const cells = closure(f);
        const base = scope.varnames.length + scope.cellvars.length;
        for (let i = 0; i < heap.length(cells); i++) {
          const cell = heap.item(cells, i);
          heap.incref(cell);
          frame.fast[base + i] = cell;
        }
        heap.decref(cells);
      }
      const cell = classCell >= 0 ? frame.fast[scope.varnames.length + classCell]! : NULL;
      if (cell !== NULL) heap.incref(cell);
      try {
        heap.decref(runFrame(vm, frame));
        const cls = buildClass(vm, node.name, qualname, baseRefs, namespace);
        if (cell !== NULL) heap.cellSet(cell, cls);
        return cls;
      } finally {
        if (cell !== NULL) heap.decref(cell);
      }
    } finally {
      for (const base of baseRefs) heap.decref(base);
      heap.decref(namespace);
      if (!frame.finished) releaseFrame(vm, frame);
    }
  };
  const decorated = applyDecorators(c, node.decorator_list, make);
  const store = storeName(vm, c.scope, node.name);
  return (f) => store(f, decorated(f));
}

