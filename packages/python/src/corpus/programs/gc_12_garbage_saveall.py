import gc
gc.disable()
gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
a = []
a.append(a)
del a
print(gc.collect())
print(len(gc.garbage))
print(type(gc.garbage[0]).__name__)
gc.set_debug(0)
gc.garbage.clear()
print(len(gc.garbage), gc.get_debug())
