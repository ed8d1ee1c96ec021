#!/usr/bin/env node
/**
 * refheap-python: `refheap-python lesson.py`, `refheap-python -c "code"`, or a REPL that echoes
 * values as python3's does. `--json` prints one JSON object (stdout, stderr, exitCode, error,
 * heap statistics) instead of the program's own output, for programs that read the result.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { PySyntaxError, parse } from './index.ts';
import { Python } from './python.ts';

interface Options {
  json: boolean;
  code: string | null;
  file: string | null;
  stepLimit: number | undefined;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, code: null, file: null, stepLimit: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (arg === '-c') options.code = argv[++i] ?? usage('-c needs an argument');
    else if (arg === '--steps') options.stepLimit = Number(argv[++i] ?? usage('--steps needs a number'));
    else if (arg === '-h' || arg === '--help') usage(null);
    else if (arg.startsWith('-')) usage(`unknown option ${arg}`);
    else {
      options.file = arg;
      break;
    }
  }
  return options;
}

function usage(problem: string | null): never {
  const text = 'usage: refheap-python [--json] [--steps N] [-c code | file.py]\n';
  if (problem) process.stderr.write(`refheap-python: ${problem}\n${text}`);
  else process.stdout.write(text);
  process.exit(problem ? 2 : 0);
}

/**
 * CPython's recursion limit of 1000 needs more JS stack than Node's default (about 690 Python
 * calls fit): the command runs itself again with a 3 MB stack, well inside the main thread's.
 */
function withLargerStack(): boolean {
  if (process.execArgv.some((arg) => arg.startsWith('--stack-size'))) return false;
  const child = spawnSync(process.execPath, ['--stack-size=3000', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exitCode = child.status ?? 1;
  return true;
}

function main(): void {
  if (withLargerStack()) return;
  // A reader that stops early (`| head`) ends the run quietly rather than with a JS stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const options = parseArgs(process.argv.slice(2));
  if (options.code === null && options.file === null) return repl();
  let source: string;
  let filename: string;
  if (options.code !== null) {
    source = options.code;
    filename = '<string>';
  } else {
    filename = options.file!;
    try {
      source = readFileSync(filename, 'utf8');
    } catch {
      process.stderr.write(`refheap-python: can't open file '${filename}': [Errno 2] No such file or directory\n`);
      process.exit(2);
    }
  }
  const py = new Python({
    stepLimit: options.stepLimit,
    onStdout: options.json ? undefined : (text) => process.stdout.write(text),
    onStderr: options.json ? undefined : (text) => process.stderr.write(text),
  });
  const result = py.runMain(source, { filename });
  if (options.json) {
    const stats = py.heap.stats();
    process.stdout.write(
      `${JSON.stringify({ ...result, heap: { live: stats.live, bytes: stats.bytes, allocations: stats.allocations, deallocations: stats.deallocations } })}\n`,
    );
  }
  process.exitCode = result.exitCode;
}

/** Whether `source` is an unfinished statement the REPL should ask more lines for. */
function incomplete(source: string): boolean {
  try {
    parse(source, { filename: '<stdin>' });
    return /:\s*$/.test(source.split('\n').filter((line) => line.trim() !== '').pop() ?? '');
  } catch (error) {
    if (!(error instanceof PySyntaxError)) return false;
    return /was never closed|unexpected EOF|expected an indented block|EOF while scanning|unterminated triple-quoted/.test(error.msg);
  }
}

function repl(): void {
  const py = new Python({ onStdout: (text) => process.stdout.write(text), onStderr: (text) => process.stderr.write(text) });
  const terminal = process.stdin.isTTY === true;
  if (terminal) process.stdout.write('refheap-python (Python 3.11 semantics on a refheap heap)\nType Ctrl-D to exit.\n');
  // Prompts go to stderr off a terminal, as python3 -i writes them, so stdout is the session's output.
  const rl = createInterface({ input: process.stdin, output: terminal ? process.stdout : process.stderr, prompt: '>>> ', terminal });
  let buffer: string[] = [];
  rl.prompt();
  rl.on('line', (line) => {
    buffer.push(line);
    const source = buffer.join('\n');
    // A block ends with an empty line, as in python3's REPL.
    if (line.trim() !== '' && incomplete(source)) {
      rl.setPrompt('... ');
      rl.prompt();
      return;
    }
    buffer = [];
    if (source.trim() !== '') py.run(`${source}\n`, { filename: '<stdin>', interactive: true });
    rl.setPrompt('>>> ');
    rl.prompt();
  });
  rl.on('close', () => {
    if (terminal) process.stdout.write('\n');
    py.shutdown();
  });
}

main();
