/// <reference lib="esnext.disposable" preserve="true" />
/**
 * The ergonomic layer: owned handles for application code. A handle is one
 * counted reference, released exactly once — by `using`, by `release()`, or by
 * the scope it was made in. It remembers its object's serial, so a handle that
 * outlives its object (after someone's unbalanced decref) says so instead of
 * touching whatever took the slot.
 *
 * One ownership rule, with no guessing: the handle layer never takes a handle over.
 * Passing a handle to a constructor or setter stores a new reference to its object and
 * the caller still owns theirs. A temporary is written as a plain JS value (arrays become
 * lists, plain objects dicts), which the container alone then owns.
 *
 * A handle JS collects unreleased is a leak: it is reported through `heap.unraisable`
 * and its reference released then (see `reportLeak`).
 */
import { addressOf, formatAddress } from './address.ts';
import {
  DoubleReleaseError,
  ForeignHeapError,
  LeakedHandleError,
  PyKeyError,
  PyRecursionError,
  PyTypeError,
  PyValueError,
  ScopeError,
  UseAfterFreeError,
} from './errors.ts';
import type { Convertible, Heap, HeapType, PlainValue } from './heap.ts';
import { NULL, type Ref } from './ref.ts';
import { Kind } from './types.ts';

/**
 * What handle methods accept as a value: a handle (a new reference to its object is stored;
 * the handle stays the caller's), or a JS value converted to new objects — an atom, an array
 * (a list) or a plain object (a dict with str keys), nested as deep as CPython's recursion limit.
 */
export type Value = Handle | Convertible | readonly Value[] | { readonly [key: string]: Value };

/** A key: an attribute name or list index, or (for dicts) any value. */
export type Key = Value;

/**
 * `using` lowered by esbuild or TypeScript looks the dispose methods up under
 * `Symbol.for('Symbol.dispose')` where the runtime has no `Symbol.dispose` (Node before 20.4,
 * older browsers). The classes key their methods by the standard symbols, which declarations
 * can name; on such a runtime those keys are "undefined", so the methods are put under the
 * fallback keys as well.
 */
function addDisposeFallbacks(prototype: object, dispose: () => void, asyncDispose: () => Promise<void>): void {
  if ((Symbol as { dispose?: symbol }).dispose === undefined) {
    Object.defineProperty(prototype, Symbol.for('Symbol.dispose'), { value: dispose, configurable: true });
  }
  if ((Symbol as { asyncDispose?: symbol }).asyncDispose === undefined) {
    Object.defineProperty(prototype, Symbol.for('Symbol.asyncDispose'), { value: asyncDispose, configurable: true });
  }
}

/** A scope's bookkeeping: the handles made while it is open. */
interface OpenScope {
  readonly handles: Handle[];
  /** `heap.calloutDepth` when it opened: a finalizer or callback running inside it makes handles of its own. */
  readonly depth: number;
}

/** What a leak report needs — and nothing that would keep the handle itself alive. */
interface Leak {
  readonly ref: Ref;
  readonly serial: number;
  /** The JS stack the handle was made on, when handles are traced. */
  readonly madeAt: string | undefined;
}

/** The handle layer's state for one heap. */
interface Layer {
  readonly scopes: OpenScope[];
  /** Hears of every handle JS collects unreleased; `release()` unregisters. */
  readonly leaks: FinalizationRegistry<Leak>;
  traceHandles: boolean;
}

// Keyed weakly, and the registry's callback is the only thing holding the heap: a heap
// nobody can reach takes its registry with it, and no report comes from it.
const layers = new WeakMap<Heap, Layer>();

function layerOf(heap: Heap): Layer {
  let layer = layers.get(heap);
  if (layer === undefined) {
    layer = { scopes: [], leaks: new FinalizationRegistry((leak) => reportLeak(heap, leak)), traceHandles: false };
    layers.set(heap, layer);
  }
  return layer;
}

/**
 * A handle was collected unreleased. Like CPython's file `__del__`, which warns of an
 * unclosed file and closes it, this reports the leak and then gives the reference back, so a
 * forgotten handle costs a report, not an object kept forever. Two exceptions: an object the
 * handle no longer holds (an unbalanced decref freed it; its index may be another's now) is
 * left alone, and a closed heap keeps the reference, since after `close()` (the interpreter's
 * exit) no finalizer may run. Runs from the JS collector's callback, so it must never throw.
 */
function reportLeak(heap: Heap, { ref, serial, madeAt }: Leak): void {
  if (!heap.isAlive(ref) || heap.serialOf(ref) !== serial) return;
  const object = heap.describe(ref);
  const closed = heap.closed;
  const outcome = closed ? ' after heap.close(): its reference stays' : ': its reference is released now';
  const leak = new LeakedHandleError(`unreleased handle to ${object}, collected by JS${outcome}`, object, madeAt);
  heap.reportUnraisable(leak, 'leaked handle', ref);
  if (closed) return;
  try {
    heap.decref(ref);
  } catch (error) {
    heap.reportUnraisable(error, 'leaked handle', object);
  }
}

