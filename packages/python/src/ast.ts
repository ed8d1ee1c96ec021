/**
 * The syntax tree: CPython 3.11's `ast` module (Parser/Python.asdl), node for node and field for
 * field, in CPython's own spelling (`col_offset`, `decorator_list`, `kw_defaults`) so that a
 * lesson's tree reads as `ast.dump` prints it.
 *
 * - `_type` names the node's class, as `type(node).__name__` does; the other keys are the
 *   class's `_fields`, then its position `_attributes`.
 * - An optional field CPython leaves as None is `null`; a list is an array.
 * - Operators and contexts, nodes without fields in CPython (`Add()`, `Load()`), are their names.
 * - Positions are CPython's: `lineno` from 1, `col_offset` from 0 in UTF-8 bytes, ends exclusive.
 *
 * Not here, because refheap-python refuses them with a SyntaxError naming the feature: the async
 * nodes (AsyncFunctionDef, AsyncFor, AsyncWith, Await), Match and its patterns, TryStar.
 */

/** Where a node is: CPython's position attributes. */
export interface Position {
  readonly lineno: number;
  readonly col_offset: number;
  readonly end_lineno: number;
  readonly end_col_offset: number;
}

// ---------------------------------------------------------------- modules

export interface Module {
  readonly _type: 'Module';
  readonly body: readonly Statement[];
  /** Always empty: type comments are not parsed (as `ast.parse` without `type_comments=True`). */
  readonly type_ignores: readonly never[];
}

// ---------------------------------------------------------------- statements

export type Statement =
  | FunctionDef
  | ClassDef
  | Return
  | Delete
  | Assign
  | AugAssign
  | AnnAssign
  | For
  | While
  | If
  | With
  | Raise
  | Try
  | Assert
  | Import
  | ImportFrom
  | Global
  | Nonlocal
  | Expr
  | Pass
  | Break
  | Continue;

export interface FunctionDef extends Position {
  readonly _type: 'FunctionDef';
  readonly name: string;
  readonly args: Arguments;
  readonly body: readonly Statement[];
  readonly decorator_list: readonly Expression[];
  readonly returns: Expression | null;
  readonly type_comment: null;
}

export interface ClassDef extends Position {
  readonly _type: 'ClassDef';
  readonly name: string;
  readonly bases: readonly Expression[];
  readonly keywords: readonly Keyword[];
  readonly body: readonly Statement[];
  readonly decorator_list: readonly Expression[];
}

export interface Return extends Position {
  readonly _type: 'Return';
  readonly value: Expression | null;
}

export interface Delete extends Position {
  readonly _type: 'Delete';
  readonly targets: readonly Expression[];
}

export interface Assign extends Position {
  readonly _type: 'Assign';
  readonly targets: readonly Expression[];
  readonly value: Expression;
  readonly type_comment: null;
}

export interface AugAssign extends Position {
  readonly _type: 'AugAssign';
  readonly target: Name | Attribute | Subscript;
  readonly op: Operator;
  readonly value: Expression;
}

export interface AnnAssign extends Position {
  readonly _type: 'AnnAssign';
  readonly target: Name | Attribute | Subscript;
  readonly annotation: Expression;
  readonly value: Expression | null;
  /** 1 for a plain name, 0 for an attribute, a subscript or a name in parentheses. */
  readonly simple: 0 | 1;
}

export interface For extends Position {
  readonly _type: 'For';
  readonly target: Expression;
  readonly iter: Expression;
  readonly body: readonly Statement[];
  readonly orelse: readonly Statement[];
  readonly type_comment: null;
}

export interface While extends Position {
  readonly _type: 'While';
  readonly test: Expression;
  readonly body: readonly Statement[];
  readonly orelse: readonly Statement[];
}

/** `elif` is an If alone in the orelse of the one before. */
export interface If extends Position {
  readonly _type: 'If';
  readonly test: Expression;
  readonly body: readonly Statement[];
  readonly orelse: readonly Statement[];
}

export interface With extends Position {
  readonly _type: 'With';
  readonly items: readonly WithItem[];
  readonly body: readonly Statement[];
  readonly type_comment: null;
}

export interface Raise extends Position {
  readonly _type: 'Raise';
  readonly exc: Expression | null;
  readonly cause: Expression | null;
}

export interface Try extends Position {
  readonly _type: 'Try';
  readonly body: readonly Statement[];
  readonly handlers: readonly ExceptHandler[];
  readonly orelse: readonly Statement[];
  readonly finalbody: readonly Statement[];
}

export interface Assert extends Position {
  readonly _type: 'Assert';
  readonly test: Expression;
  readonly msg: Expression | null;
}

export interface Import extends Position {
  readonly _type: 'Import';
  readonly names: readonly Alias[];
}

