a = {1, 2, 3}
b = {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
a.add(9)
a.discard(1)
print(sorted(a), 2 in a)
print(a.issubset({2, 3, 9, 10}), {1} < {1, 2})
f = frozenset([1, 2])
print(f, f | {3}, hash(f) == hash(frozenset([2, 1])))
print(set(), frozenset())
