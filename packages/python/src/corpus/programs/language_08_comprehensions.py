print([x * 2 for x in range(5) if x % 2 == 0])
print({x: x ** 2 for x in range(4)})
print(sorted({x % 3 for x in range(10)}))
print([(i, j) for i in range(3) for j in range(i)])
m = [[i * j for j in range(3)] for i in range(3)]
print(m)
print({k: v for k, v in zip('abc', range(3))})

print('end', 0)
print('end', 1)
print('end', 2)
