x = 2.5
print(x.is_integer(), (3.0).is_integer(), x.as_integer_ratio())
print(float('inf'), float('-inf'), float('nan') != float('nan'))
print(1e16, 1e15, 123456789.0, 0.1, 1/3, 2/3)
print(round(1.23456, 3), 10 / 4, 10 // 4, 2 ** 0.5)
print(int(1e10), float(10 ** 20), 5e-324)
print(-0.0, abs(-0.0), 1.0 == 1)

print('end', 0)
print('end', 1)
print('end', 2)
