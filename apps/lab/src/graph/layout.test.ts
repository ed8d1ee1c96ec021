import { describe, expect, it } from 'vitest';
import { columnX, GAP, StableLayout, type LayoutLink, type LayoutNode } from './layout.ts';

const box = (id: string, key = id, height = 50): LayoutNode => ({ id, key, width: 150, height });
const root = (id: string, height = 80): LayoutNode => ({ id, key: id, width: 120, height, root: true });

function overlaps(placed: Map<string, { x: number; y: number; width: number; height: number }>): string[] {
  const all = [...placed.entries()];
  const out: string[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, p] = all[i]!;
      const [b, q] = all[j]!;
      if (p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height) out.push(`${a}/${b}`);
    }
  }
  return out;
}

describe('StableLayout', () => {
  it('puts roots first, each object in the column of its distance from them, none overlapping', () => {
    const layout = new StableLayout();
    const nodes = [root('root:globals'), box('a'), box('b'), box('c'), box('d')];
    const links: LayoutLink[] = [
      { from: 'root:globals', to: 'a', fromOffset: 20 },
      { from: 'root:globals', to: 'b', fromOffset: 40 },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'd' },
      { from: 'd', to: 'a' },
    ];
    const placed = layout.place(nodes, links);
    expect(placed.get('root:globals')).toMatchObject({ x: 0, y: 0, column: 0 });
    expect(['a', 'b', 'c', 'd'].map((id) => placed.get(id)!.column)).toEqual([1, 1, 2, 3]);
    expect(placed.get('c')!.x).toBe(columnX(2));
    expect(overlaps(placed)).toEqual([]);
  });

  it('keeps every object where it was when others come and go', () => {
    const layout = new StableLayout();
    const links = (ids: string[]): LayoutLink[] => ids.map((id, i) => ({ from: 'root:globals', to: id, fromOffset: 10 + i * 16 }));
    const first = layout.place([root('root:globals'), box('a'), box('b'), box('c')], links(['a', 'b', 'c']));
    // b freed, d and e new: a and c stay put, the new ones fill in without overlapping.
    const second = layout.place([root('root:globals', 110), box('a'), box('c'), box('d'), box('e')], links(['a', 'c', 'd', 'e']));
    expect(second.get('a')).toEqual(first.get('a'));
    expect(second.get('c')).toEqual(first.get('c'));
    expect(overlaps(second)).toEqual([]);
    // d takes the height nearest its name's row that is free (b's old place is free again).
    expect(second.get('d')!.y).toBe(first.get('b')!.y);
  });

  it('keeps a freed object\'s place for its ghost the step it goes', () => {
    const layout = new StableLayout();
    const links: LayoutLink[] = [{ from: 'root:globals', to: 'a' }];
    layout.place([root('root:globals'), box('a')], links);
    const ghost = layout.last('a')!;
    const next = layout.place([root('root:globals'), box('b')], [{ from: 'root:globals', to: 'b' }], [ghost]);
    expect(next.get('b')!.y).toBeGreaterThanOrEqual(ghost.y + ghost.height + GAP);
  });

  it('places an object whose id was reused (another serial) afresh', () => {
    const layout = new StableLayout();
    layout.place([root('root:globals'), box('a', 'a:1'), box('x', 'x:1')], [{ from: 'root:globals', to: 'x' }, { from: 'x', to: 'a' }]);
    const before = layout.last('a')!;
    const after = layout.place([root('root:globals'), box('a', 'a:2')], [{ from: 'root:globals', to: 'a' }]);
    expect(before.column).toBe(2);
    expect(after.get('a')!.column).toBe(1);
  });

  it('puts a new object near what refers to it, in the nearest free height', () => {
    const layout = new StableLayout();
    const nodes = [root('root:globals', 400), box('p'), box('q')];
    const placed = layout.place(nodes, [
      { from: 'root:globals', to: 'p', fromOffset: 300 },
      { from: 'root:globals', to: 'q', fromOffset: 300 },
    ]);
    expect(placed.get('p')!.y).toBe(275);
    expect(Math.abs(placed.get('q')!.y - 275)).toBe(50 + GAP);
  });

  it('starts what the roots do not reach (a lost cycle) at the first column', () => {
    const layout = new StableLayout();
    const placed = layout.place([root('root:globals'), box('x'), box('y')], [{ from: 'x', to: 'y' }, { from: 'y', to: 'x' }]);
    expect([placed.get('x')!.column, placed.get('y')!.column]).toEqual([1, 2]);
  });
});
