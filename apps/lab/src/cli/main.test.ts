/**
 * The CLI as its users meet it: every scenario runs as its Python program and its key numbers
 * are the ones the seeds and CPython 3.11 show; a learner's own file is narrated line by line;
 * --json is one clean document; colour only at a terminal; bad input is answered with the
 * valid choices.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../registry.ts';
import { scenarioProgram, type ScenarioRun } from '../runner.ts';
import { labRoot } from '../server/paths.ts';
import { captureIo } from './capture.ts';
import type { RunDocument } from './commands/run.ts';
import { labVersion, main } from './main.ts';

/** The start of every ANSI colour sequence. */
const ESC = '\u001b[';

async function runJson(name: string): Promise<ScenarioRun> {
  const io = captureIo();
  const code = await main(['run', name, '--json'], io);
  expect(io.stderr.text()).toBe('');
  const document = JSON.parse(io.stdout.text()) as RunDocument;
  expect(document.scenarios).toHaveLength(1);
  expect(document.scenarios[0]!.mismatches).toEqual([]);
  expect(code).toBe(0);
  expect(document.ok).toBe(true);
  return document.scenarios[0]!;
}

describe('refheap-lab run: every scenario, its key numbers', () => {
  it('refcount: 2, 3, 4, 3, 2; 3 inside a call; small ints shared; 257 twice in a file is one constant', async () => {
    const { facts } = await runJson('refcount');
    expect([facts['a.getrefcount'], facts['after.b'], facts['after.l'], facts['after.del.b'], facts['after.del.l']]).toEqual([2, 3, 4, 3, 2]);
    expect([facts['in.call'], facts['after.call'], facts['true.count']]).toEqual([3, 2, 1]);
    expect(facts['small.int.count']).toBeGreaterThan(1_000_000_000);
    expect(facts['small.int.same']).toBe(true);
    expect(facts['big.int.same']).toBe(true);
  });

  it('immediate-cleanup: destroyed before "Function completed"', async () => {
    const record = await runJson('immediate-cleanup');
    expect(record.steps[1]!.printed).toBe('Resource temp created\nResource temp destroyed\nFunction completed\n');
  });

  it('circular-lists: the reprs, counts of 1 after del, collect() = 2', async () => {
    const { facts } = await runJson('circular-lists');
    expect([facts['l1.repr'], facts['l2.repr']]).toEqual(['[1, [2, [...]]]', '[2, [1, [...]]]']);
    expect([facts['l1.count.after.del'], facts['l2.count.after.del'], facts.collected]).toEqual([1, 1, 2]);
  });

  it('a-b-cycle: counts 2 and 1, then 1 and 1; collect() = 2 and both are gone', async () => {
    const record = await runJson('a-b-cycle');
    const { facts } = record;
    expect([facts['count.a'], facts['count.b'], facts['count.a.after'], facts['count.b.after']]).toEqual([2, 1, 1, 1]);
    expect([facts['exists.a'], facts['exists.b'], facts.collected, facts['exists.a.after'], facts['exists.b.after']]).toEqual([true, true, 2, false, false]);
    expect(record.steps[1]!.printed).toMatch(/^B: 0x[0-9a-f]+, a: 0x[0-9a-f]+\nA: 0x/);
  });

  it('finalizers: PEP 442 finalizes and frees the cycle; DEBUG_SAVEALL parks it in gc.garbage', async () => {
    const record = await runJson('finalizers');
    expect(record.facts.collected).toBe(2);
    expect(record.steps[1]!.printed).toBe('Node 1 deleted\nNode 2 deleted\n');
    expect([record.facts['saved.nodes'], record.facts['garbage.after'], record.facts['nodes.after']]).toEqual([2, 0, 0]);
  });

  it('thresholds: (700, 10, 10); one automatic collection within 1000 lists; none while disabled', async () => {
    const { facts } = await runJson('thresholds');
    expect(facts.threshold).toEqual([700, 10, 10]);
    expect(facts['ran.1000']).toEqual([1, 0, 0]);
    expect(facts['threshold.raised']).toEqual([1000, 15, 15]);
    expect((facts['ran.raised'] as number[])[0]).toBeLessThan((facts['ran.20000'] as number[])[0]!);
    expect([facts['ran.disabled'], facts.collected]).toEqual([[0, 0, 0], 0]);
  });

  it('hot-loop: ints never trigger the collector; a list per item does, each pause plotted', async () => {
    const record = await runJson('hot-loop');
    expect([record.facts['ints.on.collections'], record.facts['lists.off.collections']]).toEqual([0, 0]);
    expect(record.facts['lists.on.collections']).toBeGreaterThan(50);
    expect(record.steps[2]!.plot!.series[0]!.points).toHaveLength(record.facts['lists.on.collections'] as number);
  });

  it('memory-growth: stable with the collector on, growing with it off, 3 objects a round', async () => {
    const record = await runJson('memory-growth');
    expect(record.facts['per.round']).toBe(3);
    expect(record.steps[0]!.narration).toContain('verdict: stable');
    expect(record.steps[1]!.narration).toContain('verdict: growing');
    expect(record.steps[1]!.plot!.series.map((s) => s.points.length)).toEqual([40, 40]);
  });

  it('the weakref scenarios: 1 hit, 2 misses, 1 eviction; one live instance; the pool back at 0', async () => {
    const cache = await runJson('weak-cache');
    expect([cache.facts['final.hits'], cache.facts['final.misses'], cache.facts['final.evictions']]).toEqual([1, 2, 1]);
    const live = await runJson('live-instances');
    expect([live.facts['first.dead'], live.facts.live, live.facts.survivor]).toEqual([true, 1, 'second']);
    const pool = await runJson('resource-pool');
    expect([pool.facts['active.inside'], pool.facts['active.after'], pool.facts['active.module'], pool.facts['active.final']]).toEqual([1, 0, 1, 0]);
  });

  it('leaky-cache and tracemalloc: the holders back to the class; the top line made 200 lists', async () => {
    const leaky = await runJson('leaky-cache');
    expect([leaky.facts.referrers, leaky.facts.owners, leaky.facts['after.clear']]).toEqual([['list'], ['LeakyContainer'], 0]);
    const traced = await runJson('tracemalloc');
    expect(traced.facts['top.count']).toBe(200);
    expect(traced.steps[0]!.printed).toMatch(/^lab_tracemalloc\.py:\d+: size=[\d.]+ KiB, count=200, average=\d+ B$/m);
    expect(traced.facts.tracing).toBe(false);
  });
});

