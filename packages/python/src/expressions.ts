/**
 * Expressions, from `star_expressions` down to atoms, as in CPython 3.11's Grammar/python.gram:
 * one method per rule, named after it, the binary operators by precedence climbing. Where the
 * grammar tries alternatives in turn and the first token does not decide, the method tries them
 * in the same order (`attempt`), so that the tree, the furthest token read and the second pass's
 * messages come out as CPython's. The `invalid_` rules are the blocks guarded by
 * `callInvalidRules`, each where the grammar lists it.
 */
import type {
  Arg,
  Arguments,
  BoolOperator,
  CmpOp,
  Comprehension,
  Expression,
  Keyword,
  Name,
  Operator,
  Position,
  Starred,
} from './ast.ts';
import { Ellipsis } from './ast.ts';
import { numberValue } from './numbers.ts';
import { ParserCore } from './parser-core.ts';
import { SourceText } from './source-text.ts';
import { concatenateStrings, type StringContext } from './strings.ts';
import { utf8Length } from './syntax-error.ts';
import { asTarget, exprName, invalidTarget } from './targets.ts';
import { SOFT_KEYWORDS, type Token } from './tokens.ts';

/** Binary operators by precedence, loosest first (`bitwise_or` down to `term`). */
const BINARY: ReadonlyMap<string, { precedence: number; op: Operator }> = new Map([
  ['|', { precedence: 1, op: 'BitOr' }],
  ['^', { precedence: 2, op: 'BitXor' }],
  ['&', { precedence: 3, op: 'BitAnd' }],
  ['<<', { precedence: 4, op: 'LShift' }],
  ['>>', { precedence: 4, op: 'RShift' }],
  ['+', { precedence: 5, op: 'Add' }],
  ['-', { precedence: 5, op: 'Sub' }],
  ['*', { precedence: 6, op: 'Mult' }],
  ['/', { precedence: 6, op: 'Div' }],
  ['//', { precedence: 6, op: 'FloorDiv' }],
  ['%', { precedence: 6, op: 'Mod' }],
  ['@', { precedence: 6, op: 'MatMult' }],
]);

const COMPARISON: ReadonlyMap<string, CmpOp> = new Map([
  ['==', 'Eq'], ['!=', 'NotEq'], ['<=', 'LtE'], ['<', 'Lt'], ['>=', 'GtE'], ['>', 'Gt'],
]);

const SOFT_KEYWORD_LIST = [...SOFT_KEYWORDS];

/** How a parameter list is spelled: a `def`'s ends at `)` and has annotations; a lambda's ends at `:`. */
export interface ParameterStyle {
  readonly closer: ')' | ':';
  readonly lambda: boolean;
}

const DEF_PARAMETERS: ParameterStyle = { closer: ')', lambda: false };
const LAMBDA_PARAMETERS: ParameterStyle = { closer: ':', lambda: true };

interface NameDefault {
  readonly arg: Arg;
  readonly value: Expression | null;
}

interface StarEtc {
  readonly vararg: Arg | null;
  readonly kwonly: readonly NameDefault[];
  readonly kwarg: Arg | null;
}

interface SlashWithDefault {
  readonly plain: readonly Arg[];
  readonly withDefaults: readonly NameDefault[];
}

/** A call's arguments before they are a Call (`_PyPegen_collect_call_seqs`). */
interface CallArguments extends Position {
  readonly args: readonly Expression[];
  readonly keywords: readonly Keyword[];
}

/** Refused features name themselves in the error, as this message does. */
export const UNSUPPORTED = 'not supported by refheap-python';

export class ExpressionParser extends ParserCore {
  /**
   * In the first pass, a call's first argument, read to see whether a generator follows it
   * (`f(x for x in y)`) and kept so that the arguments do not read it again.
   */
  private firstArgument: { readonly start: number; readonly end: number; readonly value: Expression } | null = null;

  protected constructor(source: SourceText) {
    super(source);
  }

  /** The `fstring` start rule: an f-string's `(expression)`, parsed on its own. */
  static parseFragment(source: SourceText): Expression {
    const parser = new ExpressionParser(source);
    return parser.run(() => parser.starExpressions());
  }

  // ------------------------------------------------------------ expression lists

