/**
 * Two lists that contain each other: repr notices the loop and prints `[...]`, and after `del`
 * both counts stay at one — counting alone never frees them.
 */
import { fact, type Scenario } from '../scenario.ts';

export const circularLists: Scenario = {
  name: 'circular-lists',
  title: 'Two lists inside each other',
  summary: 'l1 holds l2 and l2 holds l1: the repr that stops itself, and the counts that never reach zero',
  source: 'Barker, “Circular References” (simple_circular.py)',
  drawable: true,
  moral:
    'A cycle keeps every count in it above zero, so reference counting alone leaks it. repr copes by remembering ' +
    'which containers it is already printing; the collector copes by subtracting the references the cycle holds to ' +
    'itself and seeing that nothing else is left.',
  steps: [
    {
      title: 'each list inside the other',
      code: 'import gc\nimport sys\nimport ctypes\n\ngc.disable()\nl1 = [1,] ; l2 = [2,]\nl1.append(l2); l2.append(l1)',
      facts: [
        fact('l1.getrefcount', 'sys.getrefcount(l1)', { cpython: true }),
        fact('l2.getrefcount', 'sys.getrefcount(l2)', { cpython: true }),
      ],
      explain: (f) =>
        `Each list is held by its name and by the other list, so getrefcount reads ${f('l1.getrefcount')} for both ` +
        `(two references plus the argument). The collector is switched off so we can watch the leak.`,
    },
    {
      title: 'the repr that stops itself',
      code: 'print(l1)\nprint(l2)',
      checkPrinted: true,
      facts: [fact('l1.repr', 'repr(l1)', { cpython: true }), fact('l2.repr', 'repr(l2)', { cpython: true })],
      explain: () =>
        'Printing l1 prints l2, which would print l1 again, forever. repr keeps a list of the containers it is in ' +
        'the middle of printing and writes [...] when it meets one of them a second time.',
    },
    {
      title: 'walking around the loop',
      code: 'print(l1[1])\nprint(l2[1][1][1])',
      facts: [fact('same', 'l2[1][1][1] is l1', { cpython: true })],
      explain: (f) =>
        'You can walk around the loop as long as you like: l1[1] is l2, and three steps from l2 you are back at l1 — ' +
        `the very same object, not a copy (l2[1][1][1] is l1: ${f('same')}).`,
    },
    {
      title: 'no names left, counts still one',
      code:
        'id1, id2 = id(l1), id(l2)\ndel l1, l2\ncount1 = ctypes.c_long.from_address(id1).value\n' +
        'count2 = ctypes.c_long.from_address(id2).value\ntracked = id1 in [id(o) for o in gc.get_objects()]',
      facts: [
        fact('id1', 'hex(id1)', { varies: true }),
        fact('l1.count.after.del', 'count1', { label: 'count at id1', cpython: true }),
        fact('l2.count.after.del', 'count2', { label: 'count at id2', cpython: true }),
        fact('l1.tracked', 'tracked', { label: 'id1 among gc.get_objects()', cpython: true }),
      ],
      explain: (f) =>
        `No name reaches either list any more, yet each count is ${f('l1.count.after.del')}: the other list's slot. ` +
        `Both are still alive, still tracked by the collector, and unreachable from the program — garbage that ` +
        `counting cannot see.`,
    },
    {
      title: 'the collector finds them',
      code: 'collected = gc.collect()\nprint(collected)',
      facts: [fact('collected', 'collected', { label: 'gc.collect()', cpython: true })],
      explain: (f) =>
        `The collector copied each count, subtracted the references the two lists hold to each other — leaving ` +
        `zero outside references — and freed both: collect returned ${f('collected')}.`,
    },
  ],
};
