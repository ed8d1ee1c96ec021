/**
 * How far the graph may zoom out before its boxes cover each other. Zoom scales the distances
 * between boxes, never the boxes (viewport.ts), so below some zoom two boxes of one column (or
 * of neighbouring columns) overlap and their text is hidden. A box pair stays apart while either
 * their horizontal or their vertical distance, scaled, still exceeds the first one's size.
 */

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The least zoom at which no two of `boxes` (world places, screen sizes) overlap, with `gap` screen pixels between; 0 for none. */
export function leastReadableZoom(boxes: readonly Box[], gap = 4): number {
  let least = 0;
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i]!;
    for (let j = i + 1; j < boxes.length; j++) {
      const b = boxes[j]!;
      const across = apart(a.x, a.width, b.x, b.width, gap);
      const down = apart(a.y, a.height, b.y, b.height, gap);
      least = Math.max(least, Math.min(across, down));
    }
  }
  return least;
}

/** The zoom from which two spans along one axis stop overlapping (Infinity when they start together). */
function apart(a: number, aSize: number, b: number, bSize: number, gap: number): number {
  const distance = Math.abs(b - a);
  if (distance === 0) return Infinity;
  const first = a < b ? aSize : bSize;
  return (first + gap) / distance;
}