  /** star_expressions: `a`, or the Tuple of `a, *b, c,`. */
  protected starExpressions(): Expression {
    const start = this.peek();
    const first = this.starExpression();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      const next = this.attempt(() => this.starExpression());
      if (!next) break;
      elts.push(next);
    }
    return this.at(start, { _type: 'Tuple', elts, ctx: 'Load' });
  }

  /** At `)`, `]` or `}`, where a trailing comma's list ends. */
  protected atClosingBracket(): boolean {
    const token = this.peek();
    return token.type === 'OP' && (token.text === ')' || token.text === ']' || token.text === '}');
  }

  /** star_expression: `'*' bitwise_or | expression`. */
  protected starExpression(): Expression {
    return this.secondPass ? this.memoized('star_expression', () => this.starExpressionRule()) : this.starExpressionRule();
  }

  private starExpressionRule(): Expression {
    if (this.atOp('*')) {
      const star = this.advance();
      return this.at(star, { _type: 'Starred', value: this.bitwiseOr(), ctx: 'Load' });
    }
    return this.expression();
  }

  /** star_named_expressions: `','.star_named_expression+ [',']`. */
  protected starNamedExpressions(): Expression[] {
    const elts = [this.starNamedExpression()];
    while (this.atOp(',')) {
      const mark = this.pos;
      this.advance();
      const next = this.secondPass ? this.attempt(() => this.starNamedExpression()) : this.atClosingBracket() ? null : this.starNamedExpression();
      if (!next) {
        this.pos = mark + 1; // the trailing comma is part of the list
        break;
      }
      elts.push(next);
    }
    return elts;
  }

  /** star_named_expression: `'*' bitwise_or | named_expression`. */
  protected starNamedExpression(): Expression {
    if (this.atOp('*')) {
      const star = this.advance();
      return this.at(star, { _type: 'Starred', value: this.bitwiseOr(), ctx: 'Load' });
    }
    return this.namedExpression();
  }

  /** assignment_expression: `NAME ':=' ~ expression`. */
  private assignmentExpression(): Expression {
    const name = this.nameToken();
    this.expectOp(':=');
    const value = this.expression();
    return this.at(name, { _type: 'NamedExpr', target: { ...this.name(name), ctx: 'Store' }, value });
  }

  /** named_expression: `assignment_expression | invalid_named_expression | expression !':='`. */
  protected namedExpression(): Expression {
    if (this.atName() && this.atOp(':=', 1)) return this.assignmentExpression();
    if (this.callInvalidRules) this.invalidNamedExpression();
    const e = this.expression();
    if (this.atOp(':=')) this.noMatch();
    return e;
  }

  /** invalid_named_expression: `=` or `:=` where a comparison or a name was meant. */
  private invalidNamedExpression(): void {
    this.memoized('invalid_named_expression', () => {
      const mark = this.pos;
      // a=expression ':=' expression
      const target = this.attempt(() => this.expression());
      if (target && this.eatOp(':=') && this.attempt(() => this.expression())) {
        this.raiseAt(target, `cannot use assignment expressions with ${exprName(target)}`);
      }
      this.pos = mark;
      // a=NAME '=' b=bitwise_or !('='|':=')
      if (this.atName() && this.atOp('=', 1)) {
        const name = this.advance();
        this.advance();
        const value = this.attempt(() => this.bitwiseOr());
        if (value && !this.atOp('=') && !this.atOp(':=')) {
          this.raiseRange(name, value, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
        }
      }
      this.pos = mark;
      // !(list|tuple|genexp|'True'|'None'|'False') a=bitwise_or b='=' bitwise_or !('='|':=')
      const excluded =
        this.atKeyword('True') || this.atKeyword('None') || this.atKeyword('False') ||
        (this.atOp('[') && this.lookahead(() => this.list())) ||
        (this.atOp('(') && (this.lookahead(() => this.tuple()) || this.lookahead(() => this.genexp())));
      if (!excluded) {
        const left = this.attempt(() => this.bitwiseOr());
        if (left && this.eatOp('=') && this.attempt(() => this.bitwiseOr()) && !this.atOp('=') && !this.atOp(':=')) {
          this.raiseAt(left, `cannot assign to ${exprName(left)} here. Maybe you meant '==' instead of '='?`);
        }
      }
      this.pos = mark;
      return true;
    });
  }

  // ------------------------------------------------------------ expression

  /** expression: `disjunction 'if' disjunction 'else' expression | disjunction | lambdef`. */
  protected expression(): Expression {
    return this.secondPass ? this.memoized('expression', () => this.expressionRule()) : this.expressionBody();
  }

  private expressionRule(): Expression {
    if (this.callInvalidRules) {
      this.invalidExpression();
      this.invalidLegacyExpression();
    }
    return this.expressionBody();
  }

  /** expression_without_invalid: the same alternatives, and no `invalid_` rule anywhere below. */
  private expressionWithoutInvalid(): Expression {
    return this.withoutInvalidRules(() => this.expressionBody());
  }

  private expressionBody(): Expression {
    if (this.atKeyword('lambda')) return this.lambdef();
    // A node's position starts at its rule's first token: `(a) if b else c` starts at `(`.
    const start = this.peek();
    const body = this.disjunction();
    if (!this.atKeyword('if')) return body;
    const conditional = this.attempt(() => {
      this.advance();
      const test = this.disjunction();
      this.expectKeyword('else');
      const orelse = this.expression();
      return this.at(start, { _type: 'IfExp', test, body, orelse });
    });
    return conditional ?? body;
  }

  /** invalid_expression: two expressions side by side in brackets, or an `if` without `else`. */
  private invalidExpression(): void {
    const mark = this.pos;
    const token = this.peek();
    const nameThenString = this.atName() && this.atType('STRING', 1);
    // `_PyPegen_soft_keyword_token` compares only the token's length of each soft keyword, so
    // any prefix of one counts: `c` is taken for `case`, `m` for `match`.
    const softKeyword = token.type === 'NAME' && SOFT_KEYWORD_LIST.some((keyword) => keyword.startsWith(token.text));
    if (!nameThenString && !softKeyword) {
      const a = this.attempt(() => this.disjunction());
      const b = a && this.attempt(() => this.expressionWithoutInvalid());
      if (a && b && !isLegacyName(a) && this.levelBefore() !== 0) {
        this.raiseRange(a, b, 'invalid syntax. Perhaps you forgot a comma?');
      }
    }
    this.pos = mark;
    const a = this.attempt(() => this.disjunction());
    if (a && this.eatKeyword('if')) {
      const b = this.attempt(() => this.disjunction());
      if (b && !this.atKeyword('else') && !this.atOp(':')) this.raiseRange(a, b, "expected 'else' after 'if' expression");
    }
    this.pos = mark;
  }

  /** invalid_legacy_expression: Python 2's `print x` and `exec code`. */
  private invalidLegacyExpression(): void {
    if (!this.atName() || this.atOp('(', 1)) return;
    const mark = this.pos;
    const name = this.name(this.advance());
    const rest = this.attempt(() => this.starExpressions());
    if (rest && isLegacyName(name)) {
      this.raiseRange(name, rest, `Missing parentheses in call to '${name.id}'. Did you mean ${name.id}(...)?`);
    }
    this.pos = mark;
  }

  /** yield_expr: `'yield' 'from' expression | 'yield' [star_expressions]`. */
  protected yieldExpr(): Expression {
    const start = this.expectKeyword('yield');
    if (this.eatKeyword('from')) {
      const value = this.expression();
      return this.at(start, { _type: 'YieldFrom', value });
    }
    const value = this.attempt(() => this.starExpressions());
    return this.at(start, { _type: 'Yield', value });
  }

  // ------------------------------------------------------------ boolean operators and comparisons

  protected disjunction(): Expression {
    return this.secondPass ? this.memoized('disjunction', () => this.boolOp('or', 'Or')) : this.boolOp('or', 'Or');
  }

  private conjunction(): Expression {
    return this.secondPass ? this.memoized('conjunction', () => this.boolOp('and', 'And')) : this.boolOp('and', 'And');
  }

  /** disjunction and conjunction: `a or b or c` is one BoolOp. */
  private boolOp(keyword: 'or' | 'and', op: BoolOperator): Expression {
    const start = this.peek();
    const first = keyword === 'or' ? this.conjunction() : this.inversion();
    if (!this.atKeyword(keyword)) return first;
    const values = [first];
    const operand = (): Expression => (keyword === 'or' ? this.conjunction() : this.inversion());
    while (this.atKeyword(keyword)) {
      const mark = this.pos;
      this.advance();
      // An operator without an operand fails the program in the first pass, however reached.
      const next = this.secondPass ? this.attempt(operand) : operand();
      if (!next) {
        this.pos = mark;
        break;
      }
      values.push(next);
    }
    if (values.length === 1) return first;
    return this.at(start, { _type: 'BoolOp', op, values });
  }

  /** inversion: `'not' inversion | comparison`. */
  private inversion(): Expression {
    return this.secondPass ? this.memoized('inversion', () => this.inversionRule()) : this.inversionRule();
  }

  private inversionRule(): Expression {
    if (!this.atKeyword('not')) return this.comparison();
    const not = this.advance();
    const operand = this.inversion();
    return this.at(not, { _type: 'UnaryOp', op: 'Not', operand });
  }

  /** comparison: `a < b == c` is one Compare. */
  private comparison(): Expression {
    const start = this.peek();
    const left = this.bitwiseOr();
    const ops: CmpOp[] = [];
    const comparators: Expression[] = [];
    for (;;) {
      const mark = this.pos;
      const op = this.comparisonOperator();
      if (!op) break;
      const right = this.secondPass ? this.attempt(() => this.bitwiseOr()) : this.bitwiseOr();
      if (!right) {
        this.pos = mark;
        break;
      }
      ops.push(op);
      comparators.push(right);
    }
    if (ops.length === 0) return left;
    return this.at(start, { _type: 'Compare', left, ops, comparators });
  }

  private comparisonOperator(): CmpOp | null {
    const token = this.peek();
    if (token.type === 'OP') {
      const op = COMPARISON.get(token.text);
      if (op) this.advance();
      return op ?? null;
    }
    if (this.atKeyword('in')) {
      this.advance();
      return 'In';
    }
    if (this.atKeyword('not') && this.atKeyword('in', 1)) {
      this.pos += 2;
      return 'NotIn';
    }
    if (this.atKeyword('is')) {
      this.advance();
      return this.eatKeyword('not') ? 'IsNot' : 'Is';
    }
    return null;
  }

  // ------------------------------------------------------------ arithmetic

  /** bitwise_or and everything down to `term`, by precedence climbing; all left-associative. */
  protected bitwiseOr(): Expression {
    return this.secondPass ? this.memoized('bitwise_or', () => this.binary(1)) : this.binary(1);
  }

  private binary(minPrecedence: number): Expression {
    const start = this.peek();
    let left = this.factor();
    for (;;) {
      const token = this.peek();
      const operator = token.type === 'OP' ? BINARY.get(token.text) : undefined;
      if (!operator || operator.precedence < minPrecedence) return left;
      const mark = this.pos;
      this.advance();
      const right = this.secondPass ? this.attempt(() => this.binary(operator.precedence + 1)) : this.binary(operator.precedence + 1);
      if (!right) {
        this.pos = mark;
        return left;
      }
      left = this.at(start, { _type: 'BinOp', left, op: operator.op, right });
    }
  }

  /** factor: `('+' | '-' | '~') factor | power`. */
  private factor(): Expression {
    return this.secondPass ? this.memoized('factor', () => this.factorRule()) : this.factorRule();
  }

  private factorRule(): Expression {
    const token = this.peek();
    if (token.type !== 'OP' || (token.text !== '+' && token.text !== '-' && token.text !== '~')) return this.power();
    this.advance();
    const operand = this.factor();
    const op = token.text === '+' ? 'UAdd' : token.text === '-' ? 'USub' : 'Invert';
    return this.at(token, { _type: 'UnaryOp', op, operand });
  }

  /** power: `await_primary '**' factor | await_primary`. */
  private power(): Expression {
    const start = this.peek();
    const base = this.awaitPrimary();
    if (!this.atOp('**')) return base;
    const mark = this.pos;
    this.advance();
    const exponent = this.secondPass ? this.attempt(() => this.factor()) : this.factor();
    if (!exponent) {
      this.pos = mark;
      return base;
    }
    return this.at(start, { _type: 'BinOp', left: base, op: 'Pow', right: exponent });
  }

  private awaitPrimary(): Expression {
    if (this.atKeyword('await')) this.raiseAt(this.peek(), `await expressions are ${UNSUPPORTED}`);
    return this.primary();
  }

  // ------------------------------------------------------------ primaries

  /** primary: an atom and its trailers — `.name`, a call, a subscript. */
  protected primary(): Expression {
    return this.secondPass ? this.memoized('primary', () => this.primaryRule()) : this.primaryRule();
  }

  private primaryRule(): Expression {
    const start = this.peek();
    let e = this.atom();
    for (;;) {
      if (this.atOp('.')) {
        const mark = this.pos;
        this.advance();
        if (!this.atName()) {
          this.pos = mark;
          return e;
        }
        const attr = this.advance();
        e = this.at(start, { _type: 'Attribute', value: e, attr: identifier(attr), ctx: 'Load' });
      } else if (this.atOp('(')) {
        const call = this.attempt(() => this.callTrailer(start, e));
        if (!call) return e;
        e = call;
      } else if (this.atOp('[')) {
        const mark = this.pos;
        this.advance();
        const slice = this.attempt(() => this.slices());
        if (!slice || !this.eatOp(']')) {
          this.pos = mark;
          return e;
        }
        e = this.at(start, { _type: 'Subscript', value: e, slice, ctx: 'Load' });
      } else {
        return e;
      }
    }
  }

  /** `primary genexp | primary '(' [arguments] ')'`. */
  private callTrailer(start: Token, func: Expression): Expression {
    if (this.secondPass) {
      // The grammar's order, for its `invalid_` rules: the generator first, then the arguments.
      const genexp = this.attempt(() => this.genexp());
      if (genexp) return this.at(start, { _type: 'Call', func, args: [genexp], keywords: [] });
      this.expectOp('(');
      const args = this.atOp(')') ? null : this.arguments();
      this.expectOp(')');
      return this.at(start, { _type: 'Call', func, args: args?.args ?? [], keywords: args?.keywords ?? [] });
    }
    // First pass: a generator is an argument followed by `for`; read it once either way.
    const open = this.expectOp('(');
    if (this.eatOp(')')) return this.at(start, { _type: 'Call', func, args: [], keywords: [] });
    const mark = this.pos;
    const first = this.attempt(() => this.plainArgument());
    if (first) this.firstArgument = { start: mark, end: this.pos, value: first };
    if (first && (this.atKeyword('for') || this.atKeyword('async'))) {
      const generators = this.forIfClauses();
      this.expectOp(')');
      const genexp: Expression = this.at(open, { _type: 'GeneratorExp', elt: first, generators });
      return this.at(start, { _type: 'Call', func, args: [genexp], keywords: [] });
    }
    this.pos = mark;
    const args = this.arguments();
    this.expectOp(')');
    return this.at(start, { _type: 'Call', func, args: args.args, keywords: args.keywords });
  }

  /** slices: one slice, or a Tuple of slices and starred expressions. */
  private slices(): Expression {
    const start = this.peek();
    const first = this.sliceOrStarred();
    if (first._type !== 'Starred' && !this.atOp(',')) return first;
    const elts = [first];
    while (this.atOp(',')) {
      const mark = this.pos;
      this.advance();
      const next = this.attempt(() => this.sliceOrStarred());
      if (!next) {
        this.pos = mark + 1;
        break;
      }
      elts.push(next);
    }
    return this.at(start, { _type: 'Tuple', elts, ctx: 'Load' });
  }

  private sliceOrStarred(): Expression {
    if (this.atOp('*')) {
      const star = this.advance();
      return this.at(star, { _type: 'Starred', value: this.expression(), ctx: 'Load' });
    }
    return this.slice();
  }

  /** slice: `[expression] ':' [expression] [':' [expression]] | named_expression`. */
  private slice(): Expression {
    const start = this.peek();
    const mark = this.pos;
    const lower = this.atOp(':') ? null : this.attempt(() => this.expression());
    if (this.eatOp(':')) {
      const upper = this.sliceBound();
      const step = this.eatOp(':') ? this.sliceBound() : null;
      return this.at(start, { _type: 'Slice', lower, upper, step });
    }
    // Not a slice: a named_expression, which in the first pass is the expression just read.
    if (lower && !this.secondPass && !this.atOp(':=')) return lower;
    this.pos = mark;
    return this.namedExpression();
  }

  /** `[expression]` in a slice; it cannot start at the `:`, `,` or `]` after it. */
  private sliceBound(): Expression | null {
    if (this.atOp(':') || this.atOp(',') || this.atOp(']')) return null;
    return this.attempt(() => this.expression());
  }

  // ------------------------------------------------------------ atoms

  protected atom(): Expression {
    const token = this.peek();
    switch (token.type) {
      case 'NAME':
        if (token.text === 'True' || token.text === 'False' || token.text === 'None') {
          this.advance();
          const value = token.text === 'None' ? null : token.text === 'True';
          return this.at(token, { _type: 'Constant', value, kind: null });
        }
        return this.name(this.nameToken());
      case 'NUMBER':
        this.advance();
        return this.at(token, { _type: 'Constant', value: numberValue(token.text), kind: null });
      case 'STRING':
        return this.strings();
      case 'OP':
        switch (token.text) {
          case '(':
            return this.parenthesized();
          // A display is tried as each of its kinds in turn, the one inside it too: kept, in both
          // passes, so that nested displays that fail are not read again at every level.
          case '[':
            return this.memoized('display', () => this.attempt(() => this.list()) ?? this.listcomp());
          case '{':
            return this.memoized('display', () => this.braced());
          case '...':
            this.advance();
            return this.at(token, { _type: 'Constant', value: Ellipsis, kind: null });
        }
    }
    return this.noMatch();
  }

  protected nameToken(): Token {
    return this.atName() ? this.advance() : this.noMatch();
  }

  protected name(token: Token): Name {
    return { _type: 'Name', id: identifier(token), ctx: 'Load', lineno: token.lineno, col_offset: token.col_offset, end_lineno: token.end_lineno, end_col_offset: token.end_col_offset };
  }

  /** strings: adjacent STRING tokens, one node. */
  private strings(): Expression {
    return this.secondPass ? this.memoized('strings', () => this.stringsRule()) : this.stringsRule();
  }

  private stringsRule(): Expression {
    const tokens: Token[] = [];
    while (this.atType('STRING')) tokens.push(this.advance());
    this.peek(); // `STRING+` reads the token after: errors below point there
    const context: StringContext = {
      error: (msg) => this.raiseHere(msg),
      errorAt: (token, msg) => this.raiseAt(token, msg),
      expression: (token, brace, end) => this.fstringExpression(token, brace, end),
    };
    return concatenateStrings(tokens, context);
  }

  /**
   * An f-string's `{expression}`, parsed as CPython 3.11's `fstring_compile_expr` does: the text
   * `(expression)` as a source of its own, placed so that its positions are the file's.
   */
  private fstringExpression(token: Token, brace: number, end: number): Expression {
    const text = token.text;
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < brace; i = text.indexOf('\n', i + 1)) lines++;
    // Whitespace then a newline after the brace: the expression starts on a line of its own.
    let newlineAfterBrace = true;
    for (let i = brace + 1; i < text.length && text[i] !== '}' && text[i] !== '\n'; i++) {
      if (text[i] !== ' ' && text[i] !== '\t' && text[i] !== '\f') {
        newlineAfterBrace = false;
        break;
      }
    }
    let cols = 0;
    if (!newlineAfterBrace) {
      const lineStart = text.lastIndexOf('\n', brace) + 1;
      cols = utf8Length(text.slice(lineStart, brace));
    }
    const origin = { line: token.lineno + lines, column: lines !== 0 ? cols : token.col_offset + cols };
    const source = new SourceText(`(${text.slice(brace + 1, end)})`, this.source.filename, origin);
    return ExpressionParser.parseFragment(source);
  }

  /**
   * `&'(' (tuple | group | genexp)`. The second pass tries the three in turn, for their
   * `invalid_` rules; the first reads the first element once and lets the next token decide,
   * which accepts the same texts without reading nested parentheses again and again.
   */
  private parenthesized(): Expression {
    if (this.secondPass) return this.attempt(() => this.tuple()) ?? this.attempt(() => this.group()) ?? this.genexp();
    const open = this.expectOp('(');
    if (this.eatOp(')')) return this.at(open, { _type: 'Tuple', elts: [], ctx: 'Load' });
    if (this.atKeyword('yield')) {
      const value = this.yieldExpr();
      this.expectOp(')');
      return value;
    }
    const first = this.starNamedExpression();
    if (this.eatOp(',')) {
      const elts = this.atOp(')') ? [first] : [first, ...this.starNamedExpressions()];
      this.expectOp(')');
      return this.at(open, { _type: 'Tuple', elts, ctx: 'Load' });
    }
    if (first._type === 'Starred') return this.noMatch();
    if (this.eatOp(')')) return first;
    const generators = this.forIfClauses();
    this.expectOp(')');
    return this.at(open, { _type: 'GeneratorExp', elt: first, generators });
  }

  /** tuple: `'(' [star_named_expression ',' [star_named_expressions]] ')'`. */
  private tuple(): Expression {
    const open = this.expectOp('(');
    const elts: Expression[] = [];
    if (!this.atOp(')')) {
      elts.push(this.starNamedExpression());
      this.expectOp(',');
      if (!this.atOp(')')) elts.push(...this.starNamedExpressions());
    }
    this.expectOp(')');
    return this.at(open, { _type: 'Tuple', elts, ctx: 'Load' });
  }

  /** group: `'(' (yield_expr | named_expression) ')' | invalid_group`. */
  private group(): Expression {
    const mark = this.pos;
    this.expectOp('(');
    const inner = this.attempt(() => (this.atKeyword('yield') ? this.yieldExpr() : this.namedExpression()));
    if (inner && this.eatOp(')')) return inner;
    this.pos = mark;
    if (this.callInvalidRules) {
      this.advance();
      const starred = this.attempt(() => this.starredExpression());
      if (starred && this.atOp(')')) this.raiseAt(starred, 'cannot use starred expression here');
      this.pos = mark + 1;
      if (this.atOp('**')) {
        const stars = this.advance();
        if (this.attempt(() => this.expression()) && this.atOp(')')) this.raiseAt(stars, 'cannot use double starred expression here');
      }
      this.pos = mark;
    }
    return this.noMatch();
  }

  /** genexp: `'(' (assignment_expression | expression !':=') for_if_clauses ')' | invalid_comprehension`. */
  private genexp(): Expression {
    const mark = this.pos;
    const open = this.expectOp('(');
    const result = this.attempt(() => {
      const elt = this.plainArgument();
      const generators = this.forIfClauses();
      this.expectOp(')');
      return this.at(open, { _type: 'GeneratorExp', elt, generators });
    });
    if (result) return result;
    this.pos = mark;
    if (this.callInvalidRules) this.invalidComprehension();
    return this.noMatch();
  }

  /** `(assignment_expression | expression !':=')`: a generator's element, or a positional argument. */
  private plainArgument(): Expression {
    if (this.atName() && this.atOp(':=', 1)) return this.assignmentExpression();
    const e = this.expression();
    if (this.atOp(':=')) this.noMatch();
    return e;
  }

  /** list: `'[' [star_named_expressions] ']'`. */
  private list(): Expression {
    const open = this.expectOp('[');
    const elts = this.atOp(']') ? [] : this.starNamedExpressions();
    this.expectOp(']');
    return this.at(open, { _type: 'List', elts, ctx: 'Load' });
  }

  /** listcomp: `'[' named_expression for_if_clauses ']' | invalid_comprehension`. */
  private listcomp(): Expression {
    const mark = this.pos;
    const result = this.attempt(() => {
      const open = this.expectOp('[');
      const elt = this.namedExpression();
      const generators = this.forIfClauses();
      this.expectOp(']');
      return this.at(open, { _type: 'ListComp', elt, generators });
    });
    if (result) return result;
    if (this.callInvalidRules) this.invalidComprehension();
    this.pos = mark;
    return this.noMatch();
  }

  /** `&'{' (dict | set | dictcomp | setcomp)`. */
  private braced(): Expression {
    return (
      this.attempt(() => this.dict()) ??
      this.attempt(() => this.set()) ??
      this.attempt(() => this.dictcomp()) ??
      this.setcomp()
    );
  }

  /** dict: `'{' [double_starred_kvpairs] '}' | '{' invalid_double_starred_kvpairs '}'`. */
  private dict(): Expression {
    const mark = this.pos;
    const open = this.expectOp('{');
    const keys: (Expression | null)[] = [];
    const values: Expression[] = [];
    const pairs = this.attempt(() => {
      if (this.atOp('}')) return true;
      this.doubleStarredKvpair(keys, values);
      while (this.atOp(',')) {
        const comma = this.pos;
        this.advance();
        if (!this.attempt(() => this.doubleStarredKvpair(keys, values))) {
          this.pos = comma + 1;
          break;
        }
      }
      return true;
    });
    if (pairs && this.eatOp('}')) return this.at(open, { _type: 'Dict', keys, values });
    // `'{' invalid_double_starred_kvpairs '}'`: CPython's generator guards only alternatives that
    // are an invalid_ rule alone, so this one runs in the first pass too.
    this.pos = mark + 1;
    this.invalidDoubleStarredKvpairs();
    this.pos = mark;
    return this.noMatch();
  }

  /** double_starred_kvpair: `'**' bitwise_or | expression ':' expression`, added to keys and values. */
  private doubleStarredKvpair(keys: (Expression | null)[], values: Expression[]): true {
    if (this.eatOp('**')) {
      const value = this.bitwiseOr();
      keys.push(null);
      values.push(value);
      return true;
    }
    const [key, value] = this.kvpair();
    keys.push(key);
    values.push(value);
    return true;
  }

  private kvpair(): [Expression, Expression] {
    const key = this.expression();
    this.expectOp(':');
    return [key, this.expression()];
  }

  /** invalid_double_starred_kvpairs, and invalid_kvpair within it: a key without `:` or value. */
  private invalidDoubleStarredKvpairs(): void {
    const mark = this.pos;
    // ','.double_starred_kvpair+ ',' invalid_kvpair
    const pairs = this.attempt(() => {
      this.doubleStarredKvpair([], []);
      for (;;) {
        const comma = this.pos;
        if (!this.eatOp(',') || !this.attempt(() => this.doubleStarredKvpair([], []))) {
          this.pos = comma;
          return true;
        }
      }
    });
    if (pairs && this.eatOp(',')) this.invalidKvpair(true);
    this.pos = mark;
    this.invalidKvpair(false);
    this.pos = mark;
  }

  /** invalid_kvpair (`afterPairs`), or the same checks as the first pair of invalid_double_starred_kvpairs. */
  private invalidKvpair(afterPairs: boolean): void {
    const mark = this.pos;
    const key = this.attempt(() => this.expression());
    if (!key) return;
    if (!this.atOp(':')) {
      if (afterPairs) this.raiseAtColumn(key.lineno, key.end_col_offset - 1, key.end_lineno, "':' expected after dictionary key");
      return;
    }
    const colon = this.advance();
    if (this.atOp('*')) {
      const star = this.advance();
      if (this.attempt(() => this.bitwiseOr())) this.raiseFrom(star, 'cannot use a starred expression in a dictionary value');
    } else if (this.atOp('}') || this.atOp(',')) {
      this.raiseAt(colon, "expression expected after dictionary key and ':'");
    }
    this.pos = mark;
  }

  /** set: `'{' star_named_expressions '}'`. */
  private set(): Expression {
    const open = this.expectOp('{');
    const elts = this.starNamedExpressions();
    this.expectOp('}');
    return this.at(open, { _type: 'Set', elts });
  }

  /** dictcomp: `'{' kvpair for_if_clauses '}' | invalid_dict_comprehension`. */
  private dictcomp(): Expression {
    const mark = this.pos;
    const open = this.expectOp('{');
    const result = this.attempt(() => {
      const [key, value] = this.kvpair();
      const generators = this.forIfClauses();
      this.expectOp('}');
      return this.at(open, { _type: 'DictComp', key, value, generators });
    });
    if (result) return result;
    if (this.callInvalidRules && this.atOp('**')) {
      const stars = this.advance();
      if (this.attempt(() => this.bitwiseOr()) && this.attempt(() => this.forIfClauses()) && this.atOp('}')) {
        this.raiseAt(stars, 'dict unpacking cannot be used in dict comprehension');
      }
    }
    this.pos = mark;
    return this.noMatch();
  }

  /** setcomp: `'{' named_expression for_if_clauses '}' | invalid_comprehension`. */
  private setcomp(): Expression {
    const mark = this.pos;
    const result = this.attempt(() => {
      const open = this.expectOp('{');
      const elt = this.namedExpression();
      const generators = this.forIfClauses();
      this.expectOp('}');
      return this.at(open, { _type: 'SetComp', elt, generators });
    });
    if (result) return result;
    if (this.callInvalidRules) this.invalidComprehension();
    this.pos = mark;
    return this.noMatch();
  }

  /** invalid_comprehension, at the opening bracket. */
  private invalidComprehension(): void {
    const mark = this.pos;
    const open = this.advance();
    // ('[' | '(' | '{') a=starred_expression for_if_clauses
    const starred = this.attempt(() => this.starredExpression());
    if (starred && this.attempt(() => this.forIfClauses())) {
      this.raiseAt(starred, 'iterable unpacking cannot be used in comprehension');
    }
    this.pos = mark + 1;
    if (open.text !== '(') {
      // ('[' | '{') a=star_named_expression ',' b=star_named_expressions for_if_clauses
      const first = this.attempt(() => this.starNamedExpression());
      if (first && this.atOp(',')) {
        const afterComma = this.pos + 1;
        const comma = this.advance();
        const rest = this.attempt(() => this.starNamedExpressions());
        if (rest && this.attempt(() => this.forIfClauses())) {
          this.raiseRange(first, rest[rest.length - 1]!, 'did you forget parentheses around the comprehension target?');
        }
        // ('[' | '{') a=star_named_expression b=',' for_if_clauses
        this.pos = afterComma;
        if (this.attempt(() => this.forIfClauses())) {
          this.raiseRange(first, comma, 'did you forget parentheses around the comprehension target?');
        }
      }
    }
    this.pos = mark;
  }

  /** starred_expression: `'*' expression`. */
  private starredExpression(): Starred {
    const star = this.expectOp('*');
    const value = this.expression();
    return this.at(star, { _type: 'Starred', value, ctx: 'Load' });
  }

  // ------------------------------------------------------------ comprehensions

  /** for_if_clauses: one or more `for target in iterable [if condition]...`. */
  protected forIfClauses(): Comprehension[] {
    const clauses = [this.forIfClause()];
    for (;;) {
      if (!this.atKeyword('for') && !this.atKeyword('async')) return clauses;
      const clause = this.attempt(() => this.forIfClause());
      if (!clause) return clauses;
      clauses.push(clause);
    }
  }

  private forIfClause(): Comprehension {
    if (this.atKeyword('async') && this.atKeyword('for', 1)) {
      this.raiseAt(this.peek(), `asynchronous comprehensions are ${UNSUPPORTED}`);
    }
    this.expectKeyword('for');
    const afterFor = this.pos;
    const target = this.attempt(() => {
      const t = this.starTargets();
      this.expectKeyword('in');
      return t;
    });
    if (!target) {
      if (this.callInvalidRules) {
        this.pos = afterFor;
        this.invalidForTarget();
      }
      return this.noMatch();
    }
    // The cut (`~`): after `in`, no other way to read this clause.
    const iter = this.disjunction();
    const ifs: Expression[] = [];
    while (this.atKeyword('if')) {
      const mark = this.pos;
      this.advance();
      const condition = this.attempt(() => this.disjunction());
      if (!condition) {
        this.pos = mark;
        break;
      }
      ifs.push(condition);
    }
    return { _type: 'comprehension', target, iter, ifs, is_async: 0 };
  }

  /** invalid_for_target: after `for`, what cannot be assigned to. */
  protected invalidForTarget(): void {
    const mark = this.pos;
    const e = this.attempt(() => this.starExpressions());
    const invalid = e && invalidTarget(e, 'for');
    if (invalid) this.raiseAt(invalid, `cannot assign to ${exprName(invalid)}`);
    this.pos = mark;
  }

  // ------------------------------------------------------------ targets

  /** star_targets: a target, or the Tuple of `a, *b` (Store). */
  protected starTargets(): Expression {
    const start = this.peek();
    const first = this.starTarget();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.atOp(',')) {
      const mark = this.pos;
      this.advance();
      const next = this.attempt(() => this.starTarget());
      if (!next) {
        this.pos = mark + 1;
        break;
      }
      elts.push(next);
    }
    return this.at(start, { _type: 'Tuple', elts, ctx: 'Store' });
  }

  /** star_target: `'*' (!'*' star_target) | target_with_star_atom`, read as a primary and checked. */
  protected starTarget(): Expression {
    if (this.atOp('*')) {
      const star = this.advance();
      if (this.atOp('*')) this.noMatch();
      const value = this.starTarget();
      return this.at(star, { _type: 'Starred', value, ctx: 'Store' });
    }
    return asTarget(this.primary(), 'Store', true) ?? this.noMatch();
  }

  // ------------------------------------------------------------ call arguments

  /** arguments: `args [','] &')' | invalid_arguments`. */
  protected arguments(): CallArguments {
    const start = this.pos;
    const args = this.attempt(() => {
      const parsed = this.args();
      this.eatOp(',');
      return this.atOp(')') ? parsed : this.noMatch();
    });
    if (args) return args;
    if (this.callInvalidRules) {
      this.pos = start;
      this.invalidArguments();
    }
    this.pos = start;
    return this.noMatch();
  }

  /** args: positional arguments, then `[',' kwargs]`; or kwargs alone. */
  private args(): CallArguments {
    const start = this.peek();
    const positional = this.attempt(() => this.positionalArguments()) ?? [];
    let kwargs: (Expression | Keyword)[] = [];
    if (positional.length === 0) {
      kwargs = this.kwargs();
    } else {
      const mark = this.pos;
      const more = this.eatOp(',') && this.attempt(() => this.kwargs());
      if (more) kwargs = more;
      else this.pos = mark;
    }
    // `_PyPegen_collect_call_seqs`: starred arguments among the keywords join the positional ones.
    const args = [...positional, ...kwargs.filter((k): k is Expression => k._type === 'Starred')];
    const keywords = kwargs.filter((k): k is Keyword => k._type === 'keyword');
    return this.at(start, { args, keywords });
  }

  /** `','.(starred_expression | (assignment_expression | expression !':=') !'=')+` */
  private positionalArguments(): Expression[] {
    const positional = [this.positionalArgument()];
    for (;;) {
      const mark = this.pos;
      const item = this.eatOp(',') && this.attempt(() => this.positionalArgument());
      if (!item) {
        this.pos = mark;
        return positional;
      }
      positional.push(item);
    }
  }

  /** `starred_expression | (assignment_expression | expression !':=') !'='`. */
  private positionalArgument(): Expression {
    if (this.atOp('*')) return this.starredExpression();
    // The first pass may have read this argument already, to see whether a generator follows.
    const cached = this.firstArgument;
    let e: Expression;
    if (cached && cached.start === this.pos && !this.secondPass) {
      this.pos = cached.end;
      e = cached.value;
    } else e = this.plainArgument();
    if (this.atOp('=')) this.noMatch();
    return e;
  }

  /**
   * kwargs: `kwarg_or_starred` items, then `kwarg_or_double_starred` items: `*iterable` may
   * come among keywords, but not after a `**mapping`.
   */
  private kwargs(): (Expression | Keyword)[] {
    const items: (Expression | Keyword)[] = [];
    const list = (item: () => Expression | Keyword): boolean => {
      const first = this.attempt(item);
      if (!first) return false;
      items.push(first);
      for (;;) {
        const mark = this.pos;
        const next = this.eatOp(',') && this.attempt(item);
        if (!next) {
          this.pos = mark;
          return true;
        }
        items.push(next);
      }
    };
    if (list(() => this.kwargOrStarred())) {
      const mark = this.pos;
      if (!(this.eatOp(',') && list(() => this.kwargOrDoubleStarred()))) this.pos = mark;
      return items;
    }
    if (list(() => this.kwargOrDoubleStarred())) return items;
    return this.noMatch();
  }

  private kwargOrStarred(): Expression | Keyword {
    if (this.callInvalidRules) this.invalidKwarg();
    if (this.atName() && this.atOp('=', 1)) return this.keyword();
    return this.starredExpression();
  }

  private kwargOrDoubleStarred(): Expression | Keyword {
    if (this.callInvalidRules) this.invalidKwarg();
    if (this.atName() && this.atOp('=', 1)) return this.keyword();
    const stars = this.expectOp('**');
    const value = this.expression();
    return this.at(stars, { _type: 'keyword', arg: null, value });
  }

  private keyword(): Keyword {
    const name = this.advance();
    this.advance(); // '='
    const value = this.expression();
    return this.at(name, { _type: 'keyword', arg: identifier(name), value });
  }

  /** invalid_kwarg: `True=1`, `x=y for y in z`, `a.b=1`. */
  private invalidKwarg(): void {
    const mark = this.pos;
    const token = this.peek();
    if ((token.text === 'True' || token.text === 'False' || token.text === 'None') && token.type === 'NAME' && this.atOp('=', 1)) {
      this.raiseRange(token, this.peek(1), `cannot assign to ${token.text}`);
    }
    if (this.atName() && this.atOp('=', 1)) {
      const equals = this.peek(1);
      this.pos += 2;
      if (this.attempt(() => this.expression()) && this.attempt(() => this.forIfClauses())) {
        this.raiseRange(token, equals, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      }
      this.pos = mark;
      return;
    }
    const e = this.attempt(() => this.expression());
    if (e && this.atOp('=')) this.raiseRange(e, this.peek(), 'expression cannot contain assignment, perhaps you meant "=="?');
    this.pos = mark;
  }

  /** invalid_arguments: the ways an argument list goes wrong, in CPython's order. */
  private invalidArguments(): void {
    const start = this.pos;
    const from = (): void => {
      this.pos = start;
    };
    // Keywords, then ',' '*' (3.11.7's rule, which points at the '*')
    const keywordsFirst =
      this.attempt(() => {
        this.positionalArguments();
        this.expectOp(',');
        return this.kwargs();
      }) ?? this.attempt(() => this.kwargs());
    if (keywordsFirst && this.eatOp(',') && this.atOp('*')) {
      this.raiseAt(this.peek(), 'iterable argument unpacking follows keyword argument unpacking');
    }
    // a=expression b=for_if_clauses ',' [args | expression for_if_clauses]
    from();
    const e = this.attempt(() => this.expression());
    const clauses = e && this.attempt(() => this.forIfClauses());
    if (e && clauses && this.eatOp(',')) {
      // The rule reads what may follow before it raises, and the tokenizer may fail there first.
      if (!this.attempt(() => this.args())) this.attempt(() => [this.expression(), this.forIfClauses()]);
      this.raiseRange(e, lastComprehensionItem(clauses), 'Generator expression must be parenthesized');
    }
    // a=NAME b='=' expression for_if_clauses
    from();
    if (this.atName() && this.atOp('=', 1)) {
      const name = this.advance();
      const equals = this.advance();
      if (this.attempt(() => this.expression()) && this.attempt(() => this.forIfClauses())) {
        this.raiseRange(name, equals, "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
      }
    }
    // a=args b=for_if_clauses: a generator after other arguments
    from();
    let args = this.attempt(() => this.args());
    const after = args && this.attempt(() => this.forIfClauses());
    if (args && after && args.args.length > 1) {
      this.raiseRange(args.args[args.args.length - 1]!, lastComprehensionItem(after), 'Generator expression must be parenthesized');
    }
    // args ',' a=expression b=for_if_clauses
    from();
    args = this.attempt(() => this.args());
    if (args && this.eatOp(',')) {
      const element = this.attempt(() => this.expression());
      const generators = element && this.attempt(() => this.forIfClauses());
      if (element && generators) this.raiseRange(element, lastComprehensionItem(generators), 'Generator expression must be parenthesized');
    }
    // a=args ',' args: a positional argument after keywords
    from();
    args = this.attempt(() => this.args());
    if (args && this.eatOp(',') && this.attempt(() => this.args())) {
      const unpacking = args.keywords.some((k) => k.arg === null);
      this.raiseHere(unpacking ? 'positional argument follows keyword argument unpacking' : 'positional argument follows keyword argument');
    }
    from();
  }

  // ------------------------------------------------------------ lambdas and parameters

  /** lambdef: `'lambda' [lambda_params] ':' expression`. */
  private lambdef(): Expression {
    const start = this.expectKeyword('lambda');
    const args = this.atOp(':') ? emptyArguments() : (this.params(LAMBDA_PARAMETERS) ?? this.noMatch());
    this.expectOp(':');
    const body = this.expression();
    return this.at(start, { _type: 'Lambda', args, body });
  }

  /** The parameters of a `def`, between its parentheses, or null if there are none. */
  protected defParameters(): Arguments | null {
    return this.atOp(')') ? null : this.params(DEF_PARAMETERS);
  }

  /** params: `invalid_parameters | parameters`. */
  private params(style: ParameterStyle): Arguments | null {
    if (this.callInvalidRules) this.invalidParameters(style);
    if (!this.secondPass) {
      const mark = this.pos;
      const simple = this.attempt(() => this.plainParameters(style));
      if (simple) return simple;
      this.pos = mark;
    }
    return this.attempt(() => this.parameters(style));
  }

  /**
   * The first pass's shortcut through `parameters`: one reading, left to right, of a parameter
   * list in the order the grammar allows (positional, `/`, `*args` or `*`, keyword-only,
   * `**kwargs`). It gives the tree `parameters` gives, or null where it would need the grammar's
   * alternatives, which are then tried as written.
   */
  private plainParameters(style: ParameterStyle): Arguments | null {
    let posonlyargs: Arg[] = [];
    let plain: Arg[] = [];
    const defaults: Expression[] = [];
    let vararg: Arg | null = null;
    let star = false;
    const kwonly: NameDefault[] = [];
    let kwarg: Arg | null = null;
    while (!this.atOp(style.closer)) {
      if (kwarg) return null;
      if (this.atOp('/')) {
        if (star || posonlyargs.length > 0 || plain.length === 0) return null;
        this.advance();
        posonlyargs = plain;
        plain = [];
      } else if (this.atOp('*')) {
        if (star) return null;
        this.advance();
        star = true;
        if (this.atName()) {
          vararg = this.param(style, this.atOp(':', 1) && this.atOp('*', 2));
        } else if (!this.atOp(',') || this.atOp(style.closer, 1) || this.atOp('**', 1)) {
          return null; // a bare `*` must have named parameters after it
        }
      } else if (this.atOp('**')) {
        this.advance();
        kwarg = this.param(style);
      } else {
        const arg = this.param(style);
        const value = this.atOp('=') ? this.default() : null;
        if (star) kwonly.push({ arg, value });
        else if (value) {
          plain.push(arg);
          defaults.push(value);
        } else if (defaults.length > 0) return null;
        else plain.push(arg);
      }
      if (!this.eatOp(',') && !this.atOp(style.closer)) return null;
    }
    if (star && !vararg && kwonly.length === 0) return null;
    return {
      _type: 'arguments',
      posonlyargs,
      args: plain,
      vararg,
      kwonlyargs: kwonly.map((p) => p.arg),
      kw_defaults: kwonly.map((p) => p.value),
      kwarg,
      defaults,
    };
  }

  /** parameters: its five alternatives, by where the `/` is and whether defaults come first. */
  private parameters(style: ParameterStyle): Arguments {
    const many = <T>(rule: () => T): T[] => {
      const items: T[] = [];
      for (let item = this.attempt(rule); item; item = this.attempt(rule)) items.push(item);
      return items;
    };
    const starEtc = (): StarEtc | null => this.attempt(() => this.starEtc(style));
    const noDefault = (): Arg => this.paramNoDefault(style);
    const withDefault = (): NameDefault => this.paramWithDefault(style);
    return (
      // slash_no_default param_no_default* param_with_default* [star_etc]
      this.attempt(() => {
        const posonly = this.slashNoDefault(style);
        return makeArguments(posonly, [], many(noDefault), many(withDefault), starEtc());
      }) ??
      // slash_with_default param_with_default* [star_etc]
      this.attempt(() => {
        const slash = this.slashWithDefault(style);
        const rest = many(withDefault);
        return makeArguments([...slash.plain, ...slash.withDefaults.map((p) => p.arg)], slash.withDefaults, [], rest, starEtc());
      }) ??
      // param_no_default+ param_with_default* [star_etc]
      this.attempt(() => {
        const plain = many(noDefault);
        if (plain.length === 0) this.noMatch();
        return makeArguments([], [], plain, many(withDefault), starEtc());
      }) ??
      // param_with_default+ [star_etc]
      this.attempt(() => {
        const defaults = many(withDefault);
        if (defaults.length === 0) this.noMatch();
        return makeArguments([], [], [], defaults, starEtc());
      }) ??
      // star_etc
      makeArguments([], [], [], [], this.starEtc(style))
    );
  }

  /** param: `NAME annotation?` (no annotation in a lambda); `*args` may be annotated with a starred expression. */
  private param(style: ParameterStyle, starAnnotation = false): Arg {
    const name = this.nameToken();
    let annotation: Expression | null = null;
    if (!style.lambda && this.atOp(':')) {
      this.advance();
      annotation = starAnnotation ? this.starExpression() : this.expression();
    }
    return this.at(name, { _type: 'arg', arg: identifier(name), annotation, type_comment: null });
  }

  /** After a parameter: a comma, or the closer ahead. */
  private paramEnd(style: ParameterStyle): void {
    if (!this.eatOp(',') && !this.atOp(style.closer)) this.noMatch();
  }

  private paramNoDefault(style: ParameterStyle, starAnnotation = false): Arg {
    const arg = this.param(style, starAnnotation);
    this.paramEnd(style);
    return arg;
  }

  private paramWithDefault(style: ParameterStyle): NameDefault {
    const arg = this.param(style);
    const value = this.default();
    this.paramEnd(style);
    return { arg, value };
  }

  private paramMaybeDefault(style: ParameterStyle): NameDefault {
    const arg = this.param(style);
    const value = this.atOp('=') ? this.default() : null;
    this.paramEnd(style);
    return { arg, value };
  }

  /** default: `'=' expression | invalid_default`. */
  private default(): Expression {
    const equals = this.expectOp('=');
    const value = this.attempt(() => this.expression());
    if (value) return value;
    if (this.callInvalidRules && (this.atOp(')') || this.atOp(','))) this.raiseAt(equals, 'expected default value expression');
    return this.noMatch();
  }

  private slashNoDefault(style: ParameterStyle): Arg[] {
    const plain: Arg[] = [];
    for (let p = this.attempt(() => this.paramNoDefault(style)); p; p = this.attempt(() => this.paramNoDefault(style))) plain.push(p);
    if (plain.length === 0) this.noMatch();
    this.expectOp('/');
    this.paramEnd(style);
    return plain;
  }

  private slashWithDefault(style: ParameterStyle): SlashWithDefault {
    const plain: Arg[] = [];
    for (let p = this.attempt(() => this.paramNoDefault(style)); p; p = this.attempt(() => this.paramNoDefault(style))) plain.push(p);
    const withDefaults: NameDefault[] = [];
    for (let p = this.attempt(() => this.paramWithDefault(style)); p; p = this.attempt(() => this.paramWithDefault(style))) withDefaults.push(p);
    if (withDefaults.length === 0) this.noMatch();
    this.expectOp('/');
    this.paramEnd(style);
    return { plain, withDefaults };
  }

  /** star_etc: `*args` or a bare `*`, keyword-only parameters, `**kwargs`. */
  private starEtc(style: ParameterStyle): StarEtc {
    if (this.callInvalidRules) this.invalidStarEtc(style);
    const maybeDefaults = (): NameDefault[] => {
      const items: NameDefault[] = [];
      for (let p = this.attempt(() => this.paramMaybeDefault(style)); p; p = this.attempt(() => this.paramMaybeDefault(style))) items.push(p);
      return items;
    };
    const kwds = (): Arg | null => this.attempt(() => this.kwds(style));
    if (this.atOp('*')) {
      const mark = this.pos;
      this.advance();
      const vararg = this.attempt(() => this.paramNoDefault(style)) ?? (style.lambda ? null : this.attempt(() => this.paramNoDefault(style, true)));
      if (vararg) return { vararg, kwonly: maybeDefaults(), kwarg: kwds() };
      if (this.eatOp(',')) {
        const kwonly = maybeDefaults();
        if (kwonly.length > 0) return { vararg: null, kwonly, kwarg: kwds() };
      }
      this.pos = mark;
    }
    return { vararg: null, kwonly: [], kwarg: this.kwds(style) };
  }

  /** kwds: `invalid_kwds | '**' param_no_default`. */
  private kwds(style: ParameterStyle): Arg {
    if (this.callInvalidRules) this.invalidKwds(style);
    this.expectOp('**');
    return this.paramNoDefault(style);
  }

  /** invalid_parameters (and invalid_lambda_parameters): the order parameters must come in. */
  private invalidParameters(style: ParameterStyle): void {
    const start = this.pos;
    const many = (rule: () => unknown): number => {
      let n = 0;
      while (this.attempt(rule)) n++;
      return n;
    };
    const noDefault = (): Arg => this.paramNoDefault(style);
    const maybeDefault = (): NameDefault => this.paramMaybeDefault(style);
    const slash = (): unknown => this.attempt(() => this.slashNoDefault(style)) ?? this.slashWithDefault(style);

    // param_no_default* invalid_parameters_helper a=param_no_default
    many(noDefault);
    const helper = this.attempt(() => this.slashWithDefault(style)) ?? (many(() => this.paramWithDefault(style)) > 0 || null);
    if (helper) {
      const after = this.attempt(noDefault);
      if (after) this.raiseAt(after, 'non-default argument follows default argument');
    }
    // param_no_default* a='(' param_no_default+ ','? b=')'  (a lambda's: ','.lambda_param+)
    this.pos = start;
    many(noDefault);
    if (this.atOp('(')) {
      const open = this.advance();
      const inner = style.lambda
        ? this.attempt(() => {
            this.param(style);
            while (this.atOp(',') && this.atName(1)) {
              this.advance();
              this.param(style);
            }
            return true;
          })
        : many(() => this.paramNoDefault({ closer: ')', lambda: false })) > 0;
      if (inner) {
        this.eatOp(',');
        if (this.atOp(')')) {
          const what = style.lambda ? 'Lambda expression parameters' : 'Function parameters';
          this.raiseRange(open, this.peek(), `${what} cannot be parenthesized`);
        }
      }
    }
    // a="/" ','
    this.pos = start;
    if (this.atOp('/') && this.atOp(',', 1)) this.raiseAt(this.peek(), 'at least one argument must precede /');
    // (slash_no_default | slash_with_default) param_maybe_default* a='/'
    if (this.attempt(slash)) {
      many(maybeDefault);
      if (this.atOp('/')) this.raiseAt(this.peek(), '/ may appear only once');
    }
    // (slash_no_default | slash_with_default)? param_maybe_default* '*' (',' | param_no_default) param_maybe_default* a='/'
    this.pos = start;
    this.attempt(slash);
    many(maybeDefault);
    if (this.eatOp('*') && (this.eatOp(',') || this.attempt(noDefault))) {
      many(maybeDefault);
      if (this.atOp('/')) this.raiseAt(this.peek(), '/ must be ahead of *');
    }
    // param_maybe_default+ '/' a='*'
    this.pos = start;
    if (many(maybeDefault) > 0 && this.eatOp('/') && this.atOp('*')) this.raiseAt(this.peek(), 'expected comma between / and *');
    this.pos = start;
  }

  /** invalid_star_etc (and invalid_lambda_star_etc). */
  private invalidStarEtc(style: ParameterStyle): void {
    const start = this.pos;
    if (!this.atOp('*')) return;
    const star = this.advance();
    // a='*' (')' | ',' (')' | '**')) — a lambda's is raised at the last token read
    const closer = style.closer;
    if (this.atOp(closer) || (this.atOp(',') && (this.atOp(closer, 1) || this.atOp('**', 1)))) {
      if (style.lambda) {
        this.peek(this.atOp(',') ? 1 : 0);
        this.raiseHere('named arguments must follow bare *');
      }
      this.raiseAt(star, 'named arguments must follow bare *');
    }
    // '*' param a='='
    if (this.attempt(() => this.param(style)) && this.atOp('=')) this.raiseAt(this.peek(), 'var-positional argument cannot have default value');
    // '*' (param_no_default | ',') param_maybe_default* a='*' (param_no_default | ',')
    this.pos = start + 1;
    if (this.eatOp(',') || this.attempt(() => this.paramNoDefault(style))) {
      while (this.attempt(() => this.paramMaybeDefault(style)));
      if (this.atOp('*')) {
        const again = this.advance();
        if (this.eatOp(',') || this.attempt(() => this.paramNoDefault(style))) this.raiseAt(again, '* argument may appear only once');
      }
    }
    this.pos = start;
  }

  /** invalid_kwds (and invalid_lambda_kwds). */
  private invalidKwds(style: ParameterStyle): void {
    const start = this.pos;
    if (!this.eatOp('**') || !this.attempt(() => this.param(style))) {
      this.pos = start;
      return;
    }
    if (this.atOp('=')) this.raiseAt(this.peek(), 'var-keyword argument cannot have default value');
    if (this.eatOp(',')) {
      const after = this.attempt(() => this.param(style));
      if (after) this.raiseAt(after, 'arguments cannot follow var-keyword argument');
      if (this.atOp('*') || this.atOp('**') || this.atOp('/')) this.raiseAt(this.peek(), 'arguments cannot follow var-keyword argument');
    }
    this.pos = start;
  }
}

/** A NAME's identifier, NFKC-normalized beyond ASCII (PEP 3131). */
function identifier(token: Token): string {
  const text = token.text;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return text.normalize('NFKC');
  return text;
}

/** `_PyPegen_check_legacy_stmt`: `print` and `exec`, Python 2's statements. */
function isLegacyName(e: Expression): boolean {
  return e._type === 'Name' && (e.id === 'print' || e.id === 'exec');
}

/** `_PyPegen_get_last_comprehension_item`: where a generator's text ends. */
function lastComprehensionItem(clauses: readonly Comprehension[]): Expression {
  const last = clauses[clauses.length - 1]!;
  return last.ifs.length > 0 ? last.ifs[last.ifs.length - 1]! : last.iter;
}

/** `_PyPegen_make_arguments`. */
function makeArguments(
  posonlyargs: readonly Arg[],
  posonlyDefaults: readonly NameDefault[],
  plain: readonly Arg[],
  withDefaults: readonly NameDefault[],
  star: StarEtc | null,
): Arguments {
  return {
    _type: 'arguments',
    posonlyargs,
    args: [...plain, ...withDefaults.map((p) => p.arg)],
    vararg: star?.vararg ?? null,
    kwonlyargs: star?.kwonly.map((p) => p.arg) ?? [],
    kw_defaults: star?.kwonly.map((p) => p.value) ?? [],
    kwarg: star?.kwarg ?? null,
    defaults: [...posonlyDefaults, ...withDefaults].map((p) => p.value!),
  };
}

export function emptyArguments(): Arguments {
  return { _type: 'arguments', posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [] };
}
