# The interpreter's fast paths (int arithmetic inline, range loops stepped in place, attribute
# sites that remember a class's layout) must give what the general paths give, including after
# a class changes under a site that has already run.
import sys


class Slotted:
    __slots__ = ('a', 'b')

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Plain:
    def __init__(self, a):
        self.a = a


def read_a(obj):
    return obj.a


def write_a(obj, value):
    obj.a = value


# One site, several classes in turn.
things = [Slotted(1, 2), Plain(3), Slotted(4, 5), Plain(6)]
print([read_a(t) for t in things])
for t in things:
    write_a(t, 10)
print([read_a(t) for t in things])

# A class attribute appears after the site has read instance attributes: the instance's still wins.
p = Plain(7)
print(read_a(p))
Plain.a = 'class attribute'
print(read_a(p), read_a(Plain.__new__(Plain)))
del Plain.a
print(read_a(p))
try:
    read_a(Plain.__new__(Plain))
except AttributeError as e:
    print('AttributeError:', e)

# A property added later takes over reads and writes at sites that have run.
def get_a(self):
    return 'property says ' + str(self.__dict__['a'])


def set_a(self, value):
    self.__dict__['a'] = value * 100


Plain.a = property(get_a, set_a)
write_a(p, 2)
print(read_a(p))
del Plain.a
print(read_a(p))

# __setattr__ defined after the site stored plain attributes.
log = []


def logging_setattr(self, name, value):
    log.append((name, value))
    object.__setattr__(self, name, value)


Plain.__setattr__ = logging_setattr
write_a(p, 'logged')
print(read_a(p), log)
del Plain.__setattr__
write_a(p, 'quiet')
print(read_a(p), log)

# An empty slot, then a filled one, through the same site.
s = Slotted.__new__(Slotted)
try:
    read_a(s)
except AttributeError as e:
    print('AttributeError:', e)
write_a(s, 'set')
print(read_a(s))
try:
    write_a(1, 2)
except AttributeError as e:
    print('AttributeError:', e)

# A base class gains the attribute: subclasses see it through the MRO.
class Base:
    pass


class Derived(Base):
    pass


d = Derived()
try:
    read_a(d)
except AttributeError as e:
    print('AttributeError:', e)
Base.a = 'from Base'
print(read_a(d))
setattr(Base, 'a', 'setattr on Base')
print(read_a(d))
delattr(Base, 'a')
print(hasattr(d, 'a'))

# Int arithmetic at the edge of the inline path (2**53) and beyond, constants on the right.
big = 2 ** 53 - 1
print(big + 1, big * 2, -big - 2, big - -1)
x = 9007199254740990
for i in range(5):
    x += 1
    print(x, x * 3, x - 1)
print(True + 1, 3 * True, 2.5 * 2, 'ab' * 2, [1] * 3)
n = 300
n += 1
print(n, sys.getrefcount(n) > 0)

# Range loops: big bounds, negative steps, empty ranges, next() on a shared iterator.
for i in range(2 ** 53 - 2, 2 ** 53 + 2):
    print(i)
print([i for i in range(10, 0, -3)], [i for i in range(0)], list(range(5, 5)))
it = iter(range(6))
for i in it:
    print(i, next(it, None))
print([i * j for i in range(3) for j in range(3)])

# A name on the left of an operator with a constant, when it is not an int: the method sees
# the counts CPython's stack gives it.
class Counted:
    def __mul__(self, other):
        return sys.getrefcount(self), other

    def __add__(self, other):
        return 'added', other


c = Counted()
print(c * 2, c + 1, [c][0] * 3)
s = 'ab'
print(s * 2, s + 'c')

# A class's __init__ replaced, then removed, after instances were made through the fast call.
class Late:
    def __init__(self):
        self.v = 1


print([Late().v for _ in range(3)])


def second_init(self):
    self.v = 2


Late.__init__ = second_init
print(Late().v)
del Late.__init__
print(hasattr(Late(), 'v'))
try:
    Late(1)
except TypeError as e:
    print('TypeError:', e)
