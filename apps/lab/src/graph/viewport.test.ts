import { describe, expect, it } from 'vitest';
import { COMPACT_BELOW, MAX_ZOOM, MIN_ZOOM, Viewport } from './viewport.ts';

describe('Viewport', () => {
  it('zooms about the pointer: the point under it stays under it', () => {
    const v = new Viewport();
    const [wx, wy] = [300, 200];
    const [sx, sy] = [v.screenX(wx), v.screenY(wy)];
    v.zoomAt(0.5, sx, sy);
    expect(v.zoom).toBe(0.5);
    expect([v.screenX(wx), v.screenY(wy)]).toEqual([sx, sy]);
    // Distances scale with the zoom.
    expect(v.screenX(wx + 100) - v.screenX(wx)).toBe(50);
  });

  it('stays between its limits, compact below 0.6', () => {
    const v = new Viewport();
    v.zoomAt(100, 0, 0);
    expect(v.zoom).toBe(MAX_ZOOM);
    v.zoomAt(0.0001, 0, 0);
    expect(v.zoom).toBe(MIN_ZOOM);
    expect(v.compact).toBe(true);
  });

  it('fits the bounds in the view, keeping room on the left, never past 1', () => {
    const v = new Viewport();
    v.fit({ left: 260, top: 0, right: 1460, bottom: 600 }, { width: 200, height: 60 }, 800, 700, 240);
    // (800 - 32 - 240 - 200) / (1200 - 200) = 0.328, clamped to the minimum.
    expect(v.zoom).toBe(MIN_ZOOM);
    v.fit({ left: 260, top: 0, right: 700, bottom: 300 }, { width: 200, height: 60 }, 1600, 900, 240);
    expect(v.zoom).toBe(1);
    expect(v.screenX(260)).toBe(16 + 240);
    expect(v.screenY(0)).toBe(16);
  });

  it('fits a wide picture across the view, no further out than its floor nor in past 1, the vertical pan kept', () => {
    const v = new Viewport();
    v.panY = -40;
    // (390 - 20 - 180 - 200) / (1060 - 200) < 0: as far as the floor (boxes keep their text).
    v.fitWidth({ left: 260, top: 0, right: 1320, bottom: 900 }, { width: 200, height: 60 }, 390, 180, COMPACT_BELOW, 10);
    expect(v.zoom).toBe(COMPACT_BELOW);
    expect(v.screenX(260)).toBeCloseTo(10 + 180);
    expect(v.panY).toBe(-40);
    // Wide enough for (1000 - 32 - 240 - 200) / (1300 - 200) = 0.48 — floored at MIN_ZOOM's 0.4 only when asked.
    v.zoom = 1;
    v.fitWidth({ left: 260, top: 0, right: 1560, bottom: 300 }, { width: 200, height: 60 }, 1000, 240);
    expect(v.zoom).toBeCloseTo(0.48);
    // A picture that fits at 1 is shown at 1, the names at the left edge.
    v.fitWidth({ left: 260, top: 0, right: 500, bottom: 300 }, { width: 200, height: 60 }, 1000, 240);
    expect(v.zoom).toBe(1);
    expect(v.screenX(260)).toBe(16 + 240);
  });

  it('pans the least that reveals a box', () => {
    const v = new Viewport();
    v.reveal(900, 100, 1000, 150, 800, 600);
    expect(v.panX).toBe(16 - (1000 - 788));
    v.reveal(-50, 100, 50, 150, 800, 600);
    expect(v.panX).toBe(16 - (1000 - 788) + 62);
  });
});
