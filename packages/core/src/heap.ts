/**
 * The reference-counted heap. An object is an index into typed-array columns
 * (count, type, flags, where its slots live, a serial for stale-handle checks);
 * its slots live in a shared Int32Array pool, and only atoms' values and the
 * dict/set tables live in JS. Counting frees an object the moment its count
 * reaches zero, in CPython's order, on an explicit stack so a ten-million-node
 * chain unwinds without recursion.
 */
import { addressOf, decodeAddress, formatAddress, MAX_OBJECTS } from './address.ts';
import { type BytesSource, bytesFromSource, bytesKey, checkByte, sliceOf } from './bytes.ts';
import { ColumnTable } from './columns.ts';
import { pyEqual } from './equality.ts';
import {
  ForeignHeapError,
  HeapCorruptionError,
  PyAttributeError,
  PyIndexError,
  PyKeyError,
  PyMemoryError,
  PyTypeError,
  PyValueError,
  RefcountError,
  StaleIdError,
  UseAfterFreeError,
} from './errors.ts';
import { type HashKey, HashTable } from './hash-table.ts';
import type {
  AllocationSampler,
  CollectorProtocol,
  HeapObserver,
  Unraisable,
  UnraisableHook,
  UnraisablePhase,
  WeakrefProtocol,
} from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { reprObject } from './repr.ts';
import { SlotPool } from './slot-pool.ts';
import {
  type ClassSpecOf,
  type HeapTypeOf,
  Kind,
  type PlainValue,
  type SlotKind,
  type SlotSpec,
  type TypeHooksOf,
  type Visit,
} from './types.ts';

const TRACKED = 1;
const FINALIZED = 2;
const HAS_WEAKREFS = 4;
const IMMORTAL = 8;
const FREE = 16;
const DYING = 32;
const BUFFERED = 64;
const LISTED = 128;
const SAMPLED = 256;

/** Object flags, two bytes per object. */
export const Flag: {
  /** Linked into a collector generation. */
  readonly Tracked: number;
  /** Its PEP 442 finalizer has run; it never runs again. */
  readonly Finalized: number;
  /** At least one weak reference points at it. */
  readonly HasWeakrefs: number;
  /** PEP 683: its count never changes and it is never freed. */
  readonly Immortal: number;
  /** The index is on the free list. */
  readonly Free: number;
  /** Its finalizer is running from deallocation: a count of one is the finalizer's own. */
  readonly Dying: number;
  /** In the young buffer, waiting for the collector to take it over. */
  readonly Buffered: number;
  /** Held in one of the collector's own generation lists. */
  readonly Listed: number;
  /** Picked by the allocation sampler, which hears of its free. */
  readonly Sampled: number;
} = Object.freeze({
  Tracked: TRACKED,
  Finalized: FINALIZED,
  HasWeakrefs: HAS_WEAKREFS,
  Immortal: IMMORTAL,
  Free: FREE,
  Dying: DYING,
  Buffered: BUFFERED,
  Listed: LISTED,
  Sampled: SAMPLED,
});

/** Frees between two passes that put the free lists back in address order (`#sortFreeLists`). */
const SORT_AFTER_FREES = 65_536;

/** Deallocation recurses this deep, then queues (CPython's trashcan uses the same limit). */
const TRASHCAN_DEPTH = 50;

/** The highest count an object can have (the count column is 32-bit; CPython's Py_ssize_t is wider). */
const MAX_COUNT = 0x7fff_ffff;

/** A count big enough that singletons and small ints never reach zero (CPython 3.11 shows about 10⁹). */
const SINGLETON_COUNT = 1_000_000_000;
/** What CPython 3.12+ reports for an immortal object. */
const IMMORTAL_COUNT = 4294967295;
const SMALL_INT_MIN = -5;
const SMALL_INT_MAX = 256;

/** Words at the head of a tuple block (its length). */
const TUPLE_HEADER = 1;
/** Words at the head of a list block (length, capacity). */
const LIST_HEADER = 2;

export interface HeapOptions {
  /**
   * PEP 683 (CPython 3.12+): None, True, False and the small ints are immortal and report a count of
   * 4294967295. Off by default, which mirrors CPython 3.11 — a huge but ordinary count — so the
   * seeds' numbers make sense.
   */
  readonly immortal?: boolean;
  /** Objects the columns hold before the first doubling. */
  readonly initialCapacity?: number;
  /** Where exceptions from finalizers and callbacks go; CPython prints them to stderr. */
  readonly unraisable?: UnraisableHook;
}

/** Per-type counts for `stats()`. */
export interface TypeStats {
  readonly type: string;
  readonly count: number;
  readonly bytes: number;
}

export interface HeapStats {
  readonly live: number;
  readonly allocations: number;
  readonly deallocations: number;
  /** Estimated bytes of every live object: its columns, slot words and payload. */
  readonly bytes: number;
  readonly byType: readonly TypeStats[];
  /** Words of the slot pool handed out so far, in use or waiting on its free lists. */
  readonly slotWords: number;
  /** Bytes of storage the heap holds, used or not: see `Heap.reservedBytes` and `Heap.trim`. */
  readonly reservedBytes: number;
}

/**
 * Tags of the heaps alive in this JS realm. A heap takes the lowest tag no living heap
 * holds, so ids of two live heaps never collide, however many heaps come and go.
 */
const heapsByTag: (WeakRef<object> | undefined)[] = [];

function takeHeapTag(heap: object): number {
  let tag = heapsByTag.findIndex((entry) => entry === undefined || entry.deref() === undefined);
  if (tag < 0) tag = heapsByTag.length;
  heapsByTag[tag] = new WeakRef(heap);
  return tag;
}

/** What `Heap.close` found: objects still alive (not the heap's own), by type, and finalizers it ran. */
export interface CloseReport {
  readonly alive: readonly { readonly type: string; readonly count: number }[];
  readonly total: number;
  readonly finalized: number;
}

/** A JS value the heap converts to an object: see `Heap.from`. */
export type Convertible = null | undefined | boolean | number | bigint | string | Uint8Array;

export type { PlainValue } from './types.ts';

/** A type registered with a heap. */
export type HeapType = HeapTypeOf<Heap>;
/** What `defineClass` takes. */
export type ClassSpec = ClassSpecOf<Heap>;
/** A type's behaviour hooks, CPython's tp_traverse / tp_clear / tp_finalize / tp_repr. */
export type TypeHooks = TypeHooksOf<Heap>;

export class Heap {
  /** Distinguishes this heap's ids and handles from another heap's. */
  readonly tag: number;
  readonly immortal: boolean;

  readonly None: Ref;
  readonly False: Ref;
  readonly True: Ref;

  /** The built-in types, by their Python names. */
  readonly types: {
    readonly NoneType: HeapType;
    readonly bool: HeapType;
    readonly int: HeapType;
    readonly float: HeapType;
    readonly str: HeapType;
    readonly tuple: HeapType;
    readonly list: HeapType;
    readonly dict: HeapType;
    readonly set: HeapType;
    readonly type: HeapType;
    readonly function: HeapType;
    readonly cell: HeapType;
    readonly bytes: HeapType;
    readonly bytearray: HeapType;
  };

  /** The columns, grown together; plugins attach their own here. */
  readonly columns: ColumnTable;

  // Core columns, refreshed when the table grows.
  #rc!: Int32Array;
  #type!: Uint16Array;
  #flags!: Uint16Array;
  /** Slot-pool base (containers), payload index (atoms, dict, set), or next free index (free). */
  #base!: Int32Array;
  #serial!: Uint32Array;

  readonly #pool: SlotPool;
  #words!: Int32Array;
  readonly #payloads: unknown[] = [undefined];
  readonly #freePayloads: number[] = [];

  readonly #typeTable: HeapType[] = [];
  /**
   * Per type id, for the hot paths: 1 when instances are "plain" (fixed object slots only, no
   * dict, finalizer or hooks), their block size, and their class object. Typed arrays, so the
   * hot paths never load a property of a type record.
   */
  #plainType = new Uint8Array(64);
  #typeWords = new Int32Array(64);
  #typeKind = new Uint8Array(64);
  #typeFinalizes = new Uint8Array(64);
  /** `sizeOf` of every object of the type, when that is one number (0: it varies; see `#refreshFixedSizes`). */
  #typeFixedBytes = new Int32Array(64);
  /** Per type: the class object its instances refer to (a heap type's instances own a reference to it). */
  #typeClass = new Int32Array(64);
  /** Per type: 1 when its instances have `js` slots to let go of. */
  #typeJsSlots = new Uint8Array(64);
  /** What `js` slots hold; a slot's word is an index here (0: unset). */
  readonly #jsValues: unknown[] = [undefined];
  readonly #freeJsValues: number[] = [];
  readonly #interned = new Map<string, Ref>();
  /** Serial of the occupant each id was handed out for, so `objectAt` can tell a reused id. */
  readonly #issuedIds = new Map<Ref, number>();
  /** The class each class object stands for. */
  readonly #classTypes = new Map<Ref, HeapType>();
  /** Function names (functions are rare; a column would cost every object). */
  readonly #functionNames = new Map<Ref, string>();

  #top = 1; // index 0 is NULL
  #freeHead: Ref = NULL;
  #allocations = 0;
  #deallocations = 0;
  /** `#deallocations` when the free lists were last put in address order (see `#sortFreeLists`). */
  #sortedAt = 0;
  /** `#deallocations` when storage was last given back (see `trim`). */
  #trimmedAt = 0;
  /** The highest the top has been: indexes below it have held an object, even once trimmed away. */
  #highestTop = 1;
  /**
   * The serial a fresh index starts at. Trimming forgets the serials of the indexes it drops;
   * starting above all of them keeps a stale handle to a trimmed index from matching its next object.
   */
  #serialFloor = 0;
  readonly #initialCapacity: number;

  /** Objects whose count reached zero, waiting to be taken apart (CPython's trashcan). */
  #pending = new Int32Array(256);
  #pendingTop = 0;
  /** How deep deallocations are nested right now. */
  #depth = 0;

  #collector: CollectorProtocol | null = null;
  /** Containers tracked since the collector last drained them (only while a collector is installed). */
  #young = new Int32Array(1024);
  /** The serial each young entry was made for: an entry whose object died and whose index was reused is stale. */
  #youngSerials = new Uint32Array(1024);
  #youngTop = 0;
  /** Containers allocated minus containers freed since the collector last reset it (gen-0 count). */
  #youngCount = 0;
  #youngThreshold = 0x7fff_ffff;
  #weakrefs: WeakrefProtocol | null = null;
  /** Every observer, and those with each hook: a hook nobody implements costs its path nothing. */
  #observers: HeapObserver[] = [];
  #allocationObservers: HeapObserver[] = [];
  #freeObservers: HeapObserver[] = [];
  #sampler: AllocationSampler | null = null;
  /** Bytes the sampler lets go by before the next sample. */
  #sampleCountdown = 0;
  #unraisable: UnraisableHook;

