/**
 * Two lists that contain each other: repr notices the loop and prints `[...]`,
 * and after `del` both counts stay at one — counting alone never frees them.
 */
import { fact, type Scenario } from '../scenario.ts';

export const circularLists: Scenario = {
  name: 'circular-lists',
  title: 'Two lists inside each other',
  summary: 'l1 holds l2 and l2 holds l1: the repr that stops itself, and the counts that never reach zero',
  source: 'Barker, “Circular References” (simple_circular.py)',
  needs: ['gc'],
  session: { gcEnabled: false },
  drawable: true,
  moral:
    'A cycle keeps every count in it above zero, so reference counting alone leaks it. repr copes by remembering ' +
    'which containers it is already printing; the collector copes by subtracting the references the cycle holds to ' +
    'itself and seeing that nothing else is left.',
  steps: () => [
    {
      python: 'l1 = [1,] ; l2 = [2,]\nl1.append(l2); l2.append(l1)',
      typescript: "const l1 = lab.bind('l1', py.list([1]));\nconst l2 = lab.bind('l2', py.list([2]));\nl1.append(l2); l2.append(l1);",
      run: (s) => {
        const l1 = s.bind('l1', s.py.list([1]));
        const l2 = s.bind('l2', s.py.list([2]));
        l1.append(l2);
        l2.append(l1);
        return {
          facts: [
            fact('l1.getrefcount', 'sys.getrefcount(l1)', l1.getrefcount(), { cpython: 3 }),
            fact('l2.getrefcount', 'sys.getrefcount(l2)', l2.getrefcount(), { cpython: 3 }),
          ],
        };
      },
      explain: (f) =>
        `Each list is held by its name and by the other list, so getrefcount reads ${f('l1.getrefcount')} for both ` +
        `(two references plus the argument).`,
    },
    {
      python: 'l1\nl2',
      typescript: 'l1.repr();\nl2.repr();',
      run: (s) => ({
        facts: [
          fact('l1.repr', 'l1', s.name('l1').repr(), { cpython: '[1, [2, [...]]]' }),
          fact('l2.repr', 'l2', s.name('l2').repr(), { cpython: '[2, [1, [...]]]' }),
        ],
      }),
      explain: () =>
        'Printing l1 prints l2, which would print l1 again, forever. repr keeps a list of the containers it is in ' +
        'the middle of printing and writes [...] when it meets one of them a second time.',
    },
    {
      python: 'l1[1]\nl2[1][1][1]',
      typescript: 'l1.get(1).repr();\nl2.get(1).get(1).get(1).repr();',
      run: (s) =>
        s.py.scope(() => ({
          facts: [
            fact('l1[1]', 'l1[1]', s.name('l1').get(1).repr(), { cpython: '[2, [1, [...]]]' }),
            fact('l2[1][1][1]', 'l2[1][1][1]', s.name('l2').get(1).get(1).get(1).repr(), { cpython: '[1, [2, [...]]]' }),
            fact('same', 'l2[1][1][1] is l1', s.name('l2').get(1).get(1).get(1).is(s.name('l1')), { cpython: true }),
          ],
        })),
      explain: () =>
        'You can walk around the loop as long as you like: l1[1] is l2, and three steps from l2 you are back at l1 — ' +
        'the very same object, not a copy.',
    },
    {
      python: 'id1, id2 = id(l1), id(l2)\ndel l1, l2',
      typescript: "const id1 = l1.id, id2 = l2.id;\nlab.drop('l1'); lab.drop('l2');",
      run: (s) => {
        const id1 = s.name('l1').id;
        const id2 = s.name('l2').id;
        s.drop('l1');
        s.drop('l2');
        return {
          facts: [
            fact('id1', 'hex(id1)', `0x${id1.toString(16)}`, { varies: true }),
            fact('l1.count.after.del', 'count at id1', s.refcountAt(id1), { cpython: 1 }),
            fact('l2.count.after.del', 'count at id2', s.refcountAt(id2), { cpython: 1 }),
            fact('l1.tracked', 'id1 among gc.get_objects()', s.trackedById(id1), { cpython: true }),
          ],
        };
      },
      explain: (f) =>
        `No name reaches either list any more, yet each count is ${f('l1.count.after.del')}: the other list's slot. ` +
        `Both are still alive, still tracked by the collector, and unreachable from the program — garbage that ` +
        `counting cannot see.`,
    },
    {
      python: 'gc.collect()',
      typescript: 'gc.collect();',
      run: (s) => {
        const found = s.gc.collect();
        return { facts: [fact('collected', 'gc.collect()', found, { cpython: 2 })] };
      },
      explain: (f) =>
        `The collector copied each count, subtracted the references the two lists hold to each other — leaving ` +
        `zero outside references — and freed both: collect returned ${f('collected')}.`,
    },
  ],
};
