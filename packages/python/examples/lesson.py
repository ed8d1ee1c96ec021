# The first lesson of the seeds: who holds a reference, counted as CPython counts it.
import gc
import sys

a = []
print(sys.getrefcount(a))  # 2: the name, and the argument
b = a
print(sys.getrefcount(a))  # 3
l = [1, 2, 3, a]
print(sys.getrefcount(a))  # 4
del b, l
print(sys.getrefcount(a))  # 2

# A cycle: counting cannot free it, the collector can.
gc.disable()
l1 = [1]
l2 = [2]
l1.append(l2)
l2.append(l1)
print(l1, l2)
del l1, l2
print(gc.collect())  # 2
