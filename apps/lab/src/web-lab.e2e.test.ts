/**
 * The web lab tested as a learner would use it: a real Chromium (Debian's, at
 * /usr/bin/chromium, driven by playwright-core; nothing is downloaded) loads the page from the
 * lab's own server; the test types into the editor, presses the buttons and keys, and checks
 * the `window.__lab` hook, the page's text and python3's own output for the same programs.
 * Screenshots go to apps/lab/artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from './cli/capture.ts';
import { main } from './cli/main.ts';
import { launchChromium, watchProblems } from './graph/test-support/chromium.ts';
import type { LabHook } from '../web/hook.ts';
import { ensureWebBuilt } from './server/build-web.ts';
import { labRoot, repoRoot, webDist } from './server/paths.ts';
import { type RunningServer, serveStatic } from './server/static-server.ts';

const ARTIFACTS = join(labRoot, 'artifacts');
const SEEDS = join(repoRoot, 'packages/python/examples/seeds');

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  await ensureWebBuilt(webDist);
  server = await serveStatic(webDist, { port: 0 });
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  /** Console errors and uncaught exceptions so far: every test ends expecting none. */
  problems: string[];
}

async function open(hash = '', viewport = { width: 1280, height: 800 }): Promise<Opened> {
  const page = await browser.newPage({ viewport });
  const problems = watchProblems(page);
  await page.goto(`${server.url}${hash}`);
  await settled(page, { ready: true });
  return { page, problems };
}

/**
 * Waits until the page is idle with the hook's fields as wanted (and drawn more than `renders`
 * times). A function, not a string: the server's Content-Security-Policy forbids eval.
 */
async function settled(page: Page, want: Partial<LabHook>, renders = -1): Promise<LabHook> {
  await page.waitForFunction(
    ({ want, renders }) => {
      const hook = (globalThis as unknown as { __lab?: Record<string, unknown> }).__lab;
      if (!hook || hook.ready !== true || hook.busy === true || (hook.renders as number) <= renders) return false;
      return Object.entries(want).every(([key, value]) => hook[key] === value);
    },
    { want, renders },
    { timeout: 60_000 },
  );
  return lab(page);
}

async function close({ page, problems }: Opened): Promise<void> {
  expect(problems).toEqual([]);
  expect((await lab(page)).pageError).toBeNull();
  await page.close();
}

const lab = (page: Page): Promise<LabHook> => page.evaluate<LabHook>('window.__lab');

/** Waits until the page has started work (a trace, a replay). */
async function settledBusy(page: Page): Promise<void> {
  await page.waitForFunction(() => (globalThis as unknown as { __lab: { busy: boolean } }).__lab.busy, null, { timeout: 10_000 });
}

/** Presses a control and waits until the page has finished what it started. */
async function press(page: Page, selector: string): Promise<LabHook> {
  const before = (await lab(page)).renders;
  await page.click(selector);
  return settled(page, {}, before);
}

/**
 * Replaces the editor's program by pasting it, as a learner would: the paste event CodeMirror
 * handles. (Typing line by line would meet CodeMirror's auto-indent; Playwright's insertText
 * lets Chromium's own editing write styled lines into the editor, which the page's CSP refuses.)
 */
