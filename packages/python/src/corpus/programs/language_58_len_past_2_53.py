# len() gives back exactly what __len__ said, up to sys.maxsize, however big: a range of more
# than 2**53 items, or a class's own __len__. Past sys.maxsize it is CPython's OverflowError.
import sys

r = range(2 ** 60, 2 ** 61, 3)
print(len(r), len(r) == (2 ** 61 - 2 ** 60 + 2) // 3)
print(len(range(-(2 ** 61), 2 ** 61)), len(range(2 ** 62, -(2 ** 62), -7)))


class Sized:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n


for n in (0, 2 ** 53 + 1, sys.maxsize):
    print(len(Sized(n)))
for n in (sys.maxsize + 1, 2 ** 100):
    try:
        len(Sized(n))
    except OverflowError as error:
        print('OverflowError:', error)
try:
    len(range(2 ** 64))
except OverflowError as error:
    print('OverflowError:', error)
try:
    len(Sized(-1))
except ValueError as error:
    print('ValueError:', error)
