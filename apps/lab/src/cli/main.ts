/**
 * refheap-lab: Memory Lab's command line.
 *
 *     refheap-lab list [--json]
 *     refheap-lab run <scenario…> | --all [--json]
 *     refheap-lab serve [--port 5177] [--host 127.0.0.1] [--open] [--scenario name]
 *
 * `main` takes the arguments and the streams and returns the exit code, so the
 * tests run it in-process exactly as the binary does.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { colorEnabled, colors } from './colors.ts';
import { list } from './commands/list.ts';
import { run } from './commands/run.ts';
import { serve } from './commands/serve.ts';
import { EXIT, type Io, processIo } from './io.ts';

export const DEFAULT_PORT = 5177;

const HELP = `Memory Lab — CPython's memory model, run for real on refheap.

Usage:
  refheap-lab list [--json]                  the scenarios, one line each
  refheap-lab run <scenario…> [--json]       narrate one or more scenarios
  refheap-lab run --all [--json]             narrate every scenario
  refheap-lab serve [options]                the web lab: graph, collector buttons, memory plot, playground
      --port <n>        port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
      --host <address>  address to bind (default 127.0.0.1: this machine only)
      --open            open the page in a browser (prints the address if it cannot)
      --scenario <name> start the page on this scenario

Options:
  --json                one JSON document on stdout, no colour, no progress
  --color, --no-color   force colour on or off (NO_COLOR and FORCE_COLOR are honoured)
  -h, --help            this text

Exit codes: 0 success, 1 a number differed from CPython 3.11 (or the server failed), 2 a usage error.
`;

export async function main(argv: readonly string[], io: Io = processIo, signal?: AbortSignal): Promise<number> {
  let parsed;
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
        port: { type: 'string' },
        host: { type: 'string' },
        open: { type: 'boolean' },
        scenario: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr.write(`refheap-lab: ${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const json = values.json === true;
  const c = colors(!json && colorEnabled(io.stdout, io.env, values.color));
  const [command, ...rest] = positionals;
  if (values.help || command === 'help' || command === undefined) {
    (command === undefined && !values.help ? io.stderr : io.stdout).write(HELP);
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok;
  }
  switch (command) {
    case 'list':
      return list(io, c, json);
    case 'run':
      return run(io, c, { names: rest, all: values.all === true, json });
    case 'serve': {
      const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        io.stderr.write(`refheap-lab: --port must be a whole number from 0 to 65535, not '${values.port}'\n`);
        return EXIT.usage;
      }
      return serve(io, c, { host: values.host ?? '127.0.0.1', port, open: values.open === true, scenario: values.scenario, ...(signal ? { signal } : {}) });
    }
    default:
      io.stderr.write(`refheap-lab: unknown command '${command}'. The commands are list, run and serve.\n\n${HELP}`);
      return EXIT.usage;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