export interface ImportFrom extends Position {
  readonly _type: 'ImportFrom';
  readonly module: string | null;
  readonly names: readonly Alias[];
  /** The number of leading dots: 0 for an absolute import. */
  readonly level: number;
}

export interface Global extends Position {
  readonly _type: 'Global';
  readonly names: readonly string[];
}

export interface Nonlocal extends Position {
  readonly _type: 'Nonlocal';
  readonly names: readonly string[];
}

/** An expression statement, CPython's `Expr` (the union of all expressions is `Expression`; CPython's own `ast.Expression`, the eval-mode module, is not modelled). */
export interface Expr extends Position {
  readonly _type: 'Expr';
  readonly value: Expression;
}

export interface Pass extends Position {
  readonly _type: 'Pass';
}

export interface Break extends Position {
  readonly _type: 'Break';
}

export interface Continue extends Position {
  readonly _type: 'Continue';
}

// ---------------------------------------------------------------- expressions

export type Expression =
  | BoolOp
  | NamedExpr
  | BinOp
  | UnaryOp
  | Lambda
  | IfExp
  | Dict
  | Set
  | ListComp
  | SetComp
  | DictComp
  | GeneratorExp
  | Yield
  | YieldFrom
  | Compare
  | Call
  | FormattedValue
  | JoinedStr
  | Constant
  | Attribute
  | Subscript
  | Starred
  | Name
  | List
  | Tuple
  | Slice;

export interface BoolOp extends Position {
  readonly _type: 'BoolOp';
  readonly op: BoolOperator;
  /** `a or b or c` is one BoolOp of three values. */
  readonly values: readonly Expression[];
}

export interface NamedExpr extends Position {
  readonly _type: 'NamedExpr';
  readonly target: Name;
  readonly value: Expression;
}

export interface BinOp extends Position {
  readonly _type: 'BinOp';
  readonly left: Expression;
  readonly op: Operator;
  readonly right: Expression;
}

export interface UnaryOp extends Position {
  readonly _type: 'UnaryOp';
  readonly op: UnaryOperator;
  readonly operand: Expression;
}

export interface Lambda extends Position {
  readonly _type: 'Lambda';
  readonly args: Arguments;
  readonly body: Expression;
}

export interface IfExp extends Position {
  readonly _type: 'IfExp';
  readonly test: Expression;
  readonly body: Expression;
  readonly orelse: Expression;
}

export interface Dict extends Position {
  readonly _type: 'Dict';
  /** `null` where the value is a `**mapping` to unpack. */
  readonly keys: readonly (Expression | null)[];
  readonly values: readonly Expression[];
}

export interface Set extends Position {
  readonly _type: 'Set';
  readonly elts: readonly Expression[];
}

export interface ListComp extends Position {
  readonly _type: 'ListComp';
  readonly elt: Expression;
  readonly generators: readonly Comprehension[];
}

export interface SetComp extends Position {
  readonly _type: 'SetComp';
  readonly elt: Expression;
  readonly generators: readonly Comprehension[];
}

export interface DictComp extends Position {
  readonly _type: 'DictComp';
  readonly key: Expression;
  readonly value: Expression;
  readonly generators: readonly Comprehension[];
}

export interface GeneratorExp extends Position {
  readonly _type: 'GeneratorExp';
  readonly elt: Expression;
  readonly generators: readonly Comprehension[];
}

export interface Yield extends Position {
  readonly _type: 'Yield';
  readonly value: Expression | null;
}

export interface YieldFrom extends Position {
  readonly _type: 'YieldFrom';
  readonly value: Expression;
}

/** `a < b < c`: one Compare, left `a`, ops `[Lt, Lt]`, comparators `[b, c]`. */
export interface Compare extends Position {
  readonly _type: 'Compare';
  readonly left: Expression;
  readonly ops: readonly CmpOp[];
  readonly comparators: readonly Expression[];
}

export interface Call extends Position {
  readonly _type: 'Call';
  readonly func: Expression;
  /** Positional arguments, `*iterable` ones as Starred. */
  readonly args: readonly Expression[];
  readonly keywords: readonly Keyword[];
}

/**
 * One `{expression}` of an f-string. `conversion` is -1 for none, or the character code of
 * `!s` (115), `!r` (114) or `!a` (97); `{x=}` without a format spec converts with `!r`.
 */
export interface FormattedValue extends Position {
  readonly _type: 'FormattedValue';
  readonly value: Expression;
  readonly conversion: number;
  /** The part after `:`, itself an f-string: `{x:>{width}}` has a JoinedStr of `'>'` and `{width}`. */
  readonly format_spec: JoinedStr | null;
}

/**
 * An f-string, or a concatenation of literals with an f-string among them: its values are the
 * literal parts (Constant strings, adjacent ones merged) and the FormattedValues, in order.
 * As in CPython 3.11, every part has the position of the whole JoinedStr; only the expressions
 * inside the braces have positions of their own.
 */
