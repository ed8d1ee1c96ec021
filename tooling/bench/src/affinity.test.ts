/**
 * `--cpu K`: the runner's threads leave K, a half started from it has its main thread alone on
 * K and its other threads (V8's helpers) elsewhere. Checked on real processes through /proc,
 * against what python3's os.sched_getaffinity says.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allowedCpus, CPU_VARIABLE, cpuEnvironment, parseCpuList } from './affinity.ts';
import { NODE_FLAGS } from './runner.ts';

const AFFINITY = pathToFileURL(fileURLToPath(new URL('./affinity.ts', import.meta.url))).href;
const SLOW = 60_000;
const onLinux = process.platform === 'linux';

/** Runs `body` (an ES module's text, with `affinity` imported) in a new node process; its stdout as JSON. */
function inChild(body: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const code = `const affinity = await import(${JSON.stringify(AFFINITY)});\n${body}`;
  const out = execFileSync(process.execPath, [...NODE_FLAGS, '--input-type=module', '-e', code], { env, encoding: 'utf8' });
  return JSON.parse(out);
}

/** Every thread of the calling process, with the CPUs it may use (read in the child itself). */
const THREADS = `
  const { readdirSync } = await import('node:fs');
  const threads = readdirSync('/proc/self/task').map(Number);
  const cpus = Object.fromEntries(threads.map((tid) => [tid, affinity.allowedCpus('self', tid)]));
`;

describe('parseCpuList', () => {
  it('reads the kernel’s ranges and single CPUs, in order', () => {
    expect(parseCpuList('0-3,6')).toEqual([0, 1, 2, 3, 6]);
    expect(parseCpuList('5,1\n')).toEqual([1, 5]);
    expect(parseCpuList('2')).toEqual([2]);
  });

  it('names what it cannot read', () => {
    expect(() => parseCpuList('0-a')).toThrow('not a CPU list: "0-a"');
    expect(() => parseCpuList('')).toThrow(/not a CPU list/);
  });
});

describe.runIf(onLinux)('--cpu on Linux', () => {
  const allowed = allowedCpus();
  const cpu = allowed[allowed.length - 1]!;

  it('reads the same CPUs as python3’s os.sched_getaffinity', () => {
    const python = execFileSync('python3', ['-c', 'import os, json; print(json.dumps(sorted(os.sched_getaffinity(0))))'], {
      encoding: 'utf8',
    });
    expect(allowed).toEqual(JSON.parse(python));
  });

  it('passes the CPU to a half only when one is chosen', () => {
    expect(cpuEnvironment(null)[CPU_VARIABLE]).toBe(process.env[CPU_VARIABLE]);
    expect(cpuEnvironment({ python: 'python3', cpu: 3 })).toMatchObject({ [CPU_VARIABLE]: '3', REFHEAP_BENCH_PYTHON: 'python3' });
  });

  it.runIf(allowed.length >= 2)(
    'moves the runner off the CPU, and a half’s main thread alone onto it',
    () => {
      const result = inChild(
        `
        affinity.leaveCpu('python3', ${cpu});
        ${THREADS}
        const { execFileSync } = await import('node:child_process');
        const half = execFileSync(process.execPath, [...${JSON.stringify(NODE_FLAGS)}, '--input-type=module'], {
          env: affinity.cpuEnvironment({ python: 'python3', cpu: ${cpu} }),
          input: ${JSON.stringify(`const affinity = await import(${JSON.stringify(AFFINITY)});\naffinity.takeCpuFromEnvironment();\n${THREADS}\nconsole.log(JSON.stringify({ pid: process.pid, cpus }));`)},
          encoding: 'utf8',
        });
        console.log(JSON.stringify({ runner: cpus, half: JSON.parse(half) }));
        `,
      ) as { runner: Record<string, number[]>; half: { pid: number; cpus: Record<string, number[]> } };
      const rest = allowed.filter((c) => c !== cpu);
      for (const cpus of Object.values(result.runner)) expect(cpus).toEqual(rest);
      const { pid, cpus } = result.half;
      expect(cpus[pid]).toEqual([cpu]);
      const helpers = Object.entries(cpus).filter(([tid]) => Number(tid) !== pid);
      expect(helpers.length).toBeGreaterThan(0); // V8's and libuv's threads
      for (const [, helperCpus] of helpers) expect(helperCpus).toEqual(rest);
    },
    SLOW,
  );

  it('refuses a CPU the process may not use, naming the ones it may', () => {
    expect(() => inChild(`affinity.leaveCpu('python3', 4096);`)).toThrow(
      `--cpu 4096: this process may run on CPUs ${allowed.join(', ')} only`,
    );
  });

  it.runIf(allowed.length >= 2)(
    'refuses the only CPU a process may use',
    () => {
      // Every thread of the child narrowed to that one CPU first (a thread may narrow its own set).
      const message = inChild(`
        const { readdirSync } = await import('node:fs');
        const { execFileSync } = await import('node:child_process');
        const narrow = 'import os, sys\\nfor t in sys.argv[1:]: os.sched_setaffinity(int(t), {${cpu}})';
        execFileSync('python3', ['-c', narrow, ...readdirSync('/proc/self/task')]);
        try { affinity.leaveCpu('python3', ${cpu}); console.log('null'); } catch (error) { console.log(JSON.stringify(error.message)); }
      `);
      expect(message).toBe(`--cpu ${cpu}: it is the only CPU this process may use; the other threads need one more`);
    },
    SLOW,
  );
});
