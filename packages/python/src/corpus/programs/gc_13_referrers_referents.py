import gc
class Box:
    pass
target = []
b = Box()
b.t = target
l = [target]
refs = gc.get_referrers(target)
print(sorted(type(r).__name__ for r in refs))
print([type(r).__name__ for r in gc.get_referents(l)])
print(len(gc.get_referents([1, 2, 3])))
print(sorted(type(r).__name__ for r in gc.get_referents({'a': target})))
