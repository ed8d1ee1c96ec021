import gc
gc.disable()
class A:
    pass
a = A()
a.me = a
obj_id = id(a)
del a
print(obj_id in [id(o) for o in gc.get_objects()])
gc.collect()
print(obj_id in [id(o) for o in gc.get_objects()])
