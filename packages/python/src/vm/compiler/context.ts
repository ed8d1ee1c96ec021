/**
 * What the compiler carries while it turns one module's tree into closures: the VM the code
 * will run on, the symbol table, the scope being compiled, and whether a `break` or `return`
 * is allowed where it stands (CPython's compiler raises those SyntaxErrors, not its parser).
 */
import type * as ast from '../../ast.ts';
import { PySyntaxError } from '../../syntax-error.ts';
import type { Ref } from '@refheap/core';
import type { Scope, SymbolTable } from './scope.ts';
import type { VM } from '../vm.ts';

export class CompileContext {
  /** Loops enclosing the statement being compiled, in the current function (for break/continue). */
  loops = 0;
  /** Enclosing class names and function names, for __qualname__. */
  qualnames: string[] = [];
  readonly #constants = new Map<Scope, Map<string, Ref>>();

  /** The constants of the code object compiled for `scope` (its co_consts), by value. */
  constantsOf(scope: Scope): Map<string, Ref> {
    let constants = this.#constants.get(scope);
    if (constants === undefined) this.#constants.set(scope, (constants = new Map<string, Ref>()));
    return constants;
  }

  constructor(
    readonly vm: VM,
    readonly table: SymbolTable,
    public scope: Scope,
    readonly filename: string,
    readonly lines: readonly string[],
    /** A REPL line: expression statements at top level echo their value. */
    readonly interactive: boolean,
  ) {}

  /** A SyntaxError at `node`, as the compiler raises it. */
  syntaxError(message: string, node: ast.Position): PySyntaxError {
    const text = this.lines[node.lineno - 1] ?? null;
    return new PySyntaxError('SyntaxError', {
      msg: message,
      filename: this.filename,
      lineno: node.lineno,
      offset: columnToOffset(text, node.col_offset) + 1,
      end_lineno: node.end_lineno ?? node.lineno,
      end_offset: node.end_lineno === node.lineno ? columnToOffset(text, node.end_col_offset) + 1 : 0,
      text: text === null ? null : `${text}\n`,
    });
  }

  /** A feature refheap-python does not run: a SyntaxError that names it. */
  unsupported(what: string, node: ast.Position): PySyntaxError {
    return this.syntaxError(`${what} is not supported by refheap-python`, node);
  }

  qualname(name: string): string {
    return [...this.qualnames, name].join('.');
  }
}

/** A UTF-8 byte column as a character offset in the line. */
function columnToOffset(text: string | null, column: number): number {
  if (text === null) return column;
  let bytes = 0;
  let chars = 0;
  for (const ch of text) {
    if (bytes >= column) break;
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    chars += 1;
  }
  return chars;
}
