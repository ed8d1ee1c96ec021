/**
 * The heap as repr.ts and equality.ts read it: the public reading methods they call, and
 * nothing else. `Heap` has every one of them, so it is passed as is; naming this view
 * instead of the class is what keeps those modules from importing heap.ts, which imports them.
 */
import type { Ref } from './ref.ts';
import type { HeapTypeOf, Kind, PlainValue } from './types.ts';

export interface HeapReader {
  readonly True: Ref;
  typeOf(ref: Ref): HeapTypeOf<HeapReader>;
  kindOf(ref: Ref): Kind;
  valueOf(ref: Ref): PlainValue;
  bytesView(ref: Ref): Uint8Array;
  length(ref: Ref): number;
  item(ref: Ref, index: number): Ref;
  dictGet(dict: Ref, key: Ref): Ref;
  dictForEach(dict: Ref, visit: (key: Ref, value: Ref) => void): void;
  setHas(set: Ref, item: Ref): boolean;
  setForEach(set: Ref, visit: (item: Ref) => void): void;
  cellGet(cell: Ref): Ref;
  hexId(ref: Ref): string;
  repr(ref: Ref): string;
  describe(ref: Ref): string;
}
