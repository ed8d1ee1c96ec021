/**
 * The packages as an npm user installs them. Builds the four libraries with their
 * `tsconfig.build.json`, packs each with `pnpm pack`, installs the tarballs with plain
 * `npm install --offline` (so every @refheap dependency must come from the tarballs, never
 * the registry) into three scratch projects, then type-checks a small consumer with the
 * repo's own TypeScript and runs it with Node:
 *
 *   nodenext  `module: nodenext`, `lib: ["ES2022"]`, @types/node; also `@refheap/monitor/node`
 *   bundler   `module: preserve` (bundler resolution), the default lib, @types/node
 *   dom       bundler resolution, no @types/node (`types: []`), the DOM lib — plus exactly
 *             the `lib` line the core README asks for, unless core's declarations pull in
 *             `esnext.disposable` themselves (a `/// <reference lib … preserve="true" />`)
 *
 * Every project type-checks with `skipLibCheck: false`, so an error in a shipped `.d.ts` is
 * an error here. The tarballs themselves must hold a LICENSE, a manifest with `license`,
 * `repository`, `homepage` and `bugs`, no test, fixture or test-support file, and every file
 * their exports and declaration maps point at. It takes about half a minute, most of it tsc.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PNPM = ['-y', 'pnpm@10.34.8'];
const TSC = join(repo, 'node_modules/typescript/bin/tsc');
const NODE_TYPES = join(repo, 'node_modules/@types');
const LIBRARIES = ['core', 'gc', 'weakref', 'monitor'] as const;
type Library = (typeof LIBRARIES)[number];

const STEP_TIMEOUT = 240_000;

interface Manifest {
  name: string;
  version: string;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string } | string;
  homepage?: string;
  bugs?: { url?: string } | string;
  exports?: Record<string, Record<string, string> | string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * The environment for the tools this runs. pnpm, when it runs vitest, exports `npm_config_*`
 * variables that npm would read as its own settings; none of them is passed on.
 */
function toolEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_)/i.test(key)) env[key] = value;
  }
  return { ...env, CI: 'true', NO_COLOR: '1', PUPPETEER_SKIP_DOWNLOAD: '1', ...extra };
}

/** Runs a command; a non-zero exit is an error that carries the command and its output. */
function run(command: string, args: string[], cwd: string, env = toolEnv()): Promise<string> {
  return new Promise((done, fail) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: STEP_TIMEOUT }, (error, stdout, stderr) => {
      if (error) {
        const where = relative(repo, cwd) || '.';
        fail(new Error(`\`${[command, ...args].join(' ')}\` in ${where} failed (${error.message.split('\n')[0]})\n${stdout}\n${stderr}`));
      } else done(stdout);
    });
  });
}

/** A step every later test needs: run once, its failure reported by each test that needs it. */
function step<T>(body: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= body());
}

/**
 * Unpacks a gzipped tarball as npm writes and reads them (ustar, with pax `path` records for
 * long names) into `dir`, so the check needs no tar program.
 */
