/**
 * The lab's own small HTTP server: node:http serving the built page, bound to
 * 127.0.0.1 unless told otherwise. A port already taken is reported with a free
 * one to try instead.
 *
 * Hardened for a page a class opens: a request whose Host is not this server's
 * own address is refused (421, against DNS rebinding); only GET and HEAD are
 * answered (405 with Allow otherwise); a malformed or climbing path is a 400 and
 * nothing a client sends can stop the server; every response, errors included,
 * carries the security headers (CSP, nosniff, no framing, no referrer).
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { allowedHosts, hostAllowed } from './allowed-hosts.ts';
import { requestPath } from './request-path.ts';
import { SECURITY_HEADERS } from './security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export class PortInUseError extends Error {
  readonly port: number;
  readonly host: string;
  readonly suggestion: number | undefined;
  constructor(host: string, port: number, suggestion: number | undefined) {
    super(
      `port ${port} on ${host} is already in use` +
        (suggestion === undefined ? '; try another with --port' : `; try --port ${suggestion} (it is free)`),
    );
    this.name = 'PortInUseError';
    this.host = host;
    this.port = port;
    this.suggestion = suggestion;
  }
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createNetServer();
    probe.once('error', () => done(false));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
}

/** The first free port after `port`, looking a little way ahead. */
export async function freePortAfter(host: string, port: number): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(port + 20, 65535); candidate++) {
    if (await portIsFree(host, candidate)) return candidate;
  }
  return undefined;
}

const ALLOW = 'GET, HEAD';

function inside(base: string, file: string): boolean {
  return file === base || file.startsWith(base + sep);
}

/** A plain-text answer with the security headers; no body for HEAD. */
function refuse(request: IncomingMessage, response: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...extra });
  response.end(request.method === 'HEAD' ? undefined : `${text}\n`);
}

/** The file to send for `segments`, or undefined when there is none (directories give their index.html). */
function fileFor(base: string, realBase: string, segments: readonly string[]): { path: string; size: number } | undefined {
  let path = resolve(base, ...segments);
  if (!inside(base, path)) return undefined;
  try {
    let stat = statSync(path);
    if (stat.isDirectory()) {
      path = join(path, 'index.html');
      stat = statSync(path);
    }
    // A symbolic link must not lead out of the site either.
    if (!stat.isFile() || !inside(realBase, realpathSync(path))) return undefined;
    return { path, size: stat.size };
  } catch {
    return undefined;
  }
}

function handler(root: string, allowed: () => ReadonlySet<string>) {
  const base = resolve(root);
  return (request: IncomingMessage, response: ServerResponse): void => {
    try {
      if (!hostAllowed(request.headers.host, allowed())) {
        // Said without listing the accepted names: a rebinding page can read this answer.
        const asked = request.headers.host === undefined ? 'no Host header' : `Host '${request.headers.host}'`;
        refuse(request, response, 421, `refused: ${asked} is not this server's address; open the address refheap-lab printed`);
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        refuse(request, response, 405, `method ${request.method ?? '?'} not allowed: only GET and HEAD`, { allow: ALLOW });
        return;
      }
      const path = requestPath(request.url);
      if (!path.ok) {
        refuse(request, response, 400, `bad request: ${path.reason}`);
        return;
      }
      let realBase: string;
      try {
        realBase = realpathSync(base);
      } catch {
        refuse(request, response, 404, 'not found: the page has not been built');
        return;
      }
      const file = fileFor(base, realBase, path.segments);
      if (!file) {
        refuse(request, response, 404, `not found: /${path.segments.join('/')}`);
        return;
      }
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': TYPES[extname(file.path)] ?? 'application/octet-stream',
        'content-length': String(file.size),
      });
      if (request.method === 'HEAD') {
        response.end();
        return;
      }
      const stream = createReadStream(file.path);
      stream.once('error', () => response.destroy());
      stream.pipe(response);
    } catch (error) {
      // Whatever went wrong, it stops at this request.
      if (!response.headersSent) refuse(request, response, 500, `internal error: ${(error as Error).message}`);
      else response.destroy();
    }
  };
}

/** What Node says about a request it could not take, as a status line (Node's own choices). */
function clientErrorStatus(code: string | undefined): string {
  if (code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  return '400 Bad Request';
}

/** A request Node could not even parse: answered (with the headers) and the connection closed. */
function onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = clientErrorStatus(error.code);
  const headers = Object.entries({ ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status}\r\n${headers}\r\n${status.slice(4).toLowerCase()}\n`);
}

/** Serves `root` on host:port (port 0 picks a free one), answering only to Host headers naming that address. */
export async function serveStatic(root: string, options: { host?: string; port?: number } = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  let allowed: ReadonlySet<string> = new Set();
  const server: Server = createServer(handler(root, () => allowed));
  server.on('clientError', onClientError);
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') {
        reject(error);
        return;
      }
      void freePortAfter(host, port).then((suggestion) => reject(new PortInUseError(host, port, suggestion)));
    });
    server.listen(port, host, () => resolveListen());
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  allowed = allowedHosts(host, actual);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actual}/`,
    port: actual,
    host,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
