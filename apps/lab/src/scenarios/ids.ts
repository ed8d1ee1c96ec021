/**
 * `id()` is an address. While the object lives, the id reaches it — ctypes reads its count
 * field through it — but once it is freed the address is free too, and the next object of the
 * same size is likely to be put there: the same id, a different object.
 */
import { fact, type Scenario } from '../scenario.ts';

export const ids: Scenario = {
  name: 'ids',
  title: 'An id is an address, and addresses are reused',
  summary: 'id() reaches the object while it lives; after del, the next list may get the same id',
  source: 'Barker, “id checks” (di and ref_by_id)',
  drawable: true,
  moral:
    'An id identifies an object only while that object is alive. CPython gives you no way to tell a live id from a ' +
    'recycled one, which is why looking objects up by id (the seeds’ di) is a bad idea in production. (refheap ' +
    'remembers which object an id was handed out for: its ctypes refuses to read a freed one instead of reading ' +
    'whatever is there now.)',
  steps: [
    {
      title: 'an id reaches the live object',
      code: 'import ctypes\n\nobj = [1, 2, 3]\nfirst = id(obj)\ncount_at_first = ctypes.c_long.from_address(first).value',
      facts: [
        fact('hex', 'hex(first)', { varies: true }),
        fact('count', 'count_at_first', { label: 'ctypes.c_long.from_address(first).value', cpython: true }),
      ],
      explain: (f) =>
        `The id looks like a memory address — in CPython it is one — and reading the count field at that address ` +
        `gives ${f('count')}: the name obj, and nothing else.`,
    },
    {
      title: 'freed, and the address handed out again',
      code: 'del obj\nother = [4, 5, 6]\nreused = id(other) == first',
      facts: [fact('reused', 'reused', { label: 'id(other) == first', cpython: true })],
      explain: (f) =>
        f.raw('reused') === true
          ? 'The list is gone, and the new list landed at the very address the old one had: the same id, a ' +
            'different object. A lookup by the old id would now silently hand you the wrong list.'
          : 'The list is gone; this time the new list landed elsewhere. Whether an address is reused is up to the ' +
            'allocator — which is exactly why an old id proves nothing.',
    },
  ],
};
