/**
 * The pacer's arithmetic: a slice plans for part of the budget at the rate measured for its
 * own pass, less what its stop has spent already; the count of slices left is taken at the
 * slowest pass's rate, so the slices come often enough to end the cycle within its allowance.
 */
import { describe, expect, test } from 'vitest';
import { IncrementalPacer } from './pacing.ts';

const SUBTRACT = 1;
const MARK = 2;

describe('IncrementalPacer', () => {
  test('a slice plans for part of the budget at its own pass rate, less what the stop spent', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    expect(pacer.plannedMs).toBeGreaterThanOrEqual(1 / 3);
    expect(pacer.plannedMs).toBeLessThanOrEqual(1 / 2);
    pacer.measured(SUBTRACT, 20_000, 1); // 20,000 objects per ms
    pacer.measured(MARK, 5_000, 1);
    expect(pacer.plannedWork(SUBTRACT, 0)).toBe(Math.floor(20_000 * pacer.plannedMs));
    expect(pacer.plannedWork(MARK, 0)).toBe(Math.floor(5_000 * pacer.plannedMs));
    expect(pacer.plannedWork(SUBTRACT, 0.1)).toBe(Math.floor(20_000 * (pacer.plannedMs - 0.1)));
  });

  test('a slice still does some work when its stop spent the whole plan, and some before any measure', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    expect(pacer.plannedWork(SUBTRACT, 0)).toBeGreaterThan(0);
    pacer.measured(SUBTRACT, 20_000, 1);
    expect(pacer.plannedWork(SUBTRACT, 5)).toBeGreaterThan(0);
    expect(pacer.plannedWork(SUBTRACT, 5)).toBeLessThan(pacer.plannedWork(SUBTRACT, 0));
  });

  test('too short a slice is no measure', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    pacer.measured(SUBTRACT, 20_000, 1);
    pacer.measured(SUBTRACT, 10, 0.0001); // 100,000 per ms, but from 10 objects
    expect(pacer.plannedWork(SUBTRACT, 0)).toBe(Math.floor(20_000 * pacer.plannedMs));
  });

  test('slices left are counted at the slowest pass, so the next one comes sooner', () => {
    const fast = new IncrementalPacer({ budgetMs: 1 });
    fast.measured(SUBTRACT, 20_000, 1);
    const mixed = new IncrementalPacer({ budgetMs: 1 });
    mixed.measured(SUBTRACT, 20_000, 1);
    mixed.measured(MARK, 5_000, 1);
    expect(mixed.perSlice()).toBe(Math.floor(5_000 * mixed.plannedMs));
    for (const pacer of [fast, mixed]) {
      pacer.beginCycle(3_200_000); // an allowance of 150,000 net allocations (3/64)
      pacer.noteYoungCount(0);
    }
    const work = 4 * 320_000; // few enough slices for steps above the least step
    const fastNext = fast.nextTrigger(0, work, 0, 1024, 1e9);
    const mixedNext = mixed.nextTrigger(0, work, 0, 1024, 1e9);
    expect(mixedNext).toBeLessThan(fastNext);
    // All the slices planned fit in the allowance.
    expect(Math.ceil(work / mixed.perSlice()) * mixedNext).toBeLessThanOrEqual(150_000 + mixedNext);
  });

  test('a final step plans its batch for what the stop has left', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    pacer.measuredFinal(4_000, 1);
    expect(pacer.finalBatch(16)).toBe(Math.floor(4_000 * pacer.plannedMs));
    expect(pacer.finalBatch(16, 0.2)).toBe(Math.floor(4_000 * (pacer.plannedMs - 0.2)));
    expect(pacer.finalBatch(1024, 0.2)).toBe(1024);
  });

  test('the young-generation threshold still bounds the next trigger', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    pacer.beginCycle(3_200_000);
    expect(pacer.nextTrigger(500, 1000, 0, 1024, 700)).toBeLessThanOrEqual(700);
  });
  test('slices are spaced by allocations so the program gets its gap, however far behind the cycle is', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    pacer.measured(SUBTRACT, 30_000, 1); // a slice plans 10,000 objects
    pacer.beginCycle(3_200_000); // an allowance of 150,000 net allocations
    pacer.leaveYoungCount(0, 0);
    pacer.noteYoungCount(1000, 0.1); // the program: 0.1 µs per allocation, so 8 µs is 80 allocations
    const perSlice = pacer.perSlice();
    // 500 slices left: on time is 298 allocations apart, more than the gap.
    expect(pacer.nextTrigger(1000, perSlice * 500, 0, 1024, 1e9)).toBe(1000 + Math.floor(149_000 / 500));
    // 4,000 slices left: on time would be 37 apart; the gap's 80 wins.
    expect(pacer.nextTrigger(1000, perSlice * 4000, 0, 1024, 1e9)).toBe(1000 + 80);
    // Past the allowance: still the gap, not back-to-back slices.
    pacer.noteYoungCount(200_000, 19.9);
    expect(pacer.nextTrigger(200_000, perSlice * 10, 0, 1024, 1e9) - 200_000).toBeGreaterThanOrEqual(70);
  });

  test('a slice is too soon until the program has had its gap since the last stop', () => {
    const pacer = new IncrementalPacer({ budgetMs: 1 });
    pacer.leaveYoungCount(0, 10);
    expect(pacer.tooSoon(10.001)).toBe(true);
    expect(pacer.tooSoon(10.05)).toBe(false);
  });

  test('the hard cap leaves room inside the budget', () => {
    const pacer = new IncrementalPacer({ budgetMs: 2 });
    expect(pacer.capMs).toBeLessThan(2);
    expect(pacer.capMs).toBeGreaterThan(pacer.plannedMs);
  });
});
