/**
 * Classes and their instances (Objects/typeobject.c): defineClass, fixed slots, js and int32
 * slots, attributes and the instance dict.
 * One layer of `Heap` (heap.ts composes them, bottom to top: base, storage, refcount,
 * atoms, bytes, sequences, tables, instances, functions, traversal, plugins, verify).
 */
import { PyTypeError } from './errors.ts';
import { HashTable } from './hash-table.ts';
import { HeapBase } from './heap-base.ts';
import { MAX_COUNT, TRACKED } from './heap-definitions.ts';
import { slotContents, strHash } from './heap-helpers.ts';
import { HeapTables } from './heap-tables.ts';
import { CollectorState } from './protocol.ts';
import { NULL, type Ref } from './ref.ts';
import { type ClassSpecOf, type HeapTypeOf, Kind, type SlotSpec } from './types.ts';

export abstract class HeapInstances extends HeapTables {

  /**
   * Defines a class: `__slots__` or an attribute dict, weakref support, and optionally the
   * hooks of a user-defined native type (finalize, traverse, clear, repr).
   */
  defineClass(name: string, spec: ClassSpecOf<this> = {}): HeapTypeOf<this> {
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
    const classObject = this._newContainer(this.types.type, 1);
    const type = this._registerType({
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
    this._words[this._base[classObject]!] = this.newDict();
    this._classTypes.set(classObject, type);
    this._track(classObject);
    this._born(classObject);
    return type;
  }

  /** The type of an object. */
  override typeOf(ref: Ref): HeapTypeOf<this> {
    this._checkLive(ref);
    return this._typeTable[this._type[ref]!]!;
  }

  /** The type registered under `id` (the value of the type column). */
  typeById(id: number): HeapTypeOf<this> | undefined {
    return this._typeTable[id];
  }

  /** Every registered type. */
  allTypes(): readonly HeapTypeOf<this>[] {
    return this._typeTable;
  }

  /** Whether objects of this type can be part of a cycle. */
  isContainer(ref: Ref): boolean {
    return this.typeOf(ref).isContainer;
  }

  /**
   * A new instance of a class, with unset slots. Attributes of a class without `__slots__`
   * live in the instance itself, as in CPython 3.11's managed dicts: no dict object exists
   * until `attributeDict` asks for one, so a collection counts the instance alone.
   */
  newInstance(type: HeapTypeOf<this>): Ref {
    if (type.kind !== Kind.Instance || this._typeTable[type.id] !== type) {
      throw new PyTypeError(`${type.name} is not a class of this heap`);
    }
    // Instances of a heap type own a reference to it (CPython's PyType_GenericAlloc), so
    // getrefcount(A) counts them and class↔instance cycles are real.
    const ref = this._newContainer(type, type.blockWords);
    this.incref(type.object);
    // `_track` for a new object (its flags and state are 0): tracked, and buffered for a collector.
    if (this._collector === null) this._flags[ref] = TRACKED;
    else {
      if (this._youngTop === this._young.length) this._compactYoung();
      const top = this._youngTop;
      this._young[top] = ref;
      this._youngTop = top + 1;
      this._flags[ref] = TRACKED;
      this._states[ref] = CollectorState.Buffered;
    }
    return this._born(ref);
  }

  /** Slot `index` of an instance, borrowed; NULL when unset. */
  getSlot(ref: Ref, index: number): Ref {
    const type = this._typeTable[this._type[ref]!]!;
    if (!(this._rc[ref]! > 0) || type.objectSlots[index] !== true) this._slotAddress(ref, index, 'object');
    return this._words[this._base[ref]! + index]!;
  }

  /** Sets slot `index`: increfs the new value, releases the old. `value` may be NULL to unset it. */
  setSlot(ref: Ref, index: number, value: Ref): void {
    const rc = this._rc;
    const type = this._typeTable[this._type[ref]!]!;
    if (!(rc[ref]! > 0) || type.objectSlots[index] !== true) this._slotAddress(ref, index, 'object');
    if (value !== NULL) {
      const count = rc[value]!;
      if (count > 0 && count < MAX_COUNT) rc[value] = count + 1;
      else this._increfSlow(value, 'store');
    }
    const words = this._words;
    const at = this._base[ref]! + index;
    const old = words[at]!;
    words[at] = value;
    if (old !== NULL) this.decref(old);
  }

  /** A `js` slot's value (undefined when unset): whatever JS the object carries, not a reference. */
  getSlotValue(ref: Ref, index: number): unknown {
    const word = this._words[this._slotAddress(ref, index, 'js')]!;
    return word === 0 ? undefined : this._jsValues[word];
  }

  /**
   * Sets a `js` slot; undefined unsets it. A handle is refused: stored here, the reference
   * would be invisible to the collector and to refcounts (put it in an `object` slot).
   */
  setSlotValue(ref: Ref, index: number, value: unknown): void {
    const at = this._slotAddress(ref, index, 'js');
    if (typeof value === 'object' && value !== null && (value as { heap?: unknown }).heap instanceof HeapBase) {
      const slot = this.typeOf(ref).slots[index]!;
      throw new PyTypeError(
        `slot '${slot.name}' of ${this.describe(ref)} holds a JS value, not a handle: a reference stored there would be hidden from the collector (use an object slot)`,
        this.describe(ref),
      );
    }
    const words = this._words;
    const word = words[at]!;
    if (value === undefined) {
      if (word !== 0) this._dropJsValue(word);
      words[at] = 0;
    } else if (word !== 0) this._jsValues[word] = value;
    else words[at] = this._keepJsValue(value);
  }

  protected _keepJsValue(value: unknown): number {
    const at = this._freeJsValues.pop();
    if (at !== undefined) {
      this._jsValues[at] = value;
      return at;
    }
    this._jsValues.push(value);
    return this._jsValues.length - 1;
  }

  protected _dropJsValue(at: number): void {
    this._jsValues[at] = undefined;
    this._freeJsValues.push(at);
  }

  /** Lets go of an instance's JS values, once it is being freed (its finalizer has seen them). */
  protected override _releaseJsSlots(ref: Ref, type: HeapTypeOf<this>): void {
    const base = this._base[ref]!;
    const words = this._words;
    for (let i = 0; i < type.slots.length; i++) {
      if (type.slots[i]!.kind !== 'js' || words[base + i] === 0) continue;
      this._dropJsValue(words[base + i]!);
      words[base + i] = 0;
    }
  }

  /** An `int32` slot's integer (native types' bookkeeping: no reference is counted). */
  getSlotInt(ref: Ref, index: number): number {
    return this._words[this._slotAddress(ref, index, 'int32')]!;
  }

  setSlotInt(ref: Ref, index: number, value: number): void {
    const at = this._slotAddress(ref, index, 'int32');
    if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
      const slot = this.typeOf(ref).slots[index]!;
      throw new PyTypeError(`slot '${slot.name}' of ${this.describe(ref)} holds a 32-bit integer, not ${String(value)}`);
    }
    this._words[at] = value;
  }

  /** `obj.name`, borrowed: a slot, the instance dict, then the class dict. Raises AttributeError. */
  getAttr(ref: Ref, name: string): Ref {
    const found = this.findAttr(ref, name);
    if (found === NULL) throw this._noAttribute(ref, name);
    return found;
  }

  /** Like `getAttr` but NULL instead of AttributeError. */
  findAttr(ref: Ref, name: string): Ref {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) return this.dictGetStr(this._words[this._base[ref]!]!, name);
    if (type.kind !== Kind.Instance) return NULL;
    const slot = type.slotIndex.get(name);
    if (slot !== undefined) return type.slots[slot]!.kind === 'object' ? this.getSlot(ref, slot) : NULL;
    if (type.hasDict) {
      const own = this._ownAttribute(ref, type, name);
      if (own !== NULL) return own;
    }
    return this.dictGetStr(this._words[this._base[type.object]!]!, name);
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
    return type.hasDict ? this._ownAttribute(ref, type, name) : NULL;
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
      if (type.hasDict) return this._setOwnAttribute(ref, type, name, value);
    } else if (type.kind === Kind.Type) {
      return this._setStrItem(this._words[this._base[ref]!]!, name, value);
    }
    throw this._noAttribute(ref, name);
  }

  /** `del obj.name`. */
  delAttr(ref: Ref, name: string): void {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Instance) {
      const slot = type.slotIndex.get(name);
      if (slot !== undefined && type.slots[slot]!.kind === 'object' && this.getSlot(ref, slot) !== NULL) {
        return this.setSlot(ref, slot, NULL);
      }
      if (slot === undefined && type.hasDict && this._deleteOwnAttribute(ref, type, name)) return;
    } else if (type.kind === Kind.Type) {
      const dict = this._words[this._base[ref]!]!;
      if (this.dictGetStr(dict, name) !== NULL) return this._deleteStrItem(dict, name);
    }
    throw this._noAttribute(ref, name);
  }

  /**
   * Calls `visit(name, value)` for each attribute an instance (or class) holds in its slots
   * and attribute storage, borrowed, without materializing a `__dict__`. For tools that
   * label references by name (heap snapshots, reference graphs).
   */
  forEachAttribute(ref: Ref, visit: (name: string, value: Ref) => void): void {
    const type = this.typeOf(ref);
    if (type.kind === Kind.Type) {
      this.dictForEach(this._words[this._base[ref]!]!, (key, value) => visit(String(this.valueOf(key)), value));
      return;
    }
    if (type.kind !== Kind.Instance) return;
    const base = this._base[ref]!;
    type.slots.forEach((slot, i) => {
      const value = this._words[base + i]!;
      if (slot.kind === 'object' && value !== NULL) visit(slot.name, value);
    });
    if (!type.hasDict) return;
    const word = this._words[base + type.slots.length]!;
    const table = word > 0 ? this._table(word) : word < 0 ? (this._payloads[-word] as HashTable) : undefined;
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
    if (type.kind === Kind.Type) return this._words[this._base[ref]!]!;
    if (type.kind !== Kind.Instance || !type.hasDict) throw this._noAttribute(ref, '__dict__');
    const word = this._words[this._base[ref]! + type.slots.length]!;
    if (word > 0) return word;
    const dict = this._newContainer(this.types.dict, 0);
    this._base[dict] = word < 0 ? -word : this._storePayload(new HashTable());
    this._words[this._base[ref]! + type.slots.length] = dict;
    const { keys, values } = this._table(dict);
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== NULL && this.mayBeTracked(values[i]!)) {
        this._track(dict);
        break;
      }
    }
    return this._born(dict);
  }

  // Attribute storage of instances without __slots__: the dict word holds a dict ref (> 0),
  // a managed table's payload index negated (< 0), or nothing yet (0).

  protected _ownAttribute(ref: Ref, type: HeapTypeOf<this>, name: string): Ref {
    const word = this._words[this._base[ref]! + type.slots.length]!;
    if (word > 0) return this.dictGetStr(word, name);
    if (word === 0) return NULL;
    const table = this._payloads[-word] as HashTable;
    const at = table.find(strHash(name));
    return at >= 0 ? table.values[at]! : NULL;
  }

  protected _setOwnAttribute(ref: Ref, type: HeapTypeOf<this>, name: string, value: Ref): void {
    const at = this._base[ref]! + type.slots.length;
    const word = this._words[at]!;
    if (word > 0) return this._setStrItem(word, name, value);
    this._checkValue(value);
    let table: HashTable;
    if (word === 0) {
      table = new HashTable();
      this._words[at] = -this._storePayload(table);
    } else table = this._payloads[-word] as HashTable;
    const hash = strHash(name);
    this.incref(value);
    const found = table.find(hash);
    if (found >= 0) {
      const old = table.values[found]!;
      table.values[found] = value;
      this.decref(old);
    } else table.append(hash, this.intern(name), value);
  }

  protected _deleteOwnAttribute(ref: Ref, type: HeapTypeOf<this>, name: string): boolean {
    const word = this._words[this._base[ref]! + type.slots.length]!;
    if (word > 0) {
      if (this.dictGetStr(word, name) === NULL) return false;
      this._deleteStrItem(word, name);
      return true;
    }
    if (word === 0) return false;
    const table = this._payloads[-word] as HashTable;
    const found = table.find(strHash(name));
    if (found < 0) return false;
    const key = table.keys[found]!;
    const value = table.values[found]!;
    table.removeAt(found);
    this.decref(key);
    this.decref(value);
    return true;
  }
}