describe('refheap-lab output', () => {
  it('narrates each step with its numbered lines of the program, the checks and the narration, no colour when piped', async () => {
    const io = captureIo();
    expect(await main(['run', 'a-b-cycle'], io)).toBe(0);
    const text = io.stdout.text();
    expect(text).not.toContain(ESC);
    const program = scenarioProgram(findScenario('a-b-cycle')!).split('\n');
    const line = program.indexOf('my_var = None') + 1;
    expect(text).toContain(`${line} │ my_var = None`);
    expect(text).toMatch(/get_ref_count\(id_a\)\s+2\s+✓ CPython 3\.11: 2/);
    expect(text).toContain('out› B: 0x');
    expect(text).toContain('refheap-lab program a-b-cycle');
  });

  it('colours at a terminal, and not under NO_COLOR; --color forces it', async () => {
    const tty = captureIo({ tty: true });
    await main(['run', 'ids'], tty);
    expect(tty.stdout.text()).toContain(ESC);
    const noColor = captureIo({ tty: true, env: { NO_COLOR: '1' } });
    await main(['run', 'ids'], noColor);
    expect(noColor.stdout.text()).not.toContain(ESC);
    const forced = captureIo();
    await main(['run', 'ids', '--color'], forced);
    expect(forced.stdout.text()).toContain(ESC);
  });

  it('plots the samples in the terminal and draws no progress bar into a pipe', async () => {
    const io = captureIo();
    expect(await main(['run', 'memory-growth'], io)).toBe(0);
    expect(io.stdout.text()).toMatch(/┤.*x/);
    expect(io.stdout.text()).toContain('o collector on');
    expect(io.stderr.text()).toBe('');
  });

  it('list and list --json', async () => {
    const io = captureIo();
    expect(await main(['list'], io)).toBe(0);
    expect(io.stdout.text()).toContain('a-b-cycle');
    const json = captureIo();
    await main(['list', '--json'], json);
    const { scenarios } = JSON.parse(json.stdout.text()) as { scenarios: { name: string; drawable: boolean }[] };
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['refcount', 'a-b-cycle', 'finalizers', 'memory-growth']));
  });

  it('program <scenario> prints the scenario as the one Python file the page shows', async () => {
    const io = captureIo();
    expect(await main(['program', 'refcount'], io)).toBe(0);
    expect(io.stdout.text()).toBe(scenarioProgram(findScenario('refcount')!));
    const bad = captureIo();
    expect(await main(['program', 'refcont'], bad)).toBe(2);
    expect(bad.stderr.text()).toContain("Did you mean 'refcount'?");
  });

  it('run --all --json is one document of every scenario, all matching CPython, the shape of run <one> --json', async () => {
    const io = captureIo();
    expect(await main(['run', '--all', '--json'], io)).toBe(0);
    const document = JSON.parse(io.stdout.text()) as RunDocument;
    expect(document.ok).toBe(true);
    expect(document.scenarios).toHaveLength(14);
    const one = captureIo();
    await main(['run', 'refcount', '--json'], one);
    const single = JSON.parse(one.stdout.text()) as RunDocument;
    expect(Object.keys(single).sort()).toEqual(Object.keys(document).sort());
    const refcount = document.scenarios.find((r) => r.name === 'refcount')!;
    expect(Object.keys(single.scenarios[0]!).sort()).toEqual(Object.keys(refcount).sort());
    const steady = (r: ScenarioRun) => r.steps.flatMap((s) => s.checks.filter((f) => !f.varies).map((f) => [f.key, f.value]));
    expect(steady(single.scenarios[0]!)).toEqual(steady(refcount));
  }, 120_000);

  it('is reproducible: two runs give the same facts except those marked as varying', async () => {
    const strip = (r: ScenarioRun) => r.steps.flatMap((s) => s.checks.filter((f) => !f.varies).map((f) => [f.key, f.value]));
    for (const name of ['refcount', 'a-b-cycle', 'finalizers', 'thresholds']) {
      expect(strip(await runJson(name))).toEqual(strip(await runJson(name)));
    }
  });
});

