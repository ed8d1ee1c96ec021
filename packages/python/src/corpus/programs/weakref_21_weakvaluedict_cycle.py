import gc
import weakref
gc.disable()
class V:
    pass
d = weakref.WeakValueDictionary()
v = V()
v.me = v
d['v'] = v
del v
print(len(d))
gc.collect()
print(len(d))
