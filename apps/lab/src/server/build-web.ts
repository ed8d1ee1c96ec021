/**
 * Builds the web page with Vite's JS API — no config file, no manual step: the
 * server calls `ensureWebBuilt` before serving and the browser tests call it in
 * their setup. Workspace packages are bundled from their TypeScript sources
 * through the `@refheap/source` condition, as tests and the CLI use them.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, defaultClientConditions } from 'vite';
import { labRoot, repoRoot, webDist, webRoot } from './paths.ts';

export async function buildWeb(outDir: string = webDist): Promise<string> {
  await build({
    root: webRoot,
    base: './',
    logLevel: 'warn',
    configFile: false,
    resolve: { conditions: ['@refheap/source', ...defaultClientConditions] },
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  });
  return outDir;
}

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Whether the built page is missing or older than any source it is made from. */
export function webIsStale(outDir: string = webDist): boolean {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const packages = ['core', 'gc', 'weakref', 'monitor', 'python'].map((p) => resolve(repoRoot, 'packages', p, 'src'));
  const sources = [webRoot, resolve(labRoot, 'src'), ...packages, resolve(repoRoot, 'packages/python/examples')];
  return sources.some((dir) => newest(dir) > built);
}

/** Builds the page unless an up-to-date build is there; returns the folder to serve. */
export async function ensureWebBuilt(outDir: string = webDist, log: (line: string) => void = () => undefined): Promise<string> {
  if (webIsStale(outDir)) {
    log('building the web page with Vite…');
    await buildWeb(outDir);
  }
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await buildWeb();
  console.log(`built ${webDist}`);
}
