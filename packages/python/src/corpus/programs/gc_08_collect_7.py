import gc
gc.disable()
gc.collect()
print(gc.isenabled())
x = 1
n = gc.collect()
print('collected', n)
print('again', gc.collect())
gc.enable()
print(gc.isenabled())
