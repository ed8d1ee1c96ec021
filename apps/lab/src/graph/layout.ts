/**
 * A layered layout that moves little from one step to the next: roots in the first column,
 * each object in the column of its distance from the roots, and once an object has a place it
 * keeps it for as long as it lives (its key — id and serial — stays the same). Only new objects
 * are placed: in their column, as near as the free space allows to the height of what refers to
 * them. Sizes are screen pixels at zoom 1 (the view keeps boxes that size at every zoom and
 * scales the distances between them).
 */

export interface LayoutNode {
  readonly id: string;
  /** Identity across steps: an id whose object was freed and whose slot was reused gets a new key. */
  readonly key: string;
  readonly width: number;
  readonly height: number;
  /** A root box (names, a frame): stacked in the first column, placed afresh each time. */
  readonly root?: boolean;
}

export interface LayoutLink {
  readonly from: string;
  readonly to: string;
  /** Where on the source the link leaves, from its top (a name's row); its middle when absent. */
  readonly fromOffset?: number;
}

export interface Placement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly column: number;
}

export const ROOT_WIDTH = 190;
export const COLUMN_WIDTH = 260;
export const GAP = 18;

export const columnX = (column: number): number => (column === 0 ? 0 : ROOT_WIDTH + 70 + (column - 1) * COLUMN_WIDTH);

interface Kept extends Placement {
  readonly key: string;
}

export class StableLayout {
  readonly #kept = new Map<string, Kept>();

  /**
   * Where each node goes; nodes not given are forgotten (their places are free again, but not
   * this time for the `reserved` ones: a freed object's ghost is drawn there once).
   */
  place(nodes: readonly LayoutNode[], links: readonly LayoutLink[], reserved: readonly Placement[] = []): Map<string, Placement> {
    const out = new Map<string, Placement>();
    const taken = new Map<string, Placement>(reserved.map((p, i) => [`reserved:${i}`, p]));
    const byId = new Map(nodes.map((n) => [n.id, n]));
    // Roots, top to bottom.
    let top = 0;
    for (const node of nodes) {
      if (!node.root) continue;
      out.set(node.id, { x: 0, y: top, width: node.width, height: node.height, column: 0 });
      top += node.height + GAP * 1.5;
    }
    const depth = depths(nodes, links);
    // Kept places for the same objects (same key); a box that grew keeps its corner.
    for (const node of nodes) {
      if (node.root) continue;
      const kept = this.#kept.get(node.id);
      if (kept && kept.key === node.key) out.set(node.id, { x: kept.x, y: kept.y, width: node.width, height: node.height, column: kept.column });
    }
    const incoming = new Map<string, LayoutLink[]>();
    for (const link of links) {
      const list = incoming.get(link.to);
      if (list) list.push(link);
      else incoming.set(link.to, [link]);
    }
    const fresh = nodes.filter((n) => !n.root && !out.has(n.id));
    // Shallow first, then in the order given (the snapshot's breadth-first order).
    const order = new Map(nodes.map((n, i) => [n.id, i]));
    fresh.sort((a, b) => depth.get(a.id)! - depth.get(b.id)! || order.get(a.id)! - order.get(b.id)!);
    for (const node of fresh) {
      const column = Math.max(1, depth.get(node.id)!);
      const wanted = wantedY(node, incoming.get(node.id) ?? [], out, byId);
      const x = columnX(column);
      for (const [id, p] of out) taken.set(id, p);
      const y = freeY(taken, x, node, wanted);
      out.set(node.id, { x, y, width: node.width, height: node.height, column });
    }
    this.#kept.clear();
    for (const node of nodes) if (!node.root) this.#kept.set(node.id, { ...out.get(node.id)!, key: node.key });
    return out;
  }

  /** Forgets every place: the next `place` lays everything out afresh. */
  reset(): void {
    this.#kept.clear();
  }

  /** Where an object was last placed (a freed object's ghost is drawn there once). */
  last(id: string): Placement | undefined {
    return this.#kept.get(id);
  }
}

/** Distance from the roots along the links; what the roots do not reach counts from itself, at 1. */
function depths(nodes: readonly LayoutNode[], links: readonly LayoutLink[]): Map<string, number> {
  const out = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const { from, to } of links) {
    const list = next.get(from);
    if (list) list.push(to);
    else next.set(from, [to]);
  }
  const spread = (start: readonly string[], at: number): void => {
    let frontier = start.filter((id) => !out.has(id));
    for (const id of frontier) out.set(id, at);
    let d = at;
    while (frontier.length > 0) {
      d++;
      const following: string[] = [];
      for (const id of frontier) {
        for (const to of next.get(id) ?? []) {
          if (out.has(to)) continue;
          out.set(to, d);
          following.push(to);
        }
      }
      frontier = following;
    }
  };
  spread(nodes.filter((n) => n.root).map((n) => n.id), 0);
  for (const node of nodes) if (!out.has(node.id)) spread([node.id], 1);
  return out;
}

/** The mean height of the placed things that refer to the node (where their links leave). */
function wantedY(node: LayoutNode, incoming: readonly LayoutLink[], placed: ReadonlyMap<string, Placement>, byId: ReadonlyMap<string, LayoutNode>): number {
  let sum = 0;
  let count = 0;
  for (const link of incoming) {
    const from = placed.get(link.from);
    if (!from || !byId.has(link.from)) continue;
    sum += from.y + (link.fromOffset ?? from.height / 2);
    count++;
  }
  return count === 0 ? 0 : Math.max(0, sum / count - node.height / 2);
}

/** The free height nearest `wanted` in the column at `x` (below 0 is not used). */
function freeY(placed: ReadonlyMap<string, Placement>, x: number, node: LayoutNode, wanted: number): number {
  const taken: [number, number][] = [];
  for (const p of placed.values()) {
    if (p.x < x + node.width && x < p.x + p.width) taken.push([p.y - GAP, p.y + p.height + GAP]);
  }
  const fits = (y: number): boolean => taken.every(([a, b]) => y + node.height <= a || y >= b);
  const candidates = [wanted, ...taken.flatMap(([a, b]) => [b, a - node.height])].filter((y) => y >= 0 && fits(y));
  if (candidates.length === 0) return Math.max(0, ...taken.map(([, b]) => b));
  return candidates.reduce((best, y) => (Math.abs(y - wanted) < Math.abs(best - wanted) ? y : best));
}
