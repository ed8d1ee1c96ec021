/**
 * The repository's import graph: every source file of every package (packages/*, apps/*,
 * tooling/*), and for each the files it imports — relative imports resolved to files, and
 * `@refheap/x` (or a public subpath) resolved to the source entry its exports map names
 * under the `@refheap/source` condition. Type-only imports count: a circle of types is
 * still a circle a reader has to untangle. And the one question asked of it: its circles.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Every module specifier a source file imports: `import … from` (type-only too), `export …
 * from`, side-effect `import 'x'`, dynamic `import('x')` and `require('x')` — read by
 * TypeScript's own pre-processor, so that an import shown in a comment or a string is not one.
 */
export function specifiersIn(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

/** The source files under a folder, node_modules and dist left out. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** file → the files it imports. */
export type ImportGraph = Map<string, string[]>;

interface PackageDir {
  readonly dir: string;
  readonly name: string;
  readonly exports: Record<string, unknown>;
}

function packageDirs(repo: string): PackageDir[] {
  return ['packages', 'apps', 'tooling'].flatMap((group) => {
    const base = join(repo, group);
    if (!existsSync(base)) return [];
    return readdirSync(base)
      .map((name) => join(base, name))
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => {
        const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
          name: string;
          exports?: Record<string, unknown>;
        };
        return { dir, name: manifest.name, exports: manifest.exports ?? {} };
      });
  });
}

/** `./x.ts`, `./x.js` (a TypeScript file imported by its output name), `./x` and `./x/index.ts`. */
function resolveFile(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** `@refheap/x` or `@refheap/x/sub` → the source file its exports map gives under `@refheap/source`. */
function resolvePackage(packages: ReadonlyMap<string, PackageDir>, specifier: string): string | undefined {
  const match = /^(@refheap\/[^/]+)(?:\/(.+))?$/.exec(specifier);
  const target = match ? packages.get(match[1]!) : undefined;
  if (!target) return undefined;
  const entry = target.exports[match![2] === undefined ? '.' : `./${match![2]}`];
  const source = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['@refheap/source'] : undefined;
  const path = typeof source === 'string' ? join(target.dir, source) : join(target.dir, 'src/index.ts');
  return existsSync(path) ? path : undefined;
}

/** The import graph of the whole repository. */
export function importGraph(repo: string): ImportGraph {
  const dirs = packageDirs(repo);
  const packages = new Map(dirs.map((p) => [p.name, p]));
  const graph: ImportGraph = new Map();
  for (const { dir } of dirs) {
    for (const file of sourceFiles(dir)) {
      const targets = specifiersIn(readFileSync(file, 'utf8'))
        .map((s) => (s.startsWith('.') ? resolveFile(file, s) : resolvePackage(packages, s)))
        .filter((target): target is string => target !== undefined && target !== file);
      graph.set(file, [...new Set(targets)]);
    }
  }
  return graph;
}

/**
 * Every import circle: the strongly connected components of more than one file (Tarjan's
 * algorithm, iterative, so that a deep graph cannot overflow the stack), each listed from
 * its first file in sorted order, the components sorted too.
 */
export function circles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1) found.push(component.sort());
    }
  }
  return found.sort((a, b) => a[0]!.localeCompare(b[0]!));
}
