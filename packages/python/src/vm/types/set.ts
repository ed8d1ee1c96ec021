/**
 * set and frozenset (Objects/setobject.c). set is the heap's own kind; the heap has no
 * frozenset kind, so a frozenset is an instance holding a set object it never changes, with
 * CPython's frozenset hash. (The heap hashes dict keys and set members that are instances by
 * identity, so two equal frozensets are distinct keys of one dict.)
 */
import { Kind, NULL } from '@refheap/core';
import type { Ref } from '@refheap/core';
import type { Kwargs, NativeFn, PyClass } from '../classes.ts';
import { lookupMethod } from '../attributes.ts';
import { defineIteratorMethods, listOf } from '../iteration.ts';
import { keyError } from '../operators.ts';
import { repr } from '../repr.ts';
import type { VM } from '../vm.ts';
import { noArgs } from './args.ts';
import { NotImplementedRef, methO, oneArg } from './list.ts';
import { defineClassGetItem, hashOf } from './object.ts';

const M64 = (1n << 64n) - 1n;

/** Each interpreter's frozenset and set-iterator classes (made by installSet), one pair per VM. */
const setClasses = new WeakMap<VM, { readonly frozenset: PyClass; readonly iterator: PyClass }>();

function isFrozenset(vm: VM, ref: Ref): boolean {
  const frozenset = setClasses.get(vm)?.frozenset;
  return frozenset !== undefined && vm.classOf(ref) === frozenset;
}

/** The set object holding a set's or frozenset's members (borrowed), or NULL for anything else. */
export function membersOf(vm: VM, ref: Ref): Ref {
  const heap = vm.heap;
  if (heap.kindOf(ref) === Kind.Set) return ref;
  if (isFrozenset(vm, ref)) return heap.getSlot(ref, 0);
  return NULL;
}

function membersList(vm: VM, set: Ref): Ref[] {
  const out: Ref[] = [];
  vm.heap.setForEach(set, (item) => out.push(item));
  return out;
}

const PERTURB_SHIFT = 5n;
const LINEAR_PROBES = 9;

/** Whether CPython's hash of `ref` is a fixed function of its value (not randomized, not an address, no user code). */
function fixedHash(vm: VM, ref: Ref): boolean {
  const heap = vm.heap;
  switch (heap.kindOf(ref)) {
    case Kind.Int:
    case Kind.Bool:
      return true;
    case Kind.Float:
      return !Number.isNaN(heap.valueOf(ref));
    case Kind.Tuple:
      for (let i = 0; i < heap.length(ref); i++) if (!fixedHash(vm, heap.item(ref, i))) return false;
      return true;
    default: {
      if (isFrozenset(vm, ref)) {
        let fixed = true;
        heap.setForEach(heap.getSlot(ref, 0), (item) => {
          if (fixed && !fixedHash(vm, item)) fixed = false;
        });
        return fixed;
      }
      return false;
    }
  }
}

/**
 * The members in the order CPython's set table would hold them (Objects/setobject.c: open
 * addressing, 9 linear probes then perturbation, growth at 3/5 full), replaying the current
 * members' insertions into a fresh table — exact for a set never shrunk. Only for members whose
 * CPython hash is a function of their value (ints, floats, tuples and frozensets of them); any
 * other set keeps insertion order, since CPython's order for it (str hashes are randomized per
 * process) cannot be predicted anyway. Borrowed references.
 */
export function setOrder(vm: VM, set: Ref): Ref[] {
  const members = membersList(vm, set);
  if (members.length < 2 || !members.every((m) => fixedHash(vm, m))) return members;
  const hashes = members.map((m) => hashOf(vm, m) & M64);
  let mask = 7;
  let table = new Int32Array(8).fill(-1);
  const insert = (into: Int32Array, m: number, k: number): void => {
    const hash = hashes[k]!;
    let i = Number(hash & BigInt(m));
    let perturb = hash;
    for (;;) {
      if (into[i] === -1) {
        into[i] = k;
        return;
      }
      if (i + LINEAR_PROBES <= m) {
        for (let j = 1; j <= LINEAR_PROBES; j++) {
          if (into[i + j] === -1) {
            into[i + j] = k;
            return;
          }
        }
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(m));
    }
  };
  let fill = 0;
  for (let k = 0; k < members.length; k++) {
    insert(table, mask, k);
    fill++;
    if (fill * 5 >= mask * 3) {
      const minused = fill > 50000 ? fill * 2 : fill * 4;
      let size = 8;
      while (size <= minused) size <<= 1;
      const next = new Int32Array(size).fill(-1);
      for (let i = 0; i <= mask; i++) if (table[i]! >= 0) insert(next, size - 1, table[i]!);
      table = next;
      mask = size - 1;
    }
  }
  const out: Ref[] = [];
  for (let i = 0; i <= mask; i++) if (table[i]! >= 0) out.push(members[table[i]!]!);
  return out;
}

