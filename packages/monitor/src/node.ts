/**
 * @refheap/monitor/node — the parts that need Node: process memory (/proc and
 * `process.memoryUsage()`), `watch`, Node's default Prometheus metrics and the
 * `/metrics` endpoint, and `.heapsnapshot` files. Everything from the main
 * entry is re-exported, so Node programs import from here alone.
 */
export * from './index.ts';
export { parseProcStatus, sample } from './node/process-memory.ts';
export type { MemorySample, MemorySource, SampleOptions } from './node/process-memory.ts';
export { MemoryWatch, watch } from './node/watch.ts';
export type { MemoryWatchEvents, WatchedMetric, WatchOptions } from './node/watch.ts';
export { createExporter, nodeMetrics, serveMetrics } from './node/prometheus-node.ts';
export type { DefaultExporterOptions, MetricsServer, NodeMetrics, NodeMetricsOptions, ServeOptions } from './node/prometheus-node.ts';
export { writeHeapSnapshot } from './node/heapsnapshot-file.ts';
