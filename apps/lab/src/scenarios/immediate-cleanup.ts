/**
 * What counting buys: an object with a finalizer is finalized the instant its
 * last reference goes — here, when the function that made it returns, before
 * the caller's next line.
 */
import type { HeapType } from '@refheap/core';
import { fact, type Scenario } from '../scenario.ts';

export const immediateCleanup: Scenario = {
  name: 'immediate-cleanup',
  title: 'Released the moment the last reference goes',
  summary: 'a Resource with __del__ made inside a function is destroyed as the function returns',
  source: 'Barker, “The Power of Reference Counting”; the Resource example in “Reference Counting Fundamentals”',
  needs: [],
  drawable: true,
  moral:
    'Deterministic release is why CPython programs can rely on a file closing when its object goes away — and what ' +
    'refheap gives TypeScript code that owns GPU buffers, sockets or WASM memory the JS collector cannot see.',
  steps: () => {
    let Resource: HeapType;
    return [
      {
        python:
          'class Resource:\n    def __init__(self, name):\n        self.name = name\n        print(f"Resource {self.name} created")\n' +
          '    def __del__(self):\n        print(f"Resource {self.name} destroyed")',
        typescript:
          "const Resource = py.defineClass('Resource', {\n  finalize: (heap, self) => print(`Resource ${…name} destroyed`),\n});",
        run: (s) => {
          Resource = s.py.defineClass('Resource', {
            finalize: (heap, self) => s.print(`Resource ${String(heap.valueOf(heap.getAttr(self, 'name')))} destroyed`),
          });
          return { facts: [fact('live', 'live Resource objects', s.heap.liveCount(Resource), { cpython: 0 })] };
        },
        explain: () => 'A class whose finalizer announces itself, so we can see exactly when it runs.',
      },
      {
        python: 'def create_resource():\n    r = Resource("temp")\n\ncreate_resource()\nprint("Function completed")',
        typescript:
          "py.scope(() => {                      // the function's frame\n  const r = py.new(Resource, { name: 'temp' });\n  print(`Resource temp created`);\n});\nprint('Function completed');",
        run: (s) => {
          s.py.scope(() => {
            s.py.new(Resource, { name: 'temp' });
            s.print('Resource temp created');
          });
          s.print('Function completed');
          return {
            facts: [
              fact('order', 'printed', [...s.printed], {
                cpython: ['Resource temp created', 'Resource temp destroyed', 'Function completed'],
              }),
              fact('live.after', 'live Resource objects', s.heap.liveCount(Resource), { cpython: 0 }),
            ],
          };
        },
        explain: () =>
          'The local r was the only reference. Returning from the function released it, the count hit zero, and ' +
          '__del__ ran right there — before "Function completed" was printed. No collector was involved.',
      },
    ];
  },
};