/** `{1, 2}`, members in setOrder. */
export function setRepr(vm: VM, set: Ref): string {
  const members = setOrder(vm, set);
  if (members.length === 0) return 'set()';
  return `{${members.map((m) => repr(vm, m)).join(', ')}}`;
}

/** A new frozenset holding `items` (borrowed). */
export function newFrozenset(vm: VM, items: readonly Ref[]): Ref {
  const heap = vm.heap;
  const set = heap.newSet(items);
  const fs = heap.newInstance(setClasses.get(vm)!.frozenset.instanceType!);
  heap.setSlot(fs, 0, set);
  heap.decref(set);
  return fs;
}

function shuffle(h: bigint): bigint {
  return (((h ^ 89869747n) ^ (h << 16n)) * 3644798167n) & M64;
}

/** CPython 3.11's frozenset_hash over the members' hashes. */
export function frozensetHash(vm: VM, set: Ref): bigint {
  const heap = vm.heap;
  let hash = 0n;
  heap.setForEach(set, (item) => {
    hash ^= shuffle(hashOf(vm, item) & M64);
  });
  hash ^= ((BigInt(heap.length(set)) + 1n) * 1927868237n) & M64;
  hash ^= (hash >> 11n) ^ (hash >> 25n);
  hash = (hash * 69069n + 907133923n) & M64;
  if (hash === M64) hash = 590923713n;
  return BigInt.asIntN(64, hash);
}

/** The members of any iterable (a set's or frozenset's directly), new references. */
function itemsOfIterable(vm: VM, ref: Ref): Ref[] {
  const members = membersOf(vm, ref);
  if (members !== NULL) {
    const items = setOrder(vm, members);
    for (const item of items) vm.heap.incref(item);
    return items;
  }
  return listOf(vm, ref);
}

function release(vm: VM, refs: readonly Ref[]): void {
  for (const r of refs) vm.heap.decref(r);
}

