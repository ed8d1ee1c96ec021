/**
 * The CLI as its users meet it: every scenario runs and its key numbers are
 * the ones the seeds and CPython 3.11 show; --json is one clean document;
 * colour and progress appear only at a terminal; bad input is answered with
 * the valid choices.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ScenarioRecord } from '../runner.ts';
import { labRoot } from '../server/paths.ts';
import { captureIo } from './capture.ts';
import type { RunDocument } from './commands/run.ts';
import { labVersion, main } from './main.ts';

/** The start of every ANSI colour sequence. */
const ESC = '\u001b[';

async function runJson(name: string): Promise<ScenarioRecord> {
  const io = captureIo();
  const code = await main(['run', name, '--json'], io);
  expect(io.stderr.text()).toBe('');
  expect(code).toBe(0);
  const document = JSON.parse(io.stdout.text()) as RunDocument;
  expect(document.scenarios).toHaveLength(1);
  expect(document.ok).toBe(document.scenarios[0]!.ok);
  return document.scenarios[0]!;
}

describe('refheap-lab run: every scenario, its key numbers', () => {
  it('refcount: 2, 3, 4, 3, 2; 3 inside a call; small ints shared, 257 not', async () => {
    const { facts, ok } = await runJson('refcount');
    expect(ok).toBe(true);
    expect([facts['a.getrefcount'], facts['after.b'], facts['after.l'], facts['after.del.b'], facts['after.del.l']]).toEqual([2, 3, 4, 3, 2]);
    expect(facts['in.call']).toBe(3);
    expect(facts['after.call']).toBe(2);
    expect(facts['true.count']).toBe(1);
    expect(facts['small.int.count']).toBeGreaterThan(1_000_000_000);
    expect(facts['small.int.same']).toBe(true);
    expect(facts['big.int.same']).toBe(false);
  });

  it('immediate-cleanup: destroyed before "Function completed"', async () => {
    const { facts } = await runJson('immediate-cleanup');
    expect(facts.order).toEqual(['Resource temp created', 'Resource temp destroyed', 'Function completed']);
  });

  it('ids: a lookup by id works, then is refused as freed, then as reused', async () => {
    const { facts } = await runJson('ids');
    expect(facts.same).toBe(true);
    expect(facts['after.free']).toBe('StaleIdError (freed)');
    expect(facts['after.reuse']).toMatch(/^StaleIdError \((reused|freed)\)$/);
  });

  it('circular-lists: the reprs, counts of 1 after del, collect() = 2', async () => {
    const { facts } = await runJson('circular-lists');
    expect(facts['l1.repr']).toBe('[1, [2, [...]]]');
    expect(facts['l2.repr']).toBe('[2, [1, [...]]]');
    expect(facts['l2[1][1][1]']).toBe('[1, [2, [...]]]');
    expect([facts['l1.count.after.del'], facts['l2.count.after.del']]).toEqual([1, 1]);
    expect(facts.collected).toBe(2);
  });

  it('a-b-cycle: counts 2 and 1, then 1 and 1; collect() = 2 and both are gone', async () => {
    const record = await runJson('a-b-cycle');
    const { facts } = record;
    expect([facts['count.a'], facts['count.b']]).toEqual([2, 1]);
    expect([facts['count.a.after'], facts['count.b.after']]).toEqual([1, 1]);
    expect([facts['exists.a'], facts['exists.b']]).toEqual([true, true]);
    expect(facts.collected).toBe(2);
    expect([facts['exists.a.after'], facts['exists.b.after']]).toEqual([false, false]);
    expect(record.steps[1]!.printed[0]).toMatch(/^B: 0x[0-9a-f]+, A:0x[0-9a-f]+$/);
    expect(record.steps[5]!.gcLog).toEqual([expect.stringMatching(/^gc: collectable <A 0x/), expect.stringMatching(/^gc: collectable <B 0x/)]);
  });

  it('finalizers: legacy parks 2 in gc.garbage; PEP 442 runs both __del__ and frees them', async () => {
    const { facts } = await runJson('finalizers');
    expect(facts['legacy.collected']).toBe(2);
    expect(facts['legacy.garbage']).toBe(2);
    expect(facts['legacy.printed']).toBe(0);
    expect(facts['legacy.freed']).toBe(2);
    expect(facts['pep442.collected']).toBe(2);
    expect(facts['pep442.garbage']).toBe(0);
    expect(facts['pep442.printed']).toEqual(['Node 1 deleted', 'Node 2 deleted']);
  });

  it('thresholds: (700, 10, 10); one automatic collection within 1000 allocations; none while disabled', async () => {
    const { facts } = await runJson('thresholds');
    expect(facts.threshold).toEqual([700, 10, 10]);
    expect(facts['stats.before']).toEqual([0, 0, 0]);
    expect(facts['auto.1000']).toEqual([1, 0, 0]);
    expect(facts['first.at']).toBeGreaterThan(690);
    expect(facts['first.at']).toBeLessThanOrEqual(701);
    const [g0, g1] = facts['auto.20000'] as number[];
    expect(g0! + g1!).toBeGreaterThanOrEqual(28);
    expect(g1).toBeGreaterThanOrEqual(2);
    expect(facts['threshold.raised']).toEqual([1000, 15, 15]);
    expect((facts['auto.raised'] as number[])[0]).toBeLessThan(g0!);
    expect(facts['auto.disabled']).toEqual([0, 0, 0]);
    expect(facts.collected).toBe(0);
  });

  it('hot-loop: ints never trigger the collector; a list per item does, and costs time', async () => {
    const { facts } = await runJson('hot-loop');
    expect(facts['ints.on.collections']).toBe(0);
    expect(facts['lists.off.collections']).toBe(0);
    expect(facts['lists.on.collections']).toBeGreaterThan(1000);
    expect(facts['lists.on.pause.ms']).toBeGreaterThan(0);
    expect(facts['lists.ratio']).toBeGreaterThan(1);
  });

  it('memory-growth: flat and stable with the collector on, growing with it off', async () => {
    const record = await runJson('memory-growth');
    const { facts } = record;
    expect(facts['on.live']).toBeLessThan(5000);
    expect(facts['on.verdict']).not.toBe('growing');
    expect(facts['off.live']).toBeGreaterThan(400_000);
    expect(facts['off.collections']).toBe(0);
    expect(facts['off.verdict']).toBe('growing');
    // Process memory moves with whatever else the test process does; the heap's own storage does not.
    expect(facts['off.storage.last']).toBeGreaterThan((facts['off.storage.first'] as number) + 20);
    expect(record.steps[1]!.plot!.series.map((s) => s.points.length)).toEqual([40, 40]);
  });
});

