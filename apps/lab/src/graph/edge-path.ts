/**
 * The curve of one arrow between two boxes on screen, and where its label sits: forward arrows
 * leave the source's right side for the target's left; an arrow back (or within a column) bends
 * out to the right and comes into the target's right side; a reference to itself is a loop.
 */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgeCurve {
  readonly d: string;
  readonly labelX: number;
  readonly labelY: number;
}

const f = (n: number): string => n.toFixed(1);

function curve(x0: number, y0: number, x1: number, y1: number, x2: number, y2: number, x3: number, y3: number, t: number): EdgeCurve {
  const u = 1 - t;
  const at = (a: number, b: number, c: number, d: number): number => u * u * u * a + 3 * u * u * t * b + 3 * u * t * t * c + t * t * t * d;
  return {
    d: `M${f(x0)},${f(y0)} C${f(x1)},${f(y1)} ${f(x2)},${f(y2)} ${f(x3)},${f(y3)}`,
    labelX: at(x0, x1, x2, x3),
    labelY: at(y0, y1, y2, y3),
  };
}

/** `fromY`: where on the source the arrow leaves (screen y); `lane`: the how-manieth arrow between the same pair. */
export function edgeCurve(source: Rect, target: Rect, fromY: number, self: boolean, lane = 0): EdgeCurve {
  // Labels sit past the middle, toward the target, where a list's fan of arrows has spread out.
  const t = 0.68 + (lane % 2 === 0 ? 1 : -1) * Math.ceil(lane / 2) * 0.1;
  const sx = source.x + source.width;
  if (self) {
    const top = source.y + source.height * 0.3;
    const bottom = source.y + source.height * 0.7;
    const reach = 46 + lane * 14;
    return curve(sx, top, sx + reach, top - 26, sx + reach, bottom + 26, sx, bottom, 0.5);
  }
  const ty = target.y + target.height / 2;
  if (target.x >= sx + 24) {
    const bend = Math.max(30, (target.x - sx) / 2);
    return curve(sx, fromY, sx + bend, fromY, target.x - bend, ty, target.x, ty, t);
  }
  const tx = target.x + target.width;
  // An arrow going up bends further out than one going down, so a pair (a cycle) reads as two.
  const out = Math.max(sx, tx) + 44 + Math.min(120, Math.abs(ty - fromY) / 4) + (ty < fromY ? 28 : 0) + lane * 12;
  // Its label nearer the source, so the labels of a pair going opposite ways sit apart.
  return curve(sx, fromY, out, fromY, out, ty, tx, ty, t - 0.43);
}