/** Whether each new handle on `heap` records the JS stack it is made on (see `Handles.traceHandles`). */
export function isTracingHandles(heap: Heap): boolean {
  return layerOf(heap).traceHandles;
}

export function setTracingHandles(heap: Heap, on: boolean): void {
  layerOf(heap).traceHandles = on;
}

/** The JS stack below the `Error` line: where a traced handle is being made. */
function currentStack(): string | undefined {
  // Read as a string now: the Error's structured frames would hold the handle (`this` of its constructor).
  const stack = new Error().stack;
  return stack?.slice(stack.indexOf('\n') + 1);
}

/** The scope a handle made now belongs to: the innermost, unless a finalizer or callback has run since it opened. */
function currentScope(layer: Layer, heap: Heap): OpenScope | undefined {
  const scope = layer.scopes.at(-1);
  return scope !== undefined && scope.depth === heap.calloutDepth ? scope : undefined;
}

/** Package-internal: starts watching a handle that leaves every scope (see `Handle`). */
let watchForLeak: (handle: Handle) => void;

/** One owned reference to a heap object. */
export class Handle implements Disposable, AsyncDisposable {
  readonly heap: Heap;
  readonly #ref: Ref;
  readonly #serial: number;
  /** The object's type, kept so messages name this handle's object even after its index is reused. */
  readonly #type: HeapType;
  readonly #layer: Layer;
  #released = false;

  /** Takes ownership of a new reference `ref` (it is released with the handle). */
  constructor(heap: Heap, ref: Ref) {
    this.heap = heap;
    this.#ref = ref;
    this.#serial = heap.serialOf(ref);
    this.#type = heap.typeOf(ref);
    const layer = layerOf(heap);
    this.#layer = layer;
    this.#madeAt = layer.traceHandles ? currentStack() : undefined;
    // A scope releases what it holds, and while it is open it keeps its handles reachable, so
    // JS can never collect one unreleased: only a handle no scope owns is watched for a leak.
    const scope = currentScope(layer, heap);
    if (scope !== undefined) scope.handles.push(this);
    else this.#watchForLeak();
  }

  /** Where the handle was made, when the heap's handles are traced. */
  readonly #madeAt: string | undefined;

