/**
 * What may be assigned to or deleted, and what CPython calls each expression when it may not:
 * Parser/action_helpers.c's `_PyPegen_set_expr_context`, and Parser/pegen.c's
 * `_PyPegen_get_expr_name` and `_PyPegen_get_invalid_target`.
 */
import type { Expression, ExprContext } from './ast.ts';

/** How CPython names an expression in "cannot assign to …" and its kin. */
export function exprName(e: Expression): string {
  switch (e._type) {
    case 'Attribute':
      return 'attribute';
    case 'Subscript':
      return 'subscript';
    case 'Starred':
      return 'starred';
    case 'Name':
      return 'name';
    case 'List':
      return 'list';
    case 'Tuple':
      return 'tuple';
    case 'Lambda':
      return 'lambda';
    case 'Call':
      return 'function call';
    case 'BoolOp':
    case 'BinOp':
    case 'UnaryOp':
      return 'expression';
    case 'GeneratorExp':
      return 'generator expression';
    case 'Yield':
    case 'YieldFrom':
      return 'yield expression';
    case 'ListComp':
      return 'list comprehension';
    case 'SetComp':
      return 'set comprehension';
    case 'DictComp':
      return 'dict comprehension';
    case 'Dict':
      return 'dict literal';
    case 'Set':
      return 'set display';
    case 'JoinedStr':
    case 'FormattedValue':
      return 'f-string expression';
    case 'Constant':
      if (e.value === null) return 'None';
      if (e.value === true) return 'True';
      if (e.value === false) return 'False';
      if (typeof e.value === 'symbol') return 'ellipsis';
      return 'literal';
    case 'Compare':
      return 'comparison';
    case 'IfExp':
      return 'conditional expression';
    case 'NamedExpr':
      return 'named expression';
    case 'Slice':
      // The grammar never puts a slice where a target is checked.
      return 'slice';
  }
}

/** Where a target is: an assignment (`=`, `as`), a `for`, or a `del`. */
export type TargetKind = 'star' | 'for' | 'del';

/**
 * The part of a would-be target that cannot be one, or null if it is a fine target. Only lists
 * and tuples are searched inside; in a `for`, `a in b` was read as a comparison, so its left side
 * is the target.
 */
export function invalidTarget(e: Expression, kind: TargetKind): Expression | null {
  switch (e._type) {
    case 'List':
    case 'Tuple':
      for (const element of e.elts) {
        const invalid = invalidTarget(element, kind);
        if (invalid) return invalid;
      }
      return null;
    case 'Starred':
      return kind === 'del' ? e : invalidTarget(e.value, kind);
    case 'Compare':
      if (kind === 'for') return e.ops[0] === 'In' ? invalidTarget(e.left, kind) : null;
      return e;
    case 'Name':
    case 'Subscript':
    case 'Attribute':
      return null;
    default:
      return e;
  }
}

/**
 * The expression as a target in context `ctx`, or null if it cannot be one: a name, attribute
 * or subscript, or a tuple or list of targets, where (but in `del`) a starred target may stand.
 */
export function asTarget(e: Expression, ctx: Exclude<ExprContext, 'Load'>, starred: boolean = ctx === 'Store'): Expression | null {
  switch (e._type) {
    case 'Name':
    case 'Attribute':
    case 'Subscript':
      return { ...e, ctx };
    case 'Tuple':
    case 'List': {
      const elts: Expression[] = [];
      for (const element of e.elts) {
        const target = asTarget(element, ctx, starred);
        if (!target) return null;
        elts.push(target);
      }
      return { ...e, elts, ctx };
    }
    case 'Starred': {
      // `*` takes a target that does not itself start with `*`.
      if (!starred || e.value._type === 'Starred') return null;
      const value = asTarget(e.value, ctx);
      return value && { ...e, value, ctx };
    }
    default:
      return null;
  }
}