  constructor(options: HeapOptions = {}) {
    this.tag = takeHeapTag(this);
    this.immortal = options.immortal ?? false;
    this.#unraisable = options.unraisable ?? defaultUnraisable;
    const capacity = Math.max(1024, options.initialCapacity ?? 1024);
    this.#initialCapacity = capacity;
    this.columns = new ColumnTable(capacity, () => this.#refreshFixedSizes());
    this.columns.attach(Int32Array, 0, (a) => (this.#rc = a));
    this.columns.attach(Uint16Array, 0, (a) => (this.#type = a));
    this.columns.attach(Uint16Array, 0, (a) => (this.#flags = a));
    this.columns.attach(Int32Array, 0, (a) => (this.#base = a));
    this.columns.attach(Uint32Array, 0, (a) => (this.#serial = a));
    this.#pool = new SlotPool(capacity * 2, (w) => (this.#words = w));

    const builtin = (name: string, kind: Kind, isContainer: boolean): HeapType =>
      this.#registerType({
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
    this.None = this.#allocateSingleton(this.types.NoneType, 0);
    this.False = this.#allocateSingleton(this.types.bool, 0);
    this.True = this.#allocateSingleton(this.types.bool, 1);
    for (let v = SMALL_INT_MIN; v <= SMALL_INT_MAX; v++) this.#allocateSingleton(this.types.int, v);
  }

  // ─── Reference counting ────────────────────────────────────────────────────

  /** Adds a reference (Py_INCREF). */
  incref(ref: Ref): void {
    const count = this.#rc[ref]!;
    if (count > 0 && count < MAX_COUNT) this.#rc[ref] = count + 1;
    else this.#increfSlow(ref, 'incref');
  }

  /** Drops a reference (Py_DECREF); at zero the object is freed before this returns. */
  decref(ref: Ref): void {
    const count = this.#rc[ref]!;
    if (count > 1) this.#rc[ref] = count - 1;
    else if (count === 1 && (this.#flags[ref]! & (DYING | IMMORTAL)) === 0) {
      // (Dying with a count of one: its finalizer is running and released `self` once too often.)
      this.#rc[ref] = 0;
      this.#dealloc(ref);
    } else if (count !== 1 || (this.#flags[ref]! & IMMORTAL) === 0) this.#rejectDecref(ref);
    // (An immortal object at one lost increments at the ceiling, see #increfSlow: it never dies.)
  }

  /**
   * incref off the hot path: a dead object, or a count at the column's ceiling. An immortal
   * object stays at the ceiling (PEP 683: its count does not matter); any other object
   * refuses the reference before the count could wrap into a negative number.
   */
  #increfSlow(ref: Ref, action: string): void {
    const count = this.#rc[ref]!;
    if (!(count > 0)) this.#rejectDead(ref, action);
    if (this.#flags[ref]! & IMMORTAL) return;
    const what = this.describe(ref);
    throw new RefcountError(`cannot ${action} ${what}: its count would pass ${MAX_COUNT}, the most a count can hold`, what);
  }

  /** The true count: references from other objects plus those held by code. */
  refcount(ref: Ref): number {
    this.#checkLive(ref);
    if (this.immortal && this.#flags[ref]! & IMMORTAL) return IMMORTAL_COUNT;
    return this.#rc[ref]!;
  }

  /** `sys.getrefcount(obj)`: one more than `refcount`, for the argument's own reference. */
  getrefcount(ref: Ref): number {
    const count = this.refcount(ref);
    return count === IMMORTAL_COUNT ? count : count + 1;
  }

  /** Whether `ref` names a live object (not freed, not being freed). */
  isAlive(ref: Ref): boolean {
    return this.#rc[ref]! > 0;
  }

  // ─── Identity ──────────────────────────────────────────────────────────────

  /** `id(obj)`: stable for the object's life, address-like, reusable once it is freed. */
  id(ref: Ref): number {
    this.#checkLive(ref);
    this.#issuedIds.set(ref, this.#serial[ref]!);
    return addressOf(this.tag, ref);
  }

  /** The id in hex, as `hex(id(obj))` prints it. */
  hexId(ref: Ref): string {
    return formatAddress(this.id(ref));
  }

  /**
   * The object an id names (the seeds' `ref_by_id`, made safe): a borrowed reference, or a
   * StaleIdError saying whether the object was freed, or freed and its id reused by another.
   */
  objectAt(id: number): Ref {
    const decoded = decodeAddress(id);
    const shown = Number.isFinite(id) ? formatAddress(id) : String(id);
    if (decoded === undefined) throw new StaleIdError(`${shown} is not an object id`, 'never');
    if (decoded.tag !== this.tag) {
      throw new ForeignHeapError(`${shown} is an id from another heap (tag ${decoded.tag}, this heap is ${this.tag})`);
    }
    const ref = decoded.index;
    if (ref <= 0 || ref >= Math.max(this.#top, this.#highestTop)) throw new StaleIdError(`no object has ever had id ${shown}`, 'never');
    if (ref >= this.#top) throw new StaleIdError(`the object at ${shown} has been freed`, 'freed');
    const issued = this.#issuedIds.get(ref);
    if (!this.isAlive(ref)) {
      const was = this.#typeTable[this.#type[ref]!]!.name;
      throw new StaleIdError(`the ${was} object at ${shown} has been freed`, 'freed');
    }
    if (issued !== undefined && issued !== this.#serial[ref]) {
      throw new StaleIdError(
        `the object that had id ${shown} has been freed; the id now belongs to ${this.describe(ref)}`,
        'reused',
        this.describe(ref),
      );
    }
    return ref;
  }

  /** The serial of an object slot; it changes when the object is freed, so handles can detect reuse. */
  serialOf(ref: Ref): number {
    return this.#serial[ref]!;
  }

  // ─── Types ─────────────────────────────────────────────────────────────────

  /**
   * Defines a class: `__slots__` or an attribute dict, weakref support, and optionally the
   * hooks of a user-defined native type (finalize, traverse, clear, repr).
   */
  defineClass(name: string, spec: ClassSpec = {}): HeapType {
    const listed = spec.slots?.map((s): SlotSpec => (typeof s === 'string' ? { name: s, kind: 'object' } : s));
    for (const slot of listed ?? []) {
      if (slot.kind !== 'object' && slot.kind !== 'int32' && slot.kind !== 'js') {
        throw new PyTypeError(`slot '${slot.name}' of ${name} has kind ${String(slot.kind)}: a slot holds an 'object', an 'int32' or a 'js' value`);
      }
    }
    const special = new Set(['__dict__', '__weakref__']);
    const slots = listed ? listed.filter((s) => !special.has(s.name)) : [];
    const slotIndex = new Map(slots.map((s, i) => [s.name, i]));
    if (slotIndex.size !== slots.length) throw new PyTypeError(`duplicate slot name in ${name}.__slots__`);
    const hasDict = !listed || listed.some((s) => s.name === '__dict__');
    const kindOfFinalizer = spec.finalize?.constructor.name;
    if (kindOfFinalizer === 'AsyncFunction' || kindOfFinalizer === 'AsyncGeneratorFunction') {
      throw new PyTypeError(
        `the finalizer of ${name} is an async function: a finalizer must finish before its object is freed (start async work from a plain function and handle its errors there)`,
      );
    }
    const classObject = this.#newContainer(this.types.type, 1);
    const type = this.#registerType({
      name,
      kind: Kind.Instance,
      isContainer: true,
      weakrefable: spec.weakrefable ?? (!listed || listed.some((s) => s.name === '__weakref__')),
      slots,
      slotIndex,
      objectSlots: slots.map((s) => s.kind === 'object'),
      hasDict,
      blockWords: slots.length + (hasDict ? 1 : 0),
      object: classObject,
      finalize: spec.finalize,
      traverse: spec.traverse,
      clear: spec.clear,
      repr: spec.repr,
      hashKey: spec.hashKey,
    });
    this.#words[this.#base[classObject]!] = this.newDict();
    this.#classTypes.set(classObject, type);
    this.#track(classObject);
    this.#born(classObject);
    return type;
  }

  /** The type of an object. */
  typeOf(ref: Ref): HeapType {
    this.#checkLive(ref);
    return this.#typeTable[this.#type[ref]!]!;
  }

  /** The type registered under `id` (the value of the type column). */
  typeById(id: number): HeapType | undefined {
    return this.#typeTable[id];
  }

  /** Every registered type. */
  allTypes(): readonly HeapType[] {
    return this.#typeTable;
  }

  /** Whether objects of this type can be part of a cycle. */
  isContainer(ref: Ref): boolean {
    return this.typeOf(ref).isContainer;
  }

  // ─── Atoms ─────────────────────────────────────────────────────────────────

  /** A new reference to None. */
  newNone(): Ref {
    this.incref(this.None);
    return this.None;
  }

  /** A new reference to True or False. */
  newBool(value: boolean): Ref {
    const ref = value ? this.True : this.False;
    this.incref(ref);
    return ref;
  }

  /** An int; -5…256 come from the small-int cache, as in CPython. */
  newInt(value: number | bigint): Ref {
    let v: number | bigint = value;
    if (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) {
      v = Number(v);
    }
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw new PyTypeError(`'${pythonTypeOf(v)}' object cannot be interpreted as an integer`);
    }
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) throw new PyTypeError(`'float' object cannot be interpreted as an integer`);
      if (!Number.isSafeInteger(v)) v = BigInt(v);
      else if (v >= SMALL_INT_MIN && v <= SMALL_INT_MAX) {
        const ref = this.#smallInt(v);
        this.incref(ref);
        return ref;
      }
    }
    return this.#newAtom(this.types.int, v);
  }

  newFloat(value: number): Ref {
    if (typeof value !== 'number') throw new PyTypeError(`must be real number, not ${typeof value}`);
    return this.#newAtom(this.types.float, value);
  }

  /**
   * A str. Like the constants in CPython code objects, identifier-like text and single
   * characters are interned — equal literals are one object — unless `intern` is false,
   * which is what runtime data with unboundedly many distinct values wants (interned strings
   * live as long as the heap).
   */
  newStr(value: string, options?: { readonly intern?: boolean }): Ref {
    if (typeof value !== 'string') throw new PyTypeError(`expected str, got ${typeof value}`);
    if (value.length <= 1 || (options?.intern !== false && /^[A-Za-z0-9_]+$/.test(value))) return this.intern(value);
    return this.#newAtom(this.types.str, value);
  }

  /**
   * `sys.intern`: the one str object with this text. The interning table keeps it alive for
   * the heap's life (as 3.12's immortal interned strings are), so intern names, not data.
   */
  intern(value: string): Ref {
    let ref = this.#interned.get(value);
    if (ref === undefined) {
      ref = this.#newAtom(this.types.str, value);
      this.#interned.set(value, ref);
    }
    this.incref(ref);
    return ref;
  }

  // ─── bytes and bytearray ───────────────────────────────────────────────────

  /**
   * `bytes(source[, encoding[, errors]])`: from a count (that many zero bytes), ints in
   * range(0, 256), a buffer (copied) or a str with an encoding (utf-8, ascii, latin-1).
   * The contents are real memory, a Uint8Array of their length, freed with the object.
   */
  newBytes(source?: BytesSource, encoding?: string, errors?: string): Ref {
    return this.#newAtom(this.types.bytes, bytesFromSource('bytes', source, encoding, errors));
  }

  /** `bytearray(source[, encoding[, errors]])`: as `newBytes`, mutable and unhashable. */
  newByteArray(source?: BytesSource, encoding?: string, errors?: string): Ref {
    return this.#newAtom(this.types.bytearray, bytesFromSource('bytearray', source, encoding, errors));
  }

  /**
   * The contents of a bytes or bytearray, not a copy: valid while the object lives (its
   * memory goes when it is freed). Write into a bytearray's view freely; a bytes' view must
   * be treated as read-only, since bytes are immutable and may be dict keys.
   */
  bytesView(ref: Ref): Uint8Array {
    this.#checkLive(ref);
    const kind = this.#typeKind[this.#type[ref]!];
    if (kind !== Kind.Bytes && kind !== Kind.ByteArray) {
      throw new PyTypeError(`a bytes-like object is required, not '${this.#typeTable[this.#type[ref]!]!.name}'`, this.describe(ref));
    }
    return this.#payloads[this.#base[ref]!] as Uint8Array;
  }

  /** `b[index]`: the byte, an int in range(0, 256). Negative indexes count from the end. */
  byteAt(ref: Ref, index: number): number {
    const data = this.bytesView(ref);
    return data[this.#byteIndex(ref, data, index)]!;
  }

  /**
   * Replaces a bytearray's contents with a copy of `data` — what append, extend, pop and slice
   * assignment do, since they change its length. Views taken before are of the old contents.
   */
  setBytes(ref: Ref, data: Uint8Array): void {
    const type = this.typeOf(ref);
    if (type.kind !== Kind.ByteArray) throw new PyTypeError(`'${type.name}' object cannot be resized`, this.describe(ref));
    this.#payloads[this.#base[ref]!] = data.slice();
  }

  /** `ba[index] = value` for a bytearray. */
  setByte(ref: Ref, index: number, value: number): void {
    const data = this.bytesView(ref);
    if (this.#typeKind[this.#type[ref]!] === Kind.Bytes) {
      throw new PyTypeError("'bytes' object does not support item assignment", this.describe(ref));
    }
    const at = this.#byteIndex(ref, data, index);
    data[at] = checkByte('bytearray', value);
  }

  /** `b[start:stop:step]`: a new bytes (or bytearray, for a bytearray), CPython's slice rules. */
  bytesSlice(ref: Ref, start?: number | null, stop?: number | null, step?: number | null): Ref {
    const data = this.bytesView(ref);
    const picked = sliceOf(data, start ?? undefined, stop ?? undefined, step ?? undefined);
    return this.#newAtom(this.#typeTable[this.#type[ref]!]!, picked);
  }

  #byteIndex(ref: Ref, data: Uint8Array, index: number): number {
    const name = this.#typeTable[this.#type[ref]!]!.name;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new PyTypeError(`${name === 'bytes' ? 'byte' : name} indices must be integers or slices, not ${pythonTypeOf(index)}`);
    }
    const i = index < 0 ? index + data.length : index;
    if (i < 0 || i >= data.length) {
      throw new PyIndexError(name === 'bytes' ? 'index out of range' : 'bytearray index out of range', this.describe(ref));
    }
    return i;
  }

  /** `a == b` for the built-in types (see equality.ts); other objects equal only themselves. */
  equal(a: Ref, b: Ref): boolean {
    this.#checkLive(a);
    this.#checkLive(b);
    return pyEqual(this, a, b);
  }

  /** The JS value of an atom: null, boolean, number, bigint, string, or a copy of a bytes' contents. */
  valueOf(ref: Ref): PlainValue {
    const type = this.typeOf(ref);
    switch (type.kind) {
      case Kind.None:
        return null;
      case Kind.Bool:
        return ref === this.True;
      case Kind.Int:
      case Kind.Float:
      case Kind.Str:
        return this.#payloads[this.#base[ref]!] as number | bigint | string;
      case Kind.Bytes:
      case Kind.ByteArray:
        return (this.#payloads[this.#base[ref]!] as Uint8Array).slice();
      default:
        throw new PyTypeError(`${this.describe(ref)} is not an atom and has no plain value`);
    }
  }

  /** A new reference to the object for a JS value: None, bool, int (integers), float, str, bytes (a Uint8Array, copied). */
  from(value: Convertible): Ref {
    switch (typeof value) {
      case 'undefined':
        return this.newNone();
      case 'boolean':
        return this.newBool(value);
      case 'bigint':
        return this.newInt(value);
      case 'string':
        return this.newStr(value);
      case 'number':
        return Number.isInteger(value) ? this.newInt(value) : this.newFloat(value);
      default:
        if (value === null) return this.newNone();
        if (value instanceof Uint8Array) return this.newBytes(value);
        throw new PyTypeError(`cannot convert ${String(value)} to a heap object`);
    }
  }

  // ─── Tuples and lists ──────────────────────────────────────────────────────

  /** A tuple of `items` (each increfed; the caller keeps its own references). */
  newTuple(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newTuple');
    this.#checkItems(items);
    const ref = this.#newContainer(this.types.tuple, TUPLE_HEADER + items.length);
    const base = this.#base[ref]!;
    const words = this.#words;
    words[base] = items.length;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.incref(item);
      words[base + TUPLE_HEADER + i] = item;
    }
    this.#track(ref);
    return this.#born(ref);
  }

  /** A list of `items` (each increfed). */
  newList(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newList');
    this.#checkItems(items);
    const ref = this.#newContainer(this.types.list, SlotPool.blockSize(LIST_HEADER + Math.max(items.length, 4)));
    const base = this.#base[ref]!;
    const words = this.#words;
    words[base] = items.length;
    words[base + 1] = SlotPool.blockSize(LIST_HEADER + Math.max(items.length, 4)) - LIST_HEADER;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      this.incref(item);
      words[base + LIST_HEADER + i] = item;
    }
    this.#track(ref);
    return this.#born(ref);
  }

  /** Number of items (tuple, list, dict, set, str). */
  length(ref: Ref): number {
    const type = this.typeOf(ref);
    switch (type.kind) {
      case Kind.Tuple:
      case Kind.List:
        return this.#words[this.#base[ref]!]!;
      case Kind.Dict:
      case Kind.Set:
        return this.#table(ref).size;
      case Kind.Str:
        return [...(this.valueOf(ref) as string)].length;
      case Kind.Bytes:
      case Kind.ByteArray:
        return (this.#payloads[this.#base[ref]!] as Uint8Array).length;
      default:
        throw new PyTypeError(`object of type '${type.name}' has no len()`);
    }
  }

  /** Item `index` of a tuple or list, borrowed. Negative indexes count from the end. */
  item(ref: Ref, index: number): Ref {
    const at = this.#itemAt(ref, index, 'get');
    return this.#words[at]!;
  }

  /** `seq[index] = value` for a list: increfs the new item and releases the old. */
  setItem(ref: Ref, index: number, value: Ref): void {
    this.#expectKind(ref, Kind.List, '__setitem__');
    this.#checkValue(value);
    const at = this.#itemAt(ref, index, 'assignment');
    const old = this.#words[at]!;
    this.incref(value);
    this.#words[at] = value;
    this.decref(old);
  }

  /** `list.append(value)`. */
  append(list: Ref, value: Ref): void {
    this.#expectKind(list, Kind.List, 'append');
    this.#checkValue(value);
    let base = this.#base[list]!;
    const length = this.#words[base]!;
    if (length === this.#words[base + 1]!) base = this.#growList(list, length + 1);
    this.incref(value);
    this.#words[base + LIST_HEADER + length] = value;
    this.#words[base] = length + 1;
  }

  /** `list.pop(index)`: removes the item and returns it as a new reference (the list's own). */
  pop(list: Ref, index = -1): Ref {
    this.#expectKind(list, Kind.List, 'pop');
    if (this.#words[this.#base[list]!] === 0) throw new PyIndexError('pop from empty list');
    const at = this.#itemAt(list, index, 'pop');
    const base = this.#base[list]!;
    const words = this.#words;
    const value = words[at]!;
    const end = base + LIST_HEADER + words[base]! - 1;
    words.copyWithin(at, at + 1, end + 1);
    words[end] = NULL;
    words[base] = words[base]! - 1;
    return value;
  }

  /** `del list[index]`. */
  deleteItem(list: Ref, index: number): void {
    this.decref(this.pop(list, index));
  }

  // ─── Dicts and sets ────────────────────────────────────────────────────────

  /** An empty dict. Untracked until it holds something that may be part of a cycle, as in CPython. */
  newDict(): Ref {
    const ref = this.#newContainer(this.types.dict, 0);
    this.#base[ref] = this.#storePayload(new HashTable());
    return this.#born(ref);
  }

  /** A set of `items` (each increfed). */
  newSet(items: ArrayLike<Ref> = []): Ref {
    checkItems(items, 'newSet');
    this.#checkItems(items);
    for (let i = 0; i < items.length; i++) this.hashKey(items[i]!); // unhashable: raise before building
    const ref = this.#newContainer(this.types.set, 0);
    this.#base[ref] = this.#storePayload(new HashTable());
    this.#track(ref);
    for (let i = 0; i < items.length; i++) this.setAdd(ref, items[i]!);
    return this.#born(ref);
  }

  /** `d[key] = value`. */
  dictSet(dict: Ref, key: Ref, value: Ref): void {
    this.#expectKind(dict, Kind.Dict, '__setitem__');
    this.#checkValue(value);
    const hash = this.hashKey(key);
    const table = this.#table(dict);
    this.incref(value);
    const at = table.find(hash);
    if (at >= 0) {
      const old = table.values[at]!;
      table.values[at] = value;
      this.#maintainDictTracking(dict, value);
      this.decref(old);
      return;
    }
    this.incref(key);
    table.append(hash, key, value);
    if (this.#typeKind[this.#type[key]!] !== Kind.Str) table.strKeysOnly = false;
    this.#maintainDictTracking(dict, key);
    this.#maintainDictTracking(dict, value);
  }

  /** `d.get(key)`: the value, borrowed, or NULL. */
  dictGet(dict: Ref, key: Ref): Ref {
    this.#expectKind(dict, Kind.Dict, 'get');
    const table = this.#table(dict);
    const at = table.find(this.hashKey(key));
    return at >= 0 ? table.values[at]! : NULL;
  }

  /** `d.get(name)` for a str key given as text, borrowed, or NULL; no object is made for the key. */
  dictGetStr(dict: Ref, name: string): Ref {
    this.#expectKind(dict, Kind.Dict, 'get');
    const table = this.#table(dict);
    const at = table.find(strHash(name));
    return at >= 0 ? table.values[at]! : NULL;
  }

  /** `del d[key]`; a missing key raises KeyError. */
  dictDelete(dict: Ref, key: Ref): void {
    this.#expectKind(dict, Kind.Dict, '__delitem__');
    const table = this.#table(dict);
    const at = table.find(this.hashKey(key));
    if (at < 0) throw new PyKeyError(this.repr(key));
    const oldKey = table.keys[at]!;
    const oldValue = table.values[at]!;
    table.removeAt(at);
    this.decref(oldKey);
    this.decref(oldValue);
  }

  /** Calls `visit(key, value)` for each entry, in insertion order (both borrowed). */
  dictForEach(dict: Ref, visit: (key: Ref, value: Ref) => void): void {
    this.#expectKind(dict, Kind.Dict, 'items');
    const table = this.#table(dict);
    const { keys, values } = table;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!, values[i]!);
  }

  /** `s.add(item)`. */
  setAdd(set: Ref, item: Ref): void {
    this.#expectKind(set, Kind.Set, 'add');
    const hash = this.hashKey(item);
    const table = this.#table(set);
    if (table.find(hash) >= 0) return;
    this.incref(item);
    table.append(hash, item, NULL);
  }

  /** `item in s`. */
  setHas(set: Ref, item: Ref): boolean {
    this.#expectKind(set, Kind.Set, '__contains__');
    return this.#table(set).find(this.hashKey(item)) >= 0;
  }

  /** `s.discard(item)`: true when it was there. */
  setDiscard(set: Ref, item: Ref): boolean {
    this.#expectKind(set, Kind.Set, 'discard');
    const table = this.#table(set);
    const at = table.find(this.hashKey(item));
    if (at < 0) return false;
    const old = table.keys[at]!;
    table.removeAt(at);
    this.decref(old);
    return true;
  }

  /** Calls `visit(item)` for each member, borrowed. */
  setForEach(set: Ref, visit: (item: Ref) => void): void {
    this.#expectKind(set, Kind.Set, '__iter__');
    const keys = this.#table(set).keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!);
  }

  /**
   * A JS value equal for equal Python keys (`1`, `1.0`, `True` agree; tuples by their items;
   * other objects by identity). Unhashable types raise CPython's TypeError.
   */
  hashKey(ref: Ref): HashKey {
    const type = this.typeOf(ref);
    switch (type.kind) {
      case Kind.None:
        return '\u0000None';
      case Kind.Bool:
        return ref === this.True ? 1 : 0;
      case Kind.Int:
        return this.#payloads[this.#base[ref]!] as number | bigint;
      case Kind.Float: {
        const v = this.#payloads[this.#base[ref]!] as number;
        if (Number.isNaN(v)) return `\u0000@${ref}`;
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v);
        return v;
      }
      case Kind.Str:
        return strHash(this.#payloads[this.#base[ref]!] as string);
      case Kind.Tuple:
        return this.#tupleKey(ref);
      case Kind.Bytes:
        return bytesKey(this.#payloads[this.#base[ref]!] as Uint8Array);
      case Kind.List:
      case Kind.Dict:
      case Kind.Set:
      case Kind.ByteArray:
        throw new PyTypeError(`unhashable type: '${type.name}'`);
      default:
        return type.hashKey ? type.hashKey(this, ref) : `\u0000@${ref}`;
    }
  }

  /**
   * A tuple's key from its items' keys, nested tuples included, on an explicit stack: CPython
   * hashes a tuple nested 100,000 deep, and so must this, without recursing on the JS stack.
   */
  #tupleKey(root: Ref): string {
    const tuples: Ref[] = [root];
    const next: number[] = [0];
    const keys: string[] = ['\u0000('];
    for (;;) {
      const top = tuples.length - 1;
      const base = this.#base[tuples[top]!]!;
      const i = next[top]!;
      if (i < this.#words[base]!) {
        next[top] = i + 1;
        const item = this.#words[base + TUPLE_HEADER + i]!;
        if (this.#typeKind[this.#type[item]!] === Kind.Tuple) {
          tuples.push(item);
          next.push(0);
          keys.push('\u0000(');
        } else {
          const part = this.hashKey(item);
          keys[top] += typeof part === 'string' ? `s${part.length}:${part}` : `n${String(part)};`;
        }
        continue;
      }
      const done = keys.pop()!;
      tuples.pop();
      next.pop();
      if (tuples.length === 0) return done;
      keys[top - 1] += `s${done.length}:${done}`;
    }
  }

  // ─── Instances, attributes, slots ──────────────────────────────────────────

  /**
   * A new instance of a class, with unset slots. Attributes of a class without `__slots__`
   * live in the instance itself, as in CPython 3.11's managed dicts: no dict object exists
   * until `attributeDict` asks for one, so a collection counts the instance alone.
   */
  newInstance(type: HeapType): Ref {
    if (type.kind !== Kind.Instance || this.#typeTable[type.id] !== type) {
      throw new PyTypeError(`${type.name} is not a class of this heap`);
    }
    // Instances of a heap type own a reference to it (CPython's PyType_GenericAlloc), so
    // getrefcount(A) counts them and class↔instance cycles are real.
    const ref = this.#newContainer(type, type.blockWords);
    this.incref(type.object);
    this.#track(ref);
    return this.#born(ref);
  }

  /** Slot `index` of an instance, borrowed; NULL when unset. */
  getSlot(ref: Ref, index: number): Ref {
    const type = this.#typeTable[this.#type[ref]!]!;
    if (!(this.#rc[ref]! > 0) || type.objectSlots[index] !== true) this.#slotAddress(ref, index, 'object');
    return this.#words[this.#base[ref]! + index]!;
  }

  /** Sets slot `index`: increfs the new value, releases the old. `value` may be NULL to unset it. */
  setSlot(ref: Ref, index: number, value: Ref): void {
    const rc = this.#rc;
    const type = this.#typeTable[this.#type[ref]!]!;
    if (!(rc[ref]! > 0) || type.objectSlots[index] !== true) this.#slotAddress(ref, index, 'object');
    if (value !== NULL) {
      const count = rc[value]!;
      if (count > 0 && count < MAX_COUNT) rc[value] = count + 1;
      else this.#increfSlow(value, 'store');
    }
    const words = this.#words;
    const at = this.#base[ref]! + index;
    const old = words[at]!;
    words[at] = value;
    if (old !== NULL) this.decref(old);
  }

  /** A `js` slot's value (undefined when unset): whatever JS the object carries, not a reference. */
  getSlotValue(ref: Ref, index: number): unknown {
    const word = this.#words[this.#slotAddress(ref, index, 'js')]!;
    return word === 0 ? undefined : this.#jsValues[word];
  }

  /**
   * Sets a `js` slot; undefined unsets it. A handle is refused: stored here, the reference
   * would be invisible to the collector and to refcounts (put it in an `object` slot).
   */
  setSlotValue(ref: Ref, index: number, value: unknown): void {
    const at = this.#slotAddress(ref, index, 'js');
    if (typeof value === 'object' && value !== null && (value as { heap?: unknown }).heap instanceof Heap) {
      const slot = this.typeOf(ref).slots[index]!;
      throw new PyTypeError(
        `slot '${slot.name}' of ${this.describe(ref)} holds a JS value, not a handle: a reference stored there would be hidden from the collector (use an object slot)`,
        this.describe(ref),
      );
    }
    const words = this.#words;
    const word = words[at]!;
    if (value === undefined) {
      if (word !== 0) this.#dropJsValue(word);
      words[at] = 0;
    } else if (word !== 0) this.#jsValues[word] = value;
    else words[at] = this.#keepJsValue(value);
  }

  #keepJsValue(value: unknown): number {
    const at = this.#freeJsValues.pop();
    if (at !== undefined) {
      this.#jsValues[at] = value;
      return at;
    }
    this.#jsValues.push(value);
    return this.#jsValues.length - 1;
  }

  #dropJsValue(at: number): void {
    this.#jsValues[at] = undefined;
    this.#freeJsValues.push(at);
  }

  /** Lets go of an instance's JS values, once it is being freed (its finalizer has seen them). */
  #releaseJsSlots(ref: Ref, type: HeapType): void {
    const base = this.#base[ref]!;
    const words = this.#words;
    for (let i = 0; i < type.slots.length; i++) {
      if (type.slots[i]!.kind !== 'js' || words[base + i] === 0) continue;
      this.#dropJsValue(words[base + i]!);
      words[base + i] = 0;
    }
  }

  /** An `int32` slot's integer (native types' bookkeeping: no reference is counted). */
  getSlotInt(ref: Ref, index: number): number {
    return this.#words[this.#slotAddress(ref, index, 'int32')]!;
  }

  setSlotInt(ref: Ref, index: number, value: number): void {
    const at = this.#slotAddress(ref, index, 'int32');
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
      const slot = this.typeOf(ref).slots[index]!;
      throw new PyTypeError(`slot '${slot.name}' of ${this.describe(ref)} holds a 32-bit integer, not ${String(value)}`);
    }
    this.#words[at] = value;
  }

  /** `obj.name`, borrowed: a slot, the instance dict, then the class dict. Raises AttributeError. */
  getAttr(ref: Ref, name: string): Ref {
    const found = this.findAttr(ref, name);
    if (found === NULL) throw this.#noAttribute(ref, name);
    return found;
  }

  /** Like `getAttr` but NULL instead of AttributeError. */
  findAttr(ref: Ref, name: string): Ref {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) return this.dictGetStr(this.#words[this.#base[ref]!]!, name);
    if (type.kind !== Kind.Instance) return NULL;
    const slot = type.slotIndex.get(name);
    if (slot !== undefined) return type.slots[slot]!.kind === 'object' ? this.getSlot(ref, slot) : NULL;
    if (type.hasDict) {
      const own = this.#ownAttribute(ref, type, name);
      if (own !== NULL) return own;
    }
    return this.dictGetStr(this.#words[this.#base[type.object]!]!, name);
  }

  /**
   * The instance's own `obj.name` — a slot or its attribute storage, borrowed — or NULL: no
   * class lookup, for interpreters that walk the MRO themselves (descriptors come first there).
   */
  ownAttr(ref: Ref, name: string): Ref {
    const type = this.typeOf(ref);
    if (type.kind !== Kind.Instance) return NULL;
    const slot = type.slotIndex.get(name);
    if (slot !== undefined) return type.slots[slot]!.kind === 'object' ? this.getSlot(ref, slot) : NULL;
    return type.hasDict ? this.#ownAttribute(ref, type, name) : NULL;
  }

  /** `obj.name = value`. */
  setAttr(ref: Ref, name: string, value: Ref): void {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Instance) {
      const slot = type.slotIndex.get(name);
      if (slot !== undefined && type.slots[slot]!.kind === 'object') return this.setSlot(ref, slot, value);
      if (slot !== undefined) {
        throw new PyTypeError(
          `slot '${name}' of ${this.describe(ref)} holds ${slotContents(type.slots[slot]!.kind)}, not an object`,
          this.describe(ref),
        );
      }
      if (type.hasDict) return this.#setOwnAttribute(ref, type, name, value);
    } else if (type.kind === Kind.Type) {
      return this.#setStrItem(this.#words[this.#base[ref]!]!, name, value);
    }
    throw this.#noAttribute(ref, name);
  }

  /** `del obj.name`. */
  delAttr(ref: Ref, name: string): void {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Instance) {
      const slot = type.slotIndex.get(name);
      if (slot !== undefined && type.slots[slot]!.kind === 'object' && this.getSlot(ref, slot) !== NULL) {
        return this.setSlot(ref, slot, NULL);
      }
      if (slot === undefined && type.hasDict && this.#deleteOwnAttribute(ref, type, name)) return;
    } else if (type.kind === Kind.Type) {
      const dict = this.#words[this.#base[ref]!]!;
      if (this.dictGetStr(dict, name) !== NULL) return this.#deleteStrItem(dict, name);
    }
    throw this.#noAttribute(ref, name);
  }

  /**
   * Calls `visit(name, value)` for each attribute an instance (or class) holds in its slots
   * and attribute storage, borrowed, without materializing a `__dict__`. For tools that
   * label references by name (heap snapshots, reference graphs).
   */
  forEachAttribute(ref: Ref, visit: (name: string, value: Ref) => void): void {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) {
      this.dictForEach(this.#words[this.#base[ref]!]!, (key, value) => visit(String(this.valueOf(key)), value));
      return;
    }
    if (type.kind !== Kind.Instance) return;
    const base = this.#base[ref]!;
    type.slots.forEach((slot, i) => {
      const value = this.#words[base + i]!;
      if (slot.kind === 'object' && value !== NULL) visit(slot.name, value);
    });
    if (!type.hasDict) return;
    const word = this.#words[base + type.slots.length]!;
    const table = word > 0 ? this.#table(word) : word < 0 ? (this.#payloads[-word] as HashTable) : undefined;
    if (!table) return;
    const { keys, values } = table;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== NULL) visit(String(this.valueOf(keys[i]!)), values[i]!);
    }
  }

  /**
   * An instance's `__dict__`, borrowed. Asking for it materializes a real dict object that
   * takes over the instance's attributes (CPython 3.11 does the same).
   */
  attributeDict(ref: Ref): Ref {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) return this.#words[this.#base[ref]!]!;
    if (type.kind !== Kind.Instance || !type.hasDict) throw this.#noAttribute(ref, '__dict__');
    const word = this.#words[this.#base[ref]! + type.slots.length]!;
    if (word > 0) return word;
    const dict = this.#newContainer(this.types.dict, 0);
    this.#base[dict] = word < 0 ? -word : this.#storePayload(new HashTable());
    this.#words[this.#base[ref]! + type.slots.length] = dict;
    const { keys, values } = this.#table(dict);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== NULL && this.mayBeTracked(values[i]!)) {
        this.#track(dict);
        break;
      }
    }
    return this.#born(dict);
  }

  // Attribute storage of instances without __slots__: the dict word holds a dict ref (> 0),
  // a managed table's payload index negated (< 0), or nothing yet (0).

  #ownAttribute(ref: Ref, type: HeapType, name: string): Ref {
    const word = this.#words[this.#base[ref]! + type.slots.length]!;
    if (word > 0) return this.dictGetStr(word, name);
    if (word === 0) return NULL;
    const table = this.#payloads[-word] as HashTable;
    const at = table.find(strHash(name));
    return at >= 0 ? table.values[at]! : NULL;
  }

  #setOwnAttribute(ref: Ref, type: HeapType, name: string, value: Ref): void {
    const at = this.#base[ref]! + type.slots.length;
    const word = this.#words[at]!;
    if (word > 0) return this.#setStrItem(word, name, value);
    this.#checkValue(value);
    let table: HashTable;
    if (word === 0) {
      table = new HashTable();
      this.#words[at] = -this.#storePayload(table);
    } else table = this.#payloads[-word] as HashTable;
    const hash = strHash(name);
    this.incref(value);
    const found = table.find(hash);
    if (found >= 0) {
      const old = table.values[found]!;
      table.values[found] = value;
      this.decref(old);
    } else table.append(hash, this.intern(name), value);
  }

  #deleteOwnAttribute(ref: Ref, type: HeapType, name: string): boolean {
    const word = this.#words[this.#base[ref]! + type.slots.length]!;
    if (word > 0) {
      if (this.dictGetStr(word, name) === NULL) return false;
      this.#deleteStrItem(word, name);
      return true;
    }
    if (word === 0) return false;
    const table = this.#payloads[-word] as HashTable;
    const found = table.find(strHash(name));
    if (found < 0) return false;
    const key = table.keys[found]!;
    const value = table.values[found]!;
    table.removeAt(found);
    this.decref(key);
    this.decref(value);
    return true;
  }

  // ─── Functions and cells ───────────────────────────────────────────────────

  /** A function object closing over `closure` (cells or any objects), each increfed. */
  newFunction(name: string, closure: ArrayLike<Ref> = []): Ref {
    const cells = this.newTuple(closure);
    const ref = this.#newContainer(this.types.function, 1);
    this.#words[this.#base[ref]!] = cells;
    this.#functionNames.set(ref, name);
    this.#track(ref);
    return this.#born(ref);
  }

  /** A cell (a closure variable) holding `value` (increfed), or empty for NULL. */
  newCell(value: Ref = NULL): Ref {
    if (value !== NULL) this.#checkValue(value);
    const ref = this.#newContainer(this.types.cell, 1);
    if (value !== NULL) {
      this.incref(value);
      this.#words[this.#base[ref]!] = value;
    }
    this.#track(ref);
    return this.#born(ref);
  }

  /** A cell's contents, borrowed, or NULL when empty. */
  cellGet(cell: Ref): Ref {
    this.#expectKind(cell, Kind.Cell, 'cell_contents');
    return this.#words[this.#base[cell]!]!;
  }

  cellSet(cell: Ref, value: Ref): void {
    this.#expectKind(cell, Kind.Cell, 'cell_contents');
    if (value !== NULL) {
      this.#checkValue(value);
      this.incref(value);
    }
    const at = this.#base[cell]!;
    const old = this.#words[at]!;
    this.#words[at] = value;
    if (old !== NULL) this.decref(old);
  }

  /** A function's name. */
  functionName(ref: Ref): string {
    this.#expectKind(ref, Kind.Function, '__name__');
    return this.#functionNames.get(ref) ?? '<lambda>';
  }

  // ─── Traversal, clearing, finalization (what a collector needs) ───────────

  /** Calls `visit` with every object `ref` holds a counted reference to (tp_traverse). */
  traverse(ref: Ref, visit: Visit): void {
    if (!(this.#rc[ref]! > 0)) this.#rejectDead(ref, 'traverse');
    const typeId = this.#type[ref]!;
    const base = this.#base[ref]!;
    const words = this.#words;
    if (this.#plainType[typeId] === 1) {
      // The commonest container: fixed object slots and nothing else but its class.
      const end = base + this.#typeWords[typeId]!;
      for (let i = base; i < end; i++) {
        const child = words[i]!;
        if (child !== NULL) visit(child);
      }
      visit(this.#typeClass[typeId]!);
      return;
    }
    const type = this.#typeTable[typeId]!;
    switch (type.kind) {
      // Last item first, as list_traverse and tupletraverse loop: the order decides which
      // survivor of a collection is moved on first, so it decides later finalizer order.
      case Kind.Tuple: {
        for (let i = base + TUPLE_HEADER + words[base]! - 1; i >= base + TUPLE_HEADER; i--) visit(words[i]!);
        return;
      }
      case Kind.List: {
        for (let i = base + LIST_HEADER + words[base]! - 1; i >= base + LIST_HEADER; i--) visit(words[i]!);
        return;
      }
      case Kind.Dict: {
        // dict_traverse: a dict whose keys were only ever str visits its values alone (a str
        // cannot be in a cycle); any other dict visits each value, then its key.
        const table = this.#payloads[base] as HashTable;
        const { keys, values } = table;
        if (table.strKeysOnly) {
          for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(values[i]!);
          return;
        }
        for (let i = 0; i < keys.length; i++) {
          if (keys[i] === NULL) continue;
          visit(values[i]!);
          visit(keys[i]!);
        }
        return;
      }
      case Kind.Set: {
        const { keys } = this.#payloads[base] as HashTable;
        for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(keys[i]!);
        return;
      }
      case Kind.Instance: {
        // subtype_traverse's order: slots, the attributes, the class, then the native part.
        const objectSlots = type.objectSlots;
        const n = objectSlots.length;
        for (let i = 0; i < n; i++) {
          const child = words[base + i]!;
          if (child !== NULL && objectSlots[i]) visit(child);
        }
        const attributes = type.hasDict ? words[base + n]! : NULL;
        if (attributes > 0) visit(attributes);
        else if (attributes < 0) {
          const { keys, values } = this.#payloads[-attributes] as HashTable;
          for (let i = 0; i < keys.length; i++) if (keys[i] !== NULL) visit(values[i]!);
        }
        visit(type.object);
        type.traverse?.(this, ref, visit);
        return;
      }
      case Kind.Type:
      case Kind.Function:
      case Kind.Cell: {
        const child = words[base]!;
        if (child !== NULL) visit(child);
        return;
      }
      default:
        return;
    }
  }

  /**
   * The objects `ref` refers to, written to `childBuffer` (returns how many): `traverse`
   * without a callback, for collectors that walk millions of objects and want one call per
   * object rather than one per reference. The buffer is valid until the next call.
   */
  children(ref: Ref): number {
    const typeId = this.#type[ref]!;
    if (this.#plainType[typeId] !== 1) return this.#childrenByTraverse(ref);
    // Plain instances (the common case) inline: small enough for a collector's loop to inline too.
    const base = this.#base[ref]!;
    const end = base + this.#typeWords[typeId]!;
    const words = this.#words;
    const out = this.#childBuffer.length > end - base ? this.#childBuffer : this.#growChildBuffer(end - base + 1);
    let n = 0;
    for (let i = base; i < end; i++) {
      const child = words[i]!;
      if (child !== NULL) out[n++] = child;
    }
    out[n++] = this.#typeClass[typeId]!;
    return n;
  }

  #childrenByTraverse(ref: Ref): number {
    this.#childCount = 0;
    this.traverse(ref, this.#collectChild);
    return this.#childCount;
  }

  /**
   * `children` as a cycle collector needs them: without an instance's reference to its class.
   * A class lives as long as its heap (the heap holds it), so its count always keeps it
   * reachable: the edge can change neither what a collection finds nor the order it finds it
   * in, and skipping it keeps a collection's cost per instance what it was before instances
   * referred to their class. `traverse` and `children` still report the edge (get_referents,
   * get_referrers, the monitor's graphs).
   */
  collectorChildren(ref: Ref): number {
    const typeId = this.#type[ref]!;
    if (this.#plainType[typeId] !== 1) {
      this.#childCount = 0;
      this.#classToSkip = this.#typeClass[typeId]!;
      try {
        this.traverse(ref, this.#collectChildButClass);
      } finally {
        this.#classToSkip = NULL;
      }
      return this.#childCount;
    }
    const base = this.#base[ref]!;
    const end = base + this.#typeWords[typeId]!;
    const words = this.#words;
    const out = this.#childBuffer.length >= end - base ? this.#childBuffer : this.#growChildBuffer(end - base);
    let n = 0;
    for (let i = base; i < end; i++) {
      const child = words[i]!;
      if (child !== NULL) out[n++] = child;
    }
    return n;
  }

  /** The class reference `collectorChildren` leaves out (once: a slot may hold the class too). */
  #classToSkip: Ref = NULL;

  readonly #collectChildButClass = (child: Ref): void => {
    if (child === this.#classToSkip) {
      this.#classToSkip = NULL;
      return;
    }
    this.#collectChild(child);
  };

  /** Where `children` writes. */
  get childBuffer(): Int32Array {
    return this.#childBuffer;
  }

  #childBuffer: Int32Array = new Int32Array(64);
  #childCount = 0;

  readonly #collectChild = (child: Ref): void => {
    if (this.#childCount === this.#childBuffer.length) this.#growChildBuffer(this.#childCount + 1);
    this.#childBuffer[this.#childCount++] = child;
  };

  #growChildBuffer(minimum: number): Int32Array {
    let length = this.#childBuffer.length;
    while (length < minimum) length *= 2;
    const grown = new Int32Array(length);
    grown.set(this.#childBuffer);
    this.#childBuffer = grown;
    return grown;
  }

  /**
   * Drops the references `ref` holds so a cycle through it breaks (tp_clear); the object
   * stays alive while others refer to it. Tuples have no clear, as in CPython. Objects this
   * frees are freed after the clear is complete, never in the middle of it.
   */
  clearReferences(ref: Ref): void {
    this.#checkLive(ref);
    const typeId = this.#type[ref]!;
    const type = this.#typeTable[typeId]!;
    const depth = this.#depth;
    this.#depth = TRASHCAN_DEPTH; // everything this frees waits until the clear is done
    try {
      switch (type.kind) {
        case Kind.List:
          this.#clearItems(ref, LIST_HEADER);
          break;
        case Kind.Dict:
        case Kind.Set:
          this.#clearTable(ref);
          break;
        case Kind.Instance:
          this.#clearInstance(ref, type);
          break;
        case Kind.Function:
        case Kind.Cell:
          this.#clearFirstWord(ref);
          break;
        default:
          break;
      }
    } finally {
      this.#depth = depth;
    }
    if (depth === 0 && this.#pendingTop > 0) {
      this.#depth = 1;
      try {
        this.#drainPending();
      } finally {
        this.#depth = 0;
      }
    }
  }

  /**
   * Frees a whole set of garbage at once. The caller — a collector — has proved that every
   * object in `refs[0…length)` is referenced only from inside the set, and that no finalizer
   * or weakref callback is left to run for them. Counting each internal reference down, as
   * tp_clear does, would only reach the same end slower: here each reference to an object
   * outside the set is released, and every member is freed. Only plain instances, tuples,
   * lists and cells qualify; if any member does not (or has weak references), nothing is
   * done and false is returned, and the caller clears them one by one instead.
   *
   * `committed` runs once the set qualifies, before anything is freed: code runs during the
   * sweep (finalizers of outside objects that die, observers of frees) and may allocate into
   * a member's index, so the caller must forget the members there, not after this returns.
   */
  releaseGarbage(refs: Int32Array, length: number, committed?: () => void): boolean {
    const flags = this.#flags;
    for (let i = 0; i < length; i++) {
      const ref = refs[i]!;
      if (ref === NULL) continue;
      const typeId = this.#type[ref]!;
      const kind = this.#typeKind[typeId]!;
      const eligible = this.#plainType[typeId] === 1 || kind === Kind.Tuple || kind === Kind.List || kind === Kind.Cell;
      if (!eligible || !(this.#rc[ref]! > 0) || flags[ref]! & (HAS_WEAKREFS | DYING)) return false;
    }
    committed?.();
    // Every member's count is made zero first: the references members hold to each other
    // vanish with them, and only a child with a count left is outside the set.
    const rc = this.#rc;
    for (let i = 0; i < length; i++) rc[refs[i]!] = 0;
    const depth = this.#depth;
    this.#depth = TRASHCAN_DEPTH; // whatever outside the set dies waits until the set is gone
    try {
      // Two passes: every member lets go of its outside children (which only queues their
      // deaths: no code of anyone else's runs), and only then are indexes freed, because a
      // free tells the sampler and observers, who may allocate into an index just freed.
      for (let i = 0; i < length; i++) {
        const ref = refs[i]!;
        if (ref !== NULL) this.#releaseMemberContents(ref);
      }
      for (let i = 0; i < length; i++) {
        const ref = refs[i]!;
        if (ref !== NULL) this.#free(ref, this.#typeTable[this.#type[ref]!]!);
      }
    } finally {
      this.#depth = depth;
    }
    if (depth === 0 && this.#pendingTop > 0) {
      this.#depth = 1;
      try {
        this.#drainPending();
      } finally {
        this.#depth = 0;
      }
    }
    if (depth === 0 && this.#deallocations - this.#trimmedAt > SORT_AFTER_FREES) this.#trimIfQuiet();
    return true;
  }

  /** One member of `releaseGarbage`'s set: release what it holds outside the set and its slot block. */
  #releaseMemberContents(ref: Ref): void {
    const typeId = this.#type[ref]!;
    const base = this.#base[ref]!;
    const words = this.#words;
    let start = base;
    let end: number;
    let blockWords: number;
    if (this.#plainType[typeId] === 1) {
      end = base + this.#typeWords[typeId]!;
      blockWords = this.#typeWords[typeId]!;
    } else {
      const kind = this.#typeKind[typeId]!;
      if (kind === Kind.List) {
        start = base + LIST_HEADER;
        end = start + words[base]!;
        blockWords = LIST_HEADER + words[base + 1]!;
      } else if (kind === Kind.Tuple) {
        start = base + TUPLE_HEADER;
        end = start + words[base]!;
        blockWords = TUPLE_HEADER + words[base]!;
      } else {
        end = base + 1; // a cell
        blockWords = 1;
      }
    }
    const rc = this.#rc;
    for (let at = start; at < end; at++) {
      const child = words[at]!;
      if (rc[child]! > 0) this.decref(child);
    }
    this.#pool.release(base, blockWords);
    const cls = this.#typeClass[typeId]!;
    if (cls !== NULL && rc[cls]! > 0) this.decref(cls);
  }

  /** Whether the object's type has a finalizer (`__del__`). */
  hasFinalizer(ref: Ref): boolean {
    return this.#typeFinalizes[this.#type[ref]!] === 1;
  }

  /** The kind of a live object, with no liveness check (collectors call it per object). */
  kindOf(ref: Ref): Kind {
    return this.#typeKind[this.#type[ref]!] as Kind;
  }

  /** Whether its PEP 442 finalizer already ran (`gc.is_finalized`). */
  isFinalized(ref: Ref): boolean {
    this.#checkLive(ref);
    return (this.#flags[ref]! & FINALIZED) !== 0;
  }

  /**
   * Runs the object's finalizer if it has one that has not run (PyObject_CallFinalizer):
   * at most once per object, exceptions reported as unraisable. The caller holds a reference.
   */
  callFinalizer(ref: Ref): void {
    const type = this.typeOf(ref);
    if (type.finalize === undefined || this.#flags[ref]! & FINALIZED) return;
    this.#flags[ref] = this.#flags[ref]! | FINALIZED;
    this.#runFinalizer(type, ref);
  }

  /**
   * Calls a finalizer one level deeper, reporting what it throws. A finalizer that returns a
   * promise (a plain function that started async work) has its rejection reported too, never
   * left unhandled; `defineClass` refuses async functions outright.
   */
  #runFinalizer(type: HeapType, ref: Ref): void {
    this.#calloutDepth++;
    try {
      const result: unknown = type.finalize!(this, ref);
      if (isThenable(result)) {
        const about = this.describe(ref);
        result.then(undefined, (error: unknown) => this.reportUnraisable(error, 'finalizer', about));
      }
    } catch (error) {
      this.reportUnraisable(error, 'finalizer', ref);
    } finally {
      this.#calloutDepth--;
    }
  }

  /** Whether a collector tracks the object (`gc.is_tracked`). Atoms never are. */
  isTracked(ref: Ref): boolean {
    this.#checkLive(ref);
    return (this.#flags[ref]! & TRACKED) !== 0;
  }

  /**
   * CPython's `_PyObject_GC_MAY_BE_TRACKED`: could this object be part of a cycle? False for
   * atoms and for untracked tuples (an untracked tuple holds only atoms for good; a dict can
   * start holding containers at any time, so it always may be).
   */
  mayBeTracked(ref: Ref): boolean {
    const type = this.#typeTable[this.#type[ref]!]!;
    if (!type.isContainer) return false;
    if (type.kind === Kind.Tuple) return (this.#flags[ref]! & TRACKED) !== 0;
    return true;
  }

  /**
   * Stops tracking a tuple or dict whose contents can never be part of a cycle
   * (`_PyTuple_MaybeUntrack`, `_PyDict_MaybeUntrack`); returns whether it did.
   */
  untrackIfAtomic(ref: Ref): boolean {
    const kind = this.#typeTable[this.#type[ref]!]!.kind;
    if ((kind !== Kind.Tuple && kind !== Kind.Dict) || !(this.#flags[ref]! & TRACKED)) return false;
    let atomic = true;
    this.traverse(ref, (child) => {
      if (atomic && this.mayBeTracked(child)) atomic = false;
    });
    if (atomic) this.#untrack(ref);
    return atomic;
  }

  // ─── Plugins ───────────────────────────────────────────────────────────────

  /**
   * Installs the cycle collector. It is told about every object tracked so far, then about
   * each allocation, track, untrack and free. Returns a function that uninstalls it.
   */
  installCollector(collector: CollectorProtocol): () => void {
    if (this.#collector) throw new PyTypeError('this heap already has a collector');
    this.#collector = collector;
    for (let ref = 1; ref < this.#top; ref++) {
      if (this.#rc[ref]! > 0 && this.#flags[ref]! & TRACKED) this.#buffer(ref);
    }
    return () => {
      if (this.#collector !== collector) return;
      this.#collector = null;
      this.#youngTop = 0;
      this.#youngThreshold = 0x7fff_ffff;
      const flags = this.#flags;
      for (let ref = 1; ref < this.#top; ref++) flags[ref] = flags[ref]! & ~(BUFFERED | LISTED);
    };
  }

  /** Installs the weak-reference implementation. Returns a function that uninstalls it. */
  installWeakrefs(weakrefs: WeakrefProtocol): () => void {
    if (this.#weakrefs) throw new PyTypeError('this heap already has a weakref implementation');
    this.#weakrefs = weakrefs;
    return () => {
      if (this.#weakrefs === weakrefs) this.#weakrefs = null;
    };
  }

  /**
   * Installs the allocation sampler: `countdown` bytes of allocations from now, and then
   * whenever the countdown it returns runs out, the heap hands it an allocation and
   * reports that object's free. One per heap. Returns a function that uninstalls it.
   */
  installSampler(sampler: AllocationSampler, countdown: number): () => void {
    if (this.#sampler) throw new PyTypeError('this heap already has an allocation sampler');
    if (!(countdown >= 0)) throw new PyValueError(`a sampler's countdown is a number of bytes >= 0, not ${String(countdown)}`);
    this.#sampler = sampler;
    this.#sampleCountdown = countdown;
    return () => {
      if (this.#sampler !== sampler) return;
      this.#sampler = null;
      const flags = this.#flags;
      for (let ref = 1; ref < this.#top; ref++) flags[ref] = flags[ref]! & ~SAMPLED;
    };
  }

  /** Gen-0 count: containers allocated minus containers freed since `resetYoungCount`. */
  get youngCount(): number {
    return this.#youngCount;
  }

  resetYoungCount(): void {
    this.#youngCount = 0;
  }

  /** Past this young count, each container allocation calls the collector's `youngThresholdExceeded`. */
  get youngThreshold(): number {
    return this.#youngThreshold;
  }

  set youngThreshold(threshold: number) {
    this.#youngThreshold = threshold;
  }

  /**
   * Hands the young buffer to the collector: every still-tracked object in it, once each and
   * in the order they were tracked, now marked listed. The returned array is a view that the
   * next allocation may overwrite; copy it out first.
   */
  takeYoung(): Int32Array {
    const flags = this.#flags;
    const young = this.#young;
    const top = this.#youngTop;
    this.#youngTop = 0;
    let kept = 0;
    for (let i = 0; i < top; i++) {
      if (!this.#youngEntryLive(i)) continue; // freed (perhaps reused), or untracked meanwhile
      const ref = young[i]!;
      flags[ref] = (flags[ref]! & ~BUFFERED) | LISTED;
      young[kept++] = ref;
    }
    return young.subarray(0, kept);
  }

  /** Marks a drained object as no longer listed (the collector dropped it without untracking). */
  unlisted(ref: Ref): void {
    this.#flags[ref] = this.#flags[ref]! & ~LISTED;
  }

  /** The installed weak-reference implementation, if any (the collector's handle_weakrefs uses it). */
  get weakrefs(): WeakrefProtocol | null {
    return this.#weakrefs;
  }

  /** Adds an observer of allocations and frees. Returns a function that removes it. */
  addObserver(observer: HeapObserver): () => void {
    this.#observers = [...this.#observers, observer];
    this.#sortObservers();
    return () => {
      this.#observers = this.#observers.filter((o) => o !== observer);
      this.#sortObservers();
    };
  }

  /** Each hot path calls only the observers that implement its hook (weakref.finalize listens for `closing` alone). */
  #sortObservers(): void {
    this.#allocationObservers = this.#observers.filter((o) => o.allocated !== undefined);
    this.#freeObservers = this.#observers.filter((o) => o.freed !== undefined);
  }

  /**
   * Shuts the heap down, as an interpreter exits: observers' `closing` hooks run (the
   * weakref package's `finalize` calls the finalizers still pending, newest first, like
   * CPython's atexit). Objects still referenced are not freed, and the report says what
   * they are, counted by type — a leak shows up at the latest here.
   *
   * With `finalize: true`, every live object whose finalizer has not run gets it run now,
   * newest index first, so no file or buffer outlives its heap. CPython's shutdown aims at
   * the same (finalize_modules clears modules so their objects' `__del__` run) without the
   * promise; here it is a promise: each runs once, exceptions reported as unraisable. The
   * objects stay allocated. Calling `close` again does nothing and reports nothing alive.
   */
  close(options: { readonly finalize?: boolean } = {}): CloseReport {
    if (this.#closed) return { alive: [], total: 0, finalized: 0 };
    this.#closed = true;
    for (const observer of this.#observers) {
      try {
        observer.closing?.();
      } catch (error) {
        this.reportUnraisable(error, 'observer', 'heap shutdown');
      }
    }
    let finalized = 0;
    if (options.finalize === true) {
      for (let ref = this.#top - 1; ref > 0; ref--) {
        if (!(this.#rc[ref]! > 0) || this.#typeFinalizes[this.#type[ref]!] !== 1 || this.#flags[ref]! & FINALIZED) continue;
        this.incref(ref); // the finalizer may drop references to its own object
        this.callFinalizer(ref);
        finalized++;
        this.decref(ref);
      }
    }
    return { ...this.#aliveByType(), finalized };
  }

  /** Live objects that are not the heap's own (singletons, small ints, interned str, classes), by type. */
  #aliveByType(): { alive: { type: string; count: number }[]; total: number } {
    const counts = new Map<string, number>();
    const classDicts = new Set<Ref>();
    for (const cls of this.#classTypes.keys()) classDicts.add(this.#words[this.#base[cls]!]!);
    let total = 0;
    for (let ref = 1; ref < this.#top; ref++) {
      if (!(this.#rc[ref]! > 0) || this.#flags[ref]! & IMMORTAL) continue;
      const type = this.#typeTable[this.#type[ref]!]!;
      if (type.kind === Kind.Type || classDicts.has(ref)) continue;
      if (type.kind === Kind.Str && this.#interned.get(this.#payloads[this.#base[ref]!] as string) === ref) continue;
      counts.set(type.name, (counts.get(type.name) ?? 0) + 1);
      total++;
    }
    const alive = [...counts].map(([type, count]) => ({ type, count }));
    alive.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    return { alive, total };
  }

  /**
   * Runs code that is not the heap's own — a finalizer, a weakref or gc callback — one level
   * deeper (`calloutDepth`). What such code makes belongs to it: a handle it makes does not
   * join a scope that was open around the deallocation or collection that called it.
   */
  callOut<R>(body: () => R): R {
    this.#calloutDepth++;
    try {
      return body();
    } finally {
      this.#calloutDepth--;
    }
  }

  /** How many finalizers and callbacks are running, one inside another (see `callOut`). */
  get calloutDepth(): number {
    return this.#calloutDepth;
  }

  #calloutDepth = 0;

  /** Whether `close` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  #closed = false;

  /** Marks whether weak references point at `ref` (the weakref package keeps the lists). */
  setHasWeakrefs(ref: Ref, has: boolean): void {
    this.#checkLive(ref);
    const flags = this.#flags[ref]!;
    this.#flags[ref] = has ? flags | HAS_WEAKREFS : flags & ~HAS_WEAKREFS;
  }

  hasWeakrefs(ref: Ref): boolean {
    return (this.#flags[ref]! & HAS_WEAKREFS) !== 0;
  }

  /** The raw count column: collectors read it in bulk (update_refs). Valid until the next allocation. */
  get refcounts(): Int32Array {
    return this.#rc;
  }

  /** The raw flags column (see `Flag`). Valid until the next allocation. */
  get flags(): Uint16Array {
    return this.#flags;
  }

  /** One past the highest index ever allocated: loops over every object stop here. */
  get highWater(): number {
    return this.#top;
  }

  /** Calls `visit` with each live object, in index order (borrowed). */
  forEachObject(visit: (ref: Ref) => void): void {
    for (let ref = 1; ref < this.#top; ref++) if (this.#rc[ref]! > 0) visit(ref);
  }

  /** Where ignored exceptions go (CPython's `sys.unraisablehook`). */
  get unraisable(): UnraisableHook {
    return this.#unraisable;
  }

  set unraisable(hook: UnraisableHook) {
    this.#unraisable = hook;
  }

  /** Reports an exception that cannot propagate; never throws. */
  reportUnraisable(error: unknown, phase: UnraisablePhase, about: Ref | string): void {
    let object: string;
    try {
      object = typeof about === 'string' ? about : this.describe(about);
    } catch {
      object = `<object ${String(about)}>`;
    }
    const message = `Exception ignored in: ${phase === 'finalizer' ? `<finalizer of ${object}>` : object}`;
    try {
      this.#unraisable({ error, phase, object, message });
    } catch (hookError) {
      defaultUnraisable({ error: hookError, phase, object, message: `${message} (and the unraisable hook raised)` });
    }
  }

  // ─── Description ───────────────────────────────────────────────────────────

  /** `repr(obj)`, CPython's. */
  repr(ref: Ref): string {
    this.#checkLive(ref);
    return reprObject(this, ref);
  }

  /** `<Node object at 0x…>`: how errors and debug output name an object, whatever its type. */
  describe(ref: Ref): string {
    const type = ref < this.#top ? this.#typeTable[this.#type[ref]!] : undefined;
    const at = formatAddress(addressOf(this.tag, ref));
    // The address is out now, as good as an id: objectAt must be able to say if it gets reused.
    if (this.#rc[ref]! > 0) this.#issuedIds.set(ref, this.#serial[ref]!);
    if (!type) return `<object at ${at}>`;
    if (type.kind === Kind.Type) return `<class '${this.#classTypes.get(ref)?.name ?? '?'}'>`;
    if (type.kind === Kind.Function) return `<function ${this.#functionNames.get(ref) ?? '<lambda>'} at ${at}>`;
    return `<${type.name} object at ${at}>`;
  }

  // ─── Integrity ─────────────────────────────────────────────────────────────

  /**
   * Walks the whole heap and throws a HeapCorruptionError naming the object on the first
   * broken invariant: a reference to a freed object, a count below the references the heap
   * itself holds, a tracked atom, a free list that lies, a column out of step with the table,
   * a young buffer that lost a tracked object — then asks the collector and the weakref
   * implementation to check their own structures. O(objects + references); meant for tests
   * and fuzzing after every step on small heaps.
   */
  verify(): void {
    const fail = (message: string, ref?: Ref): never => {
      throw new HeapCorruptionError(ref === undefined ? message : `${this.describe(ref)}: ${message}`, ref === undefined ? undefined : this.describe(ref));
    };
    if (this.#depth !== 0) fail('verify() called while a deallocation is in progress');
    if (!this.columns.inStep()) fail('a per-object column is shorter than the object table');
    const top = this.#top;
    const internal = new Int32Array(top);
    let live = 0;
    let visiting: Ref = NULL;
    const count = (child: Ref): void => {
      if (!(child > 0 && child < top) || !(this.#rc[child]! > 0)) {
        fail(`refers to ${child > 0 && child < top ? this.describe(child) : String(child)}, which is not a live object`, visiting);
      }
      internal[child]!++;
    };
    for (let ref = 1; ref < top; ref++) {
      const f = this.#flags[ref]!;
      const rc = this.#rc[ref]!;
      if (f & FREE) {
        if (rc !== 0) fail(`is on the free list with a count of ${rc}`, ref);
        if (f & (TRACKED | LISTED | BUFFERED)) fail('is free but still tracked', ref);
        continue;
      }
      if (rc <= 0) fail(`has a count of ${rc} but is not free`, ref);
      live++;
      const type = this.#typeTable[this.#type[ref]!];
      if (type === undefined) fail(`has an unknown type id ${this.#type[ref]}`, ref);
      if (!type!.isContainer && f & TRACKED) fail('is an atom, yet tracked by the collector', ref);
      if (f & (LISTED | BUFFERED) && !(f & TRACKED)) fail('is listed by the collector but not tracked', ref);
      if (f & SAMPLED && this.#sampler === null) fail('is marked as sampled but the heap has no sampler', ref);
      if (this.#collector !== null && f & TRACKED && !(f & (LISTED | BUFFERED))) {
        fail('is tracked but neither in the young buffer nor in a generation', ref);
      }
      visiting = ref;
      if (type!.isContainer) this.traverse(ref, count);
    }
    if (live !== this.liveObjects) fail(`${live} objects are live but the heap counts ${this.liveObjects}`);
    for (let ref = 1; ref < top; ref++) {
      if (this.#rc[ref]! > 0 && internal[ref]! > this.#rc[ref]!) {
        fail(`has a count of ${this.#rc[ref]} but the heap itself holds ${internal[ref]} references to it`, ref);
      }
    }
    let free = 0;
    for (let ref = this.#freeHead; ref !== NULL; ref = this.#base[ref]!) {
      if (!(this.#flags[ref]! & FREE)) fail('is on the free list but not free', ref);
      if (++free > top) fail('the free list has a cycle');
    }
    if (free !== top - 1 - live) fail(`the free list holds ${free} indexes; ${top - 1 - live} are free`);
    this.#verifyPool(fail);
    if (this.#collector !== null) {
      const seen = new Uint8Array(top);
      for (let i = 0; i < this.#youngTop; i++) if (this.#youngEntryLive(i)) seen[this.#young[i]!] = 1;
      for (let ref = 1; ref < top; ref++) {
        if (this.#flags[ref]! & BUFFERED && seen[ref] === 0) fail('is marked as in the young buffer but is not there', ref);
      }
    }
    this.#collector?.verify?.();
    this.#weakrefs?.verify?.();
  }

  /**
   * Every word of the slot pool belongs to exactly one block: a live object's (of the size its
   * layout says) or a free one. A block released with the wrong size shows as words nobody owns.
   */
  #verifyPool(fail: (message: string, ref?: Ref) => never): void {
    const used = this.#pool.usedWords;
    const owner = new Int32Array(used); // word → owning object, or -1 for a free block
    let owned = 0;
    const claim = (base: number, size: number, by: Ref): void => {
      if (base + size > used) fail(`its slot block [${base}, ${base + size}) runs past the pool's end`, by > 0 ? by : undefined);
      for (let at = base; at < base + size; at++) {
        if (owner[at] !== 0) fail(`its slot block overlaps ${owner[at]! > 0 ? this.describe(owner[at]!) : 'a free block'}`, by > 0 ? by : undefined);
        owner[at] = by;
      }
      owned += size;
    };
    for (let ref = 1; ref < this.#top; ref++) {
      if (!(this.#rc[ref]! > 0)) continue;
      const size = this.#blockWordsOf(ref);
      if (size > 0) claim(this.#base[ref]!, size, ref);
    }
    this.#pool.forEachFreeBlock((base, size) => claim(base, size, -1));
    if (owned !== used - 1) fail(`${used - 1 - owned} words of the slot pool belong to no object and to no free block`);
  }

  /** The words of an object's slot block, as its layout decides (0: it has none). */
  #blockWordsOf(ref: Ref): number {
    const type = this.#typeTable[this.#type[ref]!]!;
    const base = this.#base[ref]!;
    switch (type.kind) {
      case Kind.Tuple:
        return SlotPool.blockSize(TUPLE_HEADER + this.#words[base]!);
      case Kind.List:
        return LIST_HEADER + this.#words[base + 1]!;
      case Kind.Instance:
        return SlotPool.blockSize(type.blockWords);
      case Kind.Type:
      case Kind.Function:
      case Kind.Cell:
        return 1;
      default:
        return 0;
    }
  }

  // ─── Statistics ────────────────────────────────────────────────────────────

  /** Live objects, allocation counts, and estimated bytes by type. */
  stats(): HeapStats {
    const perObject = this.columns.bytesPerObject();
    const counts = new Map<number, { count: number; bytes: number }>();
    for (let ref = 1; ref < this.#top; ref++) {
      if (!(this.#rc[ref]! > 0)) continue;
      const typeId = this.#type[ref]!;
      const entry = counts.get(typeId) ?? { count: 0, bytes: 0 };
      entry.count++;
      entry.bytes += perObject + this.#contentBytes(ref);
      counts.set(typeId, entry);
    }
    const byType = [...counts].map(([id, c]) => ({ type: this.#typeTable[id]!.name, count: c.count, bytes: c.bytes }));
    byType.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    return {
      live: this.liveObjects,
      allocations: this.#allocations,
      deallocations: this.#deallocations,
      bytes: byType.reduce((sum, t) => sum + t.bytes, 0),
      byType,
      slotWords: this.#pool.usedWords,
      reservedBytes: this.reservedBytes,
    };
  }

  /** Live objects right now. */
  get liveObjects(): number {
    return this.#allocations - this.#deallocations;
  }

  /** Live objects of a type (a scan of the object table). */
  liveCount(type: HeapType): number {
    let count = 0;
    const column = this.#type;
    for (let ref = 1; ref < this.#top; ref++) if (column[ref] === type.id && this.#rc[ref]! > 0) count++;
    return count;
  }

  /** Estimated bytes one object takes: its column entries, slot words and payload. */
  sizeOf(ref: Ref): number {
    this.#checkLive(ref);
    return this.columns.bytesPerObject() + this.#contentBytes(ref);
  }

  // ─── Allocation and deallocation ───────────────────────────────────────────

  #registerType(fields: Omit<HeapType, 'id'>): HeapType {
    const id = this.#typeTable.length;
    if (id > 0xffff) throw new PyTypeError('too many types in one heap');
    // One shape for every type, so the hot paths' reads of `type.kind` stay monomorphic.
    const type: HeapType = Object.freeze({
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
    this.#typeTable.push(type);
    if (id >= this.#plainType.length) {
      this.#plainType = grownCopy(this.#plainType, new Uint8Array(id * 2));
      this.#typeWords = grownCopy(this.#typeWords, new Int32Array(id * 2));
      this.#typeKind = grownCopy(this.#typeKind, new Uint8Array(id * 2));
      this.#typeFinalizes = grownCopy(this.#typeFinalizes, new Uint8Array(id * 2));
      this.#typeFixedBytes = grownCopy(this.#typeFixedBytes, new Int32Array(id * 2));
      this.#typeClass = grownCopy(this.#typeClass, new Int32Array(id * 2));
      this.#typeJsSlots = grownCopy(this.#typeJsSlots, new Uint8Array(id * 2));
    }
    const plain =
      type.kind === Kind.Instance &&
      !type.hasDict &&
      type.finalize === undefined &&
      type.traverse === undefined &&
      type.clear === undefined &&
      type.objectSlots.every(Boolean);
    this.#plainType[id] = plain ? 1 : 0;
    this.#typeWords[id] = type.blockWords;
    this.#typeKind[id] = type.kind;
    this.#typeClass[id] = type.kind === Kind.Instance ? type.object : NULL;
    this.#typeJsSlots[id] = type.slots.some((slot) => slot.kind === 'js') ? 1 : 0;
    this.#typeFinalizes[id] = type.finalize === undefined ? 0 : 1;
    this.#typeFixedBytes[id] = this.#fixedSize(type);
    return type;
  }

  #fixedSize(type: HeapType): number {
    const content = fixedContentBytes(type);
    return content === 0 ? 0 : this.columns.bytesPerObject() + content;
  }

  /** A plugin attached or detached a column: every object's size changed by its width. */
  #refreshFixedSizes(): void {
    const types = this.#typeTable;
    for (let id = 0; id < types.length; id++) this.#typeFixedBytes[id] = this.#fixedSize(types[id]!);
  }

  #allocateSingleton(type: HeapType, value: number): Ref {
    const ref = this.#allocate(type, this.#storePayload(value));
    this.#rc[ref] = SINGLETON_COUNT;
    this.#flags[ref] = IMMORTAL;
    return ref;
  }

  #smallInt(value: number): Ref {
    return this.True + 1 + (value - SMALL_INT_MIN);
  }

  #newAtom(type: HeapType, value: unknown): Ref {
    return this.#born(this.#allocate(type, this.#storePayload(value)));
  }

  /** Allocates a container with a zeroed block of `words`, counted by the collector, not yet tracked. */
  #newContainer(type: HeapType, words: number): Ref {
    const ref = this.#allocate(type, this.#pool.allocate(words));
    if (++this.#youngCount > this.#youngThreshold && this.#collector !== null) {
      this.#collector.youngThresholdExceeded();
    }
    return ref;
  }

  #allocate(type: HeapType, base: number): Ref {
    let ref = this.#freeHead;
    if (ref !== NULL && this.#deallocations - this.#sortedAt > SORT_AFTER_FREES) {
      this.#sortFreeLists();
      ref = this.#freeHead;
    }
    if (ref !== NULL) this.#freeHead = this.#base[ref]!;
    else {
      ref = this.#top;
      if (ref >= this.#rc.length) this.#growTable(ref + 1);
      this.#top = ref + 1;
      this.#serial[ref] = this.#serialFloor;
    }
    this.#rc[ref] = 1;
    this.#type[ref] = type.id;
    this.#flags[ref] = 0;
    this.#base[ref] = base;
    this.#allocations++;
    return ref;
  }

  /** Grows the columns; past MAX_OBJECTS an id would name an object of another heap, so that is refused. */
  #growTable(minimum: number): void {
    if (minimum > MAX_OBJECTS) {
      throw new PyMemoryError(`a heap holds at most ${MAX_OBJECTS} objects at once (ids of more would collide with another heap's)`);
    }
    this.columns.grow(Math.min(minimum, MAX_OBJECTS));
  }

  /**
   * Relinks the free indexes (and the slot pool's free blocks) in address order, once many
   * objects have been freed since the last time. LIFO reuse after a large structure dies hands
   * its indexes out in the reverse of the order the teardown freed them; each round of
   * building and freeing scrambles them further, until a structure's objects — and every
   * column read about them — are scattered across memory (a full collection of a tree rebuilt
   * ten times ran six times slower). Address order gives what a fresh heap gives. The pass
   * costs O(objects) and runs at most once per SORT_AFTER_FREES frees; churn that keeps the
   * free list short pays only the counter check.
   */
  #sortFreeLists(): void {
    this.#sortedAt = this.#deallocations;
    if (this.#top - 1 - this.liveObjects < SORT_AFTER_FREES) return; // a short free list: nothing to scatter
    this.#relinkFreeIndexes();
    this.#pool.sortFreeLists();
  }

  /** Rebuilds the free list of indexes lowest first. */
  #relinkFreeIndexes(): void {
    const flags = this.#flags;
    const base = this.#base;
    let head: Ref = NULL;
    for (let ref = this.#top - 1; ref > 0; ref--) {
      if ((flags[ref]! & FREE) === 0) continue;
      base[ref] = head;
      head = ref;
    }
    this.#freeHead = head;
  }

  /**
   * Gives storage back, as pymalloc returns an arena once every pool in it is empty: free
   * indexes at the top of the object table and free blocks at the top of the slot pool stop
   * being storage, and every column, the pool and the young buffer shrink once a quarter of
   * them or less is in use (never below the size the heap was made with). Returns the bytes
   * given back. The heap does this itself at the end of an outermost release once 65,536
   * objects have been freed since the last time and a quarter of the table is free at its
   * top; `onlyIfDue` asks for that rule, as a collector does when a collection (during which
   * the heap never trims) ends.
   *
   * Ids and handles stay honest: a trimmed index answers "freed", and the serial a fresh
   * index starts at is above every serial trimming forgot.
   */
  trim(options: { readonly onlyIfDue?: boolean } = {}): number {
    if (this.#depth !== 0 || this.#calloutDepth !== 0) return 0;
    if (options.onlyIfDue === true && !this.#trimDue()) return 0;
    const before = this.reservedBytes;
    this.#trimmedAt = this.#deallocations;
    this.#sortedAt = this.#deallocations;
    this.#lowerTop();
    this.#relinkFreeIndexes();
    this.#givePoolBack();
    this.#compactYoung();
    if (this.#pendingTop === 0 && this.#pending.length > 256) this.#pending = new Int32Array(256);
    return before - this.reservedBytes;
  }

  /** Bytes of storage the heap holds now: every column at its capacity, the slot pool, the young buffer. */
  get reservedBytes(): number {
    return (
      this.columns.capacity * this.columns.bytesPerObject() +
      this.#pool.capacityWords * 4 +
      this.#young.byteLength +
      this.#youngSerials.byteLength +
      this.#pending.byteLength
    );
  }

  /** The automatic `trim`: only between operations, never inside a finalizer, callback or collection. */
  #trimIfQuiet(): void {
    // The common case first, in one read: the last index is live, nothing to give back.
    if ((this.#flags[this.#top - 1]! & FREE) === 0) return;
    if (this.#calloutDepth !== 0 || this.#collector?.isCollecting === true) return;
    if (this.#trimDue()) this.trim();
  }

  /**
   * Whether trimming would give back enough to pay for its passes over the table and pool:
   * many frees since the last time, and a quarter of the table or more free at its top. A
   * live last index (the common case) costs one read; a short free run at the top (churn
   * reusing the last index) waits for the next 65,536 frees.
   */
  #trimDue(): boolean {
    if (this.#deallocations - this.#trimmedAt <= SORT_AFTER_FREES) return false;
    const flags = this.#flags;
    const top = this.#top;
    if ((flags[top - 1]! & FREE) === 0) return false;
    const enough = Math.max(1, top >>> 2);
    let run = 1;
    while (run < enough && flags[top - 1 - run]! & FREE) run++;
    if (run < enough) this.#trimmedAt = this.#deallocations;
    return run >= enough;
  }

  /**
   * The slot pool's share of `trim`. When the live objects' blocks end in the lower half of
   * the pool, the free lists are remade from those blocks (one pass over the words that stay);
   * otherwise the free blocks at the top are found by walking the free lists.
   */
  #givePoolBack(): void {
    let end = 1;
    for (let ref = 1; ref < this.#top; ref++) {
      if (!(this.#rc[ref]! > 0)) continue;
      const size = this.#blockWordsOf(ref);
      if (size > 0 && this.#base[ref]! + size > end) end = this.#base[ref]! + size;
    }
    if (end * 2 > this.#pool.usedWords) {
      this.#pool.sortFreeLists(true);
      return;
    }
    const live = new Uint8Array(end);
    for (let ref = 1; ref < this.#top; ref++) {
      if (!(this.#rc[ref]! > 0)) continue;
      const size = this.#blockWordsOf(ref);
      if (size > 0) live.fill(1, this.#base[ref], this.#base[ref]! + size);
    }
    this.#pool.rebuild(end, live);
  }

  /** Lowers the top past the free indexes at the end of the table, and shrinks the columns to suit. */
  #lowerTop(): void {
    const flags = this.#flags;
    const serial = this.#serial;
    const oldTop = this.#top;
    let top = oldTop;
    let floor = this.#serialFloor;
    while (top > 1 && flags[top - 1]! & FREE) {
      top--;
      if (serial[top]! > floor) floor = serial[top]!;
    }
    if (top === oldTop) return;
    this.#serialFloor = floor;
    if (oldTop > this.#highestTop) this.#highestTop = oldTop;
    this.#top = top;
    this.columns.release(top, oldTop, this.#initialCapacity);
  }

  /** An object is complete: observers may look at it now (its size, its items). */
  #born(ref: Ref): Ref {
    if (this.#sampler !== null) {
      // The object's bytes come off the sampler's countdown; the allocation that empties it is
      // the sample (tcmalloc's scheme: an object is picked in proportion to its size).
      const fixed = this.#typeFixedBytes[this.#type[ref]!]!;
      const bytes = fixed !== 0 ? fixed : this.columns.bytesPerObject() + this.#contentBytes(ref);
      if ((this.#sampleCountdown -= bytes) <= 0) this.#takeSample(ref, bytes);
    }
    if (this.#allocationObservers.length !== 0) this.#notifyAllocated(ref, this.#typeTable[this.#type[ref]!]!);
    return ref;
  }

  #takeSample(ref: Ref, bytes: number): void {
    this.#flags[ref] = this.#flags[ref]! | SAMPLED;
    const type = this.#typeTable[this.#type[ref]!]!;
    // What the sampler itself allocates is not sampled (tracemalloc's reentrancy guard): no
    // countdown runs out while it works.
    this.#sampleCountdown = Infinity;
    try {
      const next = this.#sampler!.sampled(ref, type, bytes);
      if (!(next >= 0)) throw new PyValueError(`a sampler's countdown is a number of bytes >= 0, not ${String(next)}`);
      this.#sampleCountdown = next;
    } catch (error) {
      this.#sampleCountdown = 0; // the next allocation is offered again
      this.reportUnraisable(error, 'observer', ref);
    }
  }

  #notifySampledFree(ref: Ref, type: HeapType): void {
    try {
      this.#sampler!.freed(ref, type);
    } catch (error) {
      this.reportUnraisable(error, 'observer', `<${type.name} object>`);
    }
  }

  #notifyAllocated(ref: Ref, type: HeapType): void {
    const observers = this.#allocationObservers;
    if (observers.length === 1) {
      try {
        this.#calloutDepth++;
        observers[0]!.allocated!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', ref);
      } finally {
        this.#calloutDepth--;
      }
      return;
    }
    for (const observer of observers) {
      try {
        this.#calloutDepth++;
        observer.allocated!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', ref);
      } finally {
        this.#calloutDepth--;
      }
    }
  }

  #notifyFreed(ref: Ref, type: HeapType): void {
    const observers = this.#freeObservers;
    if (observers.length === 1) {
      try {
        this.#calloutDepth++;
        observers[0]!.freed!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', `<${type.name} object>`);
      } finally {
        this.#calloutDepth--;
      }
      return;
    }
    for (const observer of observers) {
      try {
        this.#calloutDepth++;
        observer.freed!(ref, type);
      } catch (error) {
        this.reportUnraisable(error, 'observer', `<${type.name} object>`);
      } finally {
        this.#calloutDepth--;
      }
    }
  }

  #track(ref: Ref): void {
    const f = this.#flags[ref]!;
    this.#flags[ref] = f | TRACKED;
    if (this.#collector !== null && (f & (BUFFERED | LISTED)) === 0) this.#buffer(ref);
  }

  /** Puts a newly tracked object at the end of the young buffer, compacting it when stale entries pile up. */
  #buffer(ref: Ref): void {
    if (this.#youngTop === this.#young.length) this.#compactYoung();
    this.#youngSerials[this.#youngTop] = this.#serial[ref]!;
    this.#young[this.#youngTop++] = ref;
    this.#flags[ref] = this.#flags[ref]! | BUFFERED;
  }

  /** Whether young entry `i` still stands for a buffered object (not one freed, or re-buffered later). */
  #youngEntryLive(i: number): boolean {
    const ref = this.#young[i]!;
    return ref !== NULL && (this.#flags[ref]! & BUFFERED) !== 0 && this.#serial[ref] === this.#youngSerials[i];
  }

  /** Drops entries of objects freed or untracked since they were buffered; grows when that frees too little. */
  #compactYoung(): void {
    const young = this.#young;
    const serials = this.#youngSerials;
    let kept = 0;
    for (let i = 0; i < this.#youngTop; i++) {
      if (!this.#youngEntryLive(i)) continue;
      young[kept] = young[i]!;
      serials[kept++] = serials[i]!;
    }
    this.#youngTop = kept;
    if (kept * 2 > young.length) {
      this.#young = grownCopy(young, new Int32Array(young.length * 2));
      this.#youngSerials = grownCopy(serials, new Uint32Array(young.length * 2));
    } else if (young.length > 1024 && kept * 4 <= young.length) {
      // A collection drained a flood of young objects: the buffer need not stay that big.
      const length = Math.max(1024, 2 ** Math.ceil(Math.log2(kept * 2 + 1)));
      this.#young = young.slice(0, length);
      this.#youngSerials = serials.slice(0, length);
    }
  }


  #untrack(ref: Ref): void {
    const f = this.#flags[ref]!;
    this.#flags[ref] = f & ~(TRACKED | LISTED | BUFFERED);
    if (f & LISTED) this.#collector?.unlist(ref);
    else if (f & BUFFERED && (f & DYING) === 0 && this.#rc[ref]! > 0) this.#forgetYoungEntry(ref);
  }

  /**
   * A live object leaves the young buffer without dying (a tuple or dict found atomic): its
   * entry goes, so tracking it again puts it at the end, as CPython's list would. Rare, so
   * a scan from the end is fine; a dying object's entry just goes stale instead.
   */
  #forgetYoungEntry(ref: Ref): void {
    for (let i = this.#youngTop - 1; i >= 0; i--) {
      if (this.#young[i] === ref) {
        this.#young[i] = NULL;
        return;
      }
    }
  }

  /**
   * A count reached zero: take the object apart now. Nested deallocations recurse, as in
   * CPython, up to the trashcan depth; deeper ones wait on a stack that the outermost
   * deallocation drains, so a ten-million-node chain unwinds in bounded JS stack.
   */
  #dealloc(ref: Ref): void {
    const depth = this.#depth;
    if (depth === 0) {
      this.#depth = 1;
      try {
        this.#destroy(ref);
        if (this.#pendingTop > 0) this.#drainPending();
      } finally {
        this.#depth = 0;
      }
      if (this.#deallocations - this.#trimmedAt > SORT_AFTER_FREES) this.#trimIfQuiet();
    } else if (depth < TRASHCAN_DEPTH) {
      this.#depth = depth + 1;
      this.#destroy(ref);
      this.#depth = depth;
    } else {
      this.#defer(ref);
    }
  }

  /**
   * A deallocation too deep to recurse into: queue it for the outermost one. Untracked while
   * it waits, as CPython's trashcan does, so a collection that starts meanwhile (from a
   * finalizer) never sees an object whose count is already zero.
   */
  #defer(ref: Ref): void {
    if (this.#flags[ref]! & TRACKED) this.#untrack(ref);
    if (this.#pendingTop === this.#pending.length) {
      const grown = new Int32Array(this.#pending.length * 2);
      grown.set(this.#pending);
      this.#pending = grown;
    }
    this.#pending[this.#pendingTop++] = ref;
  }

  #drainPending(): void {
    while (this.#pendingTop > 0) {
      this.#depth = 1;
      this.#destroy(this.#pending[--this.#pendingTop]!);
    }
  }

  /**
   * CPython's deallocation order: the finalizer once (it may resurrect), untracked, weak
   * references cleared and their callbacks run, children released, the index freed.
   */
  #destroy(ref: Ref): void {
    const typeId = this.#type[ref]!;
    if (this.#plainType[typeId] === 1 && (this.#flags[ref]! & HAS_WEAKREFS) === 0) {
      this.#destroyPlainInstance(ref, typeId);
      return;
    }
    const type = this.#typeTable[typeId]!;
    if (type.finalize !== undefined && !(this.#flags[ref]! & FINALIZED)) {
      // Tracked while its finalizer runs (it is a live object then), as subtype_dealloc does.
      if (!(this.#flags[ref]! & TRACKED)) this.#track(ref);
      if (this.#resurrectedByFinalizer(ref)) return;
    }
    // Untracked before any weakref callback runs: a collection a callback starts must never
    // find an object whose count is already zero (subtype_dealloc untracks first too).
    if (this.#flags[ref]! & TRACKED) this.#untrack(ref);
    if (this.#flags[ref]! & HAS_WEAKREFS) {
      this.#flags[ref] = this.#flags[ref]! & ~HAS_WEAKREFS;
      this.#weakrefs?.clearAndNotify(ref);
    }
    this.#releaseContents(ref, type);
    this.#free(ref, type);
    // subtype_dealloc's last step: the instance is gone, then its class loses a reference.
    if (type.kind === Kind.Instance) this.decref(type.object);
  }

  /**
   * `#destroy` for the commonest case — an instance with fixed object slots and nothing else —
   * in the same order, with no type record and no hooks to consult.
   */
  #destroyPlainInstance(ref: Ref, typeId: number): void {
    if (this.#flags[ref]! & TRACKED) this.#untrack(ref);
    const base = this.#base[ref]!;
    const size = this.#typeWords[typeId]!;
    for (let at = base; at < base + size; at++) {
      const words = this.#words; // a child's finalizer may allocate and move the pool
      const child = words[at]!;
      if (child === NULL) continue;
      words[at] = NULL;
      this.decref(child);
    }
    this.#pool.release(base, size);
    this.#free(ref, this.#typeTable[typeId]!);
    this.decref(this.#typeClass[typeId]!);
  }

  /** Runs the finalizer with the count held at one; true when it left the object referenced. */
  #resurrectedByFinalizer(ref: Ref): boolean {
    // Dying while the finalizer runs, so an over-release of `self` is caught, not a double free.
    this.#rc[ref] = 1;
    this.#flags[ref] = this.#flags[ref]! | FINALIZED | DYING;
    this.#runFinalizer(this.#typeTable[this.#type[ref]!]!, ref);
    const count = this.#rc[ref] - 1;
    this.#rc[ref] = count;
    this.#flags[ref] = this.#flags[ref] & ~DYING;
    return count !== 0;
  }

  #releaseContents(ref: Ref, type: HeapType): void {
    switch (type.kind) {
      case Kind.Tuple: {
        const length = this.#words[this.#base[ref]!]!; // read before the clear empties it
        this.#clearItems(ref, TUPLE_HEADER);
        this.#pool.release(this.#base[ref]!, TUPLE_HEADER + length);
        return;
      }
      case Kind.List: {
        const capacity = this.#words[this.#base[ref]! + 1]!;
        this.#clearItems(ref, LIST_HEADER);
        this.#pool.release(this.#base[ref]!, LIST_HEADER + capacity);
        return;
      }
      case Kind.Dict:
      case Kind.Set:
        this.#clearTable(ref);
        this.#dropPayload(this.#base[ref]!);
        return;
      case Kind.Instance:
        this.#clearInstance(ref, type);
        if (this.#typeJsSlots[type.id] === 1) this.#releaseJsSlots(ref, type);
        this.#pool.release(this.#base[ref]!, type.blockWords);
        return;
      case Kind.Function:
        this.#functionNames.delete(ref);
        this.#clearFirstWord(ref);
        this.#pool.release(this.#base[ref]!, 1);
        return;
      case Kind.Cell:
      case Kind.Type:
        this.#clearFirstWord(ref);
        this.#pool.release(this.#base[ref]!, 1);
        return;
      default:
        this.#dropPayload(this.#base[ref]!);
    }
  }

  #free(ref: Ref, type: HeapType): void {
    if (type.isContainer && this.#youngCount > 0) this.#youngCount--;
    const sampled = this.#flags[ref]! & SAMPLED;
    this.#rc[ref] = 0;
    this.#flags[ref] = FREE;
    this.#serial[ref] = this.#serial[ref]! + 1;
    this.#base[ref] = this.#freeHead;
    this.#freeHead = ref;
    this.#deallocations++;
    if (sampled !== 0) this.#notifySampledFree(ref, type);
    if (this.#freeObservers.length !== 0) this.#notifyFreed(ref, type);
  }

  /** Empties a tuple's or list's items, last first (as list_dealloc does), then releases them. */
  #clearItems(ref: Ref, header: number): void {
    const base = this.#base[ref]!;
    const length = this.#words[base]!;
    this.#words[base] = 0;
    for (let i = base + header + length - 1; i >= base + header; i--) {
      const words = this.#words; // an item's finalizer may allocate and move the pool
      const item = words[i]!;
      words[i] = NULL;
      this.decref(item);
    }
  }

  #clearTable(ref: Ref): void {
    const { keys, values } = this.#table(ref).takeAll();
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === NULL) continue;
      this.decref(keys[i]!);
      if (values[i] !== NULL) this.decref(values[i]!);
    }
  }

  /** Clears slots in order, then the attribute dict (subtype_clear / subtype_dealloc). */
  #clearInstance(ref: Ref, type: HeapType): void {
    if (type.clear) {
      try {
        type.clear(this, ref);
      } catch (error) {
        this.reportUnraisable(error, 'clear', ref);
      }
    }
    const base = this.#base[ref]!;
    const objectSlots = type.objectSlots;
    const n = objectSlots.length;
    for (let i = 0; i < n; i++) {
      if (!objectSlots[i]) continue;
      const words = this.#words; // a child's finalizer may allocate and move the pool
      const child = words[base + i]!;
      if (child === NULL) continue;
      words[base + i] = NULL;
      this.decref(child);
    }
    if (!type.hasDict) return;
    const attributes = this.#words[base + n]!;
    this.#words[base + n] = NULL;
    if (attributes > 0) this.decref(attributes);
    else if (attributes < 0) {
      const table = this.#payloads[-attributes] as HashTable;
      this.#dropPayload(-attributes);
      const { keys, values } = table.takeAll();
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === NULL) continue;
        this.decref(keys[i]!);
        this.decref(values[i]!);
      }
    }
  }

  #clearFirstWord(ref: Ref): void {
    const at = this.#base[ref]!;
    const child = this.#words[at]!;
    this.#words[at] = NULL;
    if (child !== NULL) this.decref(child);
  }

  #growList(list: Ref, needed: number): number {
    const oldBase = this.#base[list]!;
    const oldCapacity = this.#words[oldBase + 1]!;
    const length = this.#words[oldBase]!;
    const block = SlotPool.blockSize(LIST_HEADER + Math.max(needed, oldCapacity * 2));
    const base = this.#pool.allocate(block);
    const words = this.#words;
    words.copyWithin(base, oldBase, oldBase + LIST_HEADER + length);
    words[base + 1] = block - LIST_HEADER;
    this.#pool.release(oldBase, LIST_HEADER + oldCapacity);
    this.#base[list] = base;
    return base;
  }

  // ─── Payloads (atoms' values, dict and set tables, class and function names) ─

  #storePayload(value: unknown): number {
    const at = this.#freePayloads.pop();
    if (at !== undefined) {
      this.#payloads[at] = value;
      return at;
    }
    this.#payloads.push(value);
    return this.#payloads.length - 1;
  }

  #dropPayload(at: number): void {
    this.#payloads[at] = undefined;
    this.#freePayloads.push(at);
  }

  #table(ref: Ref): HashTable {
    return this.#payloads[this.#base[ref]!] as HashTable;
  }

  #contentBytes(ref: Ref): number {
    const type = this.#typeTable[this.#type[ref]!]!;
    const base = this.#base[ref]!;
    switch (type.kind) {
      case Kind.Tuple:
        return 4 * SlotPool.blockSize(TUPLE_HEADER + this.#words[base]!);
      case Kind.List:
        return 4 * (LIST_HEADER + this.#words[base + 1]!);
      case Kind.Dict:
      case Kind.Set:
        return 64 + 24 * (this.#payloads[base] as HashTable).keys.length;
      case Kind.Str:
        return 8 + 2 * (this.#payloads[base] as string).length;
      case Kind.Bytes:
      case Kind.ByteArray:
        return 16 + (this.#payloads[base] as Uint8Array).length; // the array's header and its bytes
      default:
        return fixedContentBytes(type);
    }
  }

  // ─── Checks ────────────────────────────────────────────────────────────────

  #checkLive(ref: Ref): void {
    if (!(this.#rc[ref]! > 0)) this.#rejectDead(ref, 'use');
  }

  /**
   * Items about to be stored, each once per occurrence: all live, and none whose count would
   * pass the ceiling — checked before anything is made, so a refusal leaves no half-built
   * container. Counting occurrences only happens near the ceiling.
   */
  #checkItems(items: ArrayLike<Ref>): void {
    const rc = this.#rc;
    let nearCeiling = false;
    for (let i = 0; i < items.length; i++) {
      const ref = items[i]!;
      this.#checkValue(ref);
      if (rc[ref]! > MAX_COUNT - items.length && (this.#flags[ref]! & IMMORTAL) === 0) nearCeiling = true;
    }
    if (!nearCeiling) return;
    const uses = new Map<Ref, number>();
    for (let i = 0; i < items.length; i++) {
      const ref = items[i]!;
      const n = (uses.get(ref) ?? 0) + 1;
      uses.set(ref, n);
      if ((this.#flags[ref]! & IMMORTAL) === 0 && rc[ref]! + n > MAX_COUNT) {
        const what = this.describe(ref);
        throw new RefcountError(`cannot store ${what}: its count would pass ${MAX_COUNT}, the most a count can hold`, what);
      }
    }
  }

  /** A value about to be stored: must be a live object of this heap. */
  #checkValue(ref: Ref): void {
    const count = this.#rc[ref]!;
    if (!(count > 0 && count < MAX_COUNT)) this.#increfSlow(ref, 'store');
  }

  #expectKind(ref: Ref, kind: Kind, method: string): void {
    this.#checkLive(ref);
    const type = this.#typeTable[this.#type[ref]!]!;
    if (type.kind !== kind) {
      const expected = Object.values(this.types).find((t) => t.kind === kind)!.name;
      throw new PyTypeError(
        `descriptor '${method}' for '${expected}' objects doesn't apply to a '${type.name}' object`,
        this.describe(ref),
      );
    }
  }

  #itemAt(ref: Ref, index: number, what: 'get' | 'assignment' | 'pop'): number {
    const type = this.typeOf(ref);
    if (type.kind !== Kind.Tuple && type.kind !== Kind.List) {
      throw new PyTypeError(`'${type.name}' object is not subscriptable`, this.describe(ref));
    }
    if (!Number.isInteger(index)) throw new PyTypeError(`${type.name} indices must be integers or slices, not float`);
    const base = this.#base[ref]!;
    const length = this.#words[base]!;
    const i = index < 0 ? index + length : index;
    if (i < 0 || i >= length) {
      const message =
        what === 'pop'
          ? 'pop index out of range'
          : what === 'assignment'
            ? `${type.name} assignment index out of range`
            : `${type.name} index out of range`;
      throw new PyIndexError(message, this.describe(ref));
    }
    return base + (type.kind === Kind.Tuple ? TUPLE_HEADER : LIST_HEADER) + i;
  }

  #slotAddress(ref: Ref, index: number, kind: SlotKind): number {
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
    return this.#base[ref]! + index;
  }

  #noAttribute(ref: Ref, name: string): PyAttributeError {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) {
      const cls = this.#classTypes.get(ref)?.name ?? '?';
      return new PyAttributeError(`type object '${cls}' has no attribute '${name}'`, this.describe(ref));
    }
    return new PyAttributeError(`'${type.name}' object has no attribute '${name}'`, this.describe(ref));
  }

  #setStrItem(dict: Ref, name: string, value: Ref): void {
    const key = this.intern(name);
    try {
      this.dictSet(dict, key, value);
    } finally {
      this.decref(key);
    }
  }

  #deleteStrItem(dict: Ref, name: string): void {
    const key = this.intern(name);
    try {
      this.dictDelete(dict, key);
    } finally {
      this.decref(key);
    }
  }

  /** CPython's MAINTAIN_TRACKING: a dict starts tracking once it holds something that may be in a cycle. */
  #maintainDictTracking(dict: Ref, added: Ref): void {
    if (!(this.#flags[dict]! & TRACKED) && this.mayBeTracked(added)) this.#track(dict);
  }

  #rejectDead(ref: Ref, action: string): never {
    if (!Number.isInteger(ref) || ref <= 0 || ref >= Math.max(this.#top, this.#highestTop)) {
      throw new PyTypeError(`${String(ref)} is not an object reference of this heap (cannot ${action} it)`);
    }
    const what = this.describe(ref);
    if (ref >= this.#top || this.#flags[ref]! & FREE) {
      throw new UseAfterFreeError(`cannot ${action} ${what}: it has been freed`, what);
    }
    throw new UseAfterFreeError(`cannot ${action} ${what}: it is being freed`, what);
  }

  #rejectDecref(ref: Ref): never {
    if (Number.isInteger(ref) && ref > 0 && ref < this.#top && this.#flags[ref]! & DYING) {
      const what = this.describe(ref);
      throw new RefcountError(`decref of ${what} would take its count below zero`, what);
    }
    this.#rejectDead(ref, 'decref');
  }

}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** What a slot of `kind` holds, for messages. */
function slotContents(kind: SlotKind): string {
  return kind === 'int32' ? 'a 32-bit integer' : kind === 'js' ? 'a JS value' : 'an object';
}

/** The bytes of an object's contents that its type alone decides; 0 for the kinds whose contents vary. */
function fixedContentBytes(type: HeapType): number {
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
function checkItems(items: ArrayLike<Ref>, method: string): void {
  if (typeof items !== 'object' || items === null || typeof items.length !== 'number') {
    throw new PyTypeError(`${method}() takes an array of object references, not ${pythonTypeOf(items)}`);
  }
}

/** The Python type name a JS value would have, for messages about bad arguments. */
function pythonTypeOf(value: unknown): string {
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

function grownCopy<A extends Uint8Array | Int32Array | Uint32Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

function strHash(text: string): HashKey {
  return text.charCodeAt(0) === 0 ? `\u0000${text}` : text;
}

/** CPython's default: print the message and the traceback to stderr. */
function defaultUnraisable(info: Unraisable): void {
  const detail = info.error instanceof Error ? (info.error.stack ?? String(info.error)) : String(info.error);
  // Straight to stderr where there is one, as CPython's hook writes to sys.stderr: a report can
  // come from a FinalizationRegistry callback at any moment, even while a test runner tears
  // its console down. A browser has only the console.
  const host = globalThis as { process?: { stderr?: { write(text: string): unknown } }; console?: { error(text: string): void } };
  if (host.process?.stderr !== undefined) host.process.stderr.write(`${info.message}\n${detail}\n`);
  else host.console?.error(`${info.message}\n${detail}`);
}