function untar(tarball: string, dir: string): void {
  const data = gunzipSync(readFileSync(tarball));
  const text = (from: number, length: number): string => data.toString('utf8', from, from + length).replace(/\0.*$/s, '');
  let longPath: string | undefined;
  for (let offset = 0; offset + 512 <= data.length; ) {
    if (data.subarray(offset, offset + 512).every((byte) => byte === 0)) break;
    const size = parseInt(text(offset + 124, 12).trim() || '0', 8);
    const type = text(offset + 156, 1) || '0';
    const prefix = text(offset + 345, 155);
    const name = longPath ?? (prefix ? `${prefix}/${text(offset, 100)}` : text(offset, 100));
    const body = data.subarray(offset + 512, offset + 512 + size);
    longPath = undefined;
    if (type === 'x') longPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    else if (type === '0') {
      const target = resolve(dir, name);
      if (!target.startsWith(dir + '/')) throw new Error(`${tarball}: ${name} leaves the package`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

function filesUnder(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, base) : [relative(base, path)];
  });
}

const work = mkdtempSync(join(tmpdir(), 'refheap-packages-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const packageDir = (library: Library): string => join(repo, 'packages', library);
const sourceManifest = (library: Library): Manifest =>
  JSON.parse(readFileSync(join(packageDir(library), 'package.json'), 'utf8')) as Manifest;

/**
 * `dist/x.js`, `.js.map`, `.d.ts`, `.d.ts.map` whose `src/x.ts` is gone: left by an earlier
 * build in this checkout, and removed so they are not packed (a fresh clone has none).
 */
function pruneStaleOutput(library: Library): void {
  const dist = join(packageDir(library), 'dist');
  if (!existsSync(dist)) return;
  for (const file of filesUnder(dist)) {
    const source = file.replace(/(\.d)?\.ts\.map$|\.js\.map$|\.d\.ts$|\.js$/, '.ts');
    if (source !== file && !existsSync(join(packageDir(library), 'src', source))) unlinkSync(join(dist, file));
  }
}

/** `tsc -p tsconfig.build.json` for each library, core first (the others compile against its declarations). */
const built = step(async () => {
  const build = async (library: Library): Promise<void> => {
    await run(process.execPath, [TSC, '-p', 'tsconfig.build.json'], packageDir(library));
    pruneStaleOutput(library);
  };
  await build('core');
  const results = await Promise.allSettled(LIBRARIES.filter((l) => l !== 'core').map(build));
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  if (failures.length > 0) throw new Error(failures.join('\n'));
});

interface Packed {
  tarball: string;
  /** The tarball unpacked: its `package/` folder. */
  root: string;
  files: string[];
  manifest: Manifest;
}

/** `pnpm pack` of each library, each tarball unpacked beside it. */
const packed = step(async (): Promise<Record<Library, Packed>> => {
  await built();
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs, { recursive: true });
  const entries = await Promise.all(
    LIBRARIES.map(async (library): Promise<[Library, Packed]> => {
      const { name, version } = sourceManifest(library);
      await run('npx', [...PNPM, 'pack', '--pack-destination', tarballs], packageDir(library));
      const tarball = join(tarballs, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
      const unpacked = join(work, 'unpacked', library);
      mkdirSync(unpacked, { recursive: true });
      untar(tarball, unpacked);
      const root = join(unpacked, 'package');
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
      return [library, { tarball, root, files: filesUnder(root).sort(), manifest }];
    }),
  );
  return Object.fromEntries(entries) as Record<Library, Packed>;
});

describe('each library’s manifest', () => {
  for (const library of LIBRARIES) {
    it(`@refheap/${library} names its license, repository, homepage and bugs, and has the root LICENSE`, () => {
      const manifest = sourceManifest(library);
      expect(manifest.license).toBe('MIT');
      expect(manifest.repository).toEqual({
        type: 'git',
        url: 'git+https://github.com/refheap/refheap.git',
        directory: `packages/${library}`,
      });
      expect(manifest.homepage).toBe(`https://github.com/refheap/refheap/tree/main/packages/${library}#readme`);
      expect(manifest.bugs).toEqual({ url: 'https://github.com/refheap/refheap/issues' });
      expect(readFileSync(join(packageDir(library), 'LICENSE'), 'utf8')).toBe(readFileSync(join(repo, 'LICENSE'), 'utf8'));
    });

    it(`@refheap/${library}'s README starts with its npm install line`, () => {
      const readme = readFileSync(join(packageDir(library), 'README.md'), 'utf8');
      const install = /^npm install (.+)$/m.exec(readme);
      expect(install, 'an `npm install …` line').not.toBeNull();
      expect(install!.index, 'near the top').toBeLessThan(1000);
      const named = install![1]!.split(/\s+/);
      expect(named).toContain(`@refheap/${library}`);
      // The packages the README's first example imports are on the line too.
      const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
      for (const [, imported] of example.matchAll(/from '(@refheap\/[^/']+)/g)) expect(named).toContain(imported);
    });
  }
});

/** What a tarball must not ship: tests (`x.test.ts`, `x.e2e.test.ts`, their build output), fixtures, test support. */
const NOT_SHIPPED = /(^|\/)[^/]*\.(test|spec)\.[^/]*$|(^|\/)(test-support|__tests__|__fixtures__|fixtures?|twins)\//;

describe('the tarballs', () => {
  for (const library of LIBRARIES) {
    it(
      `@refheap/${library} ships its build, its sources, README and LICENSE — no test, fixture or test-support file`,
      async () => {
        const { files, root } = (await packed())[library];
        expect(files.filter((f) => NOT_SHIPPED.test(f))).toEqual([]);
        expect(files).toContain('LICENSE');
        expect(files).toContain('README.md');
        expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the refheap authors\n/);
        // Nothing else: manifest, README, LICENSE, changelog, dist/ and the TypeScript each dist file came from.
        const other = files.filter((f) => !/^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+|src\/.+\.ts)$/.test(f));
        expect(other).toEqual([]);
        // Every shipped source was compiled (so it is no test helper the build leaves out) …
        const sources = files.filter((f) => f.startsWith('src/') && !f.endsWith('.d.ts'));
        const uncompiled = sources.filter((f) => !files.includes(f.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js')));
        expect(uncompiled).toEqual([]);
        // … and every compiled file has its source.
        const orphans = files
          .filter((f) => f.startsWith('dist/') && f.endsWith('.js'))
          .filter((f) => !files.includes(f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts')));
        expect(orphans).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      `@refheap/${library}'s packed manifest names its license, repository, homepage, bugs and real versions`,
      async () => {
        const { manifest } = (await packed())[library];
        expect(manifest.license).toBe('MIT');
        expect(manifest.repository).toMatchObject({ url: 'git+https://github.com/refheap/refheap.git', directory: `packages/${library}` });
        expect(manifest.homepage).toMatch(/^https:\/\//);
        expect(manifest.bugs).toMatchObject({ url: expect.stringMatching(/^https:\/\//) as unknown });
        const ranges = Object.values({ ...manifest.dependencies, ...manifest.peerDependencies });
        expect(ranges.filter((r) => r.startsWith('workspace:'))).toEqual([]);
      },
      STEP_TIMEOUT,
    );

    it(
      `@refheap/${library}'s exports and declaration maps point at files it ships`,
      async () => {
        const { files, root, manifest } = (await packed())[library];
        const targets = Object.values(manifest.exports ?? {}).flatMap((entry) =>
          typeof entry === 'string' ? [entry] : Object.values(entry),
        );
        expect(targets.length).toBeGreaterThan(0);
        for (const target of targets) expect(files, `exports → ${target}`).toContain(target.replace(/^\.\//, ''));
        const missing: string[] = [];
        for (const map of files.filter((f) => f.endsWith('.d.ts.map'))) {
          const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
          for (const source of sources) {
            const shipped = relative(root, resolve(root, dirname(map), source));
            if (!files.includes(shipped)) missing.push(`${map} → ${source}`);
          }
        }
        expect(missing).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  }

  it(
    'the main entries import no Node built-in, nothing but other @refheap packages (a browser bundles them)',
    async () => {
      const all = await packed();
      const found: string[] = [];
      const specifiers = /(?:^|[\s;])(?:import|export)\s+(?:[\w$*{}\s,]+?\s+from\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
      for (const library of LIBRARIES) {
        const { root, manifest } = all[library];
        const main = (manifest.exports?.['.'] as Record<string, string>).default!;
        const seen = new Set<string>();
        const visit = (file: string): void => {
          if (seen.has(file)) return;
          seen.add(file);
          for (const match of readFileSync(file, 'utf8').matchAll(specifiers)) {
            const specifier = (match[1] ?? match[2])!;
            if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
            else if (!specifier.startsWith('@refheap/')) found.push(`${library}: ${relative(root, file)} imports ${specifier}`);
          }
        };
        visit(join(root, main));
        expect(seen.size, `${library}'s main entry's modules`).toBeGreaterThan(1);
      }
      expect(found).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});

// ── the consumer ──────────────────────────────────────────────────────────────────────────

/** Uses all four packages through their public entries, as an application would. */
const CONSUMER = `import { type Handle, Handles, Heap } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { ObjGraph, PrometheusExporter, Tracemalloc, heapSnapshot, refheapMetrics } from '@refheap/monitor';
import { WeakValueMap, ref } from '@refheap/weakref';

export async function consume(): Promise<string[]> {
  const lines: string[] = [];
  const heap = new Heap();
  const py = new Handles(heap);
  const gc = new Collector(heap);
  gc.disable();
  const tracer = new Tracemalloc(heap);
  tracer.start();
  const Node = py.defineClass('Node');
  let callbacks = 0;
  const cache = new WeakValueMap<string>(heap);

  const watcher = (() => {
    using a = py.new(Node);
    using b = py.new(Node, { a });
    a.set('b', b);
    cache.set('a', a);
    const held: Handle = a.dup();
    lines.push(\`refcount \${py.getrefcount(a)}\`);
    held.release();
    return ref(a, () => {
      callbacks++;
    });
  })();
  lines.push(\`cycle alive \${watcher.alive}, cached \${cache.has('a')}\`);
  lines.push(\`objgraph Node \${new ObjGraph(heap).count('Node')}\`);
  lines.push(\`cycle collected \${gc.collect() >= 2}\`);
  lines.push(\`cycle alive \${watcher.alive}, cached \${cache.has('a')}, callbacks \${callbacks}\`);
  watcher.release();

  py.scope(() => {
    const list = py.list([1, 2, 3]);
    list.append(list);
    lines.push(\`repr \${list.repr()}\`);
  });
  lines.push(\`collected \${gc.collect()}\`);

  const text = await new PrometheusExporter([refheapMetrics({ heap, collector: gc, tracer })]).metrics();
  lines.push(\`metrics \${/^refheap_gc_collections_total\\{generation="2"\\} 2$/m.test(text)}\`);
  const snapshot = JSON.parse(heapSnapshot(heap)) as { snapshot: { node_count: number } };
  lines.push(\`heap snapshot \${snapshot.snapshot.node_count > 0}\`);
  tracer.stop();
  return lines;
}
`;

const EXPECTED = [
  'refcount 4',
  'cycle alive true, cached true',
  'objgraph Node 2',
  'cycle collected true',
  'cycle alive false, cached false, callbacks 1',
  'repr [1, 2, 3, [...]]',
  'collected 1',
  'metrics true',
  'heap snapshot true',
];

const MAIN = `import { consume } from './consumer.js';

for (const line of await consume()) console.log(line);
`;

/** Node only: the monitor's node entry too. */
const NODE_MAIN = `import { sample } from '@refheap/monitor/node';
import { consume } from './consumer.js';

for (const line of await consume()) console.log(line);
const memory = sample();
console.log(\`rss \${memory.rss > 0}\`);
`;

interface Project {
  kind: 'nodenext' | 'bundler' | 'dom';
  what: string;
  compilerOptions: (packages: Record<Library, Packed>) => Record<string, unknown>;
  main: string;
  expected: string[];
}

/** The `"lib": [...]` the core README says a project without @types/node can use. */
function readmeLib(readme: string): string[] {
  const line = /"lib": (\[[^\]]*\])/.exec(readme);
  if (!line) throw new Error('the core README names no `"lib": [...]` for a project without @types/node');
  return JSON.parse(line[1]!) as string[];
}

/** Whether core's shipped declarations pull in the disposable lib themselves. */
function referencesDisposable(core: Packed): boolean {
  return core.files
    .filter((f) => f.endsWith('.d.ts'))
    .some((f) => /^\/\/\/\s*<reference lib="esnext\.disposable"/im.test(readFileSync(join(core.root, f), 'utf8')));
}

const common = { target: 'ES2022', strict: true, skipLibCheck: false, outDir: 'out', rootDir: 'src' };

const PROJECTS: Project[] = [
  {
    kind: 'nodenext',
    what: 'a Node project, `module: nodenext`, with @types/node',
    compilerOptions: () => ({ ...common, module: 'nodenext', lib: ['ES2022'], types: ['node'], typeRoots: [NODE_TYPES] }),
    main: NODE_MAIN,
    expected: [...EXPECTED, 'rss true'],
  },
  {
    kind: 'bundler',
    what: 'a bundled project, `module: preserve` (`moduleResolution: bundler`), with @types/node',
    compilerOptions: () => ({
      ...common,
      module: 'preserve',
      moduleResolution: 'bundler',
      types: ['node'],
      typeRoots: [NODE_TYPES],
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
    }),
    main: MAIN,
    expected: EXPECTED,
  },
  {
    kind: 'dom',
    what: 'a browser project: DOM lib, no @types/node (`types: []`)',
    compilerOptions: (packages) => ({
      ...common,
      module: 'esnext',
      moduleResolution: 'bundler',
      // Exactly the lib the core README promises is enough.
      lib: readmeLib(readFileSync(join(packages.core.root, 'README.md'), 'utf8')),
      types: [],
    }),
    main: MAIN,
    expected: EXPECTED,
  },
];

/** The three scratch projects, each with the four tarballs installed by npm, offline. */
const installed = step(async (): Promise<Record<Project['kind'], string>> => {
  const packages = await packed();
  const dependencies = Object.fromEntries(
    LIBRARIES.map((library) => [packages[library].manifest.name, `file:${packages[library].tarball}`]),
  );
  const dirs = await Promise.all(
    PROJECTS.map(async (project): Promise<[Project['kind'], string]> => {
      const dir = join(work, 'projects', project.kind);
      mkdirSync(join(dir, 'src'), { recursive: true });
      const manifest = { name: `consumer-${project.kind}`, private: true, type: 'module', dependencies };
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: project.compilerOptions(packages), include: ['src'] }, null, 2));
      writeFileSync(join(dir, 'src/consumer.ts'), CONSUMER);
      writeFileSync(join(dir, 'src/main.ts'), project.main);
      // --offline: nothing may come from the registry; @refheap/core, which the other three
      // depend on, must be taken from its tarball.
      await run(
        'npm',
        ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--cache', join(work, 'npm-cache')],
        dir,
      );
      return [project.kind, dir];
    }),
  );
  return Object.fromEntries(dirs) as Record<Project['kind'], string>;
});

describe('a consumer of the installed tarballs', () => {
  it(
    'npm installs the four tarballs offline, with one copy of @refheap/core',
    async () => {
      const dirs = await installed();
      for (const dir of Object.values(dirs)) {
        const nested = LIBRARIES.filter((l) => existsSync(join(dir, 'node_modules/@refheap', l, 'node_modules/@refheap/core')));
        expect(nested, `${dir}: packages with their own copy of core`).toEqual([]);
        for (const library of LIBRARIES) expect(existsSync(join(dir, 'node_modules/@refheap', library, 'dist/index.js'))).toBe(true);
      }
    },
    STEP_TIMEOUT,
  );

  for (const project of PROJECTS) {
    it(
      `type-checks and runs in ${project.what}`,
      async () => {
        const dir = (await installed())[project.kind];
        await run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir);
        const output = await run(process.execPath, ['out/main.js'], dir);
        expect(output.trim().split('\n')).toEqual(project.expected);
      },
      STEP_TIMEOUT,
    );
  }

  it(
    'a project without @types/node gets `Disposable` from core’s declarations, as every README says',
    async () => {
      const packages = await packed();
      expect(referencesDisposable(packages.core)).toBe(true);
      for (const library of LIBRARIES) {
        const readme = readFileSync(join(packages[library].root, 'README.md'), 'utf8');
        expect(readme, `${library}'s README`).toContain('"lib": ["ES2022", "DOM"]');
        expect(readme, `${library}'s README`).not.toContain('ESNext.Disposable');
      }
    },
    STEP_TIMEOUT,
  );
});
