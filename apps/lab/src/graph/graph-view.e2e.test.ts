/**
 * The graph view in a real Chromium (Debian's, test-support/chromium.ts),
 * on its own test page (web/graph-test.html) served by Vite: a picture of 40 of a Python
 * program's objects, made in Node by snapshotProgram, drawn, zoomed, panned, redrawn with one
 * more object, and walked with the keyboard. Screenshots go to apps/lab/artifacts/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { createServer, defaultClientConditions, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffGraphs, type GraphDiff, type ProgramGraph } from './program-snapshot.ts';
import { launchChromium, watchProblems } from './test-support/chromium.ts';
import { snapshotLines } from './test-support/snapshots.ts';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));

const { graphs } = snapshotLines(readFileSync(new URL('./test-support/forty.py', import.meta.url), 'utf8'));
const [forty, fortyOne, freedOne] = graphs as [ProgramGraph, ProgramGraph, ProgramGraph];

let server: ViteDevServer;
let browser: Browser;
let base = '';

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await createServer({
    root: WEB,
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['@refheap/source', ...defaultClientConditions] },
    server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  });
  await server.listen();
  base = server.resolvedUrls!.local[0]!;
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Opened {
  page: Page;
  errors: string[];
}

async function open(width: number, height: number, hasTouch = false): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width, height }, hasTouch });
  const errors = watchProblems(page);
  await page.goto(`${base}graph-test.html`);
  await page.waitForFunction('window.__graph && window.__graph.ready === true', null, { timeout: 120_000 });
  return { page, errors };
}

// The page's code is evaluated as text: the repo's Node typecheck has no DOM types (web/ has its own).
const draw = (page: Page, graph: ProgramGraph, diff?: GraphDiff): Promise<number> =>
  page.evaluate<number>(`window.__graph.draw(${JSON.stringify(graph)}, ${diff ? JSON.stringify(diff) : 'undefined'})`);

const hook = <T>(page: Page, expression: string): Promise<T> => page.evaluate<T>(`window.__graph.${expression}`);
const focused = (page: Page): Promise<string> => page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''");

type Boxes = Record<string, { x: number; y: number; font: string; height: number }>;

/** Each object box's screen position and its title's font size and height, by id. */
const boxes = (page: Page): Promise<Boxes> =>
  page.evaluate<Boxes>(`(() => {
    const out = {};
    for (const box of document.querySelectorAll('.gv-node[data-id]')) {
      const rect = box.getBoundingClientRect();
      const type = box.querySelector('.gv-type');
      out[box.dataset.id] = { x: rect.x, y: rect.y, font: getComputedStyle(type).fontSize, height: type.getBoundingClientRect().height };
    }
    return out;
  })()`);

/** How many pairs of object boxes cover each other on screen. */
const overlaps = (page: Page): Promise<number> =>
  page.evaluate<number>(`(() => {
    const r = [...document.querySelectorAll('.gv-node[data-id]')].map((b) => b.getBoundingClientRect());
    let n = 0;
    for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++)
      if (r[i].left < r[j].right && r[j].left < r[i].right && r[i].top < r[j].bottom && r[j].top < r[i].bottom) n++;
    return n;
  })()`);

