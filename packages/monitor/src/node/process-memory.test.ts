import { readFileSync } from 'node:fs';
import { Heap } from '@refheap/core';
import { describe, expect, it } from 'vitest';
import { parseProcStatus, sample } from './process-memory.ts';

const linux = process.platform === 'linux';

describe('process memory', () => {
  it('parses /proc/self/status kB fields into bytes', () => {
    expect(parseProcStatus('Name:\tnode\nVmHWM:\t   40212 kB\nVmRSS:\t   39900 kB\nThreads:\t7\n')).toEqual({ VmHWM: 40212 * 1024, VmRSS: 39900 * 1024 });
  });

  it.runIf(linux)('reads RSS and its peak from /proc on Linux, and V8 numbers from memoryUsage', () => {
    const s = sample();
    const status = parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
    expect(s.sources.rss).toBe('/proc/self/status');
    expect(s.sources.peakRss).toBe('/proc/self/status');
    expect(Math.abs(s.rss - status.VmRSS!)).toBeLessThan(64 * 1024 * 1024);
    expect(s.peakRss!).toBeGreaterThanOrEqual(s.rss - 64 * 1024 * 1024);
    expect(s.virtual).toBeGreaterThan(s.rss);
    expect(s.data).toBeGreaterThan(0);
    expect(s.heapUsed).toBeGreaterThan(0);
    expect(s.heapTotal).toBeGreaterThanOrEqual(s.heapUsed);
    expect(s.external).toBeGreaterThan(0);
    expect(s.arrayBuffers).toBeGreaterThanOrEqual(0);
    expect(s.missing).toEqual([]);
    expect(s.warnings).toEqual([]);
    expect(s.managed).toBeNull();
  });

  it('falls back, with a warning, when /proc is unreadable — and invents nothing', () => {
    const s = sample({ platform: 'linux', procStatusPath: '/nonexistent/status' });
    expect(s.sources.rss).toBe('process.memoryUsage');
    expect(s.rss).toBeGreaterThan(0);
    expect(s.warnings).toEqual(['could not read /nonexistent/status (ENOENT); using process.memoryUsage() and process.resourceUsage()']);
    expect(s.sources.peakRss).toBe('process.resourceUsage');
    expect(s.peakRss).toBeGreaterThan(0);
    expect(s.virtual).toBeNull();
    expect(s.data).toBeNull();
    expect(s.missing).toEqual(['virtual', 'data']);
  });

  it('marks what other platforms lack', () => {
    const s = sample({ platform: 'darwin' });
    expect(s.sources.rss).toBe('process.memoryUsage');
    expect(s.virtual).toBeNull();
    expect(s.missing).toContain('virtual');
    expect(s.missing).toContain('data');
    expect((JSON.parse(JSON.stringify(s)) as { virtual: unknown }).virtual).toBeNull(); // marked in JSON too, not dropped
  });

  it('counts the managed heap', () => {
    const heap = new Heap();
    const refs = Array.from({ length: 100 }, () => heap.newList());
    const s = sample({ heap });
    expect(s.managed!.objects).toBe(heap.liveObjects);
    expect(s.managed!.bytes).toBe(heap.stats().bytes);
    expect(sample({ heap, managedBytes: false }).managed!.bytes).toBeNull();
    for (const r of refs) heap.decref(r);
  });
});
