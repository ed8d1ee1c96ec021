/**
 * @refheap/monitor — watch a refheap heap's memory the way Python programmers
 * already do: tracemalloc's API (with a sampling mode cheap enough to leave on),
 * objgraph's leak-finding tools and pictures, growth detection, Prometheus
 * metrics and Chrome DevTools heap snapshots. This entry runs anywhere
 * (browsers included); process memory, `watch`, the `/metrics` endpoint and
 * snapshot files are in `@refheap/monitor/node`.
 */
export { Tracemalloc, tracemalloc } from './tracemalloc.ts';
export type { StartOptions, TracemallocOptions } from './tracemalloc.ts';
export { Snapshot, Filter, DomainFilter } from './snapshot.ts';
export type { KeyType, SnapshotJSON, SnapshotOrigin, TraceTable } from './snapshot.ts';
export { Frame, Traceback, Statistic, StatisticDiff } from './traceback.ts';
export type { Trace } from './traceback.ts';
export { ObjGraph, objgraph } from './objgraph.ts';
export type { ChainOptions, GraphOptions, GrowthOptions as TypeGrowthOptions, LimitOptions, ObjectSet, ObjGraphOptions, TypeStatsOptions } from './objgraph.ts';
export { ReferenceGraph } from './reference-graph.ts';
export { renderDot } from './render.ts';
export type { RenderOptions, VizInstance } from './render.ts';
export { GrowthDetector, mannKendall, theilSen } from './growth.ts';
export type { GrowthOptions, GrowthPoint, GrowthReport, GrowthVerdict } from './growth.ts';
export {
  formatPrometheus,
  formatValue,
  GC_PAUSE_BUCKETS,
  Histogram,
  PROMETHEUS_CONTENT_TYPE,
  PrometheusExporter,
  refheapMetrics,
} from './prometheus.ts';
export type { CollectorMetricsSource, MetricFamily, MetricSample, MetricSource, MetricType, RefheapMetricsOptions } from './prometheus.ts';
export { HEAP_SNAPSHOT_META, heapSnapshot, heapSnapshotChunks, heapSnapshotNodeId } from './heapsnapshot.ts';
export type { HeapSnapshotMeta, HeapSnapshotOptions, HeapSnapshotSummary } from './heapsnapshot.ts';
export { fnmatch, translate as fnmatchTranslate } from './fnmatch.ts';
export { formatSize } from './pyformat.ts';
export { PyRuntimeError } from './errors.ts';
