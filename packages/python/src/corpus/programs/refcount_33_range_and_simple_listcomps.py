import sys

# range() keeps an exact int argument itself (PyNumber_Index returns it); anything else
# (a bool, an __index__ object) becomes a new int.
n = 100000
r = range(n)
print(sys.getrefcount(n), r.stop is n, r.start, r.step)
del r
print(sys.getrefcount(n))
lo = 70000
hi = 90000
step = 7000
r = range(lo, hi, step)
print(r.start is lo, r.stop is hi, r.step is step, sys.getrefcount(step), len(r), list(r))
del r
print(sys.getrefcount(lo), sys.getrefcount(hi), sys.getrefcount(step))


class Index:
    def __index__(self):
        return 300000


r = range(True, Index(), 100000)
print(type(r.start).__name__, r.start, r.stop, r.step, list(r))
r = range(False, 3)
print(type(r.start).__name__, r.start, r, list(r))
try:
    range(1, 2, 0)
except ValueError as e:
    print(e)

# Negative steps, empty ranges, and ranges past 2**31 and 2**53, counted and iterated.
print(list(range(10, -5, -4)), list(range(-5, 10, 3)), list(range(5, 5)), list(range(5, 1)), list(range(1, 5, -1)))
print(len(range(0, -10, -3)), list(range(0, -10, -3)), list(reversed(range(1, 10, 3))))
print(list(range(2**31 - 2, 2**31 + 2)), list(range(-(2**31) + 1, -(2**31) - 3, -1)))
print(list(range(2**53 - 2, 2**53 + 2)), list(range(-(2**53) - 1, -(2**53) + 2)))
print(len(range(0, 2**40, 3)), range(0, 2**40, 3)[-1], list(range(2**62, 2**62 + 10, 4)))
print(len(range(-(2**31), 2**31 - 1, 2**30)), list(range(-(2**31), 2**31 - 1, 2**30)))
print([x for x in range(2**53 - 2, 2**53 + 3, 2)], [x for x in range(3, -9, -5)])
it = iter(range(3, 20, 5))
print(it.__length_hint__(), next(it), it.__length_hint__(), list(it))
total = 0
for i in range(2**53 - 3, 2**53 + 3):
    total += i
print(total)

# `[x for x in ...]` over ranges, lists, tuples, generators and user iterators; the items'
# counts after, and the list kept.
a = object()
items = [a, a, a]
print(sys.getrefcount(a))
copy = [x for x in items]
print(sys.getrefcount(a), len(copy))
del copy
print(sys.getrefcount(a))
print([x for x in (1, 2, 3)], [x for x in (c for c in 'abc')], [x for x in {3: 1, 4: 2}])


class Countdown:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return self

    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n


print([x for x in Countdown(4)])
# The item is a different name than the target: a global, looked up per item.
y = 'g'
print([y for x in range(3)])


def outer():
    z = object()
    got = [z for x in range(3)]
    return sys.getrefcount(z), len(got)


print(outer())


# The previous item is released when the next is stored, before it is appended: a finalizer
# sees the list as it was.
class Noisy:
    made = []

    def __init__(self, i):
        self.i = i

    def __del__(self):
        print('del', self.i)


def gen():
    for i in range(3):
        yield Noisy(i)
        print('after yield', i)


result = [x.i for x in gen()]
print(result)
result = [x for x in gen()]
print([x.i for x in result])
del result
print('end')


# An error in the iterator mid-way: the partial list is released, the traceback names the line.
def failing():
    yield 1
    raise KeyError('boom')


try:
    [x for x in failing()]
except KeyError as e:
    print('KeyError', e)
