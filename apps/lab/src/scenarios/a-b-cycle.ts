/**
 * The A↔B classes: an A makes a B that points back at it. With the collector switched off the
 * pair outlives every name, counts 1 and 1, still listed by `gc.get_objects()`; one
 * `gc.collect()` finds both.
 */
import { fact, type Scenario } from '../scenario.ts';

export const abCycle: Scenario = {
  name: 'a-b-cycle',
  title: 'A and B hold each other, with the collector switched off',
  summary: 'counts 2 and 1, then 1 and 1 after my_var = None; collect() finds the pair',
  source: 'Ghimire, “Creating Classes with Circular References” and “The Role of Garbage Collection”',
  drawable: true,
  moral:
    'Unreachable is not the same as unreferenced. The pair was unreachable from the moment my_var let go, but ' +
    'each still had a reference — from the other. Automatic collection is on by default and would have found them ' +
    'on its own after enough allocations; the program switched it off only to watch the leak happen.',
  steps: [
    {
      title: 'the collector switched off',
      code: 'import ctypes\nimport gc\n\ngc.disable()',
      facts: [fact('enabled', 'gc.isenabled()', { cpython: true })],
      explain: () => 'The collector is switched off, so only reference counting is at work. (A fresh interpreter says True.)',
    },
    {
      title: 'an A that makes a B pointing back',
      code:
        'class A:\n    def __init__(self):\n        self.b = B(self)\n        print(f"A: {hex(id(self))}, b: {hex(id(self.b))}")\n\n' +
        'class B:\n    def __init__(self, obj):\n        self.a = obj\n        print(f"B: {hex(id(self))}, a: {hex(id(self.a))}")\n\n' +
        'def get_ref_count(address):\n    return ctypes.c_long.from_address(address).value\n\n' +
        'def get_object_status_by_id(object_id):\n    for obj in gc.get_objects():\n        if id(obj) == object_id:\n            return True\n    return False\n\n' +
        'my_var = A()',
      facts: [fact('b.is', 'my_var.b.a is my_var', { cpython: true })],
      explain: () =>
        "B's line prints first: B.__init__ runs to the end inside A.__init__ before A stores the result. " +
        'Now A → B through b and B → A through a: a loop.',
    },
    {
      title: 'who holds whom',
      code: 'id_a = id(my_var); id_b = id(my_var.b)\ncount_a = get_ref_count(id_a)\ncount_b = get_ref_count(id_b)',
      facts: [
        fact('count.a', 'count_a', { label: 'get_ref_count(id_a)', cpython: true }),
        fact('count.b', 'count_b', { label: 'get_ref_count(id_b)', cpython: true }),
      ],
      explain: (f) =>
        `A is held by the name my_var and by B's attribute a: ${f('count.a')}. B is held only by A's attribute b: ` +
        `${f('count.b')}. (The article's comment says 2 for B; its own explanation, and CPython, say 1.)`,
    },
    {
      title: 'the last name lets go',
      code: 'my_var = None\ncount_a = get_ref_count(id_a)\ncount_b = get_ref_count(id_b)',
      facts: [
        fact('count.a.after', 'count_a', { label: 'get_ref_count(id_a)', cpython: true }),
        fact('count.b.after', 'count_b', { label: 'get_ref_count(id_b)', cpython: true }),
      ],
      explain: (f) =>
        `Rebinding my_var dropped one reference to A. What remains is the loop: ${f('count.a.after')} and ` +
        `${f('count.b.after')}, each object kept alive only by the other. Nothing in the program can reach them.`,
    },
    {
      title: 'still there',
      code: 'a_exists = get_object_status_by_id(id_a)\nb_exists = get_object_status_by_id(id_b)',
      facts: [
        fact('exists.a', 'a_exists', { label: 'id_a among gc.get_objects()', cpython: true }),
        fact('exists.b', 'b_exists', { label: 'id_b among gc.get_objects()', cpython: true }),
      ],
      explain: () => 'Both are still in memory, still on the collector’s lists: a leak, as long as nobody collects.',
    },
    {
      title: 'one collection',
      code: 'collected = gc.collect()\na_exists = get_object_status_by_id(id_a)\nb_exists = get_object_status_by_id(id_b)',
      facts: [
        fact('collected', 'collected', { label: 'gc.collect()', cpython: true }),
        fact('exists.a.after', 'a_exists', { label: 'id_a among gc.get_objects()', cpython: true }),
        fact('exists.b.after', 'b_exists', { label: 'id_b among gc.get_objects()', cpython: true }),
      ],
      explain: (f) =>
        `The collector took each tracked object's count, subtracted every reference coming from another tracked ` +
        `object, and found A and B with nothing left over: no outside holder. It cleared their attributes, which ` +
        `broke the loop, and counting freed the rest: gc.collect() returned ${f('collected')}, the two instances.`,
    },
  ],
};