describe('refheap-lab run: the weakref scenarios', () => {
  it('weak-cache: a miss creates, a hit is the same object, dropping the last user evicts; 1 hit, 2 misses, 1 eviction', async () => {
    const { facts, ok, mismatches } = await runJson('weak-cache');
    expect(mismatches).toEqual([]);
    expect(ok).toBe(true);
    expect([facts['first.hits'], facts['first.misses'], facts['first.size']]).toEqual([0, 1, 1]);
    expect(facts['obj1.getrefcount']).toBe(2);
    expect(facts.same).toBe(true);
    expect([facts['second.hits'], facts['second.misses']]).toEqual([1, 1]);
    expect(facts['obj1.getrefcount.shared']).toBe(3);
    expect(facts['cached.after.del.obj1']).toBe(true);
    expect(facts['cached.after.del.obj2']).toBe(false);
    expect([facts['after.obj2.evictions'], facts['after.obj2.size'], facts.alive]).toEqual([1, 0, 0]);
    expect([facts['final.hits'], facts['final.misses'], facts['final.evictions'], facts['final.size']]).toEqual([1, 2, 1, 1]);
  });

  it('live-instances: two tracked, one dropped; its weakref reads None; 1 live instance, named second', async () => {
    const { facts, ok } = await runJson('live-instances');
    expect(ok).toBe(true);
    expect(facts.registered).toBe(2);
    expect(facts['weakref.count']).toBe(1);
    expect(facts['obj1.getrefcount']).toBe(2);
    expect(facts['first.dead']).toBe(true);
    expect(facts['alive.after.del']).toBe(1);
    expect(facts['registered.after.del']).toBe(2);
    expect(facts.live).toBe(1);
    expect(facts['registered.after.sweep']).toBe(1);
    expect(facts.survivor).toBe('second');
    expect(facts.found).toBe(1);
  });

  it('resource-pool: 0, then 1 inside the scope and 0 after; a with-name left bound keeps 1 until del', async () => {
    const { facts, ok } = await runJson('resource-pool');
    expect(ok).toBe(true);
    expect(facts['active.start']).toBe(0);
    expect(facts['active.inside']).toBe(1);
    expect(facts.closed).toBe(true);
    expect(facts['close.frees.mib']).toBe(1); // a real bytearray: its megabyte goes back at close()
    expect(facts['active.after']).toBe(0);
    expect(facts['alive.after']).toBe(0);
    expect(facts['active.module']).toBe(1);
    expect(facts['closed.module']).toBe(true);
    expect([facts['active.final'], facts['alive.final']]).toEqual([0, 0]);
  });
});

