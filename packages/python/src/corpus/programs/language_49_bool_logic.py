print(0 or 'x', '' and 'y', None or [] or 'z')
print(not 0, not [1])
a = [] or None
print(a)
print(1 if 0 else 2, 'yes' if 'a' else 'no')
x = 5
print(x > 3 and x < 10, isinstance(x, bool), isinstance(True, int))
print(True == 1, True is 1 == False)

print('end', 0)
print('end', 1)
