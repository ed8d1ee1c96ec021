import weakref
class O:
    pass
o = O()
r1 = weakref.ref(o)
r2 = weakref.ref(o, lambda r: None)
print(weakref.getweakrefcount(o))
print(len(weakref.getweakrefs(o)))
print(r1 is weakref.ref(o))
print(r1() is r2())
del o
print(weakref.getweakrefcount(r1), r1(), r2())
