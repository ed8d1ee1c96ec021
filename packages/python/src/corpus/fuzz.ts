/**
 * Seeded random memory programs, each run under python3 and refheap-python; prints
 * "N programs run, M differences" and the first few differing programs, minimized.
 *
 *   npx -y pnpm@10.34.8 --filter @refheap/python fuzz -- --count 200 --seed 1
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compare, runCPython, runRefheapSource, type RunResult } from './differential.ts';

/** mulberry32: small, seeded, the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Fixed prelude, never dropped by minimizing. gc is disabled so that only the program's own
// gc.collect() calls collect, and their counts do not depend on allocation thresholds.
const PRELUDE = `import gc
import sys
import weakref
gc.disable()
gc.collect()
class Plain:
    pass
class Noisy:
    def __init__(self, name):
        self.name = name
    def __del__(self):
        print('del', self.name)
def make_locals(n):
    tmp = [Noisy('local%d' % n), [n]]
    return len(tmp)
`;

/** Printed last: what comes after it is the interpreter's shutdown, not the program. */
export const EXIT_MARK = '--- exit ---\n';

/** A run's output up to the program's end, leaving out what shutdown prints. */
function untilExit(result: RunResult): RunResult {
  const at = result.stdout.indexOf(EXIT_MARK);
  return at < 0 ? result : { ...result, stdout: result.stdout.slice(0, at + EXIT_MARK.length) };
}

export interface Program {
  readonly statements: string[];
}

export function source(program: Program): string {
  return PRELUDE + program.statements.join('\n') + '\n';
}

/** A random sequence of memory operations over names v0..v5, kept valid by tracking which
 * names are bound (so python3 always runs it to the end). */
export function generate(random: () => number, length: number = 12 + Math.floor(random() * 12)): Program {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const bound = new Set<string>();
  const statements: string[] = [];
  let serial = 0;
  for (let i = 0; i < length; i++) {
    const live = [...bound].sort();
    const name = `v${Math.floor(random() * 6)}`;
    const kind = live.length === 0 ? 0 : Math.floor(random() * 9);
    switch (kind) {
      case 0: {
        const value = pick(['[]', '{}', 'Plain()', `Noisy('n${serial++}')`]);
        statements.push(`${name} = ${value}`);
        bound.add(name);
        break;
      }
      case 1: {
        // Containment, the way cycles are made: into a list, a dict or an instance.
        const a = pick(live);
        const b = pick(live);
        statements.push(
          `${a}.append(${b}) if isinstance(${a}, list) else ${a}.__setitem__('k', ${b}) if isinstance(${a}, dict) else setattr(${a}, 'ref', ${b})`,
        );
        break;
      }
      case 2: {
        const a = pick(live);
        statements.push(`del ${a}`);
        bound.delete(a);
        break;
      }
      case 3:
        statements.push(`print('locals', make_locals(${i}))`);
        break;
      case 4:
        statements.push(`print('collect', gc.collect())`);
        break;
      case 5: {
        const a = pick(live);
        statements.push(`print('rc ${a}', sys.getrefcount(${a}))`);
        break;
      }
      case 6: {
        // Lists and dicts take no weak references; only instances do.
        const a = pick(live);
        const w = `w${serial++}`;
        statements.push(
          `${w} = weakref.ref(${a}, lambda r: print('callback ${w}')) if isinstance(${a}, (Plain, Noisy)) else None`,
        );
        break;
      }
      case 7:
        statements.push(`print('referrers', len(gc.get_referrers(${pick(live)})))`);
        break;
      default: {
        const a = pick(live);
        statements.push(`${name} = ${a}`);
        bound.add(name);
      }
    }
  }
  statements.push(`print('final', gc.collect())`);
  statements.push(`print(${JSON.stringify(EXIT_MARK.trim())})`);
  return { statements };
}

export interface FuzzReport {
  readonly run: number;
  readonly differences: number;
  readonly failedUnderCPython: number;
  readonly examples: { readonly reason: string; readonly source: string }[];
}

function runManyCPython(sources: readonly string[]): RunResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'refheap-fuzz-'));
  try {
    const paths = sources.map((text, i) => {
      const path = join(dir, `fuzz_${String(i).padStart(4, '0')}.py`);
      writeFileSync(path, text);
      return path;
    });
    const results = runCPython(paths);
    return paths.map((path) => results.get(path)!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Drops statements one at a time while python3 still runs the program cleanly and the two
 * interpreters still disagree. */
export function minimize(program: Program): Program {
  let current = program.statements;
  for (let i = current.length - 1; i >= 0; i--) {
    const candidate = [...current.slice(0, i), ...current.slice(i + 1)];
    const text = source({ statements: candidate });
    const [expected] = runManyCPython([text]);
    if (expected!.exitCode !== 0) continue;
    if (compare(expected!, runRefheapSource(text, 'fuzz.py')) !== undefined) current = candidate;
  }
  return { statements: current };
}

/**
 * Runs `count` programs. With `untilExit`, only what each program prints before it ends is
 * compared — shutdown's finalizer order is a known difference (see the README).
 */
export function fuzz(options: { count: number; seed: number; examples?: number; refheap?: boolean; untilExit?: boolean }): FuzzReport {
  const random = rng(options.seed);
  const programs = Array.from({ length: options.count }, () => generate(random));
  const sources = programs.map(source);
  const expected = runManyCPython(sources);
  const failedUnderCPython = expected.filter((result) => result.exitCode !== 0).length;
  const examples: { reason: string; source: string }[] = [];
  let differences = 0;
  if (options.refheap !== false) {
    programs.forEach((program, i) => {
      const actual = runRefheapSource(sources[i]!, 'fuzz.py');
      const reason = options.untilExit ? compare(untilExit(expected[i]!), untilExit(actual)) : compare(expected[i]!, actual);
      if (reason === undefined) return;
      differences++;
      if (examples.length < (options.examples ?? 3)) examples.push({ reason, source: source(minimize(program)) });
    });
  }
  return { run: programs.length, differences, failedUnderCPython, examples };
}

function main(argv: readonly string[]): void {
  const option = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    return at >= 0 ? Number(argv[at + 1]) : fallback;
  };
  const report = fuzz({ count: option('--count', 200), seed: option('--seed', 1), untilExit: !argv.includes('--with-shutdown') });
  console.log(`${report.run} programs run, ${report.differences} differences`);
  if (report.failedUnderCPython > 0) console.log(`(${report.failedUnderCPython} failed under python3: a generator bug)`);
  for (const example of report.examples) console.log(`\n--- ${example.reason}\n${example.source}`);
  process.exitCode = report.differences > 0 || report.failedUnderCPython > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  main(process.argv.slice(2));
}
