import gc
gc.disable()
gc.collect()
print(gc.isenabled())
class N:
    __slots__ = ('o',)
a = N(); a.o = a
del a
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
