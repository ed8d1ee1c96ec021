import sys
t = (1, 2)
s = {t}
print(sys.getrefcount(t))
f = frozenset([t])
print(sys.getrefcount(t))
s.discard(t)
print(sys.getrefcount(t))
del f
print(sys.getrefcount(t))
print(sorted(s))
