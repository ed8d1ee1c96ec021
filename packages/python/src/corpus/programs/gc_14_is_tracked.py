import gc
class C:
    pass
for v in [1, 1.5, 'str', b'b', None, True, (), (1, 2), ([],), [], {}, {'a': 1}, {'a': []}, set(), C(), frozenset()]:
    print(type(v).__name__, gc.is_tracked(v))
t = (1, 2)
gc.collect()
print(gc.is_tracked(t))

print('end', 0)
print('end', 1)
