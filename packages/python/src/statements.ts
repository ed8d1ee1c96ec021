/**
 * Statements, and the module they make up, as in CPython 3.11's Grammar/python.gram. Compound
 * statements are chosen by their keyword; a simple statement that starts with an expression is
 * read as one and becomes an assignment if `=`, `:` or an augmented operator follows, its
 * targets checked then — which accepts exactly what CPython's `star_targets` accept. In the
 * second pass, `invalidAssignment` tries CPython's `invalid_assignment` alternatives in order.
 */
import type {
  Alias,
  Arguments,
  Attribute,
  ExceptHandler,
  Expression,
  Keyword,
  Module,
  Name,
  Operator,
  Statement,
  Subscript,
  WithItem,
} from './ast.ts';
import { ExpressionParser, UNSUPPORTED, emptyArguments } from './expressions.ts';
import type { SourceText } from './source-text.ts';
import { asTarget, exprName, invalidTarget } from './targets.ts';
import type { Token } from './tokens.ts';

const AUGMENTED: ReadonlyMap<string, Operator> = new Map([
  ['+=', 'Add'], ['-=', 'Sub'], ['*=', 'Mult'], ['@=', 'MatMult'], ['/=', 'Div'], ['%=', 'Mod'], ['&=', 'BitAnd'],
  ['|=', 'BitOr'], ['^=', 'BitXor'], ['<<=', 'LShift'], ['>>=', 'RShift'], ['**=', 'Pow'], ['//=', 'FloorDiv'],
]);

export class StatementParser extends ExpressionParser {
  /** The `file` start rule: a module. */
  static parseModule(source: SourceText): Module {
    const parser = new StatementParser(source);
    return parser.run(() => parser.file());
  }

  /** file: `[statements] ENDMARKER`. */
  private file(): Module {
    const body: Statement[] = [];
    while (!this.atType('ENDMARKER')) body.push(...this.statement());
    return { _type: 'Module', body, type_ignores: [] };
  }

  /** statement: `compound_stmt | simple_stmts`. */
  private statement(): Statement[] {
    const token = this.peek();
    if (token.type === 'NAME') {
      switch (token.text) {
        case 'def':
          return [this.functionDef([])];
        case 'class':
          return [this.classDef([])];
        case 'if':
          return [this.ifStatement()];
        case 'while':
          return [this.whileStatement()];
        case 'for':
          return [this.forStatement()];
        case 'with':
          return [this.withStatement()];
        case 'try':
          return [this.tryStatement()];
        case 'async':
          return this.refuseAsync();
        case 'match':
          this.refuseMatch();
      }
    } else if (token.type === 'OP' && token.text === '@') {
      return [this.decorated()];
    }
    return this.simpleStatements();
  }

  /** A block: an indented suite after NEWLINE, or simple statements on the same line. */
  private block(after: string): Statement[] {
    // memo, as in the grammar: the second pass may read a block three times (invalid_try_stmt)
    return this.secondPass ? this.memoized('block', () => this.blockRule(after)) : this.blockRule(after);
  }

  private blockRule(after: string): Statement[] {
    if (!this.atType('NEWLINE')) return this.simpleStatements();
    this.advance();
    if (!this.atType('INDENT')) {
      if (this.callInvalidRules) this.raiseHere(`expected an indented block after ${after}`, 'IndentationError');
      return this.noMatch();
    }
    this.advance();
    const body: Statement[] = [];
    while (!this.atType('DEDENT')) body.push(...this.statement());
    this.advance();
    return body;
  }

  /** `'x' ':'`, where the second pass says "expected ':'" if the line ends instead. */
  private colon(): void {
    if (this.callInvalidRules && this.atType('NEWLINE')) this.raiseHere("expected ':'");
    this.expectOp(':');
  }

  // ------------------------------------------------------------ simple statements

  /** simple_stmts: `simple_stmt (';' simple_stmt)* [';'] NEWLINE`. */
  private simpleStatements(): Statement[] {
    const statements = [this.simpleStatement()];
    while (this.eatOp(';')) {
      if (this.atType('NEWLINE')) break;
      statements.push(this.simpleStatement());
    }
    this.expectType('NEWLINE');
    return statements;
  }

