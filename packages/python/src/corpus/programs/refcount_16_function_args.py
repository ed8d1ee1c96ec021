import sys
def f(p):
    print('in f', sys.getrefcount(p))
    q = p
    print('local', sys.getrefcount(p))
    return q
a = []
print(sys.getrefcount(a))
r = f(a)
print(sys.getrefcount(a))
del r
print(sys.getrefcount(a))
