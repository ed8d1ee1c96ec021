/**
 * Which `Host` headers the server answers: the names of the address it is bound
 * to, with its port. A page on another site that points its own domain name at
 * 127.0.0.1 (DNS rebinding) sends that domain as Host, so it is refused.
 *
 *   bound 127.0.0.1  → 127.0.0.1:PORT, localhost:PORT
 *   bound ::1        → [::1]:PORT, localhost:PORT
 *   bound localhost  → localhost:PORT, 127.0.0.1:PORT, [::1]:PORT
 *   bound 0.0.0.0/:: → the loopback names, this machine's interface addresses and host name
 *   bound NAME/ADDR  → NAME:PORT (as given with --host)
 *
 * Port 80 may also be written without its port, as browsers do.
 */
import { hostname, networkInterfaces } from 'node:os';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** An address as it appears in a Host header: lower case, IPv6 in brackets. */
function asHostName(address: string): string {
  const bare = address.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return bare.includes(':') ? `[${bare}]` : bare;
}

function namesFor(bound: string): string[] {
  const host = asHostName(bound);
  if (host === '127.0.0.1') return ['127.0.0.1', 'localhost'];
  if (host === '[::1]') return ['[::1]', 'localhost'];
  if (host === 'localhost') return ['localhost', '127.0.0.1', '[::1]'];
  if (WILDCARDS.has(bound) || WILDCARDS.has(host)) {
    const interfaces = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => asHostName(i.address.replace(/%.*$/, ''))));
    return [host, 'localhost', '127.0.0.1', '[::1]', ...interfaces, hostname().toLowerCase()];
  }
  return [host];
}

/** Every Host header value the server bound to `host`:`port` answers. */
export function allowedHosts(host: string, port: number): ReadonlySet<string> {
  const allowed = new Set<string>();
  for (const name of namesFor(host)) {
    allowed.add(`${name}:${port}`);
    if (port === 80) allowed.add(name);
  }
  return allowed;
}

export function hostAllowed(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  return header !== undefined && allowed.has(header.trim().toLowerCase());
}
