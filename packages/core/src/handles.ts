/**
 * Handle-returning constructors and helpers over one heap, so the seeds'
 * Python reads almost line for line:
 *
 *     const py = new Handles(new Heap());
 *     using a = py.list();          // a = []
 *     const l = py.list([1, 2, a]); // l = [1, 2, a]
 *     py.getrefcount(a);            // 3
 *
 * No constructor takes a handle over: `l` above holds a reference of its own to `a`, and
 * `a` is still the caller's to release. Temporaries are JS values: `py.list([[]])`.
 */
import { PyAttributeError, PyTypeError } from './errors.ts';
import type { ClassSpec, Heap, HeapType } from './heap.ts';
import {
  checkKey,
  checkValue,
  Handle,
  isTracingHandles,
  newRef,
  runScope,
  Scope,
  setTracingHandles,
  type Value,
  withRef,
} from './handle.ts';
import type { Ref } from './ref.ts';

export interface HandlesOptions {
  /** Sets `traceHandles` for the heap (see there). */
  readonly traceHandles?: boolean;
}

export class Handles {
  readonly heap: Heap;

  constructor(heap: Heap, options: HandlesOptions = {}) {
    this.heap = heap;
    if (options.traceHandles !== undefined) this.traceHandles = options.traceHandles;
  }

  /**
   * Whether every handle made on this heap from now on — by any `Handles`, or `new Handle` —
   * records the JS stack it is made on, so that a leak report (a handle JS collected
   * unreleased, reported through `heap.unraisable`) says where it came from: the report's
   * `LeakedHandleError` has it as `madeAt` and as its `stack`. Off, it costs nothing; on,
   * one stack capture per handle. A debugging switch, as `tracemalloc` is for ResourceWarning.
   */
  get traceHandles(): boolean {
    return isTracingHandles(this.heap);
  }

  set traceHandles(on: boolean) {
    setTracingHandles(this.heap, on);
  }

  /** Wraps a new reference you own (from the raw layer) in a handle. */
  adopt(ref: Ref): Handle {
    return new Handle(this.heap, ref);
  }

  /** A handle holding a new reference to a borrowed `ref`. */
  borrow(ref: Ref): Handle {
    this.heap.incref(ref);
    return new Handle(this.heap, ref);
  }

  none(): Handle {
    return this.adopt(this.heap.newNone());
  }

  bool(value: boolean): Handle {
    return this.adopt(this.heap.newBool(value));
  }

  int(value: number | bigint): Handle {
    return this.adopt(this.heap.newInt(value));
  }

  float(value: number): Handle {
    return this.adopt(this.heap.newFloat(value));
  }

  str(value: string): Handle {
    return this.adopt(this.heap.newStr(value));
  }

  /** Any value as a handle: a JS value becomes objects (`py.of([1, {}])` is `[1, {}]`); a handle is duplicated. */
  of(value: Value): Handle {
    return this.adopt(newRef(this.heap, value));
  }

  tuple(items: readonly Value[] = []): Handle {
    return this.#withRefs(items, (refs) => this.heap.newTuple(refs));
  }

  list(items: readonly Value[] = []): Handle {
    return this.#withRefs(items, (refs) => this.heap.newList(refs));
  }

  set(items: readonly Value[] = []): Handle {
    return this.#withRefs(items, (refs) => this.heap.newSet(refs));
  }

