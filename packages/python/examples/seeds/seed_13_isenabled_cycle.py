import gc
print(gc.isenabled())
gc.disable()
print(gc.isenabled())
l1 = [1]
l2 = [2]
l1.append(l2)
l2.append(l1)
del l1, l2
print(gc.collect())
gc.enable()
print(gc.isenabled())
