/**
 * The hostile things code the heap calls out to can do — finalizers, weak reference
 * callbacks, heap observers — and the classes that do them. Each action tells the model
 * what it changed (an object pinned, an edge stored), so the oracle stays exact; what it
 * finds wrong on the spot (a freed object handed out, a nested collect that collected) it
 * reports to `World.fail`. Errors it throws go to the heap's unraisable hook, which the
 * world also turns into failures.
 */
import { Handles, type HeapObserver, type HeapType, type Ref } from '@refheap/core';
import type { RawCallback } from '@refheap/weakref';
import { type Action, actions, type HookClass, type HostileClasses } from './hostile-kinds.ts';
import type { ModelWeakref, World } from './world.ts';

/** Who is acting, on what. */
export interface Site {
  readonly from: 'finalizer' | 'weakref callback' | 'observer';
  /** What borrowing, getReferrers and resurrect act on (the finalizer's self, the callback's weakref, a live object). */
  readonly subject: Ref | null;
  /** The subject's model index, or null when it is not a model object. */
  readonly index: number | null;
  /** A finalizer's own model index. */
  readonly self: number | null;
}

export function doAction(w: World, action: Action, site: Site): void {
  const { heap } = w;
  const gc = w.gc;
  const { subject } = site;
  switch (action) {
    case 'getObjects':
      for (const ref of gc.getObjects()) if (!heap.isAlive(ref)) w.fail(`gc.getObjects() from a ${site.from} returned freed index ${ref}`);
      return;
    case 'getReferrers':
      if (subject === null) return;
      for (const ref of gc.getReferrers(subject)) if (!heap.isAlive(ref)) w.fail(`gc.getReferrers() from a ${site.from} returned freed index ${ref}`);
      return;
    case 'freeze':
      gc.freeze();
      w.frozen = true;
      return;
    case 'unfreeze':
      gc.unfreeze();
      return;
    case 'collect': {
      const during = gc.isCollecting;
      const found = gc.collect();
      if (during && found !== 0) w.fail(`gc.collect() from a ${site.from} during a collection returned ${found}, not 0`);
      return;
    }
    case 'allocRelease': {
      // New cyclic garbage the next collection must take (not in the model: nothing can reach it).
      const x = heap.newList();
      const y = heap.newList([x]);
      heap.append(x, y);
      heap.decref(x);
      heap.decref(y);
      return;
    }
    case 'allocStore':
      if (site.self === null) return keep(w);
      return storeInSelf(w, site.self);
    case 'allocKeep':
      return keep(w);
    case 'scope':
      // Made and released inside the scope: nothing changes.
      if (subject !== null) w.py.scope(() => void w.py.borrow(subject));
      return;
    case 'handle': {
      if (subject === null) return;
      const handle = new Handles(heap).borrow(subject);
      return pin(w, site, () => handle.release());
    }
    case 'scopeEscape': {
      if (subject === null) return;
      // The handle the body returns outlives the scope: the caller owns it.
      const handle = w.py.scope(() => w.py.borrow(subject));
      return pin(w, site, () => handle.release());
    }
    case 'resurrect':
      if (subject === null) return;
      heap.incref(subject);
      return pin(w, site, () => heap.decref(subject));
    case 'detach':
      return w.reinstall(site.from);
    case 'trim': {
      // Refused while code runs inside the heap: the release that called out still walks its indexes.
      const given = heap.trim();
      if (given !== 0) w.fail(`heap.trim() from a ${site.from} gave back ${given} bytes`);
      return;
    }
  }
}

/** Parks the reference just taken to the subject; a finalizer pinning itself resurrects it. */
function pin(w: World, site: Site, release: () => void): void {
  if (site.self !== null && site.index === site.self) w.resurrecting();
  w.park(site.index, release);
}

/** A new list only the registry holds. */
function keep(w: World): void {
  const list = w.heap.newList();
  const index = w.adopt(list, 'list', new Map(), 0);
  w.park(index, () => w.heap.decref(list));
}

/** A new list stored in the finalizer's own slot `a`, replacing what was there. */
function storeInSelf(w: World, self: number): void {
  const { heap } = w;
  const list = heap.newList();
  const index = w.adopt(list, 'list', new Map(), 0);
  const o = w.objects[self]!;
  o.out.set('0', index); // before the store: what the old value's death runs sees the model as it will be
  heap.setSlot(o.ref, 0, list);
  heap.decref(list);
}

