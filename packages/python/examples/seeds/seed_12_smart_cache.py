import weakref
class Data:
    def __init__(self, key):
        self.key = key
class SmartCache:
    def __init__(self):
        self._cache = weakref.WeakValueDictionary()
    def get(self, key):
        obj = self._cache.get(key)
        if obj is None:
            print('Cache miss')
            obj = Data(key)
            self._cache[key] = obj
        else:
            print('Cache hit')
        return obj
cache = SmartCache()
d1 = cache.get('a')
d2 = cache.get('a')
print(d1 is d2)
del d1, d2
d3 = cache.get('a')
print(len(cache._cache))