describe('refheap-lab run FILE.py: a learner\'s own program', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lab-run-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, source: string): string => {
    const path = join(dir, name);
    writeFileSync(path, source);
    return path;
  };

  it('narrates each line: objects made and freed, the live count, collections, what it printed', async () => {
    const path = file('lesson.py', 'import gc\na = []\nb = [a]\na.append(b)\ndel a, b\nprint(gc.collect())\n');
    const io = captureIo();
    expect(await main(['run', path], io)).toBe(0);
    const text = io.stdout.text();
    expect(text).toContain('lesson.py');
    expect(text).toMatch(/\n\s+2\s+2\s+\d+\s+\+1\s+a = \[\]\n/);
    expect(text).toMatch(/\n\s+3\s+3\s+\d+\s+\+1\s+b = \[a\]\n/);
    expect(text).toMatch(/\n\s+6\s+6\s+\d+\s+-2\s+1\s+print\(gc\.collect\(\)\)\n\s+out› 2\n/);
    expect(text).toContain('counts: a 1 → 2, b 1 (new)');
    expect(text).toContain('counts: a deleted, b deleted');
    expect(text).toContain('The collector ran 1 time');

    const json = captureIo();
    expect(await main(['run', path, '--json'], json)).toBe(0);
    const document = JSON.parse(json.stdout.text()) as RunDocument;
    expect(document.scenarios).toEqual([]);
    const [program] = document.programs;
    expect(program!.ok).toBe(true);
    expect(program!.stdout).toBe('2\n');
    expect(program!.events.map((e) => [e.lineno, e.delta, e.collected]).slice(1)).toEqual([[2, 1, 0], [3, 1, 0], [4, 0, 0], [5, 0, 0], [6, -2, 1]]);
    expect(program!.events[5]!.text).toMatch(/^line 6: 2 fewer objects, \d+ live objects; the collector ran 1 time \(1 in all\)\.$/);
  });

  it('a program that raises shows its traceback and exits 1; an endless loop stops at the step budget', async () => {
    const io = captureIo();
    expect(await main(['run', file('raises.py', 'x = [1]\nprint(x[2])\n')], io)).toBe(1);
    expect(io.stdout.text()).toContain('IndexError: list index out of range');
    expect(io.stdout.text()).toContain('It ended with IndexError: list index out of range.');
    const loop = captureIo();
    expect(await main(['run', file('loop.py', 'while True:\n    pass\n'), '--json'], loop)).toBe(1);
    const [program] = (JSON.parse(loop.stdout.text()) as RunDocument).programs;
    expect(program!.stoppedBy).toBe('step budget');
    expect(program!.summary).toContain('stopped at its step budget');
  }, 60_000);

  it('a missing file is a usage error', async () => {
    const io = captureIo();
    expect(await main(['run', join(dir, 'nope.py')], io)).toBe(2);
    expect(io.stderr.text()).toContain('no such file');
  });
});

describe('bad input', () => {
  it('an unknown scenario lists the valid ones and suggests the nearest (exit 2)', async () => {
    const io = captureIo();
    expect(await main(['run', 'a-b-cylce'], io)).toBe(2);
    expect(io.stderr.text()).toContain("there is no scenario called 'a-b-cylce'. Did you mean 'a-b-cycle'?");
    expect(io.stderr.text()).toMatch(/The scenarios are:\n {2}refcount\n/);
    expect(io.stdout.text()).toBe('');
  });

  it('run with no name, an unknown command and an unknown option are usage errors', async () => {
    for (const argv of [['run'], ['frobnicate'], ['run', 'refcount', '--frob'], ['serve', '--port', 'eighty']]) {
      const io = captureIo();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr.text()).toMatch(/refheap-lab/);
    }
  });

  it('a port in use says so and suggests a free one', async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const io = captureIo();
      expect(await main(['serve', '--port', String(port)], io)).toBe(1);
      expect(io.stderr.text()).toMatch(new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; try --port \\d+ \\(it is free\\)`));
    } finally {
      blocker.close();
    }
  });
});

describe('the refheap-lab binary', () => {
  it('runs from the bin script with tsx and the source condition', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(labRoot, 'bin/refheap-lab.js'), 'run', 'circular-lists', '--json']);
    expect((JSON.parse(stdout) as RunDocument).scenarios[0]!.facts.collected).toBe(2);
  });
  it('--version prints the lab\'s version', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(labRoot, 'bin/refheap-lab.js'), '--version']);
    expect(stdout).toBe(`refheap-lab ${labVersion()}\n`);
  });
});
