/**
 * The heap's state: every column, table and counter the layers above share, and the
 * constructor that makes them; the checks and the payload store every layer uses.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { ColumnTable } from './columns.ts';
import { PyAttributeError, PyIndexError, PyTypeError, RefcountError, UseAfterFreeError } from './errors.ts';
import type { HashTable } from './hash-table.ts';
import {
  DYING,
  FREE,
  type HeapOptions,
  IMMORTAL,
  LIST_HEADER,
  MAX_COUNT,
  SMALL_INT_MAX,
  SMALL_INT_MIN,
  SORT_AFTER_FREES,
  SORT_IDLE,
  takeHeapTag,
  TUPLE_HEADER,
} from './heap-definitions.ts';
import { defaultUnraisable, fixedContentBytes, grownCopy, slotContents } from './heap-helpers.ts';
import type {
  AllocationSampler,
  CollectorProtocol,
  HeapObserver,
  UnraisableHook,
  WeakrefProtocol,
} from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { SlotPool } from './slot-pool.ts';
import { type HeapTypeOf, Kind, type SlotKind } from './types.ts';

export abstract class HeapBase {
  // Defined by the layers above.
  protected abstract _allocateSingleton(type: HeapTypeOf<this>, value: number): Ref;
  protected abstract _growChildBuffer(minimum: number): Int32Array;
  protected abstract _increfSlow(ref: Ref, action: string): void;
  abstract describe(ref: Ref): string;
  abstract typeOf(ref: Ref): HeapTypeOf<this>;

  /** Distinguishes this heap's ids and handles from another heap's. */
  readonly tag: number;

  readonly immortal: boolean;

  readonly None: Ref;

  readonly False: Ref;

  readonly True: Ref;

  /** The built-in types, by their Python names. */
  readonly types: {
    readonly NoneType: HeapTypeOf<HeapBase>;
    readonly bool: HeapTypeOf<HeapBase>;
    readonly int: HeapTypeOf<HeapBase>;
    readonly float: HeapTypeOf<HeapBase>;
    readonly str: HeapTypeOf<HeapBase>;
    readonly tuple: HeapTypeOf<HeapBase>;
    readonly list: HeapTypeOf<HeapBase>;
    readonly dict: HeapTypeOf<HeapBase>;
    readonly set: HeapTypeOf<HeapBase>;
    readonly type: HeapTypeOf<HeapBase>;
    readonly function: HeapTypeOf<HeapBase>;
    readonly cell: HeapTypeOf<HeapBase>;
    readonly bytes: HeapTypeOf<HeapBase>;
    readonly bytearray: HeapTypeOf<HeapBase>;
  };

  /** The columns, grown together; plugins attach their own here. */
  readonly columns: ColumnTable;

  // Core columns, refreshed when the table grows.
  protected _rc!: Int32Array;

  protected _type!: Uint16Array;

  protected _flags!: Uint8Array;

  /** Where each object stands with the collector (`CollectorState`); the collector's own values from `Taken` up. */
  protected _states!: Uint8Array;

  /** Slot-pool base (containers), payload index (atoms, dict, set), or next free index (free). */
  protected _base!: Int32Array;

  protected readonly _pool: SlotPool;

  protected _words!: Int32Array;

  protected readonly _payloads: unknown[] = [undefined];

  protected readonly _freePayloads: number[] = [];

  protected readonly _typeTable: HeapTypeOf<this>[] = [];

  /**
   * Per type id, for the hot paths: 1 when instances are "plain" (fixed object slots only, no
   * dict, finalizer or hooks), their block size, and their class object. Typed arrays, so the
   * hot paths never load a property of a type record.
   */
  protected _plainType: Uint8Array<ArrayBuffer> = new Uint8Array(64);

  protected _typeWords: Int32Array<ArrayBuffer> = new Int32Array(64);

  protected _typeKind: Uint8Array<ArrayBuffer> = new Uint8Array(64);

  protected _typeFinalizes: Uint8Array<ArrayBuffer> = new Uint8Array(64);

  /** `sizeOf` of every object of the type, when that is one number (0: it varies; see `_refreshFixedSizes`). */
  protected _typeFixedBytes: Int32Array<ArrayBuffer> = new Int32Array(64);

  /** Per type: the class object its instances refer to (a heap type's instances own a reference to it). */
  protected _typeClass: Int32Array<ArrayBuffer> = new Int32Array(64);

  /**
   * Per type: 1 when an object of it with no flags set can be freed by `_freeQuietAtom` — an
   * atom whose free only drops its payload (int, float, str, bytes) — and no observer hears of
   * frees. Cleared for every type while a free observer is installed (`_refreshQuietAtoms`).
   */
  protected _typeQuietAtom: Uint8Array<ArrayBuffer> = new Uint8Array(64);

  /** Per type: 1 when its instances have `js` slots to let go of. */
  protected _typeJsSlots: Uint8Array<ArrayBuffer> = new Uint8Array(64);

  /** What `js` slots hold; a slot's word is an index here (0: unset). */
  protected readonly _jsValues: unknown[] = [undefined];

  protected readonly _freeJsValues: number[] = [];

  protected readonly _interned: Map<string, Ref> = new Map<string, Ref>();

  /** Serial of the occupant each id was handed out for, so `objectAt` can tell a reused id. */
  protected readonly _issuedIds: Map<Ref, number> = new Map<Ref, number>();

  /** The class each class object stands for. */
  protected readonly _classTypes: Map<Ref, HeapTypeOf<this>> = new Map<Ref, HeapTypeOf<this>>();

  /** Function names (functions are rare; a column would cost every object). */
  protected readonly _functionNames: Map<Ref, string> = new Map<Ref, string>();

  protected _top = 1; // index 0 is NULL

  protected _freeHead: Ref = NULL;

  /** Where the free-list sort is (`_takeWhileSorting`): SORT_IDLE, SORT_MARKING or SORT_LINKING. */
  protected _sortPhase: number = SORT_IDLE;

  /**
   * MARKING: the free list as it was when the sort began (linked through `_base`), in two parts:
   * from `_earlierHead` up to `_markHead` its indexes are marked pending (allocation takes them
   * from the front, in list order), from `_markHead` on the walk has not reached them yet.
   */
  protected _earlierHead: Ref = NULL;

  protected _markHead: Ref = NULL;

  /**
   * LINKING: the next index to look at (MARKING: the lowest it has marked, where the scan will
   * begin: below it the table is all in use), and the top when the sort began (no index above it
   * is pending).
   */
  protected _sortCursor = 0;

  protected _sortEnd = 0;

  /** LINKING: the pending indexes linked so far, lowest first (through `_base`). */
  protected _sortedHead: Ref = NULL;

  protected _sortedTail: Ref = NULL;

  protected _allocations = 0;

  protected _deallocations = 0;

  /** `_deallocations` past which the free lists are next put in address order (see `_takeWhileSorting`); -1 while a sort is under way. */
  protected _sortDueAt: number = SORT_AFTER_FREES;

  /** `_deallocations` when the sort under way (or the last one) began. */
  protected _sortBegunAt = 0;

  /** Whether the sort under way began at once after another (`_sortDone`): it is not followed so again. */
  protected _sortChained = false;

  /** `_deallocations` when storage was last given back (see `trim`). */
  protected _trimmedAt = 0;

  /** The highest the top has been: indexes below it have held an object, even once trimmed away. */
  protected _highestTop = 1;

  /**
   * Serials of the objects that were asked for one (`serialOf`; flagged NUMBERED), handed out
   * from `_nextSerial` upwards and forgotten when the object is freed: an index's next
   * occupant, asked, gets a new one, so a stale handle or id never matches it — trimmed
   * indexes included, since nothing ever hands a serial out twice.
   */
  protected readonly _serials: Map<Ref, number> = new Map<Ref, number>();

  protected _nextSerial = 1;

  protected readonly _initialCapacity: number;

  /** Objects whose count reached zero, waiting to be taken apart (CPython's trashcan). */
  protected _pending: Int32Array<ArrayBuffer> = new Int32Array(256);

  protected _pendingTop = 0;

  /** How deep deallocations are nested right now. */
  protected _depth = 0;

  protected _collector: CollectorProtocol | null = null;

  /** Containers tracked since the collector last drained them (only while a collector is installed). */
  protected _young: Int32Array<ArrayBuffer> = new Int32Array(1024);

  protected _youngTop = 0;

  /** Containers allocated minus containers freed since the collector last reset it (gen-0 count). */
  protected _youngCount = 0;

  protected _youngThreshold = 0x7fff_ffff;

  protected _weakrefs: WeakrefProtocol | null = null;

  /** Every observer, and those with each hook: a hook nobody implements costs its path nothing. */
  protected _observers: HeapObserver[] = [];

  protected _allocationObservers: HeapObserver[] = [];

  protected _freeObservers: HeapObserver[] = [];

  protected _sampler: AllocationSampler | null = null;

  /** Bytes the sampler lets go by before the next sample. */
  protected _sampleCountdown = 0;

  protected _unraisable: UnraisableHook;

  constructor(options: HeapOptions = {}) {
    this.tag = takeHeapTag(this, options.tag);
    this.immortal = options.immortal ?? false;
    this._unraisable = options.unraisable ?? defaultUnraisable;
    const capacity = Math.max(1024, options.initialCapacity ?? 1024);
    this._initialCapacity = capacity;
    this.columns = new ColumnTable(capacity, () => this._refreshFixedSizes());
    this.columns.attach(Int32Array, 0, (a) => (this._rc = a));
    this.columns.attach(Uint16Array, 0, (a) => (this._type = a));
    this.columns.attach(Uint8Array, 0, (a) => (this._flags = a));
    this.columns.attach(Uint8Array, 0, (a) => {
      this._states = a;
      this._collector?.stateColumnMoved?.(a);
    });
    this.columns.attach(Int32Array, 0, (a) => (this._base = a));
    this._pool = new SlotPool(capacity * 2, (w) => (this._words = w));

    const builtin = (name: string, kind: Kind, isContainer: boolean): HeapTypeOf<this> =>
      this._registerType({
        name,
        kind,
        isContainer,
        weakrefable: false,
        slots: [],
        slotIndex: new Map(),
        objectSlots: [],
        hasDict: false,
        blockWords: 0,
        object: NULL,
      });
    this.types = {
      NoneType: builtin('NoneType', Kind.None, false),
      bool: builtin('bool', Kind.Bool, false),
      int: builtin('int', Kind.Int, false),
      float: builtin('float', Kind.Float, false),
      str: builtin('str', Kind.Str, false),
      tuple: builtin('tuple', Kind.Tuple, true),
      list: builtin('list', Kind.List, true),
      dict: builtin('dict', Kind.Dict, true),
      set: builtin('set', Kind.Set, true),
      type: builtin('type', Kind.Type, true),
      function: builtin('function', Kind.Function, true),
      cell: builtin('cell', Kind.Cell, true),
      bytes: builtin('bytes', Kind.Bytes, false),
      bytearray: builtin('bytearray', Kind.ByteArray, false),
    };
    this._tupleTypeId = this.types.tuple.id;
    this.None = this._allocateSingleton(this.types.NoneType, 0);
    this.False = this._allocateSingleton(this.types.bool, 0);
    this.True = this._allocateSingleton(this.types.bool, 1);
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) this._allocateSingleton(this.types.int, v);
  }

  /** The built-in tuple's type id, for the deallocation path of its own (`_destroyTuple`). */
  protected readonly _tupleTypeId: number;

  /** The class reference `collectorChildren` leaves out (once: a slot may hold the class too). */
  protected _classToSkip: Ref = NULL;

  protected readonly _collectChildButClass = (child: Ref): void => {
    if (child === this._classToSkip) {
      this._classToSkip = NULL;
      return;
    }
    this._collectChild(child);
  };

  protected _childBuffer: Int32Array = new Int32Array(64);

  protected _childCount = 0;

  protected readonly _collectChild = (child: Ref): void => {
    if (this._childCount === this._childBuffer.length) this._growChildBuffer(this._childCount + 1);
    this._childBuffer[this._childCount++] = child;
  };

  protected _calloutDepth = 0;

  protected _closed = false;

  protected _registerType(fields: Omit<HeapTypeOf<this>, 'id'>): HeapTypeOf<this> {
    const id = this._typeTable.length;
    if (id > 0xffff) throw new PyTypeError('too many types in one heap');
    // One shape for every type, so the hot paths' reads of `type.kind` stay monomorphic.
    const type: HeapTypeOf<this> = Object.freeze({
      id,
      name: fields.name,
      kind: fields.kind,
      isContainer: fields.isContainer,
      weakrefable: fields.weakrefable,
      slots: fields.slots,
      slotIndex: fields.slotIndex,
      objectSlots: fields.objectSlots,
      hasDict: fields.hasDict,
      blockWords: fields.blockWords,
      object: fields.object,
      finalize: fields.finalize,
      traverse: fields.traverse,
      clear: fields.clear,
      repr: fields.repr,
      hashKey: fields.hashKey,
    });
    this._typeTable.push(type);
    if (id >= this._plainType.length) {
      this._plainType = grownCopy(this._plainType, new Uint8Array(id * 2));
      this._typeWords = grownCopy(this._typeWords, new Int32Array(id * 2));
      this._typeKind = grownCopy(this._typeKind, new Uint8Array(id * 2));
      this._typeFinalizes = grownCopy(this._typeFinalizes, new Uint8Array(id * 2));
      this._typeFixedBytes = grownCopy(this._typeFixedBytes, new Int32Array(id * 2));
      this._typeClass = grownCopy(this._typeClass, new Int32Array(id * 2));
      this._typeJsSlots = grownCopy(this._typeJsSlots, new Uint8Array(id * 2));
      this._typeQuietAtom = grownCopy(this._typeQuietAtom, new Uint8Array(id * 2));
    }
    const plain =
      type.kind === Kind.Instance &&
      !type.hasDict &&
      type.finalize === undefined &&
      type.traverse === undefined &&
      type.clear === undefined &&
      type.objectSlots.every(Boolean);
    this._plainType[id] = plain ? 1 : 0;
    this._typeWords[id] = type.blockWords;
    this._typeKind[id] = type.kind;
    this._typeClass[id] = type.kind === Kind.Instance ? type.object : NULL;
    this._typeJsSlots[id] = type.slots.some((slot) => slot.kind === 'js') ? 1 : 0;
    this._typeFinalizes[id] = type.finalize === undefined ? 0 : 1;
    this._typeFixedBytes[id] = this._fixedSize(type);
    this._typeQuietAtom[id] = this._isQuietAtom(type) ? 1 : 0;
    return type;
  }

  /** Whether the type's objects, unflagged, may take `_freeQuietAtom` (see `_typeQuietAtom`). */
  protected _isQuietAtom(type: HeapTypeOf<this>): boolean {
    if (this._freeObservers.length !== 0 || type.isContainer || type.finalize !== undefined) return false;
    const kind = type.kind;
    return kind === Kind.Int || kind === Kind.Float || kind === Kind.Str || kind === Kind.Bytes || kind === Kind.ByteArray;
  }

  /** The free observers changed: every type's `_typeQuietAtom` again. */
  protected _refreshQuietAtoms(): void {
    const types = this._typeTable;
    for (let id = 0; id < types.length; id++) this._typeQuietAtom[id] = this._isQuietAtom(types[id]!) ? 1 : 0;
  }

  protected _fixedSize(type: HeapTypeOf<this>): number {
    const content = fixedContentBytes(type);
    return content === 0 ? 0 : this.columns.bytesPerObject() + content;
  }

  /** A plugin attached or detached a column: every object's size changed by its width. */
  protected _refreshFixedSizes(): void {
    const types = this._typeTable;
    for (let id = 0; id < types.length; id++) this._typeFixedBytes[id] = this._fixedSize(types[id]!);
  }

  protected _storePayload(value: unknown): number {
    const at = this._freePayloads.pop();
    if (at !== undefined) {
      this._payloads[at] = value;
      return at;
    }
    this._payloads.push(value);
    return this._payloads.length - 1;
  }

  protected _dropPayload(at: number): void {
    this._payloads[at] = undefined;
    this._freePayloads.push(at);
  }

  protected _table(ref: Ref): HashTable {
    return this._payloads[this._base[ref]!] as HashTable;
  }

  protected _contentBytes(ref: Ref): number {
    const type = this._typeTable[this._type[ref]!]!;
    const base = this._base[ref]!;
    switch (type.kind) {
      case Kind.Tuple:
        return 4 * SlotPool.blockSize(TUPLE_HEADER + this._words[base]!);
      case Kind.List:
        return 4 * (LIST_HEADER + this._words[base + 1]!);
      case Kind.Dict:
      case Kind.Set:
        return 64 + 24 * (this._payloads[base] as HashTable).keys.length;
      case Kind.Str:
        return 8 + 2 * (this._payloads[base] as string).length;
      case Kind.Bytes:
      case Kind.ByteArray:
        return 16 + (this._payloads[base] as Uint8Array).length; // the array's header and its bytes
      default:
        return fixedContentBytes(type);
    }
  }

  protected _checkLive(ref: Ref): void {
    if (!(this._rc[ref]! > 0)) this._rejectDead(ref, 'use');
  }

  /**
   * Items about to be stored, each once per occurrence: all live, and none whose count would
   * pass the ceiling — checked before anything is made, so a refusal leaves no half-built
   * container. Counting occurrences only happens near the ceiling.
   */
  protected _checkItems(items: ArrayLike<Ref>): void {
    const rc = this._rc;
    let nearCeiling = false;
    for (let i = 0; i < items.length; i++) {
      const ref = items[i]!;
      this._checkValue(ref);
      if (rc[ref]! > MAX_COUNT - items.length && (this._flags[ref]! & IMMORTAL) === 0) nearCeiling = true;
    }
    if (!nearCeiling) return;
    const uses = new Map<Ref, number>();
    for (let i = 0; i < items.length; i++) {
      const ref = items[i]!;
      const n = (uses.get(ref) ?? 0) + 1;
      uses.set(ref, n);
      if ((this._flags[ref]! & IMMORTAL) === 0 && rc[ref]! + n > MAX_COUNT) {
        const what = this.describe(ref);
        throw new RefcountError(`cannot store ${what}: its count would pass ${MAX_COUNT}, the most a count can hold`, what);
      }
    }
  }

  /** A value about to be stored: must be a live object of this heap. */
  protected _checkValue(ref: Ref): void {
    const count = this._rc[ref]!;
    if (!(count > 0 && count < MAX_COUNT)) this._increfSlow(ref, 'store');
  }

  /** A live object of `kind`, told by the kind column: no type record is read unless it is not. */
  protected _expectKind(ref: Ref, kind: Kind, method: string): void {
    if (this._typeKind[this._type[ref]!] !== kind || !(this._rc[ref]! > 0)) this._rejectKind(ref, kind, method);
  }

  /** `_expectKind` refusing: a dead object first, then one of another kind. */
  protected _rejectKind(ref: Ref, kind: Kind, method: string): void {
    this._checkLive(ref);
    const type = this._typeTable[this._type[ref]!]!;
    if (type.kind !== kind) {
      const expected = Object.values(this.types).find((t) => t.kind === kind)!.name;
      throw new PyTypeError(
        `descriptor '${method}' for '${expected}' objects doesn't apply to a '${type.name}' object`,
        this.describe(ref),
      );
    }
  }

  protected _itemAt(ref: Ref, index: number, what: 'get' | 'assignment' | 'pop'): number {
    const kind = this._typeKind[this._type[ref]!];
    if ((kind !== Kind.Tuple && kind !== Kind.List) || !(this._rc[ref]! > 0) || !Number.isInteger(index)) {
      this._rejectItemAt(ref);
    }
    const base = this._base[ref]!;
    const length = this._words[base]!;
    const i = index < 0 ? index + length : index;
    if (i < 0 || i >= length) {
      const name = this._typeTable[this._type[ref]!]!.name;
      const message =
        what === 'pop'
          ? 'pop index out of range'
          : what === 'assignment'
            ? `${name} assignment index out of range`
            : `${name} index out of range`;
      throw new PyIndexError(message, this.describe(ref));
    }
    return base + (kind === Kind.Tuple ? TUPLE_HEADER : LIST_HEADER) + i;
  }

  /** `_itemAt` refusing: a dead object, one that is not a tuple or list, or an index that is not an integer. */
  protected _rejectItemAt(ref: Ref): never {
    const type = this.typeOf(ref);
    if (type.kind !== Kind.Tuple && type.kind !== Kind.List) {
      throw new PyTypeError(`'${type.name}' object is not subscriptable`, this.describe(ref));
    }
    throw new PyTypeError(`${type.name} indices must be integers or slices, not float`);
  }

  protected _slotAddress(ref: Ref, index: number, kind: SlotKind): number {
    const type = this.typeOf(ref);
    const slot = type.kind === Kind.Instance ? type.slots[index] : undefined;
    if (slot === undefined) {
      throw new PyAttributeError(`${this.describe(ref)} has no slot ${String(index)}`, this.describe(ref));
    }
    if (slot.kind !== kind) {
      throw new PyTypeError(
        `slot '${slot.name}' of ${this.describe(ref)} holds ${slotContents(slot.kind)}`,
        this.describe(ref),
      );
    }
    return this._base[ref]! + index;
  }

  protected _noAttribute(ref: Ref, name: string): PyAttributeError {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) {
      const cls = this._classTypes.get(ref)?.name ?? '?';
      return new PyAttributeError(`type object '${cls}' has no attribute '${name}'`, this.describe(ref));
    }
    return new PyAttributeError(`'${type.name}' object has no attribute '${name}'`, this.describe(ref));
  }

  protected _rejectDead(ref: Ref, action: string): never {
    if (!Number.isInteger(ref) || ref <= 0 || ref >= Math.max(this._top, this._highestTop)) {
      throw new PyTypeError(`${String(ref)} is not an object reference of this heap (cannot ${action} it)`);
    }
    const what = this.describe(ref);
    if (ref >= this._top || this._flags[ref]! & FREE) {
      throw new UseAfterFreeError(`cannot ${action} ${what}: it has been freed`, what);
    }
    throw new UseAfterFreeError(`cannot ${action} ${what}: it is being freed`, what);
  }

  protected _rejectDecref(ref: Ref): never {
    if (Number.isInteger(ref) && ref > 0 && ref < this._top && this._flags[ref]! & DYING) {
      const what = this.describe(ref);
      throw new RefcountError(`decref of ${what} would take its count below zero`, what);
    }
    this._rejectDead(ref, 'decref');
  }
}