  private simpleStatement(): Statement {
    const start = this.peek();
    if (start.type === 'NAME') {
      switch (start.text) {
        case 'pass':
          this.advance();
          return this.at(start, { _type: 'Pass' });
        case 'break':
          this.advance();
          return this.at(start, { _type: 'Break' });
        case 'continue':
          this.advance();
          return this.at(start, { _type: 'Continue' });
        case 'return': {
          this.advance();
          const value = this.attempt(() => this.starExpressions());
          return this.at(start, { _type: 'Return', value });
        }
        case 'raise':
          return this.raiseStatement();
        case 'global':
        case 'nonlocal': {
          this.advance();
          const names = [this.name(this.nameToken()).id];
          while (this.atOp(',') && this.atName(1)) {
            this.advance();
            names.push(this.name(this.advance()).id);
          }
          return this.at(start, { _type: start.text === 'global' ? 'Global' : 'Nonlocal', names });
        }
        case 'del':
          return this.delStatement();
        case 'assert': {
          this.advance();
          const test = this.expression();
          const msg = this.atOp(',') ? this.attempt(() => this.afterOp(',', () => this.expression())) : null;
          return this.at(start, { _type: 'Assert', test, msg });
        }
        case 'import':
          return this.importName();
        case 'from':
          return this.importFrom();
        case 'yield': {
          const value = this.yieldExpr();
          if (this.atOp('=')) {
            if (this.callInvalidRules) this.raiseAt(value, 'assignment to yield expression not possible');
            this.noMatch();
          }
          return this.at(start, { _type: 'Expr', value });
        }
      }
    }
    return this.callInvalidRules ? this.expressionStatementWithDiagnosis() : this.expressionStatement();
  }

  /**
   * An expression statement, or an assignment to it (`assignment` in the grammar): `a = b`,
   * `a: int = b`, `a += b`. Targets are checked once the operator after them is known.
   */
  private expressionStatement(): Statement {
    const start = this.peek();
    const first = this.starExpressions();
    const next = this.peek();
    if (next.type !== 'OP') return this.at(start, { _type: 'Expr', value: first });
    if (next.text === '=') return this.assign(start, first);
    if (next.text === ':') return this.annotatedAssign(start, first);
    const op = AUGMENTED.get(next.text);
    if (op) {
      const target = singleTarget(first) ?? this.noMatch();
      this.advance();
      const value = this.assignedValue();
      return this.at(start, { _type: 'AugAssign', target, op, value });
    }
    return this.at(start, { _type: 'Expr', value: first });
  }

  /** `(star_targets '=')+ (yield_expr | star_expressions) !'='`. */
  private assign(start: Token, first: Expression): Statement {
    const targets: Expression[] = [];
    let value = first;
    while (this.atOp('=')) {
      targets.push(asTarget(value, 'Store') ?? this.noMatch());
      this.advance();
      value = this.assignedValue();
    }
    return this.at(start, { _type: 'Assign', targets, value, type_comment: null });
  }

  /** `NAME ':' expression ['=' annotated_rhs]`, or the same with an attribute, subscript, or target in parentheses. */
  private annotatedAssign(start: Token, first: Expression): Statement {
    const target = singleTarget(first) ?? this.noMatch();
    // `simple` is 1 for a bare name: a name in parentheses is not simple.
    const simple = first._type === 'Name' && start.type === 'NAME' ? 1 : 0;
    this.advance();
    const annotation = this.expression();
    // `['=' annotated_rhs]`: a `=` with nothing after it is left for simple_stmts to refuse.
    const value = this.atOp('=') ? this.attempt(() => this.afterOp('=', () => this.assignedValue())) : null;
    return this.at(start, { _type: 'AnnAssign', target, annotation, value, simple });
  }

  /** `yield_expr | star_expressions`: what an assignment assigns. */
  private assignedValue(): Expression {
    return this.atKeyword('yield') ? this.yieldExpr() : this.starExpressions();
  }

