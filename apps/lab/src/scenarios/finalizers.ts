/**
 * A cycle whose objects have `__del__`. Before Python 3.4 the collector would not guess an
 * order to finalize them in and parked the whole cycle in `gc.garbage`; since PEP 442 it runs
 * each finalizer once, while the objects are intact, and frees the cycle. `gc.DEBUG_SAVEALL`
 * still parks what it finds in gc.garbage, so the manual cure of old can be tried for real.
 */
import { fact, type Scenario } from '../scenario.ts';

export const finalizers: Scenario = {
  name: 'finalizers',
  title: 'Finalizers in a cycle: PEP 442, and gc.garbage',
  summary: 'a cycle of objects with __del__ is finalized and freed; with DEBUG_SAVEALL it waits in gc.garbage',
  source: 'Barker, “Big issue: classes that define a __del__ method”; the Node example in “The Circular Reference Problem”',
  drawable: true,
  moral:
    'A finalizer may use the objects it refers to, so in a cycle no order is safe to destroy in. Python before 3.4 ' +
    'refused to choose and leaked such a cycle into gc.garbage for you to untangle by hand. PEP 442 (Python 3.4) ' +
    'runs every finalizer first, while all the objects are still intact, then checks nothing was resurrected, then ' +
    'breaks the cycle. gc.garbage survives as a debugging aid: DEBUG_SAVEALL parks everything a collection finds.',
  steps: [
    {
      title: 'two nodes in a cycle, names gone',
      code:
        'import gc\n\ngc.disable()\n\nclass Node:\n    def __init__(self, value):\n        self.value = value\n' +
        '        self.next = None\n\n    def __del__(self):\n        print(f"Node {self.value} deleted")\n\n' +
        'node1 = Node(1); node2 = Node(2)\nnode1.next = node2; node2.next = node1\ndel node1, node2',
      checkPrinted: true,
      facts: [fact('garbage.before', 'len(gc.garbage)', { cpython: true })],
      explain: () =>
        'No output: the names are gone but each node still holds the other, so no count reached zero and no ' +
        '__del__ ran. gc.garbage is empty because no collection has happened yet.',
    },
    {
      title: 'PEP 442: finalized, then freed',
      code: 'collected = gc.collect()',
      checkPrinted: true,
      facts: [
        fact('collected', 'collected', { label: 'gc.collect()', cpython: true }),
        fact('garbage', 'len(gc.garbage)', { cpython: true }),
      ],
      explain: (f) =>
        `Each __del__ ran once while both nodes were still whole, nothing came back to life, and the cycle was ` +
        `broken and freed: collect() found ${f('collected')} objects, the two nodes; ` +
        `gc.garbage stays at ${f('garbage')}. Before Python 3.4 this very collection would have printed nothing ` +
        'and parked both nodes in gc.garbage, uncollectable.',
    },
    {
      title: 'DEBUG_SAVEALL: the cycle parked in gc.garbage',
      code:
        'gc.set_debug(gc.DEBUG_SAVEALL)\nnode1 = Node(3); node2 = Node(4)\nnode1.next = node2; node2.next = node1\n' +
        'del node1, node2\ncollected = gc.collect()\ngc.set_debug(0)',
      checkPrinted: true,
      facts: [
        fact('saved.collected', 'collected', { label: 'gc.collect()', cpython: true }),
        fact('saved.nodes', 'len([o for o in gc.garbage if isinstance(o, Node)])', { label: 'Nodes in gc.garbage', cpython: true }),
      ],
      explain: (f) =>
        `With DEBUG_SAVEALL the collector still finds the cycle (${f('saved.collected')} objects) and, under PEP 442, ` +
        `still runs the finalizers — but instead of freeing what it found it appends it to gc.garbage: ` +
        `${f('saved.nodes')} Nodes wait there, alive, as the old collector left every cycle with __del__.`,
    },
    {
      title: 'the manual cure',
      code: 'for obj in gc.garbage:\n    if isinstance(obj, Node):\n        obj.next = None\ndel obj\ngc.garbage.clear()',
      checkPrinted: true,
      facts: [
        fact('garbage.after', 'len(gc.garbage)', { cpython: true }),
        fact('nodes.after', 'len([o for o in gc.get_objects() if isinstance(o, Node)])', { label: 'Nodes alive', cpython: true }),
      ],
      explain: (f) =>
        'The cure of old: break each link yourself, then empty gc.garbage. Ordinary counting frees the nodes ' +
        `(${f('nodes.after')} left) — and their __del__ does not run again: PEP 442 runs a finalizer once per object.`,
    },
  ],
};
