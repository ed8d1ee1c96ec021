/**
 * What counting buys: an object with a finalizer is finalized the instant its last reference
 * goes — here, when the function that made it returns, before the caller's next line.
 */
import { fact, type Scenario } from '../scenario.ts';

export const immediateCleanup: Scenario = {
  name: 'immediate-cleanup',
  title: 'Released the moment the last reference goes',
  summary: 'a Resource with __del__ made inside a function is destroyed as the function returns',
  source: 'Barker, “The Power of Reference Counting”; the Resource example in “Reference Counting Fundamentals”',
  drawable: true,
  moral:
    'Deterministic release is why CPython programs can rely on a file closing when its object goes away — and what ' +
    'refheap gives TypeScript code that owns GPU buffers, sockets or WASM memory the JS collector cannot see.',
  steps: [
    {
      title: 'a class whose finalizer announces itself',
      code:
        'import gc\n\nclass Resource:\n    def __init__(self, name):\n        self.name = name\n' +
        '        print(f"Resource {self.name} created")\n\n    def __del__(self):\n' +
        '        print(f"Resource {self.name} destroyed")',
      facts: [fact('live', 'len([o for o in gc.get_objects() if isinstance(o, Resource)])', { label: 'live Resource objects', cpython: true })],
      explain: () => 'A class whose finalizer announces itself, so we can see exactly when it runs.',
    },
    {
      title: 'made in a function, gone when it returns',
      code: 'def create_resource():\n    r = Resource("temp")\n\ncreate_resource()\nprint("Function completed")',
      checkPrinted: true,
      facts: [fact('live.after', 'len([o for o in gc.get_objects() if isinstance(o, Resource)])', { label: 'live Resource objects', cpython: true })],
      explain: (f) =>
        'The local r was the only reference. Returning from the function released it, the count hit zero, and ' +
        `__del__ ran right there — before "Function completed" was printed. No collector was involved: ${f('live.after')} ` +
        'Resource objects are left.',
    },
  ],
};
