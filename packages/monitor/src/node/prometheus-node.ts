/**
 * Node's process and runtime metrics under prom-client's default names, HELP
 * texts and types (`process_resident_memory_bytes`, `nodejs_heap_size_used_bytes`,
 * `nodejs_gc_duration_seconds{kind}`, …), so existing dashboards and alerts
 * work unchanged next to the `refheap_*` metrics; and a `/metrics` endpoint on
 * node:http that binds 127.0.0.1 unless told otherwise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants as perfConstants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import {
  Histogram,
  PrometheusExporter,
  refheapMetrics,
  type MetricFamily,
  type MetricSource,
  type RefheapMetricsOptions,
} from '../prometheus.ts';
import { parseProcStatus } from './process-memory.ts';

export interface NodeMetricsOptions {
  /** Observe V8's collections for `nodejs_gc_duration_seconds`. Default true. */
  readonly gc?: boolean;
  /** Measure event-loop delay for `nodejs_eventloop_lag_*`. Default true. */
  readonly eventLoop?: boolean;
  /** Where /proc/self/status is (Linux). */
  readonly procStatusPath?: string;
}

/** A source of Node's default metrics that holds observers: `close()` it when done. */
export interface NodeMetrics {
  readonly source: MetricSource;
  close(): void;
}

const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];

const gauge = (name: string, help: string, value: number, labels?: Record<string, string | number>): MetricFamily => ({
  name,
  help,
  type: 'gauge',
  samples: [labels ? { value, labels } : { value }],
});

function readMaxFds(): number | null {
  try {
    for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n')) {
      if (line.startsWith('Max open files')) {
        const n = Number(line.split(/ {2,}/)[1]);
        return Number.isFinite(n) ? n : null;
      }
    }
  } catch {
    // not Linux, or /proc unreadable: no metric
  }
  return null;
}

