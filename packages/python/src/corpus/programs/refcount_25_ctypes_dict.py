import ctypes
import sys
d = {'a': 1}
print(ctypes.c_long.from_address(id(d)).value)
print(sys.getrefcount(d))
e = d
print(ctypes.c_long.from_address(id(d)).value)
print(sys.getrefcount(d))
del e
print(ctypes.c_long.from_address(id(d)).value)
