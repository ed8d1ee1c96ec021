import gc
gc.disable()
gc.collect()
print(gc.isenabled())
class N: pass
ns = [N() for _ in range(3)]
for x, y in zip(ns, ns[1:] + ns[:1]):
    y.next = x
del ns, x, y
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
