# `total += i * 2` and `a * b + c` on ints are worked out without the intermediate int objects
# (nothing can tell they are missing while no one traces allocations). Everything that is not an
# int held in 53 bits must still take the ordinary way and give CPython's answer: big ints, bools,
# floats, strs, objects with their own operators, names that are not bound, and a traced run.
import sys
import tracemalloc

total = 0
for i in range(1000):
    total += i * 2 + 1
print(total)

big = 2 ** 52
big += big * 3 + 7          # past 2**53: a bigint, exactly
print(big, big * 2 - 1, (big + 1) * (big - 1))
n = 9007199254740991
n += 1
n += 1
print(n, n - 2 ** 53)
m = -(2 ** 53) + 1
m -= 1 * 1
print(m, m * m)

flag = True
flag += 1                   # bool is an int subclass, but not an int held as is
print(flag, type(flag).__name__)
f = 1
f += 0.5 * 2
print(f)
s = 'ab'
s *= 2 + 1
print(s)
lst = [1]
lst += [2] * 2
print(lst)


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __mul__(self, k):
        return Money(self.cents * k)

    def __radd__(self, other):
        return Money(other + self.cents)

    def __repr__(self):
        return f'Money({self.cents})'


price = Money(250)
spent = 100
spent += price * 2          # a Money operand: the ordinary way, through __mul__ and __radd__
print(spent)


def local_loop(k):
    acc = 0
    for j in range(k):
        acc += j * j - j
    return acc


print(local_loop(100), local_loop(0))

try:
    unbound_total += 1
except NameError as error:
    print('NameError:', error)
try:
    total += missing * 2
except NameError as error:
    print('NameError:', error, total)


def order():
    x = 1
    x += y * 2


try:
    order()
except NameError as error:
    print('NameError:', error)

zero = 0
zero += -1 * 0
print(zero, str(zero), 1 / (zero + 1))
print(7 - 3 * 2 + 4 * 5 - 1, (2 ** 60) * 4 + 1, -5 * 3 + 2)

tracemalloc.start()
snap_total = 0
for i in range(1000, 1010):
    snap_total += i * 3 + 1
tracemalloc.stop()
print(snap_total, sys.getrefcount(snap_total) > 0)
