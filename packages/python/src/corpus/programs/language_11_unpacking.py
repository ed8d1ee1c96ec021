a, b = 1, 2
a, b = b, a
print(a, b)
first, *mid, last = range(6)
print(first, mid, last)
(x, y), z = (1, 2), 3
print(x, y, z)
*head, tail = 'abc'
print(head, tail)
print(*[1, 2], *'ab')
d = {**{'a': 1}, 'b': 2}
print(d)
