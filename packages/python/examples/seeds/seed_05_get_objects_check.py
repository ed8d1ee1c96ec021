import gc
gc.disable()
class A:
    pass
a = A()
b = A()
a.b = b
b.a = a
obj_id = id(a)
print(obj_id in [id(obj) for obj in gc.get_objects()])
del a, b
print(obj_id in [id(obj) for obj in gc.get_objects()])
gc.collect()
print(obj_id in [id(obj) for obj in gc.get_objects()])
