import gc
gc.disable()
gc.collect()
for g in range(3):
    a = []
    a.append(a)
    del a
    print(g, gc.collect(g))
print(gc.collect())
st = gc.get_stats()
print(len(st), sorted(st[0]))
