import gc
class LeakyContainer:
    _cache = {}
    def __init__(self, key, value):
        self.key = key
        self.value = value
        LeakyContainer._cache[key] = self
    @classmethod
    def clear(cls):
        cls._cache.clear()
def create():
    for i in range(3):
        LeakyContainer(i, [i] * 3)
create()
print(len(LeakyContainer._cache))
obj = LeakyContainer._cache[1]
print(sorted(type(r).__name__ for r in gc.get_referrers(obj)))
print(sorted(type(r).__name__ for r in gc.get_referrers(obj.value)))
LeakyContainer.clear()
print(len(LeakyContainer._cache))
