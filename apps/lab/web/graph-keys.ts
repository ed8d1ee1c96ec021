/**
 * The graph view by keyboard: Tab goes through the boxes in reading order (graph-view.ts sorts
 * them), the arrow keys follow the references (→ what it holds, ← what holds it, ↑ ↓ the
 * column), Enter or Space selects, + − zoom and 0 fits; a box focused off screen is panned into view.
 */
import type { Viewport } from '../src/graph/viewport.ts';
import type { Arrow } from './graph-arrows.ts';

export interface KeyActions {
  readonly zoomBy: (factor: number) => void;
  readonly fit: () => void;
  readonly select: (id: string) => void;
  /** The box to go to from `from` with an arrow key, or null. */
  readonly neighbour: (from: HTMLElement, key: string) => HTMLElement | null;
  /** The viewport panned to show a focused box: put the boxes where it now says. */
  readonly moved: () => void;
}

/** The box an arrow key leads to from `from`: along the drawn arrows, or the next in reading order. */
export function neighbour(from: HTMLElement, key: string, boxes: HTMLElement, elements: ReadonlyMap<string, HTMLElement>, arrows: readonly Arrow[]): HTMLElement | null {
  const id = from.dataset['id'];
  if (key === 'ArrowRight') {
    if (from.classList.contains('gv-name')) return elements.get(from.dataset['target'] ?? '') ?? null;
    const next = arrows.find((a) => a.from === id && a.to !== id);
    return next ? (elements.get(next.to) ?? null) : null;
  }
  if (key === 'ArrowLeft') {
    if (id === undefined) return null;
    const back = arrows.find((a) => a.to === id && a.from !== id);
    if (!back) return null;
    if (back.from.startsWith('root:')) return boxes.querySelector<HTMLElement>(`.gv-name[data-target="${CSS.escape(back.to)}"]`);
    return elements.get(back.from) ?? null;
  }
  const all = [...boxes.querySelectorAll<HTMLElement>('.gv-node[tabindex], .gv-name')];
  const at = all.indexOf(from);
  return all[at + (key === 'ArrowDown' ? 1 : -1)] ?? null;
}

export function listenKeys(frame: HTMLElement, viewport: Viewport, actions: KeyActions): void {
  frame.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (target.closest('.gv-tools')) return;
    if (event.key === '+' || event.key === '=') actions.zoomBy(1.25);
    else if (event.key === '-' || event.key === '_') actions.zoomBy(1 / 1.25);
    else if (event.key === '0') actions.fit();
    else if (event.key.startsWith('Arrow')) {
      const next = actions.neighbour(target, event.key);
      if (!next) return;
      next.focus({ preventScroll: true });
    } else if ((event.key === 'Enter' || event.key === ' ') && target.dataset['id']) actions.select(target.dataset['id']);
    else return;
    event.preventDefault();
  });
  frame.addEventListener('focusin', (event) => {
    const box = (event.target as HTMLElement).closest<HTMLElement>('.gv-node, .gv-root');
    if (!box) return;
    const r = box.getBoundingClientRect();
    const f = frame.getBoundingClientRect();
    const before = [viewport.panX, viewport.panY];
    viewport.reveal(r.left - f.left, r.top - f.top, r.right - f.left, r.bottom - f.top, f.width, f.height);
    if (before[0] !== viewport.panX || before[1] !== viewport.panY) actions.moved();
  });
}
