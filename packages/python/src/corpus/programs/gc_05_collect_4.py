import gc
gc.disable()
gc.collect()
print(gc.isenabled())
a = []; b = []
a.append(b); b.append(a)
del a, b
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