  /**
   * The second pass: an assignment if the statement is one; if not, CPython's
   * `invalid_assignment` has its say before the statement is read as an expression.
   */
  private expressionStatementWithDiagnosis(): Statement {
    const mark = this.pos;
    const assignment = this.attempt(() => {
      const statement = this.expressionStatement();
      return statement._type === 'Expr' ? this.noMatch() : statement;
    });
    if (assignment) return assignment;
    this.pos = mark;
    this.invalidAssignment();
    this.pos = mark;
    const start = this.peek();
    const value = this.starExpressions();
    return this.at(start, { _type: 'Expr', value });
  }

  /** invalid_assignment, its alternatives in CPython's order. */
  private invalidAssignment(): void {
    const mark = this.pos;
    const annotated = (): boolean => this.eatOp(':') !== null && this.attempt(() => this.expression()) !== null;

    // a=invalid_ann_assign_target ':' expression
    const annTarget = this.attempt(() => this.invalidAnnAssignTarget());
    if (annTarget && annotated()) this.raiseAt(annTarget, `only single target (not ${exprName(annTarget)}) can be annotated`);
    // a=star_named_expression ',' star_named_expressions* ':' expression
    this.pos = mark;
    const first = this.attempt(() => this.starNamedExpression());
    if (first && this.eatOp(',')) {
      while (this.attempt(() => this.starNamedExpressions()));
      if (annotated()) this.raiseAt(first, 'only single target (not tuple) can be annotated');
    }
    // a=expression ':' expression
    this.pos = mark;
    const single = this.attempt(() => this.expression());
    if (single && annotated()) this.raiseAt(single, 'illegal target for annotation');
    // (star_targets '=')* a=star_expressions '='
    const afterTargets = (): void => {
      this.pos = mark;
      for (;;) {
        const before = this.pos;
        if (!(this.attempt(() => this.starTargets()) && this.eatOp('='))) {
          this.pos = before;
          return;
        }
      }
    };
    afterTargets();
    const assigned = this.attempt(() => this.starExpressions());
    const invalid = assigned && this.atOp('=') ? invalidTarget(assigned, 'star') : null;
    if (invalid) this.raiseAt(invalid, `cannot assign to ${exprName(invalid)}`);
    // (star_targets '=')* a=yield_expr '='
    afterTargets();
    const yielded = this.atKeyword('yield') ? this.attempt(() => this.yieldExpr()) : null;
    if (yielded && this.atOp('=')) this.raiseAt(yielded, 'assignment to yield expression not possible');
    // a=star_expressions augassign (yield_expr | star_expressions)
    this.pos = mark;
    const augmented = this.attempt(() => this.starExpressions());
    const operator = this.peek();
    if (augmented && operator.type === 'OP' && AUGMENTED.has(operator.text)) {
      this.advance();
      if (this.attempt(() => this.assignedValue())) {
        this.raiseAt(augmented, `'${exprName(augmented)}' is an illegal expression for augmented assignment`);
      }
    }
    this.pos = mark;
  }

  /** invalid_ann_assign_target: `list | tuple | '(' invalid_ann_assign_target ')'`. */
  private invalidAnnAssignTarget(): Expression {
    // An atom that is a list or a tuple: a tuple atom has its parentheses, and `((a, b))` is one too.
    const e = this.atom();
    return e._type === 'List' || e._type === 'Tuple' ? e : this.noMatch();
  }

  /** raise_stmt: `'raise' expression ['from' expression] | 'raise'`. */
  private raiseStatement(): Statement {
    const start = this.advance();
    const exc = this.attempt(() => this.expression());
    const cause = exc && this.atKeyword('from') ? this.attempt(() => this.afterKeyword('from', () => this.expression())) : null;
    return this.at(start, { _type: 'Raise', exc, cause });
  }

  /** `['as' NAME]`: the name, or null with nothing read. */
  private asName(): string | null {
    if (!this.atKeyword('as') || !this.atName(1)) return null;
    this.advance();
    return this.name(this.advance()).id;
  }

