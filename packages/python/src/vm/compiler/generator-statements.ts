/**
 * Statements of a generator that contain a `yield`, compiled to JS generator functions so the
 * frame can stop at the yield and go on later. Statements without one stay plain closures
 * (compileGeneratorBlock picks per statement), so a generator's straight-line code runs as fast
 * as a function's. A `yield` may stand as a statement, as the value of an assignment or of a
 * return; deeper inside an expression it is refused with a SyntaxError that says so.
 */
import { NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type * as ast from '../../ast.ts';
import { chainContext } from '../exceptions.ts';
import { Completion, type Frame } from '../frame.ts';
import { addTraceback } from '../frame-objects.ts';
import { closeGenerator, isGenerator, resume, takeReturned } from '../generator.ts';
import { getIter, iterNext } from '../iteration.ts';
import { findAttribute } from '../attributes.ts';
import { PyThrow } from '../throw.ts';
import type { CompileContext } from './context.ts';
import { compileExpr, compileTest } from './expressions.ts';
import { childExpressions } from './scope.ts';
import { compileGeneratorBlock, compileHandlers, enterContext, exitOnRaise, handlerFor, raisedInFinally, stepOnto, stepped } from './statements.ts';
import { compileStore } from './targets.ts';

type GenStatement = (frame: Frame) => Generator<Ref, Completion, Ref>;

function exprHasYield(node: ast.Expression | null): boolean {
  if (node === null) return false;
  if (node._type === 'Yield' || node._type === 'YieldFrom') return true;
  if (node._type === 'Lambda' || node._type === 'ListComp' || node._type === 'SetComp' || node._type === 'DictComp' || node._type === 'GeneratorExp') return false;
  return childExpressions(node).some(exprHasYield);
}

export function containsYield(node: ast.Statement): boolean {
  switch (node._type) {
    case 'FunctionDef':
    case 'ClassDef':
      return false;
    case 'Expr':
      return exprHasYield(node.value);
    case 'Assign':
      return exprHasYield(node.value) || node.targets.some(exprHasYield);
    case 'AugAssign':
      return exprHasYield(node.value);
    case 'AnnAssign':
      return exprHasYield(node.value);
    case 'Return':
      return exprHasYield(node.value);
    case 'If':
    case 'While':
      return exprHasYield(node.test) || node.body.some(containsYield) || node.orelse.some(containsYield);
    case 'For':
      return exprHasYield(node.iter) || node.body.some(containsYield) || node.orelse.some(containsYield);
    case 'Try':
      return [node.body, node.orelse, node.finalbody, ...node.handlers.map((h) => h.body)].some((b) => b.some(containsYield));
    case 'With':
      return node.items.some((item) => exprHasYield(item.context_expr)) || node.body.some(containsYield);
    case 'Raise':
      return exprHasYield(node.exc) || exprHasYield(node.cause);
    case 'Assert':
      return exprHasYield(node.test);
    case 'Delete':
      return false;
    default:
      return false;
  }
}

/** A `yield` or `yield from` at the top of an expression: the value sent back in (a new reference). */
function compileYield(c: CompileContext, node: ast.Expression): GenStatementValue {
  const vm = c.vm;
  const heap = vm.heap;
  if (node._type === 'Yield') {
    const value = node.value ? compileExpr(c, node.value) : null;
    return function* (f) {
      const v = value ? value(f) : heap.newNone();
      return yield v;
    };
  }
  if (node._type === 'YieldFrom') {
    const source = compileExpr(c, node.value);
    return function* (f) {
      const iterable = source(f);
      let it: Ref;
      try {
        it = getIter(vm, iterable);
      } finally {
        heap.decref(iterable);
      }
      try {
        let sent = NULL;
        let throwing = false;
        for (;;) {
          let item: Ref;
          if (isGenerator(vm, it)) item = resume(vm, it, sent, throwing);
          else if (throwing) throw new PyThrow(sent);
          else {
            if (sent !== NULL && sent !== heap.None) {
              try {
                item = vm.callMethod(it, 'send', [sent]);
              } catch (error) {
                const thrown = vm.toThrow(error);
                if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.StopIteration)) {
                  const value = findAttribute(vm, thrown.exc, 'value');
                  heap.decref(thrown.exc);
                  return value === NULL ? heap.newNone() : value;
                }
                throw thrown;
              } finally {
                heap.decref(sent);
              }
            } else {
              if (sent !== NULL) heap.decref(sent);
              item = iterNext(vm, it);
            }
          }
          sent = NULL;
          throwing = false;
          if (item === NULL) return isGenerator(vm, it) ? takeReturned(vm, it) : heap.newNone();
          try {
            sent = yield item;
          } catch (error) {
            const thrown = vm.toThrow(error);
            if (vm.classOf(thrown.exc).isSubclassOf(vm.exc.GeneratorExit) && isGenerator(vm, it)) {
              closeGenerator(vm, it);
              throw thrown;
            }
            sent = thrown.exc;
            throwing = true;
          }
        }
      } finally {
        heap.decref(it);
      }
    };
  }
  throw c.unsupported('yield inside a larger expression (assign it to a name first)', node);
}

type GenStatementValue = (frame: Frame) => Generator<Ref, Ref, Ref>;

/** Like `stepped`, for a generator statement. */
function genStepped(c: CompileContext, node: ast.Position, run: GenStatement): GenStatement {
  const vm = c.vm;
  const line = node.lineno;
  return function* (f) {
    f.lineno = line;
    if (--vm.countdown <= 0) vm.tick(f);
    return yield* run(f);
  };
}

export function compileGeneratorStatement(c: CompileContext, node: ast.Statement): GenStatement {
  return genStepped(c, node, compileBody(c, node));
}

