/** The Host headers a server answers, for each kind of address it can be bound to. */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHosts, hostAllowed } from './allowed-hosts.ts';

describe('allowedHosts', () => {
  it('127.0.0.1 answers to itself and localhost, on its port only', () => {
    expect([...allowedHosts('127.0.0.1', 5177)]).toEqual(['127.0.0.1:5177', 'localhost:5177']);
  });
  it('::1 answers to [::1] and localhost', () => {
    expect([...allowedHosts('::1', 5177)]).toEqual(['[::1]:5177', 'localhost:5177']);
    expect([...allowedHosts('[::1]', 5177)]).toEqual(['[::1]:5177', 'localhost:5177']);
  });
  it('localhost answers to every loopback name', () => {
    expect([...allowedHosts('localhost', 8000)]).toEqual(['localhost:8000', '127.0.0.1:8000', '[::1]:8000']);
  });
  it('a name or address given with --host answers to that, in lower case, IPv6 in brackets', () => {
    expect([...allowedHosts('Lab.School.Example', 5177)]).toEqual(['lab.school.example:5177']);
    expect([...allowedHosts('192.168.1.20', 5177)]).toEqual(['192.168.1.20:5177']);
    expect([...allowedHosts('fe80::1', 5177)]).toEqual(['[fe80::1]:5177']);
  });
  it('a wildcard bind answers to loopback, this machine\'s addresses and its host name — not to any name', () => {
    const allowed = allowedHosts('0.0.0.0', 5177);
    expect(allowed.has('0.0.0.0:5177')).toBe(true);
    expect(allowed.has('localhost:5177')).toBe(true);
    expect(allowed.has('127.0.0.1:5177')).toBe(true);
    expect(allowed.has(`${hostname().toLowerCase()}:5177`)).toBe(true);
    expect(allowed.has('evil.example:5177')).toBe(false);
    expect(allowedHosts('::', 5177).has('[::]:5177')).toBe(true);
  });
  it('on port 80 the port may be left out, as browsers do', () => {
    expect([...allowedHosts('127.0.0.1', 80)]).toEqual(['127.0.0.1:80', '127.0.0.1', 'localhost:80', 'localhost']);
    expect(allowedHosts('127.0.0.1', 5177).has('127.0.0.1')).toBe(false);
  });
});

describe('hostAllowed', () => {
  const allowed = allowedHosts('127.0.0.1', 5177);
  it('matches case-insensitively, and refuses a missing header or another port', () => {
    expect(hostAllowed('LocalHost:5177', allowed)).toBe(true);
    expect(hostAllowed(undefined, allowed)).toBe(false);
    expect(hostAllowed('localhost:5178', allowed)).toBe(false);
    expect(hostAllowed('localhost', allowed)).toBe(false);
    expect(hostAllowed('localhost.:5177', allowed)).toBe(false);
  });
});
