import sys
class A:
    def m(self):
        return sys.getrefcount(self)
a = A()
print(sys.getrefcount(a))
print(a.m())
bm = a.m
print(sys.getrefcount(a))
print(bm())
bm2 = a.m
print(sys.getrefcount(a))
del bm, bm2
print(sys.getrefcount(a))
