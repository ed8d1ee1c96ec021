/**
 * Reference counting basics: which operations make a reference (a name, a slot
 * in a container, a parameter of a call), how `sys.getrefcount` sees them, and
 * why a small int's count is enormous.
 */
import { fact, type Scenario } from '../scenario.ts';

export const refcount: Scenario = {
  name: 'refcount',
  title: 'Reference counting: names, containers, calls and small ints',
  summary: 'watch one list’s count rise and fall as names, a container and a call refer to it',
  source: 'Barker, “What makes a reference?” and “Playing with References”; Ghimire, “Understanding Reference Counting”',
  needs: [],
  drawable: true,
  moral:
    'Every reference is counted the moment it is made and uncounted the moment it goes: binding a name, storing ' +
    'into a container and passing an argument all raise the count; `del`, a dying container and a returning call ' +
    'lower it. Nothing waits for a collector — at zero the object is gone before the next line runs.',
  steps: () => [
    {
      python: 'a = []\nsys.getrefcount(a)',
      typescript: "const a = lab.bind('a', py.list());\npy.getrefcount(a);",
      run: (s) => {
        const a = s.bind('a', s.py.list());
        return {
          facts: [
            fact('a.getrefcount', 'sys.getrefcount(a)', a.getrefcount(), { cpython: 2 }),
            fact('a.refcount', 'true count of a', a.refcount),
            fact('a.id', 'hex(id(a))', a.hexId, { varies: true }),
          ],
        };
      },
      explain: (f) =>
        `One name refers to the list, yet getrefcount says ${f('a.getrefcount')}: handing the list to getrefcount ` +
        `made a second, temporary reference for as long as the call lasted. You cannot look without touching.`,
    },
    {
      python: 'b = a\nsys.getrefcount(a)',
      typescript: "lab.bind('b', a.dup());\npy.getrefcount(a);",
      run: (s) => {
        s.bind('b', s.name('a').dup());
        return { facts: [fact('after.b', 'sys.getrefcount(a)', s.name('a').getrefcount(), { cpython: 3 })] };
      },
      explain: (f) => `A second name for the same list: ${f('after.b')}. Assignment copies the reference, never the list.`,
    },
    {
      python: 'l = [1, 2, 3, a]\nsys.getrefcount(a)',
      typescript: "lab.bind('l', py.list([1, 2, 3, a]));\npy.getrefcount(a);",
      run: (s) => {
        s.bind('l', s.py.list([1, 2, 3, s.name('a')]));
        return { facts: [fact('after.l', 'sys.getrefcount(a)', s.name('a').getrefcount(), { cpython: 4 })] };
      },
      explain: (f) => `The fourth slot of l holds a reference too: ${f('after.l')}. Containers count like names do.`,
    },
    {
      python: 'del b\nsys.getrefcount(a)',
      typescript: "lab.drop('b');\npy.getrefcount(a);",
      run: (s) => {
        s.drop('b');
        return { facts: [fact('after.del.b', 'sys.getrefcount(a)', s.name('a').getrefcount(), { cpython: 3 })] };
      },
      explain: (f) => `del removes the name, not the object; the count drops to ${f('after.del.b')}.`,
    },
    {
      python: 'del l\nsys.getrefcount(a)',
      typescript: "lab.drop('l');\npy.getrefcount(a);",
      run: (s) => {
        s.drop('l');
        return { facts: [fact('after.del.l', 'sys.getrefcount(a)', s.name('a').getrefcount(), { cpython: 2 })] };
      },
      explain: (f) =>
        `l was the only reference to the outer list, so it was freed on the spot — and freeing it released each item ` +
        `it held, a among them: back to ${f('after.del.l')}.`,
    },
    {
      python: 'def test(x):\n    return sys.getrefcount(x)\ntest(a)\nsys.getrefcount(a)',
      typescript: "py.call((x) => py.getrefcount(x), a);\npy.getrefcount(a);",
      run: (s) => {
        const inside = s.py.call((x) => s.py.getrefcount(x), s.name('a'));
        return {
          facts: [
            fact('in.call', 'sys.getrefcount(x) inside test', inside, { cpython: 3 }),
            fact('after.call', 'sys.getrefcount(a) after the call', s.name('a').getrefcount(), { cpython: 2 }),
          ],
        };
      },
      explain: (f) =>
        `Inside the call the parameter x is one more reference, so the count reads ${f('in.call')}: the name a, the ` +
        `parameter, and getrefcount's own argument. (Python 2, which the lecture used, printed 4: its frames held ` +
        `the argument twice. CPython 3.11 prints 3.) When test returns, its frame lets go: ${f('after.call')}.`,
    },
    {
      python: 'import ctypes\nctypes.c_long.from_address(id(a)).value',
      typescript: 'heap.refcount(heap.objectAt(a.id));',
      run: (s) => {
        const id = s.name('a').id;
        return { facts: [fact('true.count', 'count read at id(a)', s.refcountAt(id), { cpython: 1 })] };
      },
      explain: (f) =>
        `Reading the count field through the object's id, without passing the object anywhere, shows the honest ` +
        `number: ${f('true.count')}. refheap's objectAt is the safe version of that trick — it refuses a freed id.`,
    },
    {
      python: 'x = 3\nsys.getrefcount(x)\ny = 3\nx is y',
      typescript: "lab.bind('x', py.int(3));\npy.getrefcount(x);\nlab.bind('y', py.int(3));\nx.is(y);",
      run: (s) => {
        const x = s.bind('x', s.py.int(3));
        const count = x.getrefcount();
        const y = s.bind('y', s.py.int(3));
        return {
          facts: [
            fact('small.int.count', 'sys.getrefcount(3)', count, { varies: true }),
            fact('small.int.same', 'x is y', x.is(y), { cpython: true }),
          ],
        };
      },
      explain: (f) =>
        `${f('small.int.count')}: every int from −5 to 256 exists once and is shared by the whole interpreter, and ` +
        `CPython 3.11 starts them at a count near a billion (it printed 1000000102 here) so they are never freed. ` +
        `The seed's 428 came from an older interpreter that counted honestly. Both names get the same object: x is y.`,
    },
    {
      python: 'x = 257\ny = 257\nx is y',
      typescript: "lab.bind('x', py.int(257));\nlab.bind('y', py.int(257));\nx.is(y);",
      run: (s) => {
        const x = s.bind('x', s.py.int(257));
        const y = s.bind('y', s.py.int(257));
        return {
          facts: [
            fact('big.int.same', 'x is y', x.is(y), { cpython: false }),
            fact('big.int.count', 'sys.getrefcount(x)', x.getrefcount(), { cpython: 2 }),
          ],
        };
      },
      explain: (f) =>
        `257 is past the cache: each line made its own int object, so x is y is ${f('big.int.same')} and each ` +
        `count is an ordinary ${f('big.int.count')}.`,
    },
  ],
};
