/**
 * The calling thread's CPU time, in milliseconds: CLOCK_THREAD_CPUTIME_ID, which Node 20 does
 * not expose (`process.cpuUsage()` sums every thread of the process, V8's helpers too, and
 * moves in steps). WASI does expose it — `clock_time_get` with the thread-CPU-time clock, which
 * Node's WASI answers with that very clock — so a module of a few dozen bytes, assembled below,
 * makes it a call of about 0.6 µs.
 *
 * Why the bench wants it: on a virtual machine whose kernel accounts steal time (Linux with
 * paravirtual steal accounting, as here), a thread's CPU time leaves out the time the
 * hypervisor took the CPU away. A pause measured on it is what the program itself spent in the
 * stop: the collector's work, the JS engine's work inside it, the kernel's on its behalf — not
 * another guest's turn.
 */
import { createRequire } from 'node:module';
import type { WASI as WasiClass } from 'node:wasi';

/** The engine's WebAssembly, as much of it as this file uses (the project's lib has no DOM). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const { Module, Instance } = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** WASI's clock id for the calling thread's CPU time (`thread_cputime_id`). */
const THREAD_CPUTIME = 3;

/**
 * The time the calling thread itself ran, in milliseconds: each step of it the smaller of the
 * wall clock's step and the thread CPU clock's. The CPU clock alone leaves out steal but now and
 * then leaps ahead of the wall clock (up to 1.4 ms in a few microseconds, here: the kernel
 * settling its accounts), which no thread can have spent; the wall clock alone counts the
 * hypervisor's turns. Neither leap survives the smaller step.
 */
export function ownTimeClock(cpu: () => number): () => number {
  const state = Float64Array.of(0, cpu(), performance.now()); // [own time, last CPU reading, last wall reading]
  return () => {
    const c = cpu();
    const w = performance.now();
    state[0] = state[0]! + Math.max(0, Math.min(c - state[1]!, w - state[2]!));
    state[1] = c;
    state[2] = w;
    return state[0];
  };
}

/** The clock, or null where the runtime gives no WASI or no thread clock. */
export function threadCpuClock(): (() => number) | null {
  try {
    // Loaded here, not imported: Node 20 warns that WASI is experimental as soon as it loads, and
    // only the processes that time with this clock should say so (the bench's workers, which don't).
    const { WASI } = createRequire(import.meta.url)('node:wasi') as { WASI: typeof WasiClass };
    const wasi = new WASI({ version: 'preview1', returnOnExit: true });
    const instance = new Instance(new Module(clockModule()), wasi.getImportObject());
    wasi.initialize(instance);
    const now = instance.exports['now'] as () => number;
    return Number.isFinite(now()) && now() > 0 ? now : null;
  } catch {
    return null;
  }
}

/**
 * The module: imports `clock_time_get(id: i32, precision: i64, out: i32) -> errno`, and exports
 * its memory (WASI writes the time there) and `now(): f64`, which asks for the thread clock into
 * memory at 0 and returns the nanoseconds read back, divided by 1e6. (A failing call leaves 0
 * there; `threadCpuClock` then gives none.)
 */
function clockModule(): Uint8Array {
  const I32 = 0x7f;
  const I64 = 0x7e;
  const F64 = 0x7c;
  const FUNC = 0x60;
  const clockTimeGet = [FUNC, 3, I32, I64, I32, 1, I32];
  const nowType = [FUNC, 0, 1, F64];
  const body = [
    0, // no locals
    ...[0x41, THREAD_CPUTIME], // i32.const id
    ...[0x42, 1], // i64.const precision (1 ns)
    ...[0x41, 0], // i32.const out
    ...[0x10, 0], // call clock_time_get
    0x1a, // drop its errno
    ...[0x41, 0, 0x29, 3, 0], // i32.const 0; i64.load align=8 offset=0
    0xba, // f64.convert_i64_u
    ...[0x44, ...float64(1e6)], // f64.const 1e6
    0xa3, // f64.div
    0x0b, // end
  ];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0], // "\0asm", version 1
    ...section(1, [2, ...clockTimeGet, ...nowType]), // types
    ...section(2, [1, ...name('wasi_snapshot_preview1'), ...name('clock_time_get'), 0x00, 0]), // import: type 0
    ...section(3, [1, 1]), // one function, of type 1
    ...section(5, [1, 0x00, 1]), // a memory of one page
    ...section(7, [2, ...name('now'), 0x00, 1, ...name('memory'), 0x02, 0]), // exports: function 1, memory 0
    ...section(10, [1, ...leb128(body.length), ...body]), // code
  ]);
}

function section(id: number, bytes: number[]): number[] {
  return [id, ...leb128(bytes.length), ...bytes];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...leb128(bytes.length), ...bytes];
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function float64(x: number): number[] {
  return [...new Uint8Array(Float64Array.of(x).buffer)];
}