async function typeProgram(page: Page, source: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.setData('text/plain', ${JSON.stringify(source)});
    document.querySelector('.cm-content').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  })()`);
}

const byType = (hook: LabHook, type: string) => hook.graph!.nodes.filter((n) => n.type === type);
const addresses = (text: string) => text.replace(/0x[0-9a-f]+/g, '0x…');

describe('refheap-lab serve', () => {
  it('prints the address when no browser can be opened, and stops cleanly', async () => {
    const io = captureIo({ env: { BROWSER: '/nonexistent/browser' } });
    const stop = new AbortController();
    const done = main(['serve', '--port', '0', '--open'], io, stop.signal);
    await expect.poll(() => io.stdout.text(), { timeout: 60_000 }).toContain('Open this address yourself');
    const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(io.stdout.text())![1]!;
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Memory Lab');
    stop.abort();
    expect(await done).toBe(0);
  });
});

describe('the web lab in Chromium', () => {
  it('runs a typed program step by step, forward and back, and the graph, output and plot follow', async () => {
    const opened = await open();
    const { page } = opened;
    await typeProgram(page, 'a = [1, 2]\nb = a\nprint(len(b))\ndel a\nimport gc\n');
    await page.keyboard.type('print(gc.collect())');
    let hook = await lab(page);
    expect(hook.source).toBe('a = [1, 2]\nb = a\nprint(len(b))\ndel a\nimport gc\nprint(gc.collect())');
    expect(await page.locator('#status').textContent()).toMatch(/^Edited/);

    hook = await press(page, '#step');
    expect(hook).toMatchObject({ step: 1, lineno: 1, stdout: '' });
    expect(hook.steps).toBe(6);
    const [list] = byType(hook, 'list');
    expect(list).toMatchObject({ refcount: 1 });
    expect(hook.diff!.added).toContain(list!.id);
    expect(await page.locator('.cm-ran-line').textContent()).toBe('a = [1, 2]');
    expect(await page.locator('#graph').textContent()).toContain(list!.id); // drawn, not only in the hook
    const afterOne = hook.graph;

    hook = await press(page, '#step');
    expect(byType(hook, 'list')[0]).toMatchObject({ id: list!.id, refcount: 2 });
    expect(hook.diff!.changed).toEqual([{ id: list!.id, from: 1, to: 2 }]);
    hook = await press(page, '#step');
    expect(hook.stdout).toBe('2\n');
    expect(await page.locator('#output').textContent()).toBe('2\n');
    expect(await page.locator('#status').textContent()).toMatch(/^Step 3 of 6: ran line 3\./);
    expect(hook.chartPoints).toBe(3);

    await press(page, '#back');
    hook = await press(page, '#back');
    expect(hook).toMatchObject({ step: 1, stdout: '' });
    expect(hook.graph).toEqual(afterOne);
    expect(await page.locator('.cm-ran-line').textContent()).toBe('a = [1, 2]');
    expect(hook.chartPoints).toBe(1);

    // Keyboard alone: a focused button answers Enter, F10 steps, Ctrl+Enter runs to the end.
    await page.focus('#back');
    await page.keyboard.press('Enter');
    await settled(page, { step: 0 });
    await page.focus('#step');
    await page.keyboard.press('Enter');
    await settled(page, { step: 1 });
    await page.keyboard.press('F10');
    await settled(page, { step: 2 });
    await page.keyboard.press('Control+Enter');
    hook = await settled(page, { finished: true });
    expect(hook.stdout).toBe('2\n0\n');
    expect(byType(hook, 'list')).toHaveLength(1);
    expect(hook.stopMessage).toBeNull();

    hook = await press(page, '#restart');
    expect(hook).toMatchObject({ step: 0, chartPoints: 0, stdout: '' });
    expect(await page.locator('#graph').textContent()).not.toContain(list!.id);
    expect(await page.locator('.cm-ran-line').count()).toBe(0);
    await close(opened);
  });

  it('opens on a starter program that prints what python3 prints', async () => {
    const opened = await open();
    const { page } = opened;
    const source = (await lab(page)).source;
    expect(source).toContain('class Node');
    const hook = await press(page, '#run');
    const dir = mkdtempSync(join(tmpdir(), 'lab-starter-'));
    writeFileSync(join(dir, 'program.py'), source);
    expect(hook.stdout).toBe(execFileSync('python3', [join(dir, 'program.py')], { encoding: 'utf8' }));
    await close(opened);
  });

  it('runs to a line from the cursor or the gutter, and marks collections on the memory plot', async () => {
    const opened = await open();
    const { page } = opened;
    await typeProgram(page, 'import gc\nitems = []\nfor i in range(5):\n    items.append([i])\n    gc.collect()\nprint(len(items))');
    await page.click('.cm-gutterElement >> text="6"');
    let hook = await settled(page, { lineno: 6 });
    expect(hook.stdout).toBe('5\n');
    expect(hook.collectionMarkers).toHaveLength(5);
    expect(hook.chartPoints).toBe(hook.step);
    await press(page, '#restart');
    await page.click('.cm-line >> text="gc.collect()"');
    hook = await press(page, '#run-to-line');
    expect(hook.lineno).toBe(5);
    expect(hook.collectionMarkers).toEqual([hook.step]);
    // A line that does not run again is said so, and nothing moves.
    await page.locator('.cm-line').first().click();
    await page.click('#run-to-line');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/^Line 1 does not run after step \d+/);
    expect((await lab(page)).step).toBe(hook.step);
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
    await close(opened);
  });

  it('opens every seed example and runs it to the end, printing what python3 prints', async () => {
    const opened = await open();
    const { page } = opened;
    const hook = await lab(page);
    const files = readdirSync(SEEDS).filter((f) => f.endsWith('.py')).sort();
    expect(hook.seeds).toEqual(files.map((f) => f.replace(/\.py$/, '')));
    for (const name of hook.seeds) {
      await page.selectOption('#program', `seed:${name}`);
      await settled(page, { program: `seed:${name}` });
      const shown = await press(page, '#run');
      expect(shown, name).toMatchObject({ finished: true, stoppedBy: 'end', error: null });
      const python3 = execFileSync('python3', [join(SEEDS, `${name}.py`)], { encoding: 'utf8' });
      expect(addresses(shown.stdout), name).toBe(addresses(python3));
      expect(shown.graph!.roots[0]!.kind).toBe('globals');
    }
    await close(opened);
  });

  it('opens every scenario as Python and runs it to the end with its CPython checks green', async () => {
    const opened = await open();
    const { page } = opened;
    for (const name of (await lab(page)).scenarios) {
      await page.selectOption('#program', `scenario:${name}`);
      let hook = await settled(page, { scenario: name });
      expect(hook.scenarioSteps.length, name).toBeGreaterThan(0);
      hook = await press(page, '#run');
      expect(hook, name).toMatchObject({ finished: true, stoppedBy: 'end', error: null });
      expect(hook.scenarioSteps.every((s) => s.reached), name).toBe(true);
      const checks = hook.scenarioSteps.flatMap((s) => s.checks);
      expect(checks.filter((c) => !c.ok), name).toEqual([]);
      expect(await page.locator('#scenario-steps td.bad').count(), name).toBe(0);
      // The memory plot's steps and object counts are whole numbers (no step 2.5); hot-loop's
      // hundreds of collections are a rug of ticks, not lines filling the plot.
      expect(hook.chartDrawn.steps.length, name).toBeGreaterThan(1);
      for (const tick of [...hook.chartDrawn.steps, ...hook.chartDrawn.objects]) expect(Number.isInteger(tick), `${name}: tick ${tick}`).toBe(true);
      if (hook.collectionMarkers.length > 100) expect(hook.chartDrawn.markers, name).toBe('rug');
      if (hook.collectionMarkers.length < 10) expect(hook.chartDrawn.markers, name).toBe('lines');
      await page.screenshot({ path: join(ARTIFACTS, `scenario-${name}.png`) });
    }
    await close(opened);
  });

  it('shows a lesson step\'s narration once stepping passes its last line', async () => {
    const opened = await open('#scenario=a-b-cycle');
    const { page } = opened;
    let hook = await lab(page);
    expect(hook.scenario).toBe('a-b-cycle');
    const first = hook.scenarioSteps[0]!;
    while (!hook.scenarioSteps[0]!.reached) hook = await press(page, '#step');
    expect(hook.scenarioSteps[1]!.reached).toBe(false);
    expect(await page.locator('#scenario-steps li.reached').count()).toBe(1);
    expect(await page.locator('#scenario-steps li.reached .narration').textContent()).toBeTruthy();
    expect(first.title).toBeTruthy();
    await close(opened);
  });

  it('keeps the page responsive while a program runs (the stepping is a worker\'s), and drops a run the learner edited away', async () => {
    const opened = await open();
    const { page } = opened;
    // hot-loop makes 50,000 items twice: its trace and its lesson take the worker a few seconds.
    await page.selectOption('#program', 'scenario:hot-loop');
    await settledBusy(page);
    // The page's own thread is free: the editor takes a keystroke while the program is traced.
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('  # edited');
    const during = await lab(page);
    expect(during.busy).toBe(true);
    expect(during.source.endsWith('  # edited')).toBe(true);
    const after = await settled(page, {});
    // The scenario's trace, come back after the edit, was not shown over the edited program.
    expect(after).toMatchObject({ program: 'own', scenario: null, scenarioSteps: [] });
    expect(await page.locator('#step-count').textContent()).toBe('edited');
    expect((await press(page, '#step')).step).toBe(1);
    await close(opened);
  });

  it('shows the traceback of a program that raises', async () => {
    const opened = await open();
    const { page } = opened;
    await typeProgram(page, 'def f(n):\n    return 10 // n\n\nprint(f(2))\nprint(f(0))');
    const hook = await press(page, '#run');
    expect(hook).toMatchObject({ finished: true, stoppedBy: 'error', error: 'ZeroDivisionError: integer division or modulo by zero', stdout: '5\n' });
    const traceback = page.locator('#traceback');
    expect(await traceback.isVisible()).toBe(true);
    expect(await traceback.textContent()).toContain('Traceback (most recent call last):');
    expect(await traceback.textContent()).toContain('line 2, in f');
    expect(await page.locator('#stop-message').textContent()).toContain('ZeroDivisionError');
    await close(opened);
  });

  it('stops an endless loop at the step budget with a clear message, and the page stays usable', async () => {
    const opened = await open();
    const { page } = opened;
    await typeProgram(page, 'n = 0\nwhile True:\n    n += 1');
    let hook = await press(page, '#run');
    expect(hook).toMatchObject({ finished: true, stoppedBy: 'step budget' });
    expect(hook.steps).toBe(20_000);
    expect(await page.locator('#stop-message').textContent()).toMatch(/Stopped after 20,000 steps, the step budget/);
    expect(await page.locator('#status').textContent()).toMatch(/step budget/);
    hook = await press(page, '#back');
    expect(hook).toMatchObject({ step: 19_999, finished: false });
    await typeProgram(page, 'print("still here")');
    hook = await press(page, '#run');
    expect(hook).toMatchObject({ finished: true, stoppedBy: 'end', stdout: 'still here\n' });
    await close(opened);
  });

  it('saves the heap at this step as a .heapsnapshot that holds the objects drawn', async () => {
    const opened = await open('#example=seed_04_a_b_cycle');
    const { page } = opened;
    let hook = await press(page, '#step');
    while (byType(hook, 'B').length === 0) hook = await press(page, '#step');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save-snapshot')]);
    expect(download.suggestedFilename()).toBe(`memory-lab-seed-seed_04_a_b_cycle-step-${hook.step}.heapsnapshot`);
    const snapshot = JSON.parse(await readFile(await download.path(), 'utf8')) as { snapshot: { meta: { node_fields: string[] } }; nodes: number[]; strings: string[] };
    const fields = snapshot.snapshot.meta.node_fields.length;
    const ids = new Set<number>();
    const names: string[] = [];
    for (let i = 0; i < snapshot.nodes.length; i += fields) {
      names.push(snapshot.strings[snapshot.nodes[i + 1]!]!);
      ids.add(snapshot.nodes[i + 2]!);
    }
    expect(names).toEqual(expect.arrayContaining(['A', 'B']));
    expect(ids.size).toBe(names.length);
    expect((await lab(page)).savedSnapshot).toBe(download.suggestedFilename());
    await close(opened);
  });

  it('shares a program by URL: the link opens the same program', async () => {
    const opened = await open();
    const { page } = opened;
    const source = 'greeting = "héllo, wörld ✓"\nprint(greeting)';
    await typeProgram(page, source);
    await page.click('#share');
    const url = page.url();
    expect(url).toMatch(/#code=[A-Za-z0-9_-]+$/);
    expect(await page.locator('#share-url').inputValue()).toBe(url);
    const again = await open(url.slice(server.url.length));
    const hook = await lab(again.page);
    expect(hook.source).toBe(source);
    expect((await press(again.page, '#run')).stdout).toBe('héllo, wörld ✓\n');
    await close(again);
    await close(opened);

    // A link whose program does not decode, or names nothing the page has, says so and opens the starter.
    for (const [hash, said] of [
      ['#code=%%%', /could not be read/],
      ['#code=_w', /could not be read/],
      ['#example=seed_99_nothing', /No example is called "seed_99_nothing"/],
    ] as const) {
      const broken = await open(hash);
      expect(await broken.page.locator('#status').textContent()).toMatch(said);
      expect((await lab(broken.page)).source).toContain('class Node');
      await close(broken);
    }
  });

  it('hides the heap\'s own objects unless asked, and keeps every control labelled', async () => {
    const opened = await open('#example=seed_04_a_b_cycle');
    const { page } = opened;
    let hook = await press(page, '#run');
    expect(hook.showInternals).toBe(false);
    const renders = hook.renders;
    await page.check('#internals');
    hook = await settled(page, { showInternals: true }, renders);
    expect(hook.graph!.nodes.some((n) => n.internal)).toBe(true);
    await page.uncheck('#internals');
    for (const button of await page.locator('button').all()) expect((await button.textContent())!.trim() || (await button.getAttribute('aria-label'))).toBeTruthy();
    expect(await page.locator('#status').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('.cm-content').getAttribute('aria-label')).toBe('Python program');
    await close(opened);
  });

  it('lays out at 1280 × 800 and on a phone at 390 × 844, the graph usable on both', async () => {
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const opened = await open('#example=seed_07_node_cycle_del', { width, height });
      const { page } = opened;
      const hook = await lab(page);
      while ((await lab(page)).step < 12) await press(page, '#step');
      expect(hook.program).toBe('seed:seed_07_node_cycle_del');
      const graph = (await page.locator('#graph').boundingBox())!;
      const editor = (await page.locator('#editor').boundingBox())!;
      expect(graph.width).toBeGreaterThan(width * (width < 500 ? 0.85 : 0.5));
      expect(graph.height).toBeGreaterThan(300);
      if (width < 500) expect(graph.y).toBeGreaterThan(editor.y + editor.height); // stacked
      else expect(graph.x).toBeGreaterThan(editor.x + editor.width); // side by side
      // Nothing wider than the screen: no sideways scrolling on the phone.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      // However the picture grew step by step, no box covers another, and the graph's note leaves the zoom buttons alone.
      const covered = await page.evaluate<number>(`(() => {
        const boxes = [...document.querySelectorAll('.gv-node[data-id]')].map((b) => b.getBoundingClientRect());
        let n = 0;
        for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) n++;
        return n;
      })()`);
      expect(covered, `${width} px`).toBe(0);
      const note = (await page.locator('.gv-note').boundingBox())!;
      expect(note.x + note.width).toBeLessThanOrEqual((await page.locator('.gv-tools').boundingBox())!.x);
      await page.screenshot({ path: join(ARTIFACTS, `page-${width}x${height}.png`), fullPage: width < 500 });
      await close(opened);
    }
  });
});
