/**
 * How often each hostile move really did its thing (a command can find nothing to act on),
 * per world and summed over a run, so `pnpm fuzz` can say what the run exercised.
 */
export interface Counts {
  /** Finalizers of the hostile classes that ran. */
  hostileFinalizers: number;
  /** Weak reference callbacks that did a hostile thing. */
  hostileCallbacks: number;
  /** Observer calls that did a hostile thing. */
  hostileObservers: number;
  /** Cycles of plain objects dropped with an outside object only they held. */
  sweeps: number;
  /** …of which the outside object died inside the collection. */
  outsideDeaths: number;
  churnRounds: number;
  hookedObjects: number;
  /** Cycles whose only way round is a class's traverse hook. */
  hookCycles: number;
  resurrections: number;
  /** gc.detach() refused (PyRuntimeError) because a collection was running. */
  detachRefused: number;
  reinstalls: number;
}

export function emptyCounts(): Counts {
  return {
    hostileFinalizers: 0,
    hostileCallbacks: 0,
    hostileObservers: 0,
    sweeps: 0,
    outsideDeaths: 0,
    churnRounds: 0,
    hookedObjects: 0,
    hookCycles: 0,
    resurrections: 0,
    detachRefused: 0,
    reinstalls: 0,
  };
}

export function addCounts(into: Counts, from: Counts): void {
  for (const key of Object.keys(into) as (keyof Counts)[]) into[key] += from[key];
}

/** "k hostile finalizers, …" for the run's last line. */
export function describeCounts(c: Counts): string {
  return [
    `${c.hostileFinalizers} hostile finalizers`,
    `${c.hostileCallbacks} hostile weakref callbacks`,
    `${c.hostileObservers} hostile observer calls`,
    `${c.sweeps} one-sweep releases (${c.outsideDeaths} with an outside death)`,
    `${c.churnRounds} tuple/closure churn rounds`,
    `${c.hookedObjects} hooked objects (${c.hookCycles} cycles through a traverse hook)`,
    `${c.resurrections} resurrections`,
    `${c.detachRefused} detaches refused during a collection`,
    `${c.reinstalls} collectors reinstalled`,
  ].join(', ');
}
