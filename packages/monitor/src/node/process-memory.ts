/**
 * How much memory this process uses, read the way the seeds' `mem_check.py`
 * does and prom-client does: on Linux from /proc/self/status (VmRSS, and
 * VmHWM, the peak, which nothing else reports exactly), everywhere from
 * `process.memoryUsage()` for V8's heap, external and ArrayBuffer memory, and
 * `process.resourceUsage().maxRSS` as the peak where /proc is missing. A field
 * the platform cannot give is `null` and named in `missing`; a /proc that
 * cannot be read is a warning and a fallback, never an exception.
 */
import { readFileSync } from 'node:fs';
import type { Heap } from '@refheap/core';

/** Where a number came from. */
export type MemorySource = '/proc/self/status' | 'process.memoryUsage' | 'process.resourceUsage';

/** One reading of the process's memory (bytes). */
export interface MemorySample {
  /** `Date.now()` when taken. */
  readonly time: number;
  /** Resident set size. */
  readonly rss: number;
  /** Peak resident set size (VmHWM, or maxRSS). */
  readonly peakRss: number | null;
  /** Virtual memory size (VmSize; Linux only). */
  readonly virtual: number | null;
  /** Data segment size (VmData, prom-client's `process_heap_bytes`; Linux only). */
  readonly data: number | null;
  /** V8 heap used and reserved. */
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory of C++ objects bound to JS (Buffers, …) and of ArrayBuffers. */
  readonly external: number;
  readonly arrayBuffers: number;
  /** The refheap heap, when one was given: live objects and their estimated bytes. */
  readonly managed: { readonly objects: number; readonly bytes: number | null } | null;
  readonly sources: { readonly rss: MemorySource; readonly peakRss: MemorySource | null };
  /** Fields this platform could not give (they are null above). */
  readonly missing: readonly string[];
  /** Why a preferred source was not used (e.g. /proc unreadable). */
  readonly warnings: readonly string[];
}

export interface SampleOptions {
  /** Also count the managed heap's live objects (O(1)) and bytes (a scan; see `managedBytes`). */
  readonly heap?: Heap;
  /** Sum the managed heap's bytes (walks the object table). Default true. */
  readonly managedBytes?: boolean;
  /** Where to read the status from. Default `/proc/self/status` on Linux; ignored elsewhere. */
  readonly procStatusPath?: string;
  /** Pretend to be another platform (tests). Default `process.platform`. */
  readonly platform?: string;
}

/** The `kB` fields of /proc/<pid>/status, in bytes: `{ VmRSS: 41177088, VmHWM: …, … }`. */
export function parseProcStatus(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+)\s+kB\s*$/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}

/** Reads the process's memory now. */
export function sample(options: SampleOptions = {}): MemorySample {
  const platform = options.platform ?? process.platform;
  const usage = process.memoryUsage();
  const missing: string[] = [];
  const warnings: string[] = [];
  let status: Record<string, number> | null = null;
  if (platform === 'linux') {
    const path = options.procStatusPath ?? '/proc/self/status';
    try {
      status = parseProcStatus(readFileSync(path, 'utf8'));
      if (status.VmRSS === undefined) {
        warnings.push(`${path} has no VmRSS line; using process.memoryUsage()`);
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error));
      warnings.push(`could not read ${path} (${code}); using process.memoryUsage() and process.resourceUsage()`);
      status = null;
    }
  }
  const procRss = status?.VmRSS;
  const rss = procRss ?? usage.rss;
  let peakRss: number | null = status?.VmHWM ?? null;
  let peakSource: MemorySource | null = peakRss !== null ? '/proc/self/status' : null;
  if (peakRss === null && typeof process.resourceUsage === 'function') {
    const max = process.resourceUsage().maxRSS;
    if (max > 0) {
      peakRss = max * 1024; // kibibytes
      peakSource = 'process.resourceUsage';
    }
  }
  if (peakRss === null) missing.push('peakRss');
  const virtual = status?.VmSize ?? null;
  const data = status?.VmData ?? null;
  if (virtual === null) missing.push('virtual');
  if (data === null) missing.push('data');
  let managed: MemorySample['managed'] = null;
  if (options.heap) {
    const bytes = options.managedBytes === false ? null : options.heap.stats().bytes;
    managed = { objects: options.heap.liveObjects, bytes };
  }
  return {
    time: Date.now(),
    rss,
    peakRss,
    virtual,
    data,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    external: usage.external,
    arrayBuffers: usage.arrayBuffers,
    managed,
    sources: { rss: procRss !== undefined ? '/proc/self/status' : 'process.memoryUsage', peakRss: peakSource },
    missing,
    warnings,
  };
}
