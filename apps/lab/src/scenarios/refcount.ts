/**
 * Reference counting basics: which operations make a reference (a name, a slot in a
 * container, a parameter of a call), how `sys.getrefcount` sees them, and why a small int's
 * count is enormous — and what `is` says about two 257s in a file.
 */
import { fact, type Scenario } from '../scenario.ts';

export const refcount: Scenario = {
  name: 'refcount',
  title: 'Reference counting: names, containers, calls and small ints',
  summary: 'watch one list’s count rise and fall as names, a container and a call refer to it',
  source: 'Barker, “What makes a reference?” and “Playing with References”; Ghimire, “Understanding Reference Counting”',
  drawable: true,
  moral:
    'Every reference is counted the moment it is made and uncounted the moment it goes: binding a name, storing ' +
    'into a container and passing an argument all raise the count; `del`, a dying container and a returning call ' +
    'lower it. Nothing waits for a collector — at zero the object is gone before the next line runs.',
  steps: [
    {
      title: 'one name, and the look that touches',
      code: 'import sys\n\na = []\nprint(sys.getrefcount(a))',
      facts: [
        fact('a.getrefcount', 'sys.getrefcount(a)', { cpython: true }),
        fact('a.id', 'hex(id(a))', { varies: true }),
      ],
      explain: (f) =>
        `One name refers to the list, yet getrefcount says ${f('a.getrefcount')}: handing the list to getrefcount ` +
        `made a second, temporary reference for as long as the call lasted. You cannot look without touching.`,
    },
    {
      title: 'a second name',
      code: 'b = a',
      facts: [fact('after.b', 'sys.getrefcount(a)', { cpython: true })],
      explain: (f) => `A second name for the same list: ${f('after.b')}. Assignment copies the reference, never the list.`,
    },
    {
      title: 'a container slot',
      code: 'l = [1, 2, 3, a]',
      facts: [fact('after.l', 'sys.getrefcount(a)', { cpython: true })],
      explain: (f) => `The fourth slot of l holds a reference too: ${f('after.l')}. Containers count like names do.`,
    },
    {
      title: 'del removes a name',
      code: 'del b',
      facts: [fact('after.del.b', 'sys.getrefcount(a)', { cpython: true })],
      explain: (f) => `del removes the name, not the object; the count drops to ${f('after.del.b')}.`,
    },
    {
      title: 'a dying container lets go of its items',
      code: 'del l',
      facts: [fact('after.del.l', 'sys.getrefcount(a)', { cpython: true })],
      explain: (f) =>
        `l was the only reference to the outer list, so it was freed on the spot — and freeing it released each item ` +
        `it held, a among them: back to ${f('after.del.l')}.`,
    },
    {
      title: 'a parameter is a reference',
      code: 'def test(x):\n    return sys.getrefcount(x)\n\ninside = test(a)',
      facts: [
        fact('in.call', 'inside', { label: 'sys.getrefcount(x) inside test', cpython: true }),
        fact('after.call', 'sys.getrefcount(a)', { label: 'sys.getrefcount(a) after the call', cpython: true }),
      ],
      explain: (f) =>
        `Inside the call the parameter x is one more reference, so the count read ${f('in.call')}: the name a, the ` +
        `parameter, and getrefcount's own argument. (Python 2, which the lecture used, printed 4: its frames held ` +
        `the argument twice. CPython 3.11 prints 3.) When test returned, its frame let go: ${f('after.call')}.`,
    },
    {
      title: 'the count read without touching',
      code: 'import ctypes\n\ntrue_count = ctypes.c_long.from_address(id(a)).value',
      facts: [fact('true.count', 'true_count', { label: 'ctypes.c_long.from_address(id(a)).value', cpython: true })],
      explain: (f) =>
        `Reading the count field through the object's id, without passing the object anywhere, shows the honest ` +
        `number: ${f('true.count')}.`,
    },
    {
      title: 'small ints are shared',
      code: 'x = 3\ny = 3',
      facts: [
        fact('small.int.count', 'sys.getrefcount(x)', { varies: true }),
        fact('small.int.same', 'x is y', { cpython: true }),
      ],
      explain: (f) =>
        `${f('small.int.count')}: every int from −5 to 256 exists once and is shared by the whole interpreter, and ` +
        `CPython 3.11 starts them at a count near a billion so they are never freed. The seed's 428 came from an ` +
        `older interpreter that counted honestly. Both names get the same object: x is y is ${f('small.int.same')}.`,
    },
    {
      title: '257, twice, in one file',
      code: 'x = 257\ny = 257\nprint(x is y)',
      checkPrinted: true,
      facts: [
        fact('big.int.same', 'x is y', { cpython: true }),
        fact('big.int.count', 'sys.getrefcount(x)', { cpython: true }),
        fact('big.int.apart', 'x is int("257")', { cpython: true }),
      ],
      explain: (f) =>
        f.raw('big.int.same') === true
          ? `257 is past the small-int cache, yet x is y is ${f('big.int.same')} here: a file is compiled as one ` +
            'code object, and the compiler keeps one constant for equal literals, so both lines load the very same ' +
            `int. Its count, ${f('big.int.count')}, is x, y and getrefcount's argument, plus what holds the literal ` +
            "while the file runs: the code object's constants and the parsed tree python3 keeps until the module ends. " +
            'Typed at the REPL, each line is compiled on its own and makes its own 257, so there x is y is False — ' +
            `as x is int("257") is ${f('big.int.apart')} here, an int made apart at run time. Identity of ints is ` +
            'never something to rely on; compare them with ==.'
          : `257 is past the cache: each line made its own int object, so x is y is ${f('big.int.same')} and the ` +
            `count is ${f('big.int.count')}.`,
    },
  ],
};