describe('the graph view', () => {
  it('draws 40 objects, zooms and pans with labels at one size, and keeps places on a redraw', async () => {
    const { page, errors } = await open(1280, 800);
    const programObjects = forty.nodes.filter((n) => !n.internal);
    expect(programObjects).toHaveLength(40);
    await draw(page, forty, diffGraphs(null, forty));
    const first = await boxes(page);
    // The heap's own objects are hidden by default: the program's 40 are drawn.
    expect(Object.keys(first).sort()).toEqual(programObjects.map((n) => n.id).sort());
    const fonts = new Set(Object.values(first).map((b) => b.font));
    expect([...fonts]).toEqual(['12px']);
    // Red and worded: the lost cycle; dashed: the weak references.
    expect(await page.locator('.gv-node.gv-unreachable').count()).toBe(1);
    expect(await page.locator('.gv-node.gv-unreachable .gv-mark-unreachable').first().textContent()).toBe('unreachable');
    const dashes = await page.evaluate<string[]>("[...document.querySelectorAll('.gv-arrow.gv-weak')].map((p) => getComputedStyle(p).strokeDasharray)");
    expect(dashes.length).toBeGreaterThanOrEqual(2);
    for (const dash of dashes) expect(dash).not.toBe('none');
    await page.screenshot({ path: `${ARTIFACTS}graph-40.png` });

    // Zoom out with the wheel and the button: distances shrink, labels keep their screen size.
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 300);
    await page.getByRole('button', { name: 'Zoom out' }).click();
    const zoom = await hook<number>(page, 'zoom()');
    expect(zoom).toBeLessThan(0.8);
    const zoomed = await boxes(page);
    const ids = Object.keys(first);
    const spread = (b: typeof first): number => Math.max(...ids.map((id) => b[id]!.x)) - Math.min(...ids.map((id) => b[id]!.x));
    expect(spread(zoomed)).toBeLessThan(spread(first) * 0.85);
    for (const id of ids) {
      expect(zoomed[id]!.font).toBe('12px');
      expect(zoomed[id]!.height).toBeCloseTo(first[id]!.height, 0);
    }
    // Zoom back in with + and drag the background: every box moves by the drag.
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.mouse.wheel(0, -300);
    const before = await boxes(page);
    await page.mouse.move(700, 760);
    await page.mouse.down();
    await page.mouse.move(760, 720, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    const panned = await boxes(page);
    for (const id of ids) {
      expect(panned[id]!.x - before[id]!.x).toBeCloseTo(60, 0);
      expect(panned[id]!.y - before[id]!.y).toBeCloseTo(-40, 0);
    }

    // One more object: the 40 stay exactly where they were, the new one is marked new in words.
    const diff = diffGraphs(forty, fortyOne);
    expect(diff.added).toHaveLength(1);
    await draw(page, fortyOne, diff);
    const after = await boxes(page);
    for (const id of ids) expect([after[id]!.x, after[id]!.y]).toEqual([panned[id]!.x, panned[id]!.y]);
    const added = page.locator(`.gv-node[data-id="${diff.added[0]}"]`);
    expect(await added.locator('.gv-mark-new').textContent()).toBe('new');
    expect(await added.getAttribute('aria-label')).toMatch(/^list 0x[0-9a-f]+, value \[2\], refcount 1, generation 0, new/);

    // The list freed and a count changed: a ghost where it was, marked in words; the rest unmoved.
    const third = diffGraphs(fortyOne, freedOne);
    expect(third.freed.map((f) => f.id)).toEqual(diff.added);
    const configId = freedOne.roots[0]!.names.find((n) => n.name === 'config')!.target;
    expect(third.changed).toContainEqual({ id: configId, from: 1, to: 2 });
    await draw(page, freedOne, third);
    const ghost = page.locator('.gv-ghost');
    expect(await ghost.getAttribute('aria-label')).toBe(`freed: list ${diff.added[0]}`);
    expect(await ghost.locator('.gv-mark-freed').textContent()).toBe('freed');
    const ghostBox = await ghost.boundingBox();
    expect([ghostBox!.x, ghostBox!.y]).toEqual([after[diff.added[0]!]!.x, after[diff.added[0]!]!.y]);
    const changedBox = page.locator(`.gv-node[data-id="${configId}"]`);
    expect(await changedBox.locator('.gv-mark-changed').textContent()).toBe('refcount 1 → 2');
    const later = await boxes(page);
    for (const id of ids) expect([later[id]!.x, later[id]!.y]).toEqual([panned[id]!.x, panned[id]!.y]);

    // The heap's own objects on request, and hidden again.
    await hook(page, 'showInternals(true)');
    expect(await page.locator('.gv-node.gv-internal').count()).toBe(freedOne.nodes.filter((n) => n.internal).length);
    await hook(page, 'showInternals(false)');
    expect(await page.locator('.gv-node.gv-internal').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('reaches every box by keyboard, with names that say what it is', async () => {
    const { page, errors } = await open(1280, 800);
    await draw(page, forty);
    // Tab from the page's start: the boxes come before the zoom buttons, the names first
    // (a name bound to one of the heap's own objects, hidden, shows its value instead).
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe("name weakref, bound to <module 'weakref'>, refcount 2");
    let label = '';
    for (let i = 0; i < 5 && !/ 0x/.test(label); i++) {
      await page.keyboard.press('Tab');
      label = await focused(page);
    }
    // → follows the name's arrow to the object.
    expect(label).toMatch(/^name \w+, bound to class Node 0x[0-9a-f]+$/);
    await page.keyboard.press('ArrowRight');
    const object = await focused(page);
    expect(object).toMatch(/^(class \w+|[\w.]+) 0x[0-9a-f]+, .*refcount \d+, (generation \d|an atom)/);
    // Every object box is focusable and named.
    const named = await page.evaluate<boolean>(
      "[...document.querySelectorAll('.gv-node[data-id]')].every((b) => b.tabIndex === 0 && b.getAttribute('role') === 'button' && /refcount \\d+/.test(b.getAttribute('aria-label')))",
    );
    expect(named).toBe(true);
    const lost = await page.getAttribute('.gv-node.gv-unreachable', 'aria-label');
    expect(lost).toMatch(/^list 0x[0-9a-f]+, .*refcount 1, generation 0, unreachable/);
    // Enter selects (the page's onSelect hears the id).
    await page.focus('.gv-node.gv-unreachable');
    await page.keyboard.press('Enter');
    expect(await hook<string>(page, 'selected.at(-1)')).toBe(forty.nodes.find((n) => n.unreachable)!.id);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('lays out again when drawn while hidden and then shown', async () => {
    const { page, errors } = await open(1000, 700);
    await page.evaluate("document.getElementById('graph').style.display = 'none'");
    await draw(page, forty);
    await page.evaluate("document.getElementById('graph').style.display = ''");
    // The view lays out again when the ResizeObserver sees it shown: wait for that (a busy
    // machine may take a while), not for a fixed time; no two boxes may end on one spot.
    await page.waitForFunction(
      "(() => { const b = [...document.querySelectorAll('.gv-node[data-id]')]; return b.every((e) => e.offsetWidth > 0) && new Set(b.map((e) => { const r = e.getBoundingClientRect(); return `${Math.round(r.x)},${Math.round(r.y)}`; })).size === b.length; })()",
      undefined,
      { timeout: 10_000 },
    );
    const shown = await boxes(page);
    const places = new Set(Object.values(shown).map((b) => `${Math.round(b.x)},${Math.round(b.y)}`));
    expect(places.size).toBe(Object.keys(shown).length); // no two boxes on one spot
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('is usable at a phone\'s width', async () => {
    const { page, errors } = await open(390, 844, true);
    await draw(page, forty);
    const tools = await page.locator('.gv-tools').boundingBox();
    expect(tools!.x + tools!.width).toBeLessThanOrEqual(390);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    // Wider than the phone: the first picture opens zoomed out (not at 100%, running off the
    // right edge) as far as boxes keep their full text and do not cover each other; the names
    // and the first objects on screen, whole; the note beside the zoom buttons, not over them.
    await page.screenshot({ path: `${ARTIFACTS}graph-40-phone.png` });
    const opened = await hook<number>(page, 'zoom()');
    expect(opened).toBeLessThan(1);
    expect(opened).toBeGreaterThanOrEqual(0.6);
    expect(await page.locator('.gv.gv-compact').count()).toBe(0);
    expect(await overlaps(page)).toBe(0);
    const note = (await page.locator('.gv-note').boundingBox())!;
    expect(note.x + note.width).toBeLessThanOrEqual(tools!.x);
    expect(new Set(Object.values(await boxes(page)).map((b) => b.font))).toEqual(new Set(['12px']));
    const globals = await page.locator('.gv-root-globals').boundingBox();
    expect(globals!.x).toBeGreaterThanOrEqual(0);
    expect(globals!.x + globals!.width).toBeLessThan(390);
    // The learner pans; the next step keeps their view (no fitting again), the objects where they were.
    await page.mouse.move(300, 700);
    await page.mouse.down();
    await page.mouse.move(240, 690, { steps: 4 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    const panned = await boxes(page);
    await draw(page, fortyOne, diffGraphs(forty, fortyOne));
    expect(await hook<number>(page, 'zoom()')).toBe(opened);
    const redrawn = await boxes(page);
    for (const id of Object.keys(panned)) expect([redrawn[id]!.x, redrawn[id]!.y]).toEqual([panned[id]!.x, panned[id]!.y]);
    // Fit: an overview with the labels still their size; the names' box does not overlap the objects.
    await page.getByRole('button', { name: 'Fit the whole graph' }).click();
    await page.waitForTimeout(50);
    const fonts = new Set(Object.values(await boxes(page)).map((b) => b.font));
    expect([...fonts]).toEqual(['12px']);
    const fitted = await page.locator('.gv-root-globals').boundingBox();
    const leftmost = Math.min(...Object.values(await boxes(page)).map((b) => b.x));
    expect(fitted!.x + fitted!.width).toBeLessThan(leftmost);
    // The overview's compact boxes (type only) stay narrower than the columns are apart at the least zoom (260 × 0.4), on a phone too.
    expect(await page.locator('.gv.gv-compact').count()).toBe(1);
    expect(await page.evaluate<number>("Math.max(...[...document.querySelectorAll('.gv-node[data-id]')].map((b) => b.offsetWidth))")).toBeLessThan(104);
    await page.screenshot({ path: `${ARTIFACTS}graph-40-phone-fit.png` });
    // Two fingers spread apart: the zoom grows, the labels stay 12 px.
    const before = await hook<number>(page, 'zoom()');
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', spread: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: 195 - spread, y: 400, id: 0 }, { x: 195 + spread, y: 400, id: 1 }],
      });
    await touch('touchStart', 40);
    for (const spread of [60, 80, 100, 120]) await touch('touchMove', spread);
    await touch('touchEnd', 0);
    await page.waitForTimeout(50);
    expect(await hook<number>(page, 'zoom()')).toBeCloseTo(Math.min(2.5, before * 3), 1);
    expect(new Set(Object.values(await boxes(page)).map((b) => b.font))).toEqual(new Set(['12px']));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
