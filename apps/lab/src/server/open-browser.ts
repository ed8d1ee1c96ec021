/**
 * Opens a URL in the user's browser ($BROWSER, else the platform's opener).
 * Resolves to false, never throws, when no browser can be started — the caller
 * then prints the URL for the user to open.
 *
 * $BROWSER is read as Python's webbrowser module reads it: a command with
 * arguments, the URL put where `%s` is or else after them; several commands may
 * be given separated by ':' (the first is tried).
 */
import { spawn } from 'node:child_process';

export function openerFor(platform: NodeJS.Platform, env: Record<string, string | undefined>): { command: string; args: string[] } {
  const browser = env.BROWSER?.split(':').map((c) => c.trim()).find((c) => c !== '');
  if (browser) {
    const [command, ...args] = browser.split(/\s+/);
    return { command: command!, args };
  }
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** The arguments with the URL in place of `%s`, or after them. */
export function withUrl(args: readonly string[], url: string): string[] {
  return args.some((a) => a.includes('%s')) ? args.map((a) => a.replaceAll('%s', url)) : [...args, url];
}

export function openBrowser(
  url: string,
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<{ opened: boolean; reason?: string }> {
  const { command, args } = openerFor(platform, env);
  return new Promise((done) => {
    let child;
    try {
      child = spawn(command, withUrl(args, url), { stdio: 'ignore', detached: true });
    } catch (error) {
      done({ opened: false, reason: (error as Error).message });
      return;
    }
    const timer = setTimeout(() => {
      child.unref();
      done({ opened: true });
    }, 1500);
    child.once('error', (error) => {
      clearTimeout(timer);
      done({ opened: false, reason: `${command}: ${error.message}` });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code === 0 ? { opened: true } : { opened: false, reason: `${command} exited with code ${code}` });
    });
  });
}
