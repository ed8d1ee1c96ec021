import sys
l = []
print(sys.getrefcount(l))
l.append(l)
print(sys.getrefcount(l))
l.append(l)
print(sys.getrefcount(l))
print(l)
l.clear()
print(sys.getrefcount(l))
d = {}
d[1] = d
print(d, sys.getrefcount(d))