  /** del_stmt: `'del' del_targets &(';' | NEWLINE) | invalid_del_stmt`. */
  private delStatement(): Statement {
    const start = this.advance();
    const mark = this.pos;
    const targets = this.attempt(() => {
      const list = [this.delTarget()];
      while (this.atOp(',')) {
        const comma = this.pos;
        this.advance();
        const next = this.attempt(() => this.delTarget());
        if (!next) {
          this.pos = comma + 1;
          break;
        }
        list.push(next);
      }
      return this.atOp(';') || this.atType('NEWLINE') ? list : this.noMatch();
    });
    if (targets) return this.at(start, { _type: 'Delete', targets });
    if (this.callInvalidRules) {
      this.pos = mark;
      const e = this.attempt(() => this.starExpressions());
      const invalid = e && invalidTarget(e, 'del');
      if (invalid) this.raiseAt(invalid, `cannot delete ${exprName(invalid)}`);
    }
    return this.noMatch();
  }

  private delTarget(): Expression {
    return asTarget(this.primary(), 'Del') ?? this.noMatch();
  }

  /** import_name: `'import' dotted_as_names`. */
  private importName(): Statement {
    const start = this.advance();
    const names = [this.dottedAsName()];
    while (this.atOp(',')) {
      const comma = this.pos;
      this.advance();
      const next = this.attempt(() => this.dottedAsName());
      if (!next) {
        this.pos = comma;
        break;
      }
      names.push(next);
    }
    return this.at(start, { _type: 'Import', names });
  }

  private dottedAsName(): Alias {
    const start = this.peek();
    const name = this.dottedName();
    const asname = this.asName();
    return this.at(start, { _type: 'alias', name, asname });
  }

  /** dotted_name: `NAME ('.' NAME)*`, joined as the module's name. */
  private dottedName(): string {
    let name = this.name(this.nameToken()).id;
    while (this.atOp('.') && this.atName(1)) {
      this.advance();
      name += `.${this.name(this.advance()).id}`;
    }
    return name;
  }

  /** import_from: `'from' ('.' | '...')* dotted_name 'import' targets`, or dots alone before `import`. */
  private importFrom(): Statement {
    const start = this.advance();
    let level = 0;
    for (;;) {
      if (this.eatOp('.')) level += 1;
      else if (this.eatOp('...')) level += 3;
      else break;
    }
    const module = level === 0 || !this.atKeyword('import') ? this.dottedName() : null;
    this.expectKeyword('import');
    const names = this.importFromTargets();
    return this.at(start, { _type: 'ImportFrom', module, names, level });
  }

  /** import_from_targets: `'(' names [','] ')' | names !',' | '*' | invalid_import_from_targets`. */
  private importFromTargets(): Alias[] {
    const open = this.eatOp('(');
    if (open) {
      const names = this.importFromAsNames();
      this.eatOp(',');
      this.expectOp(')');
      return names;
    }
    if (this.atOp('*')) {
      const star = this.advance();
      return [this.at(star, { _type: 'alias', name: '*', asname: null })];
    }
    const names = this.importFromAsNames();
    if (this.atOp(',')) {
      if (this.callInvalidRules && this.atType('NEWLINE', 1)) {
        this.advance();
        this.raiseHere('trailing comma not allowed without surrounding parentheses');
      }
      this.noMatch();
    }
    return names;
  }

  private importFromAsNames(): Alias[] {
    const names = [this.importFromAsName()];
    while (this.atOp(',')) {
      const comma = this.pos;
      this.advance();
      const next = this.attempt(() => this.importFromAsName());
      if (!next) {
        this.pos = comma;
        break;
      }
      names.push(next);
    }
    return names;
  }

  private importFromAsName(): Alias {
    const name = this.nameToken();
    const asname = this.asName();
    return this.at(name, { _type: 'alias', name: this.name(name).id, asname });
  }

  // ------------------------------------------------------------ compound statements

  /** if_stmt and elif_stmt: `elif` is an If alone in the orelse of the one before. */
  private ifStatement(): Statement {
    const keyword = this.advance();
    const test = this.namedExpression();
    this.colon();
    // invalid_if_stmt takes the line from the condition; invalid_elif_stmt from the keyword.
    const line = keyword.text === 'if' ? test.lineno : keyword.lineno;
    const body = this.block(`'${keyword.text}' statement on line ${line}`);
    let orelse: Statement[] = [];
    if (this.atKeyword('elif')) orelse = [this.ifStatement()];
    else if (this.atKeyword('else')) orelse = this.elseBlock();
    return this.at(keyword, { _type: 'If', test, body, orelse });
  }

