/**
 * The lab's server over a real socket on an ephemeral port, sent what a
 * careless or hostile client sends: malformed percent-encoding, paths that
 * climb out of the site, methods other than GET and HEAD, a Host that is not
 * the server's (DNS rebinding), bytes that are not HTTP. Each is answered with
 * the right status and the security headers, and the server keeps serving.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from './security-headers.ts';
import { type RunningServer, serveStatic } from './static-server.ts';

interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const PAGE = '<!doctype html><title>lab</title><script type="module" src="./assets/app.js"></script>';
const SECRET = 'the secret outside the site';

let scratch: string;
let server: RunningServer;

/** Sends `head` as written (request line and headers) and reads the whole answer. */
function send(head: string): Promise<Answer> {
  return new Promise((done, fail) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', fail);
    socket.setTimeout(5000, () => {
      socket.destroy();
      fail(new Error(`no answer to ${JSON.stringify(head.split('\r\n')[0])} within 5 s`));
    });
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      done({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(split + 4) });
    });
    socket.write(head);
  });
}

function request(method: string, target: string, host: string | null = `127.0.0.1:${server.port}`): Promise<Answer> {
  return send(`${method} ${target} HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}Connection: close\r\n\r\n`);
}

function expectSecurityHeaders(answer: Answer): void {
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(answer.headers['x-frame-options']).toBe('DENY');
  expect(answer.headers['referrer-policy']).toBe('no-referrer');
}

async function expectStillServing(): Promise<void> {
  const answer = await request('GET', '/');
  expect(answer.status).toBe(200);
  expect(answer.body).toBe(PAGE);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'lab-server-'));
  const site = join(scratch, 'site');
  mkdirSync(join(site, 'assets'), { recursive: true });
  writeFileSync(join(site, 'index.html'), PAGE);
  writeFileSync(join(site, 'assets', 'app.js'), 'console.log("lab");\n');
  writeFileSync(join(scratch, 'secret.txt'), SECRET);
  symlinkSync(join(scratch, 'secret.txt'), join(site, 'assets', 'link.txt'));
  server = await serveStatic(site, { port: 0 });
});

afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the lab server: what it serves', () => {
  it('binds 127.0.0.1 unless told otherwise', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('GET / is the page, with its type, its length and the security headers', async () => {
    const answer = await request('GET', '/');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(PAGE)));
    expect(answer.body).toBe(PAGE);
    expectSecurityHeaders(answer);
  });

  it('GET of an asset, with a query string, is the file; HEAD gives the headers and no body', async () => {
    const js = await request('GET', '/assets/app.js?v=1');
    expect([js.status, js.headers['content-type'], js.body]).toEqual([200, 'text/javascript; charset=utf-8', 'console.log("lab");\n']);
    const head = await request('HEAD', '/assets/app.js');
    expect([head.status, head.headers['content-length'], head.body]).toEqual([200, '20', '']);
    expectSecurityHeaders(head);
  });

  it('a missing file is 404, with the security headers', async () => {
    const answer = await request('GET', '/nothing-here.js');
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expectSecurityHeaders(answer);
  });

  it('the CSP allows the page\'s own scripts only, never eval or inline script, and no framing', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d]));
    expect(directives.get('default-src')).toBe("default-src 'none'");
    expect(directives.get('script-src')).toBe("script-src 'self'");
    expect(directives.get('style-src-attr')).toBe("style-src-attr 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
    expect(directives.get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directives.get('base-uri')).toBe("base-uri 'none'");
  });
});

describe('the lab server: what it refuses, and stays up', () => {
  it('malformed percent-encoding is 400, not a crash', async () => {
    for (const target of ['/%zz', '/%', '/assets/%ff', '/%E0%A4%A', '/%c0%af', '/%ed%a0%80', '/a%2']) {
      const answer = await request('GET', target);
      expect([target, answer.status]).toEqual([target, 400]);
      expect(answer.body).toContain('malformed percent-encoding');
      expectSecurityHeaders(answer);
    }
    await expectStillServing();
  });

  it('a path that climbs out of the site, or hides a NUL or a backslash, is 400 and reveals nothing', async () => {
    for (const target of [
      '/..%2f..%2fetc/passwd',
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/index.html%00.js',
    ]) {
      const answer = await request('GET', target);
      expect([target, answer.status]).toEqual([target, 400]);
      expect(answer.body).not.toContain(SECRET);
      expectSecurityHeaders(answer);
    }
    await expectStillServing();
  });

  it('a symbolic link that leads out of the site is not followed (404)', async () => {
    const answer = await request('GET', '/assets/link.txt');
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain(SECRET);
  });

  it('a request target that is not a path (absolute URL, *) is 400', async () => {
    for (const target of [`http://127.0.0.1:${server.port}/`, 'evil.example']) {
      expect((await request('GET', target)).status).toBe(400);
    }
    await expectStillServing();
  });

  it('any method but GET and HEAD is 405 with Allow: GET, HEAD, and never the file', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND']) {
      const answer = await request(method, '/');
      expect([method, answer.status]).toEqual([method, 405]);
      expect(answer.headers.allow).toBe('GET, HEAD');
      expect(answer.body).not.toContain(PAGE);
      expectSecurityHeaders(answer);
    }
    expect((await request('OPTIONS', '*')).status).toBe(405);
    await expectStillServing();
  });

  it('a Host that is not the server\'s own address (DNS rebinding) is 421; its own names are served', async () => {
    const port = server.port;
    for (const host of [`evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `[::1]:${port}`, `127.0.0.2:${port}`, `0.0.0.0:${port}`]) {
      const answer = await request('GET', '/', host);
      expect([host, answer.status]).toEqual([host, 421]);
      expect(answer.body).not.toContain(PAGE);
      expect(answer.body).toContain(`Host '${host}' is not this server's address`);
      expectSecurityHeaders(answer);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect([host, (await request('GET', '/', host)).status]).toEqual([host, 200]);
    }
    await expectStillServing();
  });

  it('an HTTP/1.0 request without a Host is refused (421); HTTP/1.1 without one is a 400', async () => {
    const old = await send('GET / HTTP/1.0\r\n\r\n');
    expect(old.status).toBe(421);
    expect(old.body).toContain('no Host header');
    expect((await request('GET', '/', null)).status).toBe(400);
    await expectStillServing();
  });

  it('bytes that are not HTTP get a 400 with the security headers, and the server goes on', async () => {
    for (const garbage of ['HELLO\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n', 'GET /\u0000 HTTP/1.1\r\n\r\n']) {
      const answer = await send(garbage);
      expect(answer.status).toBe(400);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
    await expectStillServing();
  });

  it('headers too large for Node are a 431 with the security headers, and the server goes on', async () => {
    const answer = await send(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    await expectStillServing();
  });
});
