/**
 * The weak cache: objects that are costly to build are made on a miss, handed out again on a
 * hit (the very same object), and held only weakly, so the cache never decides how long they
 * live. When the last user lets go, the entry goes with the object and the next request is a
 * miss again.
 */
import { fact, type FactSpec, type Scenario } from '../scenario.ts';

/** The cache's counters after a step, each checked against CPython. */
const counters = (prefix: string): FactSpec[] => [
  fact(`${prefix}.hits`, 'cache.hits', { cpython: true }),
  fact(`${prefix}.misses`, 'cache.misses', { cpython: true }),
  fact(`${prefix}.evictions`, 'cache.evictions', { cpython: true }),
  fact(`${prefix}.size`, 'len(cache._data)', { cpython: true }),
];

export const weakCache: Scenario = {
  name: 'weak-cache',
  title: 'A cache that hands out the same object but never keeps it alive',
  summary: 'a miss creates, a hit returns the same object (obj1 is obj2); dropping the last user evicts the entry',
  source: 'the weak cache exercise (WeakValueDictionary for large objects that are expensive to create)',
  drawable: true,
  moral:
    'A cache built on ordinary references decides how long its objects live: everything it ever made stays until ' +
    'someone clears it. A weak cache only remembers where an object is while somebody else is using it. It still ' +
    'saves the work of rebuilding while the object is in use, and sharing is guaranteed (one object per key, not ' +
    'two copies), but the moment the users are gone, so is the entry — the cache costs no memory of its own.',
  steps: [
    {
      title: 'a cache on a WeakValueDictionary',
      code:
        'import gc\nimport sys\nimport weakref\n\nclass Expensive:\n    def __init__(self, key):\n        self.key = key\n\n' +
        'class WeakCache:\n    def __init__(self):\n        self._data = weakref.WeakValueDictionary()\n' +
        '        self.hits = self.misses = self.evictions = 0\n\n' +
        '    def get(self, key, create):\n        obj = self._data.get(key)\n        if obj is not None:\n' +
        '            self.hits += 1\n            return obj\n        self.misses += 1\n        obj = create(key)\n' +
        '        self._data[key] = obj\n        weakref.finalize(obj, self._evicted)\n        return obj\n\n' +
        '    def _evicted(self):\n        self.evictions += 1\n\ncache = WeakCache()',
      facts: counters('start'),
      explain: () =>
        'The cache keeps its objects in a weak-value map: it can find an object by key while the object lives, ' +
        'but holds no reference that would keep it alive. The counters start at zero.',
    },
    {
      title: 'a miss',
      code: 'obj1 = cache.get("key1", Expensive)',
      facts: [...counters('first'), fact('obj1.getrefcount', 'sys.getrefcount(obj1)', { cpython: true })],
      explain: (f) =>
        `Nothing was cached under key1, so this is a miss (misses ${f('first.misses')}): the object is created, ` +
        `remembered and returned. Its count says who holds it: ${f('obj1.getrefcount')}, the name obj1 and ` +
        "getrefcount's own argument. The cache's entry adds nothing.",
    },
    {
      title: 'a hit: the same object',
      code: 'obj2 = cache.get("key1", Expensive)',
      facts: [
        fact('same', 'obj1 is obj2', { cpython: true }),
        ...counters('second'),
        fact('obj1.getrefcount.shared', 'sys.getrefcount(obj1)', { cpython: true }),
      ],
      explain: (f) =>
        `This time the key is found alive: a hit (hits ${f('second.hits')}), and the answer is the same object, ` +
        `not a copy — obj1 is obj2 is ${f('same')}. Two names now share it, so the count reads ` +
        `${f('obj1.getrefcount.shared')}; still nothing from the cache.`,
    },
    {
      title: 'one user lets go',
      code: 'del obj1',
      facts: [fact('cached.after.del.obj1', '"key1" in cache._data', { cpython: true }), ...counters('after.obj1')],
      explain: () =>
        'One user let go, but obj2 still holds the object, so it lives — and while it lives, the cache can ' +
        'still find it.',
    },
    {
      title: 'the last user lets go',
      code: 'del obj2',
      facts: [
        fact('cached.after.del.obj2', '"key1" in cache._data', { cpython: true }),
        ...counters('after.obj2'),
        fact('alive', 'len([o for o in gc.get_objects() if isinstance(o, Expensive)])', {
          label: 'Expensive objects alive',
          cpython: true,
        }),
      ],
      explain: (f) =>
        `The last user is gone. The cache's reference was weak, so the count reached zero and the object was ` +
        `freed on the spot (${f('alive')} left); its weak reference was cleared as it died and the entry went ` +
        `with it: evictions ${f('after.obj2.evictions')}, size ${f('after.obj2.size')}.`,
    },
    {
      title: 'asked again: a miss',
      code: 'obj3 = cache.get("key1", Expensive)\nprint(cache.hits, cache.misses, cache.evictions)',
      checkPrinted: true,
      facts: counters('final'),
      explain: (f) =>
        `Asking again is a miss (misses ${f('final.misses')}): the object has to be built anew. In all: ` +
        `${f('final.hits')} hit, ${f('final.misses')} misses, ${f('final.evictions')} eviction.`,
    },
  ],
};
