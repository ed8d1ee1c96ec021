import gc
import sys

# Tuples and lists of names and constants: the items' counts while and after they are built.
a = object()
b = [a]
t = (a, a)
print(sys.getrefcount(a))
l = [a, b, 1, a]
print(sys.getrefcount(a), sys.getrefcount(b))
del t, l
print(sys.getrefcount(a), sys.getrefcount(b))


def local_display(x, y):
    pair = (x, y)
    print(sys.getrefcount(x), sys.getrefcount(y))
    return [pair, x]


kept = local_display(a, b)
print(sys.getrefcount(a), sys.getrefcount(b), len(gc.get_referrers(a)))
del kept

# A name that is not bound, after one that is: NameError, and nothing kept.
try:
    u = (a, missing)
except NameError as e:
    print(e)
print(sys.getrefcount(a))


def closure():
    c = object()

    def inner():
        return (c, c, None)

    return inner, c


inner, c = closure()
made = inner()
print(sys.getrefcount(c), made[2])


# Displays built while the collector runs finalizers that rebind the names being loaded.
class Rebinder:
    def __init__(self):
        self.me = self

    def __del__(self):
        global a, b
        a = 'rebound'
        b = 'rebound too'


a, b = object(), object()
keep = []
for i in range(3000):
    if i % 100 == 0:
        Rebinder()
    t = (a, b)
    keep.append([b, a, i])
print(t, keep[-1][:2] == [b, a], sum(1 for k in keep if k[0] == 'rebound too') > 0)
