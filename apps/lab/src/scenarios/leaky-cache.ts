/**
 * The leak every long-running program meets: a class-level list that every
 * instance appends itself to. `del obj` frees nothing; the collector cannot
 * help (the list is reachable); `gc.get_referrers` and a back-reference chain
 * show who holds it.
 */
import type { HeapType, Ref } from '@refheap/core';
import { ObjGraph } from '@refheap/monitor';
import { fact, type Scenario } from '../scenario.ts';

export const leakyCache: Scenario = {
  name: 'leaky-cache',
  title: 'The leaky class-level cache, found with referrers',
  summary: 'del obj frees nothing because LeakyContainer.cache holds it; get_referrers and a backref chain say so',
  source: '“Detecting Memory Leaks” (LeakyContainer, gc.get_referrers, find_objects_of_type)',
  needs: ['gc', 'monitor'],
  drawable: true,
  moral:
    'This is not garbage: the instance is reachable, from the class, so no collector will ever free it. The only ' +
    'cure is to stop holding it — remove it from the cache, or make the cache weak. Referrers answer “who holds ' +
    'this?” one level at a time; a back-reference chain answers it all the way to something you recognise.',
  steps: () => {
    let Leaky: HeapType;
    let leaked: Ref;
    return [
      {
        python:
          'class LeakyContainer:\n    cache = []\n    def __init__(self, data):\n        self.data = data\n' +
          '        LeakyContainer.cache.append(self)  # never removed\n\nobj = LeakyContainer("test data")\ndel obj',
        typescript:
          "const Leaky = py.defineClass('LeakyContainer');\nheap.setAttr(Leaky.object, 'cache', py.list().ref);\n" +
          "const obj = lab.bind('obj', py.new(Leaky, { data: 'test data' }));\nheap.append(heap.getAttr(Leaky.object, 'cache'), obj.ref);\nlab.drop('obj');",
        run: (s) => {
          Leaky = s.py.defineClass('LeakyContainer');
          s.py.scope(() => s.heap.setAttr(Leaky.object, 'cache', s.py.list().ref));
          const obj = s.bind('obj', s.py.new(Leaky, { data: 'test data' }));
          s.heap.append(s.heap.getAttr(Leaky.object, 'cache'), obj.ref);
          s.drop('obj');
          return { facts: [fact('live', 'LeakyContainer objects alive', s.heap.liveCount(Leaky), { cpython: 1 })] };
        },
        explain: (f) =>
          `del obj removed a name, but ${f('live')} LeakyContainer is still alive: the class's cache list ` +
          'took a reference in __init__ and nobody ever gives it back.',
      },
      {
        python: 'remaining = [o for o in gc.get_objects()\n             if isinstance(o, LeakyContainer)]\nlen(remaining)',
        typescript: 'const remaining = gc.getObjects().filter((o) => heap.typeOf(o) === Leaky);',
        run: (s) => {
          const remaining = s.gc.getObjects().filter((o) => s.heap.typeOf(o) === Leaky);
          leaked = remaining[0]!;
          const found = s.gc.collect();
          return {
            facts: [
              fact('remaining', 'len(remaining)', remaining.length, { cpython: 1 }),
              fact('collected', 'gc.collect()', found, { cpython: 0 }),
              fact('still', 'LeakyContainer objects alive', s.heap.liveCount(Leaky), { cpython: 1 }),
            ],
          };
        },
        explain: (f) =>
          `Scanning everything the collector tracks finds the lost instance. And collecting frees nothing ` +
          `(${f('collected')}): it is not in a cycle, it is simply still referenced.`,
      },
      {
        python: 'referrers = gc.get_referrers(remaining[0])\n[type(r).__name__ for r in referrers]',
        typescript: 'gc.getReferrers(leaked).map((r) => heap.typeOf(r).name);',
        run: (s) => {
          const referrers = s.gc.getReferrers(leaked);
          return {
            facts: [
              fact('referrers', 'types of the referrers', referrers.map((r) => s.heap.typeOf(r).name), { cpython: ['list'] }),
              fact('referrer', 'the referrer', s.heap.repr(referrers[0]!).replace(/0x[0-9a-f]+/g, '0x…')),
            ],
          };
        },
        explain: () =>
          'One referrer: a list holding the instance. A list — but whose? get_referrers only looks one step back.',
      },
      {
        python: 'objgraph.find_backref_chain(remaining[0], ...)',
        typescript: 'new ObjGraph(heap).findBackrefChain(leaked).map((r) => heap.typeOf(r).name);',
        run: (s) => {
          const chain = new ObjGraph(s.heap).findBackrefChain(leaked);
          const names = chain.map((r) => {
            const type = s.heap.typeOf(r);
            return type.kind === 10 ? s.heap.describe(r) : type.name;
          });
          return { facts: [fact('chain', 'back-reference chain', names)] };
        },
        explain: (f) =>
          `Walking back until something is held from outside the heap: ${f('chain')}. The class holds its ` +
          'attribute dict, the dict holds cache, cache holds the instance. There is the leak.',
      },
      {
        python: 'LeakyContainer.cache.clear()',
        typescript: "const cache = heap.getAttr(Leaky.object, 'cache');\nwhile (heap.length(cache) > 0) heap.deleteItem(cache, 0);",
        run: (s) => {
          const cache = s.heap.getAttr(Leaky.object, 'cache');
          while (s.heap.length(cache) > 0) s.heap.deleteItem(cache, 0);
          return { facts: [fact('after.clear', 'LeakyContainer objects alive', s.heap.liveCount(Leaky), { cpython: 0 })] };
        },
        explain: () => 'Emptying the cache drops the last reference and the instance is freed at once, no collector needed.',
      },
    ];
  },
};
