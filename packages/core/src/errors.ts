/**
 * Typed errors. Heap misuse (use after free, refcount underflow, foreign
 * handles) gets its own class so callers can tell a bug from a Python-level
 * exception; Python-level exceptions carry CPython's exception name and wording
 * so interpreters built on refheap can re-raise them unchanged.
 */

/** Base class of every error refheap throws. */
export class RefheapError extends Error {
  /** The name of the matching Python exception, for interpreters and the lab. */
  readonly pythonName: string = 'RuntimeError';
  /** The object the error is about, described as CPython would (`<Node object at 0x…>`), when there is one. */
  readonly object: string | undefined;

  constructor(message: string, object?: string) {
    super(message);
    this.name = new.target.name;
    this.object = object;
  }
}

/** An operation on an object that has already been freed. */
export class UseAfterFreeError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/** A decref that would take a count below zero (the C-API's "negative refcount"). */
export class RefcountError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/** A handle or id that belongs to another heap. */
export class ForeignHeapError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/** A handle released a second time. */
export class DoubleReleaseError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/** A scope asked to do what it cannot: keep a handle with no enclosing scope to take it, or after it closed. */
export class ScopeError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/**
 * A handle JS garbage-collected before anyone released it, as CPython's ResourceWarning
 * reports a file nobody closed. Never thrown: the handle layer reports it through
 * `heap.unraisable`. `madeAt` is the JS stack the handle was made on, when the heap's handles
 * are traced (`py.traceHandles = true`). The error's `stack` is that stack, or a line saying
 * how to get it (CPython's "Enable tracemalloc…"): the collector's callback that found the
 * leak says nothing useful.
 */
export class LeakedHandleError extends RefheapError {
  override readonly pythonName: string = 'ResourceWarning';
  readonly madeAt: string | undefined;

  constructor(message: string, object: string, madeAt: string | undefined) {
    super(message, object);
    this.madeAt = madeAt;
    const where = madeAt ?? '    (set py.traceHandles = true to record where each handle is made)';
    this.stack = `${this.name}: ${message}\n${where}`;
  }
}

/** `objectAt(id)` of an id that names no live object, or names a different one than it did. */
export class StaleIdError extends RefheapError {
  override readonly pythonName: string = 'ValueError';
  /** `freed`: nothing lives at that id now; `reused`: another object lives there now. */
  readonly reason: 'freed' | 'reused' | 'never';

  constructor(message: string, reason: 'freed' | 'reused' | 'never', object?: string) {
    super(message, object);
    this.reason = reason;
  }
}

/** `Heap.verify()` found a broken invariant: a bug in refheap or in a plugin, never a user error. */
export class HeapCorruptionError extends RefheapError {
  override readonly pythonName: string = 'SystemError';
}

/** Python's TypeError: a value of the wrong kind, an unhashable key, a type that cannot be weakly referenced. */
export class PyTypeError extends RefheapError {
  override readonly pythonName: string = 'TypeError';
}

/** Python's RuntimeError (tracemalloc's "must be tracing" errors, among others). */
export class PyRuntimeError extends RefheapError {
  override readonly pythonName: string = 'RuntimeError';
}

/** Python's ValueError. */
export class PyValueError extends RefheapError {
  override readonly pythonName: string = 'ValueError';
}

/** Python's AttributeError: a slot or attribute the object does not have. */
export class PyAttributeError extends RefheapError {
  override readonly pythonName: string = 'AttributeError';
}

/** Python's IndexError. */
export class PyIndexError extends RefheapError {
  override readonly pythonName: string = 'IndexError';
}

/** Python's KeyError. */
export class PyKeyError extends RefheapError {
  override readonly pythonName: string = 'KeyError';
}

/** Python's ReferenceError: use of a dead weak proxy. */
export class PyReferenceError extends RefheapError {
  override readonly pythonName: string = 'ReferenceError';
}

/** CPython's MemoryError: the heap cannot hold another object. */
export class PyMemoryError extends RefheapError {
  override readonly pythonName: string = 'MemoryError';
}

/** Python's RecursionError: `repr` of an object nested deeper than the recursion limit. */
export class PyRecursionError extends RefheapError {
  override readonly pythonName: string = 'RecursionError';
}

/** Python's LookupError: an unknown codec name (`bytes('a', 'nope')`). */
export class PyLookupError extends RefheapError {
  override readonly pythonName: string = 'LookupError';
}

/** Python's UnicodeEncodeError (a ValueError): text a codec cannot encode. */
export class PyUnicodeEncodeError extends PyValueError {
  override readonly pythonName: string = 'UnicodeEncodeError';
}
