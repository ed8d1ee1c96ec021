/**
 * Where each name lives: CPython's symtable.c in two passes. The first walks a module and
 * records, per scope, which names are bound, declared global or nonlocal, or only used; the
 * second decides for every name of a function whether it is a fast local, a cell (a local an
 * inner function closes over), a free variable (a cell of an enclosing function), or a global —
 * which is what the compiler needs to emit the right load and store.
 */
import type * as ast from '../../ast.ts';

/** How a compiled load or store reaches a name. */
export type Resolution =
  | { readonly kind: 'fast'; readonly index: number }
  | { readonly kind: 'deref'; readonly index: number }
  | { readonly kind: 'global' }
  | { readonly kind: 'name' }
  | { readonly kind: 'classderef'; readonly index: number };

export type ScopeKind = 'module' | 'class' | 'function';

const BOUND = 1;
const PARAM = 2;
const GLOBAL = 4;
const NONLOCAL = 8;
const USED = 16;

export interface ScopeProblem {
  readonly message: string;
  readonly node: ast.Position;
}

export class Scope {
  readonly children: Scope[] = [];
  readonly flags: Map<string, number> = new Map();
  /** Function scopes: parameters first, in order, then the other locals. */
  readonly varnames: string[] = [];
  readonly cellvars: string[] = [];
  readonly freevars: string[] = [];
  readonly explicitGlobals: Set<string> = new Set();
  isGenerator = false;
  /** A method that calls `super()` or names `__class__`: it closes over the class's `__class__` cell. */
  needsClassCell = false;
  /** Set on a class scope when one of its methods needs `__class__`. */
  hasClassCell = false;
  readonly #resolved = new Map<string, Resolution>();

  constructor(
    readonly kind: ScopeKind,
    readonly name: string,
    readonly parent: Scope | null,
    readonly node: ast.Node | ast.Comprehension | null,
  ) {}

  /** Where `name` is read and written from code in this scope. */
  resolve(name: string): Resolution {
    const known = this.#resolved.get(name);
    if (known !== undefined) return known;
    let found: Resolution;
    const free = this.freevars.indexOf(name);
    const cell = this.cellvars.indexOf(name);
    if (this.kind === 'module') found = { kind: 'global' };
    else if (this.kind === 'class') {
      found = free >= 0 && !this.#bound(name) ? { kind: 'classderef', index: this.#derefIndex(name) } : { kind: 'name' };
      if (this.explicitGlobals.has(name)) found = { kind: 'global' };
    } else if (this.explicitGlobals.has(name)) found = { kind: 'global' };
    else if (cell >= 0 || free >= 0) found = { kind: 'deref', index: this.#derefIndex(name) };
    else if (this.varnames.includes(name)) found = { kind: 'fast', index: this.varnames.indexOf(name) };
    else found = { kind: 'global' };
    this.#resolved.set(name, found);
    return found;
  }

  /** The fast-array index of a cell or free variable: after the plain locals, cells then frees. */
  #derefIndex(name: string): number {
    const cell = this.cellvars.indexOf(name);
    if (cell >= 0) return this.varnames.length + cell;
    return this.varnames.length + this.cellvars.length + this.freevars.indexOf(name);
  }

  #bound(name: string): boolean {
    return ((this.flags.get(name) ?? 0) & (BOUND | PARAM)) !== 0;
  }

  get frameSize(): number {
    return this.varnames.length + this.cellvars.length + this.freevars.length;
  }

  note(name: string, flag: number): void {
    this.flags.set(name, (this.flags.get(name) ?? 0) | flag);
  }
}

/** The scopes of a module: the module's, and every function, lambda, class and comprehension in it. */
export class SymbolTable {
  readonly scopes: Map<unknown, Scope> = new Map();
  readonly problems: ScopeProblem[] = [];
  readonly top: Scope;

  constructor(module: ast.Module) {
    this.top = new Scope('module', '<module>', null, module);
    this.scopes.set(module, this.top);
    const builder = new ScopeBuilder(this);
    builder.block(this.top, module.body);
    analyze(this.top, new Set(), this.problems);
  }

  of(node: unknown): Scope {
    const scope = this.scopes.get(node);
    if (scope === undefined) throw new Error('refheap-python: no scope recorded for a node');
    return scope;
  }
}

