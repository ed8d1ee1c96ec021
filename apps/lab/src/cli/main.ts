/**
 * refheap-lab: Memory Lab's command line.
 *
 *     refheap-lab list [--json]
 *     refheap-lab run <scenario… | FILE.py…> | --all [--json]
 *     refheap-lab program <scenario>
 *     refheap-lab serve [--port 5177] [--host 127.0.0.1] [--open] [--scenario name]
 *     refheap-lab --version | --help
 *
 * `main` takes the arguments and the streams and returns the exit code, so the
 * tests run it in-process exactly as the binary does.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { labRoot } from '../server/paths.ts';
import { type Colors, colorEnabled, colors, type Palette } from './colors.ts';
import { list } from './commands/list.ts';
import { program } from './commands/program.ts';
import { run } from './commands/run.ts';
import { serve } from './commands/serve.ts';
import { EXIT, type Io, processIo } from './io.ts';

export const DEFAULT_PORT = 5177;

/** The lab's version, from its package.json. */
export function labVersion(): string {
  return (JSON.parse(readFileSync(resolve(labRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

const HELP = `Memory Lab — CPython's memory model, run for real on refheap.

Usage:
  refheap-lab list [--json]                  the scenarios, one line each
  refheap-lab run <scenario…> [--json]       narrate one or more scenarios
  refheap-lab run --all [--json]             narrate every scenario
  refheap-lab run FILE.py [--json]           run your own program, narrated line by line
  refheap-lab program <scenario>             print the scenario as one Python file
  refheap-lab serve [options]                the web lab: graph, collector buttons, memory plot, playground
      --port <n>        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
      --host <address>  address to bind (default 127.0.0.1: this machine only)
      --open            open the page in a browser (prints the address if it cannot)
      --scenario <name> start the page on this scenario (one the page can draw)

Options:
  --json                one JSON document on stdout, { ok, scenarios: [...], programs: [...] }; no colour
  --color, --no-color   force colour on or off (NO_COLOR and FORCE_COLOR are honoured)
  -h, --help            this text
  -v, --version         the lab's version

Exit codes: 0 success, 1 a check differed from CPython 3.11, a program failed (or the server did), 2 a usage error.
`;

const COMMANDS = ['list', 'run', 'program', 'serve'] as const;
/** The options each command takes, besides --color, --help and --version. */
const OPTIONS_OF: Record<(typeof COMMANDS)[number], readonly string[]> = {
  list: ['json'],
  run: ['json', 'all'],
  program: [],
  serve: ['port', 'host', 'open', 'scenario'],
};

/** Node's parser errors, said the way the rest of the CLI speaks. */
function parseError(error: Error): string {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message);
  return unknown ? `unknown option '${unknown[1]}'` : error.message;
}

function usageError(io: Io, c: Colors, message: string): number {
  io.stderr.write(`${c.red('refheap-lab:')} ${message}\nRun 'refheap-lab --help' for the commands and options.\n`);
  return EXIT.usage;
}

export async function main(argv: readonly string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  let parsed;
  const err = colors(colorEnabled(io.stderr, io.env, undefined));
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        color: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        scenario: { type: 'string' },
      },
    });
  } catch (error) {
    return usageError(io, err, parseError(error as Error));
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const palette: Palette = {
    out: colors(!json && colorEnabled(io.stdout, io.env, values.color)),
    err: colors(colorEnabled(io.stderr, io.env, values.color)),
  };
  const [command, ...rest] = positionals;
  if (values.version) {
    io.stdout.write(`refheap-lab ${labVersion()}\n`);
    return EXIT.ok;
  }
  if (values.help || command === 'help') {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  if (command === undefined) {
    io.stderr.write(HELP);
    return EXIT.usage;
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return usageError(io, palette.err, `unknown command '${command}'. The commands are ${COMMANDS.join(', ')}.`);
  }
  const allowed = OPTIONS_OF[command as (typeof COMMANDS)[number]];
  const stray = Object.keys(values).find((key) => !['color', 'help', 'version', ...allowed].includes(key));
  if (stray) return usageError(io, palette.err, `${command} does not take --${stray}`);
  switch (command) {
    case 'list':
      if (rest.length) return usageError(io, palette.err, `list takes no names (got '${rest.join(' ')}')`);
      return list(io, palette, json);
    case 'run':
      return run(io, palette, { names: rest, all: values.all === true, json });
    case 'program':
      return program(io, palette, rest);
    default: {
      if (rest.length) return usageError(io, palette.err, `serve takes no names (got '${rest.join(' ')}'); to start on a scenario use --scenario <name>`);
      const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
      if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port > 65535) {
        return usageError(io, palette.err, `--port must be a whole number from 0 to 65535, not '${values.port}'`);
      }
      return serve(io, palette, { host: values.host ?? '127.0.0.1', port, open: values.open === true, scenario: values.scenario, ...(signal ? { signal } : {}) });
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
