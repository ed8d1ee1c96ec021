/**
 * The resource pool: it hands out resources and counts the ones in use through
 * a weak set, so it never keeps one alive itself. A resource acquired for a
 * scope (Python's context manager; `py.scope` here) is closed and dropped at
 * the end of it, and the count falls back to 0 — unless a name outlives the
 * scope, as the name a `with … as` statement binds at module level does.
 */
import type { Handle, HeapType } from '@refheap/core';
import { WeakSet } from '@refheap/weakref';
import { fact, type Scenario } from '../scenario.ts';
import type { Session } from '../session.ts';

const PY_POOL =
  'import weakref\nfrom contextlib import contextmanager\n\nclass ResourcePool:\n    def __init__(self):\n' +
  '        self._resources = weakref.WeakSet()\n    def acquire(self):\n        resource = Resource()\n' +
  '        self._resources.add(resource)\n        return resource\n    def active_count(self):\n' +
  '        return len(self._resources)\n\nclass Resource:\n    def __init__(self):\n' +
  '        self.data = bytearray(1024 * 1024)\n    def close(self):\n        self.data = None\n\n' +
  '@contextmanager\ndef managed_resource(pool):\n    resource = pool.acquire()\n    try:\n        yield resource\n' +
  '    finally:\n        resource.close()\n\npool = ResourcePool()\npool.active_count()';

const MIB = 1024 * 1024;

export const resourcePool: Scenario = {
  name: 'resource-pool',
  title: 'A resource pool that counts its resources through a weak set',
  summary: 'active_count() is 1 inside the managed scope and 0 after it; a with-name left bound keeps it at 1',
  source: '“Detecting Memory Leaks” (ResourcePool with weakref.WeakSet, managed_resource context manager)',
  needs: ['weakref'],
  drawable: true,
  moral:
    'Two separate things happen at the end of a managed scope: the resource is closed (its megabyte dropped, by ' +
    'close()), and the reference the scope held goes away. The weak set notices only the second. In a function, ' +
    'the local name dies when the function returns and the count falls to 0; at module level, the name a with ' +
    'statement binds outlives the block, so the pool still counts that closed resource until the name is deleted.',
  steps: () => {
    let Resource: HeapType;
    let resources: WeakSet;
    // The megabyte is a real bytearray: its memory is the heap's until close() drops it.
    const acquire = (s: Session): Handle => {
      const resource = s.py.scope(() => s.py.new(Resource, { data: s.py.adopt(s.heap.newByteArray(MIB)) }));
      resources.add(resource);
      return resource;
    };
    const close = (s: Session, resource: Handle): void => void resource.set('data', null);
    return [
      {
        python: PY_POOL,
        typescript:
          "const Resource = py.defineClass('Resource');\nconst resources = new WeakSet(heap);  // pool._resources\n" +
          "const acquire = () => {\n  const resource = py.scope(() => py.new(Resource, { data: py.adopt(heap.newByteArray(1024 * 1024)) }));\n" +
          "  resources.add(resource);\n  return resource;\n};\nresources.size;",
        run: (s) => {
          Resource = s.py.defineClass('Resource');
          resources = new WeakSet(s.heap);
          s.onClose(() => resources.clear());
          return { facts: [fact('active.start', 'pool.active_count()', resources.size, { cpython: 0 })] };
        },
        explain: () =>
          'A new pool has handed nothing out. Its set holds weak references only, so it can count the resources ' +
          'in use without being one of their users.',
      },
      {
        python:
          'def work(pool):\n    with managed_resource(pool) as res:\n        inside = pool.active_count()\n' +
          '    return inside, res.data\n\ninside, data = work(pool)\npool.active_count()',
        typescript:
          'const inside = py.scope(() => {\n  const res = acquire();\n  try {\n    return resources.size;\n' +
          "  } finally {\n    res.set('data', null);  // resource.close()\n  }\n});  // res released here\nresources.size;",
        run: (s) => {
          let closed = false;
          let freedByClose = 0;
          const inside = s.py.scope(() => {
            const res = acquire(s);
            try {
              return resources.size;
            } finally {
              const before = s.heap.stats().bytes;
              close(s, res);
              freedByClose = before - s.heap.stats().bytes;
              closed = s.py.scope(() => res.get('data').is(s.py.none()));
            }
          });
          return {
            facts: [
              fact('active.inside', 'pool.active_count() inside the with block', inside, { cpython: 1 }),
              fact('closed', 'res.data is None after the block', closed, { cpython: true }),
              fact('close.frees.mib', 'MiB the heap gave back when close() dropped the bytearray', Math.floor(freedByClose / MIB)),
              fact('active.after', 'pool.active_count()', resources.size, { cpython: 0 }),
              fact('alive.after', 'Resource objects alive', s.heap.liveCount(Resource), { cpython: 0 }),
            ],
          };
        },
        explain: (f) =>
          `Inside the block the pool counts ${f('active.inside')} resource in use. close() dropped the bytearray, ` +
          `and its ${f('close.frees.mib')} MiB went back at once — the heap's bytes fell by that much. Leaving the block, the context ` +
          `manager's finally closed the resource, and when the function returned its last reference went too: ` +
          `the object was freed, its weak reference cleared, and the set forgot it — ${f('active.after')} active.`,
      },
      {
        python: 'with managed_resource(pool) as res:\n    pass\npool.active_count()\nres.data is None',
        typescript:
          "const res = lab.bind('res', acquire());\ntry { /* pass */ } finally { res.set('data', null); }\nresources.size;",
        run: (s) => {
          const res = s.bind('res', acquire(s));
          close(s, res);
          const closed = s.py.scope(() => res.get('data').is(s.py.none()));
          return {
            facts: [
              fact('active.module', 'pool.active_count()', resources.size, { cpython: 1 }),
              fact('closed.module', 'res.data is None', closed, { cpython: true }),
            ],
          };
        },
        explain: (f) =>
          `The article's own usage, at module level, prints ${f('active.module')}, not the 0 its comment expects: ` +
          'a with statement closes the resource but does not unbind res, and that name is a strong reference. ' +
          'Closed is not the same as gone.',
      },
      {
        python: 'del res\npool.active_count()',
        typescript: "lab.drop('res');\nresources.size;",
        run: (s) => {
          s.drop('res');
          return {
            facts: [
              fact('active.final', 'pool.active_count()', resources.size, { cpython: 0 }),
              fact('alive.final', 'Resource objects alive', s.heap.liveCount(Resource), { cpython: 0 }),
            ],
          };
        },
        explain: (f) =>
          `Deleting the name drops the last reference; the resource is freed and the pool counts ${f('active.final')}.`,
      },
    ];
  },
};
