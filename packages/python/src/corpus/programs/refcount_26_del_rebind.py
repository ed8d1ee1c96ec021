import sys
a = [1]
b = a
print(sys.getrefcount(a))
b = [2]
print(sys.getrefcount(a))
c = a
a = None
print(sys.getrefcount(c))
del c
try:
    print(c)
except NameError as e:
    print(e)
