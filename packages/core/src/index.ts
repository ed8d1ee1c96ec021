/**
 * @refheap/core — CPython's reference-counted object heap in TypeScript.
 *
 * Two layers: the raw layer (`Heap`: integer refs, incref/decref, borrowed and
 * new references, the C-API's discipline) and the ergonomic layer (`Handles`,
 * `Handle`, `Scope`: owned references that release with `using`).
 */
export { Heap, Flag } from './heap.ts';
export type { HeapOptions, HeapStats, TypeStats, Convertible, PlainValue, CloseReport } from './heap.ts';
export { Handle, Scope, withRef } from './handle.ts';
export type { Value, Key } from './handle.ts';
export { Handles } from './handles.ts';
export type { HandlesOptions } from './handles.ts';
export { NULL } from './ref.ts';
export type { Ref } from './ref.ts';
export { Kind } from './types.ts';
export type { SlotKind, SlotSpec, Visit } from './types.ts';
export type { ClassSpec, HeapType, TypeHooks } from './heap.ts';
export type {
  AllocationSampler,
  CollectorProtocol,
  HeapObserver,
  Unraisable,
  UnraisableHook,
  UnraisablePhase,
  WeakrefProtocol,
  YoungSink,
} from './protocol.ts';
export { CollectorState } from './protocol.ts';
export type { Column, ColumnArray } from './columns.ts';
export { ColumnTable } from './columns.ts';
export { formatAddress } from './address.ts';
export { floatRepr, strRepr } from './repr.ts';
export {
  RefheapError,
  UseAfterFreeError,
  RefcountError,
  ForeignHeapError,
  DoubleReleaseError,
  ScopeError,
  LeakedHandleError,
  StaleIdError,
  HeapCorruptionError,
  PyTypeError,
  PyValueError,
  PyRuntimeError,
  PyAttributeError,
  PyIndexError,
  PyKeyError,
  PyReferenceError,
  PyMemoryError,
  PyRecursionError,
  PyLookupError,
  PyUnicodeEncodeError,
} from './errors.ts';
export type { BytesSource, EncodeErrors } from './bytes.ts';
