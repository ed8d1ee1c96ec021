/**
 * The web lab tested as a person would use it: a real Chromium (Debian's, at
 * /usr/bin/chromium, driven by playwright-core; nothing is downloaded) loads the
 * page from the lab's own server, presses the buttons, and the test checks both
 * the `window.__lab` hook and the pixels. Screenshots go to apps/lab/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './cli/capture.ts';
import { main } from './cli/main.ts';
import { COLORS } from './graph/dot.ts';
import type { HeapGraph } from './graph/snapshot.ts';
import { ensureWebBuilt } from './server/build-web.ts';
import { labRoot, webDist } from './server/paths.ts';
import { type RunningServer, serveStatic } from './server/static-server.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(labRoot, 'artifacts');

interface Hook {
  ready: boolean;
  mode: string;
  scenario: string;
  step: number;
  steps: number;
  graph: HeapGraph;
  facts: Record<string, unknown>;
  lastCollect: number | null;
  renders: number;
  chartPoints: number;
  error: string | null;
  savedSnapshot: string | null;
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureWebBuilt(webDist);
  server = await serveStatic(webDist, { port: 0 });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}#${hash}`);
  await page.waitForFunction('window.__lab && window.__lab.ready === true', null, { timeout: 60_000 });
  expect(errors).toEqual([]);
  return page;
}

const lab = (page: Page): Promise<Hook> => page.evaluate<Hook>('window.__lab');

/** Clicks a button and waits until the graph has been drawn again. */
async function press(page: Page, selector: string): Promise<Hook> {
  const before = (await lab(page)).renders;
  await page.click(selector);
  await page.waitForFunction(`window.__lab.renders > ${before}`);
  const hook = await lab(page);
  expect(hook.error).toBeNull();
  return hook;
}