class ScopeBuilder {
  constructor(readonly table: SymbolTable) {}

  #open(kind: ScopeKind, name: string, parent: Scope, node: ast.Node | ast.Comprehension): Scope {
    const scope = new Scope(kind, name, parent, node);
    parent.children.push(scope);
    this.table.scopes.set(node, scope);
    return scope;
  }

  block(scope: Scope, body: readonly ast.Statement[]): void {
    for (const statement of body) this.statement(scope, statement);
  }

  #bind(scope: Scope, name: string, node: ast.Position): void {
    const flags = scope.flags.get(name) ?? 0;
    if (flags & GLOBAL && scope.kind !== 'module' && flags & USED) {
      // Reported by the global statement's own check.
    }
    scope.note(name, BOUND);
    void node;
  }

  statement(scope: Scope, node: ast.Statement): void {
    switch (node._type) {
      case 'FunctionDef': {
        for (const decorator of node.decorator_list) this.expression(scope, decorator);
        this.#defaults(scope, node.args);
        for (const annotation of annotations(node.args)) this.expression(scope, annotation);
        if (node.returns) this.expression(scope, node.returns);
        this.#bind(scope, node.name, node);
        const inner = this.#open('function', node.name, scope, node);
        this.#parameters(inner, node.args);
        this.block(inner, node.body);
        return;
      }
      case 'ClassDef': {
        for (const decorator of node.decorator_list) this.expression(scope, decorator);
        for (const base of node.bases) this.expression(scope, base);
        for (const keyword of node.keywords) this.expression(scope, keyword.value);
        this.#bind(scope, node.name, node);
        const inner = this.#open('class', node.name, scope, node);
        this.block(inner, node.body);
        return;
      }
      case 'Return':
        if (node.value) this.expression(scope, node.value);
        return;
      case 'Delete':
        for (const target of node.targets) this.expression(scope, target);
        return;
      case 'Assign':
        this.expression(scope, node.value);
        for (const target of node.targets) this.expression(scope, target);
        return;
      case 'AugAssign':
        this.expression(scope, node.value);
        this.expression(scope, node.target);
        if (node.target._type === 'Name') scope.note(node.target.id, USED);
        return;
      case 'AnnAssign':
        if (node.value) this.expression(scope, node.value);
        if (scope.kind !== 'function') this.expression(scope, node.annotation);
        if (node.value || node.target._type !== 'Name') this.expression(scope, node.target);
        else this.#bind(scope, node.target.id, node.target);
        return;
      case 'For':
        this.expression(scope, node.iter);
        this.expression(scope, node.target);
        this.block(scope, node.body);
        this.block(scope, node.orelse);
        return;
      case 'While':
        this.expression(scope, node.test);
        this.block(scope, node.body);
        this.block(scope, node.orelse);
        return;
      case 'If':
        this.expression(scope, node.test);
        this.block(scope, node.body);
        this.block(scope, node.orelse);
        return;
      case 'With':
        for (const item of node.items) {
          this.expression(scope, item.context_expr);
          if (item.optional_vars) this.expression(scope, item.optional_vars);
        }
        this.block(scope, node.body);
        return;
      case 'Raise':
        if (node.exc) this.expression(scope, node.exc);
        if (node.cause) this.expression(scope, node.cause);
        return;
      case 'Try':
        this.block(scope, node.body);
        for (const handler of node.handlers) {
          if (handler.type) this.expression(scope, handler.type);
          if (handler.name !== null) this.#bind(scope, handler.name, handler);
          this.block(scope, handler.body);
        }
        this.block(scope, node.orelse);
        this.block(scope, node.finalbody);
        return;
      case 'Assert':
        this.expression(scope, node.test);
        if (node.msg) this.expression(scope, node.msg);
        return;
      case 'Import':
      case 'ImportFrom':
        for (const alias of node.names) {
          if (alias.name === '*') continue;
          this.#bind(scope, alias.asname ?? alias.name.split('.')[0]!, alias);
        }
        return;
      case 'Global':
      case 'Nonlocal':
        for (const name of node.names) this.#declare(scope, name, node);
        return;
      case 'Expr':
        this.expression(scope, node.value);
        return;
      case 'Pass':
      case 'Break':
      case 'Continue':
        return;
    }
  }

  #declare(scope: Scope, name: string, node: ast.Global | ast.Nonlocal): void {
    const flags = scope.flags.get(name) ?? 0;
    const what = node._type === 'Global' ? 'global' : 'nonlocal';
    if (node._type === 'Nonlocal' && scope.kind === 'module') {
      this.table.problems.push({ message: 'nonlocal declaration not allowed at module level', node });
      return;
    }
    if (flags & PARAM) this.table.problems.push({ message: `name '${name}' is parameter and ${what}`, node });
    else if (flags & BOUND) this.table.problems.push({ message: `name '${name}' is assigned to before ${what} declaration`, node });
    else if (flags & USED) this.table.problems.push({ message: `name '${name}' is used prior to ${what} declaration`, node });
    if (node._type === 'Global') {
      scope.note(name, GLOBAL);
      scope.explicitGlobals.add(name);
    } else scope.note(name, NONLOCAL);
  }

  #defaults(scope: Scope, args: ast.Arguments): void {
    for (const value of args.defaults) this.expression(scope, value);
    for (const value of args.kw_defaults) if (value) this.expression(scope, value);
  }

  #parameters(scope: Scope, args: ast.Arguments): void {
    const all = [...args.posonlyargs, ...args.args, ...args.kwonlyargs];
    if (args.vararg) all.push(args.vararg);
    if (args.kwarg) all.push(args.kwarg);
    for (const arg of all) {
      if (scope.flags.has(arg.arg)) this.table.problems.push({ message: `duplicate argument '${arg.arg}' in function definition`, node: arg });
      scope.note(arg.arg, PARAM);
      scope.varnames.push(arg.arg);
    }
  }

  expression(scope: Scope, node: ast.Expression): void {
    switch (node._type) {
      case 'Name':
        if (node.ctx === 'Load') {
          scope.note(node.id, USED);
          if (node.id === 'super' && scope.kind === 'function') scope.needsClassCell = true;
          if (node.id === '__class__' && scope.kind === 'function') scope.needsClassCell = true;
        } else this.#bind(scope, node.id, node);
        return;
      case 'Lambda': {
        this.#defaults(scope, node.args);
        const inner = this.#open('function', '<lambda>', scope, node);
        this.#parameters(inner, node.args);
        this.expression(inner, node.body);
        return;
      }
      case 'ListComp':
      case 'SetComp':
      case 'GeneratorExp':
      case 'DictComp':
        this.#comprehension(scope, node);
        return;
      case 'NamedExpr': {
        this.expression(scope, node.value);
        // The target binds in the nearest enclosing scope that is not a comprehension.
        let target = scope;
        while (target.kind === 'function' && isComprehension(target.node) && target.parent) {
          target.note(node.target.id, NONLOCAL);
          target = target.parent;
        }
        this.#bind(target, node.target.id, node.target);
        return;
      }
      case 'Yield':
      case 'YieldFrom':
        scope.isGenerator = true;
        if (node.value) this.expression(scope, node.value);
        return;
      default:
        for (const child of childExpressions(node)) this.expression(scope, child);
    }
  }

  #comprehension(scope: Scope, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp): void {
    const [first, ...rest] = node.generators;
    this.expression(scope, first!.iter);
    const name = { ListComp: '<listcomp>', SetComp: '<setcomp>', GeneratorExp: '<genexpr>', DictComp: '<dictcomp>' }[node._type];
    const inner = this.#open('function', name, scope, node);
    inner.note('.0', PARAM);
    inner.varnames.push('.0');
    if (node._type === 'GeneratorExp') inner.isGenerator = true;
    this.expression(inner, first!.target);
    for (const condition of first!.ifs) this.expression(inner, condition);
    for (const generator of rest) {
      this.expression(inner, generator.iter);
      this.expression(inner, generator.target);
      for (const condition of generator.ifs) this.expression(inner, condition);
    }
    if (node._type === 'DictComp') {
      this.expression(inner, node.key);
      this.expression(inner, node.value);
    } else this.expression(inner, node.elt);
  }
}

