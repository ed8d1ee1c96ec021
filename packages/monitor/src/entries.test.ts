/**
 * The main entry runs in browsers: nothing it imports, directly or not, may be a
 * Node built-in or touch `process`. Node-only code lives behind `./node`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as main from './index.ts';
import * as node from './node.ts';

const src = dirname(fileURLToPath(import.meta.url));

function moduleGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    graph.set(file, specifiers);
    for (const s of specifiers) if (s.startsWith('.')) visit(resolve(dirname(file), s));
  };
  visit(entry);
  return graph;
}

describe('package entries', () => {
  it('keeps the main entry browser-safe: no node: imports, no process global', () => {
    const graph = moduleGraph(join(src, 'index.ts'));
    const offending: string[] = [];
    for (const [file, specifiers] of graph) {
      for (const s of specifiers) if (s.startsWith('node:') || s === 'fs' || s === 'http') offending.push(`${file}: ${s}`);
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      if (/\bprocess\./.test(code)) offending.push(`${file}: process`);
    }
    expect(offending).toEqual([]);
    expect([...graph.keys()].some((f) => f.includes(`${join('src', 'node')}`))).toBe(false);
  });

  it('./node re-exports the main entry and adds the Node-only parts', () => {
    for (const name of Object.keys(main)) expect(node).toHaveProperty(name);
    for (const name of ['sample', 'watch', 'MemoryWatch', 'serveMetrics', 'createExporter', 'nodeMetrics', 'writeHeapSnapshot', 'parseProcStatus']) {
      expect(node).toHaveProperty(name);
      expect(main).not.toHaveProperty(name);
    }
  });

  it('exports what the README documents', () => {
    for (const name of ['Tracemalloc', 'tracemalloc', 'Snapshot', 'Filter', 'DomainFilter', 'Statistic', 'StatisticDiff', 'Traceback', 'Frame', 'ObjGraph', 'objgraph', 'ReferenceGraph', 'renderDot', 'GrowthDetector', 'PrometheusExporter', 'refheapMetrics', 'formatPrometheus', 'Histogram', 'heapSnapshot', 'heapSnapshotChunks', 'formatSize', 'fnmatch', 'PyRuntimeError']) {
      expect(main).toHaveProperty(name);
    }
  });
});
