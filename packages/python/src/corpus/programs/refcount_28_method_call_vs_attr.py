import sys
class A:
    def ping(self):
        return 'pong'
a = A()
before = sys.getrefcount(a)
print(before)
print(a.ping())
print(sys.getrefcount(a) == before)
m = a.ping
print(sys.getrefcount(a) - before)
del m
print(sys.getrefcount(a) - before)
