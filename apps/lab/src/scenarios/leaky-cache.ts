/**
 * The leak every long-running program meets: a class-level list that every instance appends
 * itself to. `del obj` frees nothing; the collector cannot help (the list is reachable);
 * `gc.get_referrers`, followed back step by step, shows who holds it: the list, the class's
 * attribute dict, the class.
 */
import { fact, type Scenario } from '../scenario.ts';

const ALIVE = 'len([o for o in gc.get_objects() if isinstance(o, LeakyContainer)])';

export const leakyCache: Scenario = {
  name: 'leaky-cache',
  title: 'The leaky class-level cache, found with referrers',
  summary: 'del obj frees nothing because LeakyContainer.cache holds it; get_referrers, followed back, says so',
  source: '“Detecting Memory Leaks” (LeakyContainer, gc.get_referrers, find_objects_of_type)',
  drawable: true,
  moral:
    'This is not garbage: the instance is reachable, from the class, so no collector will ever free it. The only ' +
    'cure is to stop holding it — remove it from the cache, or make the cache weak. Referrers answer “who holds ' +
    'this?” one level at a time; followed back, they end at something you recognise.',
  steps: [
    {
      title: 'an instance that its class keeps',
      code:
        'import gc\n\nclass LeakyContainer:\n    cache = []\n\n    def __init__(self, data):\n        self.data = data\n' +
        '        LeakyContainer.cache.append(self)  # never removed\n\nobj = LeakyContainer("test data")\ndel obj',
      facts: [fact('live', ALIVE, { label: 'LeakyContainer objects alive', cpython: true })],
      explain: (f) =>
        `del obj removed a name, but ${f('live')} LeakyContainer is still alive: the class's cache list ` +
        'took a reference in __init__ and nobody ever gives it back.',
    },
    {
      title: 'found among the tracked objects; collecting frees nothing',
      code: 'remaining = [o for o in gc.get_objects() if isinstance(o, LeakyContainer)]\ncollected = gc.collect()',
      facts: [
        fact('remaining', 'len(remaining)', { cpython: true }),
        fact('collected', 'collected', { label: 'gc.collect()', cpython: true }),
        fact('still', ALIVE, { label: 'LeakyContainer objects alive', cpython: true }),
      ],
      explain: (f) =>
        `Scanning everything the collector tracks finds the lost instance. And collecting frees nothing ` +
        `(${f('collected')}): it is not in a cycle, it is simply still referenced.`,
    },
    {
      title: 'who refers to it',
      code: 'referrers = [r for r in gc.get_referrers(remaining[0]) if r is not remaining]',
      facts: [
        fact('referrers', '[type(r).__name__ for r in referrers]', { label: 'types of the referrers', cpython: true }),
        fact('is.cache', 'referrers[0] is LeakyContainer.cache', { cpython: true }),
      ],
      explain: (f) =>
        `Leaving out our own list remaining, the referrers are ${f('referrers')}: one list holding the instance. ` +
        "A list — but whose? get_referrers only looks one step back. (It is the class's cache: " +
        `${f('is.cache')}.)`,
    },
    {
      title: 'followed back to the class',
      code:
        'holders = [r for r in gc.get_referrers(referrers[0]) if isinstance(r, dict)]\n' +
        'owners = [o for d in holders for o in gc.get_referrers(d) if isinstance(o, type)]',
      facts: [
        fact('holders', '[k for d in holders for k, v in d.items() if v is referrers[0]]', {
          label: 'the key a dict holds that list under',
          cpython: true,
        }),
        fact('owners', '[o.__name__ for o in owners]', { label: 'classes owning those dicts', cpython: true }),
      ],
      explain: (f) =>
        `One step further back: the list is held by a dict, under the key ${f('holders').slice(1, -1)}, and that dict belongs to ` +
        `${f('owners')} — the class, which lives as long as the program. The class holds its attribute dict, the ` +
        'dict holds cache, cache holds the instance. There is the leak.',
    },
    {
      title: 'the cure',
      code: 'del remaining, referrers, holders, owners\nLeakyContainer.cache.clear()',
      facts: [fact('after.clear', ALIVE, { label: 'LeakyContainer objects alive', cpython: true })],
      explain: () => 'Emptying the cache drops the last reference and the instance is freed at once, no collector needed.',
    },
  ],
};
