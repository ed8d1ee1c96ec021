import gc
gc.disable()
gc.collect()
class N:
    pass
for i in range(10):
    n = N()
    n.me = n
del n
print(gc.collect())
for i in range(5):
    a = [[]]
    a[0].append(a)
del a
print(gc.collect())