describe('refheap-lab run: the monitor scenarios', () => {
  it('leaky-cache: del frees nothing, collect finds nothing, the referrer is a list, the chain ends at the class', async () => {
    const { facts, ok } = await runJson('leaky-cache');
    expect(ok).toBe(true);
    expect(facts.live).toBe(1);
    expect(facts.remaining).toBe(1);
    expect(facts.collected).toBe(0);
    expect(facts.referrers).toEqual(['list']);
    expect(facts.chain).toEqual(["<class 'LeakyContainer'>", 'dict', 'list', 'LeakyContainer']);
    expect(facts['after.clear']).toBe(0);
  });

  it('tracemalloc: the line that made 200 lists is on top; compare_to shows 20 × 743 ints and 20 lists', async () => {
    const record = await runJson('tracemalloc');
    expect(record.facts['top.count']).toBe(200);
    expect(record.facts['top.where']).toBe('src/scenarios/tracemalloc.ts:…');
    expect(record.facts['grew.top']).toEqual([14860, 20]);
    expect(record.facts.tracing).toBe(false);
    expect(record.steps[0]!.printed[0]).toMatch(/^src\/scenarios\/tracemalloc\.ts:\d+: size=[\d.]+ KiB, count=200, average=\d+ B$/);
    expect(record.steps[1]!.printed[0]).toMatch(/count=14860 \(\+14860\)/);
  });
});

describe('refheap-lab output', () => {
  it('narrates with the Python beside the TypeScript, without colour when piped', async () => {
    const io = captureIo();
    expect(await main(['run', 'a-b-cycle'], io)).toBe(0);
    const text = io.stdout.text();
    expect(text).not.toContain(ESC);
    expect(text).toContain('Python');
    expect(text).toContain('TypeScript on refheap');
    expect(text).toMatch(/my_var = None\s+│ lab\.bind\('my_var', py\.none\(\)\);/);
    expect(text).toMatch(/get_ref_count\(id_a\)\s+2\s+✓ CPython 3\.11: 2/);
    expect(text).toContain('gc: collectable <A 0x');
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

  it('plots the memory samples in the terminal and draws no progress bar into a pipe', async () => {
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

  it('run --all --json is one document of every scenario, all matching CPython', async () => {
    const io = captureIo();
    expect(await main(['run', '--all', '--json'], io)).toBe(0);
    const document = JSON.parse(io.stdout.text()) as RunDocument;
    expect(document.ok).toBe(true);
    expect(document.scenarios.length).toBeGreaterThanOrEqual(9);
    // The same shape as `run <one> --json`: the same keys for the document and for each scenario.
    const one = captureIo();
    await main(['run', 'refcount', '--json'], one);
    const single = JSON.parse(one.stdout.text()) as RunDocument;
    expect(Object.keys(single).sort()).toEqual(Object.keys(document).sort());
    const refcount = document.scenarios.find((r) => r.name === 'refcount')!;
    expect(Object.keys(single.scenarios[0]!).sort()).toEqual(Object.keys(refcount).sort());
    const steady = (r: ScenarioRecord) => r.steps.flatMap((s) => s.facts.filter((f) => !f.varies).map((f) => [f.key, f.value]));
    expect(steady(single.scenarios[0]!)).toEqual(steady(refcount));
  }, 120_000);

  it('is reproducible: two runs give the same facts except those marked as varying', async () => {
    const strip = (r: ScenarioRecord) => r.steps.flatMap((s) => s.facts.filter((f) => !f.varies).map((f) => [f.key, f.value]));
    for (const name of ['refcount', 'a-b-cycle', 'finalizers', 'thresholds']) {
      expect(strip(await runJson(name))).toEqual(strip(await runJson(name)));
    }
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
