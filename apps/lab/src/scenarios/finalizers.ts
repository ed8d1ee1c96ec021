/**
 * A cycle whose objects have `__del__`. Before Python 3.4 the collector would
 * not guess an order to finalize them in, so it parked the whole cycle in
 * `gc.garbage`; since PEP 442 it runs each finalizer once and frees the cycle.
 */
import type { HeapType } from '@refheap/core';
import { fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

function defineNode(s: Session): HeapType {
  return s.py.defineClass('Node', {
    finalize: (heap, self) => s.print(`Node ${String(heap.valueOf(heap.getAttr(self, 'value')))} deleted`),
  });
}

function makeCycle(s: Session, Node: HeapType): void {
  const n1 = s.bind('node1', s.py.new(Node, { value: 1, next: null }));
  const n2 = s.bind('node2', s.py.new(Node, { value: 2, next: null }));
  n1.set('next', n2);
  n2.set('next', n1);
  s.drop('node1');
  s.drop('node2');
}

const cycleTs =
  "const Node = py.defineClass('Node', { finalize: (heap, self) => print(`Node ${…value} deleted`) });\n" +
  "const n1 = py.new(Node, { value: 1 }), n2 = py.new(Node, { value: 2 });\n" +
  "n1.set('next', n2); n2.set('next', n1);\nn1.release(); n2.release();";
const cyclePy =
  'class Node:\n    def __init__(self, value):\n        self.value = value\n        self.next = None\n' +
  '    def __del__(self):\n        print(f"Node {self.value} deleted")\n' +
  'node1 = Node(1); node2 = Node(2)\nnode1.next = node2; node2.next = node1\ndel node1, node2';

export const finalizers: Scenario = {
  name: 'finalizers',
  title: 'Finalizers in a cycle: legacy rules, then PEP 442',
  summary: 'a cycle of objects with __del__: parked in gc.garbage before 3.4, finalized and freed since',
  source: 'Barker, “Big issue: classes that define a __del__ method”; the Node example in “The Circular Reference Problem”',
  needs: ['gc'],
  session: { gcEnabled: false, finalizers: 'legacy' },
  drawable: true,
  moral:
    'A finalizer may use the objects it refers to, so in a cycle no order is safe to destroy in. Old CPython ' +
    'refused to choose and leaked the cycle into gc.garbage for you to untangle by hand. PEP 442 (Python 3.4) ' +
    'runs every finalizer first, while all the objects are still intact, then checks nothing was resurrected, then ' +
    'breaks the cycle.',
  steps: () => {
    let Node: HeapType;
    return [
      {
        python: '# Python 2.7 … 3.3\n' + cyclePy + '\nlen(gc.garbage)',
        typescript: "const gc = new Collector(heap, { enabled: false, finalizers: 'legacy' });\n" + cycleTs,
        run: (s) => {
          Node = defineNode(s);
          makeCycle(s, Node);
          return { facts: [fact('legacy.garbage.before', 'len(gc.garbage)', s.heap.length(s.gc.garbage), { cpython: 0 })] };
        },
        explain: () =>
          'No output: the names are gone but each node still holds the other, so no count reached zero and no ' +
          '__del__ ran. gc.garbage is empty because no collection has happened yet.',
      },
      {
        python: 'gc.collect()\nlen(gc.garbage)',
        typescript: 'gc.collect();\nheap.length(gc.garbage);',
        run: (s) => {
          const found = s.gc.collect();
          return {
            facts: [
              fact('legacy.collected', 'gc.collect()', found, { cpython: 2 }),
              fact('legacy.garbage', 'len(gc.garbage)', s.heap.length(s.gc.garbage), { cpython: 2 }),
              fact('legacy.printed', 'lines printed by __del__', s.printed.length, { cpython: 0 }),
            ],
          };
        },
        explain: (f) =>
          `The collector found the ${f('legacy.collected')} nodes unreachable, saw that they have __del__, and ` +
          `gave up on them: they went to gc.garbage (${f('legacy.garbage')} objects), alive, finalizers not run. ` +
          'Uncollectable.',
      },
      {
        python: 'for node in gc.garbage:\n    node.next = None\ndel gc.garbage[:]',
        typescript: "for (const node of garbage) node.set('next', null);\nheap.deleteItem(gc.garbage, …) // until empty",
        run: (s) => {
          const g = s.gc.garbage;
          s.py.scope(() => {
            for (let i = 0; i < s.heap.length(g); i++) s.py.borrow(s.heap.item(g, i)).set('next', null);
          });
          while (s.heap.length(g) > 0) s.heap.deleteItem(g, 0);
          return {
            facts: [
              fact('legacy.freed', 'lines printed by __del__', s.printed.length, { cpython: 2 }),
              fact('legacy.garbage.after', 'len(gc.garbage)', s.heap.length(g), { cpython: 0 }),
            ],
          };
        },
        explain: () =>
          'The manual cure: break each link yourself, then empty gc.garbage. Now ordinary counting frees the nodes ' +
          'and their __del__ runs — in an order you chose, not one the collector had to guess.',
      },
      {
        python: '# Python 3.4 and later\n' + cyclePy.split('\n').slice(6).join('\n') + '\ngc.collect()\nlen(gc.garbage)',
        typescript: "gc.finalizerSemantics = 'pep442';\n" + cycleTs.split('\n').slice(1).join('\n') + '\ngc.collect();',
        run: (s) => {
          s.gc.finalizerSemantics = 'pep442';
          makeCycle(s, Node);
          const found = s.gc.collect();
          return {
            facts: [
              fact('pep442.collected', 'gc.collect()', found, { cpython: 2 }),
              fact('pep442.garbage', 'len(gc.garbage)', s.heap.length(s.gc.garbage), { cpython: 0 }),
              fact('pep442.printed', 'lines printed by __del__', [...s.printed].sort(), {
                cpython: ['Node 1 deleted', 'Node 2 deleted'],
              }),
            ],
          };
        },
        explain: (f) =>
          `Same cycle, modern rules: each __del__ ran once while both nodes were still whole, nothing came back to ` +
          `life, and the cycle was broken and freed. collect() found ${f('pep442.collected')}; gc.garbage stays empty.`,
      },
    ];
  },
};
