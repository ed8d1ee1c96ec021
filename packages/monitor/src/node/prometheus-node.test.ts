import { Heap } from '@refheap/core';
import client from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { PrometheusExporter } from '../prometheus.ts';
import { parsePrometheus } from '../test-support/prometheus-parse.ts';
import { createExporter, nodeMetrics, serveMetrics } from './prometheus-node.ts';

const metrics = nodeMetrics();
afterAll(() => metrics.close());

describe("Node's default metrics", () => {
  it("use prom-client's names, HELP texts and types wherever they mean the same", async () => {
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry });
    const theirs = new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, m]));
    const ours = await metrics.source();
    const compared: string[] = [];
    for (const family of ours) {
      const reference = theirs.get(family.name);
      expect(reference, `${family.name} is one of prom-client's defaults`).toBeDefined();
      expect(family.help).toBe(reference!.help);
      expect(family.type).toBe(reference!.type);
      compared.push(family.name);
    }
    // Everything prom-client reports but nodejs_active_handles/requests (deprecated Node internals).
    const omitted = [...theirs.keys()].filter((n) => !compared.includes(n)).sort();
    expect(omitted).toEqual(['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_requests', 'nodejs_active_requests_total']);
  });

  it('reads plausible values, labelled as prom-client labels them', async () => {
    const parsed = parsePrometheus(await new PrometheusExporter([metrics.source]).metrics());
    const value = (name: string, labels?: Record<string, string>) =>
      Number(parsed.find((f) => f.name === name)!.metrics.find((m) => !labels || Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))!.value);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(10e6);
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6);
    expect(value('nodejs_heap_space_size_used_bytes', { space: 'old' })).toBeGreaterThan(0);
    // Whole seconds, rounded as prom-client rounds them: up to half a second after a fresh start.
    const started = Date.now() / 1000 - process.uptime();
    expect(Math.abs(value('process_start_time_seconds') - started)).toBeLessThanOrEqual(0.5 + 0.01);
    const version = parsed.find((f) => f.name === 'nodejs_version_info')!.metrics[0]!;
    expect(version.labels).toEqual({ version: process.version, major: process.version.slice(1).split('.')[0], minor: process.version.split('.')[1], patch: process.version.split('.')[2] });
  });
});

describe('the /metrics endpoint', () => {
  it('binds 127.0.0.1 by default and serves the text format', async () => {
    const heap = new Heap();
    const exporter = createExporter({ heap });
    const served = await serveMetrics(exporter, { port: 0 });
    try {
      expect(served.host).toBe('127.0.0.1');
      expect(served.url).toBe(`http://127.0.0.1:${served.port}/metrics`);
      const response = await fetch(served.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const names = parsePrometheus(await response.text()).map((f) => f.name);
      expect(names).toContain('process_resident_memory_bytes');
      expect(names).toContain('refheap_objects');
      expect((await fetch(`http://127.0.0.1:${served.port}/other`)).status).toBe(404);
      expect((await fetch(served.url, { method: 'POST' })).status).toBe(405);
      const head = await fetch(served.url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await served.close();
      exporter.close();
    }
  });

  it('reports a failing source as a 500, and rejects a bad port', async () => {
    const exporter = new PrometheusExporter([
      () => {
        throw new Error('source broke');
      },
    ]);
    const served = await serveMetrics(exporter, { port: 0, path: '/m' });
    try {
      const response = await fetch(served.url);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain('source broke');
    } finally {
      await served.close();
    }
    await expect(serveMetrics(exporter, { port: -1 })).rejects.toThrow(RangeError);
    await expect(serveMetrics(exporter, { port: 1.5 })).rejects.toThrow(RangeError);
  });
});
