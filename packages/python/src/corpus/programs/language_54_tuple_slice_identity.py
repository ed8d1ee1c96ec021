# The whole of a tuple sliced is the tuple itself (tuplesubscript), so it is one more reference
# to the same object; any other slice, and every list slice, is a new object.
import sys

t = (1, 2, 3)
print(t[:] is t, t[0:3] is t, t[::1] is t, t[0:] is t, t[-3:99] is t)
print(t[:2] is t, t[::-1], t[1:] == (2, 3))
before = sys.getrefcount(t)
u = t[:]
print(sys.getrefcount(t) - before, u is t)
del u
print(sys.getrefcount(t) - before)

items = [1, 2]
print(items[:] is items, items[:] == items)
empty = ()
print(empty[:] is empty)
