/**
 * Every scenario the lab knows, in the order a course would take them; each is a Python
 * program in steps (see scenario.ts). `scenarioProgram` and `runScenario` (runner.ts) are the
 * rest of what the CLI and the page use.
 */
import type { Scenario } from './scenario.ts';
import { abCycle } from './scenarios/a-b-cycle.ts';
import { circularLists } from './scenarios/circular-lists.ts';
import { finalizers } from './scenarios/finalizers.ts';
import { hotLoop } from './scenarios/hot-loop.ts';
import { ids } from './scenarios/ids.ts';
import { immediateCleanup } from './scenarios/immediate-cleanup.ts';
import { leakyCache } from './scenarios/leaky-cache.ts';
import { liveInstances } from './scenarios/live-instances.ts';
import { memoryGrowth } from './scenarios/memory-growth.ts';
import { refcount } from './scenarios/refcount.ts';
import { resourcePool } from './scenarios/resource-pool.ts';
import { thresholds } from './scenarios/thresholds.ts';
import { tracemallocScenario } from './scenarios/tracemalloc.ts';
import { weakCache } from './scenarios/weak-cache.ts';

export { runScenario, scenarioProgram } from './runner.ts';
export type { Check, ScenarioRun, StepRun } from './runner.ts';

export const scenarios: readonly Scenario[] = [
  refcount,
  immediateCleanup,
  ids,
  circularLists,
  abCycle,
  finalizers,
  thresholds,
  hotLoop,
  memoryGrowth,
  weakCache,
  liveInstances,
  leakyCache,
  tracemallocScenario,
  resourcePool,
];

export function findScenario(name: string): Scenario | undefined {
  return scenarios.find((s) => s.name === name);
}
