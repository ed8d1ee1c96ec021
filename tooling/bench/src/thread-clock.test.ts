import { describe, expect, it } from 'vitest';
import { ownTimeClock, threadCpuClock } from './thread-clock.ts';

describe('threadCpuClock', () => {
  const clock = threadCpuClock();

  it('is there on Node 20 under Linux', () => {
    expect(clock).not.toBeNull();
  });

  it('advances while the thread works, about as the wall clock does', () => {
    const wall = performance.now();
    const cpu = clock!();
    let x = 1;
    while (performance.now() - wall < 40) for (let k = 0; k < 10_000; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    const spent = clock!() - cpu + (x & 0); // (x: so the loop is kept)
    // The wall clock's 40 ms, less whatever the machine took away meanwhile (not all of it).
    expect(spent).toBeGreaterThan(10);
    expect(spent).toBeLessThanOrEqual(performance.now() - wall + 1);
  });

  it('stands still while the thread sleeps, and never goes back', () => {
    const before = clock!();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60);
    const after = clock!();
    expect(after).toBeGreaterThanOrEqual(before);
    expect(after - before).toBeLessThan(20); // 60 ms asleep
  });

  it('counts this thread only: a worker spinning beside it adds nothing', async () => {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker('const end = Date.now() + 150; while (Date.now() < end);', { eval: true });
    const before = clock!();
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(clock!() - before).toBeLessThan(60); // the worker's 150 ms are its own
  });

  it('own time: steps by the smaller of the two clocks’, so neither a leap of the CPU clock nor a sleep counts', () => {
    let cpu = 0;
    const own = ownTimeClock(() => cpu);
    const start = own();
    cpu += 50; // the CPU clock leaps 50 ms in no wall time at all
    expect(own() - start).toBeLessThan(5);
    const before = own();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30); // 30 ms of wall time, no CPU
    expect(own() - before).toBe(0);
    const real = ownTimeClock(clock!);
    const t = real();
    let x = 1;
    const wall = performance.now();
    while (performance.now() - wall < 20) for (let k = 0; k < 10_000; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    const spent = real() - t + (x & 0);
    expect(spent).toBeGreaterThan(5); // work counts…
    expect(spent).toBeLessThanOrEqual(performance.now() - wall + 1); // …never more than the wall clock saw
  });
});
