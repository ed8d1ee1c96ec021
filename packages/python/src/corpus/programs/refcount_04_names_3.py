import sys
a = [1, 2]
b = a
print(sys.getrefcount(a))
x = a
print(sys.getrefcount(a))
y = [x, x]
print(sys.getrefcount(a))
del y
print(sys.getrefcount(a))
x = None
print(sys.getrefcount(a))
print(type(a).__name__)
