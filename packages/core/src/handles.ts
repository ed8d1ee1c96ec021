/**
 * Handle-returning constructors and helpers over one heap, so the seeds'
 * Python reads almost line for line:
 *
 *     const py = new Handles(new Heap());
 *     using a = py.list();          // a = []
 *     const l = py.list([1, 2, a]); // l = [1, 2, a]
 *     py.getrefcount(a);            // 3
 */
import { PyAttributeError, PyTypeError } from './errors.ts';
import type { Heap } from './heap.ts';
import { Handle, Scope, type Value, withRef } from './handle.ts';
import type { Ref } from './ref.ts';
import type { ClassSpec, HeapType } from './types.ts';

export class Handles {
  readonly heap: Heap;

  constructor(heap: Heap) {
    this.heap = heap;
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

  /** Any value as a handle: a JS value becomes an object; a handle is duplicated. */
  of(value: Value): Handle {
    return withRef(this.heap, value, (ref) => this.borrow(ref));
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
      withRef(this.heap, value, () => undefined);
      if (key instanceof Handle) withRef(this.heap, key, (k) => this.heap.hashKey(k)); // unhashable: raise now
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
  new(type: HeapType, attributes: Record<string, Value> = {}): Handle {
    for (const [name, value] of Object.entries(attributes)) {
      const slot = type.slotIndex.get(name);
      // Checked before anything is allocated, so a bad name leaves every count as it was.
      if (slot === undefined && !type.hasDict) {
        throw new PyAttributeError(`'${type.name}' object has no attribute '${name}'`);
      }
      if (slot !== undefined && type.slots[slot]!.kind !== 'object') {
        throw new PyTypeError(`slot '${name}' of a '${type.name}' object holds a 32-bit integer, not an object`);
      }
      withRef(this.heap, value, () => undefined);
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
   * the handle it returns (which passes to the enclosing scope) and those it `keep`s.
   */
  scope<R>(body: (scope: Scope) => R): R {
    const scope = new Scope(this.heap);
    try {
      const result = body(scope);
      if (result instanceof Handle) scope.keep(result);
      return result;
    } finally {
      scope.close();
    }
  }

  /** Opens a scope for `using`: `using _ = py.openScope();`. */
  openScope(): Scope {
    return new Scope(this.heap);
  }

  #withRefs(items: readonly Value[], make: (refs: Ref[]) => Ref): Handle {
    const temporaries: Ref[] = [];
    try {
      const refs = items.map((item) => {
        if (item instanceof Handle) return withRef(this.heap, item, (r) => r);
        const ref = this.heap.from(item);
        temporaries.push(ref);
        return ref;
      });
      return this.adopt(make(refs));
    } finally {
      for (const ref of temporaries) this.heap.decref(ref);
    }
  }
}
