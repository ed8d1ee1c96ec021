/**
 * @refheap/gc — CPython's generational cycle collector for a refheap heap,
 * with the gc module's API in camelCase.
 *
 *     const heap = new Heap();
 *     const gc = new Collector(heap);
 *     gc.collect(); // the number of unreachable objects found
 */
export { Collector } from './collector.ts';
export type {
  CollectionInfo,
  CollectionPhase,
  CollectorOptions,
  FinalizerSemantics,
  GcCallback,
  GenerationStats,
} from './collector.ts';
export { DEBUG_COLLECTABLE, DEBUG_LEAK, DEBUG_SAVEALL, DEBUG_STATS, DEBUG_UNCOLLECTABLE } from './debug.ts';
export type { ClockSource } from './clock.ts';
export type { DebugSink } from './debug.ts';
export type { IncrementalOptions } from './pacing.ts';
export type { Pause, PauseSummary } from './pauses.ts';
