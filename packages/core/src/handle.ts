/**
 * The ergonomic layer: owned handles for application code. A handle is one
 * counted reference, released exactly once — by `using`, by `release()`, or by
 * the scope it was made in. It remembers its object's serial, so a handle that
 * outlives its object (after someone's unbalanced decref) says so instead of
 * touching whatever took the slot.
 */
import { addressOf, formatAddress } from './address.ts';
import { DoubleReleaseError, ForeignHeapError, PyKeyError, PyTypeError, UseAfterFreeError } from './errors.ts';
import type { Convertible, Heap, PlainValue } from './heap.ts';
import { NULL, type Ref } from './ref.ts';
import type { HeapType } from './types.ts';
import { Kind } from './types.ts';

/** What handle methods accept as a value: another handle, or a JS value converted to a new object. */
export type Value = Handle | Convertible;

/** A key: an attribute name or list index, or (for dicts) any value. */
export type Key = Value;

/** A scope's bookkeeping: the handles made while it is open. */
interface OpenScope {
  readonly handles: Handle[];
  /** `heap.calloutDepth` when it opened: a finalizer or callback running inside it makes handles of its own. */
  readonly depth: number;
}

/** The scope a handle made now belongs to: the innermost, unless a finalizer or callback has run since it opened. */
function currentScope(heap: Heap): OpenScope | undefined {
  const scope = openScopes(heap).at(-1);
  return scope !== undefined && scope.depth === heap.calloutDepth ? scope : undefined;
}

const scopesByHeap = new WeakMap<Heap, OpenScope[]>();

function openScopes(heap: Heap): OpenScope[] {
  let stack = scopesByHeap.get(heap);
  if (!stack) {
    stack = [];
    scopesByHeap.set(heap, stack);
  }
  return stack;
}

/** One owned reference to a heap object. */
export class Handle implements Disposable {
  readonly heap: Heap;
  readonly #ref: Ref;
  readonly #serial: number;
  /** The object's type, kept so messages name this handle's object even after its index is reused. */
  readonly #type: HeapType;
  #released = false;

  /** Takes ownership of a new reference `ref` (it is released with the handle). */
  constructor(heap: Heap, ref: Ref) {
    this.heap = heap;
    this.#ref = ref;
    this.#serial = heap.serialOf(ref);
    this.#type = heap.typeOf(ref);
    currentScope(heap)?.handles.push(this);
  }

