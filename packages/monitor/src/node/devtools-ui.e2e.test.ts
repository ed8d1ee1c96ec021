/**
 * The allocation stacks of a written snapshot, read the way a person reads them:
 * in Chrome DevTools' own Memory panel. Debian's Chromium (/usr/bin/chromium,
 * driven by playwright-core; nothing is downloaded) serves its bundled DevTools
 * at /devtools/inspector.html; the test loads a `.heaptimeline` through the
 * panel's "Load profile", picks an instance in the Summary and reads its
 * "Allocation stack" tab. A screenshot of that goes to packages/monitor/artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Heap, type Ref } from '@refheap/core';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { here } from '../test-support/here.ts';
import { Tracemalloc } from '../tracemalloc.ts';
import { writeHeapSnapshot } from './heapsnapshot-file.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../artifacts');

let context: BrowserContext;
let port: number;
let work: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (.ci/run does)`);
  work = mkdtempSync(join(tmpdir(), 'refheap-devtools-'));
  const profile = join(work, 'profile');
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--remote-debugging-port=0'],
  });
  // Chromium picks the port and says which in the profile folder.
  port = Number(readFileSync(join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A traced heap whose Records come from makeRecord, called by loadRecords. */
function tracedHeap(): { heap: Heap; tracer: Tracemalloc; lines: { makeRecord: number; loadRecords: number }; file: string } {
  const heap = new Heap();
  const Record = heap.defineClass('Record', { slots: ['value'] });
  const tracer = new Tracemalloc(heap);
  tracer.start(4);
  const lines = { makeRecord: 0, loadRecords: 0 };
  function makeRecord(): Ref {
    lines.makeRecord = here().lineno + 1;
    return heap.newInstance(Record);
  }
  function loadRecords(cache: Ref, n: number): void {
    lines.loadRecords = here().lineno + 2;
    for (let i = 0; i < n; i++) {
      const r = makeRecord();
      heap.append(cache, r);
      heap.decref(r);
    }
  }
  const cache = heap.newList();
  loadRecords(cache, 30);
  return { heap, tracer, lines, file: here().filename };
}

describe("Chrome DevTools' Memory panel", () => {
  it('shows the JavaScript stack that allocated an object of a .heaptimeline refheap wrote', async () => {
    const { heap, tracer, lines, file } = tracedHeap();
    const path = join(work, 'records.heaptimeline');
    await writeHeapSnapshot(heap, path, { tracer });
    tracer.stop();

    const inspected = await context.newPage(); // DevTools needs a target to attach to
    await inspected.goto('about:blank');
    const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { id: string; type: string; url: string }[];
    const target = targets.find((t) => t.type === 'page' && t.url === 'about:blank')!;
    const devtools = await context.newPage();
    const url = `http://127.0.0.1:${port}/devtools/inspector.html?ws=127.0.0.1:${port}/devtools/page/${target.id}&panel=heap-profiler`;
    await devtools.goto(url);
    // The Memory panel's "Allocation stack traces" checkbox, and no screencast beside the panel.
    await devtools.evaluate("localStorage.setItem('record-allocation-stacks', 'true'); localStorage.setItem('screencast-enabled', 'false')");
    await devtools.goto(url);
    await devtools.locator('input[type=file]').first().setInputFiles(path); // "Load profile…"

    const recordRow = devtools.locator('tr', { hasText: 'Record×30' }).first();
    await recordRow.waitFor({ timeout: 60_000 });
    await recordRow.click();
    await devtools.keyboard.press('ArrowRight'); // expand the class
    await devtools.locator('tr', { hasText: /Record\s*@\d+/ }).first().waitFor();
    await devtools.keyboard.press('ArrowDown'); // select its first instance
    await devtools.locator('[role=tab]', { hasText: 'Allocation stack' }).click();

    const root = devtools.getByText('(root)', { exact: true });
    await root.waitFor();
    const stack = (await root.locator('xpath=../..').innerText()).split('\n').map((l) => l.trim()).filter(Boolean);
    mkdirSync(ARTIFACTS, { recursive: true });
    await devtools.screenshot({ path: join(ARTIFACTS, 'devtools-allocation-stack.png') });
    // Innermost first, each with its file and line, as DevTools links them.
    expect(stack).toEqual([
      'makeRecord',
      `${file}:${lines.makeRecord}`,
      'loadRecords',
      `${file}:${lines.loadRecords}`,
      'tracedHeap',
      expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+$`)),
      expect.any(String), // the test's own frame
      expect.any(String),
      '(root)',
    ]);
  }, 120_000);
});
