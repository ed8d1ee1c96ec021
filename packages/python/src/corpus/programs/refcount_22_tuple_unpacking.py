import sys
a = []
b = {}
t = (a, b)
x, y = t
print(sys.getrefcount(a), sys.getrefcount(b))
del t
print(sys.getrefcount(a), sys.getrefcount(b))
first, *rest = [a, a, b]
print(sys.getrefcount(a), len(rest))
del first, rest
print(sys.getrefcount(a), sys.getrefcount(b))