  /** A dict from `[key, value]` pairs or a plain object of str keys. A bad key or value leaves nothing behind. */
  dict(entries: Iterable<readonly [Value, Value]> | Record<string, Value> = []): Handle {
    const pairs = [...(Symbol.iterator in entries ? entries : Object.entries(entries))];
    for (const [key, value] of pairs) {
      checkKey(this.heap, key);
      checkValue(this.heap, value);
    }
    return this.#built(this.adopt(this.heap.newDict()), (dict) => {
      for (const [key, value] of pairs) dict.set(key, value);
    });
  }

  /** `class Name: …` — see `Heap.defineClass`. */
  defineClass(name: string, spec?: ClassSpec): HeapType {
    return this.heap.defineClass(name, spec);
  }

  /** `cls(**attributes)`: a new instance with the given attributes set. A bad attribute leaves nothing behind. */
  new(type: HeapType, attributes: Record<string, unknown> = {}): Handle {
    for (const [name, value] of Object.entries(attributes)) {
      const slot = type.slotIndex.get(name);
      // Checked before anything is allocated, so a bad name leaves every count as it was.
      if (slot === undefined && !type.hasDict) {
        throw new PyAttributeError(`'${type.name}' object has no attribute '${name}'`);
      }
      const kind = slot === undefined ? 'object' : type.slots[slot]!.kind;
      if (kind === 'int32' && !isInt32(value)) {
        throw new PyTypeError(`slot '${name}' of a '${type.name}' object holds a 32-bit integer, not ${String(value)}`);
      }
      if (kind === 'js' && value instanceof Handle) {
        throw new PyTypeError(`slot '${name}' of a '${type.name}' object holds a JS value, not a handle (use an object slot)`);
      }
      if (kind === 'object') checkValue(this.heap, value as Value);
    }
    return this.#built(this.adopt(this.heap.newInstance(type)), (instance) => {
      for (const [name, value] of Object.entries(attributes)) instance.set(name, value);
    });
  }

  /** Fills a new object; if filling fails, the object is released before the error goes on. */
  #built(made: Handle, fill: (made: Handle) => void): Handle {
    try {
      fill(made);
      return made;
    } catch (error) {
      made.release();
      throw error;
    }
  }

  /** The class object of a class (`<class 'Node'>`), as a handle. */
  classObject(type: HeapType): Handle {
    return this.borrow(type.object);
  }

  /** `sys.getrefcount(obj)`. */
  getrefcount(value: Handle): number {
    return this.#own(value).getrefcount();
  }

  /** `id(obj)`. */
  id(value: Handle): number {
    return this.#own(value).id;
  }

  /** `value`, checked to belong to this heap. */
  #own(value: Handle): Handle {
    return withRef(this.heap, value, () => value);
  }

  /** The object with this id, as a new handle; a freed or reused id raises StaleIdError. */
  objectAt(id: number): Handle {
    return this.borrow(this.heap.objectAt(id));
  }

  /**
   * Calls `body` like a Python function call: each argument is bound to a parameter (a
   * reference of the call's own) for the duration of the call.
   */
  call<A extends Handle[], R>(body: (...parameters: A) => R, ...args: A): R {
    for (const arg of args) withRef(this.heap, arg, () => undefined); // every argument live and ours, before any is bound
    const parameters = args.map((a) => a.dup()) as A;
    try {
      return body(...parameters);
    } finally {
      for (const p of parameters) if (!p.released) p.release();
    }
  }

  /**
   * Runs `body` in a scope: every handle made inside is released when it returns, except
   * those it `keep`s and the handle it returns, which passes to the enclosing scope or, with
   * none, to the caller (who releases it, as with any new reference).
   */
  scope<R>(body: (scope: Scope) => R): R {
    return runScope(this.heap, body);
  }

  /** Opens a scope for `using`: `using _ = py.openScope();`. */
  openScope(): Scope {
    return new Scope(this.heap);
  }

  /** Makes a container of `items`: `make` increfs each, and the references made for them here go back. */
  #withRefs(items: readonly Value[], make: (refs: Ref[]) => Ref): Handle {
    for (const item of items) checkValue(this.heap, item);
    const refs: Ref[] = [];
    try {
      for (const item of items) refs.push(newRef(this.heap, item));
      return this.adopt(make(refs));
    } finally {
      for (const ref of refs) this.heap.decref(ref);
    }
  }
}

function isInt32(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff;
}