function isComprehension(node: unknown): boolean {
  const type = (node as { _type?: string } | null)?._type;
  return type === 'ListComp' || type === 'SetComp' || type === 'DictComp' || type === 'GeneratorExp';
}

function annotations(args: ast.Arguments): ast.Expression[] {
  const all = [...args.posonlyargs, ...args.args, ...args.kwonlyargs];
  if (args.vararg) all.push(args.vararg);
  if (args.kwarg) all.push(args.kwarg);
  return all.flatMap((arg) => (arg.annotation ? [arg.annotation] : []));
}

/** The sub-expressions of an expression without scopes of its own, in evaluation order. */
export function childExpressions(node: ast.Expression): ast.Expression[] {
  switch (node._type) {
    case 'BoolOp':
      return [...node.values];
    case 'BinOp':
      return [node.left, node.right];
    case 'UnaryOp':
      return [node.operand];
    case 'IfExp':
      return [node.test, node.body, node.orelse];
    case 'Dict':
      return node.keys.flatMap((key, i) => (key ? [key, node.values[i]!] : [node.values[i]!]));
    case 'Set':
    case 'List':
    case 'Tuple':
      return [...node.elts];
    case 'Compare':
      return [node.left, ...node.comparators];
    case 'Call':
      return [node.func, ...node.args, ...node.keywords.map((keyword) => keyword.value)];
    case 'FormattedValue':
      return node.format_spec ? [node.value, node.format_spec] : [node.value];
    case 'JoinedStr':
      return [...node.values];
    case 'Attribute':
    case 'Starred':
      return [node.value];
    case 'Subscript':
      return [node.value, node.slice];
    case 'Slice':
      return [node.lower, node.upper, node.step].filter((part): part is ast.Expression => part !== null);
    case 'Yield':
      return node.value ? [node.value] : [];
    case 'YieldFrom':
    case 'NamedExpr':
      return [node.value];
    default:
      return [];
  }
}

