/** Every workload, in the order the report lists them. */
import type { Workload } from '../workload.ts';
import { workload as allocFreeAcyclic } from './alloc-free-acyclic.ts';
import { workload as allocTracing } from './alloc-tracing.ts';
import { workload as gcChurn } from './gc-churn.ts';
import { workload as gcCycles } from './gc-cycles.ts';
import { workload as gcIncremental } from './gc-incremental.ts';
import { workload as gcLiveScan } from './gc-live-scan.ts';
import { workload as gcRebuild } from './gc-rebuild.ts';
import { workload as interpHotLoop } from './interp-hot-loop.ts';
import { workload as interpLinkedList } from './interp-linked-list.ts';
import { workload as interpListcomp } from './interp-listcomp.ts';
import { workload as memoryPerObject } from './memory-per-object.ts';
import { workload as weakrefCallback } from './weakref-callback.ts';
import { workload as weakvaluemapChurn } from './weakvaluemap-churn.ts';

export const workloads: readonly Workload[] = [
  allocFreeAcyclic,
  memoryPerObject,
  gcCycles,
  gcLiveScan,
  gcRebuild,
  gcChurn,
  gcIncremental,
  weakrefCallback,
  weakvaluemapChurn,
  allocTracing,
  interpListcomp,
  interpHotLoop,
  interpLinkedList,
];
