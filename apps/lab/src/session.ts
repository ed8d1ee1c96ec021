/**
 * One scenario's world: a fresh heap, its collector, and a namespace of names
 * bound to handles — the module globals of the Python being mirrored. Binding a
 * name takes a reference, `del name` releases it, exactly as in CPython. The
 * session also remembers which objects the scenario made, so a picture of the
 * heap shows them and not the heap's own furniture (small ints, classes).
 */
import { type Handle, Handles, Heap, type Ref } from '@refheap/core';
import { Collector } from '@refheap/gc';
import { type Platform, quietPlatform } from './platform.ts';

export interface SessionOptions {
  readonly gcEnabled?: boolean;
  readonly finalizers?: 'pep442' | 'legacy';
  readonly platform?: Platform;
  /** Remember the objects the scenario makes (for drawing); costs an observer call per allocation. */
  readonly trackObjects?: boolean;
}

export class Session {
  readonly heap: Heap;
  readonly py: Handles;
  readonly gc: Collector;
  readonly platform: Platform;
  /** The module namespace: name → the reference that name holds. */
  readonly names = new Map<string, Handle>();
  /** What the scenario's Python `print`ed during the current step. */
  printed: string[] = [];
  /** Lines the collector's debug output produced during the current step. */
  gcLog: string[] = [];
  readonly #born = new Map<Ref, number>();
  readonly #stopObserving: (() => void) | null = null;
  /** Things to release when the session closes (JS-side caches, pools…). */
  readonly #cleanups: (() => void)[] = [];

  constructor(options: SessionOptions = {}) {
    this.heap = new Heap();
    this.py = new Handles(this.heap);
    this.gc = new Collector(this.heap, {
      enabled: options.gcEnabled ?? true,
      finalizers: options.finalizers ?? 'pep442',
      debugSink: (line) => this.gcLog.push(line),
    });
    this.platform = options.platform ?? quietPlatform;
    if (options.trackObjects) {
      this.#stopObserving = this.heap.addObserver({
        allocated: (ref) => void this.#born.set(ref, this.heap.serialOf(ref)),
        freed: (ref) => void this.#born.delete(ref),
      });
    }
  }

  /** `name = value`: the name takes over `handle` (a previous binding is released). */
  bind(name: string, handle: Handle): Handle {
    const old = this.names.get(name);
    this.names.set(name, handle);
    if (old && !old.released) old.release();
    return handle;
  }

  /** The handle a name holds (borrowed: the name still owns it). */
  name(name: string): Handle {
    const handle = this.names.get(name);
    if (!handle) throw new Error(`name '${name}' is not defined`);
    return handle;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** `del name`. */
  drop(name: string): void {
    const handle = this.name(name);
    this.names.delete(name);
    handle.release();
  }

  /** Python's `print`. */
  print(line: string): void {
    this.printed.push(line);
  }

  /** Objects the scenario made that are still alive (needs `trackObjects`). */
  bornObjects(): Ref[] {
    const alive: Ref[] = [];
    for (const [ref, serial] of this.#born) if (this.heap.isAlive(ref) && this.heap.serialOf(ref) === serial) alive.push(ref);
    return alive.sort((a, b) => a - b);
  }

  /** The count CPython's `ctypes.c_long.from_address(id).value` reads: the true count, found by id. */
  refcountAt(id: number): number {
    return this.heap.refcount(this.heap.objectAt(id));
  }

  /** `id in [id(o) for o in gc.get_objects()]`. */
  trackedById(id: number): boolean {
    return this.gc.getObjects().some((ref) => this.heap.id(ref) === id);
  }

  /** Runs `cleanup` when the session closes. */
  onClose(cleanup: () => void): void {
    this.#cleanups.push(cleanup);
  }

  /** Releases every name; what was reachable only through them is freed, cycles stay for the collector. */
  close(): void {
    for (const cleanup of this.#cleanups.splice(0).reverse()) cleanup();
    for (const name of [...this.names.keys()].reverse()) this.drop(name);
    this.#stopObserving?.();
  }
}