/** prom-client's `collectDefaultMetrics()`, as a source (the metrics that apply to this platform). */
export function nodeMetrics(options: NodeMetricsOptions = {}): NodeMetrics {
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  const version = process.version;
  const [major, minor, patch] = version.slice(1).split('.').map(Number);
  const gcHistogram = new Histogram('nodejs_gc_duration_seconds', 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.', GC_BUCKETS);
  const kinds: Record<number, string> = {
    [perfConstants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [perfConstants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [perfConstants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [perfConstants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  let observer: PerformanceObserver | null = null;
  if (options.gc !== false) {
    observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const detail = (entry as { detail?: { kind?: number } }).detail;
        const kind = kinds[detail?.kind ?? -1] ?? 'unknown';
        gcHistogram.observe(entry.duration / 1000, { kind });
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  }
  let delay: IntervalHistogram | null = null;
  if (options.eventLoop !== false) {
    delay = monitorEventLoopDelay();
    delay.enable();
  }
  let lastLag = 0;
  const maxFds = process.platform === 'linux' ? readMaxFds() : null;

  const source: MetricSource = () => {
    const families: MetricFamily[] = [];
    const cpu = process.cpuUsage();
    families.push(
      { name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.', type: 'counter', samples: [{ value: cpu.user / 1e6 }] },
      { name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.', type: 'counter', samples: [{ value: cpu.system / 1e6 }] },
      { name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.', type: 'counter', samples: [{ value: (cpu.user + cpu.system) / 1e6 }] },
      gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', startTime),
    );
    let status: Record<string, number> | null = null;
    if (process.platform === 'linux') {
      try {
        status = parseProcStatus(readFileSync(options.procStatusPath ?? '/proc/self/status', 'utf8'));
      } catch {
        status = null;
      }
    }
    families.push(gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', status?.VmRSS ?? process.memoryUsage.rss()));
    if (status?.VmSize !== undefined) families.push(gauge('process_virtual_memory_bytes', 'Virtual memory size in bytes.', status.VmSize));
    if (status?.VmData !== undefined) families.push(gauge('process_heap_bytes', 'Process heap size in bytes.', status.VmData));
    if (process.platform === 'linux') {
      try {
        families.push(gauge('process_open_fds', 'Number of open file descriptors.', readdirSync('/proc/self/fd').length - 1));
      } catch {
        // no /proc: no metric
      }
      if (maxFds !== null) families.push(gauge('process_max_fds', 'Maximum number of open file descriptors.', maxFds));
    }
    // prom-client reports the lag measured at its previous scrape; so do we.
    families.push(gauge('nodejs_eventloop_lag_seconds', 'Lag of event loop in seconds.', lastLag));
    const start = process.hrtime.bigint();
    setImmediate(() => {
      lastLag = Number(process.hrtime.bigint() - start) / 1e9;
    }).unref();
    if (delay) {
      const ns = (v: number): number => (Number.isFinite(v) ? v / 1e9 : 0);
      families.push(
        gauge('nodejs_eventloop_lag_min_seconds', 'The minimum recorded event loop delay.', ns(delay.min)),
        gauge('nodejs_eventloop_lag_max_seconds', 'The maximum recorded event loop delay.', ns(delay.max)),
        gauge('nodejs_eventloop_lag_mean_seconds', 'The mean of the recorded event loop delays.', ns(delay.mean)),
        gauge('nodejs_eventloop_lag_stddev_seconds', 'The standard deviation of the recorded event loop delays.', ns(delay.stddev)),
        gauge('nodejs_eventloop_lag_p50_seconds', 'The 50th percentile of the recorded event loop delays.', ns(delay.percentile(50))),
        gauge('nodejs_eventloop_lag_p90_seconds', 'The 90th percentile of the recorded event loop delays.', ns(delay.percentile(90))),
        gauge('nodejs_eventloop_lag_p99_seconds', 'The 99th percentile of the recorded event loop delays.', ns(delay.percentile(99))),
      );
      delay.reset();
    }
    if (typeof process.getActiveResourcesInfo === 'function') {
      const counts = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
      families.push(
        {
          name: 'nodejs_active_resources',
          help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
          type: 'gauge',
          samples: [...counts].map(([type, value]) => ({ labels: { type }, value })),
        },
        gauge('nodejs_active_resources_total', 'Total number of active resources.', [...counts.values()].reduce((a, b) => a + b, 0)),
      );
    }
    const usage = process.memoryUsage();
    families.push(
      gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', usage.heapTotal),
      gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', usage.heapUsed),
      gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', usage.external),
    );
    const spaces = getHeapSpaceStatistics();
    const space = (s: { space_name: string }): string => s.space_name.slice(0, Math.max(0, s.space_name.indexOf('_space')));
    for (const [metric, pick] of [
      ['total', (s: (typeof spaces)[number]) => s.space_size],
      ['used', (s: (typeof spaces)[number]) => s.space_used_size],
      ['available', (s: (typeof spaces)[number]) => s.space_available_size],
    ] as const) {
      families.push({
        name: `nodejs_heap_space_size_${metric}_bytes`,
        help: `Process heap space size ${metric} from Node.js in bytes.`,
        type: 'gauge',
        samples: spaces.map((s) => ({ labels: { space: space(s) }, value: pick(s) })),
      });
    }
    families.push(gauge('nodejs_version_info', 'Node.js version info.', 1, { version, major: major!, minor: minor!, patch: patch! }));
    if (observer) families.push(gcHistogram.family());
    return families;
  };
  return {
    source,
    close() {
      observer?.disconnect();
      observer = null;
      delay?.disable();
      delay = null;
    },
  };
}

export interface DefaultExporterOptions extends Partial<RefheapMetricsOptions>, NodeMetricsOptions {
  /** Include Node's default metrics (prom-client's names). Default true. */
  readonly node?: boolean;
}

/** An exporter with Node's defaults and, when a heap is given, the `refheap_*` metrics. `close()` releases its observers. */
export function createExporter(options: DefaultExporterOptions = {}): PrometheusExporter & { close(): void } {
  const sources: MetricSource[] = [];
  let node: NodeMetrics | null = null;
  if (options.node !== false) {
    node = nodeMetrics(options);
    sources.push(node.source);
  }
  if (options.heap) {
    sources.push(
      refheapMetrics({
        heap: options.heap,
        ...(options.collector ? { collector: options.collector } : {}),
        ...(options.tracer ? { tracer: options.tracer } : {}),
        ...(options.pauseBuckets ? { pauseBuckets: options.pauseBuckets } : {}),
      }),
    );
  }
  const exporter = new PrometheusExporter(sources) as PrometheusExporter & { close(): void };
  exporter.close = () => node?.close();
  return exporter;
}

export interface ServeOptions {
  /** Default 9464 (the port OpenTelemetry's Prometheus exporter uses); 0 picks a free one. */
  readonly port?: number;
  /** Default 127.0.0.1: metrics stay on this machine unless you say otherwise. */
  readonly host?: string;
  /** Default `/metrics`. */
  readonly path?: string;
}

/** A running `/metrics` endpoint. */
export interface MetricsServer {
  readonly server: Server;
  readonly url: string;
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

/** Serves `exporter.metrics()` over HTTP (GET and HEAD on `path`; 404 elsewhere; 405 for other methods). */
export async function serveMetrics(exporter: PrometheusExporter, options: ServeOptions = {}): Promise<MetricsServer> {
  const host = options.host ?? '127.0.0.1';
  const path = options.path ?? '/metrics';
  const port = options.port ?? 9464;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found; metrics are at ${path}\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('method not allowed\n');
      return;
    }
    exporter.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': exporter.contentType, 'content-length': Buffer.byteLength(text) });
        response.end(request.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`could not collect metrics: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${shownHost}:${address.port}${path}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections?.();
      }),
  };
}
