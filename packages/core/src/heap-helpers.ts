/** Small functions the heap's layers share: argument checks, messages, sizes, the default unraisable hook. */
import { PyTypeError } from './errors.ts';
import type { HashKey } from './hash-table.ts';
import type { Unraisable } from './protocol.ts';
import type { Ref } from './ref.ts';
import { SlotPool } from './slot-pool.ts';
import { type HeapTypeOf, Kind, type SlotKind } from './types.ts';

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What a slot of `kind` holds, for messages. */
export function slotContents(kind: SlotKind): string {
  return kind === 'int32' ? 'a 32-bit integer' : kind === 'js' ? 'a JS value' : 'an object';
}

/** The bytes of an object's contents that its type alone decides; 0 for the kinds whose contents vary. */
export function fixedContentBytes(type: HeapTypeOf<unknown>): number {
  switch (type.kind) {
    case Kind.Instance:
      return 4 * SlotPool.blockSize(type.blockWords);
    case Kind.Type:
    case Kind.Function:
    case Kind.Cell:
      return 4;
    case Kind.None:
    case Kind.Bool:
    case Kind.Int:
    case Kind.Float:
      return 8;
    default:
      return 0;
  }
}

/** A list of items from JS must be an array-like of references, never silently nothing. */
export function checkItems(items: ArrayLike<Ref>, method: string): void {
  if (typeof items !== 'object' || items === null || typeof items.length !== 'number') {
    throw new PyTypeError(`${method}() takes an array of object references, not ${pythonTypeOf(items)}`);
  }
}

/** The Python type name a JS value would have, for messages about bad arguments. */
export function pythonTypeOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'boolean':
      return 'bool';
    case 'undefined':
      return 'NoneType';
    default:
      return value === null ? 'NoneType' : typeof value;
  }
}

export function grownCopy<A extends Uint8Array | Int32Array | Uint32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

export function strHash(text: string): HashKey {
  return text.charCodeAt(0) === 0 ? `\u0000${text}` : text;
}

/** CPython's default: print the message and the traceback to stderr. */
export function defaultUnraisable(info: Unraisable): void {
  const detail = info.error instanceof Error ? (info.error.stack ?? String(info.error)) : String(info.error);
  // Straight to stderr where there is one, as CPython's hook writes to sys.stderr: a report can
  // come from a FinalizationRegistry callback at any moment, even while a test runner tears
  // its console down. A browser has only the console.
  const host = globalThis as { process?: { stderr?: { write(text: string): unknown } }; console?: { error(text: string): void } };
  if (host.process?.stderr !== undefined) host.process.stderr.write(`${info.message}\n${detail}\n`);
  else host.console?.error(`${info.message}\n${detail}`);
}
