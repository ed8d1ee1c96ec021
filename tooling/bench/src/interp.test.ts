/**
 * The interp-* workloads compare two interpreters on one Python source: this checks that
 * the two halves build that source byte for byte alike (interp.ts's programSource and
 * interp_program.py's source), for every program and prelude the workloads use.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { besideModule } from './workload.ts';
import { type Names, programSource } from './workloads/interp.ts';

const PYTHON = process.env['PYTHON'] ?? 'python3';
const WORKLOADS_DIR = besideModule(import.meta.url, './workloads');

const CASES: readonly [string, Names][] = [
  ['listcomp.py', { N: 1_000_000 }],
  ['hot-loop.py', { N: 1_000_000, GC: true }],
  ['hot-loop.py', { N: 1_000_000, GC: false }],
  ['linked-list.py', { N: 100_000 }],
];

function pythonSource(program: string, names: Names): string {
  const script = [
    'import json, sys',
    'sys.dont_write_bytecode = True',
    `sys.path.insert(0, ${JSON.stringify(WORKLOADS_DIR)})`,
    'from interp_program import source',
    'args = json.loads(sys.argv[1])',
    'sys.stdout.write(json.dumps(source(args[0], args[1])))',
  ].join('\n');
  const out = execFileSync(PYTHON, ['-c', script, JSON.stringify([program, names])], { encoding: 'utf8' });
  return JSON.parse(out) as string;
}

describe('interp-* sources', () => {
  it.each(CASES)('%s %j is the same source on both sides', (program, names) => {
    const source = programSource(program, names);
    expect(source.startsWith(`N = ${String(names['N'])}\n`)).toBe(true);
    expect(pythonSource(program, names)).toBe(source);
  }, 60_000);
});
