import weakref
class A:
    __slots__ = ('x',)
class B:
    __slots__ = ('x', '__weakref__')
try:
    weakref.ref(A())
except TypeError as e:
    print(e)
b = B()
r = weakref.ref(b)
print(r() is b)
del b
print(r())