  /** The raw reference, borrowed from this handle: valid while the handle is unreleased. */
  get ref(): Ref {
    if (this.#released) {
      throw new UseAfterFreeError(`this handle to ${this.#describe()} has been released`, this.#describe());
    }
    if (!this.heap.isAlive(this.#ref) || this.heap.serialOf(this.#ref) !== this.#serial) {
      throw new UseAfterFreeError(
        `${this.#describe()}, which this handle held, was freed by an unbalanced decref`,
        this.#describe(),
      );
    }
    return this.#ref;
  }

  /** `<Node object at 0x…>` for this handle's own object, whatever its index holds now. */
  #describe(): string {
    return `<${this.#type.name} object at ${formatAddress(addressOf(this.heap.tag, this.#ref))}>`;
  }

  /** Whether `release` has been called. */
  get released(): boolean {
    return this.#released;
  }

  /** Another owned reference to the same object: Python's `b = a`. */
  dup(): Handle {
    const ref = this.ref;
    this.heap.incref(ref);
    return new Handle(this.heap, ref);
  }

  /** Drops this reference: Python's `del a`. A second release raises DoubleReleaseError. */
  release(): void {
    if (this.#released) {
      const what = this.#describe();
      throw new DoubleReleaseError(`the handle to ${what} was already released`, what);
    }
    const ref = this.ref;
    this.#released = true;
    this.heap.decref(ref);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  // ─── Identity and counts ───────────────────────────────────────────────────

  /** `id(obj)`. */
  get id(): number {
    return this.heap.id(this.ref);
  }

  /** `hex(id(obj))`. */
  get hexId(): string {
    return this.heap.hexId(this.ref);
  }

  /** The true count (this handle's reference included). */
  get refcount(): number {
    return this.heap.refcount(this.ref);
  }

  /** `sys.getrefcount(obj)`: one more than `refcount`. */
  getrefcount(): number {
    return this.heap.getrefcount(this.ref);
  }

  get type(): HeapType {
    return this.heap.typeOf(this.ref);
  }

  /** Whether `other` is the very same object (`a is b`). */
  is(other: Handle): boolean {
    return this.heap === other.heap && this.ref === other.ref;
  }

  repr(): string {
    return this.heap.repr(this.ref);
  }

  toString(): string {
    return this.#released ? '<released handle>' : this.repr();
  }

  // ─── Contents ──────────────────────────────────────────────────────────────

  /** The plain value of an atom (None → null, bool, int → number or bigint, float, str, bytes → a copy as Uint8Array). */
  get value(): PlainValue {
    return this.heap.valueOf(this.ref);
  }

  /** `len(obj)`. */
  get length(): number {
    return this.heap.length(this.ref);
  }

  /** `obj.name`, `seq[i]` or `d[key]`, as a new handle. */
  get(key: Key): Handle {
    const ref = this.#lookup(key);
    this.heap.incref(ref);
    return new Handle(this.heap, ref);
  }

  /** The plain value of `obj.name`, `seq[i]` or `d[key]` when it is an atom; no handle to release. */
  read(key: Key): PlainValue {
    return this.heap.valueOf(this.#lookup(key));
  }

  /** `obj.name = value`, `seq[i] = value` or `d[key] = value`. */
  set(key: Key, value: Value): this {
    const heap = this.heap;
    const self = this.ref;
    withRef(heap, value, (v) => {
      const kind = heap.typeOf(self).kind;
      if (kind === Kind.Dict) withRef(heap, key, (k) => heap.dictSet(self, k, v));
      else if (kind === Kind.List) heap.setItem(self, indexOf(key), v);
      else heap.setAttr(self, attributeName(key), v);
    });
    return this;
  }

  /** `del obj.name`, `del seq[i]` or `del d[key]`. */
  delete(key: Key): void {
    const heap = this.heap;
    const self = this.ref;
    const kind = heap.typeOf(self).kind;
    if (kind === Kind.Dict) withRef(heap, key, (k) => heap.dictDelete(self, k));
    else if (kind === Kind.List) heap.deleteItem(self, indexOf(key));
    else heap.delAttr(self, attributeName(key));
  }

  /** `key in obj` for dicts and sets; whether an attribute exists for instances. */
  has(key: Key): boolean {
    const heap = this.heap;
    const self = this.ref;
    const kind = heap.typeOf(self).kind;
    if (kind === Kind.Set) return withRef(heap, key, (k) => heap.setHas(self, k));
    if (kind === Kind.Dict) return withRef(heap, key, (k) => heap.dictGet(self, k) !== NULL);
    return heap.findAttr(self, attributeName(key)) !== NULL;
  }

  /** `list.append(value)`. */
  append(value: Value): this {
    const self = this.ref;
    withRef(this.heap, value, (v) => this.heap.append(self, v));
    return this;
  }

  /** `list.pop(index)`, as a new handle. */
  pop(index = -1): Handle {
    return new Handle(this.heap, this.heap.pop(this.ref, index));
  }

  /** `set.add(value)`. */
  add(value: Value): this {
    const self = this.ref;
    withRef(this.heap, value, (v) => this.heap.setAdd(self, v));
    return this;
  }

  #lookup(key: Key): Ref {
    const heap = this.heap;
    const self = this.ref;
    const kind = heap.typeOf(self).kind;
    if (kind === Kind.Dict) {
      return withRef(heap, key, (k) => {
        const found = heap.dictGet(self, k);
        if (found === NULL) throw new PyKeyError(heap.repr(k), heap.describe(self));
        return found;
      });
    }
    if (kind === Kind.List || kind === Kind.Tuple) return heap.item(self, indexOf(key));
    return heap.getAttr(self, attributeName(key));
  }
}

/**
 * Runs `body` with a borrowed reference for `value`: a handle's own reference, or a
 * temporary object made from a JS value and released afterwards.
 */
export function withRef<T>(heap: Heap, value: Value, body: (ref: Ref) => T): T {
  if (value instanceof Handle) {
    if (value.heap !== heap) {
      throw new ForeignHeapError(`${value.heap.describe(value.ref)} belongs to another heap`);
    }
    return body(value.ref);
  }
  const ref = heap.from(value);
  try {
    return body(ref);
  } finally {
    heap.decref(ref);
  }
}

function indexOf(key: Key): number {
  if (typeof key !== 'number') throw new PyTypeError(`indices must be integers, not ${describeKey(key)}`);
  return key;
}

function attributeName(key: Key): string {
  if (typeof key !== 'string') throw new PyTypeError(`attribute name must be string, not ${describeKey(key)}`);
  return key;
}

function describeKey(key: Key): string {
  if (key instanceof Handle) return `'${key.type.name}'`;
  if (key === null || key === undefined) return "'NoneType'";
  return `'${typeof key}'`;
}

/** A scope: handles made while it is open are released when it closes, unless kept. */
export class Scope implements Disposable {
  readonly heap: Heap;
  readonly #open: OpenScope;
  #closed = false;

  constructor(heap: Heap) {
    this.heap = heap;
    this.#open = { handles: [], depth: heap.calloutDepth };
    openScopes(heap).push(this.#open);
  }

  /** Takes `handle` out of this scope: it survives the close and passes to the enclosing scope. */
  keep<H extends Handle>(handle: H): H {
    const at = this.#open.handles.indexOf(handle);
    if (at >= 0) {
      this.#open.handles.splice(at, 1);
      const stack = openScopes(this.heap);
      const parent = stack[stack.indexOf(this.#open) - 1];
      if (parent?.depth === this.#open.depth) parent.handles.push(handle);
    }
    return handle;
  }

  /** Releases every handle made in the scope and not yet released, newest first. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const stack = openScopes(this.heap);
    const at = stack.lastIndexOf(this.#open);
    if (at >= 0) stack.splice(at, 1);
    const handles = this.#open.handles;
    for (let i = handles.length - 1; i >= 0; i--) {
      const handle = handles[i]!;
      if (!handle.released) handle.release();
    }
    handles.length = 0;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