  #watchForLeak(): void {
    this.#watched = true;
    this.#layer.leaks.register(this, { ref: this.#ref, serial: this.#serial, madeAt: this.#madeAt }, this);
  }

  /** Registered for a leak report: unregistering one that never was costs as much as registering. */
  #watched = false;

  static {
    // A handle a scope hands out to no other scope is its caller's now: watch it from here on.
    watchForLeak = (handle) => handle.#watchForLeak();
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
    if (this.#watched) this.#layer.leaks.unregister(this);
    this.heap.decref(ref);
  }

  [Symbol.dispose](): void {
    this.release();
  }

  /** `await using h = …`: releases at once (a release never waits); a failed release rejects. */
  [Symbol.asyncDispose](): Promise<void> {
    // A throw in the executor rejects the promise, as a throw in an async method would.
    return new Promise((resolve) => {
      this.release();
      resolve();
    });
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

  /**
   * The plain value of `obj.name`, `seq[i]` or `d[key]` when it is an atom; no handle to
   * release. An `int32` slot gives its integer and a `js` slot the JS value it holds, which
   * TypeScript cannot know: say it, `file.read<number>('fd')`.
   */
  read<T = PlainValue>(key: Key): T {
    const slot = this.#rawSlot(key);
    if (slot !== undefined) {
      const heap = this.heap;
      return (slot.kind === 'int32' ? heap.getSlotInt(this.ref, slot.index) : heap.getSlotValue(this.ref, slot.index)) as T;
    }
    return this.heap.valueOf(this.#lookup(key)) as T;
  }

  /**
   * `obj.name = value`, `seq[i] = value` or `d[key] = value`. An `int32` slot takes an
   * integer and a `js` slot any JS value but a handle (stored as is, not converted).
   */
  set(key: Key, value: Value): this;
  set(key: string, value: unknown): this;
  set(key: Key, value: unknown): this {
    const heap = this.heap;
    const self = this.ref;
    const slot = this.#rawSlot(key);
    if (slot !== undefined) {
      if (slot.kind === 'int32') heap.setSlotInt(self, slot.index, value as number);
      else heap.setSlotValue(self, slot.index, value);
      return this;
    }
    withRef(heap, value as Value, (v) => {
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

  /** The `int32` or `js` slot `key` names on an instance, if it names one. */
  #rawSlot(key: Key): { readonly kind: 'int32' | 'js'; readonly index: number } | undefined {
    if (typeof key !== 'string') return undefined;
    const type = this.heap.typeOf(this.ref);
    if (type.kind !== Kind.Instance) return undefined;
    const index = type.slotIndex.get(key);
    if (index === undefined) return undefined;
    const kind = type.slots[index]!.kind;
    return kind === 'object' ? undefined : { kind, index };
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

addDisposeFallbacks(Handle.prototype, Handle.prototype[Symbol.dispose], Handle.prototype[Symbol.asyncDispose]);

/**
 * Runs `body` with a borrowed reference for `value`: a handle's own reference, or a
 * temporary object made from a JS value and released afterwards.
 */
export function withRef<T>(heap: Heap, value: Value, body: (ref: Ref) => T): T {
  if (value instanceof Handle) return body(refOf(heap, value));
  const ref = newRef(heap, value);
  try {
    return body(ref);
  } finally {
    heap.decref(ref);
  }
}

/**
 * A new reference for `value`: another reference to a handle's object (the handle stays its
 * owner's), or new objects made from a JS value. Checked whole before anything is made, so
 * a bad item deep inside leaves nothing behind.
 */
export function newRef(heap: Heap, value: Value): Ref {
  if (value instanceof Handle) {
    const ref = refOf(heap, value);
    heap.incref(ref);
    return ref;
  }
  if (isAtom(value)) return heap.from(value);
  checkValue(heap, value);
  return build(heap, value);
}

/** A live handle's reference, once it is known to belong to `heap`. */
function refOf(heap: Heap, handle: Handle): Ref {
  if (handle.heap !== heap) throw new ForeignHeapError(`${handle.heap.describe(handle.ref)} belongs to another heap`);
  return handle.ref;
}

/**
 * How deep a JS value may nest: CPython's recursion limit, 1000, which bounds the nested data
 * it decodes too (`json.loads` raises RecursionError near it). It keeps the conversion well
 * inside the JS stack.
 */
const NESTING_LIMIT = 1000;

/**
 * Throws what converting `value` would throw, making nothing: a released or foreign handle,
 * a JS value Python has no object for, an array or object that contains itself, nesting past
 * the recursion limit. Constructors check every argument with it before they allocate.
 */
export function checkValue(heap: Heap, value: Value): void {
  checkNested(heap, value, new Set());
}

/** `checkValue`, and a TypeError for a key no dict can hold (a list or dict, or a handle to an unhashable object). */
export function checkKey(heap: Heap, key: Key): void {
  checkValue(heap, key);
  if (key instanceof Handle) heap.hashKey(key.ref);
  else if (!isAtom(key)) throw new PyTypeError(`unhashable type: ${describeKey(key)}`);
}

/** `open` holds the arrays and objects being checked, outermost first: its size is the depth. */
function checkNested(heap: Heap, value: Value, open: Set<object>): void {
  if (value instanceof Handle) {
    refOf(heap, value);
    return;
  }
  if (isAtom(value)) return;
  const items = isList(value) ? value : isPlainObject(value) ? Object.values(value) : undefined;
  if (items === undefined) throw new PyTypeError(`cannot convert ${describeJs(value)} to a heap object`);
  if (open.has(value)) throw new PyValueError(`cannot convert a JS ${isList(value) ? 'array' : 'object'} that contains itself`);
  if (open.size >= NESTING_LIMIT) throw new PyRecursionError('maximum recursion depth exceeded while converting a JS value');
  open.add(value);
  for (const item of items) checkNested(heap, item, open);
  open.delete(value);
}

/** The objects for a value `checkValue` accepted: an array is a list, a plain object a dict. */
function build(heap: Heap, value: Value): Ref {
  if (value instanceof Handle) {
    heap.incref(value.ref);
    return value.ref;
  }
  if (isAtom(value)) return heap.from(value);
  if (isList(value)) {
    const items: Ref[] = [];
    try {
      for (const item of value) items.push(build(heap, item));
      return heap.newList(items);
    } finally {
      for (const item of items) heap.decref(item);
    }
  }
  const dict = heap.newDict();
  try {
    for (const [name, item] of Object.entries(value)) {
      const key = heap.from(name);
      try {
        const ref = build(heap, item);
        try {
          heap.dictSet(dict, key, ref);
        } finally {
          heap.decref(ref);
        }
      } finally {
        heap.decref(key);
      }
    }
    return dict;
  } catch (error) {
    heap.decref(dict);
    throw error;
  }
}

/** A value `heap.from` converts by itself: a JS primitive, or a Uint8Array (bytes). */
function isAtom(value: Value): value is Convertible {
  if (value === null || value instanceof Uint8Array) return true;
  const type = typeof value;
  return type !== 'object' && type !== 'function' && type !== 'symbol';
}

function isList(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

function isPlainObject(value: object): value is { readonly [key: string]: Value } {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `a JS Map`, `a JS function`: what a value Python has no object for is. */
function describeJs(value: unknown): string {
  if (typeof value === 'function') return 'a JS function';
  if (typeof value === 'symbol') return 'a JS symbol';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `a JS ${typeof name === 'string' && name !== '' ? name : 'object'}`;
}

function indexOf(key: Key): number {
  if (typeof key !== 'number') throw new PyTypeError(`indices must be integers, not ${describeKey(key)}`);
  return key;
}

function attributeName(key: Key): string {
  if (typeof key !== 'string') throw new PyTypeError(`attribute name must be string, not ${describeKey(key)}`);
  return key;
}

/** The Python type name a key would have: `'list'` for an array, `'dict'` for a plain object. */
function describeKey(key: Key): string {
  if (key instanceof Handle) return `'${key.type.name}'`;
  if (key === null || key === undefined) return "'NoneType'";
  if (isList(key)) return "'list'";
  if (typeof key === 'object' && isPlainObject(key)) return "'dict'";
  return `'${typeof key}'`;
}

/** Gives a handle `runScope`'s body returned to whoever ran it; set by Scope, which alone can. */
let handOut: (scope: Scope, handle: Handle) => void;

/**
 * A scope: handles made while it is open are released when it closes, unless kept.
 *
 * A scope collects the handles made while it is open by any code of the same callout depth,
 * so a scope held across an `await` (`await using`) also collects handles other tasks make
 * meanwhile; keep one scope to synchronous code where that matters.
 */
export class Scope implements Disposable, AsyncDisposable {
  readonly heap: Heap;
  readonly #layer: Layer;
  readonly #open: OpenScope;
  #closed = false;

  constructor(heap: Heap) {
    this.heap = heap;
    this.#layer = layerOf(heap);
    this.#open = { handles: [], depth: heap.calloutDepth };
    this.#layer.scopes.push(this.#open);
  }

  /**
   * Takes `handle` out of this scope: it survives the close and passes to the enclosing
   * scope. With no enclosing scope there is no one to pass it to, and a kept handle would
   * be nobody's: that raises ScopeError, and the handle stays in this scope. To own a handle
   * yourself, return it from `py.scope()`.
   */
  keep<H extends Handle>(handle: H): H {
    const ref = refOf(this.heap, handle); // a released handle raises UseAfterFreeError
    const parent = this.#enclosing();
    if (parent === undefined) {
      const what = this.heap.describe(ref);
      const why = this.#closed
        ? 'this scope has closed'
        : 'no scope encloses this one to take it (return it from py.scope() to own it yourself)';
      throw new ScopeError(`cannot keep ${what}: ${why}`, what);
    }
    if (this.#remove(handle)) parent.handles.push(handle);
    return handle;
  }

  /** The open scope this one passes kept handles to: the one below it, if code of the same depth opened it. */
  #enclosing(): OpenScope | undefined {
    const stack = this.#layer.scopes;
    const at = stack.lastIndexOf(this.#open);
    const parent = at > 0 ? stack[at - 1] : undefined;
    return parent?.depth === this.#open.depth ? parent : undefined;
  }

  /** Whether `handle` was this scope's; it is not any more. */
  #remove(handle: Handle): boolean {
    const at = this.#open.handles.indexOf(handle);
    if (at >= 0) this.#open.handles.splice(at, 1);
    return at >= 0;
  }

  static {
    // py.scope's result: a returned handle is the caller's, as a new reference is.
    handOut = (scope, handle) => {
      if (!scope.#remove(handle)) return;
      const enclosing = scope.#enclosing();
      if (enclosing !== undefined) enclosing.handles.push(handle);
      else watchForLeak(handle);
    };
  }

  /** Releases every handle made in the scope and not yet released, newest first. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const stack = this.#layer.scopes;
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

  /** `await using _ = py.openScope()`: closes at once; a failed release rejects. */
  [Symbol.asyncDispose](): Promise<void> {
    return new Promise((resolve) => {
      this.close();
      resolve();
    });
  }
}

addDisposeFallbacks(Scope.prototype, Scope.prototype[Symbol.dispose], Scope.prototype[Symbol.asyncDispose]);

/**
 * Runs `body` in a new scope (`py.scope`): every handle made inside is released when it
 * returns, except those it keeps and the handle it returns, which passes to the enclosing
 * scope or, with none, to the caller.
 */
export function runScope<R>(heap: Heap, body: (scope: Scope) => R): R {
  const scope = new Scope(heap);
  try {
    const result = body(scope);
    if (result instanceof Handle) handOut(scope, result);
    return result;
  } finally {
    scope.close();
  }
}
