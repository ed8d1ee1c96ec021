import sys
def a(x):
    return b(x)
def b(x):
    return sys.getrefcount(x)
v = []
print(a(v))
print(b(v))
print(sys.getrefcount(v))
lam = lambda x: sys.getrefcount(x)
print(lam(v))
