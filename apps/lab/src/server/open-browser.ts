/**
 * Opens a URL in the user's browser ($BROWSER, else the platform's opener).
 * Resolves to false, never throws, when no browser can be started — the caller
 * then prints the URL for the user to open.
 */
import { spawn } from 'node:child_process';

export function openerFor(platform: NodeJS.Platform, env: Record<string, string | undefined>): { command: string; args: string[] } {
  if (env.BROWSER) return { command: env.BROWSER, args: [] };
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
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
      child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
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
