import weakref
class C:
    pass
c = C()
r = weakref.ref(c)
print(r() is c)
print(weakref.getweakrefcount(c))
del c
print(r())
print(weakref.getweakrefcount(r) if False else 'ok')
