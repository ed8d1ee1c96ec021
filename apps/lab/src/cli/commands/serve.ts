/**
 * `refheap-lab serve`: builds the page if needed, serves it on 127.0.0.1 (or
 * --host) and keeps running until interrupted. With --open it tries the user's
 * browser and, if none can be started, prints the URL to open by hand.
 * `--scenario` must name a scenario the page can draw; anything else is refused
 * with the drawable ones listed (and the nearest suggested), never shown as another.
 */
import { ensureWebBuilt } from '../../server/build-web.ts';
import { webDist } from '../../server/paths.ts';
import { openBrowser } from '../../server/open-browser.ts';
import { PortInUseError, type RunningServer, serveStatic } from '../../server/static-server.ts';
import { findScenario, scenarios } from '../../registry.ts';
import type { Colors, Palette } from '../colors.ts';
import { EXIT, type Io } from '../io.ts';
import { closest } from '../suggest.ts';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly open: boolean;
  readonly scenario: string | undefined;
  /** Tests pass a signal to stop the server; the CLI stops on Ctrl-C. */
  readonly signal?: AbortSignal;
  readonly onListening?: (server: RunningServer) => void;
}

/** Refuses a --scenario the page cannot show: unknown, or making too many objects to draw. */
function notDrawable(io: Io, c: Colors, name: string): number {
  const drawable = scenarios.filter((s) => s.drawable).map((s) => s.name);
  const guess = closest(name, drawable);
  const why = findScenario(name)
    ? `the page cannot show '${name}': it makes too many objects to draw (run it in the terminal: refheap-lab run ${name})`
    : `there is no scenario called '${name}'`;
  io.stderr.write(`${c.red('refheap-lab:')} ${why}.${guess ? ` Did you mean '${guess}'?` : ''}\n`);
  io.stderr.write(`The scenarios the page draws are:\n${drawable.map((n) => `  ${n}`).join('\n')}\n`);
  return EXIT.usage;
}

export async function serve(io: Io, palette: Palette, options: ServeOptions): Promise<number> {
  const { out: c, err } = palette;
  if (options.scenario !== undefined && findScenario(options.scenario)?.drawable !== true) return notDrawable(io, err, options.scenario);
  // Listen first, so a taken port is reported at once; then build the page if it is missing or stale.
  let server: RunningServer;
  try {
    server = await serveStatic(webDist, { host: options.host, port: options.port });
  } catch (error) {
    if (error instanceof PortInUseError) {
      io.stderr.write(`${err.red('refheap-lab:')} ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
  try {
    await ensureWebBuilt(webDist, (line) => io.stderr.write(`${err.dim(line)}\n`));
  } catch (error) {
    await server.close();
    io.stderr.write(`${err.red('refheap-lab:')} could not build the web page: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  const url = options.scenario ? `${server.url}#${options.scenario}` : server.url;
  io.stdout.write(`${c.bold('Memory Lab')} is at ${c.cyan(url)}  ${c.dim('(Ctrl-C stops it)')}\n`);
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    io.stderr.write(err.yellow(`note: listening on ${options.host}, reachable from other machines on that network\n`));
  }
  options.onListening?.(server);
  if (options.open) {
    const result = await openBrowser(url, io.env);
    if (!result.opened) io.stdout.write(`Could not open a browser (${result.reason ?? 'unknown reason'}). Open this address yourself:\n  ${url}\n`);
  }
  await new Promise<void>((done) => {
    const stop = (): void => done();
    options.signal?.addEventListener('abort', stop, { once: true });
    if (!options.signal) {
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }
  });
  await server.close();
  return EXIT.ok;
}
