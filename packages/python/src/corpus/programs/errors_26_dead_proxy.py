import sys
print('start')
try:
    import weakref
    class C: pass
    c = C()
    p = weakref.proxy(c)
    del c
    p.x
except Exception as e:
    print(type(e).__name__, e)
else:
    print('no error')
print('after')
