import gc
gc.disable()
gc.collect()
print(gc.isenabled())
class N: pass
a = N(); b = N()
a.o = b; b.o = a
del a, b
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
