/**
 * The compiler's entry: source text to a module Code (parse, symbol table, closures). Errors
 * come out as PySyntaxError, whether the parser or the compiler found them.
 */
import { parse } from '../../parse.ts';
import { Code } from '../frame.ts';
import type { VM } from '../vm.ts';
import { CompileContext } from './context.ts';
import { SymbolTable } from './scope.ts';
import { compileBlock } from './statements.ts';

export interface CompileOptions {
  readonly filename: string;
  /** REPL mode: expression statements echo their values (sys.displayhook). */
  readonly interactive?: boolean;
}

export function compileModule(vm: VM, source: string, options: CompileOptions): Code {
  const tree = parse(source, { filename: options.filename });
  const lines = source.split(/\r\n|\r|\n/);
  vm.sources.set(options.filename, lines);
  const table = new SymbolTable(tree);
  const context = new CompileContext(vm, table, table.top, options.filename, lines, options.interactive ?? false);
  const problem = table.problems[0];
  if (problem) throw context.syntaxError(problem.message, problem.node);
  const code = new Code('<module>', '<module>', options.filename, 1, table.top, { positional: [], positionalOnly: 0, keywordOnly: [], varargs: null, varkw: null }, null);
  code.body = compileBlock(context, tree.body);
  return code;
}