  /** else_block: `'else' &&':' block`. */
  private elseBlock(): Statement[] {
    const keyword = this.advance();
    this.expectForced(':');
    return this.block(`'else' statement on line ${keyword.lineno}`);
  }

  private whileStatement(): Statement {
    const keyword = this.advance();
    const test = this.namedExpression();
    this.colon();
    const body = this.block(`'while' statement on line ${keyword.lineno}`);
    const orelse = this.atKeyword('else') ? this.elseBlock() : [];
    return this.at(keyword, { _type: 'While', test, body, orelse });
  }

  /** for_stmt: `'for' star_targets 'in' ~ star_expressions ':' block [else_block]`. */
  private forStatement(): Statement {
    const keyword = this.advance();
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
    const iter = this.starExpressions();
    this.colon();
    const body = this.block(`'for' statement on line ${keyword.lineno}`);
    const orelse = this.atKeyword('else') ? this.elseBlock() : [];
    return this.at(keyword, { _type: 'For', target, iter, body, orelse, type_comment: null });
  }

  /** with_stmt: items in parentheses, or without. */
  private withStatement(): Statement {
    const keyword = this.advance();
    const afterWith = this.pos;
    let items = this.atOp('(')
      ? this.attempt(() => {
          this.advance();
          const parenthesized = this.withItems();
          this.eatOp(',');
          this.expectOp(')');
          this.expectOp(':');
          return parenthesized;
        })
      : null;
    items ??= this.attempt(() => {
      const plain = this.withItems();
      this.expectOp(':');
      return plain;
    });
    if (!items) {
      if (this.callInvalidRules) this.invalidWithStatement(afterWith);
      return this.noMatch();
    }
    const body = this.block(`'with' statement on line ${keyword.lineno}`);
    return this.at(keyword, { _type: 'With', items, body, type_comment: null });
  }

  /** invalid_with_stmt: items, loosely read, then the end of the line instead of `:`. */
  private invalidWithStatement(afterWith: number): void {
    // ','.(item ['as' star_target])+
    const items = (item: () => Expression): true => {
      for (;;) {
        item();
        const mark = this.pos;
        if (!(this.eatKeyword('as') && this.attempt(() => this.starTarget()))) this.pos = mark;
        const comma = this.pos;
        if (!this.eatOp(',') || !this.lookahead(item)) {
          this.pos = comma;
          return true;
        }
      }
    };
    this.pos = afterWith;
    if (this.attempt(() => items(() => this.expression())) && this.atType('NEWLINE')) this.raiseHere("expected ':'");
    this.pos = afterWith;
    if (this.eatOp('(') && this.attempt(() => items(() => this.expressions()))) {
      this.eatOp(',');
      if (this.eatOp(')') && this.atType('NEWLINE')) this.raiseHere("expected ':'");
    }
    this.pos = afterWith;
  }

  private withItems(): WithItem[] {
    const items = [this.withItem()];
    while (this.atOp(',')) {
      const comma = this.pos;
      this.advance();
      const next = this.attempt(() => this.withItem());
      if (!next) {
        this.pos = comma;
        break;
      }
      items.push(next);
    }
    return items;
  }

  /** with_item: `expression 'as' star_target &(',' | ')' | ':') | invalid_with_item | expression`. */
  private withItem(): WithItem {
    const context = this.expression();
    if (this.atKeyword('as')) {
      const mark = this.pos;
      this.advance();
      const target = this.attempt(() => this.starTarget());
      if (target && (this.atOp(',') || this.atOp(')') || this.atOp(':'))) {
        return { _type: 'withitem', context_expr: context, optional_vars: target };
      }
      if (this.callInvalidRules) {
        this.pos = mark + 1;
        const e = this.attempt(() => this.expression());
        const invalid = e && (this.atOp(',') || this.atOp(')') || this.atOp(':')) ? invalidTarget(e, 'star') : null;
        if (invalid) this.raiseAt(invalid, `cannot assign to ${exprName(invalid)}`);
      }
      this.pos = mark;
    }
    return { _type: 'withitem', context_expr: context, optional_vars: null };
  }

