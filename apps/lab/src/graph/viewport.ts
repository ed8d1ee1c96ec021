/**
 * Pan and zoom of the graph view. Zoom scales the distances between boxes, never the boxes or
 * their text: a label is the same number of screen pixels at every zoom (the complaint
 * was text shrunk to fit). Screen = pan + world × zoom.
 */

/** Compact boxes are under 100 px wide (graph.css); columns 260 apart stay apart down to here. */
export const MIN_ZOOM = 0.4;
export const MAX_ZOOM = 2.5;
/** Below this the boxes show only their type, so an overview still reads. */
export const COMPACT_BELOW = 0.6;

export interface Bounds {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const clamp = (zoom: number): number => Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));

export class Viewport {
  zoom = 1;
  panX = 16;
  panY = 16;

  screenX(x: number): number {
    return this.panX + x * this.zoom;
  }

  screenY(y: number): number {
    return this.panY + y * this.zoom;
  }

  get compact(): boolean {
    return this.zoom < COMPACT_BELOW;
  }

  pan(dx: number, dy: number): void {
    this.panX += dx;
    this.panY += dy;
  }

  /** Zooms by `factor` keeping the world point under the screen point (sx, sy) where it is. */
  zoomAt(factor: number, sx: number, sy: number): void {
    const zoom = clamp(this.zoom * factor);
    const wx = (sx - this.panX) / this.zoom;
    const wy = (sy - this.panY) / this.zoom;
    this.zoom = zoom;
    this.panX = sx - wx * zoom;
    this.panY = sy - wy * zoom;
  }

  /**
   * Shows all of `bounds` (world corners of the boxes; `box` the largest box's screen size) in a
   * width × height view, `reserve` pixels on the left kept for what is drawn unscaled beside them
   * (the names): never zooms in past 1, never out past MIN_ZOOM.
   */
  fit(bounds: Bounds, box: { width: number; height: number }, width: number, height: number, reserve = 0, margin = 16): void {
    const spanX = Math.max(1, bounds.right - bounds.left - box.width);
    const spanY = Math.max(1, bounds.bottom - bounds.top - box.height);
    const zoom = clamp(Math.min(1, (width - 2 * margin - reserve - box.width) / spanX, (height - 2 * margin - box.height) / spanY));
    this.zoom = zoom;
    this.panX = margin + reserve - bounds.left * zoom;
    this.panY = margin - bounds.top * zoom;
  }

  /**
   * The zoom at which all of `bounds` fits across a `width`-wide view, as `fit` would, but no
   * further out than `floor` and never past 1; the vertical pan is kept. For a picture the
   * learner has not moved yet: shrunk only as far as its boxes keep their full text.
   */
  fitWidth(bounds: Bounds, box: { width: number; height: number }, width: number, reserve = 0, floor = MIN_ZOOM, margin = 16): void {
    const spanX = Math.max(1, bounds.right - bounds.left - box.width);
    const wanted = (width - 2 * margin - reserve - box.width) / spanX;
    this.zoom = Math.min(1, Math.max(clamp(floor), clamp(wanted)));
    this.panX = margin + reserve - bounds.left * this.zoom;
  }

  /** Pans the least that brings the screen rectangle into a width × height view. */
  reveal(left: number, top: number, right: number, bottom: number, width: number, height: number, margin = 12): void {
    if (left < margin) this.panX += margin - left;
    else if (right > width - margin) this.panX -= Math.min(right - (width - margin), left - margin);
    if (top < margin) this.panY += margin - top;
    else if (bottom > height - margin) this.panY -= Math.min(bottom - (height - margin), top - margin);
  }
}