export interface JoinedStr extends Position {
  readonly _type: 'JoinedStr';
  readonly values: readonly (Constant | FormattedValue)[];
}

export interface Constant extends Position {
  readonly _type: 'Constant';
  readonly value: ConstantValue;
  /** 'u' for a string literal whose first part has the `u` prefix; null otherwise. */
  readonly kind: 'u' | null;
}

export interface Attribute extends Position {
  readonly _type: 'Attribute';
  readonly value: Expression;
  readonly attr: string;
  readonly ctx: ExprContext;
}

export interface Subscript extends Position {
  readonly _type: 'Subscript';
  readonly value: Expression;
  /** The index: an expression, a Slice, or a Tuple of them (`a[1:2, 3]`). */
  readonly slice: Expression;
  readonly ctx: ExprContext;
}

export interface Starred extends Position {
  readonly _type: 'Starred';
  readonly value: Expression;
  readonly ctx: ExprContext;
}

export interface Name extends Position {
  readonly _type: 'Name';
  /** The identifier, NFKC-normalized as PEP 3131 asks (`ﬁ` is `fi`). */
  readonly id: string;
  readonly ctx: ExprContext;
}

export interface List extends Position {
  readonly _type: 'List';
  readonly elts: readonly Expression[];
  readonly ctx: ExprContext;
}

export interface Tuple extends Position {
  readonly _type: 'Tuple';
  readonly elts: readonly Expression[];
  readonly ctx: ExprContext;
}

export interface Slice extends Position {
  readonly _type: 'Slice';
  readonly lower: Expression | null;
  readonly upper: Expression | null;
  readonly step: Expression | null;
}

// ---------------------------------------------------------------- constants

/**
 * The value of a Constant, as JS holds it: None is `null`, bool a boolean, int a bigint (Python's
 * are unbounded), float a number, str a string, bytes a Uint8Array, an imaginary literal a
 * Complex, and `...` the `Ellipsis` symbol.
 */
export type ConstantValue = null | boolean | bigint | number | string | Uint8Array | Complex | typeof Ellipsis;

export interface Complex {
  readonly real: number;
  readonly imag: number;
}

/** The value of `...`. */
export const Ellipsis: unique symbol = Symbol('Ellipsis');

// ---------------------------------------------------------------- the rest

export type ExprContext = 'Load' | 'Store' | 'Del';
export type BoolOperator = 'And' | 'Or';
export type Operator =
  | 'Add' | 'Sub' | 'Mult' | 'MatMult' | 'Div' | 'Mod' | 'Pow' | 'LShift' | 'RShift' | 'BitOr' | 'BitXor' | 'BitAnd' | 'FloorDiv';
export type UnaryOperator = 'Invert' | 'Not' | 'UAdd' | 'USub';
export type CmpOp = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

/** One `for … in … if …` of a comprehension. Async comprehensions are refused, so `is_async` is 0. */
export interface Comprehension {
  readonly _type: 'comprehension';
  readonly target: Expression;
  readonly iter: Expression;
  readonly ifs: readonly Expression[];
  readonly is_async: 0;
}

export interface ExceptHandler extends Position {
  readonly _type: 'ExceptHandler';
  readonly type: Expression | null;
  readonly name: string | null;
  readonly body: readonly Statement[];
}

/**
 * A function's or lambda's parameters, by kind. `defaults` are the last `defaults.length` of
 * `posonlyargs` and `args` together; `kw_defaults` pairs with `kwonlyargs`, null where none.
 */
export interface Arguments {
  readonly _type: 'arguments';
  readonly posonlyargs: readonly Arg[];
  readonly args: readonly Arg[];
  readonly vararg: Arg | null;
  readonly kwonlyargs: readonly Arg[];
  readonly kw_defaults: readonly (Expression | null)[];
  readonly kwarg: Arg | null;
  readonly defaults: readonly Expression[];
}

export interface Arg extends Position {
  readonly _type: 'arg';
  readonly arg: string;
  readonly annotation: Expression | null;
  readonly type_comment: null;
}

/** A keyword argument of a call or a class; `arg` is null for `**mapping`. */
export interface Keyword extends Position {
  readonly _type: 'keyword';
  readonly arg: string | null;
  readonly value: Expression;
}

/** A name an import binds: `import a.b as c` has name `'a.b'`, asname `'c'`. */
export interface Alias extends Position {
  readonly _type: 'alias';
  readonly name: string;
  readonly asname: string | null;
}

export interface WithItem {
  readonly _type: 'withitem';
  readonly context_expr: Expression;
  readonly optional_vars: Expression | null;
}

/** Any node of the tree. */
export type Node =
  | Module
  | Statement
  | Expression
  | Comprehension
  | ExceptHandler
  | Arguments
  | Arg
  | Keyword
  | Alias
  | WithItem;
