import weakref
class C:
    pass
c = C()
r1 = weakref.ref(c, lambda r: print('cb1'))
r2 = weakref.ref(c, lambda r: print('cb2'))
r3 = weakref.ref(c, lambda r: print('cb3'))
print(weakref.getweakrefcount(c))
del c
print('end')
