import gc
import weakref
gc.disable()
class N:
    pass
a = N()
a.me = a
r = weakref.ref(a, lambda ref: print('callback, dead:', ref() is None))
del a
print('before collect')
print('collected', gc.collect())
print(r())
