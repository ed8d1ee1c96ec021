import sys
sentinel = []
def f(x=sentinel):
    return sys.getrefcount(x)
print(sys.getrefcount(sentinel))
print(f())
print(f(sentinel))
def g(x=sentinel, y=sentinel):
    return sys.getrefcount(sentinel)
print(g())
print(sys.getrefcount(sentinel))
