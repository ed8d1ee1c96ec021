import gc
gc.disable()
gc.collect()
print(gc.isenabled())
a = []
b = [a]
del a, b
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