/** Pixels of the graph panel within `tolerance` of `hex`, decoded by the browser from a real screenshot. */
async function pixels(page: Page, hex: string, file: string, tolerance = 10): Promise<number> {
  const png = await page.locator('#graph').screenshot({ path: join(ARTIFACTS, file) });
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return page.evaluate<number>(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.abs(d[i] - ${r}) <= ${tolerance} && Math.abs(d[i + 1] - ${g}) <= ${tolerance} && Math.abs(d[i + 2] - ${b}) <= ${tolerance}) n++;
    }
    return n;
  })()`);
}

const byType = (graph: HeapGraph, type: string) => graph.nodes.filter((n) => n.type === type);

describe('refheap-lab serve', () => {
  it('prints the address when no browser can be opened, and stops cleanly', async () => {
    const io = captureIo({ env: { BROWSER: '/nonexistent/browser' } });
    const stop = new AbortController();
    const done = main(['serve', '--port', '0', '--open', '--scenario', 'a-b-cycle'], io, stop.signal);
    await expect.poll(() => io.stdout.text(), { timeout: 60_000 }).toContain('Open this address yourself');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/#a-b-cycle)/.exec(io.stdout.text())![1]!;
    expect(io.stdout.text()).toContain(`Could not open a browser (/nonexistent/browser: spawn /nonexistent/browser ENOENT)`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Memory Lab');
    stop.abort();
    expect(await done).toBe(0);
  });
});

describe('the web lab in Chromium', () => {
  it('steps the A↔B scenario, draws the pair and their references, and collect removes them', async () => {
    const page = await open('a-b-cycle');
    let hook = await lab(page);
    expect(hook.scenario).toBe('a-b-cycle');
    expect(hook.steps).toBe(7);

    await press(page, '#step');
    hook = await press(page, '#step');
    const [a] = byType(hook.graph, 'A');
    const [b] = byType(hook.graph, 'B');
    expect(a && b).toBeTruthy();
    expect(hook.graph.edges).toEqual(
      expect.arrayContaining([
        { from: a!.id, to: b!.id, label: '.b', weak: false },
        { from: b!.id, to: a!.id, label: '.a', weak: false },
      ]),
    );
    expect(hook.graph.names).toEqual([{ name: 'my_var', target: a!.id }]);
    expect(await page.locator('#graph svg g.node.obj').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(`#graph svg [id="obj-${a!.id}"]`).count()).toBe(1);
    expect(await page.locator('#graph svg g.edge.ref').count()).toBeGreaterThanOrEqual(2);
    expect(await pixels(page, COLORS.gen0, 'ab-1-made.png')).toBeGreaterThan(500);

    await press(page, '#step'); // the counts: 2 and 1
    hook = await press(page, '#step'); // my_var = None
    expect(hook.facts['count.a']).toBe(2);
    expect(hook.facts['count.b']).toBe(1);
    expect(hook.facts['count.a.after']).toBe(1);
    expect(byType(hook.graph, 'A')[0]).toMatchObject({ refcount: 1, unreachable: true });
    expect(byType(hook.graph, 'B')[0]).toMatchObject({ refcount: 1, unreachable: true });
    expect(await page.locator('#graph svg g.node.unreachable').count()).toBe(2);
    const redBefore = await pixels(page, COLORS.unreachable, 'ab-2-unreachable.png');
    expect(redBefore).toBeGreaterThan(500);
    const liveBefore = hook.graph.liveObjects;

    hook = await press(page, '#collect');
    expect(hook.lastCollect).toBe(2);
    expect(byType(hook.graph, 'A')).toEqual([]);
    expect(byType(hook.graph, 'B')).toEqual([]);
    expect(hook.graph.liveObjects).toBe(liveBefore - 2);
    expect(await page.locator('#collect-result').textContent()).toBe('gc.collect() → 2');
    expect(await page.locator('#gc-log').textContent()).toMatch(/gc: collectable <A 0x[0-9a-f]+>/);
    expect(await pixels(page, COLORS.unreachable, 'ab-3-collected.png')).toBeLessThan(redBefore / 20);
    await page.screenshot({ path: join(ARTIFACTS, 'ab-page.png') });
    await page.close();
  });

  it('saves the heap as a .heapsnapshot that holds the objects drawn', async () => {
    const page = await open('a-b-cycle');
    await press(page, '#step');
    const hook = await press(page, '#step'); // a = A(); a.b = B(); b.a = a
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-snapshot')]);
    expect(download.suggestedFilename()).toBe('memory-lab-a-b-cycle-step-2.heapsnapshot');
    const text = await readFile(await download.path(), 'utf8');
    const snapshot = JSON.parse(text) as { snapshot: { node_count: number; meta: { node_fields: string[] } }; nodes: number[]; strings: string[] };
    const fields = snapshot.snapshot.meta.node_fields.length;
    const names = new Set<string>();
    const ids = new Set<number>();
    for (let i = 0; i < snapshot.nodes.length; i += fields) {
      names.add(snapshot.strings[snapshot.nodes[i + 1]!]!);
      ids.add(snapshot.nodes[i + 2]!);
    }
    expect(names).toContain('A');
    expect(names).toContain('B');
    // Every live object of the page's heap, and the synthetic roots (3, or 4 with garbage).
    expect(snapshot.snapshot.node_count - hook.graph.liveObjects).toBeGreaterThanOrEqual(3);
    expect(snapshot.snapshot.node_count - hook.graph.liveObjects).toBeLessThanOrEqual(4);
    expect(ids.size).toBe(snapshot.snapshot.node_count);
    expect((await lab(page)).savedSnapshot).toBe('memory-lab-a-b-cycle-step-2.heapsnapshot');
    await page.close();
  });

  it('draws the weak cache\'s weak reference as a dashed edge, and it goes with the object', async () => {
    const page = await open('weak-cache');
    let hook = await lab(page);
    expect(hook.scenario).toBe('weak-cache');
    await press(page, '#step');
    hook = await press(page, '#step'); // obj1 = cache.get("key1", Expensive): a miss
    const [obj] = byType(hook.graph, 'Expensive');
    expect(obj).toBeTruthy();
    const weak = hook.graph.edges.filter((e) => e.weak);
    expect(weak).toEqual([expect.objectContaining({ to: obj!.id, label: 'weak', weak: true })]);
    expect(hook.graph.nodes.map((n) => n.id)).toContain(weak[0]!.from);
    expect(obj!.refcount).toBe(1); // the name only: the cache's reference is weak
    expect(await page.locator('#graph svg g.edge.weak').count()).toBe(1);
    expect(await page.locator('#graph svg g.edge.weak path').getAttribute('stroke-dasharray')).toBeTruthy();
    await page.locator('#graph').screenshot({ path: join(ARTIFACTS, 'weak-cache-1-dashed.png') });

    await press(page, '#step'); // obj2: a hit
    await press(page, '#step'); // del obj1
    hook = await press(page, '#step'); // del obj2: evicted
    expect(byType(hook.graph, 'Expensive')).toEqual([]);
    expect(hook.graph.edges.filter((e) => e.weak)).toEqual([]);
    expect(await page.locator('#graph svg g.edge.weak').count()).toBe(0);
    await page.close();
  });

  it('builds a cycle by hand in the playground and collects it', async () => {
    const page = await open('playground');
    let hook = await lab(page);
    expect(hook.mode).toBe('playground');
    await press(page, '#pg-new-list');
    await press(page, '#pg-new-list');
    await page.selectOption('#pg-from', 'l1');
    await page.selectOption('#pg-to', 'l2');
    await press(page, '#pg-link');
    await page.selectOption('#pg-from', 'l2');
    await page.selectOption('#pg-to', 'l1');
    hook = await press(page, '#pg-link');
    expect(byType(hook.graph, 'list').map((n) => n.refcount)).toEqual([2, 2]);
    expect(hook.graph.edges).toHaveLength(2);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-1-cycle.png') });

    for (const name of ['l1', 'l2']) {
      await page.selectOption('#drop-name', name);
      hook = await press(page, '#drop');
    }
    expect(hook.graph.names).toEqual([]);
    expect(byType(hook.graph, 'list').map((n) => [n.refcount, n.unreachable])).toEqual([
      [1, true],
      [1, true],
    ]);
    expect(await pixels(page, COLORS.unreachable, 'playground-2-dropped.png')).toBeGreaterThan(500);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-2-page.png') });

    hook = await press(page, '#collect');
    expect(hook.lastCollect).toBe(2);
    expect(byType(hook.graph, 'list')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'playground-3-collected.png') });
    await page.close();
  });

  it('steps every drawable scenario to its end without an error', async () => {
    const page = await open('refcount');
    const names = await page.evaluate<string[]>('window.__lab.scenarios');
    expect(names).toEqual(expect.arrayContaining(['refcount', 'circular-lists', 'a-b-cycle', 'finalizers', 'leaky-cache']));
    for (const name of names) {
      await page.selectOption('#scenario', name);
      await page.waitForFunction(`window.__lab.scenario === ${JSON.stringify(name)}`);
      let hook = await lab(page);
      while (hook.step < hook.steps) hook = await press(page, '#step');
      expect(hook.error).toBeNull();
      await page.screenshot({ path: join(ARTIFACTS, `scenario-${name}.png`) });
    }
    await page.close();
  });

  it('unlinks, disables the collector and plots memory and object counts live', async () => {
    const page = await open('playground');
    await press(page, '#pg-new-node');
    await press(page, '#pg-new-list');
    await page.selectOption('#pg-from', 'n1');
    await page.selectOption('#pg-to', 'l1');
    let hook = await press(page, '#pg-link');
    expect(hook.graph.edges.map((e) => e.label)).toEqual(['.to_l1']);
    hook = await press(page, '#pg-unlink');
    expect(hook.graph.edges).toEqual([]);
    hook = await press(page, '#toggle-gc');
    expect(hook.graph.gc.enabled).toBe(false);
    expect(await page.locator('#toggle-gc').textContent()).toBe('gc.enable()');
    const points = hook.chartPoints;
    await page.waitForFunction(`window.__lab.chartPoints >= ${points + 2}`, null, { timeout: 5000 });
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    await page.close();
  });
});
