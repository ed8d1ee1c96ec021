// A cache entry shared by many owners: made once, handed to each owner as its own
// reference, and evicted the moment the last owner lets go (the cache itself owns nothing).
import { type Handle, Handles, Heap, type Ref } from '@refheap/core';

const heap = new Heap();
const py = new Handles(heap);

/** key → the entry's object, borrowed: the cache holds no reference of its own. */
const cache = new Map<string, Ref>();
let loads = 0;

const Entry = py.defineClass('Entry', {
  slots: [{ name: 'key', kind: 'js' }, 'data'],
  // The last owner let go: forget the entry (its data is released with it).
  finalize: (h, self) => void cache.delete(h.getSlotValue(self, 0) as string),
});

function lookup(key: string): Handle {
  const cached = cache.get(key);
  if (cached !== undefined) return py.borrow(cached); // a new reference for this owner
  loads++;
  const entry = py.scope(() => py.new(Entry, { key, data: py.adopt(heap.newBytes(`contents of ${key}`, 'utf-8')) }));
  cache.set(key, entry.ref);
  return entry;
}

const first = lookup('config');
const second = lookup('config');
const third = lookup('config');
console.log('loads for three owners:', loads); // 1
console.log('same object:', first.is(second) && second.is(third)); // true
first.release();
second.release();
console.log('cached while one owner is left:', cache.has('config')); // true
third.release();
console.log('cached after the last owner let go:', cache.has('config')); // false
lookup('config').release();
console.log('loads after it was evicted and asked for again:', loads); // 2
