x = 5
print(1 < x < 10, 1 < x > 10, x == 5 == 5.0)
print(1 <= 1 < 2 <= 2)
print('a' < 'b' < 'c')
print([1, 2] < [1, 3], (1, 2) == (1, 2))
print(None is None is not False)
print(3 in [1, 2, 3] not in [[1]])

print('end', 0)
print('end', 1)
print('end', 2)
