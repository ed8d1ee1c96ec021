/**
 * `id()` is an address. Knowing it lets you look at an object you hold no
 * reference to — the seeds' `di` and `ref_by_id` — which is dangerous in
 * CPython because a freed address is soon reused. refheap's `objectAt` does the
 * same lookup but refuses a freed or reused id instead of lying.
 */
import { StaleIdError } from '@refheap/core';
import { fact, type Scenario } from '../scenario.ts';

function lookUp(at: (id: number) => unknown, id: number): string {
  try {
    at(id);
    return 'found';
  } catch (error) {
    return error instanceof StaleIdError ? `StaleIdError (${error.reason})` : String(error);
  }
}

export const ids: Scenario = {
  name: 'ids',
  title: 'Looking an object up by its id',
  summary: 'id() is an address: a lookup by id works while the object lives and is refused after it dies',
  source: 'Barker, “id checks” (di and ref_by_id)',
  needs: [],
  drawable: true,
  moral:
    'An id identifies an object only while that object is alive. CPython gives you no way to tell a live id from a ' +
    'recycled one, which is why di is a bad idea in production; refheap remembers which object an id was handed ' +
    'out for and says so when it has changed hands.',
  steps: () => {
    let first = 0;
    return [
      {
        python: 'obj = [1, 2, 3]\nfirst = id(obj)\nhex(first)\ndi(first) is obj',
        typescript: "const obj = lab.bind('obj', py.list([1, 2, 3]));\nconst first = obj.id;\npy.objectAt(first).is(obj);",
        run: (s) => {
          const obj = s.bind('obj', s.py.list([1, 2, 3]));
          first = obj.id;
          const same = s.py.scope(() => s.py.objectAt(first).is(obj));
          return {
            facts: [
              fact('hex', 'hex(id(obj))', obj.hexId, { varies: true }),
              fact('same', 'di(first) is obj', same, { cpython: true }),
            ],
          };
        },
        explain: () =>
          'The id looks like a memory address — in CPython it is one — and looking it up gives back the very same list.',
      },
      {
        python: 'del obj\ndi(first)',
        typescript: "lab.drop('obj');\nheap.objectAt(first);",
        run: (s) => {
          s.drop('obj');
          return { facts: [fact('after.free', 'di(first)', lookUp((id) => s.heap.objectAt(id), first))] };
        },
        explain: (f) =>
          `The list is gone. CPython's di would read whatever memory is there now; refheap answers ${f('after.free')}.`,
      },
      {
        python: 'other = [4, 5, 6]\ndi(first)\nid(other) == first',
        typescript: "const other = lab.bind('other', py.list([4, 5, 6]));\nheap.objectAt(first);\nother.id === first;",
        run: (s) => {
          const other = s.bind('other', s.py.list([4, 5, 6]));
          const lookup = lookUp((id) => s.heap.objectAt(id), first);
          return {
            facts: [
              fact('after.reuse', 'di(first)', lookup),
              fact('reused', 'id(other) == first', other.id === first),
            ],
          };
        },
        explain: (f) =>
          f.raw('reused') === true
            ? 'The new list landed at the very address the old one had: the same id, a different object. A raw ' +
              `lookup would silently hand you the wrong list; refheap answers ${f('after.reuse')}. (Once you ask ` +
              'id(other), that number is legitimately the new list\'s id.)'
            : `The new list landed elsewhere this time; the old id still answers ${f('after.reuse')}.`,
      },
    ];
  },
};
