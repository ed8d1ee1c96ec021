/**
 * Pan and zoom of the graph view by pointer: drag the background (one finger or the mouse),
 * pinch with two fingers, the wheel (or a trackpad's pinch, which arrives as ctrl+wheel). A
 * press that did not move is a click: the box under it is focused and selected.
 */
import type { Viewport } from '../src/graph/viewport.ts';

export interface PointerActions {
  /** The viewport moved: put the boxes where it now says. */
  readonly moved: () => void;
  /** A box was clicked (or tapped). */
  readonly select: (id: string) => void;
}

type Point = { x: number; y: number };

export function listenPointer(frame: HTMLElement, viewport: Viewport, { moved: changed, select }: PointerActions): void {
  const pointers = new Map<number, Point>();
  let moved = 0;
  let pinch = 0;
  const pair = (): [Point, Point] => [...pointers.values()] as [Point, Point];
  frame.addEventListener('pointerdown', (event) => {
    if ((event.target as HTMLElement).closest('.gv-tools')) return;
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    frame.setPointerCapture(event.pointerId);
    moved = 0;
    if (pointers.size === 2) {
      const [a, b] = pair();
      pinch = Math.hypot(a.x - b.x, a.y - b.y);
    }
  });
  frame.addEventListener('pointermove', (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) return;
    const now = { x: event.clientX, y: event.clientY };
    if (pointers.size === 1) {
      viewport.pan(now.x - last.x, now.y - last.y);
      moved += Math.abs(now.x - last.x) + Math.abs(now.y - last.y);
    } else if (pointers.size === 2) {
      pointers.set(event.pointerId, now);
      const [a, b] = pair();
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      const bounds = frame.getBoundingClientRect();
      if (pinch > 0) viewport.zoomAt(distance / pinch, (a.x + b.x) / 2 - bounds.left, (a.y + b.y) / 2 - bounds.top);
      pinch = distance;
      moved += 10;
    }
    pointers.set(event.pointerId, now);
    changed();
  });
  const release = (event: PointerEvent): void => {
    if (!pointers.delete(event.pointerId)) return;
    if (pointers.size < 2) pinch = 0;
    if (event.type === 'pointerup' && moved < 5) {
      const box = (event.target as HTMLElement).closest<HTMLElement>('.gv-node[data-id]');
      if (box) {
        box.focus({ preventScroll: true });
        select(box.dataset['id']!);
      }
    }
  };
  frame.addEventListener('pointerup', release);
  frame.addEventListener('pointercancel', release);
  frame.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const bounds = frame.getBoundingClientRect();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      viewport.zoomAt(Math.exp(-delta * (event.ctrlKey ? 0.01 : 0.0015)), event.clientX - bounds.left, event.clientY - bounds.top);
      changed();
    },
    { passive: false },
  );
}
