/**
 * The A↔B classes: an A makes a B that points back at it. With the collector
 * switched off the pair outlives every name, counts 1 and 1, still listed by
 * `gc.get_objects()`; one `gc.collect()` finds both.
 */
import type { HeapType } from '@refheap/core';
import { fact, type Scenario } from '../scenario.ts';

export const abCycle: Scenario = {
  name: 'a-b-cycle',
  title: 'A and B hold each other, with the collector switched off',
  summary: 'counts 2 and 1, then 1 and 1 after my_var = None; collect() finds the pair',
  source: 'Ghimire, “Creating Classes with Circular References” and “The Role of Garbage Collection”',
  needs: ['gc'],
  session: { gcEnabled: false },
  drawable: true,
  moral:
    'Unreachable is not the same as unreferenced. The pair was unreachable from the moment my_var let go, but ' +
    'each still had a reference — from the other. Automatic collection is on by default and would have found them ' +
    'on its own after enough allocations; the scenario switched it off only to watch the leak happen.',
  steps: () => {
    let A: HeapType;
    let B: HeapType;
    let idA = 0;
    let idB = 0;
    return [
      {
        python: 'import gc\ngc.disable()\ngc.isenabled()',
        typescript: 'const gc = new Collector(heap, { enabled: false });\ngc.isEnabled();',
        run: (s) => ({ facts: [fact('enabled', 'gc.isenabled()', s.gc.isEnabled(), { cpython: false })] }),
        explain: () =>
          'The collector starts switched off, so only reference counting is at work. (A fresh interpreter says True.)',
      },
      {
        python:
          'class A:\n    def __init__(self):\n        self.b = B(self)\n        print(f"A: {hex(id(self))}, b:{hex(id(self.b))}")\n' +
          'class B:\n    def __init__(self, obj):\n        self.a = obj\n        print(f"B: {hex(id(self))}, A:{hex(id(self.a))}")\n' +
          'my_var = A()',
        typescript:
          "const A = py.defineClass('A');\nconst B = py.defineClass('B');\nconst myVar = lab.bind('my_var', py.new(A));\n" +
          "py.scope(() => {\n  const b = py.new(B, { a: myVar });  // B.__init__\n  myVar.set('b', b);                 // self.b = B(self)\n});",
        run: (s) => {
          A = s.py.defineClass('A');
          B = s.py.defineClass('B');
          const myVar = s.bind('my_var', s.py.new(A));
          s.py.scope(() => {
            const b = s.py.new(B, { a: myVar });
            s.print(`B: ${b.hexId}, A:${myVar.hexId}`);
            myVar.set('b', b);
            s.print(`A: ${myVar.hexId}, b:${b.hexId}`);
          });
          idA = myVar.id;
          idB = s.py.scope(() => myVar.get('b').id);
          return {
            facts: [
              fact('id_a', 'hex(id_a)', `0x${idA.toString(16)}`, { varies: true }),
              fact('id_b', 'hex(id_b)', `0x${idB.toString(16)}`, { varies: true }),
            ],
          };
        },
        explain: () =>
          "B's line prints first: B.__init__ runs to the end inside A.__init__ before A stores the result. " +
          'Now A → B through b and B → A through a: a loop.',
      },
      {
        python: 'id_a = id(my_var); id_b = id(my_var.b)\nget_ref_count(id_a)\nget_ref_count(id_b)',
        typescript: 'heap.refcount(heap.objectAt(idA));\nheap.refcount(heap.objectAt(idB));',
        run: (s) => ({
          facts: [
            fact('count.a', 'get_ref_count(id_a)', s.refcountAt(idA), { cpython: 2 }),
            fact('count.b', 'get_ref_count(id_b)', s.refcountAt(idB), { cpython: 1 }),
          ],
        }),
        explain: (f) =>
          `A is held by the name my_var and by B's attribute a: ${f('count.a')}. B is held only by A's attribute b: ` +
          `${f('count.b')}. (The article's comment says 2 for B; its own explanation, and CPython, say 1.)`,
      },
      {
        python: 'my_var = None\nget_ref_count(id_a)\nget_ref_count(id_b)',
        typescript: "lab.bind('my_var', py.none());\nheap.refcount(heap.objectAt(idA));\nheap.refcount(heap.objectAt(idB));",
        run: (s) => {
          s.bind('my_var', s.py.none());
          return {
            facts: [
              fact('count.a.after', 'get_ref_count(id_a)', s.refcountAt(idA), { cpython: 1 }),
              fact('count.b.after', 'get_ref_count(id_b)', s.refcountAt(idB), { cpython: 1 }),
            ],
          };
        },
        explain: (f) =>
          `Rebinding my_var dropped one reference to A. What remains is the loop: ${f('count.a.after')} and ` +
          `${f('count.b.after')}, each object kept alive only by the other. Nothing in the program can reach them.`,
      },
      {
        python: 'get_object_status_by_id(id_a)\nget_object_status_by_id(id_b)',
        typescript: 'gc.getObjects().some((o) => heap.id(o) === idA);\ngc.getObjects().some((o) => heap.id(o) === idB);',
        run: (s) => ({
          facts: [
            fact('exists.a', 'id_a among gc.get_objects()', s.trackedById(idA), { cpython: true }),
            fact('exists.b', 'id_b among gc.get_objects()', s.trackedById(idB), { cpython: true }),
          ],
        }),
        explain: () => 'Both are still in memory, still on the collector’s lists: a leak, as long as nobody collects.',
      },
      {
        python: 'gc.collect()',
        typescript: 'gc.setDebug(DEBUG_COLLECTABLE);\ngc.collect();',
        run: (s) => {
          s.gc.setDebug(2);
          const found = s.gc.collect();
          s.gc.setDebug(0);
          return {
            facts: [
              fact('collected', 'gc.collect()', found, { cpython: 2 }),
              fact('exists.a.after', 'id_a among gc.get_objects()', s.trackedById(idA), { cpython: false }),
              fact('exists.b.after', 'id_b among gc.get_objects()', s.trackedById(idB), { cpython: false }),
            ],
          };
        },
        explain: (f) =>
          `The collector took each tracked object's count, subtracted every reference coming from another tracked ` +
          `object, and found A and B with nothing left over: no outside holder. It cleared their attributes, which ` +
          `broke the loop, and counting freed the rest. ${f('collected')} unreachable objects.`,
      },
      {
        python: 'get_object_status_by_id(id_a)',
        typescript: 'heap.objectAt(idA);  // StaleIdError',
        run: (s) => {
          let said = '';
          try {
            s.heap.objectAt(idA);
          } catch (error) {
            said = (error as Error).message;
          }
          return { facts: [fact('stale', 'objectAt(id_a)', said.replace(/0x[0-9a-f]+/g, '0x…'))] };
        },
        explain: () =>
          'Asking for the object by its old id is refused rather than answered with whatever took the address next.',
      },
    ];
  },
};
