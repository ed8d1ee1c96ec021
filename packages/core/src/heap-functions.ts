/**
 * Functions and cells (Objects/funcobject.c, cellobject.c).
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { HeapInstances } from './heap-instances.ts';
import { NULL, type Ref } from './ref.ts';
import { Kind } from './types.ts';

export abstract class HeapFunctions extends HeapInstances {

  /** A function object closing over `closure` (cells or any objects), each increfed. */
  newFunction(name: string, closure: ArrayLike<Ref> = []): Ref {
    const cells = this.newTuple(closure);
    const ref = this._newContainer(this.types.function, 1);
    this._words[this._base[ref]!] = cells;
    this._functionNames.set(ref, name);
    this._track(ref);
    return this._born(ref);
  }

  /** A cell (a closure variable) holding `value` (increfed), or empty for NULL. */
  newCell(value: Ref = NULL): Ref {
    if (value !== NULL) this._checkValue(value);
    const ref = this._newContainer(this.types.cell, 1);
    if (value !== NULL) {
      this.incref(value);
      this._words[this._base[ref]!] = value;
    }
    this._track(ref);
    return this._born(ref);
  }

  /** A cell's contents, borrowed, or NULL when empty. */
  cellGet(cell: Ref): Ref {
    this._expectKind(cell, Kind.Cell, 'cell_contents');
    return this._words[this._base[cell]!]!;
  }

  cellSet(cell: Ref, value: Ref): void {
    this._expectKind(cell, Kind.Cell, 'cell_contents');
    if (value !== NULL) {
      this._checkValue(value);
      this.incref(value);
    }
    const at = this._base[cell]!;
    const old = this._words[at]!;
    this._words[at] = value;
    if (old !== NULL) this.decref(old);
  }

  /** A function's name. */
  functionName(ref: Ref): string {
    this._expectKind(ref, Kind.Function, '__name__');
    return this._functionNames.get(ref) ?? '<lambda>';
  }
}
