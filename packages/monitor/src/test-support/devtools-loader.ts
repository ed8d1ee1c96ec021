/**
 * Chrome DevTools' own heap snapshot loader (the code the Memory panel runs
 * after "Load profile…"), bundled from the `chrome-devtools-frontend` npm
 * package with esbuild into node_modules/.cache the first time a test needs
 * it. Two shims make it run on Node 20: a stub for the locales module that
 * DevTools generates at build time, and `Promise.withResolvers`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
// Inside node_modules: ignored by git, the linter and the type checker, and kept by installs.
const outDir = join(here, '../../node_modules/.cache/refheap-devtools-harness');

export interface DevToolsSnapshot {
  readonly totalSize: number;
  getStatistics(): { total: number; v8heap: { strings: number } };
  getAggregatesByClassKey(sorted: boolean, key: string): Record<string, { name: string; count: number; self: number; maxRet: number }>;
  nodeIndexForId(nodeId: number): number | undefined;
  /** The "Allocation stack" of the retainers pane: innermost frame first; null when none was recorded. */
  allocationStack(nodeIndex: number): { functionName: string; scriptName: string; scriptId: number; line: number; column: number }[] | null;
  /** The Allocation view's functions, by live size. */
  allocationTracesTops(): { name: string; scriptName: string; line: number; count: number; size: number; liveCount: number; liveSize: number }[];
}

let loading: Promise<(text: string) => Promise<DevToolsSnapshot>> | undefined;

async function buildLoader(): Promise<(text: string) => Promise<DevToolsSnapshot>> {
  const frontendPackage = require.resolve('chrome-devtools-frontend/package.json');
  const version = (JSON.parse(readFileSync(frontendPackage, 'utf8')) as { version: string }).version;
  const worker = join(dirname(frontendPackage), 'front_end/entrypoints/heap_snapshot_worker');
  const bundle = join(outDir, `loader-${version}.mjs`);
  if (!existsSync(bundle)) {
    mkdirSync(outDir, { recursive: true });
    const entry = join(outDir, 'entry.ts');
    writeFileSync(
      entry,
      `import { HeapSnapshotLoader } from ${JSON.stringify(join(worker, 'HeapSnapshotLoader.js'))};
import { SecondaryInitManager } from ${JSON.stringify(join(worker, 'HeapSnapshot.js'))};
export async function load(text) {
  const loader = new HeapSnapshotLoader({ sendEvent() {} });
  loader.write(text);
  loader.close();
  const channel = new MessageChannel();
  new SecondaryInitManager(channel.port2);
  try {
    return await loader.buildSnapshot(channel.port1);
  } finally {
    channel.port1.close();
    channel.port2.close();
  }
}
`,
    );
    const polyfill = join(outDir, 'polyfill.js');
    writeFileSync(
      polyfill,
      'if (!Promise.withResolvers) Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };\n',
    );
    const { build } = await import('esbuild');
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      inject: [polyfill],
      logLevel: 'error',
      plugins: [
        {
          name: 'devtools-locales-stub',
          setup(b) {
            b.onResolve({ filter: /locales\.js$/ }, () => ({ path: 'locales', namespace: 'stub' }));
            b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
              contents: "export const LOCALES=['en-US'], BUNDLED_LOCALES=['en-US'], DEFAULT_LOCALE='en-US', REMOTE_FETCH_PATTERN='', LOCAL_FETCH_PATTERN='';",
              loader: 'js',
            }));
          },
        },
      ],
    });
  }
  const module = (await import(/* @vite-ignore */ pathToFileURL(bundle).href)) as { load: (text: string) => Promise<DevToolsSnapshot> };
  return module.load;
}

/** Loads `.heapsnapshot` text with DevTools' loader; returns the snapshot and what DevTools warned about. */
export async function loadInDevTools(text: string): Promise<{ snapshot: DevToolsSnapshot; warnings: string[] }> {
  loading ??= buildLoader();
  const load = await loading;
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  try {
    return { snapshot: await load(text), warnings };
  } finally {
    console.warn = original;
  }
}
