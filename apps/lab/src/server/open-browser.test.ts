/** Opening the page: which command is run, with the URL where, and what a failure reports — with real processes. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openBrowser, openerFor, withUrl } from './open-browser.ts';

const scratch = mkdtempSync(join(tmpdir(), 'lab-browser-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A stand-in browser: writes the arguments it was given, one a line, then exits with `code`. */
function fakeBrowser(name: string, code: number): { path: string; argsFile: string } {
  const path = join(scratch, name);
  const argsFile = `${path}.args`;
  writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$@" > '${argsFile}'\nexit ${code}\n`);
  chmodSync(path, 0o755);
  return { path, argsFile };
}

describe('openerFor', () => {
  it('uses each platform\'s opener when $BROWSER is not set', () => {
    expect(openerFor('linux', {})).toEqual({ command: 'xdg-open', args: [] });
    expect(openerFor('darwin', {})).toEqual({ command: 'open', args: [] });
    expect(openerFor('win32', {})).toEqual({ command: 'cmd', args: ['/c', 'start', '""'] });
  });
  it('reads $BROWSER as a command with arguments, the first of a \':\' list, ignoring empty entries', () => {
    expect(openerFor('linux', { BROWSER: 'firefox' })).toEqual({ command: 'firefox', args: [] });
    expect(openerFor('linux', { BROWSER: 'chromium --new-window' })).toEqual({ command: 'chromium', args: ['--new-window'] });
    expect(openerFor('linux', { BROWSER: ':w3m %s:lynx' })).toEqual({ command: 'w3m', args: ['%s'] });
    expect(openerFor('linux', { BROWSER: '' })).toEqual({ command: 'xdg-open', args: [] });
  });
  it('puts the URL in place of %s, or last', () => {
    expect(withUrl([], 'http://127.0.0.1:5177/')).toEqual(['http://127.0.0.1:5177/']);
    expect(withUrl(['--new-window'], 'u')).toEqual(['--new-window', 'u']);
    expect(withUrl(['--app=%s', '-x'], 'u')).toEqual(['--app=u', '-x']);
  });
});

describe('openBrowser', () => {
  it('starts $BROWSER with the URL and reports it opened', async () => {
    const browser = fakeBrowser('ok', 0);
    expect(await openBrowser('http://127.0.0.1:5177/#refcount', { BROWSER: `${browser.path} --new-tab` })).toEqual({ opened: true });
    expect(readFileSync(browser.argsFile, 'utf8')).toBe('--new-tab\nhttp://127.0.0.1:5177/#refcount\n');
  });
  it('a browser that exits with an error is reported, with its code', async () => {
    const browser = fakeBrowser('fails', 3);
    expect(await openBrowser('http://127.0.0.1:5177/', { BROWSER: browser.path })).toEqual({ opened: false, reason: `${browser.path} exited with code 3` });
  });
  it('a browser that does not exist is reported, not thrown', async () => {
    const missing = join(scratch, 'no-such-browser');
    const result = await openBrowser('http://127.0.0.1:5177/', { BROWSER: missing });
    expect(result.opened).toBe(false);
    expect(result.reason).toMatch(new RegExp(`^${missing}: .*ENOENT`));
  });
});