export function installSet(vm: VM): void {
  const heap = vm.heap;
  const set = vm.core.set;
  const frozenset = vm.nativeClass('frozenset', { slots: ['items'] });
  defineClassGetItem(vm, frozenset);
  const NotImpl = (): Ref => NotImplementedRef(vm);

  const construct = (name: string, frozen: boolean) => (vm: VM, _cls: PyClass, args: readonly Ref[], kw: Kwargs | null): Ref => {
    if (kw && kw.names.length > 0) throw vm.typeError(`${name}() takes no keyword arguments`);
    if (args.length > 1) throw vm.typeError(`${name} expected at most 1 argument, got ${args.length}`);
    if (frozen && args.length === 1 && vm.classOf(args[0]!) === frozenset) {
      heap.incref(args[0]!);
      return args[0]!;
    }
    const items = args.length === 0 ? [] : itemsOfIterable(vm, args[0]!);
    try {
      return frozen ? newFrozenset(vm, items) : heap.newSet(items);
    } finally {
      release(vm, items);
    }
  };
  set.construct = construct('set', false);
  frozenset.construct = construct('frozenset', true);

  /** A result of the receiver's type from borrowed members. */
  const make = (frozen: boolean, items: readonly Ref[]): Ref => (frozen ? newFrozenset(vm, items) : heap.newSet(items));

  const union = (self: Ref, others: readonly Ref[]): Ref[] => {
    const out = setOrder(vm, membersOf(vm, self));
    const seen = heap.newSet(out);
    const held: Ref[] = [];
    try {
      for (const other of others) {
        const items = itemsOfIterable(vm, other);
        held.push(...items);
        for (const item of items) {
          if (!heap.setHas(seen, item)) {
            heap.setAdd(seen, item);
            out.push(item);
          }
        }
      }
      const result = membersList(vm, seen);
      for (const r of result) heap.incref(r);
      return result;
    } finally {
      heap.decref(seen);
      release(vm, held);
    }
  };
  const intersection = (self: Ref, others: readonly Ref[]): Ref[] => {
    let current = setOrder(vm, membersOf(vm, self));
    for (const r of current) heap.incref(r);
    for (const other of others) {
      const members = membersOf(vm, other);
      let otherSet: Ref;
      if (members !== NULL) {
        otherSet = members;
        heap.incref(otherSet);
      } else {
        const items = listOf(vm, other);
        try {
          otherSet = heap.newSet(items);
        } finally {
          release(vm, items);
        }
      }
      const next = current.filter((item) => heap.setHas(otherSet, item));
      for (const r of next) heap.incref(r);
      release(vm, current);
      heap.decref(otherSet);
      current = next;
    }
    return current;
  };
  const difference = (self: Ref, others: readonly Ref[]): Ref[] => {
    let current = setOrder(vm, membersOf(vm, self));
    for (const r of current) heap.incref(r);
    for (const other of others) {
      const items = itemsOfIterable(vm, other);
      try {
        const drop = heap.newSet(items);
        const next = current.filter((item) => !heap.setHas(drop, item));
        for (const r of next) heap.incref(r);
        release(vm, current);
        heap.decref(drop);
        current = next;
      } finally {
        release(vm, items);
      }
    }
    return current;
  };
  const symmetric = (self: Ref, other: Ref): Ref[] => {
    const mine = membersOf(vm, self);
    const items = itemsOfIterable(vm, other);
    try {
      const theirs = heap.newSet(items);
      try {
        const out = setOrder(vm, mine).filter((item) => !heap.setHas(theirs, item));
        for (const item of setOrder(vm, theirs)) if (!heap.setHas(mine, item)) out.push(item);
        for (const r of out) heap.incref(r);
        return out;
      } finally {
        heap.decref(theirs);
      }
    } finally {
      release(vm, items);
    }
  };
  /** The members of `other` as a set object (new reference) for the subset tests. */
  const asSet = (other: Ref): Ref => {
    const members = membersOf(vm, other);
    if (members !== NULL) {
      heap.incref(members);
      return members;
    }
    const items = listOf(vm, other);
    try {
      return heap.newSet(items);
    } finally {
      release(vm, items);
    }
  };
  const subset = (a: Ref, b: Ref): boolean => {
    if (heap.length(a) > heap.length(b)) return false;
    return membersList(vm, a).every((item) => heap.setHas(b, item));
  };
  /** Replaces a set's contents (items borrowed). */
  const setContents = (target: Ref, items: readonly Ref[]): void => {
    for (const r of items) heap.incref(r);
    const old = membersList(vm, target);
    for (const r of old) heap.incref(r);
    for (const r of old) heap.setDiscard(target, r);
    for (const r of items) heap.setAdd(target, r);
    release(vm, items);
    release(vm, old);
  };

  for (const [cls, frozen] of [[set, false], [frozenset, true]] as const) {
    const def = (name: string, fn: NativeFn): void => vm.defineMethod(cls, name, fn);
    const self = (args: readonly Ref[]): Ref => membersOf(vm, args[0]!);
    const typeName = frozen ? 'frozenset' : 'set';
    const result = (items: Ref[]): Ref => {
      try {
        return make(frozen, items);
      } finally {
        release(vm, items);
      }
    };
    def('union', (vm, args) => result(union(args[0]!, args.slice(1))));
    def('intersection', (vm, args) => result(intersection(args[0]!, args.slice(1))));
    def('difference', (vm, args) => result(difference(args[0]!, args.slice(1))));
    def('symmetric_difference', (vm, args) => result(symmetric(args[0]!, oneArg(vm, 'symmetric_difference', args))));
    def('issubset', (vm, args) => {
      const other = asSet(oneArg(vm, 'issubset', args));
      try {
        return heap.newBool(subset(self(args), other));
      } finally {
        heap.decref(other);
      }
    });
    def('issuperset', (vm, args) => {
      const other = asSet(oneArg(vm, 'issuperset', args));
      try {
        return heap.newBool(subset(other, self(args)));
      } finally {
        heap.decref(other);
      }
    });
    def('isdisjoint', (vm, args) => {
      const other = asSet(oneArg(vm, 'isdisjoint', args));
      try {
        return heap.newBool(membersList(vm, other).every((item) => !heap.setHas(self(args), item)));
      } finally {
        heap.decref(other);
      }
    });
    def('copy', (vm, args, kw) => {
      noArgs(vm, 'copy', args, kw);
      if (frozen) {
        heap.incref(args[0]!);
        return args[0]!;
      }
      return heap.newSet(setOrder(vm, self(args)));
    });
    def('__len__', (vm, args) => heap.newInt(heap.length(self(args))));
    def('__contains__', (vm, args) => {
      const item = oneArg(vm, '__contains__', args);
      if (heap.kindOf(item) === Kind.Set) {
        const fs = newFrozenset(vm, membersList(vm, item));
        try {
          return heap.newBool(heap.setHas(self(args), fs));
        } finally {
          heap.decref(fs);
        }
      }
      return heap.newBool(heap.setHas(self(args), item));
    });
    def('__iter__', (vm, args) => newSetIterator(vm, self(args)));
    def('__repr__', (vm, args) => {
      const members = self(args);
      if (!frozen) return heap.newStr(setRepr(vm, members), { intern: false });
      if (heap.length(members) === 0) return heap.newStr('frozenset()');
      return heap.newStr(`frozenset(${setRepr(vm, members)})`, { intern: false });
    });
    const binary = (name: string, fn: (a: Ref, b: Ref) => Ref[], reflected: boolean): void => {
      def(name, (vm, args) => {
        const other = oneArg(vm, name, args);
        if (membersOf(vm, other) === NULL) return NotImpl();
        return result(reflected ? fn(other, args[0]!) : fn(args[0]!, other));
      });
    };
    binary('__or__', (a, b) => union(a, [b]), false);
    binary('__ror__', (a, b) => union(a, [b]), true);
    binary('__and__', (a, b) => intersection(a, [b]), false);
    binary('__rand__', (a, b) => intersection(a, [b]), true);
    binary('__sub__', (a, b) => difference(a, [b]), false);
    binary('__rsub__', (a, b) => difference(a, [b]), true);
    binary('__xor__', (a, b) => symmetric(a, b), false);
    binary('__rxor__', (a, b) => symmetric(a, b), true);
    const compare = (name: string, test: (a: Ref, b: Ref) => boolean): void => {
      def(name, (vm, args) => {
        const other = membersOf(vm, oneArg(vm, name, args));
        if (other === NULL) return NotImpl();
        return heap.newBool(test(self(args), other));
      });
    };
    compare('__eq__', (a, b) => heap.length(a) === heap.length(b) && subset(a, b));
    compare('__ne__', (a, b) => !(heap.length(a) === heap.length(b) && subset(a, b)));
    compare('__le__', (a, b) => subset(a, b));
    compare('__lt__', (a, b) => heap.length(a) < heap.length(b) && subset(a, b));
    compare('__ge__', (a, b) => subset(b, a));
    compare('__gt__', (a, b) => heap.length(a) > heap.length(b) && subset(b, a));
    void typeName;
  }

  // Mutating methods: set only.
  const def = (name: string, fn: NativeFn): void => vm.defineMethod(set, name, fn);
  def('add', (vm, args, kw) => {
    const item = methO(vm, 'set.add', args, kw);
    heap.setAdd(args[0]!, item);
    return heap.newNone();
  });
  def('discard', (vm, args, kw) => {
    const item = methO(vm, 'set.discard', args, kw);
    discardItem(vm, args[0]!, item);
    return heap.newNone();
  });
  def('remove', (vm, args, kw) => {
    const item = methO(vm, 'set.remove', args, kw);
    if (!discardItem(vm, args[0]!, item)) throw keyError(vm, item);
    return heap.newNone();
  });
  def('pop', (vm, args, kw) => {
    noArgs(vm, 'pop', args, kw);
    const members = setOrder(vm, args[0]!);
    if (members.length === 0) throw vm.error('KeyError', 'pop from an empty set');
    const item = members[0]!;
    heap.incref(item);
    heap.setDiscard(args[0]!, item);
    return item;
  });
  def('clear', (vm, args, kw) => {
    noArgs(vm, 'clear', args, kw);
    setContents(args[0]!, []);
    return heap.newNone();
  });
  def('update', (vm, args) => {
    for (const other of args.slice(1)) {
      const items = itemsOfIterable(vm, other);
      try {
        for (const item of items) heap.setAdd(args[0]!, item);
      } finally {
        release(vm, items);
      }
    }
    return heap.newNone();
  });
  const inplace = (name: string, compute: (self: Ref, others: readonly Ref[]) => Ref[], operator: boolean): void => {
    def(name, (vm, args) => {
      if (operator && membersOf(vm, oneArg(vm, name, args)) === NULL) return NotImpl();
      const items = compute(args[0]!, args.slice(1));
      setContents(args[0]!, items);
      release(vm, items);
      if (operator) {
        heap.incref(args[0]!);
        return args[0]!;
      }
      return heap.newNone();
    });
  };
  inplace('intersection_update', intersection, false);
  inplace('difference_update', difference, false);
  inplace('symmetric_difference_update', (self, others) => symmetric(self, oneArg(vm, 'symmetric_difference_update', [self, ...others])), false);
  inplace('__ior__', union, true);
  inplace('__iand__', intersection, true);
  inplace('__isub__', difference, true);
  inplace('__ixor__', (self, others) => symmetric(self, others[0]!), true);
  vm.setItemStr(set.dict, '__hash__', heap.None);
  vm.defineMethod(frozenset, '__hash__', (vm, args) => heap.newInt(frozensetHash(vm, membersOf(vm, args[0]!))));

  // ─── Iterator ──────────────────────────────────────────────────────────────
  const iterator = vm.nativeClass('set_iterator', { slots: ['set', 'items', { name: 'index', kind: 'int32' }, { name: 'size', kind: 'int32' }] });
  iterator.iterNext = (vm, it) => {
    const target = heap.getSlot(it, 0);
    if (target === NULL) return NULL;
    if (heap.length(target) !== heap.getSlotInt(it, 3)) {
      heap.setSlotInt(it, 3, -1);
      throw vm.error('RuntimeError', 'Set changed size during iteration');
    }
    const items = heap.getSlot(it, 1);
    const index = heap.getSlotInt(it, 2);
    if (index >= heap.length(items)) {
      heap.setSlot(it, 0, NULL);
      heap.setSlot(it, 1, NULL);
      return NULL;
    }
    heap.setSlotInt(it, 2, index + 1);
    const item = heap.item(items, index);
    heap.incref(item);
    return item;
  };
  defineIteratorMethods(vm, iterator);
  vm.defineMethod(iterator, '__length_hint__', (vm, args) => {
    const items = heap.getSlot(args[0]!, 1);
    return heap.newInt(items === NULL ? 0 : heap.length(items) - heap.getSlotInt(args[0]!, 2));
  });
  setClasses.set(vm, { frozenset, iterator });
  void lookupMethod;
}

function newSetIterator(vm: VM, set: Ref): Ref {
  const heap = vm.heap;
  const it = heap.newInstance(setClasses.get(vm)!.iterator.instanceType!);
  heap.setSlot(it, 0, set);
  const items = heap.newList(setOrder(vm, set));
  heap.setSlot(it, 1, items);
  heap.decref(items);
  heap.setSlotInt(it, 2, 0);
  heap.setSlotInt(it, 3, heap.length(set));
  return it;
}

/** set.discard, with a set argument looked up as the equal frozenset (as CPython does). */
function discardItem(vm: VM, set: Ref, item: Ref): boolean {
  const heap = vm.heap;
  if (heap.kindOf(item) === Kind.Set) {
    const fs = newFrozenset(vm, membersList(vm, item));
    try {
      return heap.setDiscard(set, fs);
    } finally {
      heap.decref(fs);
    }
  }
  return heap.setDiscard(set, item);
}