function compileBody(c: CompileContext, node: ast.Statement): GenStatement {
  const vm = c.vm;
  const heap = vm.heap;
  switch (node._type) {
    case 'Expr': {
      const y = compileYield(c, node.value);
      return function* (f) {
        heap.decref(yield* y(f));
        return Completion.Normal;
      };
    }
    case 'Assign': {
      const y = compileYield(c, node.value);
      const stores = node.targets.map((target) => compileStore(c, target));
      return function* (f) {
        const v = yield* y(f);
        for (let i = 0; i < stores.length; i++) {
          if (i < stores.length - 1) heap.incref(v);
          stores[i]!(f, v);
        }
        return Completion.Normal;
      };
    }
    case 'AnnAssign': {
      const y = compileYield(c, node.value!);
      const store = compileStore(c, node.target);
      return function* (f) {
        store(f, yield* y(f));
        return Completion.Normal;
      };
    }
    case 'Return': {
      const y = compileYield(c, node.value!);
      return function* (f) {
        const v = yield* y(f);
        if (f.retval !== NULL) heap.decref(f.retval);
        f.retval = v;
        return Completion.Return;
      };
    }
    case 'If': {
      if (exprHasYield(node.test)) throw c.unsupported('yield in an if condition', node);
      const test = compileTest(c, node.test);
      const body = compileGeneratorBlock(c, node.body);
      const orelse = compileGeneratorBlock(c, node.orelse);
      return function* (f) {
        return test(f) ? yield* body(f) : yield* orelse(f);
      };
    }
    case 'While': {
      if (exprHasYield(node.test)) throw c.unsupported('yield in a while condition', node);
      const test = compileTest(c, node.test);
      c.loops++;
      const body = compileGeneratorBlock(c, node.body);
      c.loops--;
      const orelse = compileGeneratorBlock(c, node.orelse);
      const line = node.lineno;
      return function* (f) {
        while (test(f)) {
          const completion = yield* body(f);
          f.lineno = line;
          if (completion === Completion.Break) return Completion.Normal;
          if (completion === Completion.Return) return completion;
        }
        return yield* orelse(f);
      };
    }
    case 'For': {
      if (exprHasYield(node.iter)) throw c.unsupported('yield in a for loop’s iterable', node);
      const iterable = compileExpr(c, node.iter);
      const store = compileStore(c, node.target);
      c.loops++;
      const body = compileGeneratorBlock(c, node.body);
      c.loops--;
      const orelse = compileGeneratorBlock(c, node.orelse);
      const line = node.lineno;
      return function* (f) {
        const source = iterable(f);
        let it: Ref;
        try {
          it = getIter(vm, source);
        } finally {
          heap.decref(source);
        }
        try {
          for (let item = iterNext(vm, it); item !== NULL; item = iterNext(vm, it)) {
            store(f, item);
            const completion = yield* body(f);
            f.lineno = line;
            if (completion === Completion.Break) return Completion.Normal;
            if (completion === Completion.Return) return completion;
          }
        } finally {
          heap.decref(it);
        }
        return yield* orelse(f);
      };
    }
    case 'Try': {
      const body = compileGeneratorBlock(c, node.body);
      const handlers = compileHandlers(c, node.handlers);
      const handlerBodies = node.handlers.map((handler) => compileGeneratorBlock(c, handler.body));
      const orelse = compileGeneratorBlock(c, node.orelse);
      const finalbody = node.finalbody.length > 0 ? compileGeneratorBlock(c, node.finalbody) : null;
      const tryExcept = function* (f: Frame): Generator<Ref, Completion, Ref> {
        let completion: Completion;
        try {
          completion = yield* body(f);
        } catch (error) {
          if (handlers.length === 0) throw error;
          const thrown = vm.toThrow(error);
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
            return yield* handlerBodies[index]!(f);
          } catch (inner) {
            const next = vm.toThrow(inner);
            chainContext(vm, next.exc);
            throw next;
          } finally {
            const at = vm.handling.lastIndexOf(exc);
            if (at >= 0) vm.handling.splice(at, 1);
            if (handler.unbind) handler.unbind(f);
            heap.decref(exc);
          }
        }
        if (completion === Completion.Normal) return yield* orelse(f);
        return completion;
      };
      if (!finalbody) return tryExcept;
      return function* (f) {
        let pending: PyThrow | null = null;
        let completion = Completion.Normal;
        try {
          completion = yield* tryExcept(f);
        } catch (error) {
          pending = vm.toThrow(error);
          addTraceback(vm, pending, f);
        }
        if (pending) vm.handling.push(pending.exc);
        let after: Completion;
        try {
          after = yield* finalbody(f);
        } catch (error) {
          throw raisedInFinally(c, error, pending);
        } finally {
          if (pending) {
            const at = vm.handling.lastIndexOf(pending.exc);
            if (at >= 0) vm.handling.splice(at, 1);
          }
        }
        if (after !== Completion.Normal) {
          if (pending) heap.decref(pending.exc);
          return after;
        }
        if (pending) throw pending;
        return completion;
      };
    }
    case 'With': {
      if (node.items.length > 1) {
        const [first, ...rest] = node.items;
        return compileBody(c, { ...node, items: [first!], body: [{ ...node, items: rest }] });
      }
      const item = node.items[0]!;
      const manager = compileExpr(c, item.context_expr);
      const store = item.optional_vars ? compileStore(c, item.optional_vars) : null;
      const body = compileGeneratorBlock(c, node.body);
      const line = node.lineno;
      return function* (f) {
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
            completion = yield* body(f);
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
    default:
      throw c.unsupported(`yield inside this ${node._type} statement`, node);
  }
}

export { stepped };
