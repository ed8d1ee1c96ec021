/**
 * Edges as the model names them (slot index, attribute, dict key, list index, 'c' for a
 * cell's contents, 's' for a hooked object's side-table reference), and how to store one.
 */
import type { ModelObject, ObjKind, World } from './world.ts';

/** Kinds whose edges are fixed slots `0` and `1`. */
export function slotted(kind: ObjKind): boolean {
  return kind === 'slots' || kind === 'bare' || kind === 'final' || kind === 'hooks';
}

/**
 * Whether `o` may take a side-table edge to `target`. Without a clear hook nothing breaks a
 * cycle at a side edge, and tuples break nothing either: such an edge may not lead to a
 * tuple or to another object like it, so every cycle keeps an edge some clear drops.
 */
export function sideEdgeAllowed(o: ModelObject, target: ModelObject): boolean {
  if (!o.hooks?.traverse) return false;
  if (o.hooks.clear) return true;
  return target.kind !== 'tuple' && !(target.hooks?.traverse === true && !target.hooks.clear);
}

/** Stores `target` under `key` in `o`, the model first: whatever the old value's death runs sees the model as it will be. */
export function store(w: World, i: number, key: string, t: number): void {
  const o = w.objects[i]!;
  const target = w.objects[t]!.ref;
  const { heap } = w;
  o.out.set(key, t);
  if (key === 's') {
    heap.incref(target);
    const old = w.side.get(o.ref);
    w.side.set(o.ref, target);
    if (old !== undefined) heap.decref(old);
  } else if (key === 'c') heap.cellSet(o.ref, target);
  else if (slotted(o.kind)) heap.setSlot(o.ref, Number(key), target);
  else if (o.kind === 'attrs') heap.setAttr(o.ref, key, target);
  else if (o.kind === 'list') heap.append(o.ref, target);
  else if (o.kind === 'dict') {
    const k = heap.newStr(key);
    heap.dictSet(o.ref, k, target);
    heap.decref(k);
  }
}