  /** try_stmt: a block, then handlers and `else`, or `finally`, or both. */
  private tryStatement(): Statement {
    const keyword = this.advance();
    this.expectForced(':');
    const description = `'try' statement on line ${keyword.lineno}`;
    if (this.callInvalidRules) {
      const mark = this.pos;
      // invalid_try_stmt: `'try' ':' block !('except' | 'finally')` …
      if (this.attempt(() => this.block(description)) && !this.atKeyword('except') && !this.atKeyword('finally')) {
        this.raiseHere("expected 'except' or 'finally' block");
      }
      // … then `'try' ':' block* except_block+ 'except' '*' …`, which refheap-python meets only as a
      // walk over the handlers (except* it refuses): the walk reads on, and what it reads may raise.
      this.pos = mark;
      this.attempt(() => {
        while (this.attempt(() => this.block(description)));
        if (!this.atKeyword('except')) return this.noMatch();
        this.exceptBlock();
        while (this.atKeyword('except') && this.attempt(() => this.exceptBlock()));
        return true;
      });
      this.pos = mark;
    }
    const body = this.block(description);
    const handlers: ExceptHandler[] = [];
    while (this.atKeyword('except')) handlers.push(this.exceptBlock());
    let orelse: Statement[] = [];
    if (handlers.length > 0 && this.atKeyword('else')) orelse = this.elseBlock();
    let finalbody: Statement[] = [];
    if (this.atKeyword('finally')) {
      const finallyKeyword = this.advance();
      this.expectForced(':');
      finalbody = this.block(`'finally' statement on line ${finallyKeyword.lineno}`);
    } else if (handlers.length === 0) {
      this.noMatch();
    }
    return this.at(keyword, { _type: 'Try', body, handlers, orelse, finalbody });
  }

  /** except_block: `'except' expression ['as' NAME] ':' block | 'except' ':' block`. */
  private exceptBlock(): ExceptHandler {
    const keyword = this.advance();
    if (this.atOp('*')) this.raiseAt(keyword, `except* (exception groups) is ${UNSUPPORTED}`);
    let type: Expression | null = null;
    let name: string | null = null;
    if (!this.atOp(':')) {
      const mark = this.pos;
      type = this.attempt(() => this.expression());
      if (type) name = this.asName();
      if (!type || !this.atOp(':')) {
        if (this.callInvalidRules) this.invalidExceptStatement(mark);
        this.noMatch();
      }
    }
    this.expectOp(':');
    const body = this.block(`'except' statement on line ${keyword.lineno}`);
    return this.at(keyword, { _type: 'ExceptHandler', type, name, body });
  }

  /** invalid_except_stmt, from after `except`. */
  private invalidExceptStatement(mark: number): void {
    const asName = (): void => {
      if (this.atKeyword('as') && this.atName(1)) this.pos += 2;
    };
    // 'except' a=expression ',' expressions ['as' NAME] ':'
    this.pos = mark;
    const first = this.attempt(() => this.expression());
    if (first && this.eatOp(',') && this.attempt(() => this.expressions())) {
      asName();
      if (this.eatOp(':')) this.raiseFrom(first, 'multiple exception types must be parenthesized');
    }
    // 'except' expression ['as' NAME] NEWLINE
    this.pos = mark;
    if (this.attempt(() => this.expression())) {
      asName();
      if (this.atType('NEWLINE')) this.raiseHere("expected ':'");
    }
    // 'except' NEWLINE
    this.pos = mark;
    if (this.atType('NEWLINE')) this.raiseHere("expected ':'");
  }

  /** expressions: `expression (',' expression)* [',']` (a Tuple if there is a comma). */
  private expressions(): Expression {
    const start = this.peek();
    const first = this.expression();
    if (!this.atOp(',')) return first;
    const elts = [first];
    while (this.eatOp(',')) {
      const next = this.attempt(() => this.expression());
      if (!next) break;
      elts.push(next);
    }
    return this.at(start, { _type: 'Tuple', elts, ctx: 'Load' });
  }

