/**
 * `--cpu K`: the thread that is timed, on each side, gets CPU K to itself. The runner moves
 * every thread of its own off K before it starts a half, so the halves' other threads (V8's
 * compiler and collector helpers, which a child makes at start and which inherit the
 * runner's CPUs) stay off it too; each half then moves its main thread, alone, onto K.
 *
 * Why: on a 2-core machine the timed thread otherwise shares its CPU with the process's own
 * helpers and with whatever the kernel runs (a kernel thread that holds a CPU for milliseconds
 * shows up as a pause of the collector that happened to be running). Node has no call for a
 * thread's CPUs, so this uses python3's `os.sched_setaffinity`, which the bench needs anyway.
 * Linux only.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The variable through which the runner tells a half which CPU its main thread takes. */
export const CPU_VARIABLE = 'REFHEAP_BENCH_CPU';
/** The python3 a half uses to move its own thread (the runner's `--python`). */
export const PYTHON_VARIABLE = 'REFHEAP_BENCH_PYTHON';

/** A kernel CPU list such as `0-3,6` (as in /proc's Cpus_allowed_list), as numbers in order. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>();
  for (const part of text.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (match === null) throw new Error(`not a CPU list: ${JSON.stringify(text)}`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let cpu = first; cpu <= last; cpu++) cpus.add(cpu);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs a thread of a process may run on: its Cpus_allowed_list in /proc. */
export function allowedCpus(pid: number | 'self' = 'self', tid?: number): number[] {
  const path = tid === undefined ? `/proc/${pid}/status` : `/proc/${pid}/task/${tid}/status`;
  let status: string;
  try {
    status = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`--cpu needs Linux's /proc (${path} could not be read)`, { cause: error });
  }
  const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
  if (line === null) throw new Error(`${path} has no Cpus_allowed_list`);
  return parseCpuList(line[1]!);
}

/**
 * Moves every thread of this process onto the CPUs it may use other than `cpu`, so that the
 * processes it starts from now on begin there. Throws, naming the CPUs, when `cpu` is not one
 * of them or is the only one.
 */
export function leaveCpu(python: string, cpu: number): void {
  const allowed = allowedCpus();
  if (!allowed.includes(cpu)) {
    throw new Error(`--cpu ${cpu}: this process may run on CPUs ${allowed.join(', ')} only`);
  }
  const rest = allowed.filter((c) => c !== cpu);
  if (rest.length === 0) throw new Error(`--cpu ${cpu}: it is the only CPU this process may use; the other threads need one more`);
  const threads = readdirSync('/proc/self/task').map(Number);
  setAffinity(python, threads, rest);
}

/**
 * In a half that the runner started with `--cpu`: its main thread alone onto that CPU. Does
 * nothing when the runner gave none.
 */
export function takeCpuFromEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  const cpu = env[CPU_VARIABLE];
  if (cpu === undefined || cpu === '') return;
  // On Linux a process's id is also its main thread's.
  setAffinity(env[PYTHON_VARIABLE] ?? 'python3', [process.pid], [Number(cpu)]);
}

/** Where a half's timed thread runs: CPU `cpu` alone, moved there with `python`. */
export interface CpuChoice {
  readonly python: string;
  readonly cpu: number;
}

/** A half's environment: this process's, with `--cpu` passed on when given. */
export function cpuEnvironment(choice: CpuChoice | null): NodeJS.ProcessEnv {
  if (choice === null) return process.env;
  return { ...process.env, [CPU_VARIABLE]: String(choice.cpu), [PYTHON_VARIABLE]: choice.python };
}

// (A thread that ended since it was listed is no error.)
const SET_AFFINITY = [
  'import os, sys',
  'cpus = set(map(int, sys.argv[1].split(",")))',
  'for tid in sys.argv[2:]:',
  '    try: os.sched_setaffinity(int(tid), cpus)',
  '    except ProcessLookupError: pass',
].join('\n');

function setAffinity(python: string, threads: readonly number[], cpus: readonly number[]): void {
  try {
    execFileSync(python, ['-c', SET_AFFINITY, cpus.join(','), ...threads.map(String)], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`could not move threads ${threads.join(', ')} onto CPUs ${cpus.join(', ')}: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}