/** Bookkeeping every finalizer does: the model learns it ran (once, or that is a failure). */
function finalized(w: World, self: Ref, what: string): number | undefined {
  const index = w.indexOf(self);
  if (index === undefined) {
    w.fail(`a ${what} finalizer ran for ${self}, which the model does not know`);
    return undefined;
  }
  const o = w.objects[index]!;
  if (++o.finalized > 1) w.fail(`the finalizer of object ${index} (${what}) ran ${o.finalized} times`);
  return index;
}

/**
 * One finalizer class per action, and one hooked class per combination of hooks. The
 * hooked classes hold at most one reference outside their slots, in the world's side table:
 * `traverse` reports it, `clear` drops it (without a clear hook the world's own observer
 * drops it when the object is freed, as a tp_dealloc would).
 */
export function defineHostileClasses(w: World): HostileClasses {
  const { heap } = w;
  const finals = new Map<Action, HeapType>();
  for (const action of actions) {
    const type = heap.defineClass(`Final_${action}`, {
      slots: ['a', 'b', '__weakref__'],
      finalize: (_heap, self) => {
        const index = finalized(w, self, action);
        if (index === undefined || w.reinstalling) return;
        w.counts.hostileFinalizers++;
        doAction(w, action, { from: 'finalizer', subject: self, index, self: index });
      },
    });
    finals.set(action, type);
  }
  const hooks: HookClass[] = [];
  for (let mask = 0; mask < 16; mask++) {
    const has = { traverse: (mask & 1) !== 0, clear: (mask & 2) !== 0, finalize: (mask & 4) !== 0, repr: (mask & 8) !== 0 };
    const name = `Hooks_${Object.entries(has)
      .filter(([, on]) => on)
      .map(([hook]) => hook)
      .join('_') || 'none'}`;
    const type = heap.defineClass(name, {
      slots: ['a', 'b', '__weakref__'],
      traverse: has.traverse
        ? (_heap, self, visit) => {
            const held = w.side.get(self);
            if (held !== undefined) visit(held);
          }
        : undefined,
      clear: has.clear
        ? (h, self) => {
            const index = w.indexOf(self);
            if (index !== undefined && w.reachable().has(index)) w.fail(`clear hook called on object ${index} (${name}), which is reachable`);
            const held = w.side.get(self);
            if (held === undefined) return;
            w.side.delete(self);
            h.decref(held);
          }
        : undefined,
      finalize: has.finalize ? (_heap, self) => void finalized(w, self, name) : undefined,
      repr: has.repr ? (h, self) => `<${name} ${[0, h.None].includes(h.getSlot(self, 0)) ? 'empty' : 'linked'}>` : undefined,
    });
    hooks.push({ type, ...has });
  }
  return { finals, hooks };
}

/** A weak reference callback that checks its object is gone, counts, then does `action`. */
export function weakrefCallback(w: World, entry: ModelWeakref, action: Action | null): RawCallback {
  return (wr) => {
    if (w.weakrefs.deref(wr) !== 0) w.fail('a callback saw its object alive');
    entry.fired++;
    if (action === null || w.reinstalling) return;
    w.counts.hostileCallbacks++;
    doAction(w, action, { from: 'weakref callback', subject: wr, index: null, self: null });
  };
}

/**
 * An observer that does `action` on every `every`-th event of its hook, at most `budget`
 * times a command; in `freed` it allocates first (kept or let go), into the index just freed.
 */
export function hostileObserver(
  w: World,
  hook: 'freed' | 'allocated',
  action: Action,
  every: number,
  budget: number,
  keepAllocation: boolean,
): { observer: HeapObserver; refill: () => void } {
  let events = 0;
  let left = budget;
  let picks = 0;
  const act = (): void => {
    if (w.inObserver || w.reinstalling || left <= 0 || ++events % every !== 0) return;
    left--;
    w.inObserver = true;
    try {
      w.counts.hostileObservers++;
      if (hook === 'freed') {
        if (keepAllocation) keep(w);
        else w.heap.decref(w.heap.newList());
      }
      const index = w.pick(picks++) ?? null;
      const subject = index === null ? null : w.objects[index]!.ref;
      doAction(w, action, { from: 'observer', subject, index, self: null });
    } finally {
      w.inObserver = false;
    }
  };
  const observer: HeapObserver = hook === 'freed' ? { freed: act } : { allocated: act };
  return { observer, refill: () => (left = budget) };
}