  /** class_def_raw: `'class' NAME ['(' [arguments] ')'] ':' block`. */
  private classDef(decorators: Expression[]): Statement {
    const keyword = this.advance();
    const name = this.name(this.nameToken()).id;
    // `['(' [arguments] ')']`
    const args = this.atOp('(')
      ? this.attempt(() => {
          this.advance();
          const parsed = this.atOp(')') ? null : this.arguments();
          this.expectOp(')');
          return parsed ?? { args: [], keywords: [] };
        })
      : null;
    const bases: readonly Expression[] = args?.args ?? [];
    const keywords: readonly Keyword[] = args?.keywords ?? [];
    this.colon();
    const body = this.block(`class definition on line ${keyword.lineno}`);
    return this.at(keyword, { _type: 'ClassDef', name, bases, keywords, body, decorator_list: decorators });
  }

  /** function_def_raw: `'def' NAME &&'(' [params] ')' ['->' expression] &&':' block`. */
  private functionDef(decorators: Expression[]): Statement {
    const keyword = this.advance();
    const name = this.name(this.nameToken()).id;
    this.expectForced('(');
    const args: Arguments = this.defParameters() ?? emptyArguments();
    this.expectOp(')');
    const returns = this.atOp('->') ? this.attempt(() => this.afterOp('->', () => this.expression())) : null;
    this.expectForced(':');
    const body = this.block(`function definition on line ${keyword.lineno}`);
    return this.at(keyword, { _type: 'FunctionDef', name, args, body, decorator_list: decorators, returns, type_comment: null });
  }

  /** decorators: `('@' named_expression NEWLINE)+`, then a class or a function. */
  private decorated(): Statement {
    const decorators: Expression[] = [];
    while (this.eatOp('@')) {
      decorators.push(this.namedExpression());
      this.expectType('NEWLINE');
    }
    if (this.atKeyword('def')) return this.functionDef(decorators);
    if (this.atKeyword('class')) return this.classDef(decorators);
    if (this.atKeyword('async') && this.atKeyword('def', 1)) this.raiseAt(this.peek(), `async functions are ${UNSUPPORTED}`);
    return this.noMatch();
  }

  // ------------------------------------------------------------ refused

  private refuseAsync(): never {
    const token = this.peek();
    const next = this.peek(1);
    if (next.type === 'NAME' && next.text === 'def') this.raiseAt(token, `async functions are ${UNSUPPORTED}`);
    if (next.type === 'NAME' && next.text === 'for') this.raiseAt(token, `async for loops are ${UNSUPPORTED}`);
    if (next.type === 'NAME' && next.text === 'with') this.raiseAt(token, `async with statements are ${UNSUPPORTED}`);
    return this.noMatch();
  }

  /** match_stmt: refused once it is one (`match subject:` and an indented block); else `match` is a name. */
  private refuseMatch(): void {
    const start = this.pos;
    const keyword = this.peek();
    const subject = (): void => {
      this.advance();
      const first = this.starNamedExpression();
      if (first._type === 'Starred' || this.atOp(',')) {
        this.expectOp(',');
        this.attempt(() => this.starNamedExpressions());
      }
    };
    const isMatch = this.lookahead(() => {
      subject();
      this.expectOp(':');
      this.expectType('NEWLINE');
      this.expectType('INDENT');
    });
    if (isMatch) this.raiseAt(keyword, `match statements are ${UNSUPPORTED}`);
    if (this.callInvalidRules) {
      // invalid_match_stmt
      if (this.attempt(subject) !== null) {
        if (this.atType('NEWLINE')) this.raiseHere("expected ':'");
        if (this.eatOp(':') && this.eatTypeNewline() && !this.atType('INDENT')) {
          this.raiseHere(`expected an indented block after 'match' statement on line ${keyword.lineno}`, 'IndentationError');
        }
      }
      this.pos = start;
    }
  }

  private eatTypeNewline(): boolean {
    if (!this.atType('NEWLINE')) return false;
    this.advance();
    return true;
  }
}

/** single_target: a name, attribute or subscript (maybe in parentheses), as a Store target. */
function singleTarget(e: Expression): Name | Attribute | Subscript | null {
  return e._type === 'Name' || e._type === 'Attribute' || e._type === 'Subscript' ? { ...e, ctx: 'Store' } : null;
}
