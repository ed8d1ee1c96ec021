t = (1, 2, 3, 4, 5)
print(t[1:4], t[::-1], t[-2:], t[:10])
print(t.index(3), t.count(1), len(t))
print((1,), (), tuple('ab'))
s = 'abcdef'
print(s[::2], s[1::2], s[-3:-1], s[5:1:-1])
print(list(range(10))[2:8:3])
print(slice(1, 5, 2), slice(1, 5, 2).indices(3))

print('end', 0)
print('end', 1)