/**
 * The second pass: `bound` holds the names local to enclosing function scopes. Returns the
 * names this scope needs from outside (its free variables), which the parent turns into cells.
 */
function analyze(scope: Scope, bound: ReadonlySet<string>, problems: ScopeProblem[]): Set<string> {
  const free = new Set<string>();
  const locals = new Set<string>();
  for (const [name, flags] of scope.flags) {
    if (flags & GLOBAL) continue;
    if (flags & NONLOCAL) {
      if (scope.kind === 'function' && !isComprehension(scope.node) && !bound.has(name)) {
        problems.push({ message: `no binding for nonlocal '${name}' found`, node: scope.node as ast.Position });
      }
      free.add(name);
      continue;
    }
    if (flags & (BOUND | PARAM)) {
      locals.add(name);
      if (scope.kind === 'function' && !scope.varnames.includes(name)) scope.varnames.push(name);
    } else if (scope.kind !== 'module' && bound.has(name) && !(scope.kind === 'class' && false)) free.add(name);
  }
  const inner = new Set(bound);
  if (scope.kind === 'function') for (const name of locals) inner.add(name);
  if (scope.kind === 'class') inner.add('__class__');
  const needed = new Set<string>();
  for (const child of scope.children) {
    for (const name of analyze(child, inner, problems)) needed.add(name);
    if (scope.kind === 'class' && child.needsClassCell) {
      scope.hasClassCell = true;
      needed.add('__class__');
    }
  }
  for (const name of needed) {
    if (scope.kind === 'class' && name === '__class__') {
      scope.cellvars.push('__class__');
    } else if (scope.kind === 'function' && locals.has(name)) {
      if (!scope.cellvars.includes(name)) scope.cellvars.push(name);
    } else if (scope.kind !== 'module') free.add(name);
  }
  if (scope.kind === 'function' && scope.needsClassCell && bound.has('__class__')) free.add('__class__');
  // A cell is a cell, not also a plain local (parameters keep their slot, filled into the cell at entry).
  if (scope.kind === 'function') {
    for (const name of scope.cellvars) {
      const index = scope.varnames.indexOf(name);
      if (index >= 0 && !(scope.flags.get(name)! & PARAM)) scope.varnames.splice(index, 1);
    }
  }
  for (const name of free) if (!scope.freevars.includes(name)) scope.freevars.push(name);
  return free;
}
