import gc
gc.disable()
gc.collect()
print(gc.isenabled())
class N: pass
a = N()
a.me = a
del a
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
