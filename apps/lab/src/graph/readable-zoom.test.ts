import { describe, expect, it } from 'vitest';
import { leastReadableZoom } from './readable-zoom.ts';

describe('leastReadableZoom', () => {
  it('is the zoom at which a column\'s boxes would touch', () => {
    // Two 60 px boxes 100 apart down one column: they touch (with 4 px between) at 0.64.
    expect(leastReadableZoom([{ x: 0, y: 0, width: 150, height: 60 }, { x: 0, y: 100, width: 150, height: 80 }])).toBeCloseTo(0.64);
  });

  it('lets boxes in neighbouring columns pass each other vertically while they stay apart across', () => {
    // 260 apart across, 150 wide: apart down to (150 + 4) / 260; their rows overlap already at 1.
    const zoom = leastReadableZoom([{ x: 260, y: 0, width: 150, height: 60 }, { x: 520, y: 20, width: 150, height: 60 }]);
    expect(zoom).toBeCloseTo(154 / 260);
    // Far apart in both: the looser of the two says.
    expect(leastReadableZoom([{ x: 0, y: 0, width: 100, height: 50 }, { x: 400, y: 400, width: 100, height: 50 }])).toBeCloseTo(54 / 400);
  });

  it('is 0 for no boxes or one', () => {
    expect(leastReadableZoom([])).toBe(0);
    expect(leastReadableZoom([{ x: 0, y: 0, width: 10, height: 10 }])).toBe(0);
  });
});
