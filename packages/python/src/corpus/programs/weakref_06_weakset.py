import weakref
class O:
    pass
s = weakref.WeakSet()
objs = [O() for _ in range(4)]
for o in objs:
    s.add(o)
print(len(s))
del objs[0]
print(len(s))
objs.clear()
del o
print(len(s))
