/**
 * The weak cache: objects that are costly to build are made on a miss, handed
 * out again on a hit (the very same object), and held only weakly, so the cache
 * never decides how long they live. When the last user lets go, the entry goes
 * with the object and the next request is a miss again.
 */
import type { HeapType } from '@refheap/core';
import { WeakCache } from '@refheap/weakref';
import { fact, type Scenario } from '../scenario.ts';

const PY_CACHE =
  'import weakref\n\nclass Expensive:\n    def __init__(self, key):\n        self.key = key\n\n' +
  'class WeakCache:\n    def __init__(self):\n        self._data = weakref.WeakValueDictionary()\n' +
  '        self.hits = self.misses = self.evictions = 0\n' +
  '    def get(self, key, create):\n        obj = self._data.get(key)\n        if obj is not None:\n' +
  '            self.hits += 1\n            return obj\n        self.misses += 1\n        obj = create(key)\n' +
  '        self._data[key] = obj\n        weakref.finalize(obj, self._evicted)\n        return obj\n' +
  '    def _evicted(self):\n        self.evictions += 1\n\ncache = WeakCache()';

export const weakCache: Scenario = {
  name: 'weak-cache',
  title: 'A cache that hands out the same object but never keeps it alive',
  summary: 'a miss creates, a hit returns the same object (obj1 is obj2); dropping the last user evicts the entry',
  source: 'the weak cache exercise (WeakValueDictionary for large objects that are expensive to create)',
  needs: ['weakref'],
  drawable: true,
  moral:
    'A cache built on ordinary references decides how long its objects live: everything it ever made stays until ' +
    'someone clears it. A weak cache only remembers where an object is while somebody else is using it. It still ' +
    'saves the work of rebuilding while the object is in use, and sharing is guaranteed (one object per key, not ' +
    'two copies), but the moment the users are gone, so is the entry — the cache costs no memory of its own.',
  steps: () => {
    let Expensive: HeapType;
    let cache: WeakCache<string>;
    /** The counters, each with the number CPython 3.11 prints at the same point: [hits, misses, evictions, size]. */
    const stats = (prefix: string, cpython: readonly [number, number, number, number]) => {
      const { hits, misses, evictions, size } = cache.stats;
      return [
        fact(`${prefix}.hits`, 'cache.hits', hits, { cpython: cpython[0] }),
        fact(`${prefix}.misses`, 'cache.misses', misses, { cpython: cpython[1] }),
        fact(`${prefix}.evictions`, 'cache.evictions', evictions, { cpython: cpython[2] }),
        fact(`${prefix}.size`, 'len(cache._data)', size, { cpython: cpython[3] }),
      ];
    };
    return [
      {
        python: PY_CACHE,
        typescript:
          "const Expensive = py.defineClass('Expensive');\nconst cache = new WeakCache<string>(heap);\n" +
          "const expensive = (key: string) => py.new(Expensive, { key });",
        run: (s) => {
          Expensive = s.py.defineClass('Expensive');
          cache = new WeakCache<string>(s.heap);
          s.onClose(() => cache.clear());
          return { facts: stats('start', [0, 0, 0, 0]) };
        },
        explain: () =>
          'The cache keeps its objects in a weak-value map: it can find an object by key while the object lives, ' +
          'but holds no reference that would keep it alive. The counters start at zero.',
      },
      {
        python: 'obj1 = cache.get("key1", Expensive)\nsys.getrefcount(obj1)',
        typescript: "const obj1 = lab.bind('obj1', cache.get('key1', expensive));\nobj1.getrefcount();",
        run: (s) => {
          const obj1 = s.bind('obj1', cache.get('key1', (key) => s.py.new(Expensive, { key })));
          return {
            facts: [
              ...stats('first', [0, 1, 0, 1]),
              fact('obj1.getrefcount', 'sys.getrefcount(obj1)', obj1.getrefcount(), { cpython: 2 }),
            ],
          };
        },
        explain: (f) =>
          `Nothing was cached under key1, so this is a miss (misses ${f('first.misses')}): the object is created, ` +
          `remembered and returned. Its count says who holds it: ${f('obj1.getrefcount')}, the name obj1 and ` +
          "getrefcount's own argument. The cache's entry adds nothing.",
      },
      {
        python: 'obj2 = cache.get("key1", Expensive)\nobj1 is obj2\nsys.getrefcount(obj1)',
        typescript:
          "const obj2 = lab.bind('obj2', cache.get('key1', expensive));\nobj1.is(obj2);\nobj1.getrefcount();",
        run: (s) => {
          const obj2 = s.bind('obj2', cache.get('key1', (key) => s.py.new(Expensive, { key })));
          return {
            facts: [
              fact('same', 'obj1 is obj2', s.name('obj1').is(obj2), { cpython: true }),
              ...stats('second', [1, 1, 0, 1]),
              fact('obj1.getrefcount.shared', 'sys.getrefcount(obj1)', s.name('obj1').getrefcount(), { cpython: 3 }),
            ],
          };
        },
        explain: (f) =>
          `This time the key is found alive: a hit (hits ${f('second.hits')}), and the answer is the same object, ` +
          `not a copy — obj1 is obj2 is ${f('same')}. Two names now share it, so the count reads ` +
          `${f('obj1.getrefcount.shared')}; still nothing from the cache.`,
      },
      {
        python: 'del obj1\n"key1" in cache._data',
        typescript: "lab.drop('obj1');\ncache.has('key1');",
        run: (s) => {
          s.drop('obj1');
          return {
            facts: [
              fact('cached.after.del.obj1', '"key1" in cache._data', cache.has('key1'), { cpython: true }),
              ...stats('after.obj1', [1, 1, 0, 1]),
            ],
          };
        },
        explain: () =>
          'One user let go, but obj2 still holds the object, so it lives — and while it lives, the cache can ' +
          'still find it.',
      },
      {
        python: 'del obj2\n"key1" in cache._data\ncache.evictions',
        typescript: "lab.drop('obj2');\ncache.has('key1');\ncache.stats.evictions;",
        run: (s) => {
          s.drop('obj2');
          return {
            facts: [
              fact('cached.after.del.obj2', '"key1" in cache._data', cache.has('key1'), { cpython: false }),
              ...stats('after.obj2', [1, 1, 1, 0]),
              fact('alive', 'Expensive objects alive', s.heap.liveCount(Expensive), { cpython: 0 }),
            ],
          };
        },
        explain: (f) =>
          `The last user is gone. The cache's reference was weak, so the count reached zero and the object was ` +
          `freed on the spot (${f('alive')} left); its weak reference was cleared as it died and the entry went ` +
          `with it: evictions ${f('after.obj2.evictions')}, size ${f('after.obj2.size')}.`,
      },
      {
        python: 'obj3 = cache.get("key1", Expensive)\ncache.hits, cache.misses, cache.evictions',
        typescript: "const obj3 = lab.bind('obj3', cache.get('key1', expensive));\ncache.stats;",
        run: (s) => {
          s.bind('obj3', cache.get('key1', (key) => s.py.new(Expensive, { key })));
          return { facts: stats('final', [1, 2, 1, 1]) };
        },
        explain: (f) =>
          `Asking again is a miss (misses ${f('final.misses')}): the object has to be built anew. In all: ` +
          `${f('final.hits')} hit, ${f('final.misses')} misses, ${f('final.evictions')} eviction.`,
      },
    ];
  },
};
