import weakref
from contextlib import contextmanager
class Resource:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return f'Resource({self.name})'
class ResourcePool:
    def __init__(self):
        self._active = weakref.WeakSet()
    @contextmanager
    def acquire(self, name):
        r = Resource(name)
        self._active.add(r)
        print('acquired', name, len(self._active))
        try:
            yield r
        finally:
            print('releasing', name)
    def active_count(self):
        return len(self._active)
pool = ResourcePool()
with pool.acquire('db') as r:
    print('using', r)
    with pool.acquire('cache') as r2:
        print('active', pool.active_count())
    del r2
print('active after inner', pool.active_count())
del r
print('active at end', pool.active_count())
