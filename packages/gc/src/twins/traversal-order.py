# The Python twin of traversal-order.test.ts: each case prints what CPython 3.11 does, and
# the test runs the same program on refheap and compares. Objects are named by label.
import gc
import json
import sys

gc.disable()
out = {}


class N:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        order.append(self.name)


# Three nodes survive a young collection inside a list, then become a cycle's garbage:
# the order the list was traversed in (last item first) is the order __del__ runs in.
order = []
root = [N('a'), N('b'), N('c')]
gc.collect(0)
root.append(root)
del root
gc.collect()
out['finalizers'] = order


class A:
    pass


class S:
    __slots__ = ('p', 'q')


x, y, z = [], [], []
names = {id(x): 'x', id(y): 'y', id(z): 'z', id(A): 'A', id(S): 'S'}


def labels(obj):
    return [names.get(id(o), repr(o)) for o in gc.get_referents(obj)]


out['list'] = labels([x, y, z])
out['tuple'] = labels((x, y, z))
out['strKeyedDict'] = labels({'k': x, 'j': y})
out['mixedKeyDict'] = labels({1: x, 'j': y})
a = A()
a.p = x
a.q = y
out['instance'] = labels(a)
s = S()
s.q = y
out['slotsInstance'] = labels(s)

before = sys.getrefcount(A)
three = [A(), A(), A()]
out['classRefcountDelta'] = sys.getrefcount(A) - before
out['instancesReferringToClass'] = sum(1 for r in gc.get_referrers(A) if isinstance(r, A))
print(json.dumps(out))
