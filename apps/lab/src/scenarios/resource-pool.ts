/**
 * The resource pool: it hands out resources and counts the ones in use through a weak set, so
 * it never keeps one alive itself. A resource acquired in a `with` block is closed at the end
 * of it — its megabyte, a bytearray made at run time, freed by close() — and the count falls
 * back to 0 when the last reference goes: at once in a function, but not at module level,
 * where the name `with … as` binds outlives the block.
 */
import { fact, type Scenario } from '../scenario.ts';

export const resourcePool: Scenario = {
  name: 'resource-pool',
  title: 'A resource pool that counts its resources through a weak set',
  summary: 'active_count() is 1 inside the managed scope and 0 after it; a with-name left bound keeps it at 1',
  source: '“Detecting Memory Leaks” (ResourcePool with weakref.WeakSet, managed_resource context manager)',
  drawable: true,
  moral:
    'Two separate things happen at the end of a managed scope: the resource is closed (its megabyte dropped, by ' +
    'close()), and the reference the scope held goes away. The weak set notices only the second. In a function, ' +
    'the local name dies when the function returns and the count falls to 0; at module level, the name a with ' +
    'statement binds outlives the block, so the pool still counts that closed resource until the name is deleted.',
  steps: [
    {
      title: 'a pool that holds its resources weakly',
      code:
        'import gc\nimport weakref\nfrom contextlib import contextmanager\n\nclass ResourcePool:\n    def __init__(self):\n' +
        '        self._resources = weakref.WeakSet()\n\n    def acquire(self):\n        resource = Resource()\n' +
        '        self._resources.add(resource)\n        return resource\n\n    def active_count(self):\n' +
        '        return len(self._resources)\n\nclass Resource:\n    def __init__(self):\n' +
        '        self.data = bytearray(1024 * 1024)  # a megabyte, made at run time\n\n    def close(self):\n' +
        '        self.data = None\n\n@contextmanager\ndef managed_resource(pool):\n    resource = pool.acquire()\n' +
        '    try:\n        yield resource\n    finally:\n        resource.close()\n\n' +
        'def megabytes_alive():\n    return sum(len(o.data) for o in gc.get_objects()\n' +
        '               if isinstance(o, Resource) and o.data is not None) // (1024 * 1024)\n\npool = ResourcePool()',
      facts: [fact('active.start', 'pool.active_count()', { cpython: true })],
      explain: () =>
        'A new pool has handed nothing out. Its set holds weak references only, so it can count the resources ' +
        'in use without being one of their users.',
    },
    {
      title: 'used in a function',
      code:
        'def work(pool):\n    with managed_resource(pool) as res:\n        inside = (pool.active_count(), megabytes_alive())\n' +
        '    closed = res.data is None\n    return inside, closed\n\n(inside, mb_inside), closed = work(pool)',
      facts: [
        fact('active.inside', 'inside', { label: 'pool.active_count() inside the with block', cpython: true }),
        fact('mb.inside', 'mb_inside', { label: 'megabytes held by resources inside the block', cpython: true }),
        fact('closed', 'closed', { label: 'res.data is None after the block', cpython: true }),
        fact('active.after', 'pool.active_count()', { cpython: true }),
        fact('alive.after', 'len([o for o in gc.get_objects() if isinstance(o, Resource)])', {
          label: 'Resource objects alive',
          cpython: true,
        }),
      ],
      explain: (f) =>
        `Inside the block the pool counts ${f('active.inside')} resource in use, holding ${f('mb.inside')} MiB. ` +
        "Leaving the block, the context manager's finally closed it — close() dropped the bytearray, and with its " +
        'last reference gone the megabyte was freed on the spot. When the function returned, the resource\'s last ' +
        `reference went too: the object was freed, its weak reference cleared, and the set forgot it — ` +
        `${f('active.after')} active, ${f('alive.after')} Resource objects alive.`,
    },
    {
      title: 'used at module level',
      code: 'with managed_resource(pool) as res:\n    pass',
      facts: [
        fact('active.module', 'pool.active_count()', { cpython: true }),
        fact('closed.module', 'res.data is None', { cpython: true }),
        fact('mb.module', 'megabytes_alive()', { label: 'megabytes held by resources', cpython: true }),
      ],
      explain: (f) =>
        `The article's own usage, at module level, counts ${f('active.module')}, not the 0 its comment expects: ` +
        'a with statement closes the resource but does not unbind res, and that name is a strong reference. ' +
        `Closed is not the same as gone — though the megabyte is (${f('mb.module')} MiB held).`,
    },
    {
      title: 'the name deleted',
      code: 'del res',
      facts: [
        fact('active.final', 'pool.active_count()', { cpython: true }),
        fact('alive.final', 'len([o for o in gc.get_objects() if isinstance(o, Resource)])', {
          label: 'Resource objects alive',
          cpython: true,
        }),
      ],
      explain: (f) =>
        `Deleting the name drops the last reference; the resource is freed and the pool counts ${f('active.final')}.`,
    },
  ],
};
