import sys
a = []
lst = [a for _ in range(5)]
print(sys.getrefcount(a))
dct = {i: a for i in range(3)}
print(sys.getrefcount(a))
st = {id(a) for _ in range(4)}
print(len(st))
print(sys.getrefcount(a))
del lst
print(sys.getrefcount(a))
dct.clear()
print(sys.getrefcount(a))
